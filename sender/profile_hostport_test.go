package sender

import (
	"testing"

	"github.com/sendcheck/sendcheck/sender/provider"
)

// TestProfileForHostPort checks that a host pasted with its port (as
// settings forms and URLs show it) still names the provider.
func TestProfileForHostPort(t *testing.T) {
	tests := []struct {
		host string
		want provider.ID
	}{
		{"smtp.sendgrid.net:587", provider.SendGrid},
		{" email-smtp.eu-west-1.amazonaws.com:2587 ", provider.SES},
		{"smtp.gmail.com:465", provider.Gmail},
		{"[2001:db8::1]:25", provider.Generic},
		{"2001:db8::1", provider.Generic},
	}
	for _, tt := range tests {
		if got := ProfileFor(tt.host, "").Provider; got != tt.want {
			t.Errorf("ProfileFor(%q) = %s, want %s", tt.host, got, tt.want)
		}
	}
	r := Check(Config{Host: "smtp.sendgrid.net:587", Username: "apikey", Verified: []string{"example.com"}}, "a@other.example", "")
	if r.Verdict != VerdictRejected {
		t.Errorf("Check through smtp.sendgrid.net:587 = %s/%s, want rejected", r.Verdict, r.Reason)
	}
}
