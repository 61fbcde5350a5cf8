package main

// The README's code, compiled and run: each README example is the body of
// a function here, and TestReadmeMirrorsExamples checks that every Go
// block of the README appears, line for line, in this file.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/sendcheck/sendcheck/dnsauth"
	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/smtperr"
)

// checkSender is the README's sender example: may this SES account send
// as this From?
func checkSender() {
	res := sender.Check(sender.Config{
		Host:     "email-smtp.us-east-1.amazonaws.com",
		Username: "AKIAIOSFODNN7EXAMPLE",
		Verified: []string{"shop.example"}, // identities verified at SES
	}, "Promo <deals@promo.example>", "")

	fmt.Println(res.Verdict, res.Reason)
	fmt.Println(res.Suggestion)

	// Gmail does not refuse a From it does not allow: it rewrites it.
	res = sender.Check(sender.Config{
		Host:     "smtp.gmail.com",
		Username: "ops@gmail.com",
	}, "boss@gmail.com", "")
	fmt.Println(res.Verdict, res.Reason)
}

func Example_sender() {
	checkSender()
	// Output:
	// rejected not_verified
	// Verify deals@promo.example or the domain promo.example in the Amazon SES console, Verified identities, in the region of the SMTP endpoint, or send from deals@shop.example.
	// rewritten not_account_identity
}

// explainSendError is the README's smtperr example: what a send handler
// does with the error its SMTP client returned.
func explainSendError(err error) error {
	if err == nil {
		return nil
	}
	e := smtperr.Explain(err)
	fmt.Println(string(e.Cause), e.Provider, e.Party, e.Temporary)
	fmt.Println(e.Summary)
	fmt.Println(e.Action)

	// Or carry the explanation up the stack and match the cause there.
	err = smtperr.Wrap(err)
	if errors.Is(err, smtperr.CauseSenderNotAllowed) {
		fmt.Println("ask the user to pick another From address")
	}
	return err
}

func Example_smtperr() {
	// What go-smtp's client returns when Microsoft 365 refuses the From.
	err := &smtp.SMTPError{
		Code:         554,
		EnhancedCode: smtp.EnhancedCode{5, 2, 252},
		Message:      "SendAsDenied; ops@shop.example not allowed to send as boss@shop.example; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message.",
	}
	_ = explainSendError(fmt.Errorf("sending order mail: %w", err))
	// Output:
	// sender_not_allowed microsoft365 sender_account false
	// Microsoft 365 refused to send as this From address: the signed-in account has no Send As permission for it.
	// Send from the signed-in account's own address, or have a Microsoft 365 admin grant this account Send As permission on the From mailbox (Exchange admin center > Recipients > Mailboxes > Delegation), then send again.
	// ask the user to pick another From address
}

// readiness is the README's dnsauth example: what must change in a
// domain's DNS before it sends through a provider.
func readiness(ctx context.Context, r dnscheck.Resolver) error {
	rep, err := dnsauth.Check(ctx, "promo.example", &dnsauth.Options{
		Resolver: r, // nil: the system's resolvers
		SMTPHost: "email-smtp.us-east-1.amazonaws.com",
	})
	if err != nil {
		return err
	}
	fmt.Println(rep.Domain, "ready:", rep.OK())
	for _, f := range rep.Findings {
		fmt.Println(f.Severity, f.Code)
		if f.Record != "" {
			fmt.Println("  publish:", f.Record)
		}
	}
	return nil
}

func Example_dnsauth() {
	// The demo's zone, served on loopback, stands in for the internet.
	dns, err := dnsauthtest.NewServer(sampleZone)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer dns.Close()
	r, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{dns.Addr()}})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := readiness(context.Background(), r); err != nil {
		fmt.Println(err)
	}
	// Output:
	// promo.example ready: false
	// error dkim.missing
	// error dmarc.not_aligned
	// error spf.include_missing
	// error spf.permissive_all
	//   publish: v=spf1 include:sendgrid.net ~all
	// warning dmarc.deprecated_tag
	//   publish: v=DMARC1; p=none; rua=mailto:dmarc-reports@promo.example
	// warning dmarc.no_rua
	//   publish: v=DMARC1; p=none; rua=mailto:dmarc-reports@promo.example
	// warning dmarc.policy_none
}

// TestReadmeMirrorsExamples checks that each Go block of the README is
// compiled and run here: its lines, trimmed, appear in this file in the
// same order and next to each other.
func TestReadmeMirrorsExamples(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	src := trimmedLines(string(self))
	blocks := goBlocks(string(readme))
	if len(blocks) < 3 {
		t.Fatalf("README has %d Go blocks, want one per package (sender, smtperr, dnsauth)", len(blocks))
	}
	for i, b := range blocks {
		want := trimmedLines(b)
		if !containsRun(src, want) {
			t.Errorf("README Go block %d is not mirrored in readme_test.go:\n%s", i+1, b)
		}
	}
	// The outputs the README shows are the examples' checked outputs.
	outputs := exampleOutputs(string(self))
	if len(outputs) != 3 {
		t.Fatalf("found %d example outputs in readme_test.go, want 3", len(outputs))
	}
	for _, out := range outputs {
		if !strings.Contains(string(readme), "```\n"+out+"\n```") {
			t.Errorf("README does not show this example output as a block:\n%s", out)
		}
	}
}

// exampleOutputs returns the "// Output:" blocks of Go source.
func exampleOutputs(src string) []string {
	var out []string
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "// Output:" {
			continue
		}
		var block []string
		for i++; i < len(lines); i++ {
			l := strings.TrimSpace(lines[i])
			if !strings.HasPrefix(l, "//") {
				break
			}
			block = append(block, strings.TrimPrefix(strings.TrimPrefix(l, "//"), " "))
		}
		out = append(out, strings.Join(block, "\n"))
	}
	return out
}

// goBlocks returns the contents of the ```go fenced blocks of markdown.
func goBlocks(md string) []string {
	var out []string
	var cur []string
	in := false
	for _, line := range strings.Split(md, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```go":
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			out = append(out, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	return out
}

// trimmedLines returns the non-blank lines of s without surrounding space.
func trimmedLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// containsRun reports whether want occurs in lines as a contiguous run.
func containsRun(lines, want []string) bool {
	if len(want) == 0 {
		return true
	}
	for i := 0; i+len(want) <= len(lines); i++ {
		match := true
		for j := range want {
			if lines[i+j] != want[j] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}
