package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/internal/golden"
)

// TestGolden pins the program's text and JSON output against the
// SendGrid double: identities listed, access refused, and the rate
// limit. The double's address varies between runs and is masked. Run
// with -update to accept a change.
func TestGolden(t *testing.T) {
	t.Setenv("SG_KEY", testKey)
	senders := `{"results":[{"id":1,"from_email":"news@shop.example","verified":true,"locked":false},{"id":2,"from_email":"new@shop.example","verified":false,"locked":false}]}`
	domains := `[{"id":1,"domain":"shop.example","valid":true,"dns":{"dkim1":{"valid":true},"mail_cname":{"valid":true}}},{"id":2,"domain":"promo.example","valid":false,"dns":{"dkim1":{"valid":false},"mail_cname":{"valid":true}}}]`
	listed := sendGridDouble(t, 0, senders, domains)
	refused := sendGridDouble(t, 403, "", "")
	limited := sendGridDouble(t, 429, "", "")
	tests := []struct {
		name string
		base string
		args []string
	}{
		{"listed.txt", listed, nil},
		{"listed.json", listed, []string{"-json"}},
		{"refused.txt", refused, nil},
		{"refused.json", refused, []string{"-json"}},
		{"rate-limited.txt", limited, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"-provider", "sendgrid", "-key-env", "SG_KEY", "-base-url", tc.base}, tc.args...)
			code, out, errOut := runProgram(t, args...)
			got := fmt.Sprintf("exit %d\n%s%s", code, out, errOut)
			golden.Check(t, tc.name, strings.ReplaceAll(got, tc.base, "http://127.0.0.1:PORT"))
		})
	}
}
