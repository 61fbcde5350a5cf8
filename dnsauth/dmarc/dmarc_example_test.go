package dmarc_test

import (
	"context"
	"fmt"
	"log"

	"github.com/sendcheck/sendcheck/dnsauth/dmarc"
	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

// The same record under RFC 9989 and RFC 7489: pct is deprecated in the
// first and out of range in the second.
func ExampleParse() {
	const record = "v=DMARC1; p=reject; sp=quarantine; pct=110; rua=mailto:dmarc@example.com"
	for _, mode := range []dmarc.Mode{dmarc.ModeTreeWalk, dmarc.ModePublicSuffix} {
		rec, err := dmarc.Parse(record, mode)
		fmt.Println(mode, rec.Applied(), rec.Subdomain(), err)
		for _, p := range rec.Problems {
			fmt.Println(" ", p.Code, p.Severity, p.Message)
		}
	}
	// Output:
	// rfc9989 reject quarantine <nil>
	//   dmarc.deprecated_tag warning pct was removed by RFC 9989 and is ignored; use t=y for a trial instead
	// rfc7489 reject quarantine dnsauth: DMARC record: pct=110 is not a whole number from 0 to 100
	//   dmarc.syntax error pct=110 is not a whole number from 0 to 100
}

// A subdomain without a record of its own inherits the organizational
// domain's, found by the RFC 9989 tree walk.
func ExampleDiscover() {
	srv, err := dnsauthtest.NewServer(`_dmarc.example.com. TXT "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com"`)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}})
	if err != nil {
		log.Fatal(err)
	}
	res, err := dmarc.Discover(context.Background(), c, "news.mail.example.com", dmarc.ModeTreeWalk)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Queried)
	fmt.Println(res.Name, res.Inherited, res.Policy, res.OrgDomain)
	// Output:
	// [_dmarc.news.mail.example.com _dmarc.mail.example.com _dmarc.example.com _dmarc.com]
	// _dmarc.example.com true quarantine example.com
}
