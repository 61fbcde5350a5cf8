package dnsauth

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
	"github.com/sendcheck/sendcheck/dnsauth/spf"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// maxSPFLookups is the RFC 7208 section 4.6.4 limit on DNS-querying terms.
const maxSPFLookups = 10

// SPFIPResult is the SPF result for one sending IP.
type SPFIPResult struct {
	IP     netip.Addr       `json:"ip"`     // the sending IP
	Result *spf.CheckResult `json:"result"` // check_host's result for it
}

// SPFSection is the SPF part of a readiness report.
type SPFSection struct {
	// Domain is the From domain and Report its SPF inspection (record,
	// lint, include tree, lookup counts).
	Domain string      `json:"domain"`
	Report *spf.Report `json:"report"`
	// EnvelopeDomain is where SPF is evaluated for this provider, when it
	// is the sender's own domain; Envelope is its inspection when it is
	// not Domain.
	EnvelopeDomain string      `json:"envelope_domain,omitempty"`
	Envelope       *spf.Report `json:"envelope,omitempty"`
	// Authorized says whether the envelope domain's SPF authorizes the
	// provider (true when the envelope domain is the provider's own).
	Authorized bool `json:"authorized"`
	// IPs holds the check_host result of each given sending IP against
	// the envelope domain.
	IPs []SPFIPResult `json:"ips,omitempty"`
	// Findings are the SPF findings of both inspections and the report's
	// own (spf.provider_missing, spf.ip_not_permitted).
	Findings []dnscheck.Finding `json:"findings,omitempty"`

	envelopeAuthorizes bool
}

