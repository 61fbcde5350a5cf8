package main

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/sendcheck/sendcheck/internal/golden"
	"github.com/sendcheck/sendcheck/smtperr/smtptest"
)

// varying matches what changes from run to run: loopback ports, times and
// the server's queue ids.
var varying = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`), "TIME"},
	{regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d( UTC)?`), "TIME"},
	{regexp.MustCompile(`\b\d+(\.\d+)?(ns|µs|ms|s)\b`), "DURATION"},
}

// checkGolden compares got, with what varies masked, with
// testdata/golden/name, or rewrites that file when the test runs with
// -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	for _, v := range varying {
		got = v.re.ReplaceAllString(got, v.repl)
	}
	golden.Check(t, name, got)
}

// TestGolden pins the program's text and JSON reports for a sender the
// SendGrid look-alike accepts and one it refuses at DATA: a change in any
// stage's output shows as a diff. Run with -update to accept a change.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		from string
		args []string
	}{
		{"ready.txt", "Ready <news@ready.example>", nil},
		{"ready.json", "Ready <news@ready.example>", []string{"-json"}},
		{"refused.txt", "deals@promo.example", []string{"-verified", "", "-send"}},
		{"refused.json", "deals@promo.example", []string{"-verified", "", "-send", "-json"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())
			r := runArgs(t, e.args(tc.from, tc.args...)...)
			checkGolden(t, tc.name, fmt.Sprintf("exit %d\n%s%s", r.code, r.stdout, r.stderr))
		})
	}
}
