package dnscheck

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

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
		if len(a.Records) > maxRecords || len(a.CNAMEs) > maxCNAMEChain {
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
