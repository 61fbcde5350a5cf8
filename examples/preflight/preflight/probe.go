package preflight

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/sendcheck/sendcheck/sender/provider"
	"github.com/sendcheck/sendcheck/smtperr"
)

// TLSMode says how the probe secures the connection.
type TLSMode string

// TLS modes of the probe.
const (
	// TLSAuto: implicit TLS on port 465, otherwise STARTTLS when the server
	// offers it. A server that offers no STARTTLS is used in plain text
	// only when it is on a loopback address; elsewhere the probe stops
	// rather than send the password unencrypted.
	TLSAuto TLSMode = "auto"
	// TLSImplicit: TLS from the first byte, whatever the port.
	TLSImplicit TLSMode = "implicit"
	// TLSStartTLS: STARTTLS is required.
	TLSStartTLS TLSMode = "starttls"
)

// ParseTLSMode parses a TLS mode name; "" is [TLSAuto].
func ParseTLSMode(s string) (TLSMode, error) {
	switch m := TLSMode(strings.ToLower(strings.TrimSpace(s))); m {
	case "", TLSAuto:
		return TLSAuto, nil
	case TLSImplicit, TLSStartTLS:
		return m, nil
	}
	return "", fmt.Errorf("preflight: unknown TLS mode %q (want auto, implicit or starttls)", s)
}

// ProbeConfig is what the SMTP probe needs.
type ProbeConfig struct {
	// Host is the SMTP host name: the certificate is verified for it.
	Host string
	// Port is the SMTP port; 0 means 587.
	Port int
	// Connect, when set, is the "ip:port" dialled instead of Host:Port
	// (the certificate is still verified for Host).
	Connect string
	// Username and Password are the AUTH credentials. The password never
	// appears in the result.
	Username string
	Password string
	// Token is an OAuth 2.0 access token for XOAUTH2 or OAUTHBEARER (RFC
	// 7628), used instead of the password when the server offers either
	// mechanism. It never appears in the result.
	Token string
	// From is the envelope sender (MAIL FROM), an address without brackets.
	From string
	// To is the recipient for RCPT TO.
	To string
	// Message, when not nil, is sent with DATA; nil means probe only: the
	// transaction is reset after RCPT TO and nothing is sent.
	Message []byte
	// TLS selects how the connection is secured; "" is [TLSAuto].
	TLS TLSMode
	// RootCAs, when not nil, replaces the system roots for verifying the
	// server's certificate.
	RootCAs *x509.CertPool
	// HelloName is the name given in EHLO; "" means "localhost".
	HelloName string
	// StepTimeout bounds each step; 0 means 20 seconds.
	StepTimeout time.Duration
	// Now returns the time a failure is stamped with; nil means time.Now.
	Now func() time.Time
}

// StepStatus is the outcome of one probe step.
type StepStatus string

// Step outcomes.
const (
	StepOK      StepStatus = "ok"
	StepFailed  StepStatus = "failed"
	StepSkipped StepStatus = "skipped"
)

// Step is one command or phase of the probe.
type Step struct {
	// Name is connect, tls, starttls, ehlo, auth, mail, rcpt, data, rset
	// or quit.
	Name string `json:"name"`
	// Status is the outcome.
	Status StepStatus `json:"status"`
	// Detail says what happened when it went well (the TLS version, the
	// AUTH mechanism, the server's answer to DATA).
	Detail string `json:"detail,omitempty"`
	// Error is the error text when the step failed, password removed.
	Error string `json:"error,omitempty"`
	// Reply is the server's reply to the failed step as it came (code,
	// enhanced code and text, one line per reply line), cleaned and
	// scrubbed like Error; "" when the failure was not a reply.
	Reply string `json:"reply,omitempty"`
	// Explanation explains a failure.
	Explanation *smtperr.Explanation `json:"explanation,omitempty"`
}

