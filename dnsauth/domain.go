package dnsauth

import (
	"errors"
	"strings"

	"github.com/sendcheck/sendcheck/sender"
)

// NormalizeDomain returns domain in the form every function of this
// package asks DNS about: an internationalized name converted to A-labels
// (UTS #46, non-transitional), lower case, without white space around it
// or a final dot. Labels may hold underscores (_dmarc, _spf). The error is
// of type [*DomainError] when domain is not a valid name.
func NormalizeDomain(domain string) (string, error) {
	d, err := sender.ParseDomain(domain)
	if err != nil {
		return "", &DomainError{Domain: domain, Err: err}
	}
	a := d.ASCII()
	if !ValidName(a) {
		return "", &DomainError{Domain: domain, Err: errors.New("not a valid DNS name")}
	}
	return strings.ToLower(a), nil
}

// orDefault returns r, or a zero [Client] (which reads /etc/resolv.conf
// on first use) when r is nil.
func orDefault(r Resolver) Resolver {
	if r == nil {
		return new(Client)
	}
	return r
}
