package events

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// snsEnvelope is an Amazon SNS HTTP(S) message.
type snsEnvelope struct {
	Type             string `json:"Type"`
	MessageID        string `json:"MessageId"`
	Token            string `json:"Token"`
	TopicArn         string `json:"TopicArn"`
	Subject          string `json:"Subject"`
	Message          string `json:"Message"`
	SubscribeURL     string `json:"SubscribeURL"`
	Timestamp        string `json:"Timestamp"`
	SignatureVersion string `json:"SignatureVersion"`
	Signature        string `json:"Signature"`
	SigningCertURL   string `json:"SigningCertURL"`
	// Older messages spell the certificate field SigningCertUrl.
	SigningCertURLOld string `json:"SigningCertUrl"`
}

func (e *snsEnvelope) certURL() string {
	if e.SigningCertURL != "" {
		return e.SigningCertURL
	}
	return e.SigningCertURLOld
}

// sesNotification is an SES notification (notificationType) or an event
// publishing record (eventType).
type sesNotification struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Mail             *struct {
		Timestamp     isoTime  `json:"timestamp"`
		MessageID     string   `json:"messageId"`
		Destination   []string `json:"destination"`
		CommonHeaders struct {
			MessageID string `json:"messageId"`
		} `json:"commonHeaders"`
	} `json:"mail"`
	Bounce *struct {
		BounceType        string         `json:"bounceType"`
		BounceSubType     string         `json:"bounceSubType"`
		BouncedRecipients []sesRecipient `json:"bouncedRecipients"`
		Timestamp         isoTime        `json:"timestamp"`
		FeedbackID        string         `json:"feedbackId"`
		RemoteMtaIP       string         `json:"remoteMtaIp"`
		ReportingMTA      string         `json:"reportingMTA"`
	} `json:"bounce"`
	Complaint *struct {
		ComplainedRecipients  []sesRecipient `json:"complainedRecipients"`
		Timestamp             isoTime        `json:"timestamp"`
		ComplaintSubType      flexString     `json:"complaintSubType"`
		ComplaintFeedbackType string         `json:"complaintFeedbackType"`
		ArrivalDate           isoTime        `json:"arrivalDate"`
	} `json:"complaint"`
	Delivery *struct {
		Timestamp    isoTime  `json:"timestamp"`
		Recipients   []string `json:"recipients"`
		SMTPResponse string   `json:"smtpResponse"`
		ReportingMTA string   `json:"reportingMTA"`
		RemoteMtaIP  string   `json:"remoteMtaIp"`
	} `json:"delivery"`
	DeliveryDelay *struct {
		Timestamp         isoTime        `json:"timestamp"`
		DelayType         string         `json:"delayType"`
		DelayedRecipients []sesRecipient `json:"delayedRecipients"`
		ReportingMTA      string         `json:"reportingMTA"`
	} `json:"deliveryDelay"`
	Reject *struct {
		Reason string `json:"reason"`
	} `json:"reject"`
	Failure *struct {
		ErrorMessage string `json:"errorMessage"`
		TemplateName string `json:"templateName"`
	} `json:"failure"`
	Open  *struct{ Timestamp isoTime } `json:"open"`
	Click *struct{ Timestamp isoTime } `json:"click"`
}

type sesRecipient struct {
	EmailAddress   string `json:"emailAddress"`
	Action         string `json:"action"`
	Status         string `json:"status"`
	DiagnosticCode string `json:"diagnosticCode"`
}

// ses reads an SNS envelope, an EventBridge event or a bare SES record.
func (ps *parser) ses(data []byte) error {
	var top map[string]json.RawMessage
	if err := ps.decode(-1, data, &top); err != nil {
		return err
	}
	// The envelope is recognised by decoding it the way Verifier reads it
	// (encoding/json matches names without regard to case), so a body that
	// passes the SNS signature check is always read through its signed
	// Message and never as the unsigned fields beside it.
	var env snsEnvelope
	if err := ps.decode(-1, data, &env); err != nil {
		return err
	}
	switch {
	case env.Type != "" || env.TopicArn != "":
		switch env.Type {
		case "Notification":
		case "SubscriptionConfirmation", "UnsubscribeConfirmation":
			return &ConfirmationError{Type: env.Type, TopicArn: env.TopicArn, SubscribeURL: env.SubscribeURL}
		default:
			return ps.errf(-1, ErrUnknownShape, "SNS message of type %s", quote(env.Type))
		}
		return ps.sesRecord([]byte(env.Message))
	case top["detail"] != nil:
		return ps.sesRecord(top["detail"])
	}
	return ps.sesRecord(data)
}

