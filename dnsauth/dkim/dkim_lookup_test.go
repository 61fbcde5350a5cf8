package dkim

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
	"github.com/sendcheck/sendcheck/sender/provider"
)

func TestLookupDKIM(t *testing.T) {
	k2048 := testRSAKey(t, 2048, false)
	k1024 := testRSAKey(t, 1024, false)
	k768 := testRSAKey(t, 768, false)
	zone := fmt.Sprintf(`$ORIGIN example.com.
good._domainkey        TXT "v=DKIM1; k=rsa; p=%s"
s1._domainkey          CNAME s1.domainkey.u1.wl1.sendgrid.example.
mid._domainkey         TXT "v=DKIM1; p=%s"
tiny._domainkey        TXT "v=DKIM1; p=%s"
old._domainkey         TXT "v=DKIM1; p="
test._domainkey        TXT "v=DKIM1; t=y; p=%s"
sha1._domainkey        TXT "v=DKIM1; h=sha1; p=%s"
svc._domainkey         TXT "v=DKIM1; s=tlsrpt; p=%s"
broken._domainkey      TXT "v=DKIM1; k=rsa; p=notbase64!!"
twice._domainkey       TXT "v=DKIM1; p=%s"
twice._domainkey       TXT "v=DKIM1; p=%s"
ed._domainkey          TXT "v=DKIM1; k=ed25519; p=%s"
other._domainkey       TXT "google-site-verification=abc"
$ORIGIN sendgrid.example.
s1.domainkey.u1.wl1    TXT "k=rsa; p=%s"
`, k2048, k1024, k768, k2048, k2048, k2048, k2048, k2048, testEd25519Key, k2048)
	_, c := zonetest.StartZone(t, zone, time.Second)
	sg, _ := provider.Get(provider.SendGrid)
	sels := []string{"good", "mid", "tiny", "old", "test", "sha1", "svc", "broken", "twice", "ed", "other", "absent"}
	res, err := Lookup(context.Background(), lookup.NewSession(context.Background(), c), "Example.COM.", sels, &sg)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]*Selector{}
	for _, s := range res.Selectors {
		by[s.Selector] = s
	}
	check := func(sel string, code dnscheck.Code, sev dnscheck.Severity) {
		t.Helper()
		s := by[sel]
		if s == nil {
			t.Fatalf("selector %s not reported", sel)
		}
		if code == "" {
			if len(s.Findings) != 0 {
				t.Errorf("%s: findings %v", sel, zonetest.Codes(s.Findings))
			}
			return
		}
		zonetest.WantCode(t, s.Findings, code, sev)
	}
	check("good", "", "")
	check("ed", "", "")
	check("mid", dnscheck.CodeDKIMWeakKey, dnscheck.SeverityWarning)
	check("tiny", dnscheck.CodeDKIMWeakKey, dnscheck.SeverityError)
	check("old", dnscheck.CodeDKIMRevoked, dnscheck.SeverityError)
	check("test", dnscheck.CodeDKIMTesting, dnscheck.SeverityWarning)
	check("sha1", dnscheck.CodeDKIMSHA1, dnscheck.SeverityError)
	check("svc", dnscheck.CodeDKIMSyntax, dnscheck.SeverityError)
	check("broken", dnscheck.CodeDKIMSyntax, dnscheck.SeverityError)
	check("twice", dnscheck.CodeDKIMSyntax, dnscheck.SeverityWarning)
	check("absent", "", "")
	check("other", "", "") // a TXT that is not a key
	s1 := by["s1"]
	if s1 == nil || s1.Source != SourceProvider || !s1.Usable() || len(s1.CNAMEs) != 1 || s1.CNAMEs[0] != "s1.domainkey.u1.wl1.sendgrid.example." {
		t.Errorf("s1 via CNAME: %+v", s1)
	}
	if by["good"].Key.Bits != 2048 || by["ed"].Key.KeyType != KeyTypeEd25519 {
		t.Errorf("keys: %+v %+v", by["good"].Key, by["ed"].Key)
	}
	if _, ok := by["default"]; ok {
		t.Error("a common selector with nothing published is reported")
	}
	// The two selectors with no key are one finding, not one each.
	if len(res.Findings) != 1 || res.Findings[0].Code != dnscheck.CodeDKIMMissing ||
		!strings.Contains(res.Findings[0].Message, `selectors "other" and "absent"`) {
		t.Errorf("domain findings %v", res.Findings)
	}
	if res.Tried != len(dkimCandidates(sels, &sg)) {
		t.Errorf("tried %d", res.Tried)
	}
}

