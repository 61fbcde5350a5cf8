package preflight

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/smtptest"
)

const probeToken = "eyJ0eXAiOiJKV1QifQ.eyJzY3AiOiJTTVRQLlNlbmQifQ.c2lnbmVk"

// exchangeLike is a double that offers LOGIN and XOAUTH2 (and
// OAUTHBEARER when bearer is true) and refuses every password with
// refusal, as Exchange Online does with basic authentication off.
func exchangeLike(t *testing.T, refusal smtptest.AuthRefusal, bearer bool) *smtptest.Server {
	mechs := []string{"LOGIN", "XOAUTH2"}
	if bearer {
		mechs = append(mechs, "OAUTHBEARER")
	}
	return smtptest.Start(t, &smtptest.Options{
		Domain: "smtp.office365.com", TLS: smtptest.TLSStartTLS,
		Mechanisms: mechs, BasicAuth: refusal,
		Users: []smtptest.User{{Username: probeUser, Password: probePass, Token: probeToken, Senders: []string{"good.example"}}},
	})
}

func TestProbeBasicAuthRefusedLikeExchange(t *testing.T) {
	for _, refusal := range []smtptest.AuthRefusal{smtptest.RefuseSMTPAuthDisabled(), smtptest.RefuseBasicAuthDisabled(), smtptest.RefuseBasicAuthNotSupported()} {
		t.Run(refusal.Name, func(t *testing.T) {
			s := exchangeLike(t, refusal, false)
			cfg := probeConfig(s, "ops@good.example")
			cfg.Now = func() time.Time { return time.Date(2026, 11, 29, 21, 4, 5, 0, time.FixedZone("CET", 3600)) }
			r := Probe(context.Background(), cfg)
			if r.FailedStep != "auth" || r.Auth != "LOGIN" {
				t.Fatalf("got %s, auth %s: %s", stepNames(r), r.Auth, stepErrors(r))
			}
			if got := strings.Join(r.AuthOffered, " "); got != "LOGIN XOAUTH2" {
				t.Errorf("auth_offered %q", got)
			}
			e := r.Explanation
			if e.Cause != smtperr.CauseAuthMethodRejected {
				t.Errorf("cause %s (%s), want auth_method_rejected", e.Cause, e.Message)
			}
			if e.Code != refusal.Code {
				t.Errorf("code %d, want %d", e.Code, refusal.Code)
			}
			if strings.Contains(refusal.Text, "[") && len(e.Trace) == 0 {
				t.Errorf("no identifiers taken from %q", e.Message)
			}
			for _, want := range []string{
				"Failed step:  AUTH (sign-in)",
				"Provider:     Microsoft 365",
				"Time (UTC):   2026-11-29 20:04:05 UTC",
				"Reply:        " + fmt.Sprintf("%d %d.%d.%d %s", refusal.Code, refusal.EnhancedCode[0], refusal.EnhancedCode[1], refusal.EnhancedCode[2], refusal.Text),
				"Support:      https://admin.exchange.microsoft.com/#/messagetrace",
			} {
				if !strings.Contains(r.SupportSummary, want) {
					t.Errorf("support summary lacks %q:\n%s", want, r.SupportSummary)
				}
			}
			if strings.Contains(refusal.Text, "[") && !strings.Contains(r.SupportSummary, "transaction_id") {
				t.Errorf("support summary without identifiers:\n%s", r.SupportSummary)
			}
			var text strings.Builder
			WriteText(&text, &Report{Verdict: VerdictNotReady, SMTP: r})
			if !strings.Contains(text.String(), "for the provider's support") {
				t.Errorf("the text report does not offer the summary:\n%s", text.String())
			}
			assertNoPassword(t, r)
		})
	}
}

func TestProbeOAuth(t *testing.T) {
	for _, tc := range []struct {
		name   string
		bearer bool
		token  string
		mech   string
		ok     bool
	}{
		{"XOAUTH2 accepted", false, probeToken, "XOAUTH2", true},
		{"OAUTHBEARER preferred and accepted", true, probeToken, "OAUTHBEARER", true},
		{"XOAUTH2 token refused", false, "expired-token-1234567", "XOAUTH2", false},
		{"OAUTHBEARER token refused", true, "expired-token-1234567", "OAUTHBEARER", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := exchangeLike(t, smtptest.RefuseSMTPAuthDisabled(), tc.bearer)
			cfg := probeConfig(s, "ops@good.example")
			cfg.Password, cfg.Token = "", tc.token
			r := Probe(context.Background(), cfg)
			if r.Auth != tc.mech {
				t.Errorf("used %q, want %s", r.Auth, tc.mech)
			}
			if r.OK != tc.ok {
				t.Fatalf("ok %v: %s: %s", r.OK, stepNames(r), stepErrors(r))
			}
			out := mustJSON(t, r)
			if strings.Contains(out, tc.token) {
				t.Errorf("token in output: %s", out)
			}
			if tc.ok {
				if !strings.Contains(out, "AUTH "+tc.mech+" as "+probeUser+" (offered: LOGIN XOAUTH2") {
					t.Errorf("the auth step does not say what was offered and used: %s", out)
				}
				return
			}
			if r.FailedStep != "auth" || r.Explanation.Cause != smtperr.CauseAuthFailed {
				t.Errorf("got %s %+v", stepNames(r), r.Explanation)
			}
			if !strings.Contains(stepErrors(r), "invalid_token") {
				t.Errorf("the OAuth status is not reported: %s", stepErrors(r))
			}
		})
	}
}

func TestProbePasswordOnlyAgainstOAuthOnly(t *testing.T) {
	s := smtptest.Start(t, &smtptest.Options{
		Domain: "smtp.office365.com", TLS: smtptest.TLSStartTLS, Mechanisms: []string{"XOAUTH2"},
		Users: []smtptest.User{{Username: probeUser, Password: probePass, Token: probeToken}},
	})
	r := Probe(context.Background(), probeConfig(s, "ops@good.example"))
	if r.FailedStep != "auth" || r.Explanation.Cause != smtperr.CauseAuthMethodRejected || !strings.Contains(r.Explanation.Message, "OAuth 2.0 access token") {
		t.Fatalf("got %s %+v", stepNames(r), r.Explanation)
	}
}
