package smtperr

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	netsmtp "net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	markers "github.com/sendcheck/sendcheck/internal/provider"
	"github.com/sendcheck/sendcheck/sender/provider"
)

func TestExplainReply(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		cause    Cause
		code     int
		enh      string
		prov     provider.ID
		temp     bool
		basis    Basis
		message  string
		sumHas   string
		actionIn string
	}{
		{name: "readme SendAsDenied", in: "554 5.2.252 SendAsDenied; sender@example.com not allowed to send as boss@example.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied",
			cause: CauseSenderNotAllowed, code: 554, enh: "5.2.252", prov: provider.Microsoft365, basis: BasisProviderText,
			message: "SendAsDenied; sender@example.com not allowed to send as boss@example.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied",
			sumHas:  "Send As", actionIn: "Send As permission"},
		{name: "text beats 5.7.1", in: "550 5.7.1 <a@example.com>: Sender address rejected: not owned by user b@example.com",
			cause: CauseSenderNotAllowed, code: 550, enh: "5.7.1", prov: provider.Postfix, basis: BasisText},
		{name: "ses unverified, code stripped", in: "Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: a@example.com",
			cause: CauseSenderNotVerified, prov: provider.SES, basis: BasisProviderText},
		{name: "gmail multi-line auth", in: "535-5.7.8 Username and Password not accepted. Learn more at\r\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials x - gsmtp",
			cause: CauseAuthFailed, code: 535, enh: "5.7.8", prov: provider.Gmail, basis: BasisProviderText,
			message: "Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials x - gsmtp"},
		{name: "enhanced code only", in: "550 5.1.1 <x@example.org>", cause: CauseRecipientUnknown, code: 550, enh: "5.1.1", basis: BasisEnhancedCode},
		{name: "vendor code", in: "535 5.7.139 Authentication unsuccessful, the request did not meet the criteria", cause: CauseAuthFailed, code: 535, enh: "5.7.139", basis: BasisText},
		{name: "vendor code alone", in: "550 5.7.509 Access denied", cause: CauseDMARCFailed, code: 550, enh: "5.7.509", prov: provider.Microsoft365, basis: BasisEnhancedCode},
		{name: "reply code only", in: "552 Requested mail action aborted", cause: CauseMailboxFull, code: 552, basis: BasisReplyCode},
		{name: "weak text", in: "550 5.7.1 Denied by policy", cause: CausePolicyViolation, code: 550, enh: "5.7.1", basis: BasisWeakText},
		{name: "temporary", in: "451 4.7.1 <a@example.com>: Recipient address rejected: Greylisted for 5 minutes", cause: CauseGreylisted, code: 451, enh: "4.7.1", temp: true, prov: provider.Postfix},
		{name: "4.4.1 in a DSN", in: "Diagnostic-Code: smtp; 4.4.1 no answer", cause: CauseExpired, enh: "4.4.1", temp: true, basis: BasisEnhancedCode},
		{name: "log prefix and MAIL FROM", in: "host mx.example.net[192.0.2.1] said: 550 5.1.1 <s@example.com>: unknown (in reply to MAIL FROM command)", cause: CauseSenderRejected, code: 550, enh: "5.1.1"},
		{name: "connection refusal", in: "SMTP error from remote mail server after initial connection: 554 5.7.0 nope", cause: CauseBlocked, code: 554, enh: "5.7.0"},
		{name: "qmail hash code", in: "Sorry, no mailbox here by that name. (#5.1.1)", cause: CauseRecipientUnknown, enh: "5.1.1", prov: provider.Qmail},
		{name: "success is no failure", in: "250 2.0.0 OK queued", cause: CauseUnknown, code: 250, enh: "2.0.0", basis: BasisReplyCode, sumHas: "not a failure"},
		{name: "nothing", in: "", cause: CauseUnknown, basis: BasisNone},
		{name: "unknown text", in: "something odd happened", cause: CauseUnknown, basis: BasisNone},
		{name: "no code, retryable cause", in: "Throttling failure: Maximum sending rate exceeded", cause: CauseRateLimited, temp: true},
		{name: "control characters", in: "550 5.1.1 bad\x1b[2J\x00user \u202eunknown", cause: CauseRecipientUnknown, code: 550, enh: "5.1.1", message: "bad [2J user unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ExplainReply(tt.in)
			if e.Cause != tt.cause || e.Code != tt.code || e.Enhanced.String() != tt.enh || e.Temporary != tt.temp {
				t.Errorf("got %s %d %q temp=%v, want %s %d %q temp=%v (basis %s %q)", e.Cause, e.Code, e.Enhanced, e.Temporary, tt.cause, tt.code, tt.enh, tt.temp, e.Basis, e.Matched)
			}
			if tt.prov != "" && e.Provider != tt.prov {
				t.Errorf("provider %q, want %q", e.Provider, tt.prov)
			}
			if tt.basis != "" && e.Basis != tt.basis {
				t.Errorf("basis %s, want %s", e.Basis, tt.basis)
			}
			if tt.message != "" && e.Message != tt.message {
				t.Errorf("message %q, want %q", e.Message, tt.message)
			}
			if !strings.Contains(e.Summary, tt.sumHas) || !strings.Contains(e.Action, tt.actionIn) {
				t.Errorf("summary %q / action %q lack %q / %q", e.Summary, e.Action, tt.sumHas, tt.actionIn)
			}
			if e.Party != e.Cause.Party() && !e.OK() {
				t.Errorf("party %s, cause says %s", e.Party, e.Cause.Party())
			}
		})
	}
}

