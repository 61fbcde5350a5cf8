package identities

import (
	"context"
	"net/url"
	"strconv"

	"github.com/sendcheck/sendcheck/sender"
)

// Resend's API reference: GET /domains?limit=&after= with a Bearer API
// key, answering {"object":"list","has_more":bool,"data":[{"id","name","status","region",...}]},
// status "not_started", "pending", "verified", "failed",
// "temporary_failure" and the partial states;
// https://resend.com/docs/api-reference/domains/list-domains
// Errors answer {"statusCode":401,"name":"...","message":"..."}; a
// sending-only key gets 401 with the name "restricted_api_key";
// https://resend.com/docs/api-reference/errors
const resendPage = 100

type resend struct{ c *client }

func newResend(secret Secret, opts *Options) (Lister, error) {
	c, err := newClient(Resend, "Resend", secret, opts, "https://api.resend.com")
	if err != nil {
		return nil, err
	}
	c.bearer()
	c.denied = func(e *APIError) bool { return e.Code == "restricted_api_key" }
	return &resend{c: c}, nil
}

func (s *resend) List(ctx context.Context) (*Result, error) {
	const op = "domains"
	r := newResult(Resend)
	after := ""
	for page := 1; ; page++ {
		if err := s.c.pages(op, page); err != nil {
			return nil, err
		}
		q := url.Values{"limit": {strconv.Itoa(resendPage)}}
		if after != "" {
			q.Set("after", after)
		}
		var resp struct {
			HasMore *bool `json:"has_more"`
			Data    *[]struct {
				ID     string `json:"id"`
				Name   string `json:"name"`
				Status string `json:"status"`
				Region string `json:"region"`
			} `json:"data"`
		}
		err := s.c.get(ctx, op, "/domains", q, &resp)
		if ok, err := s.c.readable(err); !ok {
			if err != nil {
				return nil, err
			}
			return scopeMissing(r, "This Resend key may send but not read domains (a sending-access key): use a full-access key to check senders against Resend's list."), nil
		}
		if resp.Data == nil {
			return nil, s.c.shape(op, `no "data" list`)
		}
		for _, d := range *resp.Data {
			if d.ID == "" || d.Name == "" || d.Status == "" {
				return nil, s.c.shape(op, "a domain without id, name or status")
			}
			li := sender.ListedIdentity{Identity: d.Name, Kind: sender.KindDomain, Region: d.Region, ProviderStatus: d.Status}
			switch d.Status {
			case "verified":
				li.Status = sender.StatusVerified
			case "failed", "partially_failed":
				li.Status = sender.StatusFailed
			default:
				// not_started, pending, temporary_failure,
				// partially_verified, and any new state: not known to
				// send.
				li.Status = sender.StatusPending
			}
			r.Identities = append(r.Identities, li)
		}
		more := resp.HasMore != nil && *resp.HasMore
		if !more {
			return r, nil
		}
		if len(*resp.Data) == 0 {
			return nil, s.c.shape(op, "has_more with an empty page")
		}
		after = (*resp.Data)[len(*resp.Data)-1].ID
	}
}
