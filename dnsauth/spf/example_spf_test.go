package spf_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/netip"
	"strings"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/spf"
)

func ExampleParse() {
	rec, err := spf.Parse("v=spf1 +mx include:_spf.example.net ip4:192.0.2.0/24 ~all")
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range rec.Terms {
		fmt.Printf("%c %s %q dns=%v\n", t.Qualifier, t.Mechanism, t.Domain, t.QueriesDNS())
	}
	fmt.Println(rec)

	_, err = spf.Parse("v=spf1 mx ip4:192.0.2.300 -all")
	var se *spf.SyntaxError
	if errors.As(err, &se) {
		fmt.Printf("bad term %q at offset %d: %s\n", se.Term, se.Pos, se.Reason)
	}
	// Output:
	// + mx "" dns=true
	// + include "_spf.example.net" dns=true
	// + ip4 "" dns=false
	// ~ all "" dns=false
	// v=spf1 mx include:_spf.example.net ip4:192.0.2.0/24 ~all
	// bad term "ip4:192.0.2.300" at offset 10: invalid IPv4 address "192.0.2.300"
}

func ExampleCheckHost() {
	srv, err := dnsauthtest.NewServerFromFile("testdata/example.zone")
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, ip := range []string{"192.0.2.25", "172.217.3.4", "203.0.113.9"} {
		res := spf.CheckHost(ctx, c, netip.MustParseAddr(ip), "example.com", "alice@example.com", nil)
		fmt.Printf("%s: %s (term %q, %d lookups)\n", ip, res.Result, res.Term, res.Lookups)
	}
	// Output:
	// 192.0.2.25: pass (term "mx", 1 lookups)
	// 172.217.3.4: pass (term "include:_spf.google.com", 5 lookups)
	// 203.0.113.9: neutral (term "?all", 7 lookups)
}

func ExampleInspect() {
	srv, err := dnsauthtest.NewServerFromFile("testdata/example.zone")
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}})
	if err != nil {
		log.Fatal(err)
	}
	rep := spf.Inspect(context.Background(), c, "example.com")
	fmt.Println("lookups:", rep.Lookups, "providers:", rep.Providers)
	var walk func(n *spf.Node, depth int)
	walk = func(n *spf.Node, depth int) {
		fmt.Printf("%s%s (%d of %d)\n", strings.Repeat("  ", depth), n.Domain, n.Lookups, n.TotalLookups)
		for _, ch := range n.Children {
			walk(ch, depth+1)
		}
	}
	walk(rep.Tree, 0)
	for _, f := range rep.Findings {
		fmt.Println(f.Severity, f.Code, f.Record)
	}
	// Output:
	// lookups: 7 providers: [gmail google-workspace google-relay sendgrid]
	// example.com (4 of 7)
	//   _spf.google.com (3 of 3)
	//     _netblocks.google.com (0 of 0)
	//     _netblocks2.google.com (0 of 0)
	//     _netblocks3.google.com (0 of 0)
	//   sendgrid.net (0 of 0)
	// error spf.permissive_all v=spf1 mx include:_spf.google.com include:sendgrid.net ptr ~all
	// warning spf.ptr
}
