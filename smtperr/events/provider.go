package events

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Provider names an email service provider whose event notifications this
// package reads. The names are the module's provider identifiers.
type Provider string

// The providers whose notifications Parse reads.
const (
	// SES is Amazon SES: notifications through SNS (bounce, complaint,
	// delivery) and event-publishing records, with or without the SNS
	// envelope, and EventBridge events.
	SES Provider = "ses"
	// SendGrid is Twilio SendGrid's Event Webhook (a JSON array of events).
	SendGrid Provider = "sendgrid"
	// Mailgun is Mailgun's webhooks (a signature and one event-data object).
	Mailgun Provider = "mailgun"
	// Postmark is Postmark's webhooks (one object with a RecordType).
	Postmark Provider = "postmark"
	// SparkPost is SparkPost's webhooks (a JSON array of msys events).
	SparkPost Provider = "sparkpost"
	// Mailjet is Mailjet's event API (one event or an array of events).
	Mailjet Provider = "mailjet"
	// Brevo is Brevo's transactional webhooks (one event or an array).
	Brevo Provider = "brevo"
	// Resend is Resend's webhooks (one object with a type and data).
	Resend Provider = "resend"
)

// Providers returns every provider Parse reads, in documentation order.
func Providers() []Provider {
	return []Provider{SES, SendGrid, Mailgun, Postmark, SparkPost, Mailjet, Brevo, Resend}
}

// Valid reports whether p is one of the providers of [Providers].
func (p Provider) Valid() bool {
	switch p {
	case SES, SendGrid, Mailgun, Postmark, SparkPost, Mailjet, Brevo, Resend:
		return true
	}
	return false
}

// String returns the provider's name.
func (p Provider) String() string { return string(p) }

// ParseProvider returns the provider named s, ignoring case ("SES",
// "sendgrid"). The error is a *[ParseError] wrapping [ErrUnknownProvider].
func ParseProvider(s string) (Provider, error) {
	p := Provider(strings.ToLower(strings.TrimSpace(s)))
	if !p.Valid() {
		return "", &ParseError{Reason: "unknown provider " + quote(s), Err: ErrUnknownProvider, Index: -1}
	}
	return p, nil
}

// Detect tells the provider from the shape of a notification: the SNS
// envelope or SES's notificationType, Mailgun's event-data, Postmark's
// RecordType, SparkPost's msys, Resend's email.* type, and the fields that
// set SendGrid's, Mailjet's and Brevo's events apart. It looks at the first
// event of a batch only; Parse checks them all.
//
// The error is a *[ParseError] wrapping [ErrUnknownShape] when the payload is
// JSON of no known shape, or [ErrSyntax] when it is not JSON.
func Detect(data []byte) (Provider, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return "", &ParseError{Reason: "empty payload", Err: ErrUnknownShape, Index: -1}
	}
	first := data
	if data[0] == '[' {
		// Read only the first element; Parse reads (and checks) the rest.
		dec := json.NewDecoder(bytes.NewReader(data))
		if _, err := dec.Token(); err != nil {
			return "", syntaxError("", err)
		}
		if !dec.More() {
			if _, err := dec.Token(); err != nil {
				return "", syntaxError("", err)
			}
			return "", &ParseError{Reason: "empty batch: nothing tells the provider", Err: ErrUnknownShape, Index: -1}
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return "", syntaxError("", err)
		}
		first = raw
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(first, &keys); err != nil {
		if !json.Valid(first) {
			return "", syntaxError("", err)
		}
		return "", &ParseError{Reason: "payload is not a JSON object or an array of objects", Err: ErrUnknownShape, Index: -1}
	}
	has := func(k string) bool { _, ok := keys[k]; return ok }
	switch {
	case has("Type") && has("TopicArn"):
		return SES, nil
	case (has("notificationType") || has("eventType")) && has("mail"):
		return SES, nil
	case has("detail") && stringField(keys, "source") == "aws.ses":
		return SES, nil
	case has("event-data"):
		return Mailgun, nil
	case has("RecordType"):
		return Postmark, nil
	case has("msys"):
		return SparkPost, nil
	case has("data") && strings.HasPrefix(stringField(keys, "type"), "email."):
		return Resend, nil
	case has("event") && (has("sg_event_id") || has("sg_message_id") || has("smtp-id")):
		return SendGrid, nil
	case has("event") && (has("Message_GUID") || has("MessageID") || has("mj_contact_id") || has("mj_campaign_id")):
		return Mailjet, nil
	case has("event") && (has("message-id") || has("ts_event") || has("ts_epoch") || has("sending_ip")):
		return Brevo, nil
	}
	return "", &ParseError{Reason: "no known provider's notification shape", Err: ErrUnknownShape, Index: -1}
}

// stringField returns the string value of key in an object, or "".
func stringField(obj map[string]json.RawMessage, key string) string {
	var s string
	if raw, ok := obj[key]; ok {
		if json.Unmarshal(raw, &s) != nil {
			return ""
		}
	}
	return s
}
