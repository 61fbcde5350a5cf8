package smtptest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netsmtp "net/smtp"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const (
	testUser = "ops@good.example"
	testPass = "s3cret-pass"
)

func testUsers() []User {
	return []User{{Username: testUser, Password: testPass, Senders: []string{"ops@good.example", "news.good.example"}}}
}

func message(from, to string) string {
	return "From: " + from + "\r\nTo: " + to + "\r\nSubject: test\r\n\r\nhello\r\n"
}

// sendGoSMTP authenticates with PLAIN and sends one message through the
// go-smtp client, returning the first error.
func sendGoSMTP(t *testing.T, s *Server, auth sasl.Client, envFrom, headerFrom string) error {
	t.Helper()
	var c *smtp.Client
	var err error
	switch s.TLS() {
	case TLSImplicit:
		c, err = smtp.DialTLS(s.Addr(), s.ClientTLSConfig())
	case TLSStartTLS:
		c, err = smtp.DialStartTLS(s.Addr(), s.ClientTLSConfig())
	default:
		c, err = smtp.Dial(s.Addr())
	}
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	if auth != nil {
		if err := c.Auth(auth); err != nil {
			return err
		}
	}
	if err := c.Mail(envFrom, nil); err != nil {
		return err
	}
	if err := c.Rcpt("customer@rcpt.example", nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(message(headerFrom, "customer@rcpt.example"))); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// sendNetSMTP does the same with the standard library's net/smtp client.
func sendNetSMTP(t *testing.T, s *Server, user, pass, envFrom, headerFrom string) error {
	t.Helper()
	c, err := netsmtp.Dial(s.Addr())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	if s.TLS() == TLSStartTLS {
		if err := c.StartTLS(s.ClientTLSConfig()); err != nil {
			t.Fatalf("starttls: %v", err)
		}
	}
	if err := c.Auth(netsmtp.PlainAuth("", user, pass, s.Host())); err != nil {
		return err
	}
	if err := c.Mail(envFrom); err != nil {
		return err
	}
	if err := c.Rcpt("customer@rcpt.example"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(message(headerFrom, "customer@rcpt.example"))); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

func TestAcceptsAllowedSender(t *testing.T) {
	for _, mode := range []TLSMode{TLSNone, TLSStartTLS, TLSImplicit} {
		t.Run(string(mode), func(t *testing.T) {
			s := Start(t, &Options{Users: testUsers(), TLS: mode})
			if err := sendGoSMTP(t, s, sasl.NewPlainClient("", testUser, testPass), "ops@good.example", "Ops <ops@good.example>"); err != nil {
				t.Fatalf("go-smtp send: %v", err)
			}
			if err := sendGoSMTP(t, s, sasl.NewLoginClient(testUser, testPass), "a@news.good.example", "a@news.good.example"); err != nil {
				t.Fatalf("go-smtp LOGIN send: %v", err)
			}
			if mode != TLSImplicit {
				if err := sendNetSMTP(t, s, testUser, testPass, "OPS@Good.Example", "ops@good.example"); err != nil {
					t.Fatalf("net/smtp send: %v", err)
				}
			}
			msgs := s.Messages()
			want := 3
			if mode == TLSImplicit {
				want = 2
			}
			if len(msgs) != want {
				t.Fatalf("got %d messages, want %d: %+v", len(msgs), want, msgs)
			}
			if got := msgs[0]; got.User != testUser || got.From != "ops@good.example" || got.HeaderFrom != "ops@good.example" || !strings.Contains(string(got.Data), "hello") || got.Reply != "250 2.0.0 OK: queued" {
				t.Errorf("first message = %+v", got)
			}
			if got := msgs[1].To; len(got) != 1 || got[0] != "customer@rcpt.example" {
				t.Errorf("recipients = %v", got)
			}
		})
	}
}

func TestAuthFailures(t *testing.T) {
	s := Start(t, &Options{Users: testUsers()})
	for _, tc := range []struct {
		name string
		auth sasl.Client
	}{
		{"plain wrong password", sasl.NewPlainClient("", testUser, "nope")},
		{"plain unknown user", sasl.NewPlainClient("", "who@good.example", testPass)},
		{"plain other identity", sasl.NewPlainClient("boss@good.example", testUser, testPass)},
		{"login wrong password", sasl.NewLoginClient(testUser, "nope")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sendGoSMTP(t, s, tc.auth, "ops@good.example", "ops@good.example")
			var se *smtp.SMTPError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *smtp.SMTPError", err)
			}
			if se.Code != 535 || se.EnhancedCode != (smtp.EnhancedCode{5, 7, 8}) {
				t.Errorf("got %d %v %q, want 535 5.7.8", se.Code, se.EnhancedCode, se.Message)
			}
		})
	}
	t.Run("net/smtp wrong password", func(t *testing.T) {
		err := sendNetSMTP(t, s, testUser, "nope", "ops@good.example", "ops@good.example")
		var te *textproto.Error
		if !errors.As(err, &te) || te.Code != 535 || !strings.HasPrefix(te.Msg, "5.7.8 ") {
			t.Errorf("err = %#v, want 535 5.7.8", err)
		}
	})
	t.Run("mail without auth", func(t *testing.T) {
		err := sendGoSMTP(t, s, nil, "ops@good.example", "ops@good.example")
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 530 {
			t.Errorf("err = %v, want 530", err)
		}
	})
	if n := len(s.Messages()); n != 0 {
		t.Errorf("%d messages accepted after failed auth", n)
	}
}

