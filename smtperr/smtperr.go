package smtperr

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/textproto"
	"syscall"

	"github.com/emersion/go-smtp"

	"github.com/sendcheck/sendcheck/sender/provider"
)

// Basis says which evidence decided an explanation's cause, in the order of
// precedence the package applies (see the package documentation).
type Basis string

// The bases, strongest first.
const (
	BasisRule         Basis = "rule"          // a rule the caller gave an [Explainer]
	BasisProviderText Basis = "provider_text" // a provider's own reply text
	BasisText         Basis = "text"          // a generic phrase in the text
	BasisEnhancedCode Basis = "enhanced_code" // the enhanced status code
	BasisWeakText     Basis = "weak_text"     // a vague phrase in the text
	BasisReplyCode    Basis = "reply_code"    // the basic reply code
	BasisError        Basis = "error"         // the Go error type (network, TLS)
	BasisNone         Basis = "none"          // nothing; the cause is unknown
)

// Explanation is what a failed SMTP reply or error means.
type Explanation struct {
	// Cause is the reason, from the package's taxonomy.
	Cause Cause `json:"cause"`
	// Code is the SMTP reply code, or 0 when there is none (network errors,
	// text with the code stripped).
	Code int `json:"code"`
	// Enhanced is the RFC 3463 enhanced status code; it marshals as
	// "5.7.1", or "" when there is none.
	Enhanced EnhancedCode `json:"enhanced"`
	// Provider is the provider or mail system the text or code shows, or ""
	// when nothing does.
	Provider provider.ID `json:"provider"`
	// Temporary is true when the server reported a transient (4xx) failure,
	// or, without a code, when the cause is transient.
	Temporary bool `json:"temporary"`
	// Party is who must act.
	Party Party `json:"party"`
	// Summary says in one sentence what went wrong.
	Summary string `json:"summary"`
	// Action says what to change, in plain words.
	Action string `json:"action"`
	// Message is the server's own text (or the error's text) on one line,
	// with the reply code removed and control and invisible format
	// characters dropped. It is safe to log and, after the usual HTML
	// escaping, to show on a web page.
	Message string `json:"message"`
	// Basis tells which evidence decided the cause.
	Basis Basis `json:"basis"`
	// Matched is the phrase of the text that decided the cause, when the
	// basis is text.
	Matched string `json:"matched,omitempty"`
	// Trace lists the identifiers in the server's text that a provider's
	// support asks for (server names, transaction and queue ids,
	// timestamps, the region); see [Identifiers].
	Trace []Identifier `json:"trace,omitempty"`
	// Confidence says how sure the cause is: high only when a provider's
	// own text or an unambiguous phrase decided; a bare reply code or a
	// vague word never gives more than low, and an unknown cause is low.
	Confidence Confidence `json:"confidence"`
}

// LogValue implements slog.LogValuer: the explanation logs as a group of
// its fields.
func (e *Explanation) LogValue() slog.Value {
	if e == nil {
		return slog.Value{}
	}
	return slog.GroupValue(
		slog.String("cause", string(e.Cause)),
		slog.Int("code", e.Code),
		slog.String("enhanced", e.Enhanced.String()),
		slog.String("provider", string(e.Provider)),
		slog.Bool("temporary", e.Temporary),
		slog.String("party", string(e.Party)),
		slog.String("confidence", string(e.Confidence)),
		slog.String("message", e.Message),
	)
}

// OK reports whether the reply is not a failure: a 2xx or 3xx reply code,
// or with no reply code, an enhanced code of class 2. Such replies explain
// as CauseUnknown.
func (e *Explanation) OK() bool {
	if e == nil {
		return false
	}
	if e.Code != 0 {
		return e.Code < 400
	}
	return e.Enhanced[0] == 2
}

// String returns a one-line description: cause, codes and summary.
func (e *Explanation) String() string {
	if e == nil {
		return "<nil>"
	}
	s := string(e.Cause)
	if e.Code != 0 {
		s += " (" + itoa(e.Code)
		if !e.Enhanced.IsZero() {
			s += " " + e.Enhanced.String()
		}
		s += ")"
	} else if !e.Enhanced.IsZero() {
		s += " (" + e.Enhanced.String() + ")"
	}
	return s + ": " + e.Summary
}

