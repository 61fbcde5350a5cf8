package events

import (
	"context"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// DefaultTolerance is how far a signed timestamp may be from the current
// time when Verifier.Tolerance is zero.
const DefaultTolerance = 10 * time.Minute

// maxSeen bounds the replay memory of a Verifier.
const maxSeen = 1 << 16

// The conditions a *[VerifyError] wraps; match them with errors.Is.
var (
	// ErrNoCredentials means the Verifier holds no key or credentials for
	// the provider, so nothing from it can be accepted.
	ErrNoCredentials = errors.New("events: no credentials to verify this provider")
	// ErrMissingSignature means the request carries no signature or
	// credentials where the provider always sends them.
	ErrMissingSignature = errors.New("events: signature or credentials missing")
	// ErrSignature means the signature or credentials do not match.
	ErrSignature = errors.New("events: signature does not verify")
	// ErrStale means the signed timestamp is further from now than the
	// tolerance allows.
	ErrStale = errors.New("events: timestamp outside the tolerance")
	// ErrReplay means the same signed payload was accepted before.
	ErrReplay = errors.New("events: payload was accepted before (replay)")
	// ErrCertURL means an SNS message names a signing certificate that is
	// not on an Amazon SNS host; it is never fetched.
	ErrCertURL = errors.New("events: SNS certificate URL is not an SNS host")
	// ErrCertificate means the SNS signing certificate could not be fetched
	// or read.
	ErrCertificate = errors.New("events: SNS signing certificate unusable")
	// ErrTopic means an SNS message comes from a topic the Verifier does not
	// accept.
	ErrTopic = errors.New("events: SNS topic not accepted")
)

// VerifyError is the error Verifier.Verify returns. It wraps one of the
// package's verification conditions ([ErrSignature], [ErrStale], ...) and,
// for certificate failures, the underlying error.
type VerifyError struct {
	// Provider is the provider whose check failed.
	Provider Provider
	// Reason says what failed, in plain words.
	Reason string
	// Err is the condition, for errors.Is.
	Err error
	// Cause is the underlying error, such as a fetch failure, or nil.
	Cause error
}

// Error returns "events: ", the provider and the reason.
func (e *VerifyError) Error() string {
	s := "events: " + string(e.Provider) + ": " + e.Reason
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap returns the condition and the underlying error.
func (e *VerifyError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// Credentials are HTTP basic-auth credentials that a provider puts in the
// webhook URL (Postmark, Mailjet, Brevo).
type Credentials struct {
	Username string
	Password string
}

// Verifier checks that notifications come from the provider: SendGrid's
// ECDSA signature, Mailgun's HMAC, Resend's (Svix) HMAC, the SNS message
// signature of SES notifications, and basic-auth credentials for the
// providers that sign nothing. Signed timestamps must lie within Tolerance of
// the current time, and a signed payload is accepted once: a replay within
// the tolerance window is refused.
//
// Set the fields before first use; a *Verifier is then safe for concurrent
// use. A provider with no key or credentials configured is refused with
// [ErrNoCredentials].
type Verifier struct {
	// SendGridKey is the public key of SendGrid's signed event webhook; see
	// [ParseSendGridKey].
	SendGridKey *ecdsa.PublicKey
	// MailgunKey is Mailgun's HTTP webhook signing key. Mailgun signs only
	// the timestamp and the token, not the event data beside them, so the
	// check proves a fresh, unused token rather than the body; serve the
	// endpoint over TLS only.
	MailgunKey []byte
	// ResendSecret is the signing secret of a Resend webhook ("whsec_...").
	ResendSecret string
	// Basic holds the basic-auth credentials each provider that signs
	// nothing (Postmark, Mailjet, Brevo) sends.
	Basic map[Provider]Credentials
	// SNS verifies SES notifications delivered through Amazon SNS. Nil means
	// an SNSVerifier with the default certificate fetcher, created on first
	// use.
	SNS *SNSVerifier
	// SNSTopics lists the topic ARNs accepted. Empty accepts any topic,
	// which lets any AWS account that signs through SNS reach the endpoint;
	// set it in production.
	SNSTopics []string
	// Tolerance is how far a signed timestamp may be from now; zero means
	// DefaultTolerance. SNS and Svix redeliver with the original timestamp,
	// so raise it when a delivery policy retries for longer.
	Tolerance time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	mu   sync.Mutex
	sns  *SNSVerifier
	seen map[string]time.Time
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Verifier) tolerance() time.Duration {
	if v.Tolerance > 0 {
		return v.Tolerance
	}
	return DefaultTolerance
}

// Verify checks the authenticity of one request of provider p, given its
// headers and body. It returns nil when the request is authentic, fresh and
// not seen before, and records it as seen; otherwise a *[VerifyError].
func (v *Verifier) Verify(ctx context.Context, p Provider, h http.Header, body []byte) error {
	key, err := v.check(ctx, p, h, body)
	if err != nil {
		return err
	}
	return v.remember(p, key)
}

// check verifies the request and returns its replay key ("" when the
// provider's scheme has none).
func (v *Verifier) check(ctx context.Context, p Provider, h http.Header, body []byte) (string, error) {
	fail := func(cond error, format string, args ...any) (string, error) {
		return "", &VerifyError{Provider: p, Reason: fmt.Sprintf(format, args...), Err: cond}
	}
	switch p {
	case SendGrid:
		if v.SendGridKey == nil {
			return fail(ErrNoCredentials, "no SendGrid verification key")
		}
		sig := h.Get("X-Twilio-Email-Event-Webhook-Signature")
		ts := h.Get("X-Twilio-Email-Event-Webhook-Timestamp")
		if sig == "" || ts == "" {
			return fail(ErrMissingSignature, "no X-Twilio-Email-Event-Webhook-Signature or -Timestamp header")
		}
		if err := v.fresh(p, ts); err != nil {
			return "", err
		}
		der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
		if err != nil {
			return fail(ErrSignature, "signature is not base64")
		}
		sum := sha256.New()
		sum.Write([]byte(ts))
		sum.Write(body)
		digest := sum.Sum(nil)
		if !ecdsa.VerifyASN1(v.SendGridKey, digest, der) {
			return fail(ErrSignature, "ECDSA signature does not match the payload")
		}
		// The replay key is what was signed, not the signature: an ECDSA
		// signature (r, s) has a twin (r, n-s) that verifies as well.
		return "sendgrid:" + hex.EncodeToString(digest), nil
	case Mailgun:
		if len(v.MailgunKey) == 0 {
			return fail(ErrNoCredentials, "no Mailgun signing key")
		}
		var mp mailgunPayload
		if json.Unmarshal(body, &mp) != nil || mp.Signature == nil {
			return fail(ErrMissingSignature, "no signature object in the payload")
		}
		s := mp.Signature
		if s.Token == "" || s.Timestamp == "" || s.Signature == "" {
			return fail(ErrMissingSignature, "signature object lacks timestamp, token or signature")
		}
		if err := v.fresh(p, string(s.Timestamp)); err != nil {
			return "", err
		}
		got, err := hex.DecodeString(s.Signature)
		if err != nil {
			return fail(ErrSignature, "signature is not hex")
		}
		mac := hmac.New(sha256.New, v.MailgunKey)
		mac.Write([]byte(s.Timestamp))
		mac.Write([]byte(s.Token))
		if !hmac.Equal(got, mac.Sum(nil)) {
			return fail(ErrSignature, "HMAC does not match timestamp and token")
		}
		return "mailgun:" + s.Token, nil
	case Resend:
		return v.checkSvix(h, body)
	case SES:
		return v.checkSNS(ctx, body)
	}
	c, ok := v.Basic[p]
	if !ok {
		return fail(ErrNoCredentials, "no basic-auth credentials for %s", p)
	}
	user, pass, ok := basicAuth(h)
	if !ok {
		return fail(ErrMissingSignature, "no basic-auth Authorization header")
	}
	if !equalSecret(user, c.Username) || !equalSecret(pass, c.Password) {
		return fail(ErrSignature, "basic-auth credentials do not match")
	}
	return "", nil
}

// basicAuth reads the credentials of a Basic Authorization header.
func basicAuth(h http.Header) (user, pass string, ok bool) {
	r := http.Request{Header: h}
	return r.BasicAuth()
}

// equalSecret compares in constant time, also across lengths.
func equalSecret(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// fresh checks a unix-seconds timestamp against the tolerance.
func (v *Verifier) fresh(p Provider, ts string) error {
	t, err := parseUnix(ts)
	if err != nil || t.IsZero() {
		return &VerifyError{Provider: p, Reason: "timestamp " + quote(ts) + " is not unix seconds", Err: ErrStale}
	}
	return v.freshTime(p, t)
}

func (v *Verifier) freshTime(p Provider, t time.Time) error {
	d := v.now().Sub(t)
	if d < 0 {
		d = -d
	}
	if d > v.tolerance() {
		return &VerifyError{Provider: p, Reason: fmt.Sprintf("signed at %s, %s from now, more than %s", t.UTC().Format(time.RFC3339), d.Round(time.Second), v.tolerance()), Err: ErrStale}
	}
	return nil
}

// remember records a replay key, refusing one seen within the window.
func (v *Verifier) remember(p Provider, key string) error {
	if key == "" {
		return nil
	}
	now := v.now()
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.seen == nil {
		v.seen = make(map[string]time.Time)
	}
	if t, ok := v.seen[key]; ok && now.Sub(t) <= 2*v.tolerance() {
		return &VerifyError{Provider: p, Reason: "signature seen before", Err: ErrReplay}
	}
	if len(v.seen) >= maxSeen {
		v.prune(now)
	}
	v.seen[key] = now
	return nil
}

// prune drops expired replay keys and, when none expired, the oldest one.
func (v *Verifier) prune(now time.Time) {
	var oldK string
	var oldT time.Time
	for k, t := range v.seen {
		if now.Sub(t) > 2*v.tolerance() {
			delete(v.seen, k)
			continue
		}
		if oldK == "" || t.Before(oldT) {
			oldK, oldT = k, t
		}
	}
	if len(v.seen) >= maxSeen {
		delete(v.seen, oldK)
	}
}

// forget removes a replay key, so that a provider's retry of a payload whose
// processing failed is accepted.
func (v *Verifier) forget(key string) {
	if key == "" {
		return
	}
	v.mu.Lock()
	delete(v.seen, key)
	v.mu.Unlock()
}

// checkSvix verifies Resend's Svix signature: HMAC-SHA256 over
// "id.timestamp.body" with the base64 secret after "whsec_".
func (v *Verifier) checkSvix(h http.Header, body []byte) (string, error) {
	fail := func(cond error, reason string) (string, error) {
		return "", &VerifyError{Provider: Resend, Reason: reason, Err: cond}
	}
	if v.ResendSecret == "" {
		return fail(ErrNoCredentials, "no Resend signing secret")
	}
	secret, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(v.ResendSecret, "whsec_"))
	if err != nil {
		return fail(ErrNoCredentials, "Resend signing secret is not whsec_ and base64")
	}
	get := func(name string) string {
		if s := h.Get("Svix-" + name); s != "" {
			return s
		}
		return h.Get("Webhook-" + name)
	}
	id, ts, sigs := get("Id"), get("Timestamp"), get("Signature")
	if id == "" || ts == "" || sigs == "" {
		return fail(ErrMissingSignature, "no svix-id, svix-timestamp or svix-signature header")
	}
	if err := v.fresh(Resend, ts); err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	for _, s := range strings.Fields(sigs) {
		ver, b64, ok := strings.Cut(s, ",")
		if !ok || ver != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return "resend:" + id, nil
		}
	}
	return fail(ErrSignature, "no v1 signature matches the payload")
}

// ParseSendGridKey reads the verification key SendGrid shows for a signed
// event webhook: base64 of a DER (PKIX) ECDSA public key, or the same in a
// PEM block.
func ParseSendGridKey(s string) (*ecdsa.PublicKey, error) {
	s = strings.TrimSpace(s)
	var der []byte
	if strings.HasPrefix(s, "-----BEGIN") {
		body := s[strings.Index(s, "\n")+1:]
		if i := strings.Index(body, "-----END"); i >= 0 {
			body = body[:i]
		}
		s = strings.Join(strings.Fields(body), "")
	}
	der, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("events: SendGrid key is not base64: %w", err)
	}
	pub, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, fmt.Errorf("events: SendGrid key: %w", err)
	}
	k, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return nil, errors.New("events: SendGrid key is not an ECDSA key")
	}
	return k, nil
}
