package smtptest

import (
	"errors"
	"net/textproto"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/sendcheck/sendcheck/sender/provider"
	"github.com/sendcheck/sendcheck/smtperr"
)

// TestProviderRejectionsExplained proves the whole path: a real provider's
// refusal, written by a go-smtp server, read by the go-smtp client and by
// net/smtp, is explained by smtperr with the right cause, provider and
// party.
func TestProviderRejectionsExplained(t *testing.T) {
	const unverified = "boss@unverified.example"
	for _, tc := range []struct {
		preset   Rejection
		cause    smtperr.Cause
		provider provider.ID
	}{
		{RejectSES(), smtperr.CauseSenderNotVerified, provider.SES},
		{RejectSendGrid(), smtperr.CauseSenderNotVerified, provider.SendGrid},
		{RejectMicrosoft365(), smtperr.CauseSenderNotAllowed, provider.Microsoft365},
		{RejectPostfixMismatch(), smtperr.CauseSenderNotAllowed, ""},
	} {
		t.Run(tc.preset.Name, func(t *testing.T) {
			s := Start(t, &Options{Users: testUsers(), Reject: tc.preset, TLS: TLSStartTLS})
			check := func(client string, err error) {
				t.Helper()
				if err == nil {
					t.Fatalf("%s: unverified sender accepted", client)
				}
				e := smtperr.Explain(err)
				if e.Cause != tc.cause {
					t.Errorf("%s: cause = %s, want %s (%s)", client, e.Cause, tc.cause, e)
				}
				if tc.provider != "" && e.Provider != tc.provider {
					t.Errorf("%s: provider = %q, want %q", client, e.Provider, tc.provider)
				}
				if e.Code != tc.preset.Code {
					t.Errorf("%s: code = %d, want %d", client, e.Code, tc.preset.Code)
				}
				if e.Party != smtperr.PartySenderAccount {
					t.Errorf("%s: party = %s, want %s", client, e.Party, smtperr.PartySenderAccount)
				}
				if e.Temporary {
					t.Errorf("%s: a permanent refusal explained as temporary", client)
				}
			}

			err := sendGoSMTP(t, s, sasl.NewPlainClient("", testUser, testPass), unverified, unverified)
			var se *smtp.SMTPError
			if !errors.As(err, &se) {
				t.Fatalf("go-smtp returned %T, want *smtp.SMTPError", err)
			}
			check("go-smtp", err)

			err = sendNetSMTP(t, s, testUser, testPass, unverified, unverified)
			var te *textproto.Error
			if !errors.As(err, &te) {
				t.Fatalf("net/smtp returned %T, want *textproto.Error", err)
			}
			check("net/smtp", err)

			// The same reply read back from the server's log, as a mailer
			// would find it in its own logs.
			log := s.Log()
			if len(log) == 0 {
				t.Fatal("nothing logged")
			}
			if e := smtperr.ExplainReply(log[0].Reply); e.Cause != tc.cause {
				t.Errorf("logged reply %q: cause = %s, want %s", log[0].Reply, e.Cause, tc.cause)
			}
		})
	}
}

// TestAuthRepliesExplained covers the server's own AUTH replies.
func TestAuthRepliesExplained(t *testing.T) {
	s := Start(t, &Options{Users: testUsers()})
	err := sendGoSMTP(t, s, sasl.NewPlainClient("", testUser, "wrong"), "ops@good.example", "ops@good.example")
	if got := smtperr.Explain(err).Cause; got != smtperr.CauseAuthFailed {
		t.Errorf("go-smtp wrong password: cause = %s, want auth_failed", got)
	}
	err = sendNetSMTP(t, s, testUser, "wrong", "ops@good.example", "ops@good.example")
	if got := smtperr.Explain(err).Cause; got != smtperr.CauseAuthFailed {
		t.Errorf("net/smtp wrong password: cause = %s, want auth_failed", got)
	}
	err = sendGoSMTP(t, s, nil, "ops@good.example", "ops@good.example")
	if got := smtperr.Explain(err).Cause; got != smtperr.CauseAuthRequired {
		t.Errorf("no AUTH: cause = %s, want auth_required", got)
	}
}
