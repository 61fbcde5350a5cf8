package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

// checkGolden compares got with testdata/golden/name, or rewrites that
// file when the test runs with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept):\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

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
			checkGolden(t, tc.name, fmt.Sprintf("exit %d\n%s%s", code, out.String(), errOut.String()))
		})
	}
}
