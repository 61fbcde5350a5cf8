package smtptest

import (
	"bytes"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// User is an account at the fake provider.
type User struct {
	// Username and Password are what AUTH must present.
	Username string
	Password string
	// Token, when set, is the OAuth 2.0 access token XOAUTH2 and
	// OAUTHBEARER must present for Username.
	Token string
	// Senders are the identities the user may send as: a full address
	// ("ops@example.com", compared without regard to case), or a domain
	// ("example.com" or "@example.com") covering every address at exactly
	// that domain. An empty list lets the user send as anyone.
	Senders []string
}

// mayUse reports whether u may send as addr.
func (u *User) mayUse(addr string) bool {
	if len(u.Senders) == 0 {
		return true
	}
	a := strings.ToLower(strings.TrimSpace(addr))
	at := strings.LastIndexByte(a, '@')
	if at <= 0 {
		return false
	}
	domain := a[at+1:]
	for _, s := range u.Senders {
		s = strings.ToLower(strings.TrimSpace(s))
		switch {
		case strings.HasPrefix(s, "@"):
			if domain == s[1:] {
				return true
			}
		case !strings.Contains(s, "@"):
			if domain == s {
				return true
			}
		default:
			if a == s {
				return true
			}
		}
	}
	return false
}

// Options configures a [Server]. The zero value is a plain-text server
// with no users (so every AUTH fails).
type Options struct {
	// Domain is the host name in the greeting and the certificate; default
	// "smtp.provider.test".
	Domain string
	// Users are the accounts that may authenticate.
	Users []User
	// TLS selects how TLS is offered; "" means [TLSNone].
	TLS TLSMode
	// Reject is the reply for a sender the user may not use; a zero Code
	// means [RejectPostfixMismatch].
	Reject Rejection
	// ErrorLog receives go-smtp's internal errors (failed handshakes,
	// broken connections). nil discards them.
	ErrorLog smtp.Logger
	// MaxMessageBytes limits a message; default 1 MiB.
	MaxMessageBytes int64
	// Timeout bounds each read and write on a connection; default 30 s.
	Timeout time.Duration
	// Mechanisms are the SASL mechanisms offered, from "PLAIN", "LOGIN",
	// "XOAUTH2" and "OAUTHBEARER"; empty means PLAIN and LOGIN.
	Mechanisms []string
	// BasicAuth, when its Code is set, is the reply to every PLAIN or
	// LOGIN attempt, whatever the password: a provider that has turned
	// basic authentication off and takes OAuth tokens only, as Exchange
	// Online does ([RefuseSMTPAuthDisabled], [RefuseBasicAuthDisabled],
	// [RefuseBasicAuthNotSupported]).
	BasicAuth AuthRefusal
}

// Entry is one finished mail transaction in the server's log: a message
// accepted after DATA, or a sender refused.
type Entry struct {
	// User is the authenticated user name.
	User string
	// From is the envelope sender; To the recipients accepted so far.
	From string
	To   []string
	// HeaderFrom is the address in the message's From field, when the
	// transaction reached DATA and the field parsed.
	HeaderFrom string
	// Data is the message as received (nil when refused before DATA).
	Data []byte
	// Accepted is true when the message was queued.
	Accepted bool
	// Stage is where a refusal happened ("" when accepted).
	Stage Stage
	// Reply is the final reply line(s) as written on the wire, without CRLF.
	Reply string
}

// Server is a running fake provider. Its methods are safe for concurrent
// use.
type Server struct {
	opts Options
	srv  *smtp.Server
	ln   net.Listener
	cert *certificate
	done chan struct{}
	once sync.Once

	mu      sync.Mutex
	entries []Entry
}

// NewServer starts a fake provider on 127.0.0.1 at a free port. Close it
// when done.
func NewServer(opts *Options) (*Server, error) {
	var o Options
	if opts != nil {
		o = *opts
		o.Users = append([]User(nil), opts.Users...)
	}
	if o.Domain == "" {
		o.Domain = "smtp.provider.test"
	}
	if o.TLS == "" {
		o.TLS = TLSNone
	}
	switch o.TLS {
	case TLSNone, TLSStartTLS, TLSImplicit:
	default:
		return nil, fmt.Errorf("smtptest: unknown TLS mode %q", o.TLS)
	}
	if o.Reject.Code == 0 {
		o.Reject = RejectPostfixMismatch()
	}
	switch o.Reject.Stage {
	case StageMail, StageRcpt, StageData:
	default:
		return nil, fmt.Errorf("smtptest: unknown rejection stage %q", o.Reject.Stage)
	}
	if o.Reject.Code < 400 || o.Reject.Code > 599 {
		return nil, fmt.Errorf("smtptest: rejection code %d is not a 4xx or 5xx reply", o.Reject.Code)
	}
	if c := o.BasicAuth.Code; c != 0 && (c < 400 || c > 599) {
		return nil, fmt.Errorf("smtptest: basic authentication refusal code %d is not a 4xx or 5xx reply", c)
	}
	if o.ErrorLog == nil {
		o.ErrorLog = log.New(io.Discard, "", 0)
	}
	if o.MaxMessageBytes <= 0 {
		o.MaxMessageBytes = 1 << 20
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if len(o.Mechanisms) == 0 {
		o.Mechanisms = []string{sasl.Plain, sasl.Login}
	}
	o.Mechanisms = append([]string(nil), o.Mechanisms...)
	for i, m := range o.Mechanisms {
		m = strings.ToUpper(m)
		if m != sasl.Plain && m != sasl.Login && m != mechXOAUTH2 && m != sasl.OAuthBearer {
			return nil, fmt.Errorf("smtptest: unsupported SASL mechanism %q", m)
		}
		o.Mechanisms[i] = m
	}

	s := &Server{opts: o, done: make(chan struct{})}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = o.Domain
	srv.ErrorLog = o.ErrorLog
	srv.MaxMessageBytes = o.MaxMessageBytes
	srv.MaxRecipients = 50
	srv.ReadTimeout = o.Timeout
	srv.WriteTimeout = o.Timeout
	srv.AllowInsecureAuth = o.TLS == TLSNone

	var tlsConfig *tls.Config
	if o.TLS != TLSNone {
		cert, err := newCertificate(o.Domain, time.Now())
		if err != nil {
			return nil, err
		}
		s.cert = cert
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert.tls}, MinVersion: tls.VersionTLS12}
	}
	if o.TLS == TLSStartTLS {
		srv.TLSConfig = tlsConfig
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("smtptest: listen: %w", err)
	}
	if o.TLS == TLSImplicit {
		ln = tls.NewListener(ln, tlsConfig)
	}
	s.srv = srv
	s.ln = ln
	go func() {
		defer close(s.done)
		if err := srv.Serve(ln); err != nil {
			o.ErrorLog.Printf("smtptest: serve: %v", err)
		}
	}()
	return s, nil
}

