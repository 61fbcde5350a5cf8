package identities

import (
	"context"
	"strings"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Mailjet's API reference (HTTP Basic auth with the API key and the secret
// key, which are also the SMTP user name and password):
//
//   - senders: GET /v3/REST/sender?Limit=&Offset= answering
//     {"Count":n,"Data":[{"Email","Status",...}],"Total":N}; Email is an
//     address or "*@domain"; Status "Active", "Inactive" or "Deleted";
//     https://dev.mailjet.com/email/reference/sender-addresses-and-domains/sender/
//   - DNS: GET /v3/REST/dns answering
//     {"Count":n,"Data":[{"Domain","DKIMStatus","SPFStatus",...}],"Total":N};
//     https://dev.mailjet.com/email/reference/sender-addresses-and-domains/dns/
//   - errors: {"ErrorMessage":"...","StatusCode":401};
//     https://dev.mailjet.com/email/reference/overview/errors/
//
// Limit is at most 1000.
const mailjetPage = 1000

type mailjet struct{ c *client }

func newMailjet(secret Secret, opts *Options) (Lister, error) {
	parts, ok := secret.split(2)
	if !ok {
		return nil, &ConfigError{Provider: provider.Mailjet, Msg: "the secret must be API_KEY:SECRET_KEY"}
	}
	c, err := newClient(provider.Mailjet, "Mailjet", secret, opts, "https://api.mailjet.com")
	if err != nil {
		return nil, err
	}
	c.basic(parts[0], parts[1])
	return &mailjet{c: c}, nil
}

type mjSender struct {
	Email  string `json:"Email"`
	Status string `json:"Status"`
}

type mjDNS struct {
	Domain     string `json:"Domain"`
	DKIMStatus string `json:"DKIMStatus"`
	SPFStatus  string `json:"SPFStatus"`
}

func (m *mailjet) List(ctx context.Context) (*Result, error) {
	r := newResult(provider.Mailjet)
	var senders []mjSender
	if err := m.c.offsetPages(ctx, "senders", "/v3/REST/sender", mailjetPaging, func(raw jsonRaw) (int, error) { return appendJSON(raw, &senders) }); err != nil {
		return nil, err
	}
	var dns []mjDNS
	if err := m.c.offsetPages(ctx, "DNS", "/v3/REST/dns", mailjetPaging, func(raw jsonRaw) (int, error) { return appendJSON(raw, &dns) }); err != nil {
		return nil, err
	}
	dkim := map[string]string{}
	for _, d := range dns {
		dkim[strings.ToLower(d.Domain)] = d.DKIMStatus
	}
	for _, s := range senders {
		if s.Email == "" || s.Status == "" {
			return nil, m.c.shape("senders", "a sender without Email or Status")
		}
		li := sender.ListedIdentity{Identity: s.Email, Kind: sender.KindAddress, ProviderStatus: s.Status}
		if d, ok := strings.CutPrefix(s.Email, "*@"); ok {
			li.Identity, li.Kind = d, sender.KindDomain
		}
		switch s.Status {
		case "Active":
			li.Status = sender.StatusVerified
		case "Deleted":
			continue
		default:
			li.Status = sender.StatusPending
		}
		_, domain, _ := strings.Cut(s.Email, "@")
		switch st, ok := dkim[strings.ToLower(domain)]; {
		case !ok:
		case st == "OK":
			li.DKIM = sender.StatusVerified
		case strings.EqualFold(st, "Error"):
			li.DKIM = sender.StatusFailed
		default:
			li.DKIM = sender.StatusPending
		}
		r.Identities = append(r.Identities, li)
	}
	return r, nil
}

var mailjetPaging = paging{limitKey: "Limit", offsetKey: "Offset", size: mailjetPage, totalKey: "Total", listKey: "Data"}
