package main

import (
	"fmt"
	mathrand "math/rand/v2"
	"regexp"
	"testing"

	"github.com/sendcheck/sendcheck/internal/golden"
)

// TestGolden pins the whole offline run, story and JSON, with the values
// that vary between runs masked. Run with -update to accept a change.
//
// The password and access key are made from a fixed source, so that each
// run signs in with the same credentials and the output cannot depend on
// them.
func TestGolden(t *testing.T) {
	saved := random
	random = mathrand.NewChaCha8([32]byte([]byte("sendcheck demo golden test seed!")))
	t.Cleanup(func() { random = saved })
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"story.txt", nil},
		{"story.json", []string{"-json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runDemo(t, tc.args...)
			golden.Check(t, tc.name, maskRun(fmt.Sprintf("exit %d\n%s%s", code, out, errOut)))
		})
	}
}

// The demo's servers listen on ports the system picks, and the bounce it
// receives is dated when the demo runs.
var (
	loopbackPort = regexp.MustCompile(`(127\.0\.0\.1|\[::1\]):\d+`)
	timestamp    = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)
)

// maskRun replaces what varies between runs: ports and times.
func maskRun(s string) string {
	s = loopbackPort.ReplaceAllString(s, "${1}:PORT")
	return timestamp.ReplaceAllString(s, "TIME")
}
