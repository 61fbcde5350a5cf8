package identities

import (
	"encoding/base64"
	"strings"
)

// Secret holds an API key or token. It prints, formats and marshals as
// [REDACTED], so it cannot leak through a log line or a JSON document.
type Secret struct{ v string }

// NewSecret wraps a key or token given by the caller; surrounding white
// space is dropped.
func NewSecret(s string) Secret { return Secret{v: strings.TrimSpace(s)} }

const redacted = "[REDACTED]"

// String returns [REDACTED].
func (Secret) String() string { return redacted }

// GoString returns [REDACTED].
func (Secret) GoString() string { return redacted }

// MarshalText returns [REDACTED].
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// IsZero reports whether no secret was given.
func (s Secret) IsZero() bool { return s.v == "" }

// split cuts the secret into n parts at colons (the last part keeps any
// further colons); ok is false when a part is empty or missing.
func (s Secret) split(n int) ([]string, bool) {
	parts := strings.SplitN(s.v, ":", n)
	if len(parts) < n {
		return nil, false
	}
	for _, p := range parts {
		if p == "" {
			return nil, false
		}
	}
	return parts, true
}

// scrub removes every form of the secret that a request carried from s:
// the secret, each colon-separated part of it, and their Basic
// authorization encodings.
func (s Secret) scrub(text string, extra ...string) string {
	if s.v == "" {
		return text
	}
	forms := []string{s.v}
	for _, p := range strings.Split(s.v, ":") {
		if len(p) >= 4 {
			forms = append(forms, p)
		}
	}
	forms = append(forms, extra...)
	for _, f := range append([]string(nil), forms...) {
		forms = append(forms, base64.StdEncoding.EncodeToString([]byte(f)))
	}
	for _, f := range forms {
		if f != "" {
			text = strings.ReplaceAll(text, f, redacted)
		}
	}
	return text
}
