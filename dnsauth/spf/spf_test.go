package spf

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

var spfParseGood = []struct {
	record string
	want   string // canonical String()
}{
	{"v=spf1", "v=spf1"},
	{"V=SPF1 -ALL", "v=spf1 -all"},
	{"v=spf1  a  mx -all ", "v=spf1 a mx -all"},
	{"v=spf1 +a:example.com/24//64 ~mx/16 ?ptr:example.org -all", "v=spf1 a:example.com/24//64 ~mx/16 ?ptr:example.org -all"},
	{"v=spf1 ip4:192.0.2.1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ip6:::ffff:1.2.3.4", "v=spf1 ip4:192.0.2.1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ip6:::ffff:1.2.3.4"},
	{"v=spf1 ip4:192.0.2.7/24", "v=spf1 ip4:192.0.2.0/24"},
	{"v=spf1 include:_spf.example.com exists:%{ir}.%{l1r-}.lp._spf.%{d2} -all", "v=spf1 include:_spf.example.com exists:%{ir}.%{l1r-}.lp._spf.%{d2} -all"},
	{"v=spf1 a//64 mx:example.com//0", "v=spf1 a//64 mx:example.com//0"},
	{"v=spf1 redirect=_spf.example.com exp=explain.%{d}", "v=spf1 redirect=_spf.example.com exp=explain.%{d}"},
	{"v=spf1 moo.cow-far_out=man:dog/cat -all", "v=spf1 moo.cow-far_out=man:dog/cat -all"},
	{"v=spf1 Foo=%{c}%{r}%{t} -all", "v=spf1 foo=%{c}%{r}%{t} -all"},
	{"v=spf1 a:macro%%percent%_%_space%-url-space.example.com", "v=spf1 a:macro%%percent%_%_space%-url-space.example.com"},
	{"v=spf1 a:%{H}.bar a:example.com. a:foo.1-2 a:%{d}%-", "v=spf1 a:%{H}.bar a:example.com. a:foo.1-2 a:%{d}%-"},
	{"v=spf1 empty= -all", "v=spf1 empty= -all"},
}

func TestParseSPF(t *testing.T) {
	for _, tt := range spfParseGood {
		rec, err := Parse(tt.record)
		if err != nil {
			t.Errorf("ParseSPF(%q): %v", tt.record, err)
			continue
		}
		if got := rec.String(); got != tt.want {
			t.Errorf("ParseSPF(%q).String() = %q, want %q", tt.record, got, tt.want)
		}
		again, err := Parse(rec.String())
		if err != nil || again.String() != rec.String() {
			t.Errorf("round trip of %q: %v, %v", rec.String(), again, err)
		}
	}
}

func TestParseSPFTerms(t *testing.T) {
	rec, err := Parse("v=spf1 -a:example.com/24//64 ip6:2001:db8::1 redirect=x.example unknown=v -all")
	if err != nil {
		t.Fatal(err)
	}
	a := rec.Terms[0]
	if a.Qualifier != QualifierFail || a.Mechanism != MechanismA || a.Domain != "example.com" || a.CIDR4 != 24 || a.CIDR6 != 64 || a.Pos != 7 || !a.QueriesDNS() {
		t.Errorf("a term = %+v", a)
	}
	if ip6 := rec.Terms[1]; ip6.Prefix != netip.MustParsePrefix("2001:db8::1/128") || ip6.QueriesDNS() {
		t.Errorf("ip6 term = %+v", ip6)
	}
	if rd := rec.Redirect(); rd == nil || rd.Domain != "x.example" || !rd.QueriesDNS() {
		t.Errorf("Redirect() = %+v", rd)
	}
	if rec.Exp() != nil {
		t.Error("Exp() of a record without exp")
	}
	if u := rec.Terms[3]; u.Modifier != "unknown" || u.Domain != "v" {
		t.Errorf("unknown modifier not kept: %+v", u)
	}
	if q := rec.Terms[4].Qualifier.Outcome(); q != ResultFail {
		t.Errorf("-all outcome %s", q)
	}
}

