package smtperr

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"
)

func TestExplainerOverrides(t *testing.T) {
	x, err := NewExplainer([]Rule{
		{Phrase: "Mailbox cannot be accessed", Cause: CauseAuthFailed, Action: "Check the account's SMTP sign-in."},
		{Phrase: "gateway user", Cause: CauseRecipientUnknown},
		{Phrase: "Service refusé", Cause: CauseBlocked},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in string
		cause    Cause
		basis    Basis
		action   string
	}{
		// The reply of https://github.com/nodemailer/nodemailer/issues/949.
		{"custom rule decides", "Invalid login: 550 Mailbox cannot be accessed [CWXP265CA0023.GBRP265.PROD.OUTLOOK.COM]", CauseAuthFailed, BasisRule, "Check the account's SMTP sign-in."},
		{"custom rule beats the code", "permanent failure 550 'a@example.com' is not a registered gateway user", CauseRecipientUnknown, BasisRule, ""},
		{"folded like the built-in rules", "421 mwinf5c77 ME SERVICE REFUSE. Veuillez essayer plus tard.", CauseBlocked, BasisRule, ""},
		{"word boundary", "550 gateway usernames only", CauseUnknown, BasisNone, ""},
		{"built-in rules still apply", "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown", CauseRecipientUnknown, BasisText, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := x.ExplainReply(tt.in)
			if e.Cause != tt.cause || e.Basis != tt.basis {
				t.Errorf("got %s by %s, want %s by %s", e.Cause, e.Basis, tt.cause, tt.basis)
			}
			if tt.basis == BasisRule && e.Cause != CauseUnknown && e.Confidence != ConfidenceHigh {
				t.Errorf("confidence %s, want high", e.Confidence)
			}
			if tt.action != "" && e.Action != tt.action {
				t.Errorf("action %q, want %q", e.Action, tt.action)
			}
			if tt.action == "" && e.Cause != CauseUnknown && e.Action != e.Cause.Action() && tt.basis == BasisRule {
				t.Errorf("action %q, want the cause's", e.Action)
			}
		})
	}
	// Explain takes the same path for error values.
	if e := x.Explain(&smtp.SMTPError{Code: 550, Message: "Mailbox cannot be accessed"}); e.Cause != CauseAuthFailed || e.Basis != BasisRule {
		t.Errorf("Explain: %s by %s", e.Cause, e.Basis)
	}
	if x.Explain(nil) != nil {
		t.Error("Explain(nil) is not nil")
	}
}

func TestExplainerNilAndZero(t *testing.T) {
	in := "550 5.1.1 <a@example.com>: Recipient address rejected: User unknown"
	want := ExplainReply(in)
	for name, x := range map[string]*Explainer{"nil": nil, "zero": {}} {
		got := x.ExplainReply(in)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s Explainer: %+v, want %+v", name, got, want)
		}
		if x.Rules() != nil && len(x.Rules()) != 0 {
			t.Errorf("%s Explainer has rules", name)
		}
	}
}

func TestNewExplainerRefuses(t *testing.T) {
	tests := []struct {
		name string
		r    Rule
		msg  string
	}{
		{"bad cause", Rule{Phrase: "some phrase", Cause: "not_a_cause"}, "taxonomy"},
		{"short", Rule{Phrase: " a ", Cause: CauseBlocked}, "shorter"},
		{"control", Rule{Phrase: "bad\x1bphrase", Cause: CauseBlocked}, "control"},
		{"long", Rule{Phrase: strings.Repeat("x", 201), Cause: CauseBlocked}, "longer"},
		{"invalid UTF-8", Rule{Phrase: "bad \xff phrase", Cause: CauseBlocked}, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewExplainer([]Rule{{Phrase: "fine phrase", Cause: CauseBlocked}, tt.r})
			var re *RuleError
			if !errors.As(err, &re) || re.Index != 1 || !strings.Contains(re.Msg, tt.msg) {
				t.Fatalf("err = %v, want a RuleError for rule 2 about %q", err, tt.msg)
			}
		})
	}
	if _, err := NewExplainer(make([]Rule, maxRules+1)); err == nil {
		t.Error("more than the maximum number of rules accepted")
	}
}

func TestParseRules(t *testing.T) {
	const file = `# Rules of our CRM.
auth_method_rejected: please sign in with an app code
  summary: The provider wants an app code.
	action: Create an app code in the account's settings.

recipient_unknown: no mailbox: by that name
`
	rules, err := ParseRules(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		{Phrase: "please sign in with an app code", Cause: CauseAuthMethodRejected, Summary: "The provider wants an app code.", Action: "Create an app code in the account's settings."},
		{Phrase: "no mailbox: by that name", Cause: CauseRecipientUnknown},
	}
	if len(rules) != len(want) {
		t.Fatalf("got %d rules, want %d", len(rules), len(want))
	}
	for i := range want {
		if rules[i] != want[i] {
			t.Errorf("rule %d: %+v, want %+v", i, rules[i], want[i])
		}
	}
	bad := []struct {
		name, file string
		line       int
	}{
		{"no colon", "recipient_unknown no colon\n", 1},
		{"summary first", "  summary: nothing before\n", 1},
		{"unknown key", "blocked: some phrase\n  note: what\n", 2},
		{"bad cause", "# c\n\nnot_a_cause: some phrase\n", 3},
		{"short phrase", "blocked: ab\n", 1},
		{"long line", "blocked: " + strings.Repeat("x", maxRuleLine) + "\n", 0},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRules(strings.NewReader(tt.file))
			var re *RuleError
			if !errors.As(err, &re) || re.Line != tt.line {
				t.Errorf("err = %v, want a RuleError at line %d", err, tt.line)
			}
		})
	}
}

// FuzzParseRules checks that any rules text parses or fails with a
// RuleError, and that rules it accepts compile and explain without panic.
func FuzzParseRules(f *testing.F) {
	f.Add("blocked: black ip\n  summary: s\n  action: a\n", "550 black ip.")
	f.Add("# c\nrecipient_unknown: no such user\n", "550 5.1.1 No such user")
	f.Add("auth_failed: Échec de l'authentification\n", "Erreur SMTP : échec de l’authentification.")
	f.Add("unknown: spam\n", "554 spam")
	f.Fuzz(func(t *testing.T, file, reply string) {
		rules, err := ParseRules(strings.NewReader(file))
		if err != nil {
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a RuleError", err)
			}
			return
		}
		x, err := NewExplainer(rules)
		if err != nil {
			t.Fatalf("ParseRules accepted rules NewExplainer refuses: %v", err)
		}
		e := x.ExplainReply(reply)
		if e == nil || !e.Cause.Valid() || e.Confidence.rank() == 0 {
			t.Fatalf("bad explanation %+v", e)
		}
	})
}