func itoa(n int) string {
	if n < 0 || n > 999 {
		return "?"
	}
	b := [3]byte{byte('0' + n/100), byte('0' + n/10%10), byte('0' + n%10)}
	return string(b[:])
}

// ExplainReply explains reply text from a log, a bounce or a client's error
// message. It accepts everything [ParseReply] accepts. It never returns nil.
func ExplainReply(text string) *Explanation {
	return (*Explainer)(nil).ExplainReply(text)
}

// explain parses text, with a reply code and enhanced code already known
// from an error value when they are not zero, and decides the cause.
func explain(x *Explainer, text string, code int, enh EnhancedCode) *Explanation {
	h := parseHead(text)
	if code == 0 {
		code = h.code
	}
	if enh.IsZero() {
		enh = h.enh
		if h.code != code && code != 0 && !enh.IsZero() && enh[0] != code/100 {
			// The code found in the text belongs to another reply.
			enh = findEnhanced(text, code/100)
		}
	}
	msg, clean := messageOf(h.body, h.code, h.enh)

	// The text to match goes to a buffer on the stack when it fits. ASCII
	// folds to at most its own length; text outside ASCII may grow when
	// normalized, and has room up to foldScan bytes.
	plain := !hasNonASCII(h.prefix) && (clean || !hasNonASCII(msg))
	var buf [stackScan]byte
	var dst []byte
	switch n := len(h.prefix) + 1 + len(msg); {
	case plain && n <= stackScan:
		dst = buf[:]
	case n <= foldScan:
		var big [foldScan]byte
		dst = big[:]
	default:
		dst = make([]byte, min(n, maxScan))
	}
	var sc scanner
	p := tablePlan()
	sc.text = sc.fold(dst, h.prefix, msg, plain)

	var t tracer
	t.trace(text)
	e := newExplanation(t.found())
	e.Code, e.Enhanced, e.Message = code, enh, msg
	decide(x, e, &sc, p)
	return e
}

// newExplanation returns a new Explanation whose Trace is a copy of ids
// (nil when there are none), allocated with it in one piece.
func newExplanation(ids []Identifier) *Explanation {
	var e *Explanation
	var arr []Identifier
	switch n := len(ids); {
	case n == 0:
		return new(Explanation)
	case n <= 2:
		b := new(struct {
			e   Explanation
			ids [2]Identifier
		})
		e, arr = &b.e, b.ids[:]
	case n <= 4:
		b := new(struct {
			e   Explanation
			ids [4]Identifier
		})
		e, arr = &b.e, b.ids[:]
	default:
		b := new(struct {
			e   Explanation
			ids [maxIdentifiers]Identifier
		})
		e, arr = &b.e, b.ids[:]
	}
	n := copy(arr, ids)
	e.Trace = arr[:n:n]
	return e
}

// fold folds a reply's log prefix and message into dst, as far as it
// goes, and returns the text to match; it records the text's trigrams.
// plain says both are ASCII.
func (sc *scanner) fold(dst []byte, prefix, msg string, plain bool) []byte {
	f := folder{dst: dst, grams: &sc.grams}
	if !plain {
		// Normalization may turn other spaces into runs of spaces:
		// fold with add, which collapses them.
		var fb [stackScan]byte
		addFolded(&f, fb[:0], prefix)
		f.add(" ")
		addFolded(&f, fb[:0], msg)
	} else {
		f.add(prefix)
		f.add(" ")
		f.addPlain(msg) // message leaves no run of white space
	}
	return elideAddresses(dst[:f.n], &sc.grams)
}

// addFolded adds foldUnicode(s) to f, folding into buf when s allows it.
func addFolded(f *folder, buf []byte, s string) {
	switch b, raw, ok := foldText(buf, s); {
	case !ok:
		f.add(foldUnicode(s))
	case raw:
		f.add(s)
	default:
		addText(f, b)
	}
}