// Addr returns the "127.0.0.1:port" the server listens on.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Host returns the listening IP address as text.
func (s *Server) Host() string {
	host, _, _ := net.SplitHostPort(s.Addr())
	return host
}

// Port returns the listening port.
func (s *Server) Port() int {
	_, port, _ := net.SplitHostPort(s.Addr())
	n, _ := strconv.Atoi(port)
	return n
}

// TLS returns the server's TLS mode.
func (s *Server) TLS() TLSMode { return s.opts.TLS }

// Domain returns the host name the server greets with.
func (s *Server) Domain() string { return s.opts.Domain }

// CertPEM returns the server's self-signed certificate in PEM form, or nil
// for a plain-text server.
func (s *Server) CertPEM() []byte {
	if s.cert == nil {
		return nil
	}
	return append([]byte(nil), s.cert.pem...)
}

// CertPool returns a pool trusting only the server's certificate, or nil
// for a plain-text server.
func (s *Server) CertPool() *x509.CertPool {
	if s.cert == nil {
		return nil
	}
	pool := x509.NewCertPool()
	pool.AddCert(s.cert.leaf)
	return pool
}

// ClientTLSConfig returns a client configuration that trusts the server's
// certificate and verifies it for the loopback address, or nil for a
// plain-text server.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.cert == nil {
		return nil
	}
	return &tls.Config{RootCAs: s.CertPool(), ServerName: s.Host(), MinVersion: tls.VersionTLS12}
}

// Log returns every finished transaction so far, oldest first.
func (s *Server) Log() []Entry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Entry, len(s.entries))
	copy(out, s.entries)
	return out
}

// Messages returns the accepted messages so far, oldest first.
func (s *Server) Messages() []Entry {
	var out []Entry
	for _, e := range s.Log() {
		if e.Accepted {
			out = append(out, e)
		}
	}
	return out
}

// Close stops the server, closes every connection and waits for the
// accept loop to end. Calling it again does nothing.
func (s *Server) Close() error {
	var err error
	s.once.Do(func() {
		err = s.srv.Close()
		// go-smtp closes only the listeners Serve has registered; if Serve
		// has not started yet, closing ours makes its Accept return.
		if lerr := s.ln.Close(); lerr != nil && err == nil && !errors.Is(lerr, net.ErrClosed) {
			err = lerr
		}
		<-s.done
		if err != nil && !errors.Is(err, net.ErrClosed) {
			err = fmt.Errorf("smtptest: close: %w", err)
		} else {
			err = nil
		}
	})
	return err
}

func (s *Server) record(e Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.entries = append(s.entries, e)
}

func (s *Server) user(username string) *User {
	for i := range s.opts.Users {
		if s.opts.Users[i].Username == username {
			return &s.opts.Users[i]
		}
	}
	return nil
}

func (s *Server) newSession(*smtp.Conn) (smtp.Session, error) {
	return &session{srv: s}, nil
}

