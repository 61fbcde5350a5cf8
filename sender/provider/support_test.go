package provider

import (
	"strings"
	"testing"
)

func TestMailboxDomains(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range MailboxDomains() {
		if m.Domain != strings.ToLower(m.Domain) || strings.Count(m.Domain, ".") < 1 || seen[m.Domain] {
			t.Errorf("bad or repeated domain %q", m.Domain)
		}
		seen[m.Domain] = true
		switch m.Policy {
		case DMARCReject, DMARCQuarantine, DMARCNone:
		default:
			t.Errorf("%s: policy %q", m.Domain, m.Policy)
		}
		if m.Provider != "" {
			if _, ok := Get(m.Provider); !ok {
				t.Errorf("%s: provider %q not in the table", m.Domain, m.Provider)
			}
		}
		if m.Name == "" || m.PolicyConf == "" {
			t.Errorf("%s: no name or confidence", m.Domain)
		}
	}
	for _, d := range []string{"yahoo.com", "aol.com", "gmail.com", "outlook.com", "hotmail.com", "live.com", "icloud.com", "gmx.de", "web.de", "yandex.ru", "mail.ru"} {
		if !seen[d] {
			t.Errorf("%s missing", d)
		}
	}
	if m, ok := MailboxDomainOf(" Yahoo.COM. "); !ok || m.Policy != DMARCReject {
		t.Errorf("MailboxDomainOf(yahoo.com) = %+v, %v", m, ok)
	}
	if _, ok := MailboxDomainOf("mail.yahoo.com"); ok {
		t.Error("a subdomain counted as a free-mail domain")
	}
	ms := MailboxDomains()
	ms[0].Domain = "changed.example"
	if MailboxDomains()[0].Domain == "changed.example" {
		t.Error("MailboxDomains returned the table itself")
	}
}

func TestSupportAndAuthFacts(t *testing.T) {
	for _, p := range All() {
		s, ok := SupportFor(p.ID)
		if p.ID == Generic || p.ID == Mailchimp {
			continue
		}
		if !ok || !strings.HasPrefix(s.URL, "https://") || s.Logs == "" {
			t.Errorf("%s: support %+v, %v", p.ID, s, ok)
		}
	}
	if _, ok := SupportFor(Generic); ok {
		t.Error("Generic has a support page")
	}
	a, ok := SMTPAuthFor(Microsoft365)
	if !ok || !a.OAuth || len(a.PasswordRefused) < 3 || a.OAuthScope == "" {
		t.Errorf("Microsoft 365 auth facts %+v", a)
	}
	a.PasswordRefused[0] = "changed"
	if b, _ := SMTPAuthFor(Microsoft365); b.PasswordRefused[0] == "changed" {
		t.Error("SMTPAuthFor shares its slice")
	}
}
