package identities

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Mailgun's API reference: GET /v4/domains, paged with limit and skip,
// answering {"total_count":N,"items":[{"name","state","type",...}]}, state
// "active", "unverified" or "disabled", type "custom" or "sandbox"; US
// host api.mailgun.net, EU host api.eu.mailgun.net; HTTP Basic auth with
// the user "api" and the API key;
// https://documentation.mailgun.com/docs/mailgun/api-reference/send/mailgun/domains/get-v4-domains
// Errors answer {"message":"..."} (401 "Invalid private key").
const mailgunPage = 1000

type mailgun struct {
	c      *client
	region string
}

func newMailgun(secret Secret, opts *Options) (Lister, error) {
	reg := region(opts, "us")
	def := "https://api.mailgun.net"
	switch reg {
	case "us":
	case "eu":
		def = "https://api.eu.mailgun.net"
	default:
		return nil, &ConfigError{Provider: provider.Mailgun, Msg: fmt.Sprintf("region %q: Mailgun has the regions us and eu", reg)}
	}
	c, err := newClient(provider.Mailgun, "Mailgun", secret, opts, def)
	if err != nil {
		return nil, err
	}
	c.basic("api", secret.v)
	return &mailgun{c: c, region: reg}, nil
}

type mgDomain struct {
	Name       string `json:"name"`
	State      string `json:"state"`
	Type       string `json:"type"`
	IsDisabled bool   `json:"is_disabled"`
}

func (m *mailgun) List(ctx context.Context) (*Result, error) {
	const op = "domains"
	r := newResult(provider.Mailgun)
	r.Region = m.region
	for page := 1; ; page++ {
		if err := m.c.pages(op, page); err != nil {
			return nil, err
		}
		q := url.Values{"limit": {strconv.Itoa(mailgunPage)}, "skip": {strconv.Itoa((page - 1) * mailgunPage)}}
		var resp struct {
			Total *int        `json:"total_count"`
			Items *[]mgDomain `json:"items"`
		}
		if err := m.c.get(ctx, op, "/v4/domains", q, &resp); err != nil {
			return nil, err
		}
		if resp.Items == nil || resp.Total == nil {
			return nil, m.c.shape(op, `no "items" or "total_count"`)
		}
		for _, d := range *resp.Items {
			if d.Name == "" {
				return nil, m.c.shape(op, "a domain without a name")
			}
			li := sender.ListedIdentity{Identity: d.Name, Kind: sender.KindDomain, Region: m.region, ProviderStatus: d.State}
			switch {
			case d.IsDisabled || d.State == "disabled":
				li.Status = sender.StatusFailed
			case d.State == "active":
				li.Status = sender.StatusVerified
			default:
				li.Status = sender.StatusPending
			}
			if d.Type == "sandbox" {
				r.Notes = append(r.Notes, fmt.Sprintf("%s is a Mailgun sandbox domain: it sends only to authorized recipients.", d.Name))
			}
			r.Identities = append(r.Identities, li)
		}
		switch {
		case len(r.Identities) >= *resp.Total:
			return r, nil
		case len(*resp.Items) < mailgunPage:
			return nil, m.c.shape(op, "the pages end before total_count domains")
		}
	}
}
