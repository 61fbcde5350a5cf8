package bounce

import (
	"time"

	"github.com/sendcheck/sendcheck/smtperr"
)

// Kind says what a report, or one record of it, tells the sender.
type Kind string

// The kinds of report. Only [KindBounce], [KindDelay], [KindDropped] and
// [KindComplaint] ask the sender to do something about the recipient; an
// auto-reply proves the address works.
const (
	// KindBounce is a permanent delivery failure.
	KindBounce Kind = "bounce"
	// KindDelay is a transient failure: the message is still being retried.
	KindDelay Kind = "delay"
	// KindDelivered is a notice that the message was delivered or relayed.
	KindDelivered Kind = "delivered"
	// KindComplaint is a recipient's complaint, such as an RFC 5965 feedback
	// report of type abuse.
	KindComplaint Kind = "complaint"
	// KindAutoReply is an automatic reply or out-of-office notice (RFC 3834).
	// It is not a failure: the recipient's address works.
	KindAutoReply Kind = "autoreply"
	// KindDropped is a message the provider did not try to deliver, because
	// the recipient was suppressed or invalid, or a policy or quota stopped it.
	KindDropped Kind = "dropped"
	// KindOther is anything that is not a failure report, such as an ordinary
	// email or a provider event of an open, a click or a processed message.
	KindOther Kind = "other"
)

// Severity says whether a failure condemns the recipient's address.
type Severity string

// The severities of a failure. A record that is no failure has none ("").
const (
	// Hard is a failure that says the address itself is bad (no such user
	// or domain, a domain that accepts no mail, a mailbox that moved):
	// sending to it again fails whatever the sender changes, so a mailer
	// should stop.
	Hard Severity = "hard"
	// Soft is any other failure: a full mailbox, a delay, a rate limit, or a
	// refusal the sender can fix (authentication, reputation, content).
	Soft Severity = "soft"
)

// Record is what a report says about one recipient, or what one provider
// event says about one message to one recipient.
type Record struct {
	// Kind is what the record tells.
	Kind Kind `json:"kind"`
	// Recipient is the final recipient's address.
	Recipient string `json:"recipient"`
	// OriginalRecipient is the address the message was first sent to, when
	// the report gives it and it differs (after forwarding or aliasing).
	OriginalRecipient string `json:"original_recipient,omitempty"`
	// Action is the RFC 3464 action (failed, delayed, delivered, relayed,
	// expanded), when the report states one.
	Action string `json:"action,omitempty"`
	// Status is the RFC 3463 enhanced status code, such as "5.1.1", or ""
	// when the report gives none.
	Status string `json:"status,omitempty"`
	// RemoteMTA is the host that refused or accepted the message.
	RemoteMTA string `json:"remote_mta,omitempty"`
	// ReportingMTA is the host that wrote the report.
	ReportingMTA string `json:"reporting_mta,omitempty"`
	// Diagnostic is the remote server's reply or the reporter's text, on one
	// line and at most 2 KiB, with the words of the report that say at which
	// step the reply came ("host mx.example.org said: ... (in reply to MAIL
	// FROM command)") when the report has them.
	Diagnostic string `json:"diagnostic,omitempty"`
	// DiagnosticType is the RFC 3464 type of the Diagnostic-Code field,
	// lower case: "smtp" for a remote server's reply, "x-unix" for the exit
	// of a local delivery program; "" when the report gives none.
	DiagnosticType string `json:"diagnostic_type,omitempty"`
	// Explanation is smtperr's reading of the diagnostic and status: the
	// cause, who must act, how sure, and what to do. It is nil for records
	// that are no failure.
	Explanation *smtperr.Explanation `json:"explanation,omitempty"`
	// Severity is Hard or Soft for a failure, "" otherwise.
	Severity Severity `json:"severity,omitempty"`
	// FeedbackType is the RFC 5965 feedback type of a complaint (abuse,
	// fraud, virus, other, not-spam), or the provider's complaint type.
	FeedbackType string `json:"feedback_type,omitempty"`
	// ArrivalDate is when the reporting system received the message.
	ArrivalDate time.Time `json:"arrival_date,omitzero"`
	// LastAttempt is when delivery was last tried.
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	// MessageID is the Message-ID of the message the record is about, when
	// the report carries it.
	MessageID string `json:"message_id,omitempty"`

	// Provider names the provider whose event this record comes from, for
	// records read from provider notifications; "" for emails.
	Provider string `json:"provider,omitempty"`
	// ProviderType and ProviderSubtype are the provider's own classification,
	// such as SES's "Permanent" and "Suppressed".
	ProviderType    string `json:"provider_type,omitempty"`
	ProviderSubtype string `json:"provider_subtype,omitempty"`
	// ProviderMessageID is the provider's id for the sent message.
	ProviderMessageID string `json:"provider_message_id,omitempty"`
	// Timestamp is when the provider recorded the event.
	Timestamp time.Time `json:"timestamp,omitzero"`
}

// Original is what a report shows of the message it is about: the headers a
// mailer uses to find the message it sent.
type Original struct {
	// MessageID is the Message-ID, without angle brackets.
	MessageID string `json:"message_id,omitempty"`
	// Subject, From and To are the decoded header values.
	Subject string `json:"subject,omitempty"`
	From    string `json:"from,omitempty"`
	To      string `json:"to,omitempty"`
	// Date is the message's Date header, or zero when absent or unreadable.
	Date time.Time `json:"date,omitzero"`
	// Headers holds the X- headers, by canonical name, in order.
	Headers map[string][]string `json:"headers,omitempty"`
}
