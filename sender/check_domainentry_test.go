package sender

import (
	"strings"
	"testing"
)

// TestCheckDomainProviderAddressEntry checks that at a provider that
// verifies only domains, an address given as verified stands for its
// domain, and the result says the domain matched, not another address.
func TestCheckDomainProviderAddressEntry(t *testing.T) {
	r := Check(Config{Host: "smtp.sparkpostmail.com", Username: "SMTP_Injection", Verified: []string{"a@example.com"}}, "b@example.com", "")
	if r.Verdict != VerdictAllowed || r.Reason != ReasonMatchedDomain || r.Matched != "example.com" {
		t.Errorf("got %s/%s matched %q (%s), want allowed/matched_domain matched example.com", r.Verdict, r.Reason, r.Matched, r.Detail)
	}
	if strings.Contains(r.Detail, "a@example.com") {
		t.Errorf("detail %q names another address as the match", r.Detail)
	}
}
