package identities

import (
	"context"
	"fmt"
	"strings"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Brevo's API reference (the API key in the "api-key" header):
//
//   - senders: GET /v3/senders answering {"senders":[{"id","name","email","active"}]};
//     https://developers.brevo.com/reference/get-senders
//   - domains: GET /v3/senders/domains answering
//     {"domains":[{"id","domain_name","authenticated","verified"}]};
//     https://developers.brevo.com/reference/get-domains
//   - errors: {"code":"unauthorized","message":"Key not found"};
//     https://developers.brevo.com/docs/how-it-works#error-codes
//
// Neither list is paged. Brevo's SMTP keys (xsmtpsib-...) cannot call the
// API; only API keys (xkeysib-...) can.
type brevo struct{ c *client }

func newBrevo(secret Secret, opts *Options) (Lister, error) {
	if strings.HasPrefix(secret.v, "xsmtpsib-") {
		return nil, &ConfigError{Provider: provider.Brevo, Msg: "this is a Brevo SMTP key, which cannot call the API: create an API key (xkeysib-...) under SMTP & API"}
	}
	c, err := newClient(provider.Brevo, "Brevo", secret, opts, "https://api.brevo.com")
	if err != nil {
		return nil, err
	}
	c.header("api-key")
	return &brevo{c: c}, nil
}

func (b *brevo) List(ctx context.Context) (*Result, error) {
	r := newResult(provider.Brevo)
	var senders struct {
		Senders *[]struct {
			Email  string `json:"email"`
			Active *bool  `json:"active"`
		} `json:"senders"`
	}
	if err := b.c.get(ctx, "senders", "/v3/senders", nil, &senders); err != nil {
		return nil, err
	}
	if senders.Senders == nil {
		return nil, b.c.shape("senders", `no "senders" list`)
	}
	var domains struct {
		Domains *[]struct {
			Name          string `json:"domain_name"`
			Authenticated bool   `json:"authenticated"`
			Verified      *bool  `json:"verified"`
		} `json:"domains"`
	}
	if err := b.c.get(ctx, "domains", "/v3/senders/domains", nil, &domains); err != nil {
		return nil, err
	}
	if domains.Domains == nil {
		return nil, b.c.shape("domains", `no "domains" list`)
	}
	for _, s := range *senders.Senders {
		if s.Email == "" || s.Active == nil {
			return nil, b.c.shape("senders", "a sender without email or active")
		}
		li := sender.ListedIdentity{Identity: s.Email, Kind: sender.KindAddress, Status: sender.StatusPending, ProviderStatus: "inactive"}
		if *s.Active {
			li.Status, li.ProviderStatus = sender.StatusVerified, "active"
		}
		r.Identities = append(r.Identities, li)
	}
	for _, d := range *domains.Domains {
		if d.Name == "" || d.Verified == nil {
			return nil, b.c.shape("domains", "a domain without domain_name or verified")
		}
		li := sender.ListedIdentity{Identity: d.Name, Kind: sender.KindDomain, Status: sender.StatusPending, DKIM: sender.StatusPending}
		if *d.Verified {
			li.Status = sender.StatusVerified
		}
		if d.Authenticated {
			li.DKIM = sender.StatusVerified
		}
		li.ProviderStatus = fmt.Sprintf("verified=%t authenticated=%t", *d.Verified, d.Authenticated)
		r.Identities = append(r.Identities, li)
	}
	return r, nil
}
