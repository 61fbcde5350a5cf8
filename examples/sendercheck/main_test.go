package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stdin  string
		status int
		out    []string // substrings of stdout
		errOut string   // substring of stderr
	}{
		{name: "gmail allowed", args: []string{"-host", "smtp.gmail.com", "-user", "jane.doe@gmail.com", "Jane <JaneDoe@gmail.com>"},
			status: 0, out: []string{"verdict:    allowed", "reason:     matched_account", "matched:    jane.doe@gmail.com", "provider:   Gmail (gmail)"}},
		{name: "gmail rewritten", args: []string{"-host", "smtp.gmail.com", "-user", "jane@gmail.com", "ceo@example.com"},
			status: 1, out: []string{"verdict:    rewritten", "not_account_identity", "suggestion: Send as jane@gmail.com"}},
		{name: "ses verified list", args: []string{"-host", "email-smtp.us-east-1.amazonaws.com", "-verified", "Billing@example.com, example.org", "billing@example.com"},
			status: 1, out: []string{"rejected", "case_mismatch", "Use Billing@example.com exactly"}},
		{name: "ses domain", args: []string{"-host", "email-smtp.us-east-1.amazonaws.com", "-verified", "a@x.com,example.org", "news@mail.example.org"},
			status: 0, out: []string{"allowed", "matched_domain", "relaxed:    subdomain"}},
		{name: "unknown without list", args: []string{"-host", "smtp.sendgrid.net", "-user", "apikey", "a@example.com"},
			status: 1, out: []string{"verdict:    unknown", "no_verified_identities"}},
		{name: "envelope", args: []string{"-host", "email-smtp.us-east-1.amazonaws.com", "-verified", "example.com", "-envelope", "bounce@other.example", "a@example.com"},
			status: 1, out: []string{"envelope_not_allowed", "envelope:   bounce@other.example", "warning:    envelope_mismatch"}},
		{name: "invalid from", args: []string{"-host", "smtp.gmail.com", "-user", "a@gmail.com", "a@@b"},
			status: 1, out: []string{"rejected", "invalid_from"}},
		{name: "stdin", args: []string{"-host", "smtp.gmail.com", "-user", "a@gmail.com", "-"}, stdin: "a@gmail.com\n\nb@gmail.com\n",
			status: 1, out: []string{"matched_account", "not_account_identity"}},
		{name: "stdin all allowed", args: []string{"-host", "smtp.gmail.com", "-user", "a@gmail.com", "-"}, stdin: "a@gmail.com\nA@gmail.com\n",
			status: 0, out: []string{"matched_account"}},
		{name: "no from", args: []string{"-host", "smtp.gmail.com"}, status: 2, errOut: "exactly one FROM"},
		{name: "two froms", args: []string{"-host", "smtp.gmail.com", "a@b.com", "c@d.com"}, status: 2, errOut: "exactly one FROM"},
		{name: "no host", args: []string{"a@b.com"}, status: 2, errOut: "-host is required"},
		{name: "bad flag", args: []string{"-nope", "a@b.com"}, status: 2, errOut: "flag provided but not defined"},
		{name: "bad port", args: []string{"-host", "h", "-port", "0", "a@b.com"}, status: 2, errOut: "out of range"},
		{name: "empty stdin", args: []string{"-host", "h", "-"}, status: 2, errOut: "no From"},
		{name: "help", args: []string{"-h"}, status: 0, errOut: "usage: sendercheck"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			got := run(context.Background(), tt.args, strings.NewReader(tt.stdin), &stdout, &stderr)
			if got != tt.status {
				t.Errorf("status %d, want %d\nstdout:\n%s\nstderr:\n%s", got, tt.status, stdout.String(), stderr.String())
			}
			for _, want := range tt.out {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if tt.errOut != "" && !strings.Contains(stderr.String(), tt.errOut) {
				t.Errorf("stderr lacks %q:\n%s", tt.errOut, stderr.String())
			}
		})
	}
}

func TestRunJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	status := run(context.Background(), []string{"-host", "smtp.gmail.com", "-user", "jane@gmail.com", "-json", "Boss <boss@exаmple.com>"},
		strings.NewReader(""), &stdout, &stderr)
	if status != 1 {
		t.Fatalf("status %d, stderr %s", status, stderr.String())
	}
	var m map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &m); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, stdout.String())
	}
	for _, k := range []string{"verdict", "reason", "provider", "from", "matched", "suggestion"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if m["verdict"] != "rewritten" || m["provider"] != "gmail" || m["from"] != "boss@exаmple.com" || m["from_ascii"] != "boss@xn--exmple-4nf.com" {
		t.Errorf("unexpected JSON: %s", stdout.String())
	}

	// One object per line for stdin input.
	stdout.Reset()
	status = run(context.Background(), []string{"-host", "smtp.gmail.com", "-user", "jane@gmail.com", "-json", "-"},
		strings.NewReader("jane@gmail.com\nother@example.com\n"), &stdout, &stderr)
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if status != 1 || len(lines) != 2 {
		t.Fatalf("status %d, %d lines:\n%s", status, len(lines), stdout.String())
	}
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("line is not JSON: %s", l)
		}
	}
}

func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	if status := run(ctx, []string{"-host", "h", "-"}, strings.NewReader("a@example.com\n"), &stdout, &stderr); status != 1 {
		t.Errorf("status %d after cancellation, want 1", status)
	}
}
