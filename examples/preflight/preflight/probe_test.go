package preflight

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/smtptest"
)

const (
	probeUser = "ops@good.example"
	probePass = "Pr0be-Secret-xyz"
)

func probeServer(t *testing.T, mode smtptest.TLSMode, reject smtptest.Rejection) *smtptest.Server {
	t.Helper()
	return smtptest.Start(t, &smtptest.Options{
		Domain: "smtp.provider.test",
		TLS:    mode,
		Reject: reject,
		Users:  []smtptest.User{{Username: probeUser, Password: probePass, Senders: []string{"good.example"}}},
	})
}

func probeConfig(s *smtptest.Server, from string) *ProbeConfig {
	return &ProbeConfig{
		Host: s.Domain(), Port: 587, Connect: s.Addr(),
		Username: probeUser, Password: probePass,
		From: from, To: "customer@rcpt.example",
		RootCAs: s.CertPool(),
	}
}

func stepNames(r *ProbeResult) string {
	var parts []string
	for _, s := range r.Steps {
		parts = append(parts, s.Name+":"+string(s.Status))
	}
	return strings.Join(parts, " ")
}

// assertNoPassword fails when the password, or a base64 form of it as AUTH
// sends it, appears in the JSON form of v.
func assertNoPassword(t *testing.T, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{
		probePass,
		base64.StdEncoding.EncodeToString([]byte(probePass)),
		base64.StdEncoding.EncodeToString([]byte("\x00" + probeUser + "\x00" + probePass)),
	} {
		if strings.Contains(string(b), secret) {
			t.Errorf("password (or its base64 form) in output: %s", b)
		}
	}
}

func TestProbeSuccess(t *testing.T) {
	for _, tc := range []struct {
		mode    smtptest.TLSMode
		tls     TLSMode
		port    int
		wantTLS string
		steps   string
	}{
		{smtptest.TLSStartTLS, TLSAuto, 587, "starttls", "connect:ok starttls:ok ehlo:ok auth:ok mail:ok rcpt:ok rset:ok quit:ok"},
		{smtptest.TLSImplicit, TLSAuto, 465, "implicit", "connect:ok tls:ok ehlo:ok auth:ok mail:ok rcpt:ok rset:ok quit:ok"},
		{smtptest.TLSImplicit, TLSImplicit, 2465, "implicit", "connect:ok tls:ok ehlo:ok auth:ok mail:ok rcpt:ok rset:ok quit:ok"},
		{smtptest.TLSNone, TLSAuto, 587, "none", "connect:ok starttls:ok ehlo:ok auth:ok mail:ok rcpt:ok rset:ok quit:ok"},
	} {
		t.Run(string(tc.mode)+"/"+string(tc.tls), func(t *testing.T) {
			s := probeServer(t, tc.mode, smtptest.Rejection{})
			cfg := probeConfig(s, "ops@good.example")
			cfg.Port, cfg.TLS = tc.port, tc.tls
			r := Probe(context.Background(), cfg)
			if !r.OK || r.FailedStep != "" || r.Sent {
				t.Fatalf("probe failed: %s %+v", stepNames(r), r.Explanation)
			}
			if got := stepNames(r); got != tc.steps {
				t.Errorf("steps = %s\nwant    %s", got, tc.steps)
			}
			if r.TLS != tc.wantTLS || r.Auth != "PLAIN" {
				t.Errorf("tls = %q auth = %q", r.TLS, r.Auth)
			}
			if tc.wantTLS != "none" && !strings.HasPrefix(r.TLSVersion, "TLS 1.") {
				t.Errorf("tls version %q", r.TLSVersion)
			}
			if n := len(s.Log()); n != 0 {
				t.Errorf("probe without Message finished %d transactions", n)
			}
			assertNoPassword(t, r)
		})
	}
}

func TestProbeLoginFallback(t *testing.T) {
	s := smtptest.Start(t, &smtptest.Options{
		Domain: "smtp.provider.test", TLS: smtptest.TLSStartTLS, Mechanisms: []string{"LOGIN"},
		Users: []smtptest.User{{Username: probeUser, Password: probePass}},
	})
	r := Probe(context.Background(), probeConfig(s, "ops@good.example"))
	if !r.OK || r.Auth != "LOGIN" {
		t.Fatalf("probe: %s, auth %q, %+v", stepNames(r), r.Auth, r.Explanation)
	}
	assertNoPassword(t, r)
}