func TestExplainTypedNil(t *testing.T) {
	var se *smtp.SMTPError
	var err error = se
	if e := Explain(err); e == nil || e.Cause != CauseUnknown {
		t.Errorf("typed nil: %+v", e)
	}
	if w := Wrap(err); w == nil || !strings.HasPrefix(w.Error(), "smtperr: unknown") {
		t.Errorf("Wrap(typed nil) = %v", w)
	}
}

func TestExplainNil(t *testing.T) {
	if Explain(nil) != nil {
		t.Error("Explain(nil) is not nil")
	}
	if Wrap(nil) != nil {
		t.Error("Wrap(nil) is not nil")
	}
}

func TestExplainGoSMTPError(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		cause Cause
		enh   string
		msg   string
	}{
		{"enhanced set", &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}, CauseRecipientUnknown, "5.1.1", "No such user"},
		{"enhanced not set, code on last line", &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCodeNotSet, Message: "Sender address rejected\n5.7.1 not owned by user"}, CauseSenderNotAllowed, "5.7.1", ""},
		{"no enhanced code", &smtp.SMTPError{Code: 535, EnhancedCode: smtp.NoEnhancedCode, Message: "nope"}, CauseAuthFailed, "", "nope"},
		{"wrapped", fmt.Errorf("send: %w", &smtp.SMTPError{Code: 421, Message: "4.7.0 Try again later"}), CauseSystemError, "4.7.0", "Try again later"},
		{"textproto", &textproto.Error{Code: 550, Msg: "5.7.1 first\n5.7.1 Relay access denied"}, CauseRelayDenied, "5.7.1", "first Relay access denied"},
		{"wrapped textproto", fmt.Errorf("mail: %w", &textproto.Error{Code: 530, Msg: "5.7.0 Must issue a STARTTLS command first"}), CauseTLSRequired, "5.7.0", ""},
		{"lmtp", smtp.LMTPDataError{
			"b@example.com": &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "over quota"},
			"a@example.com": &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "unknown"},
		}, CauseRecipientUnknown, "5.1.1", "unknown"},
		{"plain error with reply text", errors.New("gomail: could not send email 1: 554 5.7.1 Relay access denied"), CauseRelayDenied, "5.7.1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Explain(tt.err)
			if e.Cause != tt.cause || e.Enhanced.String() != tt.enh || tt.msg != "" && e.Message != tt.msg {
				t.Errorf("got %s %q %q, want %s %q %q", e.Cause, e.Enhanced, e.Message, tt.cause, tt.enh, tt.msg)
			}
		})
	}
}

// fakeNetErr is a net.Error with a chosen Timeout answer.
type fakeNetErr struct{ timeout bool }

func (e fakeNetErr) Error() string   { return "fake network error" }
func (e fakeNetErr) Timeout() bool   { return e.timeout }
func (e fakeNetErr) Temporary() bool { return false }

func TestExplainGoErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name  string
		err   error
		cause Cause
	}{
		{"deadline", context.DeadlineExceeded, CauseNetworkError},
		{"canceled", ctx.Err(), CauseUnknown},
		{"dns", &net.DNSError{Err: "no such host", Name: "smtp.example.invalid", IsNotFound: true}, CauseNetworkError},
		{"timeout", fakeNetErr{timeout: true}, CauseNetworkError},
		{"net error", &net.OpError{Op: "dial", Net: "tcp", Err: fakeNetErr{}}, CauseNetworkError},
		{"eof", fmt.Errorf("smtp: %w", io.EOF), CauseNetworkError},
		{"protocol", textproto.ProtocolError("short response: \x15\x03\x01"), CauseNetworkError},
		{"hostname", x509.HostnameError{Certificate: &x509.Certificate{}, Host: "smtp.example.com"}, CauseTLSFailed},
		{"unknown authority", x509.UnknownAuthorityError{}, CauseTLSFailed},
		{"alert", fmt.Errorf("handshake: %w", tls.AlertError(40)), CauseTLSFailed},
		{"tls text", errors.New("tls: first record does not look like a TLS handshake"), CauseTLSFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Explain(tt.err)
			if e.Cause != tt.cause || e.Basis != BasisError || e.Message == "" {
				t.Errorf("got %s (%s) %q, want %s", e.Cause, e.Basis, e.Message, tt.cause)
			}
		})
	}
}

// TestExplainLoopbackNetwork explains real dial errors against loopback: a
// closed port (connection refused) and a TLS handshake with a server that
// speaks plain text.
func TestExplainLoopbackNetwork(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, err = net.Dial("tcp", addr)
	if err == nil {
		t.Skip("port reused before the test could dial it")
	}
	if e := Explain(err); e.Cause != CauseNetworkError || !strings.Contains(e.Summary, "refused") {
		t.Errorf("refused: %s %q", e.Cause, e.Summary)
	}

	l, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.Write([]byte("220 mx.example.com ESMTP ready\r\n"))
		io.Copy(io.Discard, c)
	}()
	conn, err := tls.Dial("tcp", l.Addr().String(), &tls.Config{ServerName: "mx.example.com"})
	if err == nil {
		conn.Close()
		t.Fatal("TLS handshake with a plain-text server succeeded")
	}
	if e := Explain(err); e.Cause != CauseTLSFailed {
		t.Errorf("tls: %s (%v)", e.Cause, err)
	}
}

// rejectBackend is a go-smtp server backend that refuses MAIL FROM with a
// fixed error.
type rejectBackend struct{ err error }

func (b rejectBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return rejectSession(b), nil }

type rejectSession struct{ err error }

func (s rejectSession) Reset()                               {}
func (s rejectSession) Logout() error                        { return nil }
func (s rejectSession) Mail(string, *smtp.MailOptions) error { return s.err }
func (s rejectSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s rejectSession) Data(r io.Reader) error               { _, err := io.Copy(io.Discard, r); return err }

// testLogger routes the go-smtp server's log into the test log.
type testLogger struct{ t *testing.T }

func (l testLogger) Printf(format string, v ...any) { l.t.Logf(format, v...) }
func (l testLogger) Println(v ...any)               { l.t.Log(v...) }

// TestExplainLiveSMTP runs a go-smtp server on loopback that refuses the
// sender like Microsoft 365 does, and explains what both the go-smtp and the
// net/smtp clients return.
func TestExplainLiveSMTP(t *testing.T) {
	reject := &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 2, 252},
		Message: "SendAsDenied; a@example.com not allowed to send as boss@example.com"}
	srv := smtp.NewServer(rejectBackend{err: reject})
	srv.Domain = "mx.example.com"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = testLogger{t}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })

	c, err := smtp.Dial(l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	err = c.Mail("a@example.com", nil)
	c.Close()
	e := Explain(err)
	if e == nil || e.Cause != CauseSenderNotAllowed || e.Code != 554 || e.Enhanced.String() != "5.2.252" || e.Provider != provider.Microsoft365 {
		t.Errorf("go-smtp client: %+v (%v)", e, err)
	}

	nc, err := netsmtp.Dial(l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	err = nc.Mail("a@example.com")
	nc.Close()
	var tpErr *textproto.Error
	if !errors.As(err, &tpErr) {
		t.Fatalf("net/smtp returned %T", err)
	}
	e = Explain(err)
	if e == nil || e.Cause != CauseSenderNotAllowed || e.Code != 554 || e.Enhanced.String() != "5.2.252" {
		t.Errorf("net/smtp client: %+v (%v)", e, err)
	}
}

func TestWrap(t *testing.T) {
	orig := &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "The from address does not match a verified Sender Identity."}
	err := fmt.Errorf("notify: %w", Wrap(fmt.Errorf("send: %w", orig)))
	if !errors.Is(err, CauseSenderNotVerified) {
		t.Errorf("errors.Is(err, CauseSenderNotVerified) is false: %v", err)
	}
	if errors.Is(err, CauseAuthFailed) {
		t.Error("errors.Is matched the wrong cause")
	}
	var se *Error
	if !errors.As(err, &se) || se.Explanation.Cause != CauseSenderNotVerified {
		t.Fatalf("errors.As: %v", err)
	}
	var got *smtp.SMTPError
	if !errors.As(err, &got) || got != orig {
		t.Error("the original error is not reachable")
	}
	if Explain(err) != se.Explanation {
		t.Error("Explain does not reuse the carried explanation")
	}
	if w := Wrap(err); w != err {
		t.Error("Wrap wrapped twice")
	}
	if !strings.HasPrefix(se.Error(), "smtperr: sender_not_verified: send: ") {
		t.Errorf("Error() = %q", se.Error())
	}
}