func (ps *parser) sesRecord(data []byte) error {
	var n sesNotification
	if err := ps.decode(-1, data, &n); err != nil {
		if pe, ok := err.(*ParseError); ok && pe.Err == ErrSyntax {
			pe.Reason = "SNS Message is not an SES notification: " + pe.Reason
		}
		return err
	}
	typ := n.NotificationType
	if typ == "" {
		typ = n.EventType
	}
	if typ == "" || n.Mail == nil {
		return ps.errf(-1, ErrUnknownShape, "not an SES notification: no notificationType or eventType with mail")
	}
	base := bounce.Record{
		ProviderType:      typ,
		ProviderMessageID: n.Mail.MessageID,
		MessageID:         messageID(n.Mail.CommonHeaders.MessageID),
		ArrivalDate:       n.Mail.Timestamp.t(),
		Timestamp:         n.Mail.Timestamp.t(),
	}
	switch typ {
	case "Bounce":
		b := n.Bounce
		if b == nil {
			return ps.errf(-1, ErrMissingField, "Bounce without a bounce object")
		}
		if len(b.BouncedRecipients) == 0 {
			return ps.errf(-1, ErrMissingField, "Bounce without bouncedRecipients")
		}
		kind, sev, c := sesBounceClass(b.BounceType, b.BounceSubType)
		for _, br := range b.BouncedRecipients {
			r := base
			r.ProviderType, r.ProviderSubtype = b.BounceType, b.BounceSubType
			r.Recipient = br.EmailAddress
			r.Action, r.Status, r.Diagnostic = br.Action, br.Status, br.DiagnosticCode
			r.RemoteMTA = b.RemoteMtaIP
			r.ReportingMTA = mtaName(b.ReportingMTA)
			r.Timestamp = b.Timestamp.t()
			failure(SES, &r, kind, sev, c)
			if err := ps.add(0, r); err != nil {
				return err
			}
		}
	case "Complaint":
		cp := n.Complaint
		if cp == nil || len(cp.ComplainedRecipients) == 0 {
			return ps.errf(-1, ErrMissingField, "Complaint without complainedRecipients")
		}
		for _, cr := range cp.ComplainedRecipients {
			r := base
			r.Recipient = cr.EmailAddress
			r.ProviderSubtype = string(cp.ComplaintSubType)
			r.FeedbackType = cp.ComplaintFeedbackType
			r.Timestamp = cp.Timestamp.t()
			if !cp.ArrivalDate.t().IsZero() {
				r.ArrivalDate = cp.ArrivalDate.t()
			}
			if r.ProviderSubtype == "OnAccountSuppressionList" {
				failure(SES, &r, bounce.KindDropped, bounce.Hard, decisive(smtperr.CauseSuppressed, "Complaint/OnAccountSuppressionList"))
			} else {
				r.Kind = bounce.KindComplaint
			}
			if err := ps.add(0, r); err != nil {
				return err
			}
		}
	case "Delivery":
		d := n.Delivery
		if d == nil {
			return ps.errf(-1, ErrMissingField, "Delivery without a delivery object")
		}
		for _, rcpt := range d.Recipients {
			r := base
			r.Kind = bounce.KindDelivered
			r.Recipient = rcpt
			r.Action = "delivered"
			r.Diagnostic = d.SMTPResponse
			r.ReportingMTA = mtaName(d.ReportingMTA)
			r.RemoteMTA = d.RemoteMtaIP
			r.Timestamp = d.Timestamp.t()
			if err := ps.add(0, r); err != nil {
				return err
			}
		}
	case "DeliveryDelay":
		d := n.DeliveryDelay
		if d == nil || len(d.DelayedRecipients) == 0 {
			return ps.errf(-1, ErrMissingField, "DeliveryDelay without delayedRecipients")
		}
		c := sesDelayClass(d.DelayType)
		for _, dr := range d.DelayedRecipients {
			r := base
			r.ProviderSubtype = d.DelayType
			r.Recipient = dr.EmailAddress
			r.Action, r.Status, r.Diagnostic = "delayed", dr.Status, dr.DiagnosticCode
			r.ReportingMTA = mtaName(d.ReportingMTA)
			r.Timestamp = d.Timestamp.t()
			failure(SES, &r, bounce.KindDelay, bounce.Soft, c)
			if err := ps.add(0, r); err != nil {
				return err
			}
		}
	case "Reject":
		// SES accepted the message, found a virus and did not send it.
		reason := ""
		if n.Reject != nil {
			reason = n.Reject.Reason
		}
		return ps.sesEach(base, n.Mail.Destination, func(r *bounce.Record) {
			r.ProviderSubtype = reason
			r.Diagnostic = reason
			failure(SES, r, bounce.KindDropped, bounce.Hard, decisive(smtperr.CauseVirusDetected, "Reject/"+reason))
		})
	case "Rendering Failure":
		// The template could not be rendered: nothing was sent.
		msg := ""
		if n.Failure != nil {
			msg = n.Failure.ErrorMessage
		}
		return ps.sesEach(base, n.Mail.Destination, func(r *bounce.Record) {
			r.Diagnostic = msg
			failure(SES, r, bounce.KindDropped, bounce.Soft, class{})
		})
	default:
		// Send, Open, Click, Subscription and types SES adds later.
		return ps.sesEach(base, n.Mail.Destination, func(r *bounce.Record) { r.Kind = bounce.KindOther })
	}
	return nil
}