// ProbeResult is the outcome of [Probe].
type ProbeResult struct {
	// Server is the address dialled.
	Server string `json:"server"`
	// TLS is how the connection was secured: implicit, starttls or none.
	TLS string `json:"tls"`
	// TLSVersion is the negotiated TLS version, when TLS was used.
	TLSVersion string `json:"tls_version,omitempty"`
	// Extensions are the EHLO keywords the server announced (after TLS).
	Extensions []string `json:"extensions,omitempty"`
	// AuthOffered are the SASL mechanisms the server announced.
	AuthOffered []string `json:"auth_offered,omitempty"`
	// Auth is the SASL mechanism used.
	Auth string `json:"auth,omitempty"`
	// Sent is true when a message was accepted after DATA.
	Sent bool `json:"sent"`
	// OK is true when every step that ran succeeded.
	OK bool `json:"ok"`
	// FailedStep names the step that failed, "" when none did.
	FailedStep string `json:"failed_step,omitempty"`
	// Explanation explains the failure.
	Explanation *smtperr.Explanation `json:"explanation,omitempty"`
	// FailedAt is when the failure happened, in UTC.
	FailedAt time.Time `json:"failed_at,omitzero"`
	// SupportSummary is the failure as plain text for a ticket with the
	// provider's support (see smtperr.Ticket); "" when nothing failed.
	SupportSummary string `json:"support_summary,omitempty"`
	// Steps are the steps in order.
	Steps []Step `json:"steps"`
}

// Probe connects to an SMTP submission server and walks one transaction:
// connect, TLS (implicit or STARTTLS), EHLO, AUTH, MAIL
// FROM, RCPT TO, then RSET and QUIT, or DATA and QUIT when cfg.Message is
// set. It stops at the first failure and explains it with smtperr. Every
// step is bounded by cfg.StepTimeout and by ctx. It never returns nil.
//
// AUTH uses the token, when there is one and the server offers OAUTHBEARER
// or XOAUTH2, else the password with PLAIN or LOGIN.
//
// Neither the password nor the token appears in the result: every text
// from the server is cleaned of control characters and escape sequences
// and scrubbed of every form of the credentials it could echo (as typed,
// hex, the base64 blobs sent on the wire or runs of them, in any case,
// split over lines) before it is stored.
func Probe(ctx context.Context, cfg *ProbeConfig) *ProbeResult {
	p := &prober{cfg: *cfg, res: &ProbeResult{}}
	if p.cfg.Port == 0 {
		p.cfg.Port = 587
	}
	if p.cfg.StepTimeout <= 0 {
		p.cfg.StepTimeout = 20 * time.Second
	}
	if p.cfg.HelloName == "" {
		p.cfg.HelloName = "localhost"
	}
	if p.cfg.TLS == "" {
		p.cfg.TLS = TLSAuto
	}
	p.scrub = newScrubber(cfg.Username, cfg.Password, cfg.Token, p.cfg.Host, p.cfg.Port)
	p.run(ctx)
	p.res.OK = p.res.FailedStep == ""
	return p.res
}

type prober struct {
	cfg   ProbeConfig
	res   *ProbeResult
	scrub *scrubber
}

func (p *prober) ok(name, detail string) {
	p.res.Steps = append(p.res.Steps, Step{Name: name, Status: StepOK, Detail: p.scrub.Replace(detail)})
}

// fail records a failed step. A nil explanation is computed from err.
func (p *prober) fail(ctx context.Context, name string, err error, e *smtperr.Explanation) {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		// The connection was closed because ctx ended; say so.
		err = fmt.Errorf("%s: %w", name, ctxErr)
	}
	if e == nil {
		e = smtperr.Explain(err)
	}
	e = scrubExplanation(p.scrub, e)
	reply := ""
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		reply = p.scrub.Replace(replyText(se))
	}
	p.res.Steps = append(p.res.Steps, Step{Name: name, Status: StepFailed, Error: p.scrub.Replace(err.Error()), Reply: reply, Explanation: e})
	p.res.FailedStep = name
	p.res.Explanation = e
	now := time.Now
	if p.cfg.Now != nil {
		now = p.cfg.Now
	}
	p.res.FailedAt = now().UTC()
	t := &smtperr.Ticket{Step: ticketStep(name), Server: p.cfg.Host + ":" + strconv.Itoa(p.cfg.Port), Time: p.res.FailedAt, Reply: reply, Explanation: e}
	if pr, ok := provider.ByHost(p.cfg.Host); ok {
		t.Provider = pr.ID
	}
	if reply == "" {
		t.Reply = p.scrub.Replace(err.Error())
	}
	p.res.SupportSummary = p.scrub.Replace(t.String())
}

