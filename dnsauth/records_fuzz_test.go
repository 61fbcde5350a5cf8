package dnsauth

import (
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

// FuzzCompose: composing published records with findings' records never
// panics, keeps the record kind, and never adds back a term a finding
// removed.
func FuzzCompose(f *testing.F) {
	f.Add("v=spf1 include:a.example ptr +all", "v=spf1 include:b.example ~all", "v=spf1 ptr +all")
	f.Add("v=DMARC1; p=none; pct=50", "v=DMARC1; p=none", "v=DMARC1; p=none; pct=50; rua=mailto:x@example.com")
	f.Add("", "v=spf1 ~all", "v=spf1 include:spf.example -all")
	f.Fuzz(func(t *testing.T, cur, a, b string) {
		finds := []dnscheck.Finding{{Code: dnscheck.CodeSPFSyntax, Record: a}, {Code: dnscheck.CodeSPFNoAll, Record: b}}
		var curs []string
		if cur != "" {
			curs = []string{cur}
		}
		s := composeSPF(curs, finds)
		if !strings.HasPrefix(s.Proposed, "v=spf1") {
			t.Fatalf("SPF proposal %q", s.Proposed)
		}
		d := composeDMARC(curs, finds)
		if d.Proposed != "" && strings.Contains(d.Proposed, ";;") {
			t.Fatalf("DMARC proposal %q", d.Proposed)
		}
	})
}
