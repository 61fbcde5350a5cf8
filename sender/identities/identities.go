package identities

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Resend is the provider ID of Resend, which has no SMTP profile in the
// provider table yet.
const Resend provider.ID = "resend"

// Lister lists the sender identities of one account at one provider.
type Lister interface {
	// List returns every identity of the account, or an error; never a
	// part of the list as if it were all of it.
	List(ctx context.Context) (*Result, error)
}

// Result is what a [Lister] found.
type Result struct {
	// IdentityList is the list, ready for [sender.Config].Listed. Its
	// Source is [sender.SourceProviderAPI], or [sender.SourceNone] when
	// ScopeMissing.
	sender.IdentityList
	// Region is the region that was asked, where identities are per
	// region.
	Region string `json:"region,omitempty"`
	// ScopeMissing reports a key that the provider accepts but that may
	// not read the identities: it may still send.
	ScopeMissing bool `json:"scope_missing,omitempty"`
	// Quota is the account's sending quota, where the provider reports
	// it (Amazon SES).
	Quota *Quota `json:"quota,omitempty"`
}

// Quota is an account's sending quota.
type Quota struct {
	// Max24Hour is the most messages per 24 hours; -1 means unlimited.
	Max24Hour float64 `json:"max_24_hour"`
	// MaxPerSecond is the most messages per second.
	MaxPerSecond float64 `json:"max_per_second"`
	// SentLast24Hours is how many were sent in the past 24 hours.
	SentLast24Hours float64 `json:"sent_last_24_hours"`
	// SendingEnabled is false when the provider paused sending.
	SendingEnabled bool `json:"sending_enabled"`
}

// Options configures a [Lister]. A nil *Options means the defaults.
type Options struct {
	// BaseURL replaces the provider's API address, for a test double or a
	// private endpoint. It must be https, or http to a loopback address.
	BaseURL string
	// Region selects the provider's region: an AWS region for Amazon SES
	// (default us-east-1), "us" or "eu" for Mailgun and SparkPost (default
	// us), "eu" for SendGrid's EU regional subusers.
	Region string
	// User is the account to read for Gmail and Microsoft 365: "me" (the
	// default, the token's own user) or a user ID or address.
	User string
	// Client is the HTTP client; nil means one with a 30-second timeout.
	// Its redirects are never followed, so a secret cannot leak to
	// another host.
	Client *http.Client
	// MaxPages bounds the pages followed per list; more is an error.
	// Zero means 100.
	MaxPages int
	// Now returns the current time, for Retry-After dates; nil means
	// time.Now.
	Now func() time.Time
}

func (o *Options) maxPages() int {
	if o == nil || o.MaxPages <= 0 {
		return 100
	}
	return o.MaxPages
}

// Providers lists the providers [New] supports.
func Providers() []provider.ID {
	return []provider.ID{
		provider.SendGrid, provider.SES, provider.Mailgun, provider.Postmark,
		provider.Brevo, provider.Mailjet, provider.SparkPost, Resend,
		provider.Gmail, provider.Microsoft365,
	}
}

// ParseProvider returns the provider ID that name spells (case and
// surrounding space ignored), if [New] supports it.
//
// The error will be of type *[ConfigError].
func ParseProvider(name string) (provider.ID, error) {
	id := provider.ID(strings.ToLower(strings.TrimSpace(name)))
	for _, p := range Providers() {
		if p == id {
			return id, nil
		}
	}
	if id == provider.GoogleWorkspace || id == provider.Outlook {
		return id, nil
	}
	return "", &ConfigError{Provider: id, Msg: "no identity API known for this provider"}
}

// New returns the [Lister] for provider p with the caller's secret: an API
// key (SendGrid, Mailgun, Brevo, SparkPost, Resend), an account token
// (Postmark), "API_KEY:SECRET_KEY" (Mailjet),
// "ACCESS_KEY_ID:SECRET_ACCESS_KEY" with an optional ":SESSION_TOKEN"
// (Amazon SES), or an OAuth access token (Gmail; Microsoft 365 through
// Graph). provider.GoogleWorkspace is read like Gmail and
// provider.Outlook like Microsoft 365.
//
// The error will be of type *[ConfigError].
func New(p provider.ID, secret Secret, opts *Options) (Lister, error) {
	if secret.v == "" {
		return nil, &ConfigError{Provider: p, Msg: "no key or token given"}
	}
	if strings.ContainsAny(secret.v, "\r\n") {
		return nil, &ConfigError{Provider: p, Msg: "the key contains a line break"}
	}
	switch p {
	case provider.SendGrid:
		return newSendGrid(secret, opts)
	case provider.SES:
		return newSES(secret, opts)
	case provider.Mailgun:
		return newMailgun(secret, opts)
	case provider.Postmark:
		return newPostmark(secret, opts)
	case provider.Brevo:
		return newBrevo(secret, opts)
	case provider.Mailjet:
		return newMailjet(secret, opts)
	case provider.SparkPost:
		return newSparkPost(secret, opts)
	case Resend:
		return newResend(secret, opts)
	case provider.Gmail, provider.GoogleWorkspace:
		return newGmail(p, secret, opts)
	case provider.Microsoft365, provider.Outlook:
		return newGraph(p, secret, opts)
	}
	return nil, &ConfigError{Provider: p, Msg: "no identity API known for this provider"}
}

