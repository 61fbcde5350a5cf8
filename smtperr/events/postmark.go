package events

import (
	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// postmarkRecord is a Postmark webhook body; RecordType tells which.
type postmarkRecord struct {
	RecordType  string     `json:"RecordType"`
	Type        string     `json:"Type"`
	TypeCode    flexString `json:"TypeCode"`
	MessageID   string     `json:"MessageID"`
	Description string     `json:"Description"`
	Details     string     `json:"Details"`
	Email       string     `json:"Email"`
	Recipient   string     `json:"Recipient"`
	BouncedAt   isoTime    `json:"BouncedAt"`
	DeliveredAt isoTime    `json:"DeliveredAt"`
	ReceivedAt  isoTime    `json:"ReceivedAt"`
	ChangedAt   isoTime    `json:"ChangedAt"`
	Inactive    bool       `json:"Inactive"`
}

func (ps *parser) postmark(data []byte) error {
	var pr postmarkRecord
	if err := ps.decode(-1, data, &pr); err != nil {
		return err
	}
	if pr.RecordType == "" {
		return ps.errf(-1, ErrUnknownShape, "no RecordType")
	}
	r := bounce.Record{
		Recipient:         pr.Email,
		ProviderMessageID: pr.MessageID,
		ProviderType:      pr.RecordType,
		ProviderSubtype:   pr.Type,
	}
	if r.Recipient == "" {
		r.Recipient = pr.Recipient
	}
	for _, t := range []isoTime{pr.BouncedAt, pr.DeliveredAt, pr.ReceivedAt, pr.ChangedAt} {
		if !t.t().IsZero() {
			r.Timestamp = t.t()
			break
		}
	}
	switch pr.RecordType {
	case "Bounce":
		if pr.Type == "" {
			return ps.errf(-1, ErrMissingField, "Bounce without a Type")
		}
		r.Diagnostic = pr.Details
		if r.Diagnostic == "" {
			r.Diagnostic = pr.Description
		}
		kind, sev, c := postmarkClass(pr.Type)
		if kind == bounce.KindOther || kind == bounce.KindAutoReply || kind == bounce.KindComplaint {
			r.Kind = kind
			if kind == bounce.KindComplaint {
				r.FeedbackType = "abuse"
			}
		} else {
			failure(Postmark, &r, kind, sev, c)
		}
	case "SpamComplaint":
		r.Kind = bounce.KindComplaint
		r.FeedbackType = "abuse"
	case "Delivery":
		r.Kind = bounce.KindDelivered
		r.Diagnostic = pr.Details
	default:
		// Open, Click, SubscriptionChange and later additions.
		r.Kind = bounce.KindOther
	}
	return ps.add(0, r)
}

// postmarkClass maps a Postmark bounce type (the names of its bounce API) to
// a kind, a severity and the cause it names.
func postmarkClass(t string) (bounce.Kind, bounce.Severity, class) {
	switch t {
	case "HardBounce":
		return bounce.KindBounce, bounce.Hard, hint(smtperr.CauseRecipientUnknown, t)
	case "Transient":
		return bounce.KindDelay, bounce.Soft, class{}
	case "SoftBounce", "Undeliverable", "Unknown":
		return bounce.KindBounce, bounce.Soft, class{}
	case "DnsError":
		return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseNetworkError, t)
	case "AddressChange":
		return bounce.KindBounce, bounce.Hard, hint(smtperr.CauseMailboxMoved, t)
	case "SpamNotification":
		return bounce.KindBounce, bounce.Hard, hint(smtperr.CauseSpamDetected, t)
	case "VirusNotification":
		return bounce.KindBounce, bounce.Hard, hint(smtperr.CauseVirusDetected, t)
	case "Blocked":
		return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseBlocked, t)
	case "DMARCPolicy":
		return bounce.KindBounce, bounce.Hard, hint(smtperr.CauseDMARCFailed, t)
	case "BadEmailAddress":
		return bounce.KindDropped, bounce.Hard, hint(smtperr.CauseRecipientUnknown, t)
	case "ManuallyDeactivated":
		return bounce.KindDropped, bounce.Hard, decisive(smtperr.CauseSuppressed, t)
	case "SMTPApiError":
		return bounce.KindDropped, bounce.Soft, hint(smtperr.CauseSyntaxError, t)
	case "TemplateRenderingFailed", "Unconfirmed":
		return bounce.KindDropped, bounce.Soft, class{}
	case "AutoResponder", "ChallengeVerification":
		return bounce.KindAutoReply, "", class{}
	case "SpamComplaint":
		return bounce.KindComplaint, "", class{}
	}
	// Subscribe, Unsubscribe, OpenRelayTest, InboundError and later types
	// report no delivery failure.
	return bounce.KindOther, "", class{}
}