func TestStartTLSHidesAuthBeforeTLS(t *testing.T) {
	s := Start(t, &Options{Users: testUsers(), TLS: TLSStartTLS})
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("STARTTLS"); !ok {
		t.Error("STARTTLS not offered")
	}
	if ok, _ := c.Extension("AUTH"); ok {
		t.Error("AUTH offered before TLS")
	}
	err = c.Auth(sasl.NewPlainClient("", testUser, testPass))
	if err == nil {
		t.Fatal("AUTH succeeded without TLS")
	}
}

func TestImplicitTLSCertificate(t *testing.T) {
	s := Start(t, &Options{Users: testUsers(), TLS: TLSImplicit, Domain: "smtp.fake.test"})
	conn, err := tls.Dial("tcp", s.Addr(), s.ClientTLSConfig())
	if err != nil {
		t.Fatalf("TLS dial with the server's pool: %v", err)
	}
	state := conn.ConnectionState()
	if err := state.PeerCertificates[0].VerifyHostname("smtp.fake.test"); err != nil {
		t.Errorf("certificate does not cover the domain: %v", err)
	}
	conn.Close()
	// Without the pool, verification must fail.
	_, err = tls.Dial("tcp", s.Addr(), &tls.Config{ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12})
	if err == nil {
		t.Error("self-signed certificate verified against the system roots")
	}
	if !strings.Contains(string(s.CertPEM()), "BEGIN CERTIFICATE") {
		t.Error("CertPEM is not PEM")
	}
}

