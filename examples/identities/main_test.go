package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const testKey = "SG.example-key-do-not-print"

// sendGridDouble answers like SendGrid's verified-senders and
// authenticated-domains endpoints (shapes from SendGrid's API reference,
// as in the package's own tests); status overrides every answer when set.
func sendGridDouble(t *testing.T, status int, senders, domains string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+testKey {
			w.WriteHeader(401)
			fmt.Fprint(w, `{"errors":[{"field":null,"message":"authorization required"}]}`)
			return
		}
		if status != 0 {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"errors":[{"field":null,"message":"slow down, key %s"}]}`, testKey)
			return
		}
		switch r.URL.Path {
		case "/v3/verified_senders":
			fmt.Fprint(w, senders)
		case "/v3/whitelabel/domains":
			fmt.Fprint(w, domains)
		default:
			w.WriteHeader(404)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func runProgram(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	for _, s := range []string{out.String(), errb.String()} {
		if strings.Contains(s, testKey) {
			t.Errorf("the key was printed: %s", s)
		}
	}
	return code, out.String(), errb.String()
}

func TestRun(t *testing.T) {
	t.Setenv("SG_KEY", testKey)
	senders := `{"results":[{"id":1,"from_email":"news@shop.example","verified":true,"locked":false},{"id":2,"from_email":"new@shop.example","verified":false,"locked":false}]}`
	domains := `[{"id":1,"domain":"shop.example","valid":true,"dns":{"dkim1":{"valid":true},"mail_cname":{"valid":true}}}]`
	base := sendGridDouble(t, 0, senders, domains)

	t.Run("text", func(t *testing.T) {
		code, out, _ := runProgram(t, "-provider", "SendGrid", "-key-env", "SG_KEY", "-base-url", base)
		if code != 1 {
			t.Errorf("exit %d, want 1 (one sender pending)", code)
		}
		for _, want := range []string{"3 sender identities", "news@shop.example", "pending", "shop.example", "dkim=verified"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		code, out, _ := runProgram(t, "-json", "-provider", "sendgrid", "-key-env", "SG_KEY", "-base-url", base)
		if code != 1 {
			t.Errorf("exit %d", code)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 {
			t.Fatalf("%d lines, want one object per identity:\n%s", len(lines), out)
		}
		var first map[string]any
		if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
			t.Fatal(err)
		}
		if first["identity"] != "news@shop.example" || first["kind"] != "address" || first["status"] != "verified" {
			t.Errorf("first object %v", first)
		}
	})
	t.Run("all verified", func(t *testing.T) {
		base := sendGridDouble(t, 0, `{"results":[]}`, domains)
		if code, _, _ := runProgram(t, "-provider", "sendgrid", "-key-env", "SG_KEY", "-base-url", base); code != 0 {
			t.Errorf("exit %d, want 0", code)
		}
	})
	t.Run("rate limited", func(t *testing.T) {
		base := sendGridDouble(t, 429, "", "")
		code, _, errOut := runProgram(t, "-provider", "sendgrid", "-key-env", "SG_KEY", "-base-url", base)
		if code != 3 || !strings.Contains(errOut, "rate_limited") || !strings.Contains(errOut, "1m0s") {
			t.Errorf("exit %d, stderr:\n%s", code, errOut)
		}
	})
	t.Run("scope missing", func(t *testing.T) {
		base := sendGridDouble(t, 403, "", "")
		code, out, _ := runProgram(t, "-provider", "sendgrid", "-key-env", "SG_KEY", "-base-url", base)
		if code != 1 || !strings.Contains(out, "may not read") {
			t.Errorf("exit %d, output:\n%s", code, out)
		}
	})
	usage := [][]string{
		{},
		{"-provider", "sendgrid"},
		{"-provider", "zoho", "-key-env", "SG_KEY"},
		{"-provider", "sendgrid", "-key-env", "NO_SUCH_VAR_FOR_TEST"},
		{"-provider", "sendgrid", "-key-env", "SG_KEY", "-base-url", "http://api.example.net"},
		{"-provider", "sendgrid", "-key-env", "SG_KEY", testKey},
		{"-provider", "mailgun", "-key-env", "SG_KEY", "-region", "mars"},
	}
	for _, args := range usage {
		if code, _, _ := runProgram(t, args...); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
