package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/sendcheck/sendcheck/smtperr/bounce"
	"github.com/sendcheck/sendcheck/smtperr/events"
)

// defaultMaxEventBody limits the body of POST /v1/events/{provider}:
// providers batch up to a few thousand events in one request.
const defaultMaxEventBody = 4 << 20

// eventsResponse is the answer of POST /v1/events/{provider}.
type eventsResponse struct {
	// Provider is the provider the payload is from (stated or detected).
	Provider events.Provider `json:"provider"`
	// Verified tells whether the payload's signature or credentials were
	// checked; false when the service runs without webhook keys.
	Verified bool `json:"verified"`
	// Records holds one record per event and recipient.
	Records []bounce.Record `json:"records"`
}

// events reads one provider notification: POST /v1/events/{provider},
// where provider is a provider name or "auto" to tell it from the payload.
// With a verifier configured, the request must carry the provider's
// signature or credentials; without one, payloads are only explained.
func (a *api) events(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("provider")
	var p events.Provider
	if name != "auto" {
		var err error
		if p, err = events.ParseProvider(name); err != nil {
			writeError(w, http.StatusNotFound, "unknown_provider",
				fmt.Sprintf("unknown provider %q; use one of %s or auto", name, providerNames()))
			return
		}
	}
	limit := a.cfg.MaxEventBody
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("the body is over %d bytes", limit))
			return
		}
		writeError(w, http.StatusBadRequest, "read_failed", "reading the body failed")
		return
	}
	if p == "" {
		if p, err = events.Detect(body); err != nil {
			writeError(w, http.StatusBadRequest, "unknown_shape", err.Error())
			return
		}
	}
	var out []bounce.Record
	h := &events.Handler{
		Provider:   p,
		Verifier:   a.cfg.Verifier,
		Unverified: a.cfg.Verifier == nil,
		Deliver: func(_ context.Context, recs []bounce.Record) error {
			out = recs
			return nil
		},
	}
	if _, err := h.Receive(r.Context(), r.Header, body); err != nil {
		status, code := events.ErrorStatus(err)
		if status >= 500 && status != http.StatusServiceUnavailable {
			a.cfg.ErrorLog.Printf("httpapi: events: %v", err)
		}
		writeError(w, status, code, err.Error())
		return
	}
	if out == nil {
		out = []bounce.Record{}
	}
	writeJSON(w, http.StatusOK, eventsResponse{Provider: p, Verified: a.cfg.Verifier != nil, Records: out})
}

func providerNames() string {
	var names []string
	for _, p := range events.Providers() {
		names = append(names, string(p))
	}
	return strings.Join(names, ", ")
}

// webhookVerifier builds the verifier from the keys named on the command
// line; it returns nil when no key is configured.
func webhookVerifier(sendgridEnv, mailgunEnv, resendEnv, basicEnv string, snsTopics []string) (*events.Verifier, error) {
	get := func(flagName, env string) (string, error) {
		if env == "" {
			return "", nil
		}
		v := strings.TrimSpace(os.Getenv(env))
		if v == "" {
			return "", fmt.Errorf("-%s: environment variable %s is empty", flagName, env)
		}
		return v, nil
	}
	v := &events.Verifier{SNSTopics: snsTopics}
	configured := len(snsTopics) > 0
	if s, err := get("sendgrid-key-env", sendgridEnv); err != nil {
		return nil, err
	} else if s != "" {
		k, err := events.ParseSendGridKey(s)
		if err != nil {
			return nil, fmt.Errorf("-sendgrid-key-env: %w", err)
		}
		v.SendGridKey, configured = k, true
	}
	if s, err := get("mailgun-key-env", mailgunEnv); err != nil {
		return nil, err
	} else if s != "" {
		v.MailgunKey, configured = []byte(s), true
	}
	if s, err := get("resend-secret-env", resendEnv); err != nil {
		return nil, err
	} else if s != "" {
		v.ResendSecret, configured = s, true
	}
	if s, err := get("webhook-auth-env", basicEnv); err != nil {
		return nil, err
	} else if s != "" {
		user, pass, ok := strings.Cut(s, ":")
		if !ok || user == "" || pass == "" {
			return nil, errors.New("-webhook-auth-env: the variable must hold user:password")
		}
		c := events.Credentials{Username: user, Password: pass}
		v.Basic = map[events.Provider]events.Credentials{events.Postmark: c, events.Mailjet: c, events.Brevo: c}
		configured = true
	}
	if !configured {
		return nil, nil
	}
	return v, nil
}

// topicList is a repeatable flag of SNS topic ARNs.
type topicList []string

func (l *topicList) String() string { return strings.Join(*l, ",") }

func (l *topicList) Set(s string) error {
	if !strings.HasPrefix(s, "arn:") {
		return fmt.Errorf("%q is not a topic ARN", s)
	}
	*l = append(*l, s)
	return nil
}
