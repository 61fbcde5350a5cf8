package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

const (
	sesReply = "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: deals@promo.example"
	m365     = "554 5.2.252 SendAsDenied; ops@good.example not allowed to send as boss@good.example; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message."
)

// newTestServer serves the API over httptest, with readiness checks
// answered by a loopback DNS server holding testdata/api.zone.
func newTestServer(t *testing.T, mutate func(*apiConfig)) (*httptest.Server, *dnsauthtest.Server) {
	t.Helper()
	zone, err := os.ReadFile(filepath.Join("testdata", "api.zone"))
	if err != nil {
		t.Fatal(err)
	}
	dns := dnsauthtest.Start(t, string(zone))
	client, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{dns.Addr()}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cfg := apiConfig{Resolver: client, Timeout: 20 * time.Second}
	if mutate != nil {
		mutate(&cfg)
	}
	ts := httptest.NewServer(newHandler(cfg))
	t.Cleanup(ts.Close)
	return ts, dns
}

type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, method, u, contentType, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{resp.StatusCode, resp.Header, string(b)}
}

func postJSON(t *testing.T, u, body string) response {
	t.Helper()
	return do(t, http.MethodPost, u, "application/json", body)
}

// errorCode decodes an error body and checks its shape.
func errorCode(t *testing.T, r response) string {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q", ct)
	}
	var e apiError
	dec := json.NewDecoder(strings.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	return e.Error.Code
}

func TestExplainOne(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	r := postJSON(t, ts.URL+"/v1/explain", `{"reply": `+quote(sesReply)+`}`)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	var e map[string]any
	if err := json.Unmarshal(got["explanation"], &e); err != nil {
		t.Fatal(err)
	}
	var summary string
	if err := json.Unmarshal(got["support_summary"], &summary); err != nil || !strings.Contains(summary, "Reply:        "+sesReply) || !strings.Contains(summary, "Identifiers:  region us-east-1") {
		t.Errorf("support_summary %q (%v)", summary, err)
	}
	for _, k := range []string{"cause", "code", "enhanced", "provider", "temporary", "party", "summary", "action", "message", "confidence"} {
		if _, ok := e[k]; !ok {
			t.Errorf("explanation lacks %q: %s", k, r.body)
		}
	}
	if e["cause"] != "sender_not_verified" || e["code"] != float64(554) || e["provider"] != "ses" || e["temporary"] != false {
		t.Errorf("explanation = %v", e)
	}
	if _, ok := got["explanations"]; ok {
		t.Error("list field in a one-reply answer")
	}
}

func TestExplainList(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	r := postJSON(t, ts.URL+"/v1/explain", `{"replies": [`+quote(sesReply)+`, `+quote(m365)+`, "421 4.7.0 Try again later, closing connection."]}`)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var got struct {
		Explanations []struct {
			Cause     string `json:"cause"`
			Temporary bool   `json:"temporary"`
		} `json:"explanations"`
	}
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Explanations) != 3 || got.Explanations[0].Cause != "sender_not_verified" || got.Explanations[1].Cause != "sender_not_allowed" || !got.Explanations[2].Temporary {
		t.Errorf("explanations = %+v", got.Explanations)
	}
}

func TestExplainValidation(t *testing.T) {
	ts, _ := newTestServer(t, func(c *apiConfig) { c.MaxBody = 4096 })
	many := `{"replies": [` + strings.Repeat(`"550 x",`, maxReplies) + `"550 x"]}`
	for _, tc := range []struct {
		name        string
		contentType string
		body        string
		status      int
		code        string
	}{
		{"empty body", "application/json", "", 400, "invalid_json"},
		{"not json", "application/json", "550 user unknown", 400, "invalid_json"},
		{"wrong type", "application/json", `{"reply": 550}`, 400, "invalid_json"},
		{"unknown field", "application/json", `{"reply": "550 x", "extra": 1}`, 400, "unknown_field"},
		{"trailing data", "application/json", `{"reply": "550 x"} {"reply": "550 y"}`, 400, "invalid_json"},
		{"both", "application/json", `{"reply": "550 x", "replies": ["550 y"]}`, 400, "invalid_request"},
		{"neither", "application/json", `{}`, 400, "invalid_request"},
		{"blank reply", "application/json", `{"reply": "  "}`, 400, "invalid_request"},
		{"empty list", "application/json", `{"replies": []}`, 400, "invalid_request"},
		{"blank in list", "application/json", `{"replies": ["550 x", ""]}`, 400, "invalid_request"},
		{"too large", "application/json", `{"reply": "` + strings.Repeat("x", 5000) + `"}`, 413, "body_too_large"},
		{"form", "application/x-www-form-urlencoded", "reply=550", 415, "unsupported_media_type"},
		{"bad media type", "application/json; ===", `{"reply": "550 x"}`, 415, "unsupported_media_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, http.MethodPost, ts.URL+"/v1/explain", tc.contentType, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if code := errorCode(t, r); code != tc.code {
				t.Errorf("code %q, want %q", code, tc.code)
			}
		})
	}
	t.Run("too many under the size limit", func(t *testing.T) {
		ts, _ := newTestServer(t, nil)
		r := postJSON(t, ts.URL+"/v1/explain", many)
		if r.status != 400 || errorCode(t, r) != "invalid_request" {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
	})
	t.Run("reply over the per-reply limit", func(t *testing.T) {
		ts, _ := newTestServer(t, nil)
		r := postJSON(t, ts.URL+"/v1/explain", `{"reply": "550 `+strings.Repeat("x", maxReplyBytes)+`"}`)
		if r.status != 400 || errorCode(t, r) != "invalid_request" {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
	})
}

func TestRouting(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodGet, "/v1/explain", 405, "POST"},
		{http.MethodPut, "/v1/sender/check", 405, "POST"},
		{http.MethodPost, "/v1/domains/ready.example/readiness", 405, "GET"},
		{http.MethodGet, "/v1/nothing", 404, ""},
		{http.MethodGet, "/v1/domains/ready.example", 404, ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			r := do(t, tc.method, ts.URL+tc.path, "", "")
			if r.status != tc.status {
				t.Fatalf("status %d, want %d", r.status, tc.status)
			}
			errorCode(t, r)
			if got := r.header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow %q, want %q", got, tc.allow)
			}
		})
	}
	if r := do(t, http.MethodGet, ts.URL+"/nothing", "", ""); r.status != 404 {
		t.Errorf("GET /nothing: %d", r.status)
	}
}