// TestPresetRepliesVerbatim checks that each preset reaches both clients
// exactly as the provider writes it, at the provider's stage.
func TestPresetRepliesVerbatim(t *testing.T) {
	const unverified = "boss@other.example"
	for _, r := range Presets() {
		t.Run(r.Name, func(t *testing.T) {
			s := Start(t, &Options{Users: testUsers(), Reject: r, TLS: TLSStartTLS})
			want := r.Reply(testUser, unverified)
			if strings.Contains(want.Message, "{") {
				t.Fatalf("placeholder left in %q", want.Message)
			}

			err := sendGoSMTP(t, s, sasl.NewPlainClient("", testUser, testPass), unverified, unverified)
			var se *smtp.SMTPError
			if !errors.As(err, &se) {
				t.Fatalf("go-smtp err = %v, want *smtp.SMTPError", err)
			}
			wantEC := want.EnhancedCode
			if wantEC == smtp.NoEnhancedCode {
				wantEC = smtp.EnhancedCodeNotSet
			}
			if se.Code != want.Code || se.EnhancedCode != wantEC || se.Message != want.Message {
				t.Errorf("go-smtp got %d %v %q\nwant %d %v %q", se.Code, se.EnhancedCode, se.Message, want.Code, wantEC, want.Message)
			}

			err = sendNetSMTP(t, s, testUser, testPass, unverified, unverified)
			var te *textproto.Error
			if !errors.As(err, &te) {
				t.Fatalf("net/smtp err = %v, want *textproto.Error", err)
			}
			wantMsg := want.Message
			if want.EnhancedCode != smtp.NoEnhancedCode {
				ec := want.EnhancedCode
				wantMsg = fmt.Sprintf("%d.%d.%d %s", ec[0], ec[1], ec[2], want.Message)
			}
			if te.Code != want.Code || te.Msg != wantMsg {
				t.Errorf("net/smtp got %d %q\nwant %d %q", te.Code, te.Msg, want.Code, wantMsg)
			}

			log := s.Log()
			if len(log) != 2 {
				t.Fatalf("log has %d entries, want 2: %+v", len(log), log)
			}
			for _, e := range log {
				if e.Accepted || e.Stage != r.Stage || e.User != testUser || !strings.Contains(e.Reply, unverified) && r.Name != "sendgrid" {
					t.Errorf("log entry = %+v", e)
				}
				if (r.Stage == StageData) != (e.Data != nil) {
					t.Errorf("stage %s: data recorded = %v", r.Stage, e.Data != nil)
				}
			}
			if !strings.HasPrefix(log[0].Reply, fmt.Sprint(r.Code)+" ") {
				t.Errorf("formatted reply %q", log[0].Reply)
			}
		})
	}
}

func TestDataStageJudgesHeaderFrom(t *testing.T) {
	s := Start(t, &Options{Users: testUsers(), Reject: RejectMicrosoft365()})
	auth := func() sasl.Client { return sasl.NewPlainClient("", testUser, testPass) }
	// Allowed envelope, forbidden header From: refused, naming the header.
	err := sendGoSMTP(t, s, auth(), "ops@good.example", "Boss <boss@good.example.net>")
	var se *smtp.SMTPError
	if !errors.As(err, &se) || !strings.Contains(se.Message, "not allowed to send as boss@good.example.net") {
		t.Fatalf("err = %v", err)
	}
	// Allowed header, forbidden envelope: refused, naming the envelope.
	err = sendGoSMTP(t, s, auth(), "bounce@elsewhere.example", "ops@good.example")
	if !errors.As(err, &se) || !strings.Contains(se.Message, "send as bounce@elsewhere.example") {
		t.Fatalf("err = %v", err)
	}
	// Both allowed: accepted.
	if err := sendGoSMTP(t, s, auth(), "ops@good.example", "ops@good.example"); err != nil {
		t.Fatal(err)
	}
}

func TestMultilineRejection(t *testing.T) {
	r := Rejection{Name: "smtp2go", Code: 550, EnhancedCode: smtp.NoEnhancedCode, Stage: StageMail,
		Text: "From header sender domain not verified.\nOn your Settings > Sender Domains page\nverify the sender domain to be allowed to send."}
	s := Start(t, &Options{Users: testUsers(), Reject: r})
	err := sendGoSMTP(t, s, sasl.NewPlainClient("", testUser, testPass), "x@bad.example", "x@bad.example")
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 550 || strings.Count(se.Message, "\n") != 2 {
		t.Fatalf("err = %#v", err)
	}
	want := "550-From header sender domain not verified.\n550-On your Settings > Sender Domains page\n550 verify the sender domain to be allowed to send."
	if got := s.Log()[0].Reply; got != want {
		t.Errorf("log reply = %q, want %q", got, want)
	}
}

func TestMessageTooLarge(t *testing.T) {
	s := Start(t, &Options{Users: testUsers(), MaxMessageBytes: 64})
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", testUser, testPass)); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail("ops@good.example", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("a@rcpt.example", nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(strings.Repeat("x", 200) + "\r\n")); err != nil {
		t.Fatal(err)
	}
	err = w.Close()
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 552 {
		t.Errorf("err = %v, want 552", err)
	}
}

