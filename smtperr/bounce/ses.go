package bounce

import (
	"encoding/json"
	"strings"
	"time"
)

// Amazon SES can deliver its bounce, complaint and delivery notifications
// by email, through an SNS topic with an email subscription: the body is
// the notification's JSON, bare or inside SNS's own JSON envelope.

// sesNotification is the part of an SES notification the records need.
type sesNotification struct {
	NotificationType string `json:"notificationType"`
	EventType        string `json:"eventType"`
	Bounce           *struct {
		BounceType        string `json:"bounceType"`
		BounceSubType     string `json:"bounceSubType"`
		ReportingMTA      string `json:"reportingMTA"`
		Timestamp         string `json:"timestamp"`
		BouncedRecipients []struct {
			EmailAddress   string `json:"emailAddress"`
			Action         string `json:"action"`
			Status         string `json:"status"`
			DiagnosticCode string `json:"diagnosticCode"`
		} `json:"bouncedRecipients"`
	} `json:"bounce"`
	Complaint *struct {
		ComplaintFeedbackType string `json:"complaintFeedbackType"`
		Timestamp             string `json:"timestamp"`
		ComplainedRecipients  []struct {
			EmailAddress string `json:"emailAddress"`
		} `json:"complainedRecipients"`
	} `json:"complaint"`
	Delivery *struct {
		Timestamp    string   `json:"timestamp"`
		Recipients   []string `json:"recipients"`
		SMTPResponse string   `json:"smtpResponse"`
		ReportingMTA string   `json:"reportingMTA"`
		RemoteMTAIP  string   `json:"remoteMtaIp"`
	} `json:"delivery"`
	Mail struct {
		MessageID     string `json:"messageId"`
		CommonHeaders struct {
			MessageID string `json:"messageId"`
		} `json:"commonHeaders"`
	} `json:"mail"`
}

// readSESText reads an SES notification from the text of an email, and
// reports whether it found one.
func (e *email) readSESText(rep *Report, text string) bool {
	i := strings.IndexByte(text, '{')
	j := strings.LastIndexByte(text, '}')
	if i < 0 || j <= i || !strings.Contains(text[i:j], "notificationType") && !strings.Contains(text[i:j], "eventType") {
		return false
	}
	raw := text[i : j+1]
	var n sesNotification
	if !decodeSES(raw, &n) {
		// Mail systems wrap long lines: undo the folding.
		raw = strings.NewReplacer("\r\n ", "", "\n ", "", "\r\n", "", "\n", "").Replace(raw)
		if !decodeSES(raw, &n) {
			return false
		}
	}
	typ := n.NotificationType
	if typ == "" {
		typ = n.EventType
	}
	msgID := strings.Trim(n.Mail.CommonHeaders.MessageID, "<>")
	add := func(r Record) {
		if len(rep.Records) >= maxRecords {
			return
		}
		r.Provider = "ses"
		r.ProviderMessageID = n.Mail.MessageID
		if r.MessageID == "" {
			r.MessageID = msgID
		}
		rep.Records = append(rep.Records, r)
	}
	switch {
	case typ == "Bounce" && n.Bounce != nil:
		for _, b := range n.Bounce.BouncedRecipients {
			r := Record{
				Recipient:       address(b.EmailAddress),
				Action:          strings.ToLower(b.Action),
				Status:          b.Status,
				Diagnostic:      clip(oneLine(typedValue(b.DiagnosticCode))),
				ReportingMTA:    typedValue(n.Bounce.ReportingMTA),
				ProviderType:    n.Bounce.BounceType,
				ProviderSubtype: n.Bounce.BounceSubType,
				Timestamp:       parseTimestamp(n.Bounce.Timestamp),
			}
			if r.Action == "" {
				r.Action = "failed"
			}
			finish(&r)
			add(r)
		}
	case typ == "Complaint" && n.Complaint != nil:
		ft := strings.ToLower(n.Complaint.ComplaintFeedbackType)
		if ft == "" {
			ft = "abuse"
		}
		for _, c := range n.Complaint.ComplainedRecipients {
			add(Record{Kind: KindComplaint, Recipient: address(c.EmailAddress), FeedbackType: ft,
				Timestamp: parseTimestamp(n.Complaint.Timestamp)})
		}
	case typ == "Delivery" && n.Delivery != nil:
		for _, a := range n.Delivery.Recipients {
			r := Record{Kind: KindDelivered, Recipient: address(a), Action: "delivered",
				Diagnostic: clip(oneLine(n.Delivery.SMTPResponse)), ReportingMTA: n.Delivery.ReportingMTA,
				RemoteMTA: n.Delivery.RemoteMTAIP, Timestamp: parseTimestamp(n.Delivery.Timestamp)}
			if st, ok := findStatus(r.Diagnostic); ok {
				r.Status = st
			}
			add(r)
		}
	}
	if len(rep.Records) == 0 {
		return false
	}
	rep.Format = FormatProviderJSON
	rep.MTA = "ses"
	return true
}

// decodeSES decodes a notification, or the SNS envelope around one.
func decodeSES(raw string, n *sesNotification) bool {
	var env struct {
		Type    string `json:"Type"`
		Message string `json:"Message"`
	}
	if err := json.Unmarshal([]byte(raw), &env); err != nil {
		return false
	}
	if env.Message != "" {
		return json.Unmarshal([]byte(env.Message), n) == nil
	}
	return json.Unmarshal([]byte(raw), n) == nil
}

// parseTimestamp reads an RFC 3339 time, or returns zero.
func parseTimestamp(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
