package events

import (
	"strings"

	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// brevoEvent is one Brevo transactional webhook event.
type brevoEvent struct {
	Event     string `json:"event"`
	Email     string `json:"email"`
	MessageID string `json:"message-id"`
	// MessageIDAlt is the spelling of some payload versions.
	MessageIDAlt string     `json:"messageId"`
	TSEvent      unixTime   `json:"ts_event"`
	TS           unixTime   `json:"ts"`
	Reason       string     `json:"reason"`
	ID           flexString `json:"id"`
}

func (ps *parser) brevo(data []byte) error {
	return eachEvent(ps, data, false, func(ev *brevoEvent) string { return ev.Event }, brevoRecord)
}

// brevoRecord is the record of one Brevo event.
func brevoRecord(ev *brevoEvent) bounce.Record {
	if ev.MessageID == "" {
		ev.MessageID = ev.MessageIDAlt
	}
	mid := messageID(ev.MessageID)
	r := bounce.Record{
		Recipient:         ev.Email,
		Timestamp:         ev.TSEvent.t(),
		MessageID:         mid,
		ProviderMessageID: mid,
		ProviderType:      ev.Event,
		Diagnostic:        ev.Reason,
	}
	if r.Timestamp.IsZero() {
		r.Timestamp = ev.TS.t()
	}
	switch strings.ToLower(ev.Event) {
	case "hard_bounce", "hardbounce", "hard_bounced":
		failure(Brevo, &r, bounce.KindBounce, bounce.Hard, class{})
	case "soft_bounce", "softbounce", "soft_bounced":
		failure(Brevo, &r, bounce.KindBounce, bounce.Soft, class{})
	case "deferred":
		failure(Brevo, &r, bounce.KindDelay, bounce.Soft, class{})
	case "blocked":
		// Brevo blocked the message: the address is on its blocklist.
		failure(Brevo, &r, bounce.KindDropped, bounce.Hard, decisive(smtperr.CauseSuppressed, ev.Event))
	case "invalid_email", "invalid":
		failure(Brevo, &r, bounce.KindDropped, bounce.Hard, hint(smtperr.CauseRecipientUnknown, ev.Event))
	case "error":
		failure(Brevo, &r, bounce.KindDropped, bounce.Soft, class{})
	case "spam", "complaint":
		r.Kind = bounce.KindComplaint
		r.FeedbackType = "abuse"
		r.Diagnostic = ""
	case "delivered":
		r.Kind = bounce.KindDelivered
	default:
		// request, opened, unique_opened, click, unsubscribed,
		// proxy_open and later additions.
		r.Kind = bounce.KindOther
	}
	return r
}
