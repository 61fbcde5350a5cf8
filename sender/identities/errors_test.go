package identities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/sendcheck/sendcheck/sender/provider"
)

func TestRateLimitAndServerErrors(t *testing.T) {
	const key = "re_rate"
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name       string
		status     int
		retryAfter string
		kind       ErrorKind
		wait       time.Duration
		temporary  bool
	}{
		{"429 seconds", 429, "30", ErrorRateLimited, 30 * time.Second, true},
		{"429 date", 429, now.Add(2 * time.Minute).Format(http.TimeFormat), ErrorRateLimited, 2 * time.Minute, true},
		{"429 garbage", 429, "soon", ErrorRateLimited, 0, true},
		{"429 huge", 429, "99999999999", ErrorRateLimited, 24 * time.Hour, true},
		{"503", 503, "120", ErrorServer, 2 * time.Minute, true},
		{"500", 500, "", ErrorServer, 0, true},
		{"404", 404, "", ErrorNotFound, 0, false},
		{"400", 400, "", ErrorRequest, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := double(t, nil, map[string]route{"/domains": func(w http.ResponseWriter, r *http.Request) {
				if c.retryAfter != "" {
					w.Header().Set("Retry-After", c.retryAfter)
				}
				raw(c.status, `{"statusCode":0,"name":"x","message":"try later"}`)(w, r)
			}})
			_, err := list(t, Resend, key, &Options{BaseURL: srv.URL, Now: func() time.Time { return now }})
			e := wantAPIError(t, err, c.kind, c.status)
			if e.RetryAfter != c.wait || e.Temporary != c.temporary {
				t.Errorf("RetryAfter %s temporary %v, want %s %v", e.RetryAfter, e.Temporary, c.wait, c.temporary)
			}
			if c.wait > 0 && !strings.Contains(e.Action, c.wait.String()) {
				t.Errorf("action %q does not say when to retry", e.Action)
			}
		})
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	const key = "re_slow"
	hold := make(chan struct{})
	srv := double(t, nil, map[string]route{"/domains": func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-hold:
		}
	}})
	defer close(hold)
	l, err := New(Resend, NewSecret(key), &Options{BaseURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = l.List(ctx)
	wantAPIError(t, err, ErrorTimeout, 0)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(err, DeadlineExceeded) = false for %v", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	_, err = l.List(ctx)
	wantAPIError(t, err, ErrorCanceled, 0)

	// The client's own timeout.
	l, _ = New(Resend, NewSecret(key), &Options{BaseURL: srv.URL, Client: &http.Client{Timeout: 50 * time.Millisecond}})
	_, err = l.List(context.Background())
	wantAPIError(t, err, ErrorTimeout, 0)
}

func TestNetworkError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = list(t, provider.Postmark, "pm-token", &Options{BaseURL: "http://" + addr})
	wantAPIError(t, err, ErrorNetwork, 0)
}

func TestPageBound(t *testing.T) {
	const key = "re_pages"
	_, err := list(t, Resend, key, &Options{BaseURL: resendDouble(t, key, 205).BaseURL, MaxPages: 2})
	e := wantAPIError(t, err, ErrorTooManyPages, 0)
	if !strings.Contains(e.Message, "2 pages") {
		t.Errorf("message %q", e.Message)
	}
	// A server that pages forever is stopped by the bound.
	srv := double(t, nil, map[string]route{"/domains": func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("after") + "x"
		writeJSON(w, map[string]any{"object": "list", "has_more": true, "data": []map[string]any{{"id": id, "name": "a.example", "status": "verified"}}})
	}})
	_, err = list(t, Resend, key, &Options{BaseURL: srv.URL})
	wantAPIError(t, err, ErrorTooManyPages, 0)
}

func TestBadAnswers(t *testing.T) {
	const key = "re_bad"
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the redirect was followed, with Authorization %q", r.Header.Get("Authorization"))
	}))
	defer other.Close()
	cases := []struct {
		name   string
		h      route
		status int
	}{
		{"html", raw(200, "<html><body>Welcome</body></html>"), 200},
		{"null", raw(200, "null"), 200},
		{"wrong type", raw(200, `{"data":"none","has_more":false}`), 200},
		{"no data", raw(200, `{"object":"list"}`), 200},
		{"empty body", raw(200, ""), 200},
		{"too large", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			fmt.Fprint(w, `{"data":[`)
			chunk := strings.Repeat(`{"id":"x","name":"a.example","status":"verified"},`, 1000)
			for range maxBody/len(chunk) + 1 {
				fmt.Fprint(w, chunk)
			}
		}, 200},
		{"redirect", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/domains", http.StatusFound)
		}, 302},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := double(t, nil, map[string]route{"/domains": c.h})
			_, err := list(t, Resend, key, &Options{BaseURL: srv.URL})
			wantAPIError(t, err, ErrorBadResponse, c.status)
		})
	}
}

func TestBaseURLAndConfig(t *testing.T) {
	cases := []struct {
		url string
		ok  bool
	}{
		{"https://api.example.net", true},
		{"https://api.example.net/proxy/", true},
		{"http://127.0.0.1:8080", true},
		{"http://[::1]:8080", true},
		{"http://localhost:8080", true},
		{"http://api.example.net", false},
		{"http://10.0.0.1", false},
		{"ftp://api.example.net", false},
		{"https://user:pw@api.example.net", false},
		{"https://api.example.net?x=1", false},
		{"api.example.net", false},
		{"", true},
	}
	for _, p := range Providers() {
		for _, c := range cases {
			secret := "k:s"
			_, err := New(p, NewSecret(secret), &Options{BaseURL: c.url})
			var ce *ConfigError
			if c.ok && err != nil || !c.ok && !errors.As(err, &ce) {
				t.Errorf("%s %q: err = %v, want ok=%v", p, c.url, err, c.ok)
			}
		}
		if _, err := New(p, NewSecret("  "), nil); err == nil {
			t.Errorf("%s: empty secret accepted", p)
		}
		if _, err := New(p, NewSecret("a\r\nX-Evil: 1"), nil); err == nil {
			t.Errorf("%s: secret with a line break accepted", p)
		}
	}
	if _, err := New(provider.Zoho, NewSecret("k"), nil); err == nil {
		t.Error("a provider without an identity API accepted")
	}
}

