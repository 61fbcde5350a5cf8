package events

import (
	"strconv"
	"strings"

	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// mailgunPayload is a Mailgun webhook body: the signature and one event.
type mailgunPayload struct {
	Signature *mailgunSignature `json:"signature"`
	EventData *mailgunEvent     `json:"event-data"`
}

type mailgunSignature struct {
	Timestamp flexString `json:"timestamp"`
	Token     string     `json:"token"`
	Signature string     `json:"signature"`
}

type mailgunEvent struct {
	Event          string   `json:"event"`
	ID             string   `json:"id"`
	Timestamp      unixTime `json:"timestamp"`
	Severity       string   `json:"severity"`
	Reason         string   `json:"reason"`
	Recipient      string   `json:"recipient"`
	DeliveryStatus struct {
		Code         flexString `json:"code"`
		EnhancedCode string     `json:"enhanced-code"`
		Message      string     `json:"message"`
		Description  string     `json:"description"`
		MXHost       string     `json:"mx-host"`
		AttemptNo    flexString `json:"attempt-no"`
	} `json:"delivery-status"`
	Message struct {
		Headers struct {
			MessageID string `json:"message-id"`
		} `json:"headers"`
	} `json:"message"`
}

func (ps *parser) mailgun(data []byte) error {
	var p mailgunPayload
	if err := ps.decode(-1, data, &p); err != nil {
		return err
	}
	ev := p.EventData
	if ev == nil || ev.Event == "" {
		return ps.errf(-1, ErrUnknownShape, "no event-data with an event name")
	}
	mid := messageID(ev.Message.Headers.MessageID)
	r := bounce.Record{
		Recipient:         ev.Recipient,
		Timestamp:         ev.Timestamp.t(),
		MessageID:         mid,
		ProviderMessageID: mid,
		ProviderType:      ev.Event,
		Status:            ev.DeliveryStatus.EnhancedCode,
		RemoteMTA:         ev.DeliveryStatus.MXHost,
	}
	ds := ev.DeliveryStatus
	r.Diagnostic = ds.Message
	if r.Diagnostic == "" {
		r.Diagnostic = ds.Description
	} else if ds.Description != "" && ds.Description != ds.Message {
		r.Diagnostic += " " + ds.Description
	}
	switch ev.Event {
	case "failed", "rejected":
		r.ProviderSubtype = strings.Trim(ev.Severity+"/"+ev.Reason, "/")
		kind, sev, c := mailgunClass(ev.Event, ev.Severity, ev.Reason, string(ds.Code))
		code, _ := strconv.Atoi(string(ds.Code))
		r.Kind, r.Severity = kind, sev
		text := r.Diagnostic
		if code >= 400 && code < 600 && !startsWithCode(text) {
			text = strconv.Itoa(code) + " " + text
		}
		r.Explanation = explain(Mailgun, text, r.Status, c)
	case "delivered":
		r.Kind = bounce.KindDelivered
	case "complained":
		r.Kind = bounce.KindComplaint
		r.FeedbackType = "abuse"
	default:
		// accepted, opened, clicked, unsubscribed, stored and later additions.
		r.Kind = bounce.KindOther
	}
	return ps.add(0, r)
}

// mailgunClass maps a failed event's severity and reason (and Mailgun's own
// 6xx codes) to a kind, a severity and a cause.
func mailgunClass(event, severity, reason, code string) (bounce.Kind, bounce.Severity, class) {
	label := strings.Trim(severity+"/"+reason, "/")
	switch {
	case strings.HasPrefix(reason, "suppress-"), code == "605", code == "607":
		// Mailgun did not try: the address bounced, unsubscribed or complained
		// before (605 and 607 are Mailgun's codes for that).
		return bounce.KindDropped, bounce.Hard, decisive(smtperr.CauseSuppressed, label)
	case event == "rejected":
		return bounce.KindDropped, bounce.Hard, class{}
	}
	var c class
	switch reason {
	case "old":
		c = hint(smtperr.CauseExpired, label)
	case "espblock":
		c = hint(smtperr.CauseBlocked, label)
	case "greylisted":
		c = hint(smtperr.CauseGreylisted, label)
	case "blacklisted":
		c = hint(smtperr.CauseBlocked, label)
	}
	if severity == "temporary" {
		return bounce.KindDelay, bounce.Soft, c
	}
	return bounce.KindBounce, bounce.Hard, c
}

// startsWithCode reports whether s begins with a three-digit reply code.
func startsWithCode(s string) bool {
	return len(s) >= 3 && s[0] >= '2' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
		(len(s) == 3 || s[3] == ' ' || s[3] == '-')
}
