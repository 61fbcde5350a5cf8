package spf

import (
	"net/netip"
	"testing"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
)

const checkZone = `
$ORIGIN example.
top     TXT "v=spf1 include:inc.example redirect=r.example"
inc     TXT "v=spf1 -all"
r       TXT "v=spf1 ip4:192.0.2.1 -all exp=why.example"
why     TXT "%{i} may not send for %{d} as %{l} at %{t} (%{h})"
helo    TXT "v=spf1 a -all"
helo    A   192.0.2.5
v6      TXT "v=spf1 ip6:2001:db8::/32 a:helo.example -all"
`

func TestCheckHostResults(t *testing.T) {
	srv := dnsauthtest.Start(t, checkZone)
	c := zonetest.NewClient(t, srv.Addr())
	now := time.Unix(1700000000, 0)
	tests := []struct {
		ip, domain, sender, helo string
		result                   Result
		term, explanation        string
	}{
		{"192.0.2.1", "top.example", "bob@top.example", "", ResultPass, "ip4:192.0.2.1", ""},
		{"192.0.2.9", "top.example", "bob@top.example", "mx.top.example", ResultFail, "-all",
			"192.0.2.9 may not send for r.example as bob at 1700000000 (mx.top.example)"},
		{"192.0.2.9", "top.example", "@top.example", "", ResultFail, "-all", "192.0.2.9 may not send for r.example as postmaster at 1700000000 ()"},
		{"192.0.2.5", "helo.example", "", "helo.example", ResultPass, "a", ""},
		{"::ffff:192.0.2.5", "helo.example", "", "helo.example", ResultPass, "a", ""},
		{"2001:db8::5", "v6.example", "x@v6.example", "", ResultPass, "ip6:2001:db8::/32", ""},
		{"2001:db9::5", "v6.example", "x@v6.example", "", ResultFail, "-all", "DEFAULT"},
		{"192.0.2.5", "nosuch.example", "", "", ResultNone, "", ""},
		{"192.0.2.5", "localhost", "", "", ResultNone, "", ""},
		{"192.0.2.5", "[192.0.2.5]", "", "", ResultNone, "", ""},
	}
	for _, tt := range tests {
		res := CheckHost(t.Context(), c, mustAddr(tt.ip), tt.domain, tt.sender,
			&Options{HELO: tt.helo, Now: now, DefaultExplanation: "DEFAULT"})
		if res.Result != tt.result || res.Term != tt.term || res.Explanation != tt.explanation {
			t.Errorf("%s %s %q: %s term %q expl %q; want %s %q %q (%s)", tt.ip, tt.domain, tt.sender,
				res.Result, res.Term, res.Explanation, tt.result, tt.term, tt.explanation, res.Detail)
		}
	}
	if res := CheckHost(t.Context(), c, mustAddr("192.0.2.1"), "top.example", "", nil); res.Lookups != 2 || res.Queries < 3 {
		t.Errorf("counts: %d lookups, %d queries", res.Lookups, res.Queries)
	}
	if res := CheckHost(t.Context(), c, netip.Addr{}, "top.example", "", nil); res.Result != ResultPermError {
		t.Errorf("zero address: %s", res.Result)
	}
}
