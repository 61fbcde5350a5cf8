package dnsauth

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth/dmarc"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
	"github.com/sendcheck/sendcheck/dnsauth/spf"
	"github.com/sendcheck/sendcheck/sender/provider"
)

const recordsZone = `
spf.protection.outlook.com. TXT "v=spf1 ip4:40.92.0.0/15 -all"
$ORIGIN pct.example.
@       MX 10 mx
mx      A 192.0.2.25
@       TXT "v=spf1 ip4:192.0.2.25 -all"
_dmarc  TXT "v=DMARC1; p=none; pct=50"
$ORIGIN m365.example.
@       MX 10 mx
mx      A 192.0.2.26
_dmarc  TXT "v=DMARC1; p=reject; rua=mailto:d@m365.example"
$ORIGIN typo.example.
@       MX 10 mx
mx      A 192.0.2.27
@       TXT "v=spf1 include:gone.typo.example ptr +all"
_dmarc  TXT "v=DMARC1; p=rejcet; rua=mailto:reports@typo.example; pct=100"
`

// TestProposedRecords: one record per name and type, with every fix
// applied, the owner's intent kept, and no problem brought back.
func TestProposedRecords(t *testing.T) {
	_, c := zonetest.StartZone(t, recordsZone, 2*time.Second)
	tests := []struct {
		domain string
		opts   Options
		want   map[string]string // name -> proposed record
	}{
		{"pct.example", Options{}, map[string]string{
			"_dmarc.pct.example": "v=DMARC1; p=none; rua=mailto:dmarc-reports@pct.example"}},
		{"m365.example", Options{Provider: provider.Microsoft365}, map[string]string{
			"m365.example": "v=spf1 include:spf.protection.outlook.com ~all"}},
		{"typo.example", Options{}, map[string]string{
			"_dmarc.typo.example": "v=DMARC1; p=reject; rua=mailto:reports@typo.example",
			// ptr stays: only the owner knows which ranges it stood for.
			"typo.example": "v=spf1 ptr ~all"}},
	}
	for _, tc := range tests {
		o := tc.opts
		o.Resolver = c
		rep, err := Check(t.Context(), tc.domain, &o)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, p := range rep.Records {
			key := p.Name + " " + p.Type
			if seen[key] {
				t.Errorf("%s: two proposals for %s", tc.domain, key)
			}
			seen[key] = true
			checkProposal(t, p)
			if want, ok := tc.want[p.Name]; ok && p.Proposed != want {
				t.Errorf("%s: proposed at %s %q, want %q (resolves %v)", tc.domain, p.Name, p.Proposed, want, p.Resolves)
			}
		}
		for name := range tc.want {
			if !seen[name+" TXT"] {
				t.Errorf("%s: no proposal for %s in %+v", tc.domain, name, rep.Records)
			}
		}
	}
}

// TestProposedRecordsBringNoProblemBack checks every proposal of the
// report test zones against the findings it resolves.
func TestProposedRecordsBringNoProblemBack(t *testing.T) {
	_, c := startZoneFile(t, "problems.zone", 2*time.Second)
	n := 0
	for _, d := range []string{"bare.example", "weak.example", "multi.example", "syntax.example", "noinclude.example", "sesbare.example", "full.example"} {
		for _, prov := range []provider.ID{"", provider.GoogleWorkspace, provider.Microsoft365, provider.SendGrid} {
			rep, err := Check(t.Context(), d, &Options{Resolver: c, Provider: prov})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range rep.Records {
				checkProposal(t, p)
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("no proposals to check")
	}
	t.Logf("%d proposals checked", n)
}

// checkProposal fails t when p does not parse or still has a problem of a
// code it claims to resolve.
func checkProposal(t *testing.T, p ProposedRecord) {
	t.Helper()
	switch recordKind(p.Name, p.Proposed) {
	case "spf":
		if _, err := spf.Parse(p.Proposed); err != nil {
			t.Errorf("%s: proposed SPF %q does not parse: %v", p.Name, p.Proposed, err)
		}
		for _, f := range spf.Lint(p.Name, p.Proposed) {
			if slices.Contains(p.Resolves, f.Code) || f.Severity == dnscheck.SeverityError {
				t.Errorf("%s: proposed SPF %q still has %s", p.Name, p.Proposed, f.Code)
			}
		}
	case "dmarc-report":
		if p.Proposed != "v=DMARC1" {
			t.Errorf("%s: report authorization %q", p.Name, p.Proposed)
		}
	case "dmarc":
		rec, err := dmarc.Parse(p.Proposed, "")
		if err != nil || !rec.Valid() {
			t.Errorf("%s: proposed DMARC %q is not valid: %v", p.Name, p.Proposed, err)
			return
		}
		if slices.Contains(p.Resolves, dnscheck.CodeDMARCNoRUA) && len(rec.RUA) == 0 {
			t.Errorf("%s: proposed DMARC %q has no rua", p.Name, p.Proposed)
		}
		for _, tag := range []string{"pct=", "rf=", "ri="} {
			if slices.Contains(p.Resolves, dnscheck.CodeDMARCDeprecatedTag) && strings.Contains(p.Proposed, tag) {
				t.Errorf("%s: proposed DMARC %q keeps %s", p.Name, p.Proposed, tag)
			}
		}
	default:
		t.Errorf("%s: proposal %q of no known kind", p.Name, p.Proposed)
	}
}
