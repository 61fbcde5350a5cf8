package dnscheck

import (
	"errors"
	"fmt"
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

// DomainError reports a domain that cannot be checked.
type DomainError struct {
	// Domain is the name as given.
	Domain string
	// Err says what is wrong with it.
	Err error
}

// Error implements error.
func (e *DomainError) Error() string {
	return fmt.Sprintf("dnsauth: cannot check domain %q: %v", e.Domain, e.Err)
}

// Unwrap returns the underlying error.
func (e *DomainError) Unwrap() error { return e.Err }
