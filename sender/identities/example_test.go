package identities_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/identities"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// A stand-in for SendGrid's API, answering as its reference documents.
func sendGridStandIn() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v3/verified_senders":
			fmt.Fprint(w, `{"results":[{"id":7,"from_email":"news@shop.example","verified":true,"locked":false}]}`)
		case "/v3/whitelabel/domains":
			fmt.Fprint(w, `[{"id":1,"domain":"promo.example","valid":false,"dns":{"dkim1":{"valid":false}}}]`)
		}
	}))
}

// List the identities of a SendGrid account; the SMTP password of SendGrid
// is the API key. BaseURL points at a stand-in here; leave it empty for
// SendGrid itself.
func ExampleNew() {
	srv := sendGridStandIn()
	defer srv.Close()

	l, err := identities.New(provider.SendGrid, identities.NewSecret("SG.example-key"), &identities.Options{BaseURL: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := l.List(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, id := range res.Identities {
		fmt.Println(id.Identity, id.Kind, id.Status)
	}
	// Output:
	// news@shop.example address verified
	// promo.example domain pending
}

// Judge a From against the provider's own list.
func ExampleNewForHost() {
	srv := sendGridStandIn()
	defer srv.Close()

	const host = "smtp.sendgrid.net"
	l, err := identities.NewForHost(host, identities.NewSecret("SG.example-key"), &identities.Options{BaseURL: srv.URL})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := l.List(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := sender.Config{Host: host, Username: "apikey", Listed: &res.IdentityList}
	for _, from := range []string{"news@shop.example", "deals@promo.example"} {
		r := sender.Check(cfg, from, "")
		fmt.Println(from, r.Verdict, r.Reason, r.IdentitySource)
	}
	// Output:
	// news@shop.example allowed matched_address provider_api
	// deals@promo.example rejected not_verified provider_api
}

// Errors explain themselves like SMTP replies.
func ExampleAPIError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"statusCode":429,"name":"rate_limit_exceeded","message":"Too many requests."}`)
	}))
	defer srv.Close()

	l, _ := identities.New(identities.Resend, identities.NewSecret("re_example"), &identities.Options{BaseURL: srv.URL})
	_, err := l.List(context.Background())
	var e *identities.APIError
	if errors.As(err, &e) {
		fmt.Println(e.Kind, e.StatusCode, e.RetryAfter, e.Temporary)
		fmt.Println(e.Summary)
		fmt.Println(e.Action)
	}
	// Output:
	// rate_limited 429 30s true
	// Resend is limiting the rate of API calls from this key.
	// Wait and try again after 30s; cache the list instead of reading it for every message.
}