// TestSecretNeverShown: whatever a double answers, including error bodies
// and headers that echo the key, the key appears in no error text, no
// formatted value and no JSON.
func TestSecretNeverShown(t *testing.T) {
	secrets := map[provider.ID]string{
		provider.SendGrid: "SG.leak-me-0001", provider.Mailgun: "key-leak-me-0002",
		provider.Postmark: "pm-leak-me-0003", provider.Brevo: "xkeysib-leak-me-0004",
		provider.Mailjet: "mjleakkey0005:mjleaksecret0006", provider.SparkPost: "sp-leak-me-0007",
		Resend: "re_leak_me_0008", provider.Gmail: "ya29.leak-me-0009",
		provider.Microsoft365: "eyJleak.me.0010",
		provider.SES:          "AKIALEAKME0011:leakSecretAccessKey0012",
	}
	statuses := []int{200, 400, 401, 403, 404, 429, 500, 503}
	for p, key := range secrets {
		for _, status := range statuses {
			echo := func(w http.ResponseWriter, r *http.Request) {
				auth := r.Header.Get("Authorization") + " " + r.Header.Get("api-key") + " " + r.Header.Get("X-Postmark-Account-Token")
				w.Header().Set("Retry-After", key)
				w.Header().Set("x-amzn-ErrorType", "UnrecognizedClientException")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				parts := strings.SplitN(key, ":", 2)
				msg := fmt.Sprintf("bad key %s (%s) part %s auth %s", key, parts[len(parts)-1], parts[0], auth)
				if status == 200 {
					// A success that is not the documented shape.
					fmt.Fprintf(w, `{"unexpected":%q}`, msg)
					return
				}
				b, _ := json.Marshal(map[string]any{
					"message": msg, "Message": msg, "ErrorMessage": msg, "name": key, "code": key,
					"errors": []map[string]any{{"message": msg}},
					"error":  map[string]any{"code": key, "message": msg, "status": key},
				})
				w.Write(b)
			}
			srv := httptest.NewServer(http.HandlerFunc(echo))
			l, err := New(p, NewSecret(key), &Options{BaseURL: srv.URL, Region: map[provider.ID]string{provider.SES: "us-west-2"}[p]})
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			res, err := l.List(context.Background())
			srv.Close()
			var texts []string
			for e := err; e != nil; e = errors.Unwrap(e) {
				texts = append(texts, e.Error(), fmt.Sprintf("%+v %#v", e, e))
			}
			j1, _ := json.Marshal(err)
			j2, _ := json.Marshal(res)
			texts = append(texts, string(j1), string(j2), fmt.Sprintf("%+v %#v", res, l))
			if err == nil && !(res != nil && res.ScopeMissing) {
				t.Errorf("%s status %d: no error and no ScopeMissing", p, status)
			}
			for _, part := range append([]string{key}, strings.Split(key, ":")...) {
				for _, s := range texts {
					if strings.Contains(s, part) {
						t.Errorf("%s status %d: the key %q leaked in %q", p, status, part, s)
					}
				}
			}
		}
	}
}

func TestSecretFormatting(t *testing.T) {
	s := NewSecret(" hunter2 ")
	out := fmt.Sprintf("%s %v %+v %#v %q", s, s, s, s, s)
	b, _ := json.Marshal(struct{ K Secret }{s})
	if strings.Contains(out+string(b), "hunter2") || s.IsZero() || !NewSecret(" ").IsZero() {
		t.Errorf("secret shown: %s %s", out, b)
	}
}

func TestForHost(t *testing.T) {
	cases := []struct {
		host   string
		id     provider.ID
		region string
		ok     bool
	}{
		{"smtp.sendgrid.net", provider.SendGrid, "", true},
		{"email-smtp.eu-west-1.amazonaws.com:587", provider.SES, "eu-west-1", true},
		{"email-smtp-fips.us-gov-west-1.amazonaws.com", provider.SES, "us-gov-west-1", true},
		{"smtp.eu.mailgun.org", provider.Mailgun, "eu", true},
		{"SMTP.Mailgun.org.", provider.Mailgun, "", true},
		{"smtp.eu.sparkpostmail.com", provider.SparkPost, "eu", true},
		{"smtp.postmarkapp.com", provider.Postmark, "", true},
		{"smtp-relay.brevo.com", provider.Brevo, "", true},
		{"in-v3.mailjet.com", provider.Mailjet, "", true},
		{"smtp.resend.com", Resend, "", true},
		{"smtp.gmail.com", provider.Gmail, "", true},
		{"smtp.office365.com", provider.Microsoft365, "", true},
		{"smtp-mail.outlook.com", provider.Outlook, "", true},
		{"smtp.zoho.com", "", "", false},
		{"mail.example.net", "", "", false},
	}
	for _, c := range cases {
		id, region, ok := ForHost(c.host)
		if id != c.id || region != c.region || ok != c.ok {
			t.Errorf("ForHost(%q) = %q %q %v, want %q %q %v", c.host, id, region, ok, c.id, c.region, c.ok)
		}
	}
	if _, err := NewForHost("smtp.zoho.com", NewSecret("k"), nil); err == nil {
		t.Error("NewForHost accepted a host without an identity API")
	}
}