func TestUnknownMechanism(t *testing.T) {
	s := Start(t, &Options{Users: testUsers()})
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	err = c.Auth(sasl.NewAnonymousClient("x"))
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 504 {
		t.Errorf("err = %v, want 504", err)
	}
}

func TestNewServerRejectsBadOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"tls mode", Options{TLS: "sometimes"}},
		{"stage", Options{Reject: Rejection{Code: 550, Stage: "quit"}}},
		{"code", Options{Reject: Rejection{Code: 250, Stage: StageMail}}},
		{"mechanism", Options{Mechanisms: []string{"CRAM-MD5"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewServer(&tc.opts)
			if err == nil {
				s.Close()
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "smtptest: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestNilOptionsAndDoubleClose(t *testing.T) {
	s, err := NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.CertPool() != nil || s.ClientTLSConfig() != nil || s.CertPEM() != nil {
		t.Error("plain server reports a certificate")
	}
	if s.Host() != "127.0.0.1" || s.Port() == 0 {
		t.Errorf("addr %s", s.Addr())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	if _, err := net.Dial("tcp", s.Addr()); err == nil {
		t.Error("still listening after Close")
	}
}

// chanLogger hands each log line to a channel so a test can wait for it.
type chanLogger chan string

func (c chanLogger) Printf(format string, v ...any) { c <- fmt.Sprintf(format, v...) }
func (c chanLogger) Println(v ...any)               { c <- fmt.Sprintln(v...) }

func TestErrorLogRouted(t *testing.T) {
	logs := make(chanLogger, 16)
	s := Start(t, &Options{TLS: TLSImplicit, ErrorLog: logs})
	// A plain-text client on the TLS port makes the handshake fail, which
	// go-smtp reports through ErrorLog.
	conn, err := net.Dial("tcp", s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "EHLO plain.test\r\n")
	conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	select {
	case line := <-logs:
		if !strings.Contains(line, "error handling") {
			t.Errorf("log line %q", line)
		}
	case <-ctx.Done():
		t.Fatal("no error logged for a failed handshake")
	}
}

func TestMayUse(t *testing.T) {
	u := User{Senders: []string{"Ops@Good.Example", "@team.example", "news.example"}}
	for _, tc := range []struct {
		addr string
		want bool
	}{
		{"ops@good.example", true},
		{"OPS@GOOD.EXAMPLE", true},
		{"other@good.example", false},
		{"a@team.example", true},
		{"a@sub.team.example", false},
		{"b@news.example", true},
		{"", false},
		{"no-at-sign", false},
		{"@news.example", false},
	} {
		if got := u.mayUse(tc.addr); got != tc.want {
			t.Errorf("mayUse(%q) = %v, want %v", tc.addr, got, tc.want)
		}
	}
	if !(&User{}).mayUse("anyone@anywhere.example") {
		t.Error("empty Senders should allow anyone")
	}
}

func TestPreset(t *testing.T) {
	for _, name := range []string{"ses", "sendgrid", "microsoft365", "postfix"} {
		if r, ok := Preset(name); !ok || r.Name != name {
			t.Errorf("Preset(%q) = %v, %v", name, r, ok)
		}
	}
	if _, ok := Preset("nope"); ok {
		t.Error("Preset(nope) found")
	}
}

func TestMechanisms(t *testing.T) {
	s := Start(t, &Options{Users: testUsers(), Mechanisms: []string{"login"}})
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if _, mechs := c.Extension("AUTH"); mechs != "LOGIN" {
		t.Errorf("AUTH offers %q, want LOGIN", mechs)
	}
	var se *smtp.SMTPError
	if err := c.Auth(sasl.NewPlainClient("", testUser, testPass)); !errors.As(err, &se) || se.Code != 504 {
		t.Errorf("PLAIN when only LOGIN is offered: %v", err)
	}
	if err := c.Auth(sasl.NewLoginClient(testUser, testPass)); err != nil {
		t.Errorf("LOGIN: %v", err)
	}
}
