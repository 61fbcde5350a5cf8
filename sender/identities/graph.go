package identities

import (
	"context"
	"net/url"
	"strings"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Microsoft Graph's reference: GET /v1.0/me (or /v1.0/users/{id}) with
// $select=mail,proxyAddresses and an OAuth access token with User.Read,
// answering {"mail":"...","proxyAddresses":["SMTP:primary@...","smtp:alias@...",...]};
// "SMTP:" marks the primary address, "smtp:" an alias, other prefixes are
// not mail addresses;
// https://learn.microsoft.com/en-us/graph/api/user-get and
// https://learn.microsoft.com/en-us/graph/api/resources/user (proxyAddresses).
// Errors answer {"error":{"code":"InvalidAuthenticationToken","message":"..."}};
// https://learn.microsoft.com/en-us/graph/errors
//
// Graph does not expose Send As or Send on Behalf rights on other
// mailboxes (they live in Exchange Online's recipient permissions), so the
// list holds the mailbox's own addresses only, and says so.
const graphNote = "Microsoft Graph lists only the mailbox's own addresses; Send As and Send on Behalf rights on other mailboxes are not exposed there, so an address outside this list may still be allowed (an Exchange administrator can tell with Get-RecipientPermission)."

type graph struct {
	c    *client
	p    provider.ID
	user string
}

func newGraph(p provider.ID, secret Secret, opts *Options) (Lister, error) {
	c, err := newClient(p, "Microsoft Graph", secret, opts, "https://graph.microsoft.com")
	if err != nil {
		return nil, err
	}
	c.bearer()
	c.denied = func(e *APIError) bool { return e.Kind == ErrorForbidden }
	return &graph{c: c, p: p, user: user(opts)}, nil
}

func (g *graph) List(ctx context.Context) (*Result, error) {
	const op = "mailbox addresses"
	r := newResult(g.p)
	path := "/v1.0/me"
	if g.user != "me" {
		path = "/v1.0/users/" + url.PathEscape(g.user)
	}
	var resp struct {
		Mail           *string   `json:"mail"`
		ProxyAddresses *[]string `json:"proxyAddresses"`
	}
	err := g.c.get(ctx, op, path, url.Values{"$select": {"mail,proxyAddresses"}}, &resp)
	if ok, err := g.c.readable(err); !ok {
		if err != nil {
			return nil, err
		}
		return scopeMissing(r, "This token may not read the mailbox's user profile: grant it User.Read (or User.Read.All for another user)."), nil
	}
	if resp.ProxyAddresses == nil {
		return nil, g.c.shape(op, `no "proxyAddresses"`)
	}
	seen := map[string]bool{}
	add := func(a string) {
		if a == "" || seen[strings.ToLower(a)] {
			return
		}
		seen[strings.ToLower(a)] = true
		r.Identities = append(r.Identities, sender.ListedIdentity{Identity: a, Kind: sender.KindAddress, Status: sender.StatusVerified, ProviderStatus: "mailbox address"})
	}
	// The primary address first, then the aliases.
	for _, pa := range *resp.ProxyAddresses {
		if a, ok := strings.CutPrefix(pa, "SMTP:"); ok {
			add(a)
		}
	}
	if resp.Mail != nil {
		add(*resp.Mail)
	}
	for _, pa := range *resp.ProxyAddresses {
		if a, ok := strings.CutPrefix(pa, "smtp:"); ok {
			add(a)
		}
	}
	r.Notes = append(r.Notes, graphNote)
	r.Incomplete = true
	return r, nil
}