// decide sets the cause and everything that follows from it.
func decide(x *Explainer, e *Explanation, sc *scanner, p *plan) {
	var r *rule
	var hint provider.ID
	vague := false         // decided by a generic enhanced code
	clientOnly := false    // decided by wrapper text only, or contested
	var custom *customRule // the caller's rule that decided, if any
	moved := false         // the subject moved the cause to the sender's side
	composed := false      // decided by a pair of words, not a phrase
	var c cands
	sc.candidates(p, &c)
	class := e.Code / 100
	if class == 0 {
		class = e.Enhanced[0]
	}
	switch {
	case class == 2 || class == 3:
		// Not a failure.
		e.Cause, e.Basis = CauseUnknown, BasisReplyCode
	default:
		if cr := x.match(sc.text); cr != nil {
			e.Cause, e.Basis, e.Matched = cr.cause, BasisRule, cr.phrase
			custom = cr
			break
		}
		if t, ok := sc.evidence(strongRules[:], tabStrong, p, &c); ok {
			r = t.best
			e.Cause, e.Basis, e.Matched, hint = t.cause, BasisText, r.pat, r.prov
			if r.prov != "" {
				e.Basis = BasisProviderText
			}
			clientOnly = t.client || t.contested
			if t.cause != r.cause {
				// The sentence's subject moved the evidence to the
				// sender's side: the rule's own words do not fit.
				r, moved = nil, true
			}
			break
		}
		if v := lookupVendor(e.Enhanced); v != nil {
			e.Cause, e.Basis, hint = v.cause, BasisEnhancedCode, v.prov
			break
		}
		if e.Code/10 != 53 {
			if cause, pair, end, sided, ok := sc.pair(); ok {
				e.Cause, e.Basis, e.Matched = cause, BasisText, pair
				composed = true
				if sided && sc.senderSide(end, end, p) {
					e.Cause, moved = toSender(e.Cause), true
				}
				break
			}
		}
		reg := lookupRegistry(e.Enhanced[1], e.Enhanced[2])
		if reg != nil && e.Enhanced[0] != 2 && !reg.generic {
			e.Cause, e.Basis = reg.cause, BasisEnhancedCode
			if e.Enhanced[0] == 4 && reg.cause4 != "" {
				e.Cause = reg.cause4
			}
			break
		}
		if r = sc.match(weakRules[:], tabWeak, p, &c); r != nil {
			e.Cause, e.Basis, e.Matched = r.cause, BasisWeakText, r.pat
			if r.retry && e.Enhanced == (EnhancedCode{4, 7, 1}) && !bytes.Contains(sc.text, []byte("unavailable")) {
				// A temporary refusal on policy grounds whose only
				// words ask to try later is, most of the time,
				// greylisting (rmilter's and Postal's "4.7.1 Try again
				// later"); "service unavailable" says more.
				e.Cause = CauseGreylisted
			}
			break
		}
		if e.Code == 534 || e.Code == 535 || e.Code == 538 {
			// The AUTH reply codes of RFC 4954 name their cause
			// outright; a generic enhanced code adds nothing.
			if rc := lookupReply(e.Code); rc != nil && rc.cause != CauseUnknown {
				e.Cause, e.Basis = rc.cause, BasisReplyCode
				break
			}
		}
		if reg != nil && e.Enhanced[0] != 2 && reg.cause != CauseUnknown && !(e.Enhanced == EnhancedCode{5, 0, 0} || e.Enhanced == EnhancedCode{4, 0, 0}) {
			e.Cause, e.Basis, vague = reg.cause, BasisEnhancedCode, true
			break
		}
		if rc := lookupReply(e.Code); rc != nil && rc.cause != CauseUnknown {
			e.Cause, e.Basis = rc.cause, BasisReplyCode
			break
		}
		e.Cause, e.Basis = CauseUnknown, BasisNone
	}
	weak := vague || e.Basis == BasisWeakText || e.Basis == BasisReplyCode || e.Basis == BasisNone
	e.Confidence = confidenceOf(e.Cause, e.Basis, e.Matched, vague)
	if clientOnly || moved || composed || codeDisagrees(e) {
		e.Confidence = e.Confidence.capAt(ConfidenceMedium)
	}
	mailFrom, connect := sc.context(p, &c)
	if connect && e.Cause != CauseBlocked && (class == 5 && weak || e.Cause == CauseSystemError && e.Basis != BasisProviderText) {
		// A refusal of the connection or of EHLO is a refusal of the
		// sending host, also when its words only say "try later".
		e.Cause, e.Confidence = CauseBlocked, ConfidenceLow
	}
	if e.Basis != BasisProviderText && mailFrom {
		// The reply answered MAIL FROM: the address it refuses is the
		// sender's, not a recipient's.
		switch {
		case e.Cause == CauseRecipientUnknown:
			e.Cause, e.Confidence = CauseSenderRejected, e.Confidence.capAt(ConfidenceMedium)
		case e.Cause == CauseRecipientDomainUnknown:
			e.Cause, e.Confidence = CauseSenderAddressInvalid, e.Confidence.capAt(ConfidenceMedium)
		case class == 5 && weak:
			e.Cause, e.Confidence = CauseSenderRejected, ConfidenceLow
		}
	}
	// An address in the text is the sender's or a recipient's: its domain
	// ("yahooo.com", "outlook.com") never shows who answered. Only the
	// server's own markers do: host names outside addresses, vendor codes
	// and phrases.
	skipAddrs := true
	id, software := sc.marker(p, &c, skipAddrs)
	switch {
	case id != "" && !software:
		e.Provider = id
	case hint != "":
		e.Provider = hint
	default:
		e.Provider = id
	}
	switch {
	case e.Code != 0:
		e.Temporary = e.Code/100 == 4
	case e.Enhanced[0] != 0:
		e.Temporary = e.Enhanced[0] == 4
	default:
		e.Temporary = e.Cause.info().retryable
	}
	info := e.Cause.info()
	e.Party, e.Summary, e.Action = info.party, info.summary, info.action
	if class == 2 || class == 3 {
		e.Confidence = ConfidenceLow
		e.Party = PartyNobody
		e.Summary = "The server accepted the command; this reply is not a failure."
		e.Action = "Nothing to change."
		return
	}
	if e.Cause == CauseUnknown && (class == 4 || class == 5) {
		e.Summary, e.Action = unknownRefusal(e.Code, e.Enhanced)
	}
	if r != nil && r.sum != "" {
		e.Summary = r.sum
	}
	if r != nil && r.act != "" {
		e.Action = r.act
	}
	if custom != nil && custom.summary != "" {
		e.Summary = custom.summary
	}
	if custom != nil && custom.action != "" {
		e.Action = custom.action
	}
}