func TestProbeSend(t *testing.T) {
	s := probeServer(t, smtptest.TLSStartTLS, smtptest.RejectSES())
	cfg := probeConfig(s, "ops@good.example")
	cfg.Message = testMessage("Ops <ops@good.example>", "customer@rcpt.example", "good.example", time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	r := Probe(context.Background(), cfg)
	if !r.OK || !r.Sent {
		t.Fatalf("send failed: %s %+v", stepNames(r), r.Explanation)
	}
	if got, want := stepNames(r), "connect:ok starttls:ok ehlo:ok auth:ok mail:ok rcpt:ok data:ok quit:ok"; got != want {
		t.Errorf("steps = %s, want %s", got, want)
	}
	msgs := s.Messages()
	if len(msgs) != 1 || msgs[0].HeaderFrom != "ops@good.example" || !strings.Contains(string(msgs[0].Data), "Date: Fri, 02 Jan 2026 03:04:05 +0000") {
		t.Fatalf("messages = %+v", msgs)
	}
}

func TestProbeRefusals(t *testing.T) {
	const unverified = "boss@unverified.example"
	for _, tc := range []struct {
		name   string
		reject smtptest.Rejection
		send   bool
		failed string
		cause  smtperr.Cause
	}{
		{"postfix at rcpt", smtptest.RejectPostfixMismatch(), false, "rcpt", smtperr.CauseSenderNotAllowed},
		{"ses after data", smtptest.RejectSES(), true, "data", smtperr.CauseSenderNotVerified},
		{"sendgrid after data", smtptest.RejectSendGrid(), true, "data", smtperr.CauseSenderNotVerified},
		{"microsoft365 after data", smtptest.RejectMicrosoft365(), true, "data", smtperr.CauseSenderNotAllowed},
		{"ses probe only sees nothing", smtptest.RejectSES(), false, "", ""},
		{"mail stage", smtptest.Rejection{Name: "x", Code: 553, EnhancedCode: [3]int{5, 7, 1}, Text: "<{from}>: Sender address rejected: not owned by user {user}", Stage: smtptest.StageMail}, false, "mail", smtperr.CauseSenderNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := probeServer(t, smtptest.TLSStartTLS, tc.reject)
			cfg := probeConfig(s, unverified)
			if tc.send {
				cfg.Message = testMessage(unverified, "customer@rcpt.example", "unverified.example", time.Unix(0, 0))
			}
			r := Probe(context.Background(), cfg)
			if r.FailedStep != tc.failed {
				t.Fatalf("failed step = %q, want %q (%s)", r.FailedStep, tc.failed, stepNames(r))
			}
			if tc.failed == "" {
				if !r.OK {
					t.Fatal("not OK")
				}
				return
			}
			if r.OK || r.Explanation == nil || r.Explanation.Cause != tc.cause {
				t.Fatalf("explanation = %+v, want cause %s", r.Explanation, tc.cause)
			}
			if r.Sent {
				t.Error("Sent after a refusal")
			}
			last := r.Steps[len(r.Steps)-1]
			if tc.failed == "data" {
				// QUIT still runs after a refused DATA.
				if last.Name != "quit" {
					t.Errorf("last step %s", last.Name)
				}
			} else if last.Status != StepSkipped {
				t.Errorf("steps after the failure not skipped: %s", stepNames(r))
			}
			assertNoPassword(t, r)
		})
	}
}

func TestProbeAuthFailureHidesPassword(t *testing.T) {
	s := probeServer(t, smtptest.TLSStartTLS, smtptest.Rejection{})
	cfg := probeConfig(s, "ops@good.example")
	cfg.Password = "Wrong-" + probePass
	r := Probe(context.Background(), cfg)
	if r.FailedStep != "auth" || r.Explanation.Cause != smtperr.CauseAuthFailed {
		t.Fatalf("got %s %+v", stepNames(r), r.Explanation)
	}
	if strings.Contains(mustJSON(t, r), "Wrong-") {
		t.Error("password in output")
	}
}

