package spf

import (
	"net/netip"
	"strings"
	"testing"
)

func FuzzParseSPF(f *testing.F) {
	for _, tt := range spfParseGood {
		f.Add(tt.record)
	}
	for _, s := range []string{
		"v=spf1 a:%{H}.bar -all", "v=spf1 exists:%{i0}.x", "v=spf1 a/24//64", "v=spf1 ip6:::ffff:1.2.3.4/128",
		"v=spf1 redirect=a.example redirect=b.example", "v=spf1 foo=%abc", "v=spf1 a:%{d}%-", "v=spf1 -a:x.y./0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, record string) {
		rec, err := Parse(record)
		if err != nil {
			var zero *Record
			if rec != zero {
				t.Fatal("record and error both returned")
			}
			return
		}
		s := rec.String()
		again, err := Parse(s)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", s, record, err)
		}
		if again.String() != s {
			t.Fatalf("canonical form not stable: %q then %q", s, again.String())
		}
		if len(again.Terms) != len(rec.Terms) {
			t.Fatalf("terms %d then %d", len(rec.Terms), len(again.Terms))
		}
		Lint("example.com", record)
	})
}

func FuzzMacroExpand(f *testing.F) {
	for _, s := range []string{
		"%{s}", "%{ir}.%{v}._spf.%{d2}", "%{l1r-}", "%{L}%{S}%{O}", "%%%_%-", "%{d200r+-.,/_=}", "%{p}", "%{c} %{r} %{t}",
		"%{", "%{x}", "%", "plain.example.com", "%{i0}", "%{d999999999999999999999}",
	} {
		f.Add(s, "strong-bad@email.example.com", "192.0.2.3")
	}
	f.Add("%{ir}", "a@b", "2001:db8::1")
	f.Fuzz(func(t *testing.T, macro, sender, ipText string) {
		ip, err := netip.ParseAddr(ipText)
		if err != nil {
			ip = netip.MustParseAddr("192.0.2.3")
		}
		local, domain, _ := strings.Cut(sender, "@")
		env := &macroEnv{sender: sender, local: local, domainS: domain, domain: domain, ip: ip.Unmap(), helo: domain,
			ptr: func() string { return "unknown" }}
		for _, ctx := range []macroContext{macroDomain, macroAllowExp, macroExplainTx} {
			m, reason := parseMacroString(macro, ctx)
			if reason != "" {
				continue
			}
			out := m.expand(env)
			// Each expansion is bounded by the size of its inputs.
			if limit := (len(macro) + 1) * (3*(len(sender)+64) + 3); len(out) > limit {
				t.Fatalf("expansion of %q is %d bytes", macro, len(out))
			}
			if ctx == macroDomain {
				if !m.hasSenderMacros() {
					// Without sender macros the expansion must not
					// depend on the sender or the client.
					other := &macroEnv{sender: "x@y", local: "x", domainS: "y", domain: domain,
						ip: netip.MustParseAddr("2001:db8::1"), helo: "h", ptr: func() string { return "p" }}
					if o := m.expand(other); o != out {
						t.Fatalf("%q: %q with one sender, %q with another", macro, out, o)
					}
				}
				d := truncateDomain(out)
				if len(d) > 253 && strings.Contains(d, ".") {
					t.Fatalf("truncateDomain left %d bytes", len(d))
				}
			}
		}
		parseDomainSpec(macro)
	})
}
