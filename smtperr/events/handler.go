package events

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// DefaultMaxBytes is the body size limit of a Handler whose MaxBytes is zero.
const DefaultMaxBytes = 4 << 20

// ErrTooLarge is the condition of a request body over Handler.MaxBytes.
var ErrTooLarge = errors.New("events: request body too large")

// Handler is an http.Handler for a provider's webhook endpoint: it reads the
// body (up to MaxBytes), verifies it with Verifier, parses it with [Parse]
// and hands the records of the whole payload to Deliver in one call.
//
// A request that fails any step gets a JSON error ({"error": ..., "code":
// ...}) and Deliver is not called: 405 for a method other than POST, 413 for
// a body over the limit, 401 for a failed verification, 400 for a payload
// Parse refuses, and 500 when Deliver returns an error (providers then retry
// the payload, and the retry is not taken for a replay). A payload whose
// records Deliver accepted gets 200 and {"records": n}. A verified payload
// that was already delivered (a provider's redelivery after a lost answer)
// gets 200 and {"records": 0, "duplicate": true}, and Deliver is not called
// again.
type Handler struct {
	// Provider is the provider whose notifications the endpoint receives;
	// "" tells it from each payload with [Detect].
	Provider Provider
	// Verifier checks authenticity. It must be set unless Unverified is.
	Verifier *Verifier
	// Unverified accepts payloads without checking who sent them. Use it
	// only behind another authenticating layer or in tests.
	Unverified bool
	// MaxBytes bounds the request body; zero means DefaultMaxBytes.
	MaxBytes int64
	// Options is passed to Parse.
	Options *Options
	// Deliver receives the records of one verified payload. It is required.
	Deliver func(ctx context.Context, records []bounce.Record) error
	// Confirm receives a verified SNS subscription or unsubscribe
	// confirmation whose SubscribeURL is on an SNS host (see
	// ConfirmationError.SubscribeURLAllowed); nil answers such messages with
	// 400, leaving the subscription unconfirmed.
	Confirm func(ctx context.Context, c *ConfirmationError) error
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "use POST")
		return
	}
	limit := h.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "read_failed", "reading the body: "+err.Error())
		return
	}
	if int64(len(body)) > limit {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", ErrTooLarge.Error())
		return
	}
	recs, err := h.Receive(r.Context(), r.Header, body)
	if errors.Is(err, ErrReplay) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"records": 0, "duplicate": true})
		return
	}
	if err != nil {
		status, code := ErrorStatus(err)
		writeError(w, status, code, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]int{"records": len(recs)})
}

// Receive does the Handler's work on a body already read: verify, parse and
// deliver. It returns the records delivered, or the error
// that stopped it (a *[VerifyError], a *[ParseError], a *[ConfirmationError]
// when Confirm is nil, or Deliver's error).
func (h *Handler) Receive(ctx context.Context, header http.Header, body []byte) ([]bounce.Record, error) {
	p := h.Provider
	if p == "" {
		var err error
		if p, err = Detect(body); err != nil {
			return nil, err
		}
	}
	var key string
	if !h.Unverified {
		if h.Verifier == nil {
			return nil, &VerifyError{Provider: p, Reason: "handler has no Verifier", Err: ErrNoCredentials}
		}
		var err error
		if key, err = h.Verifier.check(ctx, p, header, body); err != nil {
			return nil, err
		}
		if err := h.Verifier.remember(p, key); err != nil {
			return nil, err
		}
	}
	undo := func() {
		if h.Verifier != nil {
			h.Verifier.forget(key)
		}
	}
	recs, err := Parse(body, p, h.Options)
	var ce *ConfirmationError
	if errors.As(err, &ce) && h.Confirm != nil {
		if !ce.SubscribeURLAllowed() {
			undo()
			return nil, &ParseError{Provider: SES, Index: -1, Reason: "SubscribeURL " + quote(ce.SubscribeURL) + " is not on an SNS host", Err: ErrBadValue}
		}
		if err := h.Confirm(ctx, ce); err != nil {
			undo()
			return nil, &deliverError{err}
		}
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if h.Deliver == nil {
		undo()
		return nil, &deliverError{errors.New("events: handler has no Deliver function")}
	}
	if err := h.Deliver(ctx, recs); err != nil {
		undo()
		return nil, &deliverError{err}
	}
	return recs, nil
}

// deliverError marks an error of the caller's Deliver or Confirm function.
type deliverError struct{ err error }

func (e *deliverError) Error() string { return "events: delivering records: " + e.err.Error() }
func (e *deliverError) Unwrap() error { return e.err }

// ErrorStatus returns the HTTP status and the stable error code a Handler
// answers for err, an error of Receive, Parse or Verifier.Verify: 401 for a
// verification failure, 503 when the SNS certificate could not be had, 413
// for too many events, 400 for a payload Parse refuses, 500 for a failure of
// Deliver or Confirm.
func ErrorStatus(err error) (int, string) {
	var de *deliverError
	var ve *VerifyError
	switch {
	case errors.As(err, &de):
		return http.StatusInternalServerError, "deliver_failed"
	case errors.Is(err, ErrCertificate):
		// The certificate could not be had: a retry may pass.
		return http.StatusServiceUnavailable, "certificate_unavailable"
	case errors.As(err, &ve):
		return http.StatusUnauthorized, verifyCode(err)
	case errors.Is(err, ErrConfirmation):
		return http.StatusBadRequest, "subscription_not_handled"
	case errors.Is(err, ErrTooManyEvents):
		return http.StatusRequestEntityTooLarge, "too_many_events"
	case errors.Is(err, ErrSyntax):
		return http.StatusBadRequest, "bad_json"
	case errors.Is(err, ErrUnknownShape), errors.Is(err, ErrUnknownProvider):
		return http.StatusBadRequest, "unknown_shape"
	}
	return http.StatusBadRequest, "bad_event"
}

func verifyCode(err error) string {
	switch {
	case errors.Is(err, ErrStale):
		return "stale"
	case errors.Is(err, ErrReplay):
		return "replay"
	case errors.Is(err, ErrNoCredentials):
		return "no_credentials"
	case errors.Is(err, ErrMissingSignature):
		return "missing_signature"
	case errors.Is(err, ErrCertURL):
		return "bad_cert_url"
	case errors.Is(err, ErrTopic):
		return "topic_not_accepted"
	}
	return "bad_signature"
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg, "code": code})
}
