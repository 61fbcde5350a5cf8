package main

import (
	"fmt"
	"testing"

	"github.com/sendcheck/sendcheck/internal/golden"
)

// TestGolden pins the program's text and JSON output for replies of
// several providers and causes, given as arguments and on standard input:
// a change in any explanation shows as a diff. Run with -update to accept
// a change.
func TestGolden(t *testing.T) {
	replies := "554 5.2.252 SendAsDenied; sender@example.com not allowed to send as boss@example.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied\n" +
		"550-5.7.1 first part\r\n550-5.7.1 second part\r\n550 5.7.1 Relay access denied\n" +
		"\n" +
		"535 5.7.8 Username and Password not accepted. gsmtp\n" +
		"554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: deals@promo.example\n" +
		"452 4.2.2 The email account that you tried to reach is over quota. gsmtp\n" +
		"250 2.0.0 Ok: queued as 4F1A2B\n" +
		"421-4.3.0 unfinished\n"
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"send-as.txt", "", []string{"554 5.2.252 SendAsDenied; sender@example.com not allowed to send as boss@example.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied"}},
		{"two-args.txt", "", []string{"550 The from address does not match a verified Sender Identity", "451 4.7.650 The mail server [203.0.113.7] has been temporarily rate limited due to IP reputation."}},
		{"stdin.txt", replies, nil},
		{"stdin.json", replies, []string{"-json"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := call(t, tc.stdin, tc.args...)
			golden.Check(t, tc.name, fmt.Sprintf("exit %d\n%s%s", code, out, errOut))
		})
	}
}
