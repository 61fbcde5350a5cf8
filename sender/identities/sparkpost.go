package identities

import (
	"context"
	"fmt"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// SparkPost's API reference: GET /api/v1/sending-domains (not paged) with
// the API key as the Authorization header, answering
// {"results":[{"domain","status":{"ownership_verified","dkim_status","cname_status","compliance_status",...}}]};
// US host api.sparkpost.com, EU host api.eu.sparkpost.com;
// https://developers.sparkpost.com/api/sending-domains/#sending-domains-get-list-all-sending-domains
// Errors answer {"errors":[{"message":"...","description":"...","code":"1000"}]};
// a key without the "Sending Domains: Read-only" permission gets 403.
type sparkPost struct {
	c      *client
	region string
}

func newSparkPost(secret Secret, opts *Options) (Lister, error) {
	reg := region(opts, "us")
	def := "https://api.sparkpost.com"
	switch reg {
	case "us":
	case "eu":
		def = "https://api.eu.sparkpost.com"
	default:
		return nil, &ConfigError{Provider: provider.SparkPost, Msg: fmt.Sprintf("region %q: SparkPost has the regions us and eu", reg)}
	}
	c, err := newClient(provider.SparkPost, "SparkPost", secret, opts, def)
	if err != nil {
		return nil, err
	}
	c.header("Authorization")
	c.denied = func(e *APIError) bool { return e.Kind == ErrorForbidden }
	return &sparkPost{c: c, region: reg}, nil
}

func (s *sparkPost) List(ctx context.Context) (*Result, error) {
	const op = "sending domains"
	r := newResult(provider.SparkPost)
	r.Region = s.region
	var resp struct {
		Results *[]struct {
			Domain string `json:"domain"`
			Status *struct {
				Ownership  bool   `json:"ownership_verified"`
				DKIM       string `json:"dkim_status"`
				CNAME      string `json:"cname_status"`
				Compliance string `json:"compliance_status"`
			} `json:"status"`
		} `json:"results"`
	}
	err := s.c.get(ctx, op, "/api/v1/sending-domains", nil, &resp)
	if ok, err := s.c.readable(err); !ok {
		if err != nil {
			return nil, err
		}
		return scopeMissing(r, `This SparkPost key may not read sending domains: give it the "Sending Domains: Read-only" permission.`), nil
	}
	if resp.Results == nil {
		return nil, s.c.shape(op, `no "results" list`)
	}
	for _, d := range *resp.Results {
		if d.Domain == "" || d.Status == nil {
			return nil, s.c.shape(op, "a domain without domain or status")
		}
		st := d.Status
		li := sender.ListedIdentity{Identity: d.Domain, Kind: sender.KindDomain, Region: s.region,
			DKIM: sparkPostStatus(st.DKIM), ReturnPath: sparkPostStatus(st.CNAME),
			ProviderStatus: fmt.Sprintf("ownership_verified=%t compliance_status=%s", st.Ownership, st.Compliance)}
		switch {
		case st.Compliance == "blocked":
			li.Status = sender.StatusFailed
		case st.Ownership && st.Compliance == "valid":
			li.Status = sender.StatusVerified
		default:
			li.Status = sender.StatusPending
		}
		r.Identities = append(r.Identities, li)
	}
	return r, nil
}

// sparkPostStatus maps a SparkPost DNS check status (valid, invalid,
// unverified, pending) to an identity status.
func sparkPostStatus(s string) sender.IdentityStatus {
	switch s {
	case "valid":
		return sender.StatusVerified
	case "invalid":
		return sender.StatusFailed
	case "":
		return ""
	}
	return sender.StatusPending
}
