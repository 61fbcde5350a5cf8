package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
)

const zoneFile = "testdata/example.zone"

func runArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestReady(t *testing.T) {
	code, out, errOut := runArgs(t, "-zone", zoneFile, "-smtp-host", "smtp.gmail.com", "-ip", "209.85.220.41", "ready.example")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, errOut, out)
	}
	for _, want := range []string{
		"Mail readiness of ready.example, sending through Gmail",
		"[ok  ] the envelope (Return-Path) domain publishes a valid SPF record",
		"[ok  ] each sending IP has a reverse DNS name that resolves back to it",
		"DKIM         google._domainkey.ready.example  rsa 2048 bits (provider selector)",
		"DMARC        _dmarc.ready.example",
		"\nReady.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "[FAIL]") {
		t.Errorf("a failed item in a ready domain:\n%s", out)
	}
}

func TestProblems(t *testing.T) {
	code, out, _ := runArgs(t, "-zone", zoneFile, "-smtp-host", "smtp.gmail.com", "-selector", "default", "startup.example")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{
		"[FAIL] SPF passes for the sending service and IPs",
		"ERROR   spf.provider_missing at startup.example",
		`publish: startup.example TXT "v=spf1 include:sendgrid.net include:_spf.google.com ~all"`,
		"WARNING dkim.weak_key at default._domainkey.startup.example",
		"WARNING dmarc.deprecated_tag at _dmarc.startup.example",
		"Not ready:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestJSON(t *testing.T) {
	code, out, _ := runArgs(t, "-zone", zoneFile, "-smtp-host", "smtp.gmail.com", "-json", "startup.example")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		Domain   string `json:"domain"`
		Provider string `json:"provider"`
		Findings []struct {
			Code     string `json:"code"`
			Severity string `json:"severity"`
			Record   string `json:"record"`
		} `json:"findings"`
		Checklist []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"checklist"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Domain != "startup.example" || rep.Provider != "gmail" || len(rep.Findings) == 0 || len(rep.Checklist) == 0 {
		t.Errorf("%+v", rep)
	}
	if rep.Findings[0].Severity != "error" {
		t.Errorf("findings not sorted most serious first: %+v", rep.Findings)
	}
}

// TestServer checks through -server against a loopback server started
// here.
func TestServer(t *testing.T) {
	b, err := os.ReadFile(zoneFile)
	if err != nil {
		t.Fatal(err)
	}
	srv := dnsauthtest.Start(t, string(b))
	code, out, errOut := runArgs(t, "-server", srv.Addr(), "-provider", "google-workspace", "READY.example.")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, errOut, out)
	}
	if len(srv.Queries()) == 0 {
		t.Error("the server saw no questions")
	}
}

func TestUsage(t *testing.T) {
	tests := [][]string{
		{},
		{"a.example", "b.example"},
		{"-zone", zoneFile, "-server", "127.0.0.1:53", "ready.example"},
		{"-zone", zoneFile, "-ip", "not-an-ip", "ready.example"},
		{"-zone", zoneFile, "-provider", "nosuch", "ready.example"},
		{"-zone", "testdata/missing.zone", "ready.example"},
		{"-zone", zoneFile, "bad..domain"},
		{"-server", "127.0.0.1:99999", "ready.example"},
		{"-nosuchflag"},
	}
	for _, args := range tests {
		code, _, errOut := runArgs(t, args...)
		if code != 2 {
			t.Errorf("run(%q) = %d, want 2 (stderr %q)", args, code, errOut)
		}
		if errOut == "" {
			t.Errorf("run(%q): nothing on stderr", args)
		}
	}
	if code, _, _ := runArgs(t, "-h"); code != 0 {
		t.Errorf("-h exit %d", code)
	}
}

// TestIncomplete: a resolver that never answers, or a deadline that passes
// first, is exit status 3 with one line naming the resolver.
func TestIncomplete(t *testing.T) {
	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	b, err := os.ReadFile(zoneFile)
	if err != nil {
		t.Fatal(err)
	}
	slow := dnsauthtest.Start(t, string(b))
	slow.SetLatency(200 * time.Millisecond)
	for _, tc := range []struct {
		args   []string
		server string
	}{
		{[]string{"-server", silent.LocalAddr().String(), "-timeout", "5s", "ready.example"}, silent.LocalAddr().String()},
		{[]string{"-server", slow.Addr(), "-timeout", "50ms", "ready.example"}, slow.Addr()},
	} {
		code, out, errOut := runArgs(t, tc.args...)
		if code != 3 {
			t.Errorf("run(%q) = %d, want 3 (stderr %q)\n%s", tc.args, code, errOut, out)
		}
		if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tc.server) {
			t.Errorf("run(%q): stderr %q is not one line naming %s", tc.args, errOut, tc.server)
		}
	}
}
