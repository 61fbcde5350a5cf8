package sender

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/sender/provider"
)

func TestCheckCertainty(t *testing.T) {
	ses := Config{Host: "email-smtp.eu-west-1.amazonaws.com", Username: "AKIAIOSFODNN7EXAMPLE"}
	listed := func(c Config, ids ...ListedIdentity) Config {
		c.Listed = &IdentityList{Provider: provider.SES, Source: SourceProviderAPI, Identities: ids}
		return c
	}
	typed := func(c Config, v ...string) Config {
		c.Verified = v
		return c
	}
	shop := ListedIdentity{Identity: "shop.example", Kind: KindDomain, Status: StatusVerified}
	cases := []struct {
		name      string
		cfg       Config
		from      string
		verdict   Verdict
		certainty Certainty
	}{
		{"allowed on the provider's list", listed(ses, shop), "orders@shop.example", VerdictAllowed, CertaintyHigh},
		{"rejected on the provider's list", listed(ses, shop), "orders@other.example", VerdictRejected, CertaintyHigh},
		{"allowed on a typed list", typed(ses, "shop.example"), "orders@shop.example", VerdictAllowed, CertaintyMedium},
		{"rejected on a typed list", typed(ses, "shop.example"), "orders@other.example", VerdictRejected, CertaintyMedium},
		{"no list", ses, "orders@shop.example", VerdictUnknown, CertaintyLow},
		{"malformed From", listed(ses, shop), "orders@@shop", VerdictRejected, CertaintyHigh},
		{"unknown server", Config{Host: "mail.shop.example", Username: "orders@shop.example"}, "orders@shop.example", "", CertaintyLow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Check(c.cfg, c.from, "")
			if c.verdict != "" && r.Verdict != c.verdict {
				t.Fatalf("verdict %s (%s), want %s: %s", r.Verdict, r.Reason, c.verdict, r.Detail)
			}
			if r.Certainty != c.certainty {
				t.Errorf("certainty %s, want %s (verdict %s, confidence %s, identities %s)", r.Certainty, c.certainty, r.Verdict, r.Confidence, r.IdentitySource)
			}
			if r.Confidence == provider.ConfidenceUnverified && r.Certainty != CertaintyLow {
				t.Errorf("certainty %s on an unverified rule", r.Certainty)
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), `"certainty":"`+string(c.certainty)+`"`) {
				t.Errorf("JSON %s lacks the certainty", b)
			}
		})
	}
}
