package identities

import (
	"fmt"
	"time"

	"github.com/sendcheck/sendcheck/sender/provider"
)

// ErrorKind classifies an [APIError]. Kinds are stable strings.
type ErrorKind string

// Error kinds.
const (
	// ErrorUnauthorized: the provider refused the key or token (HTTP 401):
	// wrong, revoked or expired.
	ErrorUnauthorized ErrorKind = "unauthorized"
	// ErrorForbidden: the key is valid but lacks a permission the call
	// needs (HTTP 403), and the provider gives no send-only reading.
	ErrorForbidden ErrorKind = "forbidden"
	// ErrorNotFound: the API path does not exist there (HTTP 404): a wrong
	// region or base URL, or an unknown user.
	ErrorNotFound ErrorKind = "not_found"
	// ErrorRateLimited: too many requests (HTTP 429); RetryAfter says when
	// to try again, when the provider said.
	ErrorRateLimited ErrorKind = "rate_limited"
	// ErrorServer: the provider failed (HTTP 5xx); try again later.
	ErrorServer ErrorKind = "server_error"
	// ErrorRequest: the provider refused the request itself (another 4xx).
	ErrorRequest ErrorKind = "bad_request"
	// ErrorTimeout: no answer in time (the context's deadline or the
	// client's timeout).
	ErrorTimeout ErrorKind = "timeout"
	// ErrorCanceled: the caller canceled the context.
	ErrorCanceled ErrorKind = "canceled"
	// ErrorNetwork: the API host could not be reached (DNS, connection,
	// TLS).
	ErrorNetwork ErrorKind = "network_error"
	// ErrorBadResponse: the answer was not the documented shape, too
	// large, or a redirect.
	ErrorBadResponse ErrorKind = "bad_response"
	// ErrorTooManyPages: the list went on past Options.MaxPages pages.
	ErrorTooManyPages ErrorKind = "too_many_pages"
)

// APIError is a failed call to a provider's API, explained like an SMTP
// error: what happened, who must act, what to change.
type APIError struct {
	// Provider is the provider called.
	Provider provider.ID `json:"provider"`
	// Op is what was being read ("verified senders", "domains").
	Op string `json:"op"`
	// Kind classifies the failure.
	Kind ErrorKind `json:"kind"`
	// StatusCode is the HTTP status, or 0 when there was no answer.
	StatusCode int `json:"status_code,omitempty"`
	// Code is the provider's own error code, when it gave one.
	Code string `json:"code,omitempty"`
	// Message is the provider's error message, shortened and cleaned of
	// the secret.
	Message string `json:"message,omitempty"`
	// RetryAfter is how long to wait before trying again, when the
	// provider said (Retry-After); 0 otherwise.
	RetryAfter time.Duration `json:"retry_after,omitempty"`
	// Temporary reports a failure that may go away by itself.
	Temporary bool `json:"temporary"`
	// Party is who must act: "sender" (the key's owner), "provider" or
	// "network".
	Party string `json:"party"`
	// Summary says what happened in a sentence.
	Summary string `json:"summary"`
	// Action says what to do.
	Action string `json:"action"`
	// Err is the underlying transport error, when there was one; its text
	// is never the secret.
	Err error `json:"-"`
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("identities: %s: reading %s: %s", e.Provider, e.Op, e.Kind)
	if e.StatusCode != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.StatusCode)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf("; retry after %s", e.RetryAfter)
	}
	return s
}

// Unwrap returns the transport error, if any.
func (e *APIError) Unwrap() error { return e.Err }

// explain fills in Temporary, Party, Summary and Action from the kind.
func (e *APIError) explain(name string) *APIError {
	switch e.Kind {
	case ErrorUnauthorized:
		e.Party = "sender"
		e.Summary = name + " refused the key: it is wrong, revoked or expired."
		e.Action = "Check the key (copy it again from the " + name + " console) and that it belongs to this account and region."
	case ErrorForbidden:
		e.Party = "sender"
		e.Summary = name + " accepted the key but it lacks the permission to read " + e.Op + "."
		e.Action = "Give the key read access to " + e.Op + " in the " + name + " console, or use a key that has it."
	case ErrorNotFound:
		e.Party = "sender"
		e.Summary = name + " has no such resource here: the region, base URL or user is wrong."
		e.Action = "Check the region and the base URL (and the user, for mailbox providers)."
	case ErrorRateLimited:
		e.Temporary, e.Party = true, "sender"
		e.Summary = name + " is limiting the rate of API calls from this key."
		e.Action = "Wait and try again"
		if e.RetryAfter > 0 {
			e.Action += fmt.Sprintf(" after %s", e.RetryAfter)
		}
		e.Action += "; cache the list instead of reading it for every message."
	case ErrorServer:
		e.Temporary, e.Party = true, "provider"
		e.Summary = name + "'s API failed on its side."
		e.Action = "Try again later"
		if e.RetryAfter > 0 {
			e.Action += fmt.Sprintf(" (after %s)", e.RetryAfter)
		}
		e.Action += "; check " + name + "'s status page if it persists."
	case ErrorRequest:
		e.Party = "sender"
		e.Summary = name + " refused the request."
		e.Action = "Check the options (region, user) against " + name + "'s API reference."
	case ErrorTimeout:
		e.Temporary, e.Party = true, "network"
		e.Summary = name + "'s API did not answer in time."
		e.Action = "Try again, with a longer timeout if it persists."
	case ErrorCanceled:
		e.Temporary, e.Party = true, "sender"
		e.Summary = "The request was canceled."
		e.Action = "Nothing to fix; try again when wanted."
	case ErrorNetwork:
		e.Temporary, e.Party = true, "network"
		e.Summary = name + "'s API could not be reached."
		e.Action = "Check the network, DNS and proxy settings, and the base URL."
	case ErrorBadResponse:
		e.Party = "provider"
		e.Summary = name + " answered with something other than its documented shape."
		e.Action = "Check that the base URL is " + name + "'s API; report it if it is."
	case ErrorTooManyPages:
		e.Party = "sender"
		e.Summary = "The list of " + e.Op + " is longer than the page limit; no partial list is returned."
		e.Action = "Raise Options.MaxPages."
	}
	return e
}
