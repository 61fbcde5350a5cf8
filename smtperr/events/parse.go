package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// DefaultMaxRecords is the number of records a payload may yield when
// Options.MaxRecords is zero. SendGrid's and SparkPost's batches hold up to a
// few thousand events; SES notifications list at most 50 recipients.
const DefaultMaxRecords = 5000

// Options tunes Parse. A nil *Options means the defaults.
type Options struct {
	// MaxRecords bounds the records one payload may yield; a larger batch is
	// refused whole with [ErrTooManyEvents]. Zero means DefaultMaxRecords.
	MaxRecords int
}

func (o *Options) maxRecords() int {
	if o == nil || o.MaxRecords <= 0 {
		return DefaultMaxRecords
	}
	return o.MaxRecords
}

// The conditions a *[ParseError] wraps; match them with errors.Is.
var (
	// ErrSyntax means the payload is not valid JSON.
	ErrSyntax = errors.New("events: payload is not valid JSON")
	// ErrUnknownShape means the payload is JSON but not a notification of the
	// provider (or of any provider, when none was stated).
	ErrUnknownShape = errors.New("events: unknown notification shape")
	// ErrUnknownProvider means a provider name is not one of [Providers].
	ErrUnknownProvider = errors.New("events: unknown provider")
	// ErrTooManyEvents means a batch yields more records than
	// Options.MaxRecords allows.
	ErrTooManyEvents = errors.New("events: too many events in one payload")
	// ErrMissingField means an event lacks a field it cannot do without,
	// such as the recipient of a bounce.
	ErrMissingField = errors.New("events: required field missing")
	// ErrBadValue means a field holds a value of the wrong type or form.
	ErrBadValue = errors.New("events: field has a bad value")
)

// ParseError is the error Parse, Detect and ParseProvider return. It wraps one
// of the package's conditions ([ErrSyntax], [ErrUnknownShape], ...).
type ParseError struct {
	// Provider is the provider whose shape was expected, or "" when unknown.
	Provider Provider
	// Index is the position of the failing event in a batch, or -1 when the
	// error concerns the whole payload.
	Index int
	// Reason says what is wrong, in plain words.
	Reason string
	// Err is the condition, for errors.Is.
	Err error
}

