package identities

import (
	"context"
	"net/url"
	"strings"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// The Gmail API reference: GET /gmail/v1/users/{userId}/settings/sendAs
// (not paged) with an OAuth access token holding a Gmail scope that reads
// settings (gmail.readonly, gmail.settings.basic or gmail.modify),
// answering {"sendAs":[{"sendAsEmail","isPrimary","verificationStatus",...}]};
// verificationStatus is "accepted" or "pending" and absent for the
// primary address;
// https://developers.google.com/gmail/api/reference/rest/v1/users.settings.sendAs/list
// Errors answer {"error":{"code":403,"message":"...","status":"PERMISSION_DENIED"}};
// a token without the scope gets 403 "insufficient authentication scopes".
type gmail struct {
	c    *client
	p    provider.ID
	user string
}

func newGmail(p provider.ID, secret Secret, opts *Options) (Lister, error) {
	c, err := newClient(p, "Gmail", secret, opts, "https://gmail.googleapis.com")
	if err != nil {
		return nil, err
	}
	c.bearer()
	c.denied = func(e *APIError) bool {
		return e.Kind == ErrorForbidden && strings.Contains(strings.ToLower(e.Message), "scope")
	}
	return &gmail{c: c, p: p, user: user(opts)}, nil
}

func (g *gmail) List(ctx context.Context) (*Result, error) {
	const op = "send-as addresses"
	r := newResult(g.p)
	var resp struct {
		SendAs *[]struct {
			Email     string `json:"sendAsEmail"`
			IsPrimary bool   `json:"isPrimary"`
			Status    string `json:"verificationStatus"`
		} `json:"sendAs"`
	}
	err := g.c.get(ctx, op, "/gmail/v1/users/"+url.PathEscape(g.user)+"/settings/sendAs", nil, &resp)
	if ok, err := g.c.readable(err); !ok {
		if err != nil {
			return nil, err
		}
		return scopeMissing(r, "This OAuth token may not read Gmail settings: grant it the gmail.settings.basic or gmail.readonly scope."), nil
	}
	if resp.SendAs == nil {
		// The reference lists the primary address always; an account
		// without any is not the documented answer.
		return nil, g.c.shape(op, `no "sendAs" list`)
	}
	for _, s := range *resp.SendAs {
		if s.Email == "" {
			return nil, g.c.shape(op, "a send-as entry without sendAsEmail")
		}
		li := sender.ListedIdentity{Identity: s.Email, Kind: sender.KindAddress, ProviderStatus: s.Status}
		switch {
		case s.IsPrimary:
			li.Status, li.ProviderStatus = sender.StatusVerified, "primary"
		case s.Status == "accepted":
			li.Status = sender.StatusVerified
		default:
			li.Status = sender.StatusPending
		}
		r.Identities = append(r.Identities, li)
	}
	return r, nil
}