// lookupVendor returns the vendor code entry of c.
func lookupVendor(c EnhancedCode) *vendorCode {
	for i := range vendorCodes {
		if vendorCodes[i].code[2] == c[2] && vendorCodes[i].code == c {
			return &vendorCodes[i]
		}
	}
	return nil
}

// Explain explains an error returned while sending mail. It returns nil for
// a nil error and never nil otherwise.
//
// It understands, anywhere in the error's chain (errors.As):
//   - [*Error] from this package: its Explanation is returned as is;
//   - go-smtp's *smtp.SMTPError, whose EnhancedCode is often unset
//     (smtp.EnhancedCodeNotSet) with the code left in Message;
//   - go-smtp's smtp.LMTPDataError: the first permanent recipient error, or
//     else the first one, in recipient order;
//   - net/smtp's *textproto.Error, from its Code and Msg (never its Error
//     string);
//   - TLS and certificate errors: [CauseTLSFailed];
//   - DNS errors, refused or reset connections, timeouts, a context
//     deadline, and net/textproto's ProtocolError (the server's answer is
//     not SMTP): [CauseNetworkError] (a cancelled context is [CauseUnknown]).
//
// Any other error is explained from its Error text with [ExplainReply].
func Explain(err error) *Explanation {
	return (*Explainer)(nil).Explain(err)
}

// errorText returns err.Error(), or "" when that panics (a nil pointer
// inside a non-nil error interface, for instance): explaining an error must
// not crash the caller's error path.
func errorText(err error) (s string) {
	defer func() {
		if recover() != nil {
			s = ""
		}
	}()
	return err.Error()
}

// explainSMTPError explains a go-smtp error.
func explainSMTPError(x *Explainer, se *smtp.SMTPError) *Explanation {
	var enh EnhancedCode
	if c := se.EnhancedCode; c != smtp.EnhancedCodeNotSet && c != smtp.NoEnhancedCode && c[0] >= 2 && c[0] <= 5 && c[1] >= 0 && c[2] >= 0 && c[1] < 1000 && c[2] < 1000 {
		enh = EnhancedCode(c)
	}
	code := se.Code
	if code < 200 || code > 599 {
		code = 0
	}
	return explain(x, se.Message, code, enh)
}

