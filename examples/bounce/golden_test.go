package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/internal/golden"
)

// TestGolden pins the program's text and JSON output for a delivery
// status notification, an automatic reply and an mbox holding both: a
// change in any classification or explanation shows as a diff. Run with
// -update to accept a change.
func TestGolden(t *testing.T) {
	mbox := "From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n" + strings.ReplaceAll(dsnEmail, "\r\n", "\n") +
		"\nFrom someone@example.org Mon Jan  1 00:00:00 2024\n" + strings.ReplaceAll(autoReplyEmail, "\r\n", "\n")
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"dsn.txt", dsnEmail, []string{"-"}},
		{"dsn.json", dsnEmail, []string{"-json", "-"}},
		{"autoreply.txt", autoReplyEmail, []string{"-"}},
		{"autoreply.json", autoReplyEmail, []string{"-json", "-"}},
		{"mbox.txt", mbox, []string{"-"}},
		{"mbox.json", mbox, []string{"-json", "-"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runProg(t, tc.stdin, tc.args...)
			golden.Check(t, tc.name, fmt.Sprintf("exit %d\n%s%s", code, out, errOut))
		})
	}
}
