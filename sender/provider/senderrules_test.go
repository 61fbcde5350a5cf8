package provider

import (
	"reflect"
	"testing"
)

func TestSenderRulesCoverEveryHost(t *testing.T) {
	for _, p := range All() {
		if len(p.SMTPHosts) == 0 && p.ID != GoogleWorkspace && p.ID != Generic {
			continue
		}
		if _, ok := SenderRulesFor(p.ID); !ok {
			t.Errorf("provider %s has SMTP hosts but no sender rules", p.ID)
		}
	}
	if _, ok := SenderRulesFor("nonesuch"); ok {
		t.Error("rules for an unknown provider")
	}
}

// TestSenderRulesInvariants checks the cross-provider facts of the notes:
// relaxing rules only where a document says so.
func TestSenderRulesInvariants(t *testing.T) {
	for _, p := range All() {
		r, ok := SenderRulesFor(p.ID)
		if !ok {
			continue
		}
		if r.PlusTag && r.PlusTagConf != ConfidenceDoc {
			t.Errorf("%s: +tag accepted on %s evidence; only documented +tag handling may relax", p.ID, r.PlusTagConf)
		}
		if r.Subdomains && r.SubdomainsConf != ConfidenceDoc {
			t.Errorf("%s: subdomain inheritance on %s evidence", p.ID, r.SubdomainsConf)
		}
		if len(r.DotsIgnoredDomains) > 0 && (p.ID != Gmail || !reflect.DeepEqual(r.DotsIgnoredDomains, []string{"gmail.com", "googlemail.com"})) {
			t.Errorf("%s: dots ignored for %v; only Gmail's gmail.com and googlemail.com do that", p.ID, r.DotsIgnoredDomains)
		}
		if r.LocalCaseSensitive != (p.ID == SES) {
			t.Errorf("%s: LocalCaseSensitive = %v", p.ID, r.LocalCaseSensitive)
		}
		if r.Username == UsernameFixed && r.FixedUsername == "" {
			t.Errorf("%s: fixed username form without the literal", p.ID)
		}
		for name, c := range map[string]Confidence{"username": r.UsernameConf, "senders": r.SendersConf,
			"subdomains": r.SubdomainsConf, "case": r.LocalCaseConf, "plus": r.PlusTagConf,
			"mismatch": r.MismatchConf, "judges": r.JudgesConf} {
			switch c {
			case ConfidenceDoc, ConfidenceObs, Confidence3P, ConfidenceUnverified:
			default:
				t.Errorf("%s: %s rule has confidence %q", p.ID, name, c)
			}
		}
		if r.VerifyAt == "" {
			t.Errorf("%s: no VerifyAt", p.ID)
		}
	}
}

func TestSenderRulesFacts(t *testing.T) {
	tests := []struct {
		id    ID
		check func(SenderRules) bool
		what  string
	}{
		{SendGrid, func(r SenderRules) bool { return r.FixedUsername == "apikey" }, "username apikey"},
		{SparkPost, func(r SenderRules) bool { return r.FixedUsername == "SMTP_Injection" && r.Senders == SendersDomain }, "SMTP_Injection, domains only"},
		{SES, func(r SenderRules) bool { return r.Subdomains && r.PlusTag && r.Judges == JudgesBoth }, "subdomains, +tag, both addresses"},
		{Gmail, func(r SenderRules) bool { return r.Mismatch == MismatchRewrite }, "rewrites"},
		{Microsoft365, func(r SenderRules) bool { return r.Mismatch == MismatchReject }, "rejects"},
		{GoogleRelay, func(r SenderRules) bool { return r.Judges == JudgesEnvelope && r.Subdomains }, "judges the envelope"},
		{Mailgun, func(r SenderRules) bool {
			return r.Mismatch == MismatchAccept && r.MismatchConf == ConfidenceUnverified
		}, "accepts (unverified)"},
	}
	for _, tt := range tests {
		r, _ := SenderRulesFor(tt.id)
		if !tt.check(r) {
			t.Errorf("%s: want %s, have %+v", tt.id, tt.what, r)
		}
	}
	if !ConfidenceUnverified.Weaker(ConfidenceDoc) || ConfidenceDoc.Weaker(ConfidenceObs) {
		t.Error("Weaker ordering wrong")
	}
}
