package dnscheck_test

import (
	"context"
	"fmt"
	"log"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

// A Client asking a loopback server; the TXT strings of one record come
// back joined.
func ExampleClient() {
	srv, err := dnsauthtest.NewServer(`example.com. 300 IN TXT "v=spf1 ip4:192.0.2.0/24" " -all"`)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	a, err := c.Lookup(ctx, "example.com", dns.TypeTXT)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Status, a.TXT())
	a, err = c.Lookup(ctx, "www.example.com", dns.TypeA)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Status, a.Status.Void())
	// Output:
	// ok [v=spf1 ip4:192.0.2.0/24 -all]
	// nxdomain true
}
