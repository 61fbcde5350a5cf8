package preflight_test

import (
	"context"
	"fmt"
	"os"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/examples/preflight/preflight"
	"github.com/sendcheck/sendcheck/smtperr/smtptest"
)

// Check a SendGrid account before a campaign: the From is on a domain that
// is not verified at SendGrid and has no SPF, DKIM or DMARC. The loopback
// DNS and SMTP servers stand in for the internet and for SendGrid.
func ExampleRun() {
	zone, err := os.ReadFile("../testdata/sendgrid.zone")
	if err != nil {
		fmt.Println(err)
		return
	}
	dns, err := dnsauthtest.NewServer(string(zone))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer dns.Close()
	resolver, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{dns.Addr()}})
	if err != nil {
		fmt.Println(err)
		return
	}
	sendgrid, err := smtptest.NewServer(&smtptest.Options{
		Domain: "smtp.sendgrid.net",
		TLS:    smtptest.TLSStartTLS,
		Users:  []smtptest.User{{Username: "apikey", Password: "SG.example-key", Senders: []string{"ready.example"}}},
		Reject: smtptest.RejectSendGrid(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sendgrid.Close()

	rep := preflight.Run(context.Background(), &preflight.Config{
		Host: "smtp.sendgrid.net", Connect: sendgrid.Addr(), RootCAs: sendgrid.CertPool(),
		Username: "apikey", Password: "SG.example-key",
		From: "Sales <sales@broken.example>", To: "customer@example.net",
		Verified: []string{"ready.example"}, Send: true, Resolver: resolver,
	})
	fmt.Println(rep.Verdict)
	for _, st := range rep.Stages {
		fmt.Println(st.Name, st.Status)
	}
	fmt.Println(rep.SMTP.FailedStep, rep.SMTP.Explanation.Cause.String())
	// Output:
	// not_ready
	// sender failed
	// domain failed
	// smtp failed
	// data sender_not_verified
}
