package events

import (
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// sendgridEvent is one event of SendGrid's Event Webhook.
type sendgridEvent struct {
	Email          string     `json:"email"`
	Timestamp      unixTime   `json:"timestamp"`
	SMTPID         string     `json:"smtp-id"`
	Event          string     `json:"event"`
	SGEventID      string     `json:"sg_event_id"`
	SGMessageID    string     `json:"sg_message_id"`
	Reason         string     `json:"reason"`
	Status         string     `json:"status"`
	Response       string     `json:"response"`
	Attempt        flexString `json:"attempt"`
	Type           string     `json:"type"`
	Classification string     `json:"bounce_classification"`
	IP             string     `json:"ip"`
	TLS            flexString `json:"tls"`
}

func (ps *parser) sendgrid(data []byte) error {
	return eachEvent(ps, data, true, func(ev *sendgridEvent) string { return ev.Event }, sendgridRecord)
}

// sendgridRecord is the record of one SendGrid event.
func sendgridRecord(ev *sendgridEvent) bounce.Record {
	r := bounce.Record{
		Recipient:         ev.Email,
		Timestamp:         ev.Timestamp.t(),
		MessageID:         messageID(ev.SMTPID),
		ProviderMessageID: ev.SGMessageID,
		ProviderType:      ev.Event,
		ProviderSubtype:   ev.Type,
		Status:            ev.Status,
	}
	switch ev.Event {
	case "bounce", "blocked":
		r.Diagnostic = ev.Reason
		if r.ProviderSubtype == "" && ev.Event == "blocked" {
			r.ProviderSubtype = "blocked"
		}
		c := sendgridClass(ev.Classification)
		if ev.Classification != "" {
			r.ProviderSubtype = strings.TrimPrefix(r.ProviderSubtype+"/"+ev.Classification, "/")
		}
		// SendGrid: a bounce is a permanent refusal, a block a temporary one.
		if ev.Event == "blocked" || ev.Type == "blocked" {
			failure(SendGrid, &r, bounce.KindBounce, bounce.Soft, c)
		} else {
			failure(SendGrid, &r, bounce.KindBounce, bounce.Hard, c)
		}
	case "deferred":
		r.Diagnostic = ev.Response
		failure(SendGrid, &r, bounce.KindDelay, bounce.Soft, class{})
	case "dropped":
		r.Diagnostic = ev.Reason
		r.ProviderSubtype = ev.Reason
		sev, c := sendgridDrop(ev.Reason)
		failure(SendGrid, &r, bounce.KindDropped, sev, c)
	case "delivered":
		r.Kind = bounce.KindDelivered
		r.Diagnostic = ev.Response
	case "spamreport":
		r.Kind = bounce.KindComplaint
		r.FeedbackType = "abuse"
	default:
		// processed, open, click, unsubscribe, group_unsubscribe,
		// group_resubscribe and later additions.
		r.Kind = bounce.KindOther
	}
	return r
}

// sendgridClass maps SendGrid's bounce_classification to a cause hint.
func sendgridClass(c string) class {
	label := "bounce_classification " + c
	switch strings.ToLower(c) {
	case "invalid address":
		return hint(smtperr.CauseRecipientUnknown, label)
	case "mailbox unavailable":
		return hint(smtperr.CauseMailboxDisabled, label)
	case "reputation":
		return hint(smtperr.CauseBadReputation, label)
	case "content":
		return hint(smtperr.CauseContentRejected, label)
	case "frequency or volume":
		return hint(smtperr.CauseRateLimited, label)
	}
	// Technical and Unclassified name no cause.
	return class{}
}

// sendgridDrop maps a dropped event's reason to a severity and cause.
// SendGrid drops without trying for suppressed addresses (earlier bounce,
// unsubscribe, spam report), invalid addresses, spam content and quota.
func sendgridDrop(reason string) (bounce.Severity, class) {
	l := strings.ToLower(reason)
	label := "dropped " + reason
	switch {
	case strings.Contains(l, "bounced address"), strings.Contains(l, "unsubscribed address"),
		strings.Contains(l, "spam reporting address"), strings.Contains(l, "suppress"):
		return bounce.Hard, decisive(smtperr.CauseSuppressed, label)
	case strings.Contains(l, "spam content"):
		return bounce.Soft, decisive(smtperr.CauseSpamDetected, label)
	case strings.Contains(l, "quota"):
		return bounce.Soft, decisive(smtperr.CauseQuotaExceeded, label)
	case strings.Contains(l, "smtpapi"):
		return bounce.Soft, decisive(smtperr.CauseSyntaxError, label)
	case strings.Contains(l, "invalid"):
		return bounce.Hard, hint(smtperr.CauseRecipientUnknown, label)
	}
	return bounce.Soft, class{}
}

func (u unixTime) t() time.Time { return time.Time(u) }
