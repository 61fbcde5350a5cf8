package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func eventPayload(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "smtperr", "events", "testdata", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEventsEndpoint(t *testing.T) {
	ts, _ := newTestServer(t, func(c *apiConfig) { c.MaxEventBody = 64 << 10 })
	r := postJSON(t, ts.URL+"/v1/events/auto", eventPayload(t, "ses/doc-bounce-dsn.json"))
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var out struct {
		Provider string `json:"provider"`
		Verified bool   `json:"verified"`
		Records  []struct {
			Kind        string `json:"kind"`
			Recipient   string `json:"recipient"`
			Explanation struct {
				Cause      string `json:"cause"`
				Confidence string `json:"confidence"`
			} `json:"explanation"`
		} `json:"records"`
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	if out.Provider != "ses" || out.Verified || len(out.Records) != 1 || out.Records[0].Kind != "bounce" ||
		out.Records[0].Explanation.Cause != "recipient_unknown" || out.Records[0].Explanation.Confidence == "" {
		t.Errorf("answer %+v", out)
	}
	r = postJSON(t, ts.URL+"/v1/events/sendgrid", eventPayload(t, "sendgrid/doc-batch.json"))
	if r.status != http.StatusOK || !strings.Contains(r.body, `"suppressed"`) {
		t.Errorf("sendgrid: %d %s", r.status, r.body)
	}
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"unknown provider", http.MethodPost, "/v1/events/acme", "{}", http.StatusNotFound, "unknown_provider"},
		{"get", http.MethodGet, "/v1/events/ses", "", http.StatusMethodNotAllowed, "method_not_allowed"},
		{"wrong provider", http.MethodPost, "/v1/events/postmark", eventPayload(t, "sendgrid/doc-batch.json"), http.StatusBadRequest, "unknown_shape"},
		{"unknown shape", http.MethodPost, "/v1/events/auto", `{"hello":1}`, http.StatusBadRequest, "unknown_shape"},
		{"bad json", http.MethodPost, "/v1/events/sendgrid", `[{`, http.StatusBadRequest, "bad_json"},
		{"too large", http.MethodPost, "/v1/events/sendgrid", "[" + strings.Repeat(" ", 70<<10) + "]", http.StatusRequestEntityTooLarge, "body_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, tt.method, ts.URL+tt.path, "application/json", tt.body)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if code := errorCode(t, r); code != tt.code {
				t.Errorf("code %q, want %q", code, tt.code)
			}
		})
	}
}

func TestEventsEndpointVerified(t *testing.T) {
	t.Setenv("TEST_WEBHOOK_AUTH", "hook:s3cret")
	v, err := webhookVerifier("", "", "", "TEST_WEBHOOK_AUTH", nil)
	if err != nil || v == nil {
		t.Fatalf("webhookVerifier: %v, %v", v, err)
	}
	ts, _ := newTestServer(t, func(c *apiConfig) { c.Verifier = v })
	body := eventPayload(t, "postmark/doc-bounce.json")
	r := postJSON(t, ts.URL+"/v1/events/postmark", body)
	if r.status != http.StatusUnauthorized || errorCode(t, r) != "missing_signature" {
		t.Fatalf("without credentials: %d %s", r.status, r.body)
	}
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/v1/events/postmark", strings.NewReader(body))
	req.SetBasicAuth("hook", "s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("with credentials: %d", resp.StatusCode)
	}
	// A provider with no key configured is refused, not explained.
	r = postJSON(t, ts.URL+"/v1/events/sendgrid", eventPayload(t, "sendgrid/doc-batch.json"))
	if r.status != http.StatusUnauthorized || errorCode(t, r) != "no_credentials" {
		t.Fatalf("unconfigured provider: %d %s", r.status, r.body)
	}
	if v, err := webhookVerifier("", "", "", "", nil); v != nil || err != nil {
		t.Errorf("no keys: %v %v", v, err)
	}
	t.Setenv("TEST_WEBHOOK_AUTH", "nocolon")
	if _, err := webhookVerifier("", "", "", "TEST_WEBHOOK_AUTH", nil); err == nil {
		t.Error("user:password without a colon accepted")
	}
}
