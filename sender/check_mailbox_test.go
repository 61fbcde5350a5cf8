package sender

import (
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/sender/provider"
)

func TestCheckMailboxProviderDomain(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      Config
		from     string
		verdict  Verdict
		reason   Reason
		warnings []WarningCode
	}{
		{
			name:    "yahoo.com through SendGrid, verified there",
			cfg:     Config{Host: "smtp.sendgrid.net", Username: "apikey", Verified: []string{"me@yahoo.com"}},
			from:    "Me <me@yahoo.com>",
			verdict: VerdictUndeliverable, reason: ReasonMailboxProviderDomain,
		},
		{
			name:    "aol.com through Amazon SES",
			cfg:     Config{Host: "email-smtp.us-east-1.amazonaws.com", Username: "AKIAEXAMPLE", Verified: []string{"me@aol.com"}},
			from:    "me@aol.com",
			verdict: VerdictUndeliverable, reason: ReasonMailboxProviderDomain,
		},
		{
			name:    "gmail.com through an unknown server",
			cfg:     Config{Host: "mail.example.net", Username: "me"},
			from:    "me@gmail.com",
			verdict: VerdictUndeliverable, reason: ReasonMailboxProviderDomain,
		},
		{
			name:    "a p=none free-mail domain stays uncertain",
			cfg:     Config{Host: "smtp.sendgrid.net", Username: "apikey", Verified: []string{"me@yandex.ru"}},
			from:    "me@yandex.ru",
			verdict: VerdictUnknown, reason: ReasonMailboxProviderDomain,
		},
		{
			name:    "yahoo.com through Yahoo itself",
			cfg:     Config{Host: "smtp.mail.yahoo.com", Username: "me@yahoo.com"},
			from:    "me@yahoo.com",
			verdict: VerdictAllowed, reason: ReasonMatchedAccount,
		},
		{
			name:    "gmail.com through Gmail",
			cfg:     Config{Host: "smtp.gmail.com", Username: "me@gmail.com"},
			from:    "me@gmail.com",
			verdict: VerdictAllowed, reason: ReasonMatchedAccount,
			warnings: []WarningCode{WarnPasswordRefused},
		},
		{
			name:     "unverified free-mail address keeps the provider's refusal",
			cfg:      Config{Host: "smtp.sendgrid.net", Username: "apikey", Verified: []string{"ops@example.com"}},
			from:     "me@yahoo.com",
			verdict:  VerdictRejected,
			reason:   ReasonNotVerified,
			warnings: []WarningCode{WarnMailboxProviderDomain},
		},
		{
			name:    "a subdomain of a free-mail domain is not free mail",
			cfg:     Config{Host: "smtp.sendgrid.net", Username: "apikey", Verified: []string{"news.yahoo.com"}},
			from:    "a@news.yahoo.com",
			verdict: VerdictAllowed, reason: ReasonMatchedDomain,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Check(tc.cfg, tc.from, "")
			if r.Verdict != tc.verdict || r.Reason != tc.reason {
				t.Fatalf("got %s (%s): %s", r.Verdict, r.Reason, r.Detail)
			}
			if r.Reason == ReasonMailboxProviderDomain {
				if !strings.Contains(r.Suggestion, "Reply-To") || !strings.Contains(r.Suggestion, "your own domain") {
					t.Errorf("suggestion lacks the usual fix: %s", r.Suggestion)
				}
				if !strings.Contains(r.Detail, "DMARC") {
					t.Errorf("detail does not say why: %s", r.Detail)
				}
			}
			for _, w := range tc.warnings {
				found := false
				for _, got := range r.Warnings {
					found = found || got.Code == w
				}
				if !found {
					t.Errorf("no %s warning in %+v", w, r.Warnings)
				}
			}
		})
	}
}

func TestCheckMicrosoft365NeedsOAuth(t *testing.T) {
	r := Check(Config{Host: "smtp.office365.com", Username: "ops@contoso.example"}, "ops@contoso.example", "")
	var msg string
	for _, w := range r.Warnings {
		if w.Code == WarnPasswordRefused {
			msg = w.Message
		}
	}
	for _, want := range []string{"SMTP AUTH is disabled", "security defaults", "5.7.30", "OAuth 2.0", "XOAUTH2"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the password_refused warning lacks %q: %q", want, msg)
		}
	}
	if a, ok := provider.SMTPAuthFor(provider.Microsoft365); !ok || !a.OAuth {
		t.Errorf("Microsoft 365 has no OAuth fact: %+v", a)
	}
	if r := Check(Config{Host: "smtp.sendgrid.net", Username: "apikey", Verified: []string{"example.com"}}, "a@example.com", ""); len(r.Warnings) != 0 {
		t.Errorf("SendGrid: unexpected warnings %+v", r.Warnings)
	}
}
