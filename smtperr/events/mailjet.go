package events

import (
	"strings"

	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// mailjetEvent is one Mailjet event-API event.
type mailjetEvent struct {
	Event          string     `json:"event"`
	Time           unixTime   `json:"time"`
	MessageID      flexString `json:"MessageID"`
	MessageGUID    string     `json:"Message_GUID"`
	Email          string     `json:"email"`
	Blocked        bool       `json:"blocked"`
	HardBounce     bool       `json:"hard_bounce"`
	ErrorRelatedTo string     `json:"error_related_to"`
	Error          string     `json:"error"`
	Comment        string     `json:"comment"`
	SMTPReply      string     `json:"smtp_reply"`
	Source         string     `json:"source"`
}

func (ps *parser) mailjet(data []byte) error {
	return eachEvent(ps, data, false, func(ev *mailjetEvent) string { return ev.Event }, mailjetRecord)
}

// mailjetRecord is the record of one Mailjet event.
func mailjetRecord(ev *mailjetEvent) bounce.Record {
	r := bounce.Record{
		Recipient:         ev.Email,
		Timestamp:         ev.Time.t(),
		ProviderMessageID: string(ev.MessageID),
		ProviderType:      ev.Event,
	}
	if r.ProviderMessageID == "" {
		r.ProviderMessageID = ev.MessageGUID
	}
	if ev.ErrorRelatedTo != "" || ev.Error != "" {
		r.ProviderSubtype = ev.ErrorRelatedTo + "/" + ev.Error
	}
	r.Diagnostic = ev.SMTPReply
	if r.Diagnostic == "" {
		r.Diagnostic = ev.Comment
	}
	if r.Diagnostic == "" && ev.Error != "" {
		r.Diagnostic = ev.Error
	}
	switch ev.Event {
	case "bounce":
		sev := bounce.Soft
		if ev.HardBounce {
			sev = bounce.Hard
		}
		kind, c := mailjetClass(ev.ErrorRelatedTo, ev.Error)
		if kind == "" {
			kind = bounce.KindBounce
		}
		failure(Mailjet, &r, kind, sev, c)
	case "blocked":
		// Mailjet did not send: its own lists or checks stopped the message.
		_, c := mailjetClass(ev.ErrorRelatedTo, ev.Error)
		failure(Mailjet, &r, bounce.KindDropped, bounce.Hard, c)
	case "spam":
		r.Kind = bounce.KindComplaint
		r.FeedbackType = "abuse"
		r.ProviderSubtype = ev.Source
	case "sent":
		r.Kind = bounce.KindDelivered
	default:
		// open, click, unsub and later additions.
		r.Kind = bounce.KindOther
	}
	return r
}

// mailjetClass maps Mailjet's error_related_to and error (its table of
// possible error values) to the cause they name. A kind is returned only when
// the error means Mailjet did not try.
func mailjetClass(related, errText string) (bounce.Kind, class) {
	label := related + "/" + errText
	switch strings.ToLower(errText) {
	case "user unknown":
		return "", hint(smtperr.CauseRecipientUnknown, label)
	case "mailbox inactive":
		return "", hint(smtperr.CauseMailboxDisabled, label)
	case "quota exceeded":
		return "", hint(smtperr.CauseMailboxFull, label)
	case "invalid domain", "no mail host":
		return "", hint(smtperr.CauseRecipientDomainUnknown, label)
	case "relay/access denied":
		return "", hint(smtperr.CauseRelayDenied, label)
	case "greylisted":
		return "", hint(smtperr.CauseGreylisted, label)
	case "sender blocked":
		return "", hint(smtperr.CauseBlocked, label)
	case "content blocked":
		return "", hint(smtperr.CauseSpamDetected, label)
	case "policy issue":
		return "", hint(smtperr.CausePolicyViolation, label)
	case "system issue":
		return "", hint(smtperr.CauseSystemError, label)
	case "protocol issue":
		return "", hint(smtperr.CauseSyntaxError, label)
	case "connection issue":
		return "", hint(smtperr.CauseNetworkError, label)
	case "blacklisted", "spam reporter", "preblocked":
		return bounce.KindDropped, decisive(smtperr.CauseSuppressed, label)
	case "typofix":
		return bounce.KindDropped, hint(smtperr.CauseRecipientDomainUnknown, label)
	case "duplicate in campaign", "bad or empty template", "error in template language":
		return bounce.KindDropped, class{}
	}
	return "", class{}
}
