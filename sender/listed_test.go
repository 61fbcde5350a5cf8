package sender

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/sender/provider"
)

func TestCheckListed(t *testing.T) {
	api := func(p provider.ID, ids ...ListedIdentity) *IdentityList {
		return &IdentityList{Provider: p, Source: SourceProviderAPI, Identities: ids}
	}
	dom := func(d string, s IdentityStatus) ListedIdentity {
		return ListedIdentity{Identity: d, Kind: KindDomain, Status: s}
	}
	addr := func(a string, s IdentityStatus) ListedIdentity {
		return ListedIdentity{Identity: a, Kind: KindAddress, Status: s}
	}
	ses := Config{Host: "email-smtp.eu-west-1.amazonaws.com", Username: "AKIAIOSFODNN7EXAMPLE"}
	sg := Config{Host: "smtp.sendgrid.net", Username: "apikey"}
	m365 := Config{Host: "smtp.office365.com", Username: "ann@shop.example"}
	with := func(c Config, l *IdentityList, verified ...string) Config {
		c.Listed, c.Verified = l, verified
		return c
	}
	cases := []struct {
		name     string
		cfg      Config
		from     string
		verdict  Verdict
		reason   Reason
		source   IdentitySource
		warnings []WarningCode
	}{
		{"verified domain", with(ses, api(provider.SES, dom("shop.example", StatusVerified))), "orders@shop.example",
			VerdictAllowed, ReasonMatchedDomain, SourceProviderAPI, nil},
		{"verified address", with(sg, api(provider.SendGrid, addr("news@shop.example", StatusVerified))), "news@shop.example",
			VerdictAllowed, ReasonMatchedAddress, SourceProviderAPI, nil},
		{"not listed", with(sg, api(provider.SendGrid, addr("news@shop.example", StatusVerified))), "deals@promo.example",
			VerdictRejected, ReasonNotVerified, SourceProviderAPI, nil},
		{"empty account is a refusal, not unknown", with(sg, api(provider.SendGrid)), "news@shop.example",
			VerdictRejected, ReasonNotVerified, SourceProviderAPI, nil},
		{"pending domain", with(ses, api(provider.SES, dom("promo.example", StatusPending))), "deals@promo.example",
			VerdictRejected, ReasonNotVerified, SourceProviderAPI, []WarningCode{WarnIdentityNotReady}},
		{"failed address", with(sg, api(provider.SendGrid, addr("old@shop.example", StatusFailed))), "old@shop.example",
			VerdictRejected, ReasonNotVerified, SourceProviderAPI, []WarningCode{WarnIdentityNotReady}},
		{"hand list ignored", with(sg, api(provider.SendGrid, addr("news@shop.example", StatusVerified)), "promo.example"), "deals@promo.example",
			VerdictRejected, ReasonNotVerified, SourceProviderAPI, []WarningCode{WarnVerifiedIgnored}},
		{"sandbox", with(ses, &IdentityList{Provider: provider.SES, Source: SourceProviderAPI, Sandbox: true, Identities: []ListedIdentity{dom("shop.example", StatusVerified)}}), "orders@shop.example",
			VerdictAllowed, ReasonMatchedDomain, SourceProviderAPI, []WarningCode{WarnSandbox}},
		{"unreadable list falls back to the hand list", with(sg, &IdentityList{Provider: provider.SendGrid, Source: SourceNone, Notes: []string{"may not read"}}, "shop.example"), "news@shop.example",
			VerdictAllowed, ReasonMatchedDomain, SourceCaller, nil},
		{"unreadable list and nothing else", with(sg, &IdentityList{Provider: provider.SendGrid, Source: SourceNone}), "news@shop.example",
			VerdictUnknown, ReasonNoVerifiedList, SourceNone, nil},
		{"hand list", with(sg, nil, "shop.example"), "news@shop.example",
			VerdictAllowed, ReasonMatchedDomain, SourceCaller, nil},
		{"Graph list is incomplete", with(m365, &IdentityList{Provider: provider.Microsoft365, Source: SourceProviderAPI, Incomplete: true, Notes: []string{"Send As not exposed"},
			Identities: []ListedIdentity{addr("ann@shop.example", StatusVerified)}}), "sales@shop.example",
			VerdictUnknown, ReasonNotAccountIdentity, SourceProviderAPI, []WarningCode{WarnListNote}},
		{"Graph alias", with(m365, &IdentityList{Provider: provider.Microsoft365, Source: SourceProviderAPI, Incomplete: true,
			Identities: []ListedIdentity{addr("ann@shop.example", StatusVerified), addr("ann.alias@shop.example", StatusVerified)}}), "ann.alias@shop.example",
			VerdictAllowed, ReasonMatchedAddress, SourceProviderAPI, []WarningCode{WarnAliasRewrite}},
		{"list of another provider", with(ses, api(provider.SendGrid, dom("shop.example", StatusVerified))), "orders@shop.example",
			VerdictUnknown, ReasonNoVerifiedList, SourceNone, []WarningCode{WarnListMismatch}},
		{"broken listed identity", with(sg, api(provider.SendGrid, addr("not an address@", StatusVerified), addr("news@shop.example", StatusVerified))), "news@shop.example",
			VerdictAllowed, ReasonMatchedAddress, SourceProviderAPI, []WarningCode{WarnInvalidIdentity}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Check(c.cfg, c.from, "")
			if r.Verdict != c.verdict || r.Reason != c.reason || r.IdentitySource != c.source {
				t.Fatalf("got %s/%s from %s, want %s/%s from %s: %s", r.Verdict, r.Reason, r.IdentitySource, c.verdict, c.reason, c.source, r.Detail)
			}
			for _, w := range c.warnings {
				found := false
				for _, got := range r.Warnings {
					found = found || got.Code == w
				}
				if !found {
					t.Errorf("no %s warning in %+v", w, r.Warnings)
				}
			}
			if c.source == SourceProviderAPI && (c.verdict == VerdictAllowed || c.verdict == VerdictRejected) && r.Confidence != provider.ConfidenceDoc && r.Confidence != provider.ConfidenceObs {
				t.Errorf("confidence %s, want doc or obs (high) for a verdict on the provider's list", r.Confidence)
			}
			wantCertainty := CertaintyLow
			if c.verdict == VerdictAllowed || c.verdict == VerdictRejected {
				wantCertainty = CertaintyHigh
			}
			if c.source == SourceProviderAPI && r.Certainty != wantCertainty {
				t.Errorf("certainty %s, want %s for %s on the provider's list", r.Certainty, wantCertainty, r.Verdict)
			}
		})
	}
	// Without any list the source is none.
	if r := Check(Config{Host: "smtp.sendgrid.net"}, "a@shop.example", ""); r.IdentitySource != SourceNone {
		t.Errorf("source %s", r.IdentitySource)
	}
	if r := Check(with(ses, api(provider.SES, dom("promo.example", StatusPending))), "deals@promo.example", ""); !strings.Contains(r.Warnings[0].Message, "pending") {
		t.Errorf("warning %q does not name the status", r.Warnings[0].Message)
	}
}

func TestCheckListedJSON(t *testing.T) {
	cfg := Config{Host: "smtp.sendgrid.net", Listed: &IdentityList{Provider: provider.SendGrid, Source: SourceProviderAPI,
		Identities: []ListedIdentity{{Identity: "shop.example", Kind: KindDomain, Status: StatusVerified}}}}
	b, err := json.Marshal(Check(cfg, "a@shop.example", ""))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"identity_source":"provider_api"`) {
		t.Errorf("JSON lacks the identity source: %s", b)
	}
	l, _ := json.Marshal(cfg.Listed)
	want := `{"provider":"sendgrid","source":"provider_api","identities":[{"identity":"shop.example","kind":"domain","status":"verified"}]}`
	if string(l) != want {
		t.Errorf("list JSON\n%s\nwant\n%s", l, want)
	}
}
