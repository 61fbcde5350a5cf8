package dnsauthtest_test

import (
	"fmt"
	"log"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
)

// A server from master-file text, asked with a plain miekg/dns client.
func ExampleNewServer() {
	srv, err := dnsauthtest.NewServer(`
$ORIGIN example.net.
@    300 IN MX 10 mail
mail 300 IN A  192.0.2.1
`)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	m := new(dns.Msg)
	m.SetQuestion("example.net.", dns.TypeMX)
	r, _, err := new(dns.Client).Exchange(m, srv.Addr())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(dns.RcodeToString[r.Rcode], r.Answer[0].(*dns.MX).Mx)

	// From now on, MX questions for example.net get SERVFAIL.
	srv.SetFault("example.net", dns.TypeMX, dnsauthtest.FaultServFail)
	r, _, err = (&dns.Client{Timeout: time.Second}).Exchange(m, srv.Addr())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(dns.RcodeToString[r.Rcode], len(srv.Queries()), "queries")
	// Output:
	// NOERROR mail.example.net.
	// SERVFAIL 2 queries
}
