package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/smtperr/smtptest"
)

const (
	sgHost  = "smtp.sendgrid.net"
	sgUser  = "apikey"
	sgPass  = "SG.preflight-test-key.7Qx9Lm2Zp4"
	passEnv = "PREFLIGHT_TEST_SMTP_PASSWORD"
)

// env is one set of loopback servers: DNS with the test zone and a
// SendGrid look-alike that lets the account send as ready.example only.
type env struct {
	dns  *dnsauthtest.Server
	smtp *smtptest.Server
	ca   string
}

func newEnv(t *testing.T, mode smtptest.TLSMode, reject smtptest.Rejection) *env {
	t.Helper()
	zone, err := os.ReadFile(filepath.Join("testdata", "sendgrid.zone"))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{dns: dnsauthtest.Start(t, string(zone))}
	e.smtp = smtptest.Start(t, &smtptest.Options{
		Domain: sgHost, TLS: mode, Reject: reject,
		Users: []smtptest.User{{Username: sgUser, Password: sgPass, Senders: []string{"ready.example"}}},
	})
	e.ca = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(e.ca, e.smtp.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(passEnv, sgPass)
	return e
}

// args returns the command line for from, plus extra flags.
func (e *env) args(from string, extra ...string) []string {
	a := []string{
		"-host", sgHost, "-user", sgUser, "-pass-env", passEnv, "-from", from,
		"-to", "customer@rcpt.example", "-verified", "ready.example",
		"-connect", e.smtp.Addr(), "-ca", e.ca, "-dns-server", e.dns.Addr(),
		"-step-timeout", "10s",
	}
	return append(a, extra...)
}

type result struct {
	code           int
	stdout, stderr string
}

func runArgs(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	r := result{code, stdout.String(), stderr.String()}
	for _, secret := range []string{sgPass, base64.StdEncoding.EncodeToString([]byte("\x00" + sgUser + "\x00" + sgPass)), base64.StdEncoding.EncodeToString([]byte(sgPass))} {
		if strings.Contains(r.stdout, secret) || strings.Contains(r.stderr, secret) {
			t.Errorf("the password appears in the output:\n%s\n%s", r.stdout, r.stderr)
		}
	}
	return r
}

// report is the JSON shape the program promises.
type report struct {
	Verdict string `json:"verdict"`
	Stages  []struct {
		Name    string `json:"name"`
		Status  string `json:"status"`
		Summary string `json:"summary"`
	} `json:"stages"`
	Sender struct {
		Verdict  string `json:"verdict"`
		Reason   string `json:"reason"`
		Provider string `json:"provider"`
		From     string `json:"from"`
	} `json:"sender"`
	Domain *struct {
		Domain   string `json:"domain"`
		Provider string `json:"provider"`
		Findings []struct {
			Code     string `json:"code"`
			Severity string `json:"severity"`
		} `json:"findings"`
	} `json:"domain"`
	SMTP struct {
		Server      string `json:"server"`
		TLS         string `json:"tls"`
		Auth        string `json:"auth"`
		Sent        bool   `json:"sent"`
		OK          bool   `json:"ok"`
		FailedStep  string `json:"failed_step"`
		Explanation *struct {
			Cause    string `json:"cause"`
			Code     int    `json:"code"`
			Provider string `json:"provider"`
			Party    string `json:"party"`
			Summary  string `json:"summary"`
			Action   string `json:"action"`
			Message  string `json:"message"`
		} `json:"explanation"`
		Steps []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"steps"`
	} `json:"smtp"`
}

func decode(t *testing.T, r result) report {
	t.Helper()
	var rep report
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, r.stdout)
	}
	if dec.More() {
		t.Fatalf("more than one JSON document:\n%s", r.stdout)
	}
	return rep
}

func stageStatus(rep report) string {
	var s []string
	for _, st := range rep.Stages {
		s = append(s, st.Name+"="+st.Status)
	}
	return strings.Join(s, " ")
}

func TestReadySender(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())
	r := runArgs(t, e.args("Ready <news@ready.example>", "-json")...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	rep := decode(t, r)
	if rep.Verdict != "ready" || stageStatus(rep) != "sender=ok domain=ok smtp=ok" {
		t.Fatalf("verdict %s, stages %s", rep.Verdict, stageStatus(rep))
	}
	if rep.Sender.Verdict != "allowed" || rep.Sender.Provider != "sendgrid" || rep.Sender.From != "news@ready.example" {
		t.Errorf("sender = %+v", rep.Sender)
	}
	if rep.Domain == nil || rep.Domain.Domain != "ready.example" || rep.Domain.Provider != "sendgrid" {
		t.Errorf("domain = %+v", rep.Domain)
	}
	for _, f := range rep.Domain.Findings {
		if f.Severity == "error" {
			t.Errorf("error finding %s for the ready domain", f.Code)
		}
	}
	if !rep.SMTP.OK || rep.SMTP.Sent || rep.SMTP.TLS != "starttls" || rep.SMTP.Auth != "PLAIN" || rep.SMTP.Server != e.smtp.Addr() {
		t.Errorf("smtp = %+v", rep.SMTP)
	}
	if len(e.smtp.Log()) != 0 {
		t.Error("a probe without -send finished a transaction")
	}
}

func TestReadySenderSends(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())
	r := runArgs(t, e.args("news@ready.example", "-send")...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"verdict: ", "sender  ok", "smtp    ok", "test message accepted", "data     ok"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	msgs := e.smtp.Messages()
	if len(msgs) != 1 || msgs[0].HeaderFrom != "news@ready.example" || msgs[0].To[0] != "customer@rcpt.example" {
		t.Fatalf("messages = %+v", msgs)
	}
}

func TestUnverifiedSenderRefusedAfterData(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())

	// Without -send the server accepts the envelope: only the sender check
	// and the DNS check see the problem.
	r := runArgs(t, e.args("Sales <sales@broken.example>", "-json")...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	rep := decode(t, r)
	if rep.Verdict != "not_ready" || stageStatus(rep) != "sender=failed domain=failed smtp=ok" {
		t.Fatalf("verdict %s, stages %s", rep.Verdict, stageStatus(rep))
	}
	if rep.Sender.Reason != "not_verified" && rep.Sender.Reason != "domain_not_verified" {
		t.Errorf("sender reason %s", rep.Sender.Reason)
	}
	if !strings.Contains(rep.Stages[2].Summary, "only after DATA") {
		t.Errorf("smtp stage does not warn that the probe cannot see a DATA refusal: %q", rep.Stages[2].Summary)
	}
	codes := map[string]bool{}
	for _, f := range rep.Domain.Findings {
		codes[f.Code] = true
	}
	for _, c := range []string{"spf.missing", "dmarc.missing"} {
		if !codes[c] {
			t.Errorf("finding %s missing from %v", c, codes)
		}
	}

	// With -send the provider refuses after DATA, and the refusal is explained.
	r = runArgs(t, e.args("Sales <sales@broken.example>", "-json", "-send")...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1", r.code)
	}
	rep = decode(t, r)
	x := rep.SMTP.Explanation
	if rep.SMTP.FailedStep != "data" || x == nil || x.Cause != "sender_not_verified" || x.Code != 550 || x.Provider != "sendgrid" || x.Party != "sender_account" || x.Action == "" {
		t.Fatalf("smtp = %+v, explanation %+v", rep.SMTP, x)
	}
	if !strings.Contains(x.Message, "does not match a verified Sender Identity") {
		t.Errorf("message %q", x.Message)
	}
	last := rep.SMTP.Steps[len(rep.SMTP.Steps)-1]
	if last.Name != "quit" {
		t.Errorf("last step %+v", last)
	}

	// The readable form names the cause and the fix.
	r = runArgs(t, e.args("Sales <sales@broken.example>", "-send")...)
	for _, want := range []string{"verdict: not_ready", "data     FAILED", "cause:   sender_not_verified [550] from sendgrid, permanent", "fix:", "spf.missing"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestPostfixRefusesAtRcpt(t *testing.T) {
	e := newEnv(t, smtptest.TLSImplicit, smtptest.RejectPostfixMismatch())
	r := runArgs(t, e.args("other@broken.example", "-json", "-port", "465")...)
	if r.code != 1 {
		t.Fatalf("exit %d", r.code)
	}
	rep := decode(t, r)
	if rep.SMTP.TLS != "implicit" || rep.SMTP.FailedStep != "rcpt" || rep.SMTP.Explanation.Cause != "sender_not_allowed" {
		t.Fatalf("smtp = %+v %+v", rep.SMTP, rep.SMTP.Explanation)
	}
}

func TestWrongPassword(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())
	t.Setenv(passEnv, "wrong-"+sgPass)
	r := runArgs(t, e.args("news@ready.example", "-json")...)
	if strings.Contains(r.stdout+r.stderr, "wrong-"+sgPass) {
		t.Error("the wrong password appears in the output")
	}
	if r.code != 1 {
		t.Fatalf("exit %d", r.code)
	}
	rep := decode(t, r)
	if rep.SMTP.FailedStep != "auth" || rep.SMTP.Explanation.Cause != "auth_failed" {
		t.Fatalf("smtp = %+v", rep.SMTP)
	}
}

func TestUntrustedCertificate(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())
	args := e.args("news@ready.example", "-json")
	for i := range args {
		if args[i] == "-ca" {
			args = append(args[:i], args[i+2:]...)
			break
		}
	}
	r := runArgs(t, args...)
	rep := decode(t, r)
	if r.code != 1 || rep.SMTP.FailedStep != "tls" || rep.SMTP.Explanation.Cause != "tls_failed" {
		t.Fatalf("exit %d, smtp = %+v", r.code, rep.SMTP)
	}
}

func TestUsage(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())
	base := e.args("news@ready.example")
	without := func(flag string) []string {
		var out []string
		for i := 0; i < len(base); i++ {
			if base[i] == flag {
				i++
				continue
			}
			out = append(out, base[i])
		}
		return out
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no host", without("-host"), "-host is required"},
		{"no user", without("-user"), "-user is required"},
		{"no from", without("-from"), "-from is required"},
		{"no pass-env", without("-pass-env"), "-pass-env or -token-env is required"},
		{"unset variable", append(without("-pass-env"), "-pass-env", "PREFLIGHT_TEST_UNSET_VARIABLE"), "is not set"},
		{"password as argument", append(base, sgPass), "never an argument"},
		{"bad port", append(base, "-port", "70000"), "out of range"},
		{"bad tls", append(base, "-tls", "sometimes"), "unknown TLS mode"},
		{"missing ca", append(without("-ca"), "-ca", filepath.Join(t.TempDir(), "none.pem")), "reading -ca"},
		{"unknown flag", append(base, "-password", "x"), "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runArgs(t, tc.args...)
			if r.code != 2 {
				t.Fatalf("exit %d, want 2\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty: %s", r.stdout)
			}
		})
	}
	if r := runArgs(t, "-h"); r.code != 0 || !strings.Contains(r.stderr, "usage: preflight") {
		t.Errorf("-h: exit %d\n%s", r.code, r.stderr)
	}
}

func TestCancelledContext(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, e.args("news@ready.example", "-json"), strings.NewReader(""), &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var rep report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != "not_ready" || rep.SMTP.FailedStep != "connect" {
		t.Errorf("verdict %s, smtp %+v", rep.Verdict, rep.SMTP)
	}
}

// TestSecretAsVariableName passes the password itself where the name of
// its variable belongs: the program must not print it.
func TestSecretAsVariableName(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())
	for _, flag := range []string{"-pass-env", "-token-env"} {
		args := append(e.args("news@ready.example"), flag, "Hunter2-typed-here")
		r := runArgs(t, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "not set or empty") {
			t.Errorf("%s: exit %d\n%s", flag, r.code, r.stderr)
		}
		if strings.Contains(r.stdout+r.stderr, "Hunter2") {
			t.Errorf("%s: the value is printed:\n%s", flag, r.stderr)
		}
	}
}

// TestEchoedCredentialsNeverPrinted runs the program against a server
// that echoes the AUTH exchange in several forms, escape sequences
// included, in text and JSON output.
func TestEchoedCredentialsNeverPrinted(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			func() {
				defer c.Close()
				r := bufio.NewReader(c)
				fmt.Fprintf(c, "220 echo.test ESMTP\r\n")
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					line = strings.TrimRight(line, "\r\n")
					switch {
					case strings.HasPrefix(line, "EHLO"):
						fmt.Fprintf(c, "250-echo.test\r\n250 AUTH PLAIN\r\n")
					case strings.HasPrefix(line, "AUTH PLAIN "):
						b := strings.TrimPrefix(line, "AUTH PLAIN ")
						raw, _ := base64.StdEncoding.DecodeString(b)
						h := len(b) / 2
						fmt.Fprintf(c, "535-5.7.8 \x1b[2J\x1b]0;owned\x07bad %q\r\n535-5.7.8 %s\u200b%s\r\n535-5.7.8 %s\r\n535-5.7.8 %s\r\n535 5.7.8 %s\x1b[0m\r\n",
							raw, b[:h], b[h:], strings.ToUpper(b[:len(b)-3]), hex.EncodeToString(raw), strings.ToUpper(sgPass))
					case line == "QUIT":
						fmt.Fprintf(c, "221 bye\r\n")
						return
					default:
						fmt.Fprintf(c, "502 5.5.2 what\r\n")
					}
				}
			}()
		}
	}()
	blob := "\x00" + sgUser + "\x00" + sgPass
	b64 := base64.StdEncoding.EncodeToString([]byte(blob))
	for _, mode := range [][]string{nil, {"-json"}} {
		args := []string{
			"-host", "127.0.0.1", "-user", sgUser, "-pass-env", passEnv, "-from", "news@ready.example",
			"-to", "customer@rcpt.example", "-connect", ln.Addr().String(), "-dns-server", e.dns.Addr(),
			"-step-timeout", "10s",
		}
		r := runArgs(t, append(args, mode...)...)
		out := r.stdout + r.stderr
		if !strings.Contains(out, "auth_failed") {
			t.Fatalf("%v: AUTH did not fail as expected:\n%s", mode, out)
		}
		folded := strings.ToLower(strings.Join(strings.Fields(out), ""))
		for _, needle := range []string{sgPass, b64[:len(b64)-4], b64[len(b64)-12 : len(b64)-3], hex.EncodeToString([]byte(sgPass))} {
			if strings.Contains(folded, strings.ToLower(needle)) {
				t.Errorf("%v: output holds %q:\n%s", mode, needle, out)
			}
		}
		if strings.ContainsAny(out, "\x1b\x07\u200b") {
			t.Errorf("%v: output holds escape or invisible characters: %q", mode, out)
		}
	}
}

// TestTokenSignIn runs the program with -token-env against a double that
// refuses passwords the way Exchange Online does and takes tokens.
func TestTokenSignIn(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectMicrosoft365())
	const tokenEnv, token = "PREFLIGHT_TEST_OAUTH_TOKEN", "eyJ0eXAiOiJKV1QifQ.preflight.c2ln"
	t.Setenv(tokenEnv, token)
	ms := smtptest.Start(t, &smtptest.Options{
		Domain: "smtp.office365.com", TLS: smtptest.TLSStartTLS,
		Mechanisms: []string{"LOGIN", "XOAUTH2"}, BasicAuth: smtptest.RefuseBasicAuthNotSupported(),
		Users: []smtptest.User{{Username: "ops@ready.example", Password: sgPass, Token: token, Senders: []string{"ready.example"}}},
	})
	ca := filepath.Join(t.TempDir(), "ms.pem")
	if err := os.WriteFile(ca, ms.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{"-host", "smtp.office365.com", "-user", "ops@ready.example", "-from", "ops@ready.example",
		"-to", "customer@rcpt.example", "-connect", ms.Addr(), "-ca", ca, "-dns-server", e.dns.Addr(), "-step-timeout", "10s", "-json"}

	rep := decode(t, runArgs(t, append(base, "-token-env", tokenEnv)...))
	if !rep.SMTP.OK || rep.SMTP.Auth != "XOAUTH2" {
		t.Fatalf("token sign-in: %+v", rep.SMTP)
	}

	r := runArgs(t, append(base, "-pass-env", passEnv)...)
	rep = decode(t, r)
	if rep.SMTP.FailedStep != "auth" || rep.SMTP.Explanation == nil || rep.SMTP.Explanation.Cause != "auth_method_rejected" {
		t.Fatalf("password against basic auth off: %+v", rep.SMTP)
	}
	if strings.Contains(r.stdout, token) {
		t.Error("the token is printed")
	}
	if !strings.Contains(r.stdout, `"support_summary"`) || !strings.Contains(r.stdout, `"auth_offered"`) {
		t.Errorf("the JSON lacks the support summary or the offered mechanisms:\n%s", r.stdout)
	}
}

func TestTerminalSafeJSON(t *testing.T) {
	in := map[string]string{"s": "a\u009b2Jb\u200bc\U000E0041d é"}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out := terminalSafeJSON(b)
	if bytes.ContainsRune(out, 0x9b) || bytes.ContainsRune(out, 0x200b) || bytes.ContainsRune(out, 0xE0041) {
		t.Fatalf("raw characters kept: %q", out)
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || back["s"] != in["s"] {
		t.Fatalf("%q decodes to %q, %v", out, back["s"], err)
	}
}

// TestIncompleteDNS: when the DNS check cannot complete (a resolver that
// refuses, one that drops the questions, a deadline that passes first),
// the exit status is 3 and one line on stderr names the resolver; the
// report is still printed, its domain stage failed. (A server that drops
// the questions about some names but answers others is reachable: that
// gives dns.timeout findings and exit 1.)
func TestIncompleteDNS(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())

	// A port nobody listens on: the kernel refuses every question.
	closed, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := closed.LocalAddr().String()
	closed.Close()

	// A socket that reads nothing and answers nothing.
	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()

	for _, tc := range []struct {
		name, server, timeout string
	}{
		{"refused", refused, "30s"},
		{"silent", silent.LocalAddr().String(), "30s"}, // the client's own timeouts end it
		{"deadline", silent.LocalAddr().String(), "200ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runArgs(t, e.args("news@ready.example", "-json", "-dns-server", tc.server, "-timeout", tc.timeout)...)
			if r.code != 3 {
				t.Fatalf("exit %d, want 3\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") || !strings.Contains(r.stderr, tc.server) {
				t.Errorf("stderr %q is not one line naming %s", r.stderr, tc.server)
			}
			if !strings.Contains(r.stderr, "could not complete") {
				t.Errorf("stderr %q does not say the check could not be completed", r.stderr)
			}
			rep := decode(t, r)
			if rep.Domain != nil || len(rep.Stages) != 3 || rep.Stages[1].Status != "failed" {
				t.Errorf("domain stage: %s, domain %+v", stageStatus(rep), rep.Domain)
			}
			if tc.name == "deadline" && !strings.Contains(r.stderr, "within 200ms") {
				t.Errorf("stderr %q does not name the deadline", r.stderr)
			}
		})
	}

	// The same From with the working server completes: exit 0, no stderr.
	if r := runArgs(t, e.args("news@ready.example", "-json")...); r.code != 0 || r.stderr != "" {
		t.Errorf("healthy run: exit %d, stderr %q", r.code, r.stderr)
	}
}