func TestProbeTLSFailures(t *testing.T) {
	t.Run("untrusted certificate", func(t *testing.T) {
		s := probeServer(t, smtptest.TLSStartTLS, smtptest.Rejection{})
		cfg := probeConfig(s, "ops@good.example")
		cfg.RootCAs = nil // system roots do not know the test certificate
		r := Probe(context.Background(), cfg)
		if r.FailedStep != "tls" || r.Explanation.Cause != smtperr.CauseTLSFailed {
			t.Fatalf("got %s %+v", stepNames(r), r.Explanation)
		}
	})
	t.Run("wrong host name", func(t *testing.T) {
		s := probeServer(t, smtptest.TLSImplicit, smtptest.Rejection{})
		cfg := probeConfig(s, "ops@good.example")
		cfg.Host, cfg.TLS = "smtp.other.test", TLSImplicit
		r := Probe(context.Background(), cfg)
		if r.FailedStep != "tls" || r.Explanation.Cause != smtperr.CauseTLSFailed {
			t.Fatalf("got %s %+v", stepNames(r), r.Explanation)
		}
	})
	t.Run("starttls required", func(t *testing.T) {
		s := probeServer(t, smtptest.TLSNone, smtptest.Rejection{})
		cfg := probeConfig(s, "ops@good.example")
		cfg.TLS = TLSStartTLS
		r := Probe(context.Background(), cfg)
		if r.FailedStep != "starttls" || r.Explanation.Cause != smtperr.CauseTLSRequired {
			t.Fatalf("got %s %+v", stepNames(r), r.Explanation)
		}
	})
	t.Run("no starttls off loopback", func(t *testing.T) {
		// Dial loopback but name a non-loopback host: auto refuses plain text
		// because the dialled address decides, and here it is loopback; so
		// use a host name only, through a server that lacks STARTTLS.
		s := probeServer(t, smtptest.TLSNone, smtptest.Rejection{})
		p := &prober{cfg: ProbeConfig{Host: "smtp.provider.test", Connect: "192.0.2.1:587", TLS: TLSAuto}}
		if p.plainAllowed() {
			t.Error("plain text allowed towards a non-loopback address")
		}
		p.cfg.Connect = s.Addr()
		if !p.plainAllowed() {
			t.Error("plain text refused on loopback")
		}
		p.cfg.TLS = TLSStartTLS
		if p.plainAllowed() {
			t.Error("plain text allowed with TLS required")
		}
	})
	t.Run("implicit tls against plain server", func(t *testing.T) {
		s := probeServer(t, smtptest.TLSNone, smtptest.Rejection{})
		cfg := probeConfig(s, "ops@good.example")
		cfg.TLS = TLSImplicit
		cfg.StepTimeout = 5 * time.Second
		r := Probe(context.Background(), cfg)
		if r.FailedStep != "tls" || r.Explanation.Cause != smtperr.CauseTLSFailed {
			t.Fatalf("got %s %+v", stepNames(r), r.Explanation)
		}
	})
}

// scripted runs a raw TCP server that answers each connection with fn.
func scripted(t *testing.T, fn func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				fn(c)
			}()
		}
	}()
	return ln.Addr().String()
}

// TestProbeScrubsEchoedPassword uses a server that echoes the decoded
// AUTH PLAIN response, password included, in its error reply.
func TestProbeScrubsEchoedPassword(t *testing.T) {
	addr := scripted(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		fmt.Fprintf(c, "220 echo.test ESMTP\r\n")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(line, "EHLO"):
				fmt.Fprintf(c, "250-echo.test\r\n250 AUTH PLAIN\r\n")
			case strings.HasPrefix(line, "AUTH PLAIN "):
				raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(line, "AUTH PLAIN "))
				fmt.Fprintf(c, "535 5.7.8 bad credentials %q (sent %s)\r\n", raw, strings.TrimPrefix(line, "AUTH PLAIN "))
			case line == "QUIT":
				fmt.Fprintf(c, "221 bye\r\n")
				return
			default:
				fmt.Fprintf(c, "502 5.5.2 what\r\n")
			}
		}
	})
	r := Probe(context.Background(), &ProbeConfig{Host: "127.0.0.1", Connect: addr, Username: probeUser, Password: probePass, From: "ops@good.example", To: "a@b.example"})
	if r.FailedStep != "auth" {
		t.Fatalf("got %s", stepNames(r))
	}
	out := mustJSON(t, r)
	if !strings.Contains(out, secretMask) {
		t.Errorf("nothing scrubbed: %s", out)
	}
	assertNoPassword(t, r)
}

