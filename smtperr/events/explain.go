package events

import (
	"github.com/sendcheck/sendcheck/sender/provider"
	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// A class is what a provider's own classification of an event says about its
// cause. Decisive classes name the cause outright (SES's Suppressed: the
// provider never tried, whatever the text says); the others are hints used
// only when the diagnostic text is vague or missing.
type class struct {
	cause    smtperr.Cause
	decisive bool
	// label is the provider's words, such as "Permanent/Suppressed".
	label string
}

func decisive(c smtperr.Cause, label string) class {
	return class{cause: c, decisive: true, label: label}
}
func hint(c smtperr.Cause, label string) class { return class{cause: c, label: label} }

// Explain returns the explanation of a provider event: smtperr's reading of
// the diagnostic text (or of the status code when there is no text), with the
// cause replaced by the provider's classification when that classification is
// decisive, or when the text alone is too vague to name a cause.
//
// It is what Parse puts in Record.Explanation, exported for callers that read
// provider events of their own: p is the provider, text the remote server's
// reply or the provider's description, status an enhanced status code or "",
// and cause the cause the provider's classification names ("" for none).
// When decisive is true the provider's cause wins over any text.
func Explain(p Provider, text, status string, cause smtperr.Cause, decisive bool) *smtperr.Explanation {
	return explain(p, text, status, class{cause: cause, decisive: decisive, label: string(cause)})
}

func explain(p Provider, text, status string, c class) *smtperr.Explanation {
	in := text
	if in == "" {
		in = status
	}
	e := smtperr.ExplainReply(in)
	if c.cause == "" || !c.cause.Valid() {
		return e
	}
	if e.Cause == c.cause {
		// Text and provider agree: the provider's word lifts weak text.
		if c.decisive {
			e.Confidence = smtperr.ConfidenceHigh
		} else if e.Confidence == smtperr.ConfidenceLow {
			e.Confidence = smtperr.ConfidenceMedium
		}
		return e
	}
	if !c.decisive && strongText(e) {
		return e
	}
	e.Cause = c.cause
	e.Party = c.cause.Party()
	e.Summary = c.cause.Summary()
	e.Action = c.cause.Action()
	e.Basis = smtperr.BasisProviderText
	e.Matched = string(p) + " " + c.label
	// A decisive class is the provider's own statement; a hint that fills
	// in for vague text is likely but worth reading.
	e.Confidence = smtperr.ConfidenceMedium
	if c.decisive {
		e.Confidence = smtperr.ConfidenceHigh
	}
	if e.Code == 0 {
		e.Temporary = c.cause.Retryable()
	}
	if e.Provider == "" || c.decisive {
		e.Provider = providerID(p)
	}
	return e
}

// strongText reports whether the text named its cause with specific
// evidence: smtperr is highly or fairly confident (a provider's or an
// unambiguous phrase, a specific enhanced code).
func strongText(e *smtperr.Explanation) bool {
	if e.Cause == smtperr.CauseUnknown {
		return false
	}
	return e.Confidence == smtperr.ConfidenceHigh || e.Confidence == smtperr.ConfidenceMedium
}

// providerID maps a provider to the module's provider table, or "" for a
// provider the table does not list.
func providerID(p Provider) provider.ID {
	switch p {
	case SES:
		return provider.SES
	case SendGrid:
		return provider.SendGrid
	case Mailgun:
		return provider.Mailgun
	case Postmark:
		return provider.Postmark
	case SparkPost:
		return provider.SparkPost
	case Mailjet:
		return provider.Mailjet
	case Brevo:
		return provider.Brevo
	}
	return ""
}

// failure fills the failure fields of r: kind, severity and explanation.
func failure(p Provider, r *bounce.Record, kind bounce.Kind, sev bounce.Severity, c class) {
	r.Kind = kind
	r.Severity = sev
	r.Explanation = explain(p, r.Diagnostic, r.Status, c)
}
