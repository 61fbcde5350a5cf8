package dnsauth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dmarc"
	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// startZoneFile serves testdata/report/<name>.
func startZoneFile(tb testing.TB, name string, timeout time.Duration) (*dnsauthtest.Server, *dnscheck.Client) {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "report", name))
	if err != nil {
		tb.Fatal(err)
	}
	return zonetest.StartZone(tb, string(b), timeout)
}

func mustCheck(t *testing.T, r dnscheck.Resolver, domain string, opts Options) *Report {
	t.Helper()
	opts.Resolver = r
	rep, err := Check(context.Background(), domain, &opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func checklistStatus(rep *Report) map[string]CheckStatus {
	m := map[string]CheckStatus{}
	for _, it := range rep.Checklist {
		m[it.ID] = it.Status
	}
	return m
}

func TestCheckHealthy(t *testing.T) {
	_, c := startZoneFile(t, "healthy.zone", 2*time.Second)
	tests := []struct {
		name   string
		domain string
		opts   Options
		// allowed lists finding codes (any severity below error) that the
		// setup legitimately shows.
		allowed []dnscheck.Code
		// unknown lists checklist items that cannot be decided.
		unknown []string
	}{
		{name: "google workspace", domain: "gw.example", opts: Options{SMTPHost: "smtp.gmail.com", Provider: provider.GoogleWorkspace,
			IPs: []netip.Addr{netip.MustParseAddr("209.85.220.41")}}},
		{name: "microsoft 365", domain: "m365.example", opts: Options{SMTPHost: "smtp.office365.com"}},
		{name: "ses custom mail from", domain: "ses.example", opts: Options{SMTPHost: "email-smtp.us-east-1.amazonaws.com",
			EnvelopeDomain: "bounce.ses.example", Selectors: []string{"tok4f2a", "tok9c1b"}}},
		{name: "ses default return path", domain: "ses.example", opts: Options{Provider: provider.SES,
			Selectors: []string{"tok4f2a", "tok9c1b"}}, allowed: []dnscheck.Code{dnscheck.CodeDMARCNotAligned}},
		{name: "sendgrid", domain: "sendgrid.example", opts: Options{SMTPHost: "smtp.sendgrid.net", EnvelopeDomain: "em1234.sendgrid.example"}},
		{name: "sendgrid envelope not given", domain: "sendgrid.example", opts: Options{SMTPHost: "smtp.sendgrid.net"},
			unknown: []string{"spf", "spf_authorizes"}},
		{name: "mailgun", domain: "mailgun.example", opts: Options{SMTPHost: "smtp.mailgun.org", EnvelopeDomain: "mg.mailgun.example",
			DKIMDomain: "mg.mailgun.example"}},
		{name: "own server", domain: "own.example", opts: Options{IPs: []netip.Addr{netip.MustParseAddr("192.0.2.80")}}},
		{name: "own server psl mode", domain: "own.example", opts: Options{IPs: []netip.Addr{netip.MustParseAddr("192.0.2.80")},
			DMARCDiscovery: dmarc.ModePublicSuffix}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustCheck(t, c, tc.domain, tc.opts)
			if !rep.OK() {
				t.Errorf("not OK: %s", strings.Join(zonetest.Codes(rep.Findings), ", "))
			}
			for _, f := range rep.Findings {
				if f.Severity != dnscheck.SeverityInfo && !slices.Contains(tc.allowed, f.Code) {
					t.Errorf("unexpected %s %s at %s: %s", f.Severity, f.Code, f.Name, f.Message)
				}
			}
			for _, it := range rep.Checklist {
				want := CheckStatusPass
				switch {
				case slices.Contains(tc.unknown, it.ID):
					want = CheckStatusUnknown
				case it.ID == "ptr" && len(tc.opts.IPs) == 0:
					want = CheckStatusSkipped
				}
				if it.Status != want {
					t.Errorf("checklist %s = %s, want %s (%s)", it.ID, it.Status, want, it.Detail)
				}
			}
			if rep.Queries == 0 {
				t.Error("no queries counted")
			}
		})
	}
}

// TestCheckProviderAware checks that providers with their own return path
// are not asked for an SPF include on the From domain, and that the report
// says what they need instead.
func TestCheckProviderAware(t *testing.T) {
	_, c := startZoneFile(t, "healthy.zone", 2*time.Second)
	rep := mustCheck(t, c, "ses.example", Options{Provider: provider.SES, Selectors: []string{"tok4f2a"}})
	zonetest.NoCode(t, rep.Findings, dnscheck.CodeSPFProviderMissing)
	if rep.ReturnPath.Source != EnvelopeSourceProvider || rep.ReturnPath.Domain != "amazonses.com" || !strings.Contains(rep.ReturnPath.Setup, "MAIL FROM") {
		t.Errorf("return path %+v", rep.ReturnPath)
	}
	f := zonetest.WantCode(t, rep.Findings, dnscheck.CodeDMARCNotAligned, dnscheck.SeverityInfo)
	if !strings.Contains(f.Fix, "custom MAIL FROM") {
		t.Errorf("fix %q does not say what SES needs", f.Fix)
	}
	rep = mustCheck(t, c, "sendgrid.example", Options{SMTPHost: "smtp.sendgrid.net"})
	zonetest.NoCode(t, rep.Findings, dnscheck.CodeSPFProviderMissing)
	if rep.ReturnPath.Source != EnvelopeSourceDelegated || !strings.Contains(rep.ReturnPath.Setup, "em1234.sendgrid.example") {
		t.Errorf("return path %+v", rep.ReturnPath)
	}
	// The same domain sending through Google Workspace must include it.
	rep = mustCheck(t, c, "sendgrid.example", Options{Provider: provider.GoogleWorkspace})
	f = zonetest.WantCode(t, rep.Findings, dnscheck.CodeSPFProviderMissing, dnscheck.SeverityError)
	if f.Record != "v=spf1 mx include:_spf.google.com -all" {
		t.Errorf("merged record %q", f.Record)
	}
}

// problemCases exercise every finding code the report itself produces.
var problemCases = []struct {
	name   string
	domain string
	opts   Options
	faults func(*dnsauthtest.Server)
	want   []string // "code/severity"
}{
	{name: "nothing published", domain: "bare.example", want: []string{
		"spf.missing/error", "dkim.missing/error", "dmarc.missing/error", "mx.missing/warning"}},
	{name: "nothing at all", domain: "absent.example", want: []string{"dns.nxdomain/error"}},
	{name: "weak", domain: "weak.example", opts: Options{Selectors: []string{"tiny", "mid", "old", "test", "sha1", "broken"}}, want: []string{
		"dkim.weak_key/error", "dkim.weak_key/warning", "dkim.revoked/error", "dkim.testing/warning", "dkim.sha1/error",
		"dkim.syntax/error", "dmarc.policy_none/warning", "dmarc.no_rua/warning", "dmarc.deprecated_tag/warning",
		"spf.permissive_all/error", "mx.null/error"}},
	{name: "duplicates", domain: "multi.example", want: []string{"spf.multiple/error", "dmarc.multiple/error", "mx.missing/error"}},
	{name: "syntax", domain: "syntax.example", want: []string{"dmarc.syntax/error", "dmarc.rua_unauthorized/warning", "spf.include_missing/error"}},
	{name: "provider and IPs", domain: "noinclude.example", opts: Options{SMTPHost: "smtp.gmail.com", Provider: provider.GoogleWorkspace,
		IPs: []netip.Addr{netip.MustParseAddr("198.51.100.51"), netip.MustParseAddr("203.0.113.9"), netip.MustParseAddr("192.0.2.7")}},
		want: []string{"spf.provider_missing/error", "spf.ip_not_permitted/error", "ptr.missing/error", "ptr.mismatch/error"}},
	{name: "ses without dkim", domain: "sesbare.example", opts: Options{SMTPHost: "email-smtp.eu-west-1.amazonaws.com"},
		want: []string{"dkim.missing/error", "dmarc.not_aligned/error"}},
	{name: "lookup budget", domain: "full.example", opts: Options{SMTPHost: "in-v3.mailjet.com"}, want: []string{"spf.provider_missing/warning"}},
	{name: "dns failures", domain: "flaky.example", faults: func(s *dnsauthtest.Server) {
		s.SetFault("_dmarc.flaky.example", dns.TypeTXT, dnsauthtest.FaultServFail)
		s.SetFault("flaky.example", dns.TypeMX, dnsauthtest.FaultDrop)
	}, want: []string{"dns.servfail/error", "dns.timeout/error"}},
}

func TestCheckFindings(t *testing.T) {
	seen := map[dnscheck.Code]bool{}
	for _, tc := range problemCases {
		t.Run(tc.name, func(t *testing.T) {
			timeout := 2 * time.Second
			if tc.faults != nil {
				timeout = 300 * time.Millisecond // a dropped question times out quickly
			}
			srv, c := startZoneFile(t, "problems.zone", timeout)
			if tc.faults != nil {
				tc.faults(srv)
			}
			rep := mustCheck(t, c, tc.domain, tc.opts)
			got := zonetest.Codes(rep.Findings)
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("no %s in %s", w, strings.Join(got, ", "))
				}
			}
			if rep.OK() && rep.Count(dnscheck.SeverityWarning) == 0 {
				t.Error("report clean despite problems")
			}
			for _, f := range rep.Findings {
				seen[f.Code] = true
				if f.Message == "" || f.Severity != dnscheck.SeverityInfo && f.Fix == "" {
					t.Errorf("finding without message or fix: %+v", f)
				}
			}
			for _, it := range rep.Checklist {
				if it.Status == CheckStatusFail && (it.Code == "" || it.Detail == "") {
					t.Errorf("failed checklist item without its finding: %+v", it)
				}
			}
		})
	}
	// Every DKIM, DMARC, MX, PTR and DNS code, and the two SPF codes the
	// report adds, must have come up.
	for _, code := range []dnscheck.Code{dnscheck.CodeDKIMMissing, dnscheck.CodeDKIMRevoked, dnscheck.CodeDKIMWeakKey, dnscheck.CodeDKIMTesting, dnscheck.CodeDKIMSyntax, dnscheck.CodeDKIMSHA1,
		dnscheck.CodeDMARCMissing, dnscheck.CodeDMARCMultiple, dnscheck.CodeDMARCSyntax, dnscheck.CodeDMARCPolicyNone, dnscheck.CodeDMARCNoRUA, dnscheck.CodeDMARCRUAUnauthorized,
		dnscheck.CodeDMARCDeprecatedTag, dnscheck.CodeDMARCNotAligned, dnscheck.CodeMXMissing, dnscheck.CodeMXNull, dnscheck.CodePTRMissing, dnscheck.CodePTRMismatch,
		dnscheck.CodeDNSServFail, dnscheck.CodeDNSTimeout, dnscheck.CodeSPFProviderMissing, dnscheck.CodeSPFIPNotPermitted} {
		if !seen[code] {
			t.Errorf("code %s never produced", code)
		}
	}
}

