package smtperr

import (
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/sender/provider"
)

// Step is the stage of an SMTP session at which a failure happened.
type Step string

// Steps of an SMTP session, in order.
const (
	StepConnect Step = "connect" // TCP connection and greeting
	StepTLS     Step = "tls"     // STARTTLS or the implicit TLS handshake
	StepAuth    Step = "auth"    // AUTH (sign-in)
	StepMail    Step = "mail"    // MAIL FROM (envelope sender)
	StepRcpt    Step = "rcpt"    // RCPT TO (recipient)
	StepData    Step = "data"    // DATA (the message itself)
	StepUnknown Step = ""        // not known
)

// StepOf guesses the step a reply answered from its text ("in reply to
// RCPT TO command", as Postfix writes in bounces) or, failing that, from
// the explanation's cause. It returns StepUnknown when neither tells.
func StepOf(text string, e *Explanation) Step {
	l := strings.ToLower(text)
	switch {
	case strings.Contains(l, "in reply to mail from") || strings.Contains(l, "in reply to mail command"):
		return StepMail
	case strings.Contains(l, "in reply to rcpt to") || strings.Contains(l, "in reply to rcpt command"):
		return StepRcpt
	case strings.Contains(l, "in reply to end of data") || strings.Contains(l, "in reply to data"):
		return StepData
	}
	if e == nil {
		return StepUnknown
	}
	switch e.Cause {
	case CauseAuthFailed, CauseAuthMethodRejected:
		return StepAuth
	case CauseTLSFailed:
		return StepTLS
	case CauseNetworkError:
		return StepConnect
	}
	return StepUnknown
}

// Ticket is what a provider's support needs to find one failure in its
// logs. [Ticket.String] writes it as plain text to paste into a ticket.
type Ticket struct {
	// Step is where the session failed.
	Step Step
	// Server is the host (and port) the client talked to.
	Server string
	// Provider is the provider to contact: the one the SMTP host belongs
	// to. "" means the one the explanation names.
	Provider provider.ID
	// Time is when it failed; the zero Time means not known.
	Time time.Time
	// Reply is the server's reply as received.
	Reply string
	// Explanation explains Reply; nil means [ExplainReply] of Reply.
	Explanation *Explanation
}

// String returns the summary as plain text: the step that failed, the
// provider and server, the time in UTC, the reply verbatim (control
// characters removed), the identifiers found in it, the cause, and where
// the provider's delivery logs and support are.
func (t *Ticket) String() string {
	e := t.Explanation
	if e == nil {
		e = ExplainReply(t.Reply)
	}
	id := t.Provider
	if id == "" {
		id = e.Provider
	}
	var b strings.Builder
	line := func(k, v string) {
		if v == "" {
			return
		}
		b.WriteString(k)
		b.WriteString(strings.Repeat(" ", max(1, 14-len(k))))
		b.WriteString(v)
		b.WriteByte('\n')
	}
	b.WriteString("SMTP failure report\n")
	step := stepNames[t.Step]
	if step == "" {
		step = "not known"
	}
	line("Failed step:", step)
	name := ""
	if p, ok := provider.Get(id); ok && id != provider.Generic {
		name = p.Name
	}
	line("Provider:", name)
	line("Server:", t.Server)
	if !t.Time.IsZero() {
		line("Time (UTC):", t.Time.UTC().Format("2006-01-02 15:04:05 MST"))
	} else {
		line("Time (UTC):", "not known: add when the message failed")
	}
	reply := strings.TrimSpace(supportClean(t.Reply))
	if reply == "" {
		reply = e.Message
	}
	for i, l := range strings.Split(reply, "\n") {
		if i == 0 {
			line("Reply:", l)
		} else {
			line("", "  "+l)
		}
	}
	if len(e.Trace) > 0 {
		parts := make([]string, len(e.Trace))
		for i, x := range e.Trace {
			parts[i] = string(x.Kind) + " " + x.Value
		}
		line("Identifiers:", strings.Join(parts, "; "))
	} else {
		line("Identifiers:", "none in the reply")
	}
	line("Cause:", string(e.Cause)+" ("+string(e.Confidence)+" confidence): "+e.Summary)
	if s, ok := provider.SupportFor(id); ok {
		line("Logs:", s.Logs)
		line("Support:", s.URL)
	}
	return b.String()
}

var stepNames = map[Step]string{
	StepConnect: "connect (TCP connection and greeting)",
	StepTLS:     "TLS (STARTTLS or implicit TLS)",
	StepAuth:    "AUTH (sign-in)",
	StepMail:    "MAIL FROM (envelope sender)",
	StepRcpt:    "RCPT TO (recipient)",
	StepData:    "DATA (the message)",
}

// supportClean drops control characters other than line feeds, and
// carriage returns, so that the reply cannot move a terminal's cursor.
func supportClean(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		case isInvisibleFormat(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isInvisibleFormat reports the format characters that hide text: zero
// width spaces and joiners, bidirectional controls, the byte order mark,
// the soft hyphen and tags.
func isInvisibleFormat(r rune) bool {
	switch {
	case r == 0xad, r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2060 && r <= 0x2069, r == 0xfeff, r >= 0xe0000 && r <= 0xe007f:
		return true
	}
	return false
}
