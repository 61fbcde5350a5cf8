package events

import (
	"encoding/json"
	"strconv"

	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// sparkpostEvent is the inner object of one SparkPost msys event.
type sparkpostEvent struct {
	Type           string     `json:"type"`
	BounceClass    flexString `json:"bounce_class"`
	Reason         string     `json:"reason"`
	RawReason      string     `json:"raw_reason"`
	ErrorCode      flexString `json:"error_code"`
	RcptTo         string     `json:"rcpt_to"`
	RawRcptTo      string     `json:"raw_rcpt_to"`
	MessageID      string     `json:"message_id"`
	TransmissionID flexString `json:"transmission_id"`
	Timestamp      unixTime   `json:"timestamp"`
	InjectionTime  isoTime    `json:"injection_time"`
	FBType         string     `json:"fbtype"`
	ReportBy       string     `json:"report_by"`
	RecvMethod     string     `json:"recv_method"`
}

func (ps *parser) sparkpost(data []byte) error {
	evs, err := ps.batch(data, true)
	if err != nil {
		return err
	}
	for i, raw := range evs {
		var wrap struct {
			Msys map[string]json.RawMessage `json:"msys"`
		}
		if err := ps.decode(i, raw, &wrap); err != nil {
			return err
		}
		if wrap.Msys == nil {
			return ps.errf(i, ErrUnknownShape, "event without msys")
		}
		if len(wrap.Msys) == 0 {
			// The empty msys object of SparkPost's test ping.
			continue
		}
		if len(wrap.Msys) != 1 {
			return ps.errf(i, ErrUnknownShape, "msys holds %d event objects, want 1", len(wrap.Msys))
		}
		for _, inner := range wrap.Msys {
			var ev sparkpostEvent
			if err := ps.decode(i, inner, &ev); err != nil {
				return err
			}
			if err := ps.sparkpostEvent(i, &ev); err != nil {
				return err
			}
		}
	}
	return nil
}

func (ps *parser) sparkpostEvent(i int, ev *sparkpostEvent) error {
	if ev.Type == "" {
		return ps.errf(i, ErrUnknownShape, "event without a type")
	}
	r := bounce.Record{
		Recipient:         ev.RcptTo,
		Timestamp:         ev.Timestamp.t(),
		ArrivalDate:       ev.InjectionTime.t(),
		ProviderMessageID: ev.MessageID,
		ProviderType:      ev.Type,
	}
	if r.Recipient == "" {
		r.Recipient = ev.RawRcptTo
	}
	r.Diagnostic = ev.RawReason
	if r.Diagnostic == "" {
		r.Diagnostic = ev.Reason
	}
	switch ev.Type {
	case "bounce", "out_of_band", "policy_rejection":
		if ev.BounceClass != "" {
			r.ProviderSubtype = "bounce_class " + string(ev.BounceClass)
		}
		kind, sev, c := sparkpostClass(string(ev.BounceClass))
		if ev.Type == "policy_rejection" {
			kind, sev = bounce.KindDropped, bounce.Hard
		}
		if kind == bounce.KindAutoReply || kind == bounce.KindOther {
			r.Kind = kind
			break
		}
		failure(SparkPost, &r, kind, sev, c)
	case "delay":
		if ev.BounceClass != "" {
			r.ProviderSubtype = "bounce_class " + string(ev.BounceClass)
		}
		// A delay carries the class its reply would bounce with; a hint only.
		_, _, c := sparkpostClass(string(ev.BounceClass))
		if c.decisive {
			c = class{}
		}
		failure(SparkPost, &r, bounce.KindDelay, bounce.Soft, c)
	case "generation_failure", "generation_rejection":
		failure(SparkPost, &r, bounce.KindDropped, bounce.Soft, class{})
	case "spam_complaint":
		r.Kind = bounce.KindComplaint
		r.FeedbackType = ev.FBType
		r.Diagnostic = ""
	case "delivery":
		r.Kind = bounce.KindDelivered
		r.Diagnostic = ""
	default:
		// injection, open, click, initial_open, amp_*, link_unsubscribe,
		// list_unsubscribe, relay_* and later additions.
		r.Kind = bounce.KindOther
		r.Diagnostic = ""
	}
	return ps.add(i, r)
}

// sparkpostClass maps a SparkPost bounce class (its bounce classification
// codes) to a kind, a severity and the cause it names. Hard and admin classes
// are final; soft, block and undetermined ones are usually temporary.
func sparkpostClass(s string) (bounce.Kind, bounce.Severity, class) {
	n, _ := strconv.Atoi(s)
	label := "bounce_class " + s
	switch n {
	case 10:
		return bounce.KindBounce, bounce.Hard, hint(smtperr.CauseRecipientUnknown, label)
	case 30:
		return bounce.KindBounce, bounce.Hard, hint(smtperr.CauseRecipientUnknown, label)
	case 90:
		return bounce.KindOther, "", class{}
	case 25, 26:
		// Failed by SparkPost's own policies (suppression list, Smart Send).
		return bounce.KindDropped, bounce.Hard, decisive(smtperr.CauseSuppressed, label)
	case 80:
		return bounce.KindOther, "", class{}
	case 21:
		return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseRecipientDomainUnknown, label)
	case 22:
		return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseMailboxFull, label)
	case 23:
		return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseMessageTooLarge, label)
	case 24:
		return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseExpired, label)
	case 50:
		return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseBlocked, label)
	case 51:
		return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseBadReputation, label)
	case 52:
		return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseSpamDetected, label)
	case 53:
		return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseContentRejected, label)
	case 54:
		return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseRelayDenied, label)
	case 60, 100:
		return bounce.KindAutoReply, "", class{}
	}
	// 1 undetermined, 20 soft, 40 generic, 70 transient, and unknown classes.
	return bounce.KindBounce, bounce.Soft, class{}
}