func TestParseSPFErrors(t *testing.T) {
	tests := []struct {
		record string
		term   string
		pos    int
	}{
		{"v=spf1 ip4:1.2.3.4 -all moo", "moo", 24},
		{"v=spf1 a:foo-bar -all", "a:foo-bar", 7},
		{"v=spf1 all.", "all.", 7},
		{"v=spf1 all:x", "all:x", 7},
		{"v=spf1 -all/8", "-all/8", 7},
		{"v=spf1 ptr/24", "ptr/24", 7},
		{"v=spf1 a/33", "a/33", 7},
		{"v=spf1 a//129", "a//129", 7},
		{"v=spf1 a/032", "a/032", 7},
		{"v=spf1 ip4:1.2.3.4/33", "ip4:1.2.3.4/33", 7},
		{"v=spf1 ip4:1.2.3", "ip4:1.2.3", 7},
		{"v=spf1 ip4:1.2.3.4:8080", "ip4:1.2.3.4:8080", 7},
		{"v=spf1 ip4:::1", "ip4:::1", 7},
		{"v=spf1 ip6:1.2.3.4", "ip6:1.2.3.4", 7},
		{"v=spf1 ip6:2001:db8::/129", "ip6:2001:db8::/129", 7},
		{"v=spf1 include", "include", 7},
		{"v=spf1 include:", "include:", 7},
		{"v=spf1 exists:%{x}.example.com", "exists:%{x}.example.com", 7},
		{"v=spf1 exists:%(ir).sbl.example.com", "exists:%(ir).sbl.example.com", 7},
		{"v=spf1 exists:foo%.sbl.example.com", "exists:foo%.sbl.example.com", 7},
		{"v=spf1 exists:%{ir.sbl.example.com", "exists:%{ir.sbl.example.com", 7},
		{"v=spf1 exists:%{i0}.example.com", "exists:%{i0}.example.com", 7},
		{"v=spf1 exists:%{i!}.example.com", "exists:%{i!}.example.com", 7},
		{"v=spf1 a:%{r}.example.com", "a:%{r}.example.com", 7},
		{"v=spf1 exp=%{c}.example.com", "exp=%{c}.example.com", 7},
		{"v=spf1 redirect=a.example redirect=b.example", "redirect=b.example", 26},
		{"v=spf1 exp=a.example exp=b.example", "exp=b.example", 21},
		{"v=spf1 redirect=", "redirect=", 7},
		{"v=spf1 redirect:x.example", "redirect:x.example", 7},
		{"v=spf1 1up=foo", "1up=foo", 7},
		{"v=spf1 =all", "=all", 7},
		{"v=spf1 foo=%abc", "foo=%abc", 7},
		{"v=spf1 -", "-", 7},
		{"v=spf1 a:1.2.3.4", "a:1.2.3.4", 7},
		{"v=spf1 a:example.-com", "a:example.-com", 7},
		{"v=spf1 a:ctrl.example.com\rptr -all", "a:ctrl.example.com\rptr", 7},
		{"v=spf1 \x80a:example.net -all", "\x80a:example.net", 7},
	}
	for _, tt := range tests {
		_, err := Parse(tt.record)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseSPF(%q): err = %v, want *SPFSyntaxError", tt.record, err)
			continue
		}
		if se.Term != tt.term || se.Pos != tt.pos || se.Record != tt.record {
			t.Errorf("ParseSPF(%q): term %q at %d, want %q at %d (%v)", tt.record, se.Term, se.Pos, tt.term, tt.pos, err)
		}
		if !strings.HasPrefix(err.Error(), "dnsauth: spf: ") {
			t.Errorf("error %q lacks the package prefix", err)
		}
	}
	for _, rec := range []string{"", "v=spf10", "spf1", "v=spf1\tall", strings.Repeat("v=spf1 a", 3000)} {
		if _, err := Parse(rec); err == nil {
			t.Errorf("ParseSPF(%.20q...) succeeded", rec)
		}
	}
}

func TestIsSPF(t *testing.T) {
	for s, want := range map[string]bool{
		"v=spf1": true, "V=SpF1 -all": true, "v=spf1 ": true,
		"v=spf10": false, "v=spf1-all": false, "": false, " v=spf1": false, "v=spf2.0/pra": false,
	} {
		if got := IsRecord(s); got != want {
			t.Errorf("IsSPF(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestMacroExpansion(t *testing.T) {
	// RFC 7208 section 7.4.
	env4 := &macroEnv{
		sender: "strong-bad@email.example.com", local: "strong-bad", domainS: "email.example.com",
		domain: "email.example.com", ip: netip.MustParseAddr("192.0.2.3"), helo: "mx.example.org",
		now: 1700000000, ptr: func() string { return "mx.example.org" },
	}
	env6 := *env4
	env6.ip = netip.MustParseAddr("2001:db8::cb01")
	tests := []struct {
		env  *macroEnv
		in   string
		want string
	}{
		{env4, "%{s}", "strong-bad@email.example.com"},
		{env4, "%{o}", "email.example.com"},
		{env4, "%{d}", "email.example.com"},
		{env4, "%{d4}", "email.example.com"},
		{env4, "%{d3}", "email.example.com"},
		{env4, "%{d2}", "example.com"},
		{env4, "%{d1}", "com"},
		{env4, "%{dr}", "com.example.email"},
		{env4, "%{d2r}", "example.email"},
		{env4, "%{l}", "strong-bad"},
		{env4, "%{l-}", "strong.bad"},
		{env4, "%{lr}", "strong-bad"},
		{env4, "%{lr-}", "bad.strong"},
		{env4, "%{l1r-}", "strong"},
		{env4, "%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"},
		{env4, "%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"},
		{env4, "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
		{env4, "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"},
		{env4, "%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"},
		{&env6, "%{ir}.%{v}._spf.%{d2}", "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"},
		{&env6, "%{c}", "2001:db8::cb01"},
		{env4, "%{c} %{r} %{t} %{h} %{p}", "192.0.2.3 unknown 1700000000 mx.example.org mx.example.org"},
		{env4, "%%%_%-", "% %20"},
		{env4, "%{L}", "strong-bad"},
		{env4, "%{S}", "strong-bad%40email.example.com"},
		{env4, "%{l+-}%{d200}", "strong.bademail.example.com"},
	}
	for _, tt := range tests {
		m, reason := parseMacroString(tt.in, macroExplainTx)
		if reason != "" {
			t.Errorf("%q: %s", tt.in, reason)
			continue
		}
		if got := m.expand(tt.env); got != tt.want {
			t.Errorf("expand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := reverseName(netip.MustParseAddr("2001:db8::cb01")); got != "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa." {
		t.Errorf("reverseName = %q", got)
	}
	long := strings.Repeat("abcdefghi.", 30) + "example.com."
	if got := truncateDomain(long); len(got) > 253 || !strings.HasSuffix(got, ".example.com") || strings.HasPrefix(got, ".") {
		t.Errorf("truncateDomain: %q (%d)", got, len(got))
	}
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
