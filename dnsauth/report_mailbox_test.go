package dnsauth

import (
	"strings"
	"testing"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// mailboxZone publishes records shaped like free-mail providers' (the
// policies are set per test case, not copied).
const mailboxZone = `
$ORIGIN .
$TTL 300
yahoo.com.          IN MX 1 mta5.am0.yahoodns.net.
yahoo.com.          IN TXT "v=spf1 redirect=_spf.mail.yahoo.com"
_dmarc.yahoo.com.   IN TXT "v=DMARC1; p=reject; pct=100; rua=mailto:d@rua.agari.com"
gmail.com.          IN MX 5 gmail-smtp-in.l.google.com.
gmail.com.          IN TXT "v=spf1 redirect=_spf.google.com"
_dmarc.gmail.com.   IN TXT "v=DMARC1; p=none; sp=quarantine; rua=mailto:mailauth-reports@google.com"
mail.ru.            IN MX 10 mxs.mail.ru.
`

func TestMailboxDomainFinding(t *testing.T) {
	_, c := zonetest.StartZone(t, mailboxZone, 2*time.Second)
	for _, tc := range []struct {
		name   string
		domain string
		opts   Options
		sev    dnscheck.Severity // "" means no finding
		says   string
	}{
		{"yahoo.com through SendGrid", "yahoo.com", Options{SMTPHost: "smtp.sendgrid.net"}, dnscheck.SeverityError, "publishes p=reject"},
		{"gmail.com through SES, published p=none", "gmail.com", Options{Provider: provider.SES}, dnscheck.SeverityWarning, "the published record wins"},
		{"mail.ru with no record served", "mail.ru", Options{SMTPHost: "smtp.unknown.example"}, dnscheck.SeverityWarning, "could not be read"},
		{"yahoo.com through Yahoo", "yahoo.com", Options{SMTPHost: "smtp.mail.yahoo.com"}, "", ""},
		{"gmail.com through Google Workspace", "gmail.com", Options{Provider: provider.GoogleWorkspace}, "", ""},
		{"no sender given", "yahoo.com", Options{}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := mustCheck(t, c, tc.domain, tc.opts)
			var got *dnscheck.Finding
			for i := range rep.Findings {
				if rep.Findings[i].Code == dnscheck.CodeDMARCMailboxDomain {
					got = &rep.Findings[i]
				}
			}
			if tc.sev == "" {
				if got != nil {
					t.Fatalf("unexpected finding %+v", got)
				}
				return
			}
			if got == nil {
				t.Fatalf("no %s finding in %+v", dnscheck.CodeDMARCMailboxDomain, rep.Findings)
			}
			if got.Severity != tc.sev || !strings.Contains(got.Message, tc.says) || !strings.Contains(got.Fix, "Reply-To") {
				t.Errorf("finding %+v", got)
			}
		})
	}
}
