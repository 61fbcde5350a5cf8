package dmarc

import (
	"context"
	"sync"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
)

// AlignmentResult says whether SPF and DKIM can align with the From domain
// for DMARC (RFC 9989 section 4.4, RFC 7489 section 3.1): under strict
// alignment the domains must be identical, under relaxed alignment their
// Organizational Domains must be.
type AlignmentResult struct {
	// Mode is the rule set that found the Organizational Domains.
	Mode Mode `json:"mode"`
	// FromDomain is the RFC 5322 From domain and FromOrg its
	// Organizational Domain.
	FromDomain string `json:"from_domain"`
	FromOrg    string `json:"from_org"`
	// EnvelopeDomain is the RFC 5321 MAIL FROM (Return-Path) domain; empty
	// when unknown.
	EnvelopeDomain string `json:"envelope_domain,omitempty"`
	EnvelopeOrg    string `json:"envelope_org,omitempty"`
	// DKIMDomain is the d= domain of the signature; empty when unknown.
	DKIMDomain string `json:"dkim_domain,omitempty"`
	DKIMOrg    string `json:"dkim_org,omitempty"`
	// SPFStrict and SPFRelaxed say whether the envelope domain aligns in
	// each mode; DKIMStrict and DKIMRelaxed the same for d=.
	SPFStrict   bool `json:"spf_strict"`
	SPFRelaxed  bool `json:"spf_relaxed"`
	DKIMStrict  bool `json:"dkim_strict"`
	DKIMRelaxed bool `json:"dkim_relaxed"`
}

// SPF reports whether the envelope domain aligns under mode a.
func (r *AlignmentResult) SPF(a Alignment) bool {
	if a == AlignmentStrict {
		return r.SPFStrict
	}
	return r.SPFRelaxed
}

// DKIM reports whether the d= domain aligns under mode a.
func (r *AlignmentResult) DKIM(a Alignment) bool {
	if a == AlignmentStrict {
		return r.DKIMStrict
	}
	return r.DKIMRelaxed
}

// CheckAlignment finds the Organizational Domains of the From domain, the
// envelope domain and the DKIM d= domain (either of the last two may be
// "") under mode, all at once, and says whether each aligns with the From
// domain. The error is non-nil only when ctx ends or a domain is invalid.
func CheckAlignment(ctx context.Context, r dnscheck.Resolver, from, envelope, dkimDomain string, mode Mode) (*AlignmentResult, error) {
	r = lookup.OrDefault(r)
	if mode == "" {
		mode = ModeTreeWalk
	}
	res := &AlignmentResult{Mode: mode, FromDomain: lookup.NormDomain(from), EnvelopeDomain: lookup.NormDomain(envelope), DKIMDomain: lookup.NormDomain(dkimDomain)}
	domains := []string{res.FromDomain, res.EnvelopeDomain, res.DKIMDomain}
	orgs := make([]string, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i, d := range domains {
		if d == "" {
			continue
		}
		wg.Go(func() { orgs[i], errs[i] = OrganizationalDomain(ctx, r, d, mode) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	res.FromOrg, res.EnvelopeOrg, res.DKIMOrg = orgs[0], orgs[1], orgs[2]
	if res.EnvelopeDomain != "" {
		res.SPFStrict = res.EnvelopeDomain == res.FromDomain
		res.SPFRelaxed = res.EnvelopeOrg == res.FromOrg
	}
	if res.DKIMDomain != "" {
		res.DKIMStrict = res.DKIMDomain == res.FromDomain
		res.DKIMRelaxed = res.DKIMOrg == res.FromOrg
	}
	return res, nil
}