func TestCheckFixes(t *testing.T) {
	_, c := startZoneFile(t, "problems.zone", 2*time.Second)
	rep := mustCheck(t, c, "noinclude.example", Options{Provider: provider.GoogleWorkspace,
		IPs: []netip.Addr{netip.MustParseAddr("203.0.113.9")}})
	// Both findings are about the SPF record at noinclude.example: each
	// proposes the one record that fixes both, never two rival records.
	const both = "v=spf1 ip4:192.0.2.0/24 ip4:203.0.113.9 include:_spf.google.com -all"
	f := zonetest.WantCode(t, rep.Findings, dnscheck.CodeSPFProviderMissing, dnscheck.SeverityError)
	if f.Record != both || !strings.Contains(f.Fix, "2 of 10") {
		t.Errorf("provider fix %q / %q", f.Fix, f.Record)
	}
	f = zonetest.WantCode(t, rep.Findings, dnscheck.CodeSPFIPNotPermitted, dnscheck.SeverityError)
	if f.Record != both {
		t.Errorf("ip fix %q", f.Record)
	}
	// Over budget: no record, and the fix says why.
	rep = mustCheck(t, c, "full.example", Options{Provider: provider.Mailjet})
	f = zonetest.WantCode(t, rep.Findings, dnscheck.CodeSPFProviderMissing, dnscheck.SeverityWarning)
	if f.Record != "" || !strings.Contains(f.Fix, "over the limit of 10") {
		t.Errorf("budget fix %q / %q", f.Fix, f.Record)
	}
	// Missing records come with the record to publish.
	rep = mustCheck(t, c, "bare.example", Options{Provider: provider.Microsoft365})
	f = zonetest.WantCode(t, rep.Findings, dnscheck.CodeSPFProviderMissing, dnscheck.SeverityError)
	if f.Record != "v=spf1 include:spf.protection.outlook.com ~all" {
		t.Errorf("new record %q", f.Record)
	}
	if f := zonetest.WantCode(t, rep.Findings, dnscheck.CodeDMARCMissing, dnscheck.SeverityError); f.Record != "v=DMARC1; p=none; rua=mailto:dmarc-reports@bare.example" {
		t.Errorf("dmarc record %q", f.Record)
	}
	st := checklistStatus(rep)
	for _, id := range []string{"spf", "spf_authorizes", "dkim", "dmarc", "alignment"} {
		if st[id] != CheckStatusFail {
			t.Errorf("checklist %s = %s", id, st[id])
		}
	}
}

