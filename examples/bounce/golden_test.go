package main

import (
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
			checkGolden(t, tc.name, fmt.Sprintf("exit %d\n%s%s", code, out, errOut))
		})
	}
}