// ConfigError reports a [Lister] that cannot be built: an unknown
// provider, a missing or malformed secret, a base URL that is not allowed.
type ConfigError struct {
	Provider provider.ID
	Msg      string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("identities: %s: %s", e.Provider, e.Msg)
}

// baseURL returns the API base: opts.BaseURL after its checks, or def.
func baseURL(p provider.ID, opts *Options, def string) (*url.URL, error) {
	raw := def
	if opts != nil && opts.BaseURL != "" {
		raw = opts.BaseURL
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, &ConfigError{Provider: p, Msg: "the base URL must be a plain http(s)://host[:port][/path]"}
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, &ConfigError{Provider: p, Msg: "the base URL must use https (plain http is allowed only to a loopback address)"}
		}
	default:
		return nil, &ConfigError{Provider: p, Msg: "the base URL must use https"}
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// region returns the lower-case region option, or def.
func region(opts *Options, def string) string {
	if opts == nil || strings.TrimSpace(opts.Region) == "" {
		return def
	}
	return strings.ToLower(strings.TrimSpace(opts.Region))
}

// user returns the user option, or "me".
func user(opts *Options) string {
	if opts == nil || strings.TrimSpace(opts.User) == "" {
		return "me"
	}
	return strings.TrimSpace(opts.User)
}

// newResult starts a result from the provider.
func newResult(p provider.ID) *Result {
	return &Result{IdentityList: sender.IdentityList{
		Provider:   p,
		Source:     sender.SourceProviderAPI,
		Identities: []sender.ListedIdentity{},
	}}
}

// scopeMissing turns r into the answer for a key that may not read.
func scopeMissing(r *Result, note string) *Result {
	r.ScopeMissing = true
	r.Source = sender.SourceNone
	r.Identities = nil
	r.Notes = append(r.Notes, note)
	return r
}

// ForHost returns the provider whose identity API serves the SMTP
// submission host, and the region the host implies (an AWS region for
// Amazon SES, "eu" for the EU hosts of Mailgun and SparkPost, "" when the
// host implies none). ok is false for hosts of providers without an
// identity API here.
func ForHost(host string) (id provider.ID, region string, ok bool) {
	h := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if name, _, err := net.SplitHostPort(h); err == nil {
		h = name
	}
	if h == "smtp.resend.com" {
		return Resend, "", true
	}
	p, found := provider.ByHost(h)
	if !found {
		return "", "", false
	}
	switch p.ID {
	case provider.SES:
		// email-smtp.<region>.amazonaws.com, email-smtp-fips.<region>...
		labels := strings.Split(h, ".")
		if len(labels) == 4 {
			region = labels[1]
		}
	case provider.Mailgun, provider.SparkPost:
		if strings.Contains(h, ".eu.") {
			region = "eu"
		}
	}
	for _, q := range Providers() {
		if q == p.ID {
			return p.ID, region, true
		}
	}
	switch p.ID {
	case provider.GoogleWorkspace, provider.Outlook:
		return p.ID, region, true
	}
	return "", "", false
}

// NewForHost returns the [Lister] for the provider of an SMTP submission
// host (see [ForHost]), in the region the host implies unless
// opts.Region says otherwise.
//
// The error will be of type *[ConfigError].
func NewForHost(host string, secret Secret, opts *Options) (Lister, error) {
	id, reg, ok := ForHost(host)
	if !ok {
		return nil, &ConfigError{Provider: provider.Generic, Msg: fmt.Sprintf("no identity API known for the SMTP host %q", host)}
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if strings.TrimSpace(o.Region) == "" {
		o.Region = reg
	}
	return New(id, secret, &o)
}