// ticketStep maps a probe step onto the steps of a support summary.
func ticketStep(name string) smtperr.Step {
	switch name {
	case "connect", "ehlo":
		return smtperr.StepConnect
	case "tls", "starttls":
		return smtperr.StepTLS
	case "auth":
		return smtperr.StepAuth
	case "mail":
		return smtperr.StepMail
	case "rcpt":
		return smtperr.StepRcpt
	case "data":
		return smtperr.StepData
	}
	return smtperr.StepUnknown
}

// replyText writes a go-smtp error back as the reply it came from.
func replyText(e *smtp.SMTPError) string {
	prefix := strconv.Itoa(e.Code)
	if e.EnhancedCode != smtp.EnhancedCodeNotSet && e.EnhancedCode != smtp.NoEnhancedCode {
		prefix += fmt.Sprintf(" %d.%d.%d", e.EnhancedCode[0], e.EnhancedCode[1], e.EnhancedCode[2])
	}
	lines := strings.Split(e.Message, "\n")
	for i, l := range lines {
		lines[i] = prefix + " " + l
	}
	return strings.Join(lines, "\n")
}

func (p *prober) skip(names ...string) {
	for _, n := range names {
		p.res.Steps = append(p.res.Steps, Step{Name: n, Status: StepSkipped})
	}
}

// stepTimeout is the time the next step may take: the step timeout, or
// what is left of ctx when that is shorter.
func (p *prober) stepTimeout(ctx context.Context) time.Duration {
	d := p.cfg.StepTimeout
	if dl, ok := ctx.Deadline(); ok {
		if left := time.Until(dl); left < d {
			d = left
		}
	}
	if d <= 0 {
		d = time.Millisecond
	}
	return d
}

