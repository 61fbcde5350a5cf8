package identities

import (
	"context"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Postmark's API reference (account token in X-Postmark-Account-Token):
//
//   - sender signatures: GET /senders?count=&offset= answering
//     {"TotalCount":N,"SenderSignatures":[{"EmailAddress","Domain","Confirmed",...}]};
//     https://postmarkapp.com/developer/api/signatures-api
//   - domains: GET /domains?count=&offset= answering
//     {"TotalCount":N,"Domains":[{"Name","DKIMVerified","ReturnPathDomainVerified",...}]};
//     https://postmarkapp.com/developer/api/domains-api
//   - errors: {"ErrorCode":10,"Message":"..."} with 401 or 422;
//     https://postmarkapp.com/developer/api/overview#error-codes
//
// count is at most 500.
const postmarkPage = 500

type postmark struct{ c *client }

func newPostmark(secret Secret, opts *Options) (Lister, error) {
	c, err := newClient(provider.Postmark, "Postmark", secret, opts, "https://api.postmarkapp.com")
	if err != nil {
		return nil, err
	}
	c.header("X-Postmark-Account-Token")
	return &postmark{c: c}, nil
}

func (p *postmark) List(ctx context.Context) (*Result, error) {
	r := newResult(provider.Postmark)
	type signature struct {
		EmailAddress string `json:"EmailAddress"`
		Confirmed    *bool  `json:"Confirmed"`
	}
	type domain struct {
		Name                     string `json:"Name"`
		DKIMVerified             *bool  `json:"DKIMVerified"`
		ReturnPathDomainVerified bool   `json:"ReturnPathDomainVerified"`
	}
	var sigs []signature
	if err := p.c.offsetPages(ctx, "sender signatures", "/senders", postmarkPaging("SenderSignatures"), func(raw jsonRaw) (int, error) {
		return appendJSON(raw, &sigs)
	}); err != nil {
		return nil, err
	}
	var doms []domain
	if err := p.c.offsetPages(ctx, "domains", "/domains", postmarkPaging("Domains"), func(raw jsonRaw) (int, error) {
		return appendJSON(raw, &doms)
	}); err != nil {
		return nil, err
	}
	for _, s := range sigs {
		if s.EmailAddress == "" || s.Confirmed == nil {
			return nil, p.c.shape("sender signatures", "a signature without EmailAddress or Confirmed")
		}
		li := sender.ListedIdentity{Identity: s.EmailAddress, Kind: sender.KindAddress, Status: sender.StatusPending, ProviderStatus: "unconfirmed"}
		if *s.Confirmed {
			li.Status, li.ProviderStatus = sender.StatusVerified, "confirmed"
		}
		r.Identities = append(r.Identities, li)
	}
	for _, d := range doms {
		if d.Name == "" || d.DKIMVerified == nil {
			return nil, p.c.shape("domains", "a domain without Name or DKIMVerified")
		}
		// A domain sends once its DKIM record is verified.
		li := sender.ListedIdentity{Identity: d.Name, Kind: sender.KindDomain, Status: sender.StatusPending, DKIM: sender.StatusPending, ReturnPath: sender.StatusPending, ProviderStatus: "DKIM not verified"}
		if *d.DKIMVerified {
			li.Status, li.DKIM, li.ProviderStatus = sender.StatusVerified, sender.StatusVerified, "DKIM verified"
		}
		if d.ReturnPathDomainVerified {
			li.ReturnPath = sender.StatusVerified
		}
		r.Identities = append(r.Identities, li)
	}
	return r, nil
}

func postmarkPaging(list string) paging {
	return paging{limitKey: "count", offsetKey: "offset", size: postmarkPage, totalKey: "TotalCount", listKey: list}
}
