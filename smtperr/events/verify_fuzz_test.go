package events

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

// FuzzVerify feeds arbitrary bodies and header values to every provider's
// check: no panic, and every refusal is a *VerifyError. The SNS fetcher is
// never reached for a URL off the SNS hosts.
func FuzzVerify(f *testing.F) {
	for _, file := range []string{"ses/doc-bounce-dsn.json", "mailgun/doc-permanent-fail.json", "sendgrid/doc-batch.json", "resend/doc-bounced.json"} {
		f.Add(readPayload(f, file), "MEUCIQD=", "1714557600", "msg_1")
	}
	f.Add([]byte(`{"Type":"Notification","Signature":"AA==","SignatureVersion":"2","Timestamp":"2024-05-01T10:00:00Z","SigningCertURL":"https://sns.us-east-1.amazonaws.com/a.pem"}`), "", "", "")
	f.Fuzz(func(t *testing.T, body []byte, sig, ts, id string) {
		_, pub := sendgridKey(t)
		key, err := ParseSendGridKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		v := &Verifier{
			SendGridKey:  key,
			MailgunKey:   []byte("k"),
			ResendSecret: "whsec_c2VjcmV0",
			Basic:        map[Provider]Credentials{Postmark: {"u", "p"}},
			SNS: &SNSVerifier{Fetch: func(_ context.Context, u string) ([]byte, error) {
				if !CertURLAllowed(u) {
					t.Fatalf("fetch of a refused URL %q", u)
				}
				return nil, errors.New("no network in tests")
			}},
			Now: fixedNow,
		}
		h := http.Header{}
		h.Set("X-Twilio-Email-Event-Webhook-Signature", sig)
		h.Set("X-Twilio-Email-Event-Webhook-Timestamp", ts)
		h.Set("Svix-Id", id)
		h.Set("Svix-Timestamp", ts)
		h.Set("Svix-Signature", sig)
		h.Set("Authorization", sig)
		for _, p := range Providers() {
			err := v.Verify(context.Background(), p, h, body)
			var ve *VerifyError
			if err != nil && !errors.As(err, &ve) {
				t.Fatalf("%s: error %T %v is not a *VerifyError", p, err, err)
			}
		}
	})
}
