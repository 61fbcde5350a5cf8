package dnsauth

import (
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// checklistZone holds setups whose checklist must agree with the findings.
const checklistZone = `
sendgrid.net.             TXT "v=spf1 ip4:167.89.0.0/17 -all"

nokey.example.            A   192.0.2.1
nokey.example.            MX  10 mx.nokey.example.
mx.nokey.example.         A   192.0.2.2
_dmarc.nokey.example.     TXT "v=DMARC1; p=none; rua=mailto:d@nokey.example"

strict.example.           TXT "v=DMARC1"
_dmarc.strict.example.    TXT "v=DMARC1; p=reject; adkim=s; rua=mailto:d@strict.example"
strict.example.           MX  10 mx.strict.example.
mx.strict.example.        A   192.0.2.3
default._domainkey.strict.example. TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxwHnKC5zya5q+Owz2cGTpGDTEnSO6JyVU7hM26sPJAx1JyKOUtzShr4CSOG0+1YflYm3oBs17e3Ik53SpNG+mttyBHRcMKmUCoYlk0YgwxZwYCZmXE/Ok0HriU3VO6WLkIgaQmHyAe" "ugqEpqbN28dCw+DIBckGDnz0YuN5RsPtvfohUbUMMFa0aN9rfjTZlaXJvVDa8DK9+aWGSNNByK8NJbgmQXvNS/3uIqIHetcgS0o5QYHOaR7M2wI1o+yOVYvHUd1oye/XV42m7zzjtNI2igD0blIsCRSbVIFHOIV6aSAEfoMmZV4t8mOXARXBhmS21JMCAVfQ1rN6j3QG" "c5uQIDAQAB"
shop.strict.example.      TXT "v=spf1 ip4:192.0.2.0/24 -all"
shop.strict.example.      MX  10 mx.strict.example.

implicit.example.         A   192.0.2.4
implicit.example.         TXT "v=spf1 ip4:192.0.2.0/24 -all"
default._domainkey.implicit.example. TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAxwHnKC5zya5q+Owz2cGTpGDTEnSO6JyVU7hM26sPJAx1JyKOUtzShr4CSOG0+1YflYm3oBs17e3Ik53SpNG+mttyBHRcMKmUCoYlk0YgwxZwYCZmXE/Ok0HriU3VO6WLkIgaQmHyAe" "ugqEpqbN28dCw+DIBckGDnz0YuN5RsPtvfohUbUMMFa0aN9rfjTZlaXJvVDa8DK9+aWGSNNByK8NJbgmQXvNS/3uIqIHetcgS0o5QYHOaR7M2wI1o+yOVYvHUd1oye/XV42m7zzjtNI2igD0blIsCRSbVIFHOIV6aSAEfoMmZV4t8mOXARXBhmS21JMCAVfQ1rN6j3QG" "c5uQIDAQAB"
_dmarc.implicit.example.  TXT "v=DMARC1; p=reject; rua=mailto:d@implicit.example"
`

func checklistItem(t *testing.T, rep *Report, id string) CheckItem {
	t.Helper()
	for _, it := range rep.Checklist {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("no checklist item %q", id)
	return CheckItem{}
}

// TestChecklistAlignmentAgreesWithFindings checks that the alignment item
// never passes while alignment is unknown or failing, and never claims an
// identifier aligns that the DMARC record's mode says does not.
func TestChecklistAlignmentAgreesWithFindings(t *testing.T) {
	_, c := zonetest.StartZone(t, checklistZone, 2*time.Second)

	// SendGrid without the delegated envelope subdomain and without a DKIM
	// key: neither SPF nor DKIM is known to align.
	rep := mustCheck(t, c, "nokey.example", Options{SMTPHost: "smtp.sendgrid.net"})
	f := zonetest.WantCode(t, rep.Findings, dnscheck.CodeDMARCNotAligned, dnscheck.SeverityWarning)
	it := checklistItem(t, rep, "alignment")
	if it.Status != CheckStatusUnknown || it.Code != dnscheck.CodeDMARCNotAligned || it.Detail != f.Message || it.Fix != f.Fix {
		t.Errorf("sendgrid without key: alignment item %+v, want unknown with the finding %+v", it, f)
	}

	// adkim=s with the key at the parent domain: only SPF aligns, so the
	// item passes, but must not claim DKIM aligns.
	rep = mustCheck(t, c, "shop.strict.example", Options{DKIMDomain: "strict.example", Selectors: []string{"default"}})
	zonetest.WantCode(t, rep.Findings, dnscheck.CodeDMARCNotAligned, dnscheck.SeverityWarning)
	it = checklistItem(t, rep, "alignment")
	if it.Status != CheckStatusPass || strings.Contains(it.Detail, "DKIM") || !strings.Contains(it.Detail, "SPF") {
		t.Errorf("adkim=s: alignment item %+v, want a pass through SPF only", it)
	}

	// The same without SPF authorization (no record at the envelope
	// domain the provider uses): neither aligns, the item fails.
	rep = mustCheck(t, c, "shop.strict.example", Options{DKIMDomain: "strict.example", Selectors: []string{"default"},
		Provider: provider.SendGrid, EnvelopeDomain: "bounce.shop.strict.example"})
	zonetest.WantCode(t, rep.Findings, dnscheck.CodeDMARCNotAligned, dnscheck.SeverityError)
	if it := checklistItem(t, rep, "alignment"); it.Status != CheckStatusFail {
		t.Errorf("nothing aligns: alignment item %+v, want fail", it)
	}
}

// TestChecklistMXDetail checks that the MX item does not claim MX hosts
// the domain does not publish.
func TestChecklistMXDetail(t *testing.T) {
	_, c := zonetest.StartZone(t, checklistZone, 2*time.Second)
	rep := mustCheck(t, c, "implicit.example", Options{Selectors: []string{"default"}})
	f := zonetest.WantCode(t, rep.Findings, dnscheck.CodeMXMissing, dnscheck.SeverityWarning)
	it := checklistItem(t, rep, "mx")
	if strings.Contains(it.Detail, "working MX hosts") || it.Detail != f.Message {
		t.Errorf("implicit MX: item %+v, want the warning's message %q", it, f.Message)
	}
}

// TestChecklistDNSFailures checks that an item whose lookups failed is
// unknown, never pass: the finding lists alone showed the failures.
func TestChecklistDNSFailures(t *testing.T) {
	type fault struct {
		name  string
		qtype uint16
	}
	tests := []struct {
		name   string
		faults []fault
		want   map[string]CheckStatus
	}{
		{"spf and mx servfail", []fault{{"flaky.example", dns.TypeTXT}, {"flaky.example", dns.TypeMX}},
			map[string]CheckStatus{"spf": CheckStatusUnknown, "mx": CheckStatusUnknown, "dkim": CheckStatusPass, "dmarc": CheckStatusPass}},
		{"dkim selector servfail", []fault{{"default._domainkey.flaky.example", dns.TypeTXT}},
			map[string]CheckStatus{"dkim": CheckStatusUnknown, "spf": CheckStatusPass, "mx": CheckStatusPass}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := startZoneFile(t, "problems.zone", 300*time.Millisecond)
			for _, f := range tc.faults {
				srv.SetFault(f.name, f.qtype, dnsauthtest.FaultServFail)
			}
			rep := mustCheck(t, c, "flaky.example", Options{Selectors: []string{"default"}})
			for id, want := range tc.want {
				if it := checklistItem(t, rep, id); it.Status != want {
					t.Errorf("checklist %s = %s (%s %s), want %s", id, it.Status, it.Code, it.Detail, want)
				}
			}
		})
	}
}

// TestReceiverType pins the receivers as a typed enum (STYLE: the type on
// every constant), so RequiredBy cannot hold an arbitrary string.
func TestReceiverType(t *testing.T) {
	var by []Receiver = CheckItem{RequiredBy: []Receiver{ReceiverGmail, ReceiverYahoo, ReceiverOutlook}}.RequiredBy
	if len(by) != 3 || by[2] != "outlook.com" {
		t.Errorf("receivers %v", by)
	}
}

// TestResolveProviderHostPort checks that Options.SMTPHost may carry a
// port, as settings forms show it.
func TestResolveProviderHostPort(t *testing.T) {
	for _, host := range []string{"smtp.sendgrid.net:587", " smtp.sendgrid.net:2525 ", "smtp.sendgrid.net"} {
		if p := resolveProvider("", host); p == nil || p.ID != provider.SendGrid {
			t.Errorf("resolveProvider(%q) = %v, want SendGrid", host, p)
		}
	}
}

// TestCheckTooWeakKeyDoesNotAlign checks that a key verifiers must ignore
// (RSA under 1024 bits, RFC 8301 section 3.2) is not counted as usable:
// DKIM cannot align through it.
func TestCheckTooWeakKeyDoesNotAlign(t *testing.T) {
	_, c := startZoneFile(t, "problems.zone", 2*time.Second)
	rep := mustCheck(t, c, "weak.example", Options{Selectors: []string{"tiny"}})
	zonetest.WantCode(t, rep.Findings, dnscheck.CodeDKIMWeakKey, dnscheck.SeverityError)
	zonetest.WantCode(t, rep.Findings, dnscheck.CodeDKIMMissing, dnscheck.SeverityError)
	if len(rep.DKIM.Usable()) != 0 || rep.Alignment.DKIMRelaxed {
		t.Errorf("768-bit key counted as usable: usable %d, DKIM aligned %v", len(rep.DKIM.Usable()), rep.Alignment.DKIMRelaxed)
	}
	if it := checklistItem(t, rep, "alignment"); strings.Contains(it.Detail, "DKIM (") {
		t.Errorf("alignment item claims DKIM aligns: %s", it.Detail)
	}
}

// TestChecklistForeignEnvelope checks that an envelope domain outside the
// sender's organization, whose SPF the check does not read, is not
// reported as passing SPF.
func TestChecklistForeignEnvelope(t *testing.T) {
	_, c := zonetest.StartZone(t, checklistZone, 2*time.Second)
	rep := mustCheck(t, c, "implicit.example", Options{Selectors: []string{"default"}, EnvelopeDomain: "bounces.elsewhere.example"})
	for _, id := range []string{"spf", "spf_authorizes"} {
		if it := checklistItem(t, rep, id); it.Status == CheckStatusPass {
			t.Errorf("checklist %s passes for an envelope domain nobody checked: %s", id, it.Detail)
		}
	}
}

// TestChecklistNamesEnvelopeDomain checks that the SPF items name the
// envelope domain whose record they judged, not the From domain.
func TestChecklistNamesEnvelopeDomain(t *testing.T) {
	_, c := startZoneFile(t, "healthy.zone", 2*time.Second)
	rep := mustCheck(t, c, "ses.example", Options{SMTPHost: "email-smtp.us-east-1.amazonaws.com",
		EnvelopeDomain: "bounce.ses.example", Selectors: []string{"tok4f2a"}})
	for _, id := range []string{"spf", "spf_authorizes"} {
		if it := checklistItem(t, rep, id); it.Status != CheckStatusPass || !strings.Contains(it.Detail, "bounce.ses.example") {
			t.Errorf("checklist %s = %s %q, want a pass naming bounce.ses.example", id, it.Status, it.Detail)
		}
	}
}
