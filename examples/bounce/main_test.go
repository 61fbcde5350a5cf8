package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const dsnEmail = "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\n" +
	"To: sender@example.com\r\n" +
	"Subject: Undelivered Mail Returned to Sender\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain\r\n" +
	"\r\n" +
	"I'm sorry to have to inform you that your message could not be delivered.\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: message/delivery-status\r\n" +
	"\r\n" +
	"Reporting-MTA: dns; mx.example.net\r\n" +
	"\r\n" +
	"Final-Recipient: rfc822; nobody@example.org\r\n" +
	"Action: failed\r\n" +
	"Status: 5.1.1\r\n" +
	"Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/rfc822-headers\r\n" +
	"\r\n" +
	"From: sender@example.com\r\n" +
	"To: nobody@example.org\r\n" +
	"Subject: Hello\r\n" +
	"Message-ID: <abc123@example.com>\r\n" +
	"X-Crm-Id: 42\r\n" +
	"\r\n" +
	"--b1--\r\n"

const autoReplyEmail = "From: Someone <someone@example.org>\r\n" +
	"To: sender@example.com\r\n" +
	"Subject: Automatic reply: Hello\r\n" +
	"Auto-Submitted: auto-replied\r\n" +
	"\r\n" +
	"I am out of the office until Monday.\r\n"

func runProg(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestJSONBounce(t *testing.T) {
	code, out, errs := runProg(t, dsnEmail, "-json", "-")
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errs)
	}
	var l map[string]any
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for k, want := range map[string]string{
		"file": "-", "kind": "bounce", "recipient": "nobody@example.org", "status": "5.1.1",
		"cause": "recipient_unknown", "party": "recipient", "message_id": "abc123@example.com",
	} {
		if got, _ := l[k].(string); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	for _, k := range []string{"confidence", "summary", "action"} {
		if s, _ := l[k].(string); s == "" {
			t.Errorf("%s is empty", k)
		}
	}
}

func TestAutoReplyIsNoFailure(t *testing.T) {
	code, out, _ := runProg(t, autoReplyEmail, "-json")
	if code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
	if !strings.Contains(out, `"kind":"autoreply"`) {
		t.Errorf("output %s lacks kind autoreply", out)
	}
}

func TestReadableAndFolders(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "Maildir")
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(md, sub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(md, "new", "1"), []byte(dsnEmail), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(md, "cur", "2"), []byte(autoReplyEmail), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runProg(t, "", md)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errs)
	}
	for _, want := range []string{"bounce for nobody@example.org (5.1.1)", "recipient_unknown", "autoreply for someone@example.org", "<abc123@example.com>"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestMbox(t *testing.T) {
	mbox := "From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n" + strings.ReplaceAll(dsnEmail, "\r\n", "\n") +
		"\nFrom someone@example.org Mon Jan  1 00:00:00 2024\n" + strings.ReplaceAll(autoReplyEmail, "\r\n", "\n")
	f := filepath.Join(t.TempDir(), "mbox")
	if err := os.WriteFile(f, []byte(mbox), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runProg(t, "", "-json", f)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"kind":"bounce"`) || !strings.Contains(lines[1], `"kind":"autoreply"`) {
		t.Errorf("got %d lines:\n%s", len(lines), out)
	}
}

func TestUsage(t *testing.T) {
	if code, _, _ := runProg(t, "", "-nosuchflag"); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
	if code, _, _ := runProg(t, "", filepath.Join(t.TempDir(), "missing.eml")); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
	if code, out, _ := runProg(t, "From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n", "-json"); code != 0 || !strings.Contains(out, `"kind":"other"`) {
		t.Errorf("ordinary email: exit %d, output %s", code, out)
	}
}