// spf builds the SPF section.
func (c *check) spf(ctx context.Context, ips []netip.Addr) (*SPFSection, error) {
	sec := &SPFSection{Domain: c.domain}
	rp := c.rep.ReturnPath
	target := ""
	switch {
	case rp.Domain == c.domain:
		target = c.domain
	case rp.Source == EnvelopeSourceGiven:
		owned, err := c.customerOwned(ctx, rp.Domain)
		if err != nil {
			return nil, err
		}
		if owned {
			target = rp.Domain
		}
	}
	sec.EnvelopeDomain = target

	var envRep *spf.Report
	var wg sync.WaitGroup
	wg.Go(func() { sec.Report = spf.Inspect(ctx, c.sess, c.domain) })
	if target != "" && target != c.domain {
		wg.Go(func() { envRep = spf.Inspect(ctx, c.sess, target) })
	}
	// The IP checks start at once: they share the cache with the
	// inspections, so no question is asked twice.
	sec.IPs = make([]SPFIPResult, 0, len(ips))
	results := make([]*spf.CheckResult, len(ips))
	if target != "" {
		for i, ip := range ips {
			wg.Go(func() { results[i] = spf.CheckHost(ctx, c.sess, ip, target, "postmaster@"+target, nil) })
		}
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sec.Envelope = envRep
	sec.Findings = append(sec.Findings, c.fromSPFFindings(sec.Report, target)...)
	if envRep != nil {
		sec.Findings = append(sec.Findings, envRep.Findings...)
	}
	tr := sec.Report
	if envRep != nil {
		tr = envRep
	}

	// Does the envelope domain's SPF authorize the provider?
	switch {
	case target == "":
		// The provider's own envelope domain (or an unknown delegated
		// subdomain): its SPF is the provider's business.
		sec.Authorized = rp.Source == EnvelopeSourceProvider
		sec.envelopeAuthorizes = true
		if c.prov != nil && c.prov.SPFIncludeOnApex && len(c.prov.SPFIncludes) > 0 && !authorizesProvider(sec.Report, c.prov) {
			// Receivers check the provider's envelope domain, but the
			// provider's own domain setup asks for the include.
			f, err := c.providerMissing(ctx, c.domain, sec.Report)
			if err != nil {
				return nil, err
			}
			f.Severity = dnscheck.SeverityWarning
			f.Message += fmt.Sprintf("; receivers check %s's own envelope domain, but its domain setup asks for the include", c.prov.Name)
			sec.Findings = append(sec.Findings, f)
		}
	case c.prov == nil || len(c.prov.SPFIncludes) == 0:
		sec.Authorized = len(tr.Records) == 1
		sec.envelopeAuthorizes = sec.Authorized
	default:
		sec.Authorized = authorizesProvider(tr, c.prov)
		sec.envelopeAuthorizes = sec.Authorized
		if !sec.Authorized {
			f, err := c.providerMissing(ctx, target, tr)
			if err != nil {
				return nil, err
			}
			sec.Findings = append(sec.Findings, f)
		}
	}

	for i, ip := range ips {
		if results[i] == nil {
			continue
		}
		sec.IPs = append(sec.IPs, SPFIPResult{IP: ip, Result: results[i]})
		if results[i].Result != spf.ResultPass {
			f := c.ipNotPermitted(target, tr, ip, results[i])
			if !sec.Authorized && c.prov != nil && len(c.prov.SPFIncludes) > 0 && f.Record != "" {
				f.Fix = fmt.Sprintf("if %s is one of %s's servers, adding include:%s (see spf.provider_missing) covers it; otherwise %s",
					ip, c.prov.Name, c.prov.SPFIncludes[0], f.Fix)
			}
			sec.Findings = append(sec.Findings, f)
			sec.envelopeAuthorizes = false
		}
	}
	return sec, nil
}

// fromSPFFindings returns the inspection findings of the From domain,
// with spf.missing softened when the provider evaluates SPF elsewhere.
func (c *check) fromSPFFindings(rep *spf.Report, target string) []dnscheck.Finding {
	out := slices.Clone(rep.Findings)
	if target == c.domain {
		return out
	}
	for i := range out {
		if out[i].Code == dnscheck.CodeSPFMissing {
			out[i].Severity = dnscheck.SeverityWarning
			out[i].Message += fmt.Sprintf(" (mail through %s is checked against its envelope domain, not %s, so this does not block it)",
				c.rep.ProviderName, c.domain)
			out[i].Fix = "publish an SPF record for any server that sends with " + c.domain + " as the envelope sender; if none does, publish v=spf1 -all"
			out[i].Record = "v=spf1 -all"
		}
	}
	return out
}

// authorizesProvider reports whether the SPF tree reaches one of the
// provider's includes.
func authorizesProvider(rep *spf.Report, p *provider.Provider) bool {
	for _, inc := range rep.Includes {
		inc = lookup.NormDomain(inc)
		if slices.Contains(p.SPFIncludes, inc) {
			return true
		}
		if q, ok := provider.ByInclude(inc); ok && q.ID == p.ID {
			return true
		}
	}
	return slices.Contains(rep.Providers, p.ID)
}

// providerMissing builds the spf.provider_missing finding, with the
// provider's include merged into the published record when that stays
// within the lookup limit.
func (c *check) providerMissing(ctx context.Context, target string, rep *spf.Report) (dnscheck.Finding, error) {
	inc := c.prov.SPFIncludes[0]
	incRep := spf.Inspect(ctx, c.sess, inc)
	if err := ctx.Err(); err != nil {
		return dnscheck.Finding{}, err
	}
	cost := 1 + incRep.Lookups
	f := dnscheck.Finding{
		Code: dnscheck.CodeSPFProviderMissing, Severity: dnscheck.SeverityError, Name: target,
		Message: fmt.Sprintf("the SPF record of %s does not include %s (%s), so mail sent through %s fails SPF", target, inc, c.prov.Name, c.prov.Name),
	}
	switch len(rep.Records) {
	case 0:
		f.Fix = fmt.Sprintf("publish an SPF record at %s that includes %s", target, inc)
		f.Record = fmt.Sprintf("v=spf1 include:%s ~all", inc)
		return f, nil
	case 1:
	default:
		f.Fix = fmt.Sprintf("merge the %d SPF records at %s into one, then add include:%s", len(rep.Records), target, inc)
		return f, nil
	}
	total := rep.Lookups + cost
	if total > maxSPFLookups {
		f.Fix = fmt.Sprintf("adding include:%s (%d lookups) would bring the record to %d DNS lookups, over the limit of %d: remove includes of services you no longer use, replace a/mx terms with ip4:/ip6:, or send through a subdomain with its own SPF record",
			inc, cost, total, maxSPFLookups)
		return f, nil
	}
	f.Fix = fmt.Sprintf("add include:%s to the SPF record at %s (%d of %d DNS lookups after the change)", inc, target, total, maxSPFLookups)
	f.Record = mergeSPFTerm(rep.Records[0], "include:"+inc)
	return f, nil
}

// ipNotPermitted builds the spf.ip_not_permitted finding for ip.
func (c *check) ipNotPermitted(target string, rep *spf.Report, ip netip.Addr, res *spf.CheckResult) dnscheck.Finding {
	mech := "ip4:" + ip.String()
	if ip.Is6() {
		mech = "ip6:" + ip.String()
	}
	f := dnscheck.Finding{
		Code: dnscheck.CodeSPFIPNotPermitted, Severity: dnscheck.SeverityError, Name: target,
		Message: fmt.Sprintf("SPF for %s gives %s for sending IP %s", target, res.Result, ip),
		Fix:     fmt.Sprintf("add %s to the SPF record at %s", mech, target),
	}
	if res.Detail != "" {
		f.Message += " (" + res.Detail + ")"
	}
	switch {
	case res.Result == spf.ResultTempError:
		f.Fix = "make the DNS for the SPF record answer reliably; receivers defer mail on temperror"
	case res.Result == spf.ResultPermError:
		f.Fix = "fix the SPF record's errors first (see the other spf findings), then " + f.Fix
	case len(rep.Records) == 1:
		f.Record = mergeSPFTerm(rep.Records[0], mech)
	case len(rep.Records) == 0:
		f.Record = fmt.Sprintf("v=spf1 %s ~all", mech)
	}
	return f
}

// mergeSPFTerm inserts term into an SPF record before its all mechanism
// or redirect modifier (the terms evaluated last), or at the end.
func mergeSPFTerm(record, term string) string {
	fields := strings.Fields(record)
	at := len(fields)
	for i, f := range fields {
		l := strings.ToLower(strings.TrimLeft(f, "+-~?"))
		if i > 0 && (l == "all" || strings.HasPrefix(l, "redirect=")) {
			at = i
			break
		}
	}
	out := make([]string, 0, len(fields)+1)
	out = append(out, fields[:at]...)
	out = append(out, term)
	out = append(out, fields[at:]...)
	return strings.Join(out, " ")
}