func (p *prober) run(ctx context.Context) {
	addr := p.cfg.Connect
	if addr == "" {
		addr = net.JoinHostPort(p.cfg.Host, strconv.Itoa(p.cfg.Port))
	}
	p.res.Server = addr
	implicit := p.cfg.TLS == TLSImplicit || (p.cfg.TLS == TLSAuto && p.cfg.Port == 465)
	rest := p.restAfter("connect")

	if err := ctx.Err(); err != nil {
		p.fail(ctx, "connect", err, nil)
		p.skip(rest...)
		return
	}
	dctx, cancel := context.WithTimeout(ctx, p.stepTimeout(ctx))
	conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", addr)
	cancel()
	if err != nil {
		p.fail(ctx, "connect", err, nil)
		p.skip(rest...)
		return
	}
	p.ok("connect", conn.RemoteAddr().String())
	// Closing the connection when ctx ends interrupts whatever step is
	// waiting on the network.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer conn.Close()

	tlsConfig := &tls.Config{ServerName: p.cfg.Host, RootCAs: p.cfg.RootCAs, MinVersion: tls.VersionTLS12}
	var c *smtp.Client
	switch {
	case implicit:
		p.res.TLS = "implicit"
		tc := tls.Client(conn, tlsConfig)
		hctx, cancel := context.WithTimeout(ctx, p.stepTimeout(ctx))
		err := tc.HandshakeContext(hctx)
		cancel()
		if err != nil {
			p.fail(ctx, "tls", err, nil)
			p.skip(rest...)
			return
		}
		p.res.TLSVersion = tls.VersionName(tc.ConnectionState().Version)
		p.ok("tls", "implicit TLS, "+p.res.TLSVersion)
		c = smtp.NewClient(tc)
	default:
		var greetedPlain bool
		c, greetedPlain, err = p.startTLS(ctx, conn, tlsConfig)
		if err != nil {
			return
		}
		if greetedPlain {
			if !p.plainAllowed() {
				c.Close()
				err := fmt.Errorf("%s offers no STARTTLS; refusing to send the password unencrypted", p.cfg.Host)
				p.fail(ctx, "starttls", err, causeExplanation(smtperr.CauseTLSRequired, err.Error()))
				p.skip(rest...)
				return
			}
			p.res.TLS = "none"
			p.ok("starttls", "not offered; plain text on a loopback address")
		}
	}
	defer c.Close()
	p.setTimeouts(ctx, c)

	// EHLO over TLS (the plain-text client has already sent it).
	if p.res.TLS != "none" {
		if err := c.Hello(p.cfg.HelloName); err != nil {
			p.fail(ctx, "ehlo", err, nil)
			p.skip(rest[1:]...)
			return
		}
	}
	p.res.Extensions = extensions(c)
	p.ok("ehlo", strings.Join(p.res.Extensions, " "))

	// AUTH.
	p.setTimeouts(ctx, c)
	p.res.AuthOffered = authMechanisms(c)
	auth, oc := p.chooseAuth()
	if auth == nil {
		msg := p.noAuthMessage()
		err := errors.New(msg)
		p.fail(ctx, "auth", err, causeExplanation(smtperr.CauseAuthMethodRejected, msg))
		p.skip(rest[2:]...)
		p.quit(ctx, c, false)
		return
	}
	if err := c.Auth(auth); err != nil {
		if oc != nil && oc.status != "" {
			err = &oauthError{err: err, status: oc.status}
		}
		p.fail(ctx, "auth", err, nil)
		p.skip(rest[2:]...)
		p.quit(ctx, c, false)
		return
	}
	p.ok("auth", "AUTH "+p.res.Auth+" as "+p.cfg.Username+" (offered: "+strings.Join(p.res.AuthOffered, " ")+")")

	// MAIL FROM.
	p.setTimeouts(ctx, c)
	var mailOpts *smtp.MailOptions
	if !isASCII(p.cfg.From) {
		if ok, _ := c.Extension("SMTPUTF8"); ok {
			mailOpts = &smtp.MailOptions{UTF8: true}
		}
	}
	if err := c.Mail(p.cfg.From, mailOpts); err != nil {
		p.fail(ctx, "mail", err, nil)
		p.skip(rest[3:]...)
		p.quit(ctx, c, false)
		return
	}
	p.ok("mail", "MAIL FROM:<"+p.cfg.From+"> accepted")

	// RCPT TO.
	p.setTimeouts(ctx, c)
	if err := c.Rcpt(p.cfg.To, nil); err != nil {
		p.fail(ctx, "rcpt", err, nil)
		p.skip(rest[4:]...)
		p.quit(ctx, c, false)
		return
	}
	p.ok("rcpt", "RCPT TO:<"+p.cfg.To+"> accepted")

	if p.cfg.Message == nil {
		p.setTimeouts(ctx, c)
		if err := c.Reset(); err != nil {
			p.fail(ctx, "rset", err, nil)
			p.skip("quit")
			return
		}
		p.ok("rset", "transaction reset; nothing sent")
		p.quit(ctx, c, true)
		return
	}

	// DATA: some providers refuse an unverified sender only here.
	p.setTimeouts(ctx, c)
	resp, err := p.data(c)
	if err != nil {
		p.fail(ctx, "data", err, nil)
		p.quit(ctx, c, true)
		return
	}
	p.res.Sent = true
	p.ok("data", "accepted: "+resp)
	p.quit(ctx, c, true)
}

