package events

import (
	"encoding/json"
	"strings"

	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// resendEvent is a Resend webhook body.
type resendEvent struct {
	Type      string  `json:"type"`
	CreatedAt isoTime `json:"created_at"`
	Data      *struct {
		EmailID   string          `json:"email_id"`
		CreatedAt isoTime         `json:"created_at"`
		To        json.RawMessage `json:"to"`
		Bounce    *struct {
			Message string `json:"message"`
			Type    string `json:"type"`
			SubType string `json:"subType"`
		} `json:"bounce"`
		Failed *struct {
			Reason string `json:"reason"`
		} `json:"failed"`
		Suppressed *struct {
			Message string `json:"message"`
			Type    string `json:"type"`
		} `json:"suppressed"`
	} `json:"data"`
}

func (ps *parser) resend(data []byte) error {
	var ev resendEvent
	if err := ps.decode(-1, data, &ev); err != nil {
		return err
	}
	if !strings.HasPrefix(ev.Type, "email.") || ev.Data == nil {
		return ps.errf(-1, ErrUnknownShape, "not a Resend email event (type %s)", quote(ev.Type))
	}
	d := ev.Data
	var to []string
	if len(d.To) > 0 && string(d.To) != "null" {
		if err := json.Unmarshal(d.To, &to); err != nil {
			var one string
			if json.Unmarshal(d.To, &one) != nil {
				return ps.errf(-1, ErrBadValue, "data.to is neither an address nor a list")
			}
			to = []string{one}
		}
	}
	if len(to) == 0 {
		return ps.errf(-1, ErrMissingField, "%s without data.to", ev.Type)
	}
	base := bounce.Record{
		ProviderMessageID: d.EmailID,
		ProviderType:      ev.Type,
		Timestamp:         ev.CreatedAt.t(),
		ArrivalDate:       d.CreatedAt.t(),
	}
	for _, rcpt := range to {
		r := base
		r.Recipient = rcpt
		switch ev.Type {
		case "email.bounced":
			if d.Bounce == nil {
				return ps.errf(-1, ErrMissingField, "email.bounced without data.bounce")
			}
			// Resend sends through SES and passes on its bounce types.
			r.ProviderSubtype = d.Bounce.Type + "/" + d.Bounce.SubType
			r.Diagnostic = d.Bounce.Message
			kind, sev, c := sesBounceClass(d.Bounce.Type, d.Bounce.SubType)
			failure(Resend, &r, kind, sev, c)
		case "email.delivery_delayed":
			failure(Resend, &r, bounce.KindDelay, bounce.Soft, class{})
		case "email.failed":
			if d.Failed != nil {
				r.Diagnostic = d.Failed.Reason
				r.ProviderSubtype = d.Failed.Reason
			}
			// The reason is a snake_case word ("reached_daily_quota"); read
			// it as words.
			r.Diagnostic = strings.ReplaceAll(r.Diagnostic, "_", " ")
			failure(Resend, &r, bounce.KindDropped, bounce.Soft, resendFailClass(r.ProviderSubtype))
		case "email.suppressed":
			if d.Suppressed != nil {
				r.Diagnostic = d.Suppressed.Message
				r.ProviderSubtype = d.Suppressed.Type
			}
			failure(Resend, &r, bounce.KindDropped, bounce.Hard, decisive(smtperr.CauseSuppressed, "email.suppressed"))
		case "email.complained":
			r.Kind = bounce.KindComplaint
			r.FeedbackType = "abuse"
		case "email.delivered":
			r.Kind = bounce.KindDelivered
		default:
			// email.sent, email.opened, email.clicked, email.scheduled,
			// email.received and later additions.
			r.Kind = bounce.KindOther
		}
		if err := ps.add(0, r); err != nil {
			return err
		}
	}
	return nil
}

// resendFailClass maps the reason of an email.failed event (invalid
// recipients, API key problems, domain verification, quota, per Resend's
// documentation) to the cause it names, by the words it holds.
func resendFailClass(reason string) class {
	l := strings.ToLower(reason)
	has := func(w ...string) bool {
		for _, x := range w {
			if strings.Contains(l, x) {
				return true
			}
		}
		return false
	}
	switch {
	case has("quota", "limit"):
		return decisive(smtperr.CauseQuotaExceeded, reason)
	case has("api_key", "api key", "apikey"):
		return decisive(smtperr.CauseAuthFailed, reason)
	case has("domain") && has("verif"):
		return decisive(smtperr.CauseSenderDomainNotVerified, reason)
	case has("invalid") && has("recipient", "to_", "address", "email"):
		return hint(smtperr.CauseRecipientUnknown, reason)
	}
	return class{}
}
