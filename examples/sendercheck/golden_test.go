package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/internal/golden"
)

// TestGolden pins the program's text and JSON output for each verdict
// and reason the offline rules give: a change in any verdict, reason or
// suggestion shows as a diff. Run with -update to accept a change.
func TestGolden(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"gmail-allowed.txt", "", []string{"-host", "smtp.gmail.com", "-user", "jane.doe@gmail.com", "Jane <JaneDoe@gmail.com>"}},
		{"gmail-rewritten.txt", "", []string{"-host", "smtp.gmail.com", "-user", "jane@gmail.com", "ceo@example.com"}},
		{"gmail-rewritten.json", "", []string{"-json", "-host", "smtp.gmail.com", "-user", "jane@gmail.com", "Boss <boss@exаmple.com>"}},
		{"ses-case.txt", "", []string{"-host", "email-smtp.us-east-1.amazonaws.com", "-verified", "Billing@example.com, example.org", "billing@example.com"}},
		{"ses-domain.txt", "", []string{"-host", "email-smtp.us-east-1.amazonaws.com", "-verified", "a@x.com,example.org", "news@mail.example.org"}},
		{"ses-envelope.txt", "", []string{"-host", "email-smtp.us-east-1.amazonaws.com", "-verified", "example.com", "-envelope", "bounce@other.example", "a@example.com"}},
		{"ses-envelope.json", "", []string{"-json", "-host", "email-smtp.us-east-1.amazonaws.com", "-verified", "example.com", "-envelope", "bounce@other.example", "a@example.com"}},
		{"sendgrid-unknown.txt", "", []string{"-host", "smtp.sendgrid.net", "-user", "apikey", "a@example.com"}},
		{"invalid-from.txt", "", []string{"-host", "smtp.gmail.com", "-user", "a@gmail.com", "a@@b"}},
		{"stdin.txt", "a@gmail.com\n\nb@gmail.com\nA@gmail.com\n", []string{"-host", "smtp.gmail.com", "-user", "a@gmail.com", "-"}},
		{"stdin.json", "a@gmail.com\n\nb@gmail.com\nA@gmail.com\n", []string{"-json", "-host", "smtp.gmail.com", "-user", "a@gmail.com", "-"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(tc.stdin), &out, &errOut)
			golden.Check(t, tc.name, fmt.Sprintf("exit %d\n%s%s", code, out.String(), errOut.String()))
		})
	}
}
