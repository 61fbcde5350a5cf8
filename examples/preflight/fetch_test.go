package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/smtperr/smtptest"
)

// sendGridAPI answers like SendGrid's verified-senders and
// authenticated-domains endpoints (the shapes of SendGrid's API
// reference), for the SMTP password sgPass, which is an API key.
func sendGridAPI(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+sgPass {
			w.WriteHeader(401)
			fmt.Fprintf(w, `{"errors":[{"field":null,"message":"bad key %s"}]}`, r.Header.Get("Authorization"))
			return
		}
		switch r.URL.Path {
		case "/v3/verified_senders":
			fmt.Fprint(w, `{"results":[]}`)
		case "/v3/whitelabel/domains":
			fmt.Fprint(w, `[{"id":1,"domain":"ready.example","valid":true,"dns":{"dkim1":{"valid":true}}}]`)
		default:
			w.WriteHeader(404)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestFetchVerified(t *testing.T) {
	e := newEnv(t, smtptest.TLSStartTLS, smtptest.RejectSendGrid())
	api := sendGridAPI(t)

	r := runArgs(t, e.args("Shop <orders@ready.example>", "-fetch-verified", "-base-url", api)...)
	if r.code != 0 || !strings.Contains(r.stdout, "identities: provider_api") || !strings.Contains(r.stdout, "certainty:  high") || !strings.Contains(r.stdout, "allowed (matched_domain)") {
		t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	// The hand-typed list says other.example; SendGrid's own list wins.
	r = runArgs(t, append(e.args("deals@other.example", "-fetch-verified", "-base-url", api), "-verified", "other.example")...)
	if r.code != 1 || !strings.Contains(r.stdout, "verified_ignored") || !strings.Contains(r.stdout, "rejected (not_verified)") {
		t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	// A wrong key: the sender check falls back to -verified and says the
	// list could not be read; the key never shows.
	t.Setenv("WRONG_API_KEY", "SG.wrong-key")
	r = runArgs(t, e.args("orders@ready.example", "-fetch-verified", "-key-env", "WRONG_API_KEY", "-base-url", api)...)
	if !strings.Contains(r.stdout, "could not be read") || !strings.Contains(r.stdout, "unauthorized") || strings.Contains(r.stdout, "SG.wrong-key") {
		t.Errorf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}

	for _, extra := range [][]string{
		{"-key-env", "WRONG_API_KEY"},
		{"-fetch-verified", "-key-env", "NO_SUCH_VARIABLE_FOR_TEST"},
		{"-fetch-verified", "-base-url", "http://api.example.net"},
	} {
		if r := runArgs(t, e.args("orders@ready.example", extra...)...); r.code != 2 {
			t.Errorf("%q: exit %d, want 2\n%s", extra, r.code, r.stderr)
		}
	}
}
