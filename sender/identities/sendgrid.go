package identities

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// SendGrid's API reference:
//
//   - verified senders: GET /v3/verified_senders, paged with limit and
//     lastSeenID; https://www.twilio.com/docs/sendgrid/api-reference/sender-verification/get-all-verified-senders
//   - authenticated domains: GET /v3/whitelabel/domains, paged with limit
//     and offset; https://www.twilio.com/docs/sendgrid/api-reference/domain-authentication/list-all-authenticated-domains
//   - errors: {"errors":[{"field":null,"message":"..."}]}; 401 for a bad
//     key, 403 "access forbidden" for a key without the scope;
//     https://www.twilio.com/docs/sendgrid/api-reference/how-to-use-the-sendgrid-v3-api/responses
//
// The SMTP password of SendGrid is an API key ("apikey" is the user
// name), so a key with the scopes verified_senders.read... and
// whitelabel.read suffices; a "Mail Send" restricted key gets 403.
const sendGridPage = 100

type sendGrid struct{ c *client }

func newSendGrid(secret Secret, opts *Options) (Lister, error) {
	def := "https://api.sendgrid.com"
	if region(opts, "") == "eu" {
		def = "https://api.eu.sendgrid.com"
	}
	c, err := newClient(provider.SendGrid, "SendGrid", secret, opts, def)
	if err != nil {
		return nil, err
	}
	c.bearer()
	c.denied = func(e *APIError) bool { return e.Kind == ErrorForbidden }
	return &sendGrid{c: c}, nil
}

type sgSender struct {
	ID        int64  `json:"id"`
	FromEmail string `json:"from_email"`
	Verified  *bool  `json:"verified"`
	Locked    bool   `json:"locked"`
}

type sgDomain struct {
	ID        int64  `json:"id"`
	Domain    string `json:"domain"`
	Subdomain string `json:"subdomain"`
	Valid     *bool  `json:"valid"`
	DNS       map[string]struct {
		Valid bool   `json:"valid"`
		Host  string `json:"host"`
	} `json:"dns"`
}

func (s *sendGrid) List(ctx context.Context) (*Result, error) {
	r := newResult(provider.SendGrid)
	senders, err := s.senders(ctx)
	if ok, err := s.c.readable(err); !ok {
		if err != nil {
			return nil, err
		}
		return scopeMissing(r, "This SendGrid key may send but not read verified senders: give it the read scope for Sender Verification (and Domain Authentication) to check senders against SendGrid's list."), nil
	}
	domains, err := s.domains(ctx)
	if ok, err := s.c.readable(err); !ok {
		if err != nil {
			return nil, err
		}
		return scopeMissing(r, "This SendGrid key may read verified senders but not authenticated domains: give it the read scope for Domain Authentication."), nil
	}
	for _, x := range senders {
		li := sender.ListedIdentity{Identity: x.FromEmail, Kind: sender.KindAddress, Status: sender.StatusPending, ProviderStatus: "unverified"}
		if *x.Verified {
			li.Status, li.ProviderStatus = sender.StatusVerified, "verified"
		}
		if x.Locked {
			li.Status, li.ProviderStatus = sender.StatusFailed, "locked"
		}
		r.Identities = append(r.Identities, li)
	}
	for _, d := range domains {
		li := sender.ListedIdentity{Identity: d.Domain, Kind: sender.KindDomain, Status: sender.StatusPending, ProviderStatus: "not validated"}
		if *d.Valid {
			li.Status, li.ProviderStatus = sender.StatusVerified, "valid"
		}
		li.DKIM = sgRecords(d, "dkim")
		li.ReturnPath = sgRecords(d, "mail_cname", "mail_server", "subdomain_spf")
		r.Identities = append(r.Identities, li)
	}
	return r, nil
}

// sgRecords is the status of the DNS records whose keys start with one of
// the prefixes: verified when all are valid, pending otherwise, "" when
// there are none.
func sgRecords(d sgDomain, prefixes ...string) sender.IdentityStatus {
	var st sender.IdentityStatus
	for k, rec := range d.DNS {
		for _, p := range prefixes {
			if !strings.HasPrefix(k, p) {
				continue
			}
			if !rec.Valid {
				return sender.StatusPending
			}
			st = sender.StatusVerified
		}
	}
	return st
}

func (s *sendGrid) senders(ctx context.Context) ([]sgSender, error) {
	const op = "verified senders"
	var all []sgSender
	last := int64(-1)
	for page := 1; ; page++ {
		if err := s.c.pages(op, page); err != nil {
			return nil, err
		}
		q := url.Values{"limit": {strconv.Itoa(sendGridPage)}}
		if last >= 0 {
			q.Set("lastSeenID", strconv.FormatInt(last, 10))
		}
		var resp struct {
			Results *[]sgSender `json:"results"`
		}
		if err := s.c.get(ctx, op, "/v3/verified_senders", q, &resp); err != nil {
			return nil, err
		}
		if resp.Results == nil {
			return nil, s.c.shape(op, `no "results" list`)
		}
		for _, x := range *resp.Results {
			if x.FromEmail == "" || x.Verified == nil {
				return nil, s.c.shape(op, "a sender without from_email or verified")
			}
			if x.ID <= last {
				return nil, s.c.shape(op, "sender IDs do not increase from page to page")
			}
		}
		all = append(all, *resp.Results...)
		if len(*resp.Results) < sendGridPage {
			return all, nil
		}
		last = (*resp.Results)[len(*resp.Results)-1].ID
	}
}

func (s *sendGrid) domains(ctx context.Context) ([]sgDomain, error) {
	const op = "authenticated domains"
	var all []sgDomain
	for page := 1; ; page++ {
		if err := s.c.pages(op, page); err != nil {
			return nil, err
		}
		q := url.Values{"limit": {strconv.Itoa(sendGridPage)}, "offset": {strconv.Itoa((page - 1) * sendGridPage)}}
		var resp *[]sgDomain
		if err := s.c.get(ctx, op, "/v3/whitelabel/domains", q, &resp); err != nil {
			return nil, err
		}
		if resp == nil {
			return nil, s.c.shape(op, "no list of domains")
		}
		for _, d := range *resp {
			if d.Domain == "" || d.Valid == nil {
				return nil, s.c.shape(op, "a domain without domain or valid")
			}
		}
		all = append(all, *resp...)
		if len(*resp) < sendGridPage {
			return all, nil
		}
	}
}