// Error returns "events: ", the provider, the event index and the reason.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("events: ")
	if e.Provider != "" {
		b.WriteString(string(e.Provider))
		b.WriteString(": ")
	}
	if e.Index >= 0 {
		b.WriteString("event ")
		b.WriteString(strconv.Itoa(e.Index))
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns the condition.
func (e *ParseError) Unwrap() error { return e.Err }

// ConfirmationError is returned by Parse for an SNS SubscriptionConfirmation
// or UnsubscribeConfirmation message: it carries no events, and the caller
// confirms a subscription by fetching SubscribeURL (after verifying the
// message, see [Verifier]). It wraps [ErrConfirmation].
type ConfirmationError struct {
	// Type is "SubscriptionConfirmation" or "UnsubscribeConfirmation".
	Type string
	// TopicArn is the SNS topic.
	TopicArn string
	// SubscribeURL is the address that confirms the subscription.
	SubscribeURL string
}

// ErrConfirmation is the condition a *[ConfirmationError] wraps.
var ErrConfirmation = errors.New("events: SNS subscription message, no events")

// Error says which confirmation message arrived.
func (e *ConfirmationError) Error() string {
	return "events: ses: SNS " + e.Type + " for " + quote(e.TopicArn) + ", no events"
}

// Unwrap returns [ErrConfirmation].
func (e *ConfirmationError) Unwrap() error { return ErrConfirmation }

// SubscribeURLAllowed reports whether SubscribeURL is an https URL on an
// Amazon SNS host (sns.<region>.amazonaws.com), the only kind of address a
// confirmation should be fetched from. Check it even after the message's
// signature verified; never fetch the URL of an unverified message.
func (e *ConfirmationError) SubscribeURLAllowed() bool {
	_, ok := snsURL(e.SubscribeURL)
	return ok
}

// Parse reads one notification payload of provider p (or, when p is "", of
// the provider [Detect] finds) and returns one record per recipient and
// event, in payload order.
//
// Either every event of the payload is read, or none: a batch with one
// malformed event, or more events than Options.MaxRecords, returns no records
// and a *[ParseError]. Event types a provider adds later, and events that are
// no failure (opens, clicks, processed), are records of kind
// [bounce.KindOther] with the provider's event name in ProviderType.
//
// An SNS subscription message returns a *[ConfirmationError]. Parse does not
// check signatures; see [Verifier] and [Handler].
func Parse(data []byte, p Provider, opts *Options) ([]bounce.Record, error) {
	if p == "" {
		var err error
		if p, err = Detect(data); err != nil {
			return nil, err
		}
	}
	ps := &parser{p: p, max: opts.maxRecords()}
	var err error
	switch p {
	case SES:
		err = ps.ses(data)
	case SendGrid:
		err = ps.sendgrid(data)
	case Mailgun:
		err = ps.mailgun(data)
	case Postmark:
		err = ps.postmark(data)
	case SparkPost:
		err = ps.sparkpost(data)
	case Mailjet:
		err = ps.mailjet(data)
	case Brevo:
		err = ps.brevo(data)
	case Resend:
		err = ps.resend(data)
	default:
		return nil, &ParseError{Reason: "unknown provider " + quote(string(p)), Err: ErrUnknownProvider, Index: -1}
	}
	if err != nil {
		return nil, err
	}
	return ps.out, nil
}

// parser collects the records of one payload.
type parser struct {
	p   Provider
	max int
	out []bounce.Record
}

func (ps *parser) errf(index int, cond error, format string, args ...any) error {
	return &ParseError{Provider: ps.p, Index: index, Reason: fmt.Sprintf(format, args...), Err: cond}
}

// add appends r after checking the bound and the recipient.
func (ps *parser) add(index int, r bounce.Record) error {
	if len(ps.out) >= ps.max {
		return ps.errf(-1, ErrTooManyEvents, "more than %d records in one payload", ps.max)
	}
	rcpt, err := cleanAddress(r.Recipient)
	if err != nil {
		return ps.errf(index, ErrBadValue, "recipient: %v", err)
	}
	if rcpt == "" && r.Kind != bounce.KindOther && r.Kind != bounce.KindDelivered {
		return ps.errf(index, ErrMissingField, "%s event without a recipient", r.Kind)
	}
	r.Recipient = rcpt
	r.Provider = string(ps.p)
	// Every text field is shown to people and written to logs: one line,
	// no control characters, bounded.
	r.Diagnostic = oneLine(r.Diagnostic)
	r.Status = oneLine(r.Status)
	r.Action = oneLine(r.Action)
	r.RemoteMTA = oneLine(r.RemoteMTA)
	r.ReportingMTA = oneLine(r.ReportingMTA)
	r.FeedbackType = oneLine(r.FeedbackType)
	r.ProviderType = oneLine(r.ProviderType)
	r.ProviderSubtype = oneLine(r.ProviderSubtype)
	r.ProviderMessageID = oneLine(r.ProviderMessageID)
	if r.Status == "" && r.Explanation != nil && !r.Explanation.Enhanced.IsZero() {
		r.Status = r.Explanation.Enhanced.String()
	}
	ps.out = append(ps.out, r)
	return nil
}

// batch splits a payload that is one object or an array of objects into raw
// events, refusing arrays longer than the record bound.
func (ps *parser) batch(data []byte, arrayOnly bool) ([]json.RawMessage, error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var evs []json.RawMessage
		if err := json.Unmarshal(data, &evs); err != nil {
			return nil, syntaxError(ps.p, err)
		}
		if len(evs) > ps.max {
			return nil, ps.errf(-1, ErrTooManyEvents, "%d events in one payload, more than %d", len(evs), ps.max)
		}
		return evs, nil
	}
	if arrayOnly {
		if !json.Valid(data) {
			return nil, syntaxError(ps.p, errors.New("invalid JSON"))
		}
		return nil, ps.errf(-1, ErrUnknownShape, "expected a JSON array of events")
	}
	return []json.RawMessage{data}, nil
}

// eachEvent decodes each event of a batch (see batch) into a T, refuses
// one that names no event, and adds the record build makes of it.
func eachEvent[T any](ps *parser, data []byte, arrayOnly bool, name func(*T) string, build func(*T) bounce.Record) error {
	evs, err := ps.batch(data, arrayOnly)
	if err != nil {
		return err
	}
	for i, raw := range evs {
		var ev T
		if err := ps.decode(i, raw, &ev); err != nil {
			return err
		}
		if name(&ev) == "" {
			return ps.errf(i, ErrUnknownShape, "event without an event name")
		}
		if err := ps.add(i, build(&ev)); err != nil {
			return err
		}
	}
	return nil
}

