package sender

import (
	"errors"
	"strings"
)

// Identity is a sender identity: an address or a whole domain, as verified
// at a provider or implied by the SMTP account.
type Identity struct {
	// Address is the verified address, or nil for a domain identity.
	Address *Address
	// Domain is the address's domain, or the verified domain.
	Domain Domain
}

// ParseIdentity parses an identity: an address ("billing@example.com"), a
// domain ("example.com", also written "@example.com"), or a wildcard
// address ("*@example.com", Fastmail's form), which is the domain.
//
// The error will be of type *[ParseError].
func ParseIdentity(s string) (Identity, error) {
	id, _, err := parseIdentity(s)
	return id, err
}

// parseIdentity is ParseIdentity, and also returns an address identity's
// domain as s spells it ("" for a domain identity).
func parseIdentity(s string) (Identity, string, error) {
	t := strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(t, "*@"); ok {
		t = "@" + rest
	}
	if rest, ok := strings.CutPrefix(t, "@"); ok {
		t = rest
		d, err := parseIdentityDomain(t)
		if err != nil {
			return Identity{}, "", err
		}
		return Identity{Domain: d}, "", nil
	}
	if strings.ContainsRune(t, '@') {
		a, written, err := (*Parser)(nil).parse(t)
		if err != nil {
			return Identity{}, "", err
		}
		a.Name = ""
		return Identity{Address: a, Domain: a.Domain}, written, nil
	}
	d, err := parseIdentityDomain(t)
	if err != nil {
		return Identity{}, "", err
	}
	return Identity{Domain: d}, "", nil
}

// parseIdentityDomain parses a domain with the rules of an address's
// domain (a public name: no underscores, at least one dot).
func parseIdentityDomain(s string) (Domain, error) {
	a, err := ParseAddress("x@" + s)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			c := *pe
			c.Offset = max(0, c.Offset-2)
			return Domain{}, &c
		}
		return Domain{}, err
	}
	return a.Domain, nil
}

// IsDomain reports whether id is a whole-domain identity.
func (id Identity) IsDomain() bool { return id.Address == nil }

// String returns the address or domain in Unicode form.
func (id Identity) String() string {
	if id.Address != nil {
		return id.Address.Unicode()
	}
	return id.Domain.Unicode()
}
