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

const sgKey = "SG.sendercheck-test-key"

// sendGridDouble answers like SendGrid's verified-senders and
// authenticated-domains endpoints (the shapes of SendGrid's API
// reference); status, when set, is the answer to every request.
func sendGridDouble(t *testing.T, status int) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+sgKey {
			w.WriteHeader(401)
			fmt.Fprint(w, `{"errors":[{"field":null,"message":"authorization required"}]}`)
			return
		}
		if status != 0 {
			w.WriteHeader(status)
			fmt.Fprint(w, `{"errors":[{"field":null,"message":"access forbidden"}]}`)
			return
		}
		switch r.URL.Path {
		case "/v3/verified_senders":
			fmt.Fprint(w, `{"results":[{"id":1,"from_email":"news@shop.example","verified":true,"locked":false},{"id":2,"from_email":"deals@promo.example","verified":false,"locked":false}]}`)
		case "/v3/whitelabel/domains":
			fmt.Fprint(w, `[{"id":1,"domain":"shop.example","valid":true,"dns":{}}]`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestFetchVerified(t *testing.T) {
	t.Setenv("SG_KEY", sgKey)
	t.Setenv("WRONG_KEY", "SG.wrong")
	base := sendGridDouble(t, 0)
	cases := []struct {
		name   string
		args   []string
		status int
		out    []string
		errOut string
	}{
		{"allowed by the provider's list", []string{"-fetch-verified", "-key-env", "SG_KEY", "-base-url", base, "orders@shop.example"},
			0, []string{"allowed", "matched_domain", "identities: provider_api", "rules from: the provider's own documentation", "certainty:  high (judged against"}, ""},
		{"pending sender", []string{"-fetch-verified", "-key-env", "SG_KEY", "-base-url", base, "deals@promo.example"},
			1, []string{"rejected", "not_verified", "identity_not_ready"}, ""},
		{"hand list ignored", []string{"-fetch-verified", "-key-env", "SG_KEY", "-base-url", base, "-verified", "promo.example", "deals@promo.example"},
			1, []string{"rejected", "verified_ignored"}, ""},
		{"scope missing falls back", []string{"-fetch-verified", "-key-env", "SG_KEY", "-base-url", sendGridDouble(t, 403), "-verified", "promo.example", "deals@promo.example"},
			0, []string{"allowed", "identities: caller", "certainty:  medium (judged against the identities given by hand"}, "may send but not read"},
		{"wrong key", []string{"-fetch-verified", "-key-env", "WRONG_KEY", "-base-url", base, "a@shop.example"},
			3, nil, "unauthorized"},
		{"no key env", []string{"-fetch-verified", "a@shop.example"}, 2, nil, "needs -key-env"},
		{"key env unset", []string{"-fetch-verified", "-key-env", "NO_SUCH_ENV_FOR_TEST", "a@shop.example"}, 2, nil, "not set"},
		{"key without fetch", []string{"-key-env", "SG_KEY", "a@shop.example"}, 2, nil, "only with -fetch-verified"},
		{"plain http elsewhere", []string{"-fetch-verified", "-key-env", "SG_KEY", "-base-url", "http://api.example.net", "a@shop.example"}, 2, nil, "https"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"-host", "smtp.sendgrid.net", "-user", "apikey"}, c.args...)
			got := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
			if got != c.status {
				t.Errorf("status %d, want %d\nstdout:\n%s\nstderr:\n%s", got, c.status, stdout.String(), stderr.String())
			}
			for _, want := range c.out {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
				}
			}
			if !strings.Contains(stderr.String(), c.errOut) {
				t.Errorf("stderr lacks %q:\n%s", c.errOut, stderr.String())
			}
			if strings.Contains(stdout.String()+stderr.String(), sgKey) {
				t.Error("the key was printed")
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		run(context.Background(), []string{"-host", "smtp.sendgrid.net", "-fetch-verified", "-key-env", "SG_KEY", "-base-url", base, "-json", "news@shop.example"}, nil, &stdout, &stderr)
		var r struct {
			Verdict        string `json:"verdict"`
			IdentitySource string `json:"identity_source"`
		}
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil || r.Verdict != "allowed" || r.IdentitySource != "provider_api" {
			t.Errorf("%+v %v\n%s", r, err, stdout.String())
		}
	})
}
