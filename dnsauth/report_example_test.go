package dnsauth_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/sendcheck/sendcheck/dnsauth"
	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

// A domain that sends through Google Workspace but has neither Google's SPF
// include nor DKIM: the report gives the record to publish and the
// checklist item each finding decides.
func ExampleCheck() {
	srv, err := dnsauthtest.NewServer(`
_spf.google.com.  TXT "v=spf1 ip4:209.85.128.0/17 ~all"
example.com.      TXT "v=spf1 mx -all"
example.com.      MX 10 mx.example.com.
mx.example.com.   A 192.0.2.10
_dmarc.example.com. TXT "v=DMARC1; p=none; rua=mailto:dmarc@example.com"
`)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}})
	if err != nil {
		log.Fatal(err)
	}
	rep, err := dnsauth.Check(context.Background(), "example.com", &dnsauth.Options{Resolver: c, SMTPHost: "smtp-relay.gmail.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.ProviderName, rep.OK())
	for _, f := range rep.Findings {
		fmt.Println(strings.TrimSpace(fmt.Sprint(f.Severity, " ", f.Code, " ", f.Record)))
	}
	for _, it := range rep.Checklist {
		fmt.Println(strings.TrimSpace(fmt.Sprint(it.ID, " ", it.Status, " ", it.Code)))
	}
	// Output:
	// Google Workspace SMTP relay false
	// error dkim.missing
	// error dmarc.not_aligned
	// error spf.provider_missing v=spf1 mx include:_spf.google.com -all
	// warning dmarc.policy_none
	// spf pass
	// spf_authorizes fail spf.provider_missing
	// dkim fail dkim.missing
	// dmarc pass
	// alignment fail dmarc.not_aligned
	// ptr skipped
	// mx pass
}
