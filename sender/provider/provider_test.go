package provider

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestByHost(t *testing.T) {
	tests := []struct {
		host string
		want ID
		ok   bool
	}{
		{"smtp.gmail.com", Gmail, true},
		{"SMTP.Gmail.com.", Gmail, true},
		{"smtp-relay.gmail.com", GoogleRelay, true},
		{"email-smtp.eu-west-1.amazonaws.com", SES, true},
		{"email-smtp.amazonaws.com", "", false},
		{"email-smtp.a.b.amazonaws.com", "", false},
		{"contoso-com.mail.protection.outlook.com", Microsoft365, true},
		{"smtp.eu.mailgun.org", Mailgun, true},
		{"smtppro.zoho.eu", Zoho, true},
		{"mail.example.com", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		p, ok := ByHost(tt.host)
		if ok != tt.ok || p.ID != tt.want {
			t.Errorf("ByHost(%q) = %q, %v; want %q, %v", tt.host, p.ID, ok, tt.want, tt.ok)
		}
	}
}

func TestMatchHostPattern(t *testing.T) {
	tests := []struct {
		pattern, host string
		want          bool
	}{
		{"a.b", "a.b", true},
		{"*.b", "a.b", true},
		{"*.b", "b", false},
		{"*.b", ".b", false},
		{"a.*.c", "a.x.c", true},
		{"a.*.c", "a.x.y.c", false},
		{"a.b", "a.b.c", false},
	}
	for _, tt := range tests {
		if got := matchHost(tt.pattern, tt.host); got != tt.want {
			t.Errorf("matchHost(%q, %q) = %v, want %v", tt.pattern, tt.host, got, tt.want)
		}
	}
}

func TestTableConsistent(t *testing.T) {
	seen := map[ID]bool{}
	for _, p := range All() {
		if p.ID == "" || p.Name == "" {
			t.Errorf("provider %+v lacks an ID or name", p)
		}
		if seen[p.ID] {
			t.Errorf("duplicate provider ID %q", p.ID)
		}
		seen[p.ID] = true
		switch p.ReturnPath {
		case ReturnPathSender, ReturnPathProvider, ReturnPathDelegated:
		default:
			t.Errorf("%s: return-path mode %q", p.ID, p.ReturnPath)
		}
		for _, inc := range p.SPFIncludes {
			// Providers of one family (Gmail and Workspace) share an
			// include; ByInclude names the first of them.
			q, ok := ByInclude(inc)
			if !ok || !contains(q.SPFIncludes, inc) {
				t.Errorf("ByInclude(%q) = %q, %v", inc, q.ID, ok)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestByHostWithPort(t *testing.T) {
	for _, host := range []string{"smtp.sendgrid.net:587", " smtp.sendgrid.net:2525 ", "[smtp.sendgrid.net]:465"} {
		if p, ok := ByHost(host); !ok || p.ID != SendGrid {
			t.Errorf("ByHost(%q) = %q, %v; want %q", host, p.ID, ok, SendGrid)
		}
	}
}

func TestName(t *testing.T) {
	for id, want := range map[ID]string{Gmail: "Gmail", Postfix: "Postfix", Exchange: "Microsoft Exchange", Barracuda: "Barracuda", "other": "other"} {
		if got := Name(id); got != want {
			t.Errorf("Name(%q) = %q, want %q", id, got, want)
		}
	}
	for _, id := range []ID{Postfix, Exim, Sendmail, Qmail, Exchange, Proofpoint, Mimecast, Barracuda} {
		if _, ok := Get(id); ok {
			t.Errorf("%q is in the SMTP provider table; mail software IDs must not be", id)
		}
	}
}

func TestParseID(t *testing.T) {
	for _, p := range All() {
		if got, err := ParseID(string(p.ID)); err != nil || got != p.ID {
			t.Errorf("ParseID(%q) = %q, %v", p.ID, got, err)
		}
	}
	for in, want := range map[string]ID{"SES": SES, " sendgrid\t": SendGrid, "Google-Workspace": GoogleWorkspace} {
		if got, err := ParseID(in); err != nil || got != want {
			t.Errorf("ParseID(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "postfix", "amazon", "ses2", "g mail", strings.Repeat("\xff", 300)} {
		got, err := ParseID(in)
		var ue *UnknownIDError
		if err == nil || got != "" || !errors.As(err, &ue) || ue.Value != in {
			t.Errorf("ParseID(%q) = %q, %v; want an *UnknownIDError", in, got, err)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, "sendgrid") || len(msg) > 600 || !utf8.ValidString(msg) {
			t.Errorf("ParseID(%q) error %q: want the known IDs, bounded and valid UTF-8", in, msg)
		}
	}
}

// TestReadOnly checks that nothing a caller does to a returned value
// reaches the table.
func TestReadOnly(t *testing.T) {
	before := All()
	mutate := func(p Provider) {
		for _, s := range [][]string{p.SMTPHosts, p.SPFIncludes, p.DKIMSelectors, p.Unverified} {
			for i := range s {
				s[i] = "changed"
			}
		}
		// Appending to one slice must not overwrite the next.
		_ = append(p.SMTPHosts, "x")
		_ = append(p.SPFIncludes, "x")
		_ = append(p.DKIMSelectors, "x")
	}
	for _, p := range All() {
		mutate(p)
		if q, ok := Get(p.ID); ok {
			mutate(q)
		}
		for _, h := range p.SMTPHosts {
			if q, ok := ByHost(h); ok {
				mutate(q)
			}
		}
	}
	for _, p := range before {
		if q, ok := ByInclude("sendgrid.net"); ok {
			mutate(q)
		}
		r, ok := SenderRulesFor(p.ID)
		if ok {
			for i := range r.DotsIgnoredDomains {
				r.DotsIgnoredDomains[i] = "changed"
			}
		}
	}
	if after := All(); !reflect.DeepEqual(before, after) {
		t.Errorf("the table changed through a returned value:\nbefore %+v\nafter  %+v", before, after)
	}
	if r, _ := SenderRulesFor(Gmail); !slices.Contains(r.DotsIgnoredDomains, "gmail.com") {
		t.Errorf("Gmail's sender rules changed through a returned value: %v", r.DotsIgnoredDomains)
	}
	// Appending to one part of a copy must not overwrite the next part.
	p, _ := Get(Mailgun)
	hosts := append(p.SMTPHosts, "appended")
	if p.SPFIncludes[0] != "mailgun.org" || hosts[len(hosts)-1] != "appended" {
		t.Errorf("append to SMTPHosts reached SPFIncludes: %v", p.SPFIncludes)
	}
}

func TestGetAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _, _ = ByHost("smtp.sendgrid.net:587") }); n > 1 {
		t.Errorf("ByHost allocates %v times per call, want at most 1", n)
	}
}