// explainLMTP picks one recipient's error of an LMTP DATA reply.
func explainLMTP(x *Explainer, m smtp.LMTPDataError) *Explanation {
	var pick *smtp.SMTPError
	var pickRcpt string
	for rcpt, se := range m {
		if se == nil {
			continue
		}
		better := pick == nil ||
			(se.Code/100 == 5) != (pick.Code/100 == 5) && se.Code/100 == 5 ||
			(se.Code/100 == 5) == (pick.Code/100 == 5) && rcpt < pickRcpt
		if better {
			pick, pickRcpt = se, rcpt
		}
	}
	if pick == nil {
		return explain(x, "", 0, EnhancedCode{})
	}
	return explainSMTPError(x, pick)
}

// explainGoError explains network, TLS and context errors, or returns nil;
// text is the error's text.
func explainGoError(err error, text string) *Explanation {
	cause, sum := CauseUnknown, ""
	textOnly := false // only the error's text, not its type, showed the cause
	var (
		certInvalid x509.CertificateInvalidError
		hostErr     x509.HostnameError
		authErr     x509.UnknownAuthorityError
		verifyErr   *tls.CertificateVerificationError
		recordErr   tls.RecordHeaderError
		alertErr    tls.AlertError
		echErr      *tls.ECHRejectionError
		dnsErr      *net.DNSError
		netErr      net.Error
		opErr       *net.OpError
		protoErr    textproto.ProtocolError
	)
	switch {
	case errors.As(err, &hostErr):
		cause, sum = CauseTLSFailed, "The server's TLS certificate is not valid for this host name."
	case errors.As(err, &authErr), errors.As(err, &certInvalid), errors.As(err, &verifyErr):
		cause, sum = CauseTLSFailed, "The server's TLS certificate could not be verified."
	case errors.As(err, &recordErr):
		cause, sum = CauseTLSFailed, "The server did not answer with TLS: the port probably expects plain SMTP with STARTTLS (587/25), not implicit TLS (465)."
	case errors.As(err, &alertErr), errors.As(err, &echErr):
		cause, sum = CauseTLSFailed, "The TLS handshake with the server failed."
	case errors.Is(err, context.Canceled):
		cause, sum = CauseUnknown, "The send was cancelled by the caller before the server answered."
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, syscall.ETIMEDOUT):
		cause, sum = CauseNetworkError, "The connection to the mail server timed out."
	case errors.As(err, &dnsErr):
		cause, sum = CauseNetworkError, "The mail server's host name could not be resolved in DNS."
		if dnsErr.IsNotFound {
			sum = "The mail server's host name does not exist in DNS."
		}
	case errors.Is(err, syscall.ECONNREFUSED):
		cause, sum = CauseNetworkError, "The mail server refused the connection: nothing listens on that host and port, or a firewall rejects it."
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
		cause, sum = CauseNetworkError, "The mail server closed the connection unexpectedly."
	case errors.As(err, &protoErr):
		cause, sum = CauseNetworkError, "The server's answer is not SMTP: check the host and port (port 465 expects TLS from the first byte, 587 and 25 plain text with STARTTLS)."
	case errors.As(err, &netErr) && netErr.Timeout():
		cause, sum = CauseNetworkError, "The connection to the mail server timed out."
	case errors.As(err, &opErr), errors.As(err, &netErr):
		cause, sum = CauseNetworkError, ""
	case isTLSText(text):
		cause, sum, textOnly = CauseTLSFailed, "The TLS handshake with the server failed.", true
	default:
		return nil
	}
	info := cause.info()
	e := &Explanation{
		Cause:      cause,
		Temporary:  cause.Retryable(),
		Party:      info.party,
		Summary:    info.summary,
		Action:     info.action,
		Message:    message(trimSpace(text), 0, EnhancedCode{}),
		Basis:      BasisError,
		Confidence: confidenceOf(cause, BasisError, "", false),
	}
	if textOnly {
		e.Confidence = ConfidenceMedium
	}
	if sum != "" {
		e.Summary = sum
	}
	return e
}