// decode unmarshals one event into v, telling a syntax error from a wrong
// shape.
func (ps *parser) decode(index int, raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te):
			if te.Field == "" {
				return ps.errf(index, ErrUnknownShape, "event is a JSON %s, not an object", te.Value)
			}
			return ps.errf(index, ErrBadValue, "field %s is a JSON %s", te.Field, te.Value)
		case json.Valid(raw):
			return ps.errf(index, ErrBadValue, "%v", err)
		}
		return syntaxError(ps.p, err)
	}
	return nil
}

func syntaxError(p Provider, err error) error {
	reason := "invalid JSON"
	var se *json.SyntaxError
	if errors.As(err, &se) {
		reason = fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, se)
	}
	return &ParseError{Provider: p, Index: -1, Reason: reason, Err: ErrSyntax}
}

// cleanAddress trims an address and strips angle brackets. It refuses
// control characters and lengths no mailbox has; "" stays "".
func cleanAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '<'); i >= 0 && strings.HasSuffix(s, ">") {
		s = strings.TrimSpace(s[i+1 : len(s)-1])
	}
	if s == "" {
		return "", nil
	}
	if len(s) > 320 {
		return "", fmt.Errorf("address of %d bytes", len(s))
	}
	if !utf8.ValidString(s) {
		return "", errors.New("address is not UTF-8")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == ' ' {
			return "", errors.New("address holds a space or control character")
		}
	}
	if !strings.Contains(s, "@") {
		return "", fmt.Errorf("%s is not an address", quote(s))
	}
	return s, nil
}

// messageID strips the angle brackets of a Message-ID.
func messageID(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "<")
	s = strings.TrimSuffix(s, ">")
	return oneLine(s)
}

// oneLine folds white space and drops control characters, bounded to 4 KiB.
func oneLine(s string) string {
	if s == "" {
		return s
	}
	const max = 4096
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			clean = false
			break
		}
	}
	if clean && len(s) <= max && strings.TrimSpace(s) == s && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if b.Len() >= max {
			break
		}
		switch {
		case r == utf8.RuneError, r == 0x7f:
			continue
		case r < 0x20 || r == ' ':
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

func quote(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return strconv.Quote(s)
}

// flexString reads a JSON string, number, boolean or null as text. Providers
// change a field's type between versions (Mailjet's MessageID is a number,
// SparkPost's timestamps are strings).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
	case b[0] == '{' || b[0] == '[':
		return errors.New("expected a string or number, got " + string(b[:1]))
	default:
		*f = flexString(b)
	}
	return nil
}

// unixTime reads seconds since the epoch as a number or a numeric string,
// with a fraction or not (Mailgun sends 1521233195.375624).
type unixTime time.Time

func (u *unixTime) UnmarshalJSON(b []byte) error {
	var f flexString
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	t, err := parseUnix(string(f))
	if err != nil {
		return err
	}
	*u = unixTime(t)
	return nil
}

// parseUnix converts decimal seconds to a UTC time; "" is the zero time.
// Values outside years 1970 to 9999 are refused.
func parseUnix(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	secs, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(secs, 10, 64)
	if err != nil || n < 0 || n > 253402300799 {
		return time.Time{}, fmt.Errorf("bad unix time %s", quote(s))
	}
	var nsec int64
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		for len(frac) < 9 {
			frac += "0"
		}
		if nsec, err = strconv.ParseInt(frac, 10, 64); err != nil || nsec < 0 {
			return time.Time{}, fmt.Errorf("bad unix time %s", quote(s))
		}
	}
	return time.Unix(n, nsec).UTC(), nil
}

// isoTime reads an RFC 3339 time (with or without a zone; providers write
// both); "" and null are the zero time.
type isoTime time.Time

func (t *isoTime) UnmarshalJSON(b []byte) error {
	var f flexString
	if err := f.UnmarshalJSON(b); err != nil {
		return err
	}
	v, err := parseISO(string(f))
	if err != nil {
		return err
	}
	*t = isoTime(v)
	return nil
}

func parseISO(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %s", quote(s))
}
