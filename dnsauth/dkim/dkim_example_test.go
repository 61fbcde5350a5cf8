package dkim_test

import (
	"context"
	"fmt"
	"log"

	"github.com/sendcheck/sendcheck/dnsauth/dkim"
	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// An Ed25519 key record (RFC 8463) and a revoked RSA key.
func ExampleParseKey() {
	k, err := dkim.ParseKey("v=DKIM1; k=ed25519; t=s; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(k.KeyType, k.Bits, k.Strict(), k.Testing())

	k, err = dkim.ParseKey("v=DKIM1; p=")
	fmt.Println(k.Revoked, err)

	_, err = dkim.ParseKey("v=DKIM1; k=dsa; p=AAAA")
	fmt.Println(err)
	// Output:
	// ed25519 256 true false
	// true <nil>
	// dnsauth: DKIM key record tag k: unknown key type "dsa"
}

// Keys are looked up at the caller's selectors, the provider's and a common
// list, following the CNAMEs providers delegate keys with. Here the key
// behind SendGrid's s1 CNAME is an Ed25519 key published as k=rsa, which
// verifiers cannot use, and s2 is not published.
func ExampleLookup() {
	srv, err := dnsauthtest.NewServer(`
s1._domainkey.example.com.           CNAME s1.domainkey.u1.wl.sendgrid.example.
s1.domainkey.u1.wl.sendgrid.example. TXT "k=rsa; p=MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
`)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}})
	if err != nil {
		log.Fatal(err)
	}
	sg, _ := provider.Get(provider.SendGrid)
	res, err := dkim.Lookup(context.Background(), c, "example.com", nil, &sg)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range res.Selectors {
		fmt.Println(s.Selector, s.Source, s.Status, s.CNAMEs)
		for _, f := range s.Findings {
			fmt.Println(" ", f.Code, f.Severity)
		}
	}
	// Output:
	// s1 provider ok [s1.domainkey.u1.wl.sendgrid.example.]
	//   dkim.syntax error
	// s2 provider nxdomain []
}