func TestLookupDKIMMissing(t *testing.T) {
	k := testRSAKey(t, 2048, false)
	_, c := zonetest.StartZone(t, "example.org. TXT \"v=spf1 -all\"\ndefault._domainkey.example.net. TXT \"v=DKIM1; p="+k+"\"\n", time.Second)
	ctx := context.Background()
	res, err := Lookup(ctx, lookup.NewSession(context.Background(), c), "example.org", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	zonetest.WantCode(t, res.Findings, dnscheck.CodeDKIMMissing, dnscheck.SeverityError)
	if len(res.Selectors) != 0 {
		t.Errorf("selectors %+v", res.Selectors)
	}
	// SES selectors are secret: the finding says to pass them.
	ses, _ := provider.Get(provider.SES)
	res, _ = Lookup(ctx, lookup.NewSession(context.Background(), c), "example.org", nil, &ses)
	if f := zonetest.WantCode(t, res.Findings, dnscheck.CodeDKIMMissing, dnscheck.SeverityError); f.Message == "" || !strings.Contains(f.Message, "cannot be guessed") {
		t.Errorf("SES message %q", f.Message)
	}
	// A key at a common selector but none at the provider's: warning.
	sg, _ := provider.Get(provider.SendGrid)
	res, _ = Lookup(ctx, lookup.NewSession(context.Background(), c), "example.net", nil, &sg)
	zonetest.WantCode(t, res.Findings, dnscheck.CodeDKIMMissing, dnscheck.SeverityWarning)
	if len(res.Usable()) != 1 || res.Usable()[0].Selector != "default" {
		t.Errorf("usable %+v", res.Usable())
	}
}

func TestLookupDKIMFailures(t *testing.T) {
	srv, c := zonetest.StartZone(t, "x._domainkey.example.com. TXT \"v=DKIM1; p=\"\n", 200*time.Millisecond)
	srv.SetFault("x._domainkey.example.com", dns.TypeTXT, dnsauthtest.FaultServFail)
	srv.SetFault("y._domainkey.example.com", dns.TypeTXT, dnsauthtest.FaultDrop)
	srv.SetFault("default._domainkey.example.com", dns.TypeTXT, dnsauthtest.FaultServFail)
	res, err := Lookup(context.Background(), lookup.NewSession(context.Background(), c), "example.com", []string{"x", "y"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all []dnscheck.Finding
	for _, s := range res.Selectors {
		all = append(all, s.Findings...)
	}
	zonetest.WantCode(t, all, dnscheck.CodeDNSServFail, dnscheck.SeverityError)
	zonetest.WantCode(t, all, dnscheck.CodeDNSTimeout, dnscheck.SeverityError)
	zonetest.WantCode(t, all, dnscheck.CodeDNSServFail, dnscheck.SeverityWarning) // the common selector
}

// lookupFollow asks again for a CNAME target the server did not resolve.
func TestLookupFollow(t *testing.T) {
	srv, c := zonetest.StartZone(t, "a.example.com. CNAME b.example.net.\n", time.Second)
	// dnsauthtest answers NXDOMAIN for a target outside its data; a NODATA
	// target (a name with other records) is asked again.
	if err := srv.AddRR("b.example.net. CNAME c.example.org.", "c.example.org. A 192.0.2.1", "c.example.org. TXT \"hello\""); err != nil {
		t.Fatal(err)
	}
	a, err := lookup.Follow(context.Background(), c, "a.example.com", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != dnscheck.StatusOK || len(a.TXT()) != 1 || a.Target() != "c.example.org." || a.Name != "a.example.com." {
		t.Errorf("%+v", a)
	}
}