func TestMergeSPFTerm(t *testing.T) {
	tests := []struct{ rec, term, want string }{
		{"v=spf1 mx -all", "include:x", "v=spf1 mx include:x -all"},
		{"v=spf1  a   ~ALL", "ip4:1.2.3.4", "v=spf1 a ip4:1.2.3.4 ~ALL"},
		{"v=spf1 redirect=_spf.example.com", "include:x", "v=spf1 include:x redirect=_spf.example.com"},
		{"v=spf1 mx", "include:x", "v=spf1 mx include:x"},
		{"v=spf1 all", "include:x", "v=spf1 include:x all"},
	}
	for _, tc := range tests {
		if got := mergeSPFTerm(tc.rec, tc.term); got != tc.want {
			t.Errorf("mergeSPFTerm(%q, %q) = %q, want %q", tc.rec, tc.term, got, tc.want)
		}
	}
}

// TestCheckDeterministic runs the same check several times with answers
// arriving in different orders and wants the same JSON each time.
func TestCheckDeterministic(t *testing.T) {
	srv, c := startZoneFile(t, "problems.zone", 2*time.Second)
	opts := Options{Resolver: c, Provider: provider.GoogleWorkspace, Selectors: []string{"tiny", "mid", "old", "test", "sha1", "broken"},
		IPs: []netip.Addr{netip.MustParseAddr("198.51.100.51"), netip.MustParseAddr("203.0.113.9")}}
	var first []byte
	for i := range 4 {
		srv.SetLatency(time.Duration(i%2) * time.Millisecond)
		rep, err := Check(context.Background(), "weak.example", &opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
			continue
		}
		if !bytes.Equal(first, b) {
			t.Fatalf("run %d differs:\n%s\n%s", i, first, b)
		}
	}
	var back map[string]any
	if err := json.Unmarshal(first, &back); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"domain", "spf", "dkim", "dmarc", "alignment", "mx", "ptr", "findings", "checklist", "queries", "return_path"} {
		if _, ok := back[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
}

func TestCheckErrors(t *testing.T) {
	_, c := startZoneFile(t, "problems.zone", 2*time.Second)
	for _, d := range []string{"", "no spaces.example", "com", "a..b.example"} {
		_, err := Check(context.Background(), d, &Options{Resolver: c})
		var de *dnscheck.DomainError
		if !errors.As(err, &de) {
			t.Errorf("Check(%q) error = %v, want *DomainError", d, err)
		}
	}
	if _, err := Check(context.Background(), "bare.example", &Options{Resolver: c, EnvelopeDomain: "bad..name"}); err == nil {
		t.Error("no error for a bad envelope domain")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Check(ctx, "bare.example", &Options{Resolver: c}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled check error = %v", err)
	}
}

func TestCheckIDNAndNonexistent(t *testing.T) {
	_, c := zonetest.StartZone(t, `
xn--bcher-kva.example. TXT "v=spf1 -all"
xn--bcher-kva.example. MX 10 mx.xn--bcher-kva.example.
mx.xn--bcher-kva.example. A 192.0.2.1
shop.xn--bcher-kva.example. A 192.0.2.2
_dmarc.xn--bcher-kva.example. TXT "v=DMARC1; p=quarantine; sp=reject; np=none; rua=mailto:d@xn--bcher-kva.example"
`, 2*time.Second)
	tests := []struct {
		domain, ascii string
		policy        dmarc.Policy
	}{
		{"Bücher.example", "xn--bcher-kva.example", dmarc.PolicyQuarantine},
		{"shop.bücher.example", "shop.xn--bcher-kva.example", dmarc.PolicyReject}, // sp=
		{"gone.bücher.example", "gone.xn--bcher-kva.example", dmarc.PolicyNone},   // np=: the name does not exist
	}
	for _, tc := range tests {
		rep := mustCheck(t, c, tc.domain, Options{})
		if rep.Domain != tc.ascii || rep.DMARC.Policy != tc.policy {
			t.Errorf("Check(%q): domain %q policy %q, want %q %q", tc.domain, rep.Domain, rep.DMARC.Policy, tc.ascii, tc.policy)
		}
	}
}
