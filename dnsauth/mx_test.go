package dnsauth

import (
	"context"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
)

const mxZone = `
good.example.     MX 10 mx2.good.example.
good.example.     MX 5 mx1.good.example.
mx1.good.example. A 192.0.2.10
mx2.good.example. AAAA 2001:db8::10
null.example.     MX 0 .
mixed.example.    MX 0 .
mixed.example.    MX 10 mx1.good.example.
implicit.example. A 192.0.2.20
nothing.example.  TXT "v=spf1 -all"
dangling.example. MX 10 gone.dangling.example.
half.example.     MX 10 gone.half.example.
half.example.     MX 20 mx1.good.example.
10.2.0.192.in-addr.arpa. PTR mx1.good.example.
11.2.0.192.in-addr.arpa. PTR wrong.good.example.
wrong.good.example. A 192.0.2.99
0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR mx2.good.example.
`

func TestLookupMX(t *testing.T) {
	srv, c := startZone(t, mxZone, 200*time.Millisecond)
	srv.SetFault("fail.example", dns.TypeMX, dnsauthtest.FaultServFail)
	ctx := context.Background()
	tests := []struct {
		domain string
		code   Code
		sev    Severity
	}{
		{"good.example", "", ""},
		{"null.example", CodeMXNull, SeverityError},
		{"mixed.example", CodeMXNull, SeverityError},
		{"implicit.example", CodeMXMissing, SeverityWarning},
		{"nothing.example", CodeMXMissing, SeverityError},
		{"absent.example", CodeMXMissing, SeverityError},
		{"dangling.example", CodeMXMissing, SeverityError},
		{"half.example", CodeMXMissing, SeverityWarning},
		{"fail.example", CodeDNSServFail, SeverityError},
	}
	for _, tc := range tests {
		t.Run(tc.domain, func(t *testing.T) {
			res, err := LookupMX(ctx, newSession(context.Background(), c), tc.domain)
			if err != nil {
				t.Fatal(err)
			}
			if tc.code == "" {
				if len(res.Findings) != 0 {
					t.Errorf("findings %v", codes(res.Findings))
				}
			} else {
				wantCode(t, res.Findings, tc.code, tc.sev)
			}
		})
	}
	res, _ := LookupMX(ctx, c, "good.example")
	if len(res.Hosts) != 2 || res.Hosts[0].Host != "mx1.good.example" || res.Hosts[1].Addrs[0] != netip.MustParseAddr("2001:db8::10") {
		t.Errorf("hosts %+v", res.Hosts)
	}
	res, _ = LookupMX(ctx, c, "half.example")
	if slices.ContainsFunc(res.Findings, func(f Finding) bool { return f.Severity == SeverityError }) {
		t.Errorf("one usable host of two is not an error: %v", codes(res.Findings))
	}
}

func TestLookupPTR(t *testing.T) {
	srv, c := startZone(t, mxZone, 200*time.Millisecond)
	srv.SetFault("12.2.0.192.in-addr.arpa", dns.TypePTR, dnsauthtest.FaultDrop)
	ctx := context.Background()
	tests := []struct {
		ip   string
		code Code
	}{
		{"192.0.2.10", ""},
		{"2001:db8::10", ""},
		{"::ffff:192.0.2.10", ""},
		{"192.0.2.11", CodePTRMismatch},
		{"192.0.2.13", CodePTRMissing},
		{"192.0.2.12", CodeDNSTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.ip, func(t *testing.T) {
			res, err := LookupPTR(ctx, newSession(context.Background(), c), netip.MustParseAddr(tc.ip))
			if err != nil {
				t.Fatal(err)
			}
			if tc.code == "" {
				if len(res.Findings) != 0 || len(res.Confirmed) != 1 {
					t.Errorf("%+v", res)
				}
				return
			}
			wantCode(t, res.Findings, tc.code, SeverityError)
		})
	}
	if _, err := LookupPTR(ctx, c, netip.Addr{}); err == nil {
		t.Error("no error for the zero address")
	}
}
