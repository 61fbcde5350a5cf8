package dmarc

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
)

func TestTreeWalkDomains(t *testing.T) {
	tests := []struct {
		domain string
		want   []string
	}{
		{"example.com", []string{"example.com", "com"}},
		{"com", []string{"com"}},
		{"a.b.example.co.uk", []string{"a.b.example.co.uk", "b.example.co.uk", "example.co.uk", "co.uk", "uk"}},
		{"1.2.3.4.5.6.7.8.9.example.com", []string{"1.2.3.4.5.6.7.8.9.example.com",
			"5.6.7.8.9.example.com", "6.7.8.9.example.com", "7.8.9.example.com",
			"8.9.example.com", "9.example.com", "example.com", "com"}},
	}
	for _, tc := range tests {
		got := treeWalkDomains(tc.domain)
		if !slices.Equal(got, tc.want) {
			t.Errorf("treeWalkDomains(%q) = %q, want %q", tc.domain, got, tc.want)
		}
		if len(got) > maxTreeWalk {
			t.Errorf("%d names", len(got))
		}
	}
}

const dmarcZone = `
_dmarc.example.com.          TXT "v=DMARC1; p=reject; sp=quarantine; rua=mailto:agg@example.com,mailto:agg@reports.example.net; ruf=mailto:f@other.example"
example.com._report._dmarc.reports.example.net. TXT "v=DMARC1"
_dmarc.none.example.        TXT "v=DMARC1; p=none"
_dmarc.two.example.         TXT "v=DMARC1; p=none; rua=mailto:a@two.example"
_dmarc.two.example.         TXT "v=DMARC1; p=reject; rua=mailto:a@two.example"
_dmarc.bad.example.         TXT "v=DMARC1; p=bogus; pct=20; rua=mailto:a@bad.example"
_dmarc.ignored.example.     TXT "v=dmarc1; p=reject"
_dmarc.spf.example.         TXT "v=spf1 -all"
_dmarc.psd.example.         TXT "v=DMARC1; p=reject; psd=y"
_dmarc.org.psd.example.     TXT "v=DMARC1; p=quarantine; rua=mailto:d@org.psd.example"
_dmarc.n.psd.example.       TXT "v=DMARC1; p=reject; psd=n; rua=mailto:d@n.psd.example"
_dmarc.sub.n.psd.example.   TXT "v=DMARC1; p=none; rua=mailto:d@n.psd.example"
_dmarc.uk.                  TXT "v=DMARC1; p=none; psd=y; rua=mailto:d@uk"
`

func TestDiscoverDMARC(t *testing.T) {
	_, c := zonetest.StartZone(t, dmarcZone, time.Second)
	ctx := context.Background()
	discover := func(domain string, mode Mode) *Result {
		t.Helper()
		res, err := Discover(ctx, lookup.NewSession(context.Background(), c), domain, mode)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}

	res := discover("mail.shop.example.com", "")
	if res.Name != "_dmarc.example.com" || !res.Inherited || res.Policy != PolicyQuarantine || res.OrgDomain != "example.com" {
		t.Errorf("inherited: %+v", res)
	}
	if !slices.Equal(res.Queried, []string{"_dmarc.mail.shop.example.com", "_dmarc.shop.example.com", "_dmarc.example.com", "_dmarc.com"}) {
		t.Errorf("queried %q", res.Queried)
	}
	// reports.example.net authorized; other.example not.
	if len(res.Reports) != 2 || !res.Reports[0].Authorized || res.Reports[1].Authorized {
		t.Errorf("reports %+v", res.Reports)
	}
	if f := zonetest.WantCode(t, res.Findings, dnscheck.CodeDMARCRUAUnauthorized, dnscheck.SeverityWarning); f.Name != "example.com._report._dmarc.other.example" || f.Record != "v=DMARC1" {
		t.Errorf("finding %+v", f)
	}
	zonetest.NoCode(t, res.Findings, dnscheck.CodeDMARCPolicyNone)

	res = discover("example.com", "")
	if res.Inherited || res.Policy != PolicyReject {
		t.Errorf("own record: %+v", res)
	}

	res = discover("none.example", "")
	zonetest.WantCode(t, res.Findings, dnscheck.CodeDMARCPolicyNone, dnscheck.SeverityWarning)
	if f := zonetest.WantCode(t, res.Findings, dnscheck.CodeDMARCNoRUA, dnscheck.SeverityWarning); f.Record != "v=DMARC1; p=none; rua=mailto:dmarc-reports@none.example" {
		t.Errorf("no_rua record %q", f.Record)
	}

	res = discover("two.example", "")
	zonetest.WantCode(t, res.Findings, dnscheck.CodeDMARCMultiple, dnscheck.SeverityError)
	if res.Record != nil {
		t.Error("a record applies despite two")
	}
	zonetest.NoCode(t, res.Findings, dnscheck.CodeDMARCMissing)

	res = discover("bad.example", "")
	zonetest.WantCode(t, res.Findings, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError)
	if f := zonetest.WantCode(t, res.Findings, dnscheck.CodeDMARCDeprecatedTag, dnscheck.SeverityWarning); f.Record != "v=DMARC1; p=bogus; rua=mailto:a@bad.example" {
		t.Errorf("deprecated fix %q", f.Record)
	}
	if res.Policy != PolicyNone {
		t.Errorf("invalid p with rua applies %q", res.Policy)
	}
	// RFC 7489: pct is valid, nothing deprecated.
	res = discover("bad.example", ModePublicSuffix)
	zonetest.NoCode(t, res.Findings, dnscheck.CodeDMARCDeprecatedTag)

	res = discover("ignored.example", "")
	zonetest.WantCode(t, res.Findings, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError)
	zonetest.WantCode(t, res.Findings, dnscheck.CodeDMARCMissing, dnscheck.SeverityError)

	res = discover("spf.example", "")
	if f := zonetest.WantCode(t, res.Findings, dnscheck.CodeDMARCMissing, dnscheck.SeverityError); !strings.HasPrefix(f.Record, "v=DMARC1; p=none; rua=mailto:") {
		t.Errorf("missing record %q", f.Record)
	}
	zonetest.NoCode(t, res.Findings, dnscheck.CodeDMARCSyntax)

	// psd=y above: the org domain is one label below it.
	res = discover("a.b.org.psd.example", "")
	if res.OrgDomain != "org.psd.example" || res.RecordDomain != "org.psd.example" {
		t.Errorf("psd=y: org %q record %q", res.OrgDomain, res.RecordDomain)
	}
	res = discover("x.y.psd.example", "")
	if res.OrgDomain != "y.psd.example" || res.RecordDomain != "psd.example" || res.Policy != PolicyReject {
		t.Errorf("psd=y policy: %+v", res)
	}
	// psd=n names the org domain even with a record below it.
	res = discover("sub.n.psd.example", "")
	if res.OrgDomain != "n.psd.example" || res.RecordDomain != "sub.n.psd.example" {
		t.Errorf("psd=n: %+v", res)
	}
	// PSL mode: the org domain comes from the list, one or two questions.
	res = discover("a.b.example.co.uk", ModePublicSuffix)
	if res.OrgDomain != "example.co.uk" || len(res.Queried) != 2 {
		t.Errorf("psl: %+v", res)
	}
	// Tree walk reaches the PSD record at uk.
	res = discover("a.b.example.co.uk", "")
	if res.RecordDomain != "uk" || res.OrgDomain != "co.uk" {
		t.Errorf("tree walk to psd: record %q org %q", res.RecordDomain, res.OrgDomain)
	}
}

