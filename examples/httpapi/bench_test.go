package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkExplainEndpoint measures one POST /v1/explain through the whole
// handler: middleware, body limit, JSON decoding, smtperr, JSON encoding.
func BenchmarkExplainEndpoint(b *testing.B) {
	h := newHandler(apiConfig{})
	body := `{"reply": ` + quote(sesReply) + `}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/explain", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkSenderCheckEndpoint measures one POST /v1/sender/check.
func BenchmarkSenderCheckEndpoint(b *testing.B) {
	h := newHandler(apiConfig{})
	body := `{"host": "email-smtp.us-east-1.amazonaws.com", "username": "AKIAIOSFODNN7EXAMPLE", "verified": ["shop.example"], "from": "Promo <deals@promo.example>"}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/v1/sender/check", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
