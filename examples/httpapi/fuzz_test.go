package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

// fuzzHandler serves requests that never reach DNS: readiness checks get
// a resolver that answers nothing, and the fuzz targets only parse.
func fuzzHandler() http.Handler {
	return newHandler(apiConfig{Resolver: nilResolver{}, MaxBody: 4096})
}

// FuzzPostBodies posts arbitrary bodies to both POST endpoints: the answer
// is always JSON with a status the API documents.
func FuzzPostBodies(f *testing.F) {
	for _, s := range []string{
		`{"reply": "550 5.1.1 user unknown"}`,
		`{"replies": ["554 Message rejected: Email address is not verified.", "421 try later"]}`,
		`{"reply": "550 x", "replies": []}`,
		`{"host": "smtp.sendgrid.net", "username": "apikey", "verified": ["a.example"], "from": "b@a.example"}`,
		`{"host": "smtp.gmail.com", "username": "a@gmail.com", "from": "=?utf-8?q?x?= <b@gmail.com>", "envelope": "c@d"}`,
		`{"reply": "\u0000\u202e550"}`,
		`[]`, `null`, `"550"`, `{"reply": 1e400}`, `{"port": -1}`, ``,
	} {
		f.Add(s)
	}
	h := fuzzHandler()
	f.Fuzz(func(t *testing.T, body string) {
		for _, path := range []string{"/v1/explain", "/v1/sender/check"} {
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			switch rec.Code {
			case 200, 400, 413:
			default:
				t.Fatalf("%s: status %d for %q", path, rec.Code, body)
			}
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("%s: answer is not JSON: %q", path, rec.Body.String())
			}
			if rec.Code != 200 {
				var e apiError
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" {
					t.Fatalf("%s: error body %q", path, rec.Body.String())
				}
			}
		}
	})
}

// FuzzReadinessRequest sends arbitrary domains and query strings to the
// readiness endpoint and the page.
func FuzzReadinessRequest(f *testing.F) {
	for _, s := range [][2]string{
		{"example.com", "smtp_host=smtp.sendgrid.net"},
		{"xn--bcher-kva.example", "selector=s1,s2&ip=192.0.2.1&ip=2001:db8::1"},
		{"bücher.example", "provider=ses&envelope_domain=bounce.example"},
		{"a..b", "ip=999.1.1.1"},
		{"_dmarc.example.com", "selector=" + strings.Repeat("a,", 30)},
		{"", "color=blue"},
	} {
		f.Add(s[0], s[1])
	}
	h := fuzzHandler()
	f.Fuzz(func(t *testing.T, domain, query string) {
		u := "/v1/domains/" + url.PathEscape(domain) + "/readiness?" + query
		req, err := http.NewRequest(http.MethodGet, u, nil)
		if err != nil {
			return // not a URL a client could send
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 404, 502, 504:
		case 301, 307, 308:
			return // the mux cleans paths such as "//" with a redirect
		default:
			t.Fatalf("status %d for %q", rec.Code, u)
		}
		if rec.Code != 404 && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("answer is not JSON: %q", rec.Body.String())
		}
		page := "/?domain=" + url.QueryEscape(domain) + "&reply=" + url.QueryEscape(query)
		req = httptest.NewRequest(http.MethodGet, page, nil)
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 && rec.Code != 400 {
			t.Fatalf("page status %d for %q", rec.Code, page)
		}
		if strings.Contains(rec.Body.String(), "<script") {
			t.Fatalf("page for %q contains a script tag", page)
		}
	})
}

// nilResolver answers every question with NXDOMAIN, without I/O.
type nilResolver struct{}

func (nilResolver) Lookup(_ context.Context, name string, qtype uint16) (*dnscheck.Answer, error) {
	return &dnscheck.Answer{Name: name, Type: qtype, Status: dnscheck.StatusNXDomain}, nil
}