func TestExplanationJSONAndLog(t *testing.T) {
	e := ExplainReply("550 5.1.1 <a@example.com>: Recipient address rejected: User unknown")
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"cause", "code", "enhanced", "provider", "temporary", "party", "summary", "action", "message", "basis"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	if m["enhanced"] != "5.1.1" || m["code"] != float64(550) || m["cause"] != "recipient_unknown" {
		t.Errorf("JSON values: %s", b)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("send failed", "smtp", e)
	if out := buf.String(); !strings.Contains(out, "smtp.cause=recipient_unknown") || !strings.Contains(out, "smtp.enhanced=5.1.1") {
		t.Errorf("slog output: %s", out)
	}
	if e.OK() || !ExplainReply("250 ok").OK() || !ExplainReply("2.0.0 ok").OK() || ExplainReply("4.0.0 x").OK() {
		t.Error("OK wrong")
	}
	if s := e.String(); !strings.HasPrefix(s, "recipient_unknown (550 5.1.1): ") {
		t.Errorf("String() = %q", s)
	}
}

// TestTables checks the rule and marker tables: patterns are lower case, at
// least three bytes, name valid causes, and fit the matcher's limits.
func TestTables(t *testing.T) {
	check := func(what, pat string) {
		if len(pat) < 3 || strings.ToLower(pat) != pat || strings.Contains(pat, "  ") {
			t.Errorf("%s pattern %q: must be lower case, single-spaced, at least 3 bytes", what, pat)
		}
	}
	for _, tab := range [][]rule{strongRules[:], weakRules[:]} {
		if len(tab) > maxTable {
			t.Errorf("table of %d rules exceeds %d", len(tab), maxTable)
		}
		for _, r := range tab {
			check("rule", r.pat)
			if r.and != "" {
				check("rule", r.and)
			}
			if !r.cause.Valid() || r.cause == CauseUnknown {
				t.Errorf("rule %q: cause %q", r.pat, r.cause)
			}
			if r.prov != "" && provider.Name(r.prov) == string(r.prov) {
				t.Errorf("rule %q: unknown provider %q", r.pat, r.prov)
			}
		}
	}
	for i := 0; i < markers.NumReplyMarkers(); i++ {
		check("marker", markers.ReplyMarkerAt(i).Text)
	}
	for _, v := range vendorCodes {
		if _, ok := LookupStatus(v.code); ok {
			t.Errorf("vendor code %v is a registered code", v.code)
		}
	}
	// Every rule is reachable: its own pattern explains as its cause,
	// unless an earlier rule of the same table also matches it.
	for i, r := range strongRules {
		e := ExplainReply("550 " + r.pat + " " + r.and)
		if e.Matched == r.pat {
			continue
		}
		shadowed := false
		for _, q := range strongRules[:i] {
			if strings.Contains(r.pat+" "+r.and, q.pat) {
				shadowed = true
			}
		}
		if !shadowed {
			t.Errorf("rule %q: explained by %q (%s)", r.pat, e.Matched, e.Basis)
		}
	}
}

// TestRetryOnPolicyCode checks the greylisting reading of a temporary
// policy refusal that only asks to try later, and that more words keep
// their own reading.
func TestRetryOnPolicyCode(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Cause
	}{
		{"451 4.7.1 Try again later", CauseGreylisted},
		{"milter-reject: END-OF-MESSAGE from mx.example.net[192.0.2.1]: 4.7.1 Try again later; from=<a@example.com> to=<b@example.org> proto=ESMTP", CauseGreylisted},
		{"451 4.7.1 Service unavailable - try again later", CauseSystemError},
		{"451 4.3.0 Try again later", CauseSystemError},
	} {
		e := ExplainReply(c.in)
		if e.Cause != c.want || e.Confidence != ConfidenceLow {
			t.Errorf("ExplainReply(%q) = %s/%s, want %s/low", c.in, e.Cause, e.Confidence, c.want)
		}
	}
}