// startTLS reads the greeting, sends EHLO and, when the server offers
// STARTTLS, upgrades the connection and returns a client over TLS that
// has yet to send EHLO. When STARTTLS is not offered (and not required),
// it returns the plain-text client, greeted and past EHLO, and true. It
// records the steps it runs; on error the failed step is recorded.
func (p *prober) startTLS(ctx context.Context, conn net.Conn, tlsConfig *tls.Config) (*smtp.Client, bool, error) {
	rest := p.restAfter("starttls")
	pre := smtp.NewClient(conn)
	p.setTimeouts(ctx, pre)
	if err := pre.Hello(p.cfg.HelloName); err != nil {
		p.fail(ctx, "ehlo", err, nil)
		p.skip(rest[1:]...)
		return nil, false, err
	}
	if ok, _ := pre.Extension("STARTTLS"); !ok {
		if p.cfg.TLS == TLSStartTLS {
			err := fmt.Errorf("%s offers no STARTTLS", p.cfg.Host)
			p.fail(ctx, "starttls", err, causeExplanation(smtperr.CauseTLSRequired, err.Error()))
			p.skip(rest...)
			return nil, false, err
		}
		return pre, true, nil
	}

	// go-smtp starts TLS only on a connection it greets itself, so the
	// STARTTLS command is sent here: the EHLO reply has been read in
	// full and the server sends nothing more until the client speaks.
	_ = conn.SetDeadline(time.Now().Add(p.stepTimeout(ctx)))
	if _, err := io.WriteString(conn, "STARTTLS\r\n"); err != nil {
		p.fail(ctx, "starttls", err, nil)
		p.skip(rest...)
		return nil, false, err
	}
	// Read the reply byte by byte so that nothing after it (the server's
	// TLS handshake) is buffered away.
	tr := textproto.NewReader(bufio.NewReaderSize(oneByteReader{conn}, 16))
	if _, _, err := tr.ReadResponse(220); err != nil {
		p.fail(ctx, "starttls", err, nil)
		p.skip(rest...)
		return nil, false, err
	}
	_ = conn.SetDeadline(time.Time{})
	tc := tls.Client(conn, tlsConfig)
	hctx, cancel := context.WithTimeout(ctx, p.stepTimeout(ctx))
	err := tc.HandshakeContext(hctx)
	cancel()
	if err != nil {
		p.fail(ctx, "tls", err, nil)
		p.skip(rest...)
		return nil, false, err
	}
	p.res.TLS = "starttls"
	p.res.TLSVersion = tls.VersionName(tc.ConnectionState().Version)
	p.ok("starttls", "STARTTLS, "+p.res.TLSVersion)
	// The new client must not wait for a second greeting: it reads a
	// synthetic one first.
	return smtp.NewClient(&primedConn{Conn: tc, prefix: []byte("220 " + p.cfg.Host + " ready after STARTTLS\r\n")}), false, nil
}

// restAfter returns the names of the steps after name.
func (p *prober) restAfter(name string) []string {
	rest := []string{"ehlo", "auth", "mail", "rcpt"}
	if p.cfg.Message != nil {
		rest = append(rest, "data", "quit")
	} else {
		rest = append(rest, "rset", "quit")
	}
	if name == "starttls" || name == "tls" || name == "connect" {
		return rest
	}
	for i, n := range rest {
		if n == name {
			return rest[i+1:]
		}
	}
	return nil
}

// primedConn is a connection whose first reads return prefix.
type primedConn struct {
	net.Conn
	prefix []byte
}

