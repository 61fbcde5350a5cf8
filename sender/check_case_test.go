package sender

import (
	"strings"
	"testing"
)

// TestCheckSESAddressCase follows Amazon SES's documented example: with
// sender@example.com verified, sender@EXAMPLE.com may not send, because
// email identities are compared case-sensitively as a whole; domain
// identities are case-insensitive.
func TestCheckSESAddressCase(t *testing.T) {
	ses := "email-smtp.us-east-1.amazonaws.com"
	tests := []struct {
		name     string
		verified string
		from     string
		verdict  Verdict
		reason   Reason
	}{
		{"domain part in other case", "sender@example.com", "sender@EXAMPLE.com", VerdictRejected, ReasonCaseMismatch},
		{"verified in other case", "sender@EXAMPLE.com", "sender@example.com", VerdictRejected, ReasonCaseMismatch},
		{"same case", "sender@EXAMPLE.com", "sender@EXAMPLE.com", VerdictAllowed, ReasonMatchedAddress},
		{"plus tag, domain in other case", "sender@example.com", "sender+tag@Example.com", VerdictRejected, ReasonCaseMismatch},
		{"domain identity", "example.com", "sender@EXAMPLE.COM", VerdictAllowed, ReasonMatchedDomain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Check(Config{Host: ses, Verified: []string{tt.verified}}, tt.from, "")
			if r.Verdict != tt.verdict || r.Reason != tt.reason {
				t.Errorf("Check(%q, verified %q) = %s/%s (%s), want %s/%s", tt.from, tt.verified, r.Verdict, r.Reason, r.Detail, tt.verdict, tt.reason)
			}
			if r.Reason == ReasonCaseMismatch && !strings.Contains(r.Detail, tt.from) {
				t.Errorf("detail %q does not show the From as written (%s)", r.Detail, tt.from)
			}
		})
	}
	// Elsewhere the domain's case never matters.
	r := Check(Config{Host: "smtp.postmarkapp.com", Verified: []string{"sender@example.com"}}, "sender@EXAMPLE.com", "")
	if r.Verdict != VerdictAllowed {
		t.Errorf("Postmark, domain in other case: %s/%s", r.Verdict, r.Reason)
	}
}