// session is one SMTP connection's state.
type session struct {
	srv  *Server
	user *User
	from string
	to   []string
}

// AuthMechanisms implements smtp.AuthSession.
func (s *session) AuthMechanisms() []string { return append([]string(nil), s.srv.opts.Mechanisms...) }

// Auth implements smtp.AuthSession.
func (s *session) Auth(mech string) (sasl.Server, error) {
	if !slices.Contains(s.srv.opts.Mechanisms, mech) {
		mech = ""
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				return replyAuthFailed()
			}
			return s.login(username, password)
		}), nil
	case sasl.Login:
		return newLoginServer(s.login), nil
	case mechXOAUTH2, sasl.OAuthBearer:
		return newOAuthServer(mech, s.loginToken), nil
	}
	return nil, &smtp.SMTPError{Code: 504, EnhancedCode: smtp.EnhancedCode{5, 5, 4}, Message: "Unrecognized authentication type"}
}

func (s *session) login(username, password string) error {
	if r := s.srv.opts.BasicAuth; r.Code != 0 {
		return r.reply()
	}
	u := s.srv.user(username)
	if u == nil {
		return replyAuthFailed()
	}
	if subtle.ConstantTimeCompare([]byte(password), []byte(u.Password)) != 1 {
		return replyAuthFailed()
	}
	s.user = u
	return nil
}

// loginToken checks an OAuth access token.
func (s *session) loginToken(username, token string) bool {
	u := s.srv.user(username)
	if u == nil || u.Token == "" || subtle.ConstantTimeCompare([]byte(token), []byte(u.Token)) != 1 {
		return false
	}
	s.user = u
	return true
}

func (s *session) refuse(stage Stage, addr, headerFrom string, data []byte) *smtp.SMTPError {
	reply := s.srv.opts.Reject.Reply(s.user.Username, addr)
	s.srv.record(Entry{
		User:       s.user.Username,
		From:       s.from,
		To:         append([]string(nil), s.to...),
		HeaderFrom: headerFrom,
		Data:       data,
		Stage:      stage,
		Reply:      formatReply(reply),
	})
	return reply
}

// Mail implements smtp.Session.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.user == nil {
		return replyAuthRequired()
	}
	s.from = from
	s.to = nil
	if s.srv.opts.Reject.Stage == StageMail && !s.user.mayUse(from) {
		return s.refuse(StageMail, from, "", nil)
	}
	return nil
}

// Rcpt implements smtp.Session.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.user == nil {
		return replyAuthRequired()
	}
	if s.srv.opts.Reject.Stage == StageRcpt && !s.user.mayUse(s.from) {
		return s.refuse(StageRcpt, s.from, "", nil)
	}
	s.to = append(s.to, to)
	return nil
}

// Data implements smtp.Session.
func (s *session) Data(r io.Reader) error {
	if s.user == nil {
		return replyAuthRequired()
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	headerFrom := ""
	if msg, err := mail.ReadMessage(bytes.NewReader(data)); err == nil {
		if a, err := mail.ParseAddress(msg.Header.Get("From")); err == nil {
			headerFrom = a.Address
		}
	}
	if s.srv.opts.Reject.Stage == StageData {
		judged := s.from
		if headerFrom != "" {
			judged = headerFrom
		}
		if !s.user.mayUse(judged) {
			return s.refuse(StageData, judged, headerFrom, data)
		}
		if !s.user.mayUse(s.from) {
			return s.refuse(StageData, s.from, headerFrom, data)
		}
	}
	s.srv.record(Entry{
		User:       s.user.Username,
		From:       s.from,
		To:         append([]string(nil), s.to...),
		HeaderFrom: headerFrom,
		Data:       data,
		Accepted:   true,
		Reply:      "250 2.0.0 OK: queued",
	})
	return nil
}

// Reset implements smtp.Session.
func (s *session) Reset() {
	s.from = ""
	s.to = nil
}

// Logout implements smtp.Session.
func (s *session) Logout() error { return nil }

// formatReply renders a reply the way go-smtp writes it, one line per
// text line, the enhanced code on the last line only.
func formatReply(e *smtp.SMTPError) string {
	lines := strings.Split(e.Message, "\n")
	var b strings.Builder
	for i, line := range lines {
		if i < len(lines)-1 {
			fmt.Fprintf(&b, "%d-%s\n", e.Code, line)
			continue
		}
		ec := e.EnhancedCode
		if ec == smtp.EnhancedCodeNotSet {
			ec = smtp.EnhancedCode{e.Code / 100, 0, 0}
		}
		if ec == smtp.NoEnhancedCode {
			fmt.Fprintf(&b, "%d %s", e.Code, line)
		} else {
			fmt.Fprintf(&b, "%d %d.%d.%d %s", e.Code, ec[0], ec[1], ec[2], line)
		}
	}
	return b.String()
}
