package events

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

type sink struct {
	calls   int
	records []bounce.Record
	fail    error
}

func (s *sink) deliver(_ context.Context, recs []bounce.Record) error {
	s.calls++
	if s.fail != nil {
		return s.fail
	}
	s.records = append(s.records, recs...)
	return nil
}

func post(t *testing.T, h http.Handler, body []byte, hdr http.Header) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/events", bytes.NewReader(body))
	for k, v := range hdr {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("response is not JSON: %q", rec.Body.String())
	}
	return rec, out
}

func TestHandlerSendGrid(t *testing.T) {
	k, pub := sendgridKey(t)
	key, _ := ParseSendGridKey(pub)
	s := &sink{}
	h := &Handler{Provider: SendGrid, Verifier: &Verifier{SendGridKey: key, Now: fixedNow}, Deliver: s.deliver}
	body := readPayload(t, "sendgrid/doc-batch.json")
	ts := strconv.FormatInt(testNow.Unix(), 10)
	hdr := signSendGrid(t, k, ts, body)

	// Deliver fails: 500, and the provider's retry of the same payload is
	// not refused as a replay.
	s.fail = errors.New("database down")
	rec, out := post(t, h, body, hdr)
	if rec.Code != http.StatusInternalServerError || out["code"] != "deliver_failed" {
		t.Fatalf("failing deliver: %d %v", rec.Code, out)
	}
	s.fail = nil
	rec, out = post(t, h, body, hdr)
	if rec.Code != http.StatusOK || out["records"] != float64(12) || len(s.records) != 12 {
		t.Fatalf("retry: %d %v, %d records", rec.Code, out, len(s.records))
	}
	// The same payload again is a duplicate: answered 200, not delivered.
	calls := s.calls
	rec, out = post(t, h, body, hdr)
	if rec.Code != http.StatusOK || out["duplicate"] != true || s.calls != calls {
		t.Fatalf("replay: %d %v", rec.Code, out)
	}
	// A forged one never reaches Deliver.
	forged := bytes.Replace(body, []byte("example@test.com"), []byte("victim@test.com"), 1)
	rec, out = post(t, h, forged, hdr)
	if rec.Code != http.StatusUnauthorized || out["code"] != "bad_signature" || s.calls != calls {
		t.Fatalf("forged: %d %v", rec.Code, out)
	}
}

func TestHandlerRefusesWhole(t *testing.T) {
	s := &sink{}
	h := &Handler{Unverified: true, MaxBytes: 4096, Options: &Options{MaxRecords: 5}, Deliver: s.deliver}
	many := "[" + strings.Repeat(`{"event":"open","email":"a@example.com","sg_event_id":"x","timestamp":1},`, 6)
	many = many[:len(many)-1] + "]"
	tests := []struct {
		name   string
		method string
		body   string
		status int
		code   string
	}{
		{"get", http.MethodGet, "", http.StatusMethodNotAllowed, "method_not_allowed"},
		{"too large", http.MethodPost, "[" + strings.Repeat(" ", 5000) + "]", http.StatusRequestEntityTooLarge, "too_large"},
		{"too many events", http.MethodPost, many, http.StatusRequestEntityTooLarge, "too_many_events"},
		{"unknown shape", http.MethodPost, `{"hello":"world"}`, http.StatusBadRequest, "unknown_shape"},
		{"bad json", http.MethodPost, `[{"event":`, http.StatusBadRequest, "bad_json"},
		{"one bad event", http.MethodPost, `[{"event":"open","email":"a@example.com","sg_event_id":"1"},{"event":"bounce","sg_event_id":"2"}]`, http.StatusBadRequest, "bad_event"},
		{"sns confirmation unhandled", http.MethodPost, string(readPayload(t, "ses/sns-subscription-confirmation.json")), http.StatusBadRequest, "subscription_not_handled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/events", strings.NewReader(tt.body))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			var out map[string]string
			json.Unmarshal(rec.Body.Bytes(), &out)
			if rec.Code != tt.status || out["code"] != tt.code {
				t.Fatalf("got %d %v, want %d %s", rec.Code, out, tt.status, tt.code)
			}
			if s.calls != 0 {
				t.Fatalf("Deliver called %d times", s.calls)
			}
		})
	}
}

func TestHandlerConfirmAndNoVerifier(t *testing.T) {
	var got *ConfirmationError
	h := &Handler{Unverified: true, Deliver: (&sink{}).deliver,
		Confirm: func(_ context.Context, c *ConfirmationError) error { got = c; return nil }}
	rec, _ := post(t, h, readPayload(t, "ses/sns-subscription-confirmation.json"), nil)
	if rec.Code != http.StatusOK || got == nil || !strings.HasPrefix(got.SubscribeURL, "https://sns.us-west-2.amazonaws.com/") {
		t.Fatalf("confirmation: %d %+v", rec.Code, got)
	}
	s := &sink{}
	h = &Handler{Deliver: s.deliver}
	rec, out := post(t, h, readPayload(t, "postmark/doc-bounce.json"), nil)
	if rec.Code != http.StatusUnauthorized || out["code"] != "no_credentials" || s.calls != 0 {
		t.Fatalf("no verifier: %d %v", rec.Code, out)
	}
}

func TestHandlerSNS(t *testing.T) {
	f := newSNSFixture(t)
	s := &sink{}
	h := &Handler{Provider: SES, Verifier: &Verifier{SNS: f.sns, Now: fixedNow}, Deliver: s.deliver}
	rec, out := post(t, h, f.sign(t, sesMessage(t), "2", goodCertURL, testNow, "h-1"), nil)
	if rec.Code != http.StatusOK || len(s.records) != 1 || s.records[0].Explanation.Cause != "recipient_unknown" {
		t.Fatalf("SNS: %d %v %+v", rec.Code, out, s.records)
	}
}

// TestHandlerConfirmURL: a confirmation whose SubscribeURL is off the SNS
// hosts never reaches Confirm.
func TestHandlerConfirmURL(t *testing.T) {
	called := false
	h := &Handler{Unverified: true, Deliver: (&sink{}).deliver,
		Confirm: func(context.Context, *ConfirmationError) error { called = true; return nil }}
	body := strings.Replace(string(readPayload(t, "ses/sns-subscription-confirmation.json")),
		"https://sns.us-west-2.amazonaws.com/?Action", "https://attacker.example/?Action", 1)
	rec, out := post(t, h, []byte(body), nil)
	if rec.Code != http.StatusBadRequest || out["code"] != "bad_event" || called {
		t.Fatalf("off-host SubscribeURL: %d %v, Confirm called %v", rec.Code, out, called)
	}
	for u, want := range map[string]bool{
		"https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=x": true,
		"https://sns.us-west-2.amazonaws.com.attacker.example/?Action=x":          false,
		"http://sns.us-west-2.amazonaws.com/?Action=x":                            false,
		"https://169.254.169.254/latest/meta-data":                                false,
	} {
		if got := (&ConfirmationError{SubscribeURL: u}).SubscribeURLAllowed(); got != want {
			t.Errorf("SubscribeURLAllowed(%q) = %v", u, got)
		}
	}
}