// isTLSText reports whether an error text comes from crypto/tls, whose
// handshake errors are often plain errors.New values.
func isTLSText(s string) bool {
	var sc scanner
	f := folder{dst: make([]byte, min(len(s), 512)), grams: &sc.grams}
	f.add(s)
	sc.text = f.dst[:f.n]
	return sc.has("tls: ") || sc.has("x509: ")
}

// Error is an error explained by this package: it wraps the original error
// and carries its Explanation. It matches a [Cause] with errors.Is and
// unwraps to the original error, so callers up the stack can write
//
//	if errors.Is(err, smtperr.CauseSenderNotVerified) { ... }
//	var e *smtperr.Error
//	if errors.As(err, &e) { show(e.Explanation) }
type Error struct {
	// Explanation is the explanation of Err; never nil for errors made by
	// [Wrap].
	Explanation *Explanation
	// Err is the original error.
	Err error
}

// Wrap explains err and returns it wrapped in an [*Error]. It returns nil
// for nil, and err itself when err already holds an *Error.
func Wrap(err error) error {
	if err == nil {
		return nil
	}
	var se *Error
	if errors.As(err, &se) {
		return err
	}
	return &Error{Explanation: Explain(err), Err: err}
}

// Error returns "smtperr: <cause>: " followed by the original error's text.
func (e *Error) Error() string {
	cause := CauseUnknown
	if e.Explanation != nil {
		cause = e.Explanation.Cause
	}
	if e.Err == nil {
		return "smtperr: " + string(cause)
	}
	return "smtperr: " + string(cause) + ": " + errorText(e.Err)
}

// Unwrap returns the original error.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the [Cause] of the explanation.
func (e *Error) Is(target error) bool {
	c, ok := target.(Cause)
	return ok && e.Explanation != nil && e.Explanation.Cause == c
}

// unknownRefusal returns the summary and action of a refusal whose text
// names no cause this package knows: the registered meaning of its codes,
// and what to read the text for.
func unknownRefusal(code int, enh EnhancedCode) (summary, action string) {
	kind := "permanently"
	if code/100 == 4 || code == 0 && enh[0] == 4 {
		kind = "temporarily"
	}
	// One allocation: the summary is built on the stack.
	var buf [512]byte
	b := append(buf[:0], "The server refused "...)
	b = append(b, kind...)
	if rc := lookupReply(code); rc != nil {
		b = append(b, " with "...)
		b = append(b, byte('0'+code/100), byte('0'+code/10%10), byte('0'+code%10))
		b = append(b, " ("...)
		b = append(b, rc.text...)
		b = append(b, ')')
	}
	if st, ok := LookupStatus(enh); ok {
		b = append(b, ", status "...)
		b = enh.appendTo(b)
		b = append(b, " ("...)
		b = append(b, st.Name...)
		b = append(b, ')')
	}
	b = append(b, ", and its text names no cause this package recognizes; the code alone does not say why."...)
	summary = string(b)
	action = "Read the server's text for what it refuses: the recipient address (unknown, disabled, full), " +
		"your sending IP or domain (blocked, SPF, DKIM, DMARC, reverse DNS), the From address or account " +
		"(not allowed, not verified, over quota), or the content; then fix that or ask the server's postmaster."
	return summary, action
}

// codeDisagrees reports whether the enhanced code is specific (a vendor
// code, or a registered code that is not an "other or undefined" one) and
// means another cause than the text decided: then neither is certain.
func codeDisagrees(e *Explanation) bool {
	if e.Basis != BasisText && e.Basis != BasisProviderText && e.Basis != BasisWeakText {
		return false
	}
	if v := lookupVendor(e.Enhanced); v != nil {
		return v.cause != e.Cause
	}
	reg := lookupRegistry(e.Enhanced[1], e.Enhanced[2])
	if reg == nil || reg.generic || e.Enhanced[0] < 4 || reg.cause == CauseUnknown {
		return false
	}
	c := reg.cause
	if e.Enhanced[0] == 4 && reg.cause4 != "" {
		c = reg.cause4
	}
	return c != e.Cause
}
