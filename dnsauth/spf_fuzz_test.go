package dnsauth

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/miekg/dns"
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
		rec, err := ParseSPF(record)
		if err != nil {
			var zero *SPFRecord
			if rec != zero {
				t.Fatal("record and error both returned")
			}
			return
		}
		s := rec.String()
		again, err := ParseSPF(s)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", s, record, err)
		}
		if again.String() != s {
			t.Fatalf("canonical form not stable: %q then %q", s, again.String())
		}
		if len(again.Terms) != len(rec.Terms) {
			t.Fatalf("terms %d then %d", len(rec.Terms), len(again.Terms))
		}
		LintSPF("example.com", record)
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

// FuzzClientAnswer feeds arbitrary replies to the Client's answer handling:
// whatever a hostile server sends, the answer stays bounded and holds only
// records of the type asked.
func FuzzClientAnswer(f *testing.F) {
	for _, build := range []func() *dns.Msg{
		func() *dns.Msg {
			m := new(dns.Msg)
			m.SetQuestion("example.com.", dns.TypeTXT)
			m.Response = true
			m.Answer = append(m.Answer, &dns.TXT{Hdr: dns.RR_Header{Name: "example.com.", Rrtype: dns.TypeTXT, Class: dns.ClassINET}, Txt: []string{"v=spf1 ", "-all"}})
			return m
		},
		func() *dns.Msg {
			m := new(dns.Msg)
			m.SetQuestion("a.example.", dns.TypeA)
			m.Answer = append(m.Answer,
				&dns.CNAME{Hdr: dns.RR_Header{Name: "a.example.", Rrtype: dns.TypeCNAME, Class: dns.ClassINET}, Target: "b.example."},
				&dns.CNAME{Hdr: dns.RR_Header{Name: "b.example.", Rrtype: dns.TypeCNAME, Class: dns.ClassINET}, Target: "a.example."},
				&dns.A{Hdr: dns.RR_Header{Name: "b.example.", Rrtype: dns.TypeA, Class: dns.ClassINET}, A: []byte{192, 0, 2, 1}})
			return m
		},
	} {
		b, err := build().Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	c := &Client{}
	f.Fuzz(func(t *testing.T, data []byte) {
		m := new(dns.Msg)
		if m.Unpack(data) != nil || len(m.Question) != 1 {
			return
		}
		q := m.Question[0]
		a := c.answer(strings.ToLower(q.Name), q.Qtype, m)
		if len(a.Records) > 512 || len(a.CNAMEs) > 16 {
			t.Fatalf("%d records, %d aliases", len(a.Records), len(a.CNAMEs))
		}
		for _, rr := range a.Records {
			if rr.Header().Rrtype != q.Qtype {
				t.Fatalf("record of type %d kept for a question of type %d", rr.Header().Rrtype, q.Qtype)
			}
		}
		a.TXT()
		a.Addrs()
		a.MX()
		a.PTR()
		a.Target()
	})
}