// sesEach adds one record per destination of the mail object.
func (ps *parser) sesEach(base bounce.Record, dest []string, fill func(*bounce.Record)) error {
	if len(dest) == 0 {
		return ps.errf(-1, ErrMissingField, "%s without mail.destination", base.ProviderType)
	}
	for _, d := range dest {
		r := base
		r.Recipient = d
		fill(&r)
		if err := ps.add(0, r); err != nil {
			return err
		}
	}
	return nil
}

// sesBounceClass maps SES's bounce type and subtype to a kind, a severity and
// the cause the subtype names.
func sesBounceClass(typ, sub string) (bounce.Kind, bounce.Severity, class) {
	label := typ + "/" + sub
	switch strings.ToLower(typ) {
	case "permanent":
		switch strings.ToLower(sub) {
		case "suppressed", "onaccountsuppressionlist":
			return bounce.KindDropped, bounce.Hard, decisive(smtperr.CauseSuppressed, label)
		case "noemail":
			return bounce.KindBounce, bounce.Hard, hint(smtperr.CauseRecipientUnknown, label)
		}
		return bounce.KindBounce, bounce.Hard, class{}
	case "transient":
		switch strings.ToLower(sub) {
		case "mailboxfull":
			return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseMailboxFull, label)
		case "messagetoolarge":
			return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseMessageTooLarge, label)
		case "contentrejected", "attachmentrejected":
			return bounce.KindBounce, bounce.Soft, hint(smtperr.CauseContentRejected, label)
		}
		return bounce.KindBounce, bounce.Soft, class{}
	}
	// Undetermined: SES could not tell; treat as soft so no address is
	// suppressed on weak evidence.
	return bounce.KindBounce, bounce.Soft, class{}
}

// sesDelayClass maps a DeliveryDelay delayType to the cause it names.
func sesDelayClass(t string) class {
	label := "DeliveryDelay/" + t
	switch t {
	case "MailboxFull":
		return hint(smtperr.CauseMailboxFull, label)
	case "SpamDetected":
		return hint(smtperr.CauseSpamDetected, label)
	case "RecipientServerError":
		return hint(smtperr.CauseSystemError, label)
	case "IPFailure":
		return hint(smtperr.CauseBlocked, label)
	case "TransientCommunicationFailure":
		return hint(smtperr.CauseNetworkError, label)
	case "BYOIPHostNameLookupUnavailable":
		return hint(smtperr.CauseReverseDNS, label)
	case "SendingDeferral":
		return hint(smtperr.CauseRateLimited, label)
	}
	return class{}
}

// mtaName strips the "dsn; " type prefix of an RFC 3464 MTA field.
func mtaName(s string) string {
	if t, name, ok := strings.Cut(s, ";"); ok && !strings.ContainsAny(t, ". ") {
		return strings.TrimSpace(name)
	}
	return strings.TrimSpace(s)
}

func (t isoTime) t() time.Time { return time.Time(t) }
