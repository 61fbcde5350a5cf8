package identities

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// route answers one API path. The answers below follow the shapes in each
// provider's API reference, cited in the provider's file.
type route func(w http.ResponseWriter, r *http.Request)

// double starts a loopback server answering routes by path; want checks
// the credentials of every request.
func double(t *testing.T, auth func(r *http.Request) bool, routes map[string]route) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if auth != nil && !auth(r) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"message":"bad credentials in the double"}`)
			return
		}
		h, ok := routes[r.URL.Path]
		if !ok {
			t.Errorf("unexpected request %s %s", r.Method, r.URL)
			w.WriteHeader(http.StatusNotFound)
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func raw(status int, body string) route {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

// window returns items[off:off+lim] of a list paged by limit and offset.
func window[T any](items []T, r *http.Request, limKey, offKey string) []T {
	lim, _ := strconv.Atoi(r.URL.Query().Get(limKey))
	off, _ := strconv.Atoi(r.URL.Query().Get(offKey))
	if lim <= 0 {
		lim = len(items)
	}
	if off > len(items) {
		off = len(items)
	}
	end := min(off+lim, len(items))
	return append([]T{}, items[off:end]...)
}

func bearer(key string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer "+key }
}

func hdr(name, key string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Header.Get(name) == key }
}

func basicAuth(user, pass string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		u, p, ok := r.BasicAuth()
		return ok && u == user && p == pass
	}
}

// brief renders identities as "identity kind status [dkim] [rp]" lines.
func brief(res *Result) string {
	var b strings.Builder
	for _, li := range res.Identities {
		fmt.Fprintf(&b, "%s %s %s", li.Identity, li.Kind, li.Status)
		if li.DKIM != "" {
			fmt.Fprintf(&b, " dkim=%s", li.DKIM)
		}
		if li.ReturnPath != "" {
			fmt.Fprintf(&b, " rp=%s", li.ReturnPath)
		}
		if li.Region != "" {
			fmt.Fprintf(&b, " region=%s", li.Region)
		}
		b.WriteString("\n")
	}
	return b.String()
}