func TestDiscoverDMARCFailures(t *testing.T) {
	srv, c := zonetest.StartZone(t, dmarcZone, 200*time.Millisecond)
	srv.SetFault("_dmarc.fail.example", dns.TypeTXT, dnsauthtest.FaultServFail)
	srv.SetFault("_dmarc.slow.example", dns.TypeTXT, dnsauthtest.FaultDrop)
	res, err := Discover(context.Background(), lookup.NewSession(context.Background(), c), "fail.example", "")
	if err != nil {
		t.Fatal(err)
	}
	zonetest.WantCode(t, res.Findings, dnscheck.CodeDNSServFail, dnscheck.SeverityError)
	zonetest.NoCode(t, res.Findings, dnscheck.CodeDMARCMissing)
	res, _ = Discover(context.Background(), lookup.NewSession(context.Background(), c), "slow.example", "")
	zonetest.WantCode(t, res.Findings, dnscheck.CodeDNSTimeout, dnscheck.SeverityError)
	if _, err := Discover(context.Background(), c, "bad..name", ""); err == nil {
		t.Error("no error for an invalid domain")
	}
}

func TestCheckAlignment(t *testing.T) {
	_, c := zonetest.StartZone(t, dmarcZone, time.Second)
	ctx := context.Background()
	tests := []struct {
		from, envelope, dkim string
		mode                 Mode
		spfS, spfR           bool
		dkimS, dkimR         bool
	}{
		{"example.com", "bounce.example.com", "example.com", "", false, true, true, true},
		{"example.com", "amazonses.example", "mail.example.com", "", false, false, false, true},
		{"example.com", "example.com", "", "", true, true, false, false},
		// org.psd.example and its sibling under the psd=y PSD do not align.
		{"org.psd.example", "other.psd.example", "a.org.psd.example", "", false, false, false, true},
		{"www.example.co.uk", "bounce.example.co.uk", "", ModePublicSuffix, false, true, false, false},
	}
	for _, tc := range tests {
		res, err := CheckAlignment(ctx, lookup.NewSession(context.Background(), c), tc.from, tc.envelope, tc.dkim, tc.mode)
		if err != nil {
			t.Fatal(err)
		}
		if res.SPFStrict != tc.spfS || res.SPFRelaxed != tc.spfR || res.DKIMStrict != tc.dkimS || res.DKIMRelaxed != tc.dkimR {
			t.Errorf("CheckAlignment(%s, %s, %s) = %+v", tc.from, tc.envelope, tc.dkim, res)
		}
		if res.SPF(AlignmentStrict) != tc.spfS || res.DKIM(AlignmentRelaxed) != tc.dkimR {
			t.Errorf("methods disagree: %+v", res)
		}
	}
}
