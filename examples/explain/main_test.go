package main

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// call runs the program and returns its exit status and output.
func call(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestReadmeCommand(t *testing.T) {
	code, out, _ := call(t, "", "554 5.2.252 SendAsDenied; sender@example.com not allowed to send as boss@example.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"554 5.2.252: sender_not_allowed (Microsoft 365, permanent)",
		"no Send As permission",
		"Who must act:  the sender, in its SMTP provider account or settings",
		"Confidence:    high",
		"Server said:   SendAsDenied; sender@example.com not allowed to send as boss@example.com",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestJSONFromStdin(t *testing.T) {
	in := "550-5.7.1 first part\r\n550-5.7.1 second part\r\n550 5.7.1 Relay access denied\n\n535 5.7.8 Username and Password not accepted. gsmtp\n421-4.3.0 unfinished\n"
	code, out, errOut := call(t, in, "-json")
	if code != 1 {
		t.Errorf("exit %d, want 1 (stderr %q)", code, errOut)
	}
	var got []map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
		for _, k := range []string{"cause", "code", "enhanced", "provider", "temporary", "summary", "action", "message"} {
			if _, ok := m[k]; !ok {
				t.Errorf("object lacks %q: %v", k, m)
			}
		}
		got = append(got, m)
	}
	var causes []any
	for _, m := range got {
		causes = append(causes, m["cause"])
	}
	if want := []any{"relay_denied", "auth_failed", "system_error"}; !reflect.DeepEqual(causes, want) {
		t.Errorf("causes %v, want %v", causes, want)
	}
	if len(got) == 3 && got[0]["message"] != "first part second part Relay access denied" {
		t.Errorf("joined message %q", got[0]["message"])
	}
	if len(got) == 3 && (got[1]["provider"] != "gmail" || got[2]["temporary"] != true) {
		t.Errorf("provider/temporary wrong: %v %v", got[1], got[2])
	}
}

func TestReadReplies(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"250 OK\n", []string{"250 OK"}},
		{"550-a\n550-b\n550 c\n", []string{"550-a\r\n550-b\r\n550 c"}},
		{"550-a\nnot a continuation\n", []string{"550-a", "not a continuation"}},
		{"550-a\n451 other\n", []string{"550-a", "451 other"}},
		{"plain text\n\n  \nmore\n", []string{"plain text", "more"}},
		{"550-a\n550\n", []string{"550-a\r\n550"}},
	}
	for _, tt := range tests {
		got, err := readReplies(strings.NewReader(tt.in))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("readReplies(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestExitStatus(t *testing.T) {
	if code, out, _ := call(t, "", "250 2.0.0 OK"); code != 0 || !strings.Contains(out, "not a failure") {
		t.Errorf("success: exit %d, output %q", code, out)
	}
	if code, _, errOut := call(t, ""); code != 2 || !strings.Contains(errOut, "no replies") {
		t.Errorf("empty stdin: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := call(t, "", "-nope"); code != 2 {
		t.Errorf("bad flag: exit %d", code)
	}
	if code, _, errOut := call(t, "", "-h"); code != 0 || !strings.Contains(errOut, "usage:") {
		t.Errorf("-h: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := call(t, strings.Repeat("x", maxLine+10)); code != 2 || !strings.Contains(errOut, "reading standard input") {
		t.Errorf("long line: exit %d, stderr %q", code, errOut)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"550 x"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Errorf("cancelled: exit %d", code)
	}
}
