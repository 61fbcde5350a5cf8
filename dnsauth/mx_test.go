package dnsauth

import (
	"context"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
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
	srv, c := zonetest.StartZone(t, mxZone, 200*time.Millisecond)
	srv.SetFault("fail.example", dns.TypeMX, dnsauthtest.FaultServFail)
	ctx := context.Background()
	tests := []struct {
		domain string
		code   dnscheck.Code
		sev    dnscheck.Severity
	}{
		{"good.example", "", ""},
		{"null.example", dnscheck.CodeMXNull, dnscheck.SeverityError},
		{"mixed.example", dnscheck.CodeMXNull, dnscheck.SeverityError},
		{"implicit.example", dnscheck.CodeMXMissing, dnscheck.SeverityWarning},
		{"nothing.example", dnscheck.CodeMXMissing, dnscheck.SeverityError},
		{"absent.example", dnscheck.CodeMXMissing, dnscheck.SeverityError},
		{"dangling.example", dnscheck.CodeMXMissing, dnscheck.SeverityError},
		{"half.example", dnscheck.CodeMXMissing, dnscheck.SeverityWarning},
		{"fail.example", dnscheck.CodeDNSServFail, dnscheck.SeverityError},
	}
	for _, tc := range tests {
		t.Run(tc.domain, func(t *testing.T) {
			res, err := LookupMX(ctx, lookup.NewSession(context.Background(), c), tc.domain)
			if err != nil {
				t.Fatal(err)
			}
			if tc.code == "" {
				if len(res.Findings) != 0 {
					t.Errorf("findings %v", zonetest.Codes(res.Findings))
				}
			} else {
				zonetest.WantCode(t, res.Findings, tc.code, tc.sev)
			}
		})
	}
	res, _ := LookupMX(ctx, c, "good.example")
	if len(res.Hosts) != 2 || res.Hosts[0].Host != "mx1.good.example" || res.Hosts[1].Addrs[0] != netip.MustParseAddr("2001:db8::10") {
		t.Errorf("hosts %+v", res.Hosts)
	}
	res, _ = LookupMX(ctx, c, "half.example")
	if slices.ContainsFunc(res.Findings, func(f dnscheck.Finding) bool { return f.Severity == dnscheck.SeverityError }) {
		t.Errorf("one usable host of two is not an error: %v", zonetest.Codes(res.Findings))
	}
}

func TestLookupPTR(t *testing.T) {
	srv, c := zonetest.StartZone(t, mxZone, 200*time.Millisecond)
	srv.SetFault("12.2.0.192.in-addr.arpa", dns.TypePTR, dnsauthtest.FaultDrop)
	ctx := context.Background()
	tests := []struct {
		ip   string
		code dnscheck.Code
	}{
		{"192.0.2.10", ""},
		{"2001:db8::10", ""},
		{"::ffff:192.0.2.10", ""},
		{"192.0.2.11", dnscheck.CodePTRMismatch},
		{"192.0.2.13", dnscheck.CodePTRMissing},
		{"192.0.2.12", dnscheck.CodeDNSTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.ip, func(t *testing.T) {
			res, err := LookupPTR(ctx, lookup.NewSession(context.Background(), c), netip.MustParseAddr(tc.ip))
			if err != nil {
				t.Fatal(err)
			}
			if tc.code == "" {
				if len(res.Findings) != 0 || len(res.Confirmed) != 1 {
					t.Errorf("%+v", res)
				}
				return
			}
			zonetest.WantCode(t, res.Findings, tc.code, dnscheck.SeverityError)
		})
	}
	if _, err := LookupPTR(ctx, c, netip.Addr{}); err == nil {
		t.Error("no error for the zero address")
	}
}