func TestProbeTimeoutAndCancel(t *testing.T) {
	t.Run("silent server times out", func(t *testing.T) {
		addr := scripted(t, func(c net.Conn) {
			// Read until the client gives up; never answer.
			buf := make([]byte, 512)
			for {
				if _, err := c.Read(buf); err != nil {
					return
				}
			}
		})
		r := Probe(context.Background(), &ProbeConfig{Host: "127.0.0.1", Connect: addr, Username: "u", Password: "p", From: "a@b.example", To: "c@d.example", StepTimeout: 100 * time.Millisecond})
		if r.FailedStep != "ehlo" || r.Explanation.Cause != smtperr.CauseNetworkError {
			t.Fatalf("got %s %+v", stepNames(r), r.Explanation)
		}
	})
	t.Run("cancel while waiting", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		addr := scripted(t, func(c net.Conn) {
			fmt.Fprintf(c, "220 slow.test ESMTP\r\n")
			r := bufio.NewReader(c)
			if _, err := r.ReadString('\n'); err != nil {
				return
			}
			cancel() // the client sent EHLO and waits for the reply
			for {
				if _, err := r.ReadByte(); err != nil {
					return
				}
			}
		})
		r := Probe(ctx, &ProbeConfig{Host: "127.0.0.1", Connect: addr, Username: "u", Password: "p", From: "a@b.example", To: "c@d.example", StepTimeout: time.Minute})
		if r.FailedStep != "ehlo" || !strings.Contains(stepErrors(r), "context canceled") {
			t.Fatalf("got %s: %s", stepNames(r), stepErrors(r))
		}
	})
	t.Run("cancelled before start", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := Probe(ctx, &ProbeConfig{Host: "127.0.0.1", Connect: "127.0.0.1:1", From: "a@b.example", To: "c@d.example"})
		if r.FailedStep != "connect" {
			t.Fatalf("got %s", stepNames(r))
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		r := Probe(context.Background(), &ProbeConfig{Host: "127.0.0.1", Connect: addr, From: "a@b.example", To: "c@d.example"})
		if r.FailedStep != "connect" || r.Explanation.Cause != smtperr.CauseNetworkError {
			t.Fatalf("got %s %+v", stepNames(r), r.Explanation)
		}
	})
}

func TestProbeNoAuthOffered(t *testing.T) {
	addr := scripted(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		fmt.Fprintf(c, "220 noauth.test ESMTP\r\n")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch {
			case strings.HasPrefix(line, "EHLO"):
				fmt.Fprintf(c, "250-noauth.test\r\n250 AUTH CRAM-MD5\r\n")
			case strings.HasPrefix(line, "QUIT"):
				fmt.Fprintf(c, "221 bye\r\n")
				return
			default:
				fmt.Fprintf(c, "502 5.5.2 what\r\n")
			}
		}
	})
	r := Probe(context.Background(), &ProbeConfig{Host: "127.0.0.1", Connect: addr, Username: "u", Password: "p", From: "a@b.example", To: "c@d.example"})
	if r.FailedStep != "auth" || r.Explanation.Cause != smtperr.CauseAuthMethodRejected || !strings.Contains(r.Explanation.Message, "CRAM-MD5") {
		t.Fatalf("got %s %+v", stepNames(r), r.Explanation)
	}
}

func TestParseTLSMode(t *testing.T) {
	for in, want := range map[string]TLSMode{"": TLSAuto, "auto": TLSAuto, "IMPLICIT": TLSImplicit, " starttls ": TLSStartTLS} {
		if got, err := ParseTLSMode(in); err != nil || got != want {
			t.Errorf("ParseTLSMode(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseTLSMode("none"); err == nil {
		t.Error("ParseTLSMode(none) accepted")
	}
}

func stepErrors(r *ProbeResult) string {
	var s []string
	for _, st := range r.Steps {
		if st.Error != "" {
			s = append(s, st.Name+": "+st.Error)
		}
	}
	return strings.Join(s, "; ")
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// FuzzProbeReplies has a server answer the probe with arbitrary greeting,
// EHLO and AUTH replies, then hang up: the probe must end with a failure
// or success, never hang or panic, and never show the password.
func FuzzProbeReplies(f *testing.F) {
	f.Add("220 ok ESMTP", "250-x\r\n250 AUTH PLAIN", "535 5.7.8 no")
	f.Add("220 ok", "250 AUTH LOGIN", "334 VXNlcm5hbWU6")
	f.Add("554 go away", "", "")
	f.Add("220-multi", "250-AUTH PLAIN\r\n250-", "235 ok")
	f.Add("220 x", "250-STARTTLS\r\n250 AUTH PLAIN", "220 go ahead")
	f.Add("\x00\xff", "250 "+strings.Repeat("A", 3000), "535 "+probePass)
	f.Fuzz(func(t *testing.T, greeting, ehlo, auth string) {
		addr := scripted(t, func(c net.Conn) {
			r := bufio.NewReader(c)
			fmt.Fprintf(c, "%s\r\n", greeting)
			for _, reply := range []string{ehlo, auth} {
				if _, err := r.ReadString('\n'); err != nil {
					return
				}
				fmt.Fprintf(c, "%s\r\n", reply)
			}
		})
		r := Probe(context.Background(), &ProbeConfig{
			Host: "127.0.0.1", Connect: addr, Username: probeUser, Password: probePass,
			From: "a@b.example", To: "c@d.example", StepTimeout: 300 * time.Millisecond,
		})
		if r.OK {
			t.Fatalf("a server that hung up after AUTH passed the probe: %s", stepNames(r))
		}
		if r.FailedStep == "" || r.Explanation == nil {
			t.Fatalf("failure without a step or explanation: %+v", r)
		}
		assertNoPassword(t, r)
	})
}