func (c *primedConn) Read(b []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(b, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

// oneByteReader reads at most one byte per call.
type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(b []byte) (int, error) {
	if len(b) > 1 {
		b = b[:1]
	}
	return o.r.Read(b)
}

// plainAllowed reports whether the probe may authenticate without TLS:
// only on loopback addresses, as net/smtp's PlainAuth allows.
func (p *prober) plainAllowed() bool {
	if p.cfg.TLS != TLSAuto {
		return false
	}
	host := p.cfg.Host
	if p.cfg.Connect != "" {
		if h, _, err := net.SplitHostPort(p.cfg.Connect); err == nil {
			host = h
		}
	}
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

func (p *prober) setTimeouts(ctx context.Context, c *smtp.Client) {
	d := p.stepTimeout(ctx)
	c.CommandTimeout = d
	c.SubmissionTimeout = d
}

func (p *prober) data(c *smtp.Client) (string, error) {
	w, err := c.Data()
	if err != nil {
		return "", err
	}
	if _, err := w.Write(p.cfg.Message); err != nil {
		w.Close()
		return "", err
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return "", err
	}
	return resp.StatusText, nil
}

// quit ends the session; a failed QUIT is recorded only when record is
// true (after a failure the earlier step is what matters).
func (p *prober) quit(ctx context.Context, c *smtp.Client, record bool) {
	p.setTimeouts(ctx, c)
	err := c.Quit()
	if !record {
		return
	}
	if err != nil {
		if p.res.FailedStep == "" {
			p.fail(ctx, "quit", err, nil)
		}
		return
	}
	p.ok("quit", "")
}

// authMechanisms returns the SASL mechanisms of the EHLO AUTH keyword, in
// upper case and the server's order, without repeats.
func authMechanisms(c *smtp.Client) []string {
	ok, param := c.Extension("AUTH")
	if !ok {
		return nil
	}
	var out []string
	for _, m := range strings.Fields(strings.ToUpper(param)) {
		if len(out) < 32 && len(m) <= 40 && !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

// chooseAuth picks the mechanism: with a token, OAUTHBEARER then XOAUTH2;
// with a password, PLAIN then LOGIN. oc is the OAuth client, when one was
// picked.
func (p *prober) chooseAuth() (auth sasl.Client, oc *oauthClient) {
	offers := func(m string) bool { return slices.Contains(p.res.AuthOffered, m) }
	if p.cfg.Token != "" {
		for _, m := range []string{mechOAuthBearer, mechXOAUTH2} {
			if offers(m) {
				p.res.Auth = m
				oc = newOAuthClient(m, p.cfg.Username, p.cfg.Token, p.cfg.Host, p.cfg.Port)
				return oc, oc
			}
		}
	}
	if p.cfg.Password != "" {
		switch {
		case offers(sasl.Plain):
			p.res.Auth = sasl.Plain
			return sasl.NewPlainClient("", p.cfg.Username, p.cfg.Password), nil
		case offers(sasl.Login):
			p.res.Auth = sasl.Login
			return sasl.NewLoginClient(p.cfg.Username, p.cfg.Password), nil
		}
	}
	return nil, nil
}

// noAuthMessage says why no mechanism fits the credentials given.
func (p *prober) noAuthMessage() string {
	if len(p.res.AuthOffered) == 0 {
		return "the server does not offer AUTH"
	}
	offered := "the server offers AUTH " + strings.Join(p.res.AuthOffered, " ")
	oauth := slices.Contains(p.res.AuthOffered, mechXOAUTH2) || slices.Contains(p.res.AuthOffered, mechOAuthBearer)
	basic := slices.Contains(p.res.AuthOffered, sasl.Plain) || slices.Contains(p.res.AuthOffered, sasl.Login)
	switch {
	case p.cfg.Token == "" && oauth && !basic:
		return offered + ": it wants an OAuth 2.0 access token (XOAUTH2 or OAUTHBEARER), not a password"
	case p.cfg.Password == "" && basic && !oauth:
		return offered + ": it takes a password (PLAIN or LOGIN), not an OAuth token"
	}
	return offered + ", none of which the probe can use with the credentials given (it speaks PLAIN and LOGIN with a password, OAUTHBEARER and XOAUTH2 with a token)"
}

// oauthError is a refused token: the server's final reply and the status
// of the JSON error it sent before it.
type oauthError struct {
	err    error
	status string
}

func (e *oauthError) Error() string {
	return e.err.Error() + " (OAuth status: " + e.status + ")"
}

func (e *oauthError) Unwrap() error { return e.err }

// extensions lists the EHLO keywords go-smtp recorded, in a fixed order.
func extensions(c *smtp.Client) []string {
	var out []string
	for _, kw := range []string{"STARTTLS", "AUTH", "SIZE", "8BITMIME", "SMTPUTF8", "PIPELINING", "ENHANCEDSTATUSCODES", "CHUNKING", "DSN", "REQUIRETLS"} {
		if ok, param := c.Extension(kw); ok {
			if param != "" {
				kw += " " + param
			}
			out = append(out, kw)
		}
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// causeExplanation explains a failure the probe found itself (no server
// reply to read) with a cause of the taxonomy.
func causeExplanation(c smtperr.Cause, msg string) *smtperr.Explanation {
	return &smtperr.Explanation{
		Cause:     c,
		Temporary: c.Retryable(),
		Party:     c.Party(),
		Summary:   c.Summary(),
		Action:    c.Action(),
		Message:   msg,
		Basis:     smtperr.BasisNone,
		// The probe saw this failure itself.
		Confidence: smtperr.ConfidenceHigh,
	}
}

func scrubExplanation(r *scrubber, e *smtperr.Explanation) *smtperr.Explanation {
	if e == nil {
		return nil
	}
	cp := *e
	cp.Message = r.Replace(cp.Message)
	cp.Matched = r.Replace(cp.Matched)
	cp.Summary = r.Replace(cp.Summary)
	cp.Action = r.Replace(cp.Action)
	// An identifier that holds a run of a secret is dropped, not masked.
	cp.Trace = nil
	for _, id := range e.Trace {
		if r.Replace(id.Value) == id.Value {
			cp.Trace = append(cp.Trace, id)
		}
	}
	return &cp
}

// newMessageID returns a random Message-ID for the test message.
func newMessageID(domain string) string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "<preflight@" + domain + ">"
	}
	return "<preflight." + hex.EncodeToString(b[:]) + "@" + domain + ">"
}
