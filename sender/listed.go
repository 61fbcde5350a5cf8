package sender

import (
	"strings"

	"github.com/sendcheck/sendcheck/sender/provider"
)

// IdentitySource says where the identities a [Check] judged against came
// from.
type IdentitySource string

// Identity sources.
const (
	// SourceProviderAPI: the provider's own API listed them
	// ([Config.Listed]); the verdict rests on the provider's truth.
	SourceProviderAPI IdentitySource = "provider_api"
	// SourceCaller: the caller typed or stored them ([Config.Verified]).
	SourceCaller IdentitySource = "caller"
	// SourceNone: no list was given; only the SMTP account implies an
	// identity.
	SourceNone IdentitySource = "none"
)

// IdentityKind tells an address identity from a domain identity.
type IdentityKind string

// Identity kinds.
const (
	KindAddress IdentityKind = "address" // one mailbox address
	KindDomain  IdentityKind = "domain"  // every address at a domain
)

// IdentityStatus is the state of an identity, or of one of its DNS
// checks, at the provider.
type IdentityStatus string

// Identity statuses.
const (
	// StatusVerified: the provider sends from it (or the DNS check passed).
	StatusVerified IdentityStatus = "verified"
	// StatusPending: verification started and has not finished (the link
	// not clicked, the DNS records not yet seen, or not started at all).
	StatusPending IdentityStatus = "pending"
	// StatusFailed: verification failed, or the provider disabled it.
	StatusFailed IdentityStatus = "failed"
)

// ListedIdentity is one identity as a provider's API lists it.
type ListedIdentity struct {
	// Identity is the address or domain, as the provider spells it.
	Identity string `json:"identity"`
	// Kind is address or domain.
	Kind IdentityKind `json:"kind"`
	// Status is verified, pending or failed.
	Status IdentityStatus `json:"status"`
	// DKIM is the state of the identity's DKIM records, when the provider
	// reports it.
	DKIM IdentityStatus `json:"dkim,omitempty"`
	// ReturnPath is the state of its custom return-path (MAIL FROM)
	// domain, when the provider reports it.
	ReturnPath IdentityStatus `json:"return_path,omitempty"`
	// Region is where the identity lives, for providers whose identities
	// are per region (Amazon SES, Mailgun, Resend).
	Region string `json:"region,omitempty"`
	// ProviderStatus is the provider's own word for the status, for
	// people who compare with the provider's console.
	ProviderStatus string `json:"provider_status,omitempty"`
}

// IdentityList is the set of sender identities of one account, read from
// the provider (the package sender/identities fetches them).
type IdentityList struct {
	// Provider is the provider that listed them.
	Provider provider.ID `json:"provider"`
	// Source is where the list came from; [SourceProviderAPI] for a list
	// the provider returned whole.
	Source IdentitySource `json:"source"`
	// Identities are the identities, in the provider's order.
	Identities []ListedIdentity `json:"identities"`
	// Sandbox reports an account that may send only to verified
	// recipients (Amazon SES's sandbox).
	Sandbox bool `json:"sandbox,omitempty"`
	// Incomplete reports a list that may leave out identities the account
	// can send as (Microsoft Graph does not expose Send As rights): a From
	// outside it is unknown, not refused.
	Incomplete bool `json:"incomplete,omitempty"`
	// Notes are what the provider's API does not tell, in sentences
	// (for example that Send As rights are not exposed).
	Notes []string `json:"notes,omitempty"`
}

// fromProvider reports whether l is a complete list from the provider.
func (l *IdentityList) fromProvider() bool {
	return l != nil && l.Source == SourceProviderAPI
}

// sameProvider reports whether a list from a belongs to the account of
// an SMTP host of b (Gmail and Google Workspace share the Gmail API,
// Microsoft 365 and Outlook.com share Microsoft Graph).
func sameProvider(a, b provider.ID) bool {
	family := func(id provider.ID) provider.ID {
		switch id {
		case provider.GoogleWorkspace:
			return provider.Gmail
		case provider.Outlook:
			return provider.Microsoft365
		}
		return id
	}
	return a == "" || family(a) == family(b)
}

// listed adds the verified identities of cfg.Listed to the checker and
// keeps the others aside to explain a mismatch.
func (c *checker) listed() {
	l := c.cfg.Listed
	for _, li := range l.Identities {
		s := strings.TrimSpace(li.Identity)
		if s == "" {
			continue
		}
		if li.Kind == KindDomain && !strings.HasPrefix(s, "@") && !strings.HasPrefix(s, "*@") {
			s = "@" + s
		}
		id, written, err := parseIdentity(s)
		if err != nil {
			c.r.warn(WarnInvalidIdentity, "identity %q listed by %s ignored: %s", li.Identity, c.prof.Name, strings.TrimPrefix(err.Error(), "sender: "))
			continue
		}
		if li.Status != StatusVerified {
			c.unready = append(c.unready, listedIdentity{identity: identity{Identity: id, written: written}, status: li.Status})
			continue
		}
		c.ids = append(c.ids, identity{Identity: id, written: written})
	}
}

// listedIdentity is a listed identity that is not verified.
type listedIdentity struct {
	identity
	status IdentityStatus
}

// unreadyMatch warns when a is one of the listed identities that are not
// verified yet: that is why it is refused.
func (c *checker) unreadyMatch(a *Address) {
	for _, u := range c.unready {
		if c.prof.match(a, u.Identity).ok {
			c.r.warn(WarnIdentityNotReady, "%s lists %s, but its verification status is %s: it sends only once it is verified", c.prof.Name, u.String(), u.status)
			return
		}
	}
}

// incompleteList turns a refusal into unknown when the provider's list
// may leave out identities the account can send as.
func (c *checker) incompleteList() {
	l, r := c.cfg.Listed, c.r
	if !l.fromProvider() || !l.Incomplete || (r.Verdict != VerdictRejected && r.Verdict != VerdictRewritten) {
		return
	}
	r.Verdict = VerdictUnknown
	r.Detail += " " + c.prof.Name + "'s list of identities is incomplete (rights to send as other mailboxes are not in it), so this may still be allowed."
}
