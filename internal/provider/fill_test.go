package provider

import (
	"regexp"
	"testing"

	"github.com/sendcheck/sendcheck/sender/provider"
)

// placeholder matches a template word left in a text.
var placeholder = regexp.MustCompile(`<[A-Za-z][A-Za-z _-]*>`)

func TestRegion(t *testing.T) {
	for host, want := range map[string]string{
		"email-smtp.eu-west-1.amazonaws.com":          "eu-west-1",
		"EMAIL-SMTP.us-east-1.amazonaws.com.:587":     "us-east-1",
		"email-smtp-fips.us-gov-west-1.amazonaws.com": "us-gov-west-1",
		"email-smtp.amazonaws.com":                    "",
		"smtp.sendgrid.net":                           "",
		"email-smtp.a.b.amazonaws.com":                "",
		"":                                            "",
	} {
		if got := Region(host); got != want {
			t.Errorf("Region(%q) = %q, want %q", host, got, want)
		}
	}
}

// TestFillLeavesNoPlaceholder fills every text of the table that has
// placeholders, with values and without, and checks that none is left.
func TestFillLeavesNoPlaceholder(t *testing.T) {
	var texts []string
	for _, p := range provider.All() {
		texts = append(texts, p.ReturnPathSetup)
		if r, ok := provider.SenderRulesFor(p.ID); ok {
			texts = append(texts, r.MismatchReply, r.VerifyAt)
		}
	}
	filled := 0
	for _, text := range texts {
		for _, v := range []Values{{}, {From: "a@b.example", Account: "u@b.example", Domain: "b.example", Region: "eu-west-1"}} {
			got := Fill(text, v)
			if m := placeholder.FindString(got); m != "" {
				t.Errorf("Fill(%q, %+v) = %q: %s left", text, v, got, m)
			}
			if got != text {
				filled++
			}
		}
	}
	if filled == 0 {
		t.Error("no text of the table has a placeholder; the test checks nothing")
	}
	got := Fill("in region <REGION>: <identities>", Values{From: "x@y.example", Region: "eu-west-1"})
	if want := "in region EU-WEST-1: x@y.example"; got != want {
		t.Errorf("Fill = %q, want %q", got, want)
	}
}