func TestSenderCheck(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	for _, tc := range []struct {
		name, body, verdict, reason string
	}{
		{"verified domain", `{"host": "smtp.sendgrid.net", "username": "apikey", "verified": ["ready.example"], "from": "News <news@ready.example>"}`, "allowed", "matched_domain"},
		{"unverified", `{"host": "smtp.sendgrid.net", "port": 587, "username": "apikey", "verified": ["ready.example"], "from": "sales@broken.example"}`, "rejected", ""},
		{"m365 other mailbox", `{"host": "smtp.office365.com", "username": "ops@good.example", "from": "boss@good.example"}`, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := postJSON(t, ts.URL+"/v1/sender/check", tc.body)
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			var got map[string]any
			if err := json.Unmarshal([]byte(r.body), &got); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"verdict", "reason", "provider", "from", "matched", "suggestion"} {
				if _, ok := got[k]; !ok {
					t.Errorf("result lacks %q", k)
				}
			}
			if tc.verdict != "" && got["verdict"] != tc.verdict {
				t.Errorf("verdict %v, want %s", got["verdict"], tc.verdict)
			}
			if tc.reason != "" && got["reason"] != tc.reason {
				t.Errorf("reason %v, want %s", got["reason"], tc.reason)
			}
			if tc.verdict == "" && got["verdict"] == "allowed" {
				t.Errorf("another mailbox's address allowed: %v", got)
			}
		})
	}
	for _, tc := range []struct{ name, body string }{
		{"no host", `{"from": "a@b.example"}`},
		{"no from", `{"host": "smtp.sendgrid.net"}`},
		{"bad port", `{"host": "h", "from": "a@b.example", "port": 70000}`},
		{"verified not a list", `{"host": "h", "from": "a@b.example", "verified": "x"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := postJSON(t, ts.URL+"/v1/sender/check", tc.body)
			if r.status != 400 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			errorCode(t, r)
		})
	}
}

func TestReadiness(t *testing.T) {
	ts, dns := newTestServer(t, nil)
	r := do(t, http.MethodGet, ts.URL+"/v1/domains/ready.example/readiness?smtp_host=smtp.sendgrid.net", "", "")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var rep struct {
		Domain   string             `json:"domain"`
		Provider string             `json:"provider"`
		Findings []dnscheck.Finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(r.body), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Domain != "ready.example" || rep.Provider != "sendgrid" || len(rep.Findings) != 0 {
		t.Errorf("report = %+v", rep)
	}

	r = do(t, http.MethodGet, ts.URL+"/v1/domains/broken.example/readiness?provider=sendgrid&selector=s1,s2&ip=192.0.2.71", "", "")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if err := json.Unmarshal([]byte(r.body), &rep); err != nil {
		t.Fatal(err)
	}
	codes := map[dnscheck.Code]bool{}
	for _, f := range rep.Findings {
		codes[f.Code] = true
	}
	for _, c := range []dnscheck.Code{dnscheck.CodeSPFMissing, dnscheck.CodeDMARCMissing, dnscheck.CodeDKIMMissing} {
		if !codes[c] {
			t.Errorf("finding %s missing: %v", c, codes)
		}
	}
	if len(dns.Queries()) == 0 {
		t.Error("no DNS question reached the loopback server")
	}

	for _, tc := range []struct{ path, code string }{
		{"/v1/domains/localhost/readiness", "invalid_domain"},
		{"/v1/domains/bad..example/readiness", "invalid_domain"},
		{"/v1/domains/" + url.PathEscape("a b.example") + "/readiness", "invalid_domain"},
		{"/v1/domains/ready.example/readiness?provider=nope", "unknown_provider"},
		{"/v1/domains/ready.example/readiness?color=blue", "unknown_parameter"},
		{"/v1/domains/ready.example/readiness?ip=300.1.1.1", "invalid_ip"},
		{"/v1/domains/ready.example/readiness?selector=" + url.QueryEscape("a..b"), "invalid_selector"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := do(t, http.MethodGet, ts.URL+tc.path, "", "")
			if r.status != 400 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if code := errorCode(t, r); code != tc.code {
				t.Errorf("code %q, want %q", code, tc.code)
			}
		})
	}
}

func TestReadinessDeadline(t *testing.T) {
	ts, dns := newTestServer(t, func(c *apiConfig) { c.Timeout = 50 * time.Millisecond })
	// The DNS server answers only after the request's deadline.
	dns.SetLatency(2 * time.Second)
	r := do(t, http.MethodGet, ts.URL+"/v1/domains/ready.example/readiness", "", "")
	if r.status != http.StatusGatewayTimeout {
		t.Fatalf("status %d, want 504: %s", r.status, r.body)
	}
	if code := errorCode(t, r); code != "timeout" {
		t.Errorf("code %q", code)
	}
}

func TestPage(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	r := do(t, http.MethodGet, ts.URL+"/", "", "")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %s", r.status, r.header.Get("Content-Type"))
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	for _, want := range []string{`<form id="explain-form" method="get" action="/">`, `name="reply"`, `name="domain"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("page lacks %q", want)
		}
	}

	r = do(t, http.MethodGet, ts.URL+"/?reply="+url.QueryEscape(sesReply), "", "")
	if r.status != 200 || !strings.Contains(r.body, "<code>sender_not_verified</code>") || !strings.Contains(r.body, `id="explanation"`) {
		t.Errorf("explain page: %d\n%s", r.status, r.body)
	}
	if !strings.Contains(r.body, `<dd id="confidence">high</dd>`) {
		t.Errorf("explain page shows no confidence:\n%s", r.body)
	}
	if !strings.Contains(r.body, `<pre id="support-summary">SMTP failure report`) || !strings.Contains(r.body, "Provider:     Amazon SES") {
		t.Errorf("explain page offers no support summary:\n%s", r.body)
	}
	r = do(t, http.MethodGet, ts.URL+"/?reply="+url.QueryEscape("550 Requested action not taken"), "", "")
	if !strings.Contains(r.body, `<dd id="confidence">low: a guess`) {
		t.Errorf("explain page of a bare code does not say it guesses:\n%s", r.body)
	}

	r = do(t, http.MethodGet, ts.URL+"/?domain=broken.example&smtp_host=smtp.sendgrid.net", "", "")
	if r.status != 200 || !strings.Contains(r.body, "spf.missing") || !strings.Contains(r.body, "Readiness of broken.example for SendGrid") {
		t.Errorf("domain page: %d\n%s", r.status, r.body)
	}

	r = do(t, http.MethodGet, ts.URL+"/?domain=not_a..domain", "", "")
	if r.status != 400 || !strings.Contains(r.body, `id="error"`) {
		t.Errorf("bad domain page: %d", r.status)
	}
}

func TestPageEscapes(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	attack := `550 <script>alert(1)</script><img id="pwned" src=x onerror="alert(2)"> "quoted" & more`
	r := do(t, http.MethodGet, ts.URL+"/?reply="+url.QueryEscape(attack), "", "")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	for _, bad := range []string{"<script>alert", `<img id="pwned"`, `onerror="alert`} {
		if strings.Contains(r.body, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	if !strings.Contains(r.body, "&lt;script&gt;") {
		t.Error("the script tag is not shown escaped")
	}
	r = do(t, http.MethodGet, ts.URL+"/?domain="+url.QueryEscape(`"><script>x</script>`), "", "")
	if strings.Contains(r.body, "<script>x") {
		t.Error("domain value not escaped")
	}
}

func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var stderr strings.Builder
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-timeout", "5s"}, strings.NewReader(""), pw, &stderr)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the address: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base := strings.TrimSpace(strings.TrimPrefix(line, "httpapi: listening on "))
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("unexpected first line %q", line)
	}
	r := postJSON(t, base+"v1/explain", `{"reply": `+quote(m365)+`}`)
	if r.status != 200 || !strings.Contains(r.body, "sender_not_allowed") {
		t.Errorf("status %d: %s", r.status, r.body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
}

func TestRunUsage(t *testing.T) {
	var out, errOut strings.Builder
	for _, args := range [][]string{{"extra"}, {"-timeout", "0s"}, {"-max-body", "-1"}, {"-nope"}} {
		if code := run(context.Background(), args, strings.NewReader(""), &out, &errOut); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
