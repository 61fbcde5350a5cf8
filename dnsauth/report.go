package dnsauth

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth/dkim"
	"github.com/sendcheck/sendcheck/dnsauth/dmarc"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
	"github.com/sendcheck/sendcheck/dnsauth/spf"
	providertext "github.com/sendcheck/sendcheck/internal/provider"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Options says what a readiness [Check] knows about how the domain sends.
// Every field is optional; nil Options means "nothing known".
type Options struct {
	// Resolver answers the DNS questions; nil means the default [dnscheck.Client].
	Resolver dnscheck.Resolver
	// SMTPHost is the submission host mail goes out through, with or
	// without a port; it names the provider when Provider is empty.
	SMTPHost string
	// Provider is the sending provider, when known.
	Provider provider.ID
	// IPs are the addresses mail leaves from (own servers, dedicated
	// IPs): each is checked against SPF and reverse DNS. At most [MaxIPs].
	IPs []netip.Addr
	// EnvelopeDomain is the MAIL FROM (Return-Path) domain, when known;
	// otherwise it follows from the provider's return-path mode.
	EnvelopeDomain string
	// DKIMDomain is the d= domain mail is signed with, when it differs
	// from the checked domain.
	DKIMDomain string
	// Selectors are DKIM selectors known to be in use. At most
	// [MaxSelectors].
	Selectors []string
	// DMARCDiscovery selects the DMARC rules: dmarc.ModeTreeWalk (RFC 9989, the
	// default) or dmarc.ModePublicSuffix (RFC 7489).
	DMARCDiscovery dmarc.Mode
}

// Bounds of [Options]: a check asks a few questions per IP and one per
// selector, so the lists are capped rather than left to grow the check.
const (
	MaxIPs       = 32
	MaxSelectors = 64
)

// OptionsError reports [Options] a check cannot run with.
type OptionsError struct {
	Field string // the field at fault
	Err   error  // what is wrong
}

// Error implements error.
func (e *OptionsError) Error() string { return fmt.Sprintf("dnsauth: options: %s: %v", e.Field, e.Err) }

// Unwrap returns the underlying error.
func (e *OptionsError) Unwrap() error { return e.Err }

// ResolverError reports a check that could not be done because the
// resolver never replied: every question it got timed out or failed before
// a server answered (connection refused, no route, a silent server).
type ResolverError struct {
	// Resolver names the resolver: its servers (host:port) when it says
	// them, else its Go type.
	Resolver string
	// Detail is what happened to the first failed question.
	Detail string
}

// Error implements error.
func (e *ResolverError) Error() string {
	return fmt.Sprintf("dnsauth: the DNS resolver %s did not answer (%s)", e.Resolver, e.Detail)
}

// resolverName names r for a [ResolverError].
func resolverName(r dnscheck.Resolver) string {
	if s, ok := r.(interface{ Servers() []string }); ok {
		if list := s.Servers(); len(list) > 0 {
			return strings.Join(list, ", ")
		}
	}
	return fmt.Sprintf("%T", r)
}

// EnvelopeSource says where the report's envelope domain came from.
type EnvelopeSource string

// Envelope sources.
const (
	EnvelopeSourceGiven     EnvelopeSource = "given"     // Options.EnvelopeDomain
	EnvelopeSourceFrom      EnvelopeSource = "from"      // the provider uses the sender's address
	EnvelopeSourceProvider  EnvelopeSource = "provider"  // the provider's own bounce domain
	EnvelopeSourceDelegated EnvelopeSource = "delegated" // a subdomain delegated to the provider, name unknown
)

// ReturnPath describes the envelope (MAIL FROM) domain the report assumes,
// which decides where SPF must pass and whether it can align.
type ReturnPath struct {
	// Domain is the envelope domain; empty when it is a delegated
	// subdomain whose name the check was not given.
	Domain string `json:"domain,omitempty"`
	// Source says how Domain was chosen.
	Source EnvelopeSource `json:"source"`
	// Mode is the provider's return-path mode.
	Mode provider.ReturnPathMode `json:"mode"`
	// Setup says what the provider needs for an aligned return path,
	// when the domain is not the sender's.
	Setup string `json:"setup,omitempty"`
	// Note explains, in a sentence, what this means for SPF.
	Note string `json:"note"`
}

// Report is the readiness of a domain to send mail through a provider. It
// marshals to JSON; Findings are sorted (severity, code, name, message) so
// the report is the same whatever order DNS answers arrive in.
type Report struct {
	// Domain is the From domain checked (A-label form).
	Domain string `json:"domain"`
	// Provider is the sending provider, "" when unknown.
	Provider     provider.ID `json:"provider,omitempty"`
	ProviderName string      `json:"provider_name,omitempty"`
	// ReturnPath is the envelope domain the report assumed.
	ReturnPath ReturnPath `json:"return_path"`
	// SPF, DKIM, DMARC, Alignment, MX and PTR are the sections.
	SPF       *SPFSection            `json:"spf"`
	DKIM      *dkim.Result           `json:"dkim"`
	DMARC     *dmarc.Result          `json:"dmarc"`
	Alignment *dmarc.AlignmentResult `json:"alignment"`
	MX        *MXResult              `json:"mx"`
	PTR       []*PTRResult           `json:"ptr,omitempty"`
	// Findings holds every finding of every section, sorted.
	Findings []dnscheck.Finding `json:"findings"`
	// Records holds one proposed record per DNS name and type, with the
	// fixes of every finding about it applied together.
	Records []ProposedRecord `json:"records"`
	// Checklist is the bulk-sender requirements DNS can show.
	Checklist []CheckItem `json:"checklist"`
	// Queries is the number of DNS questions asked.
	Queries int `json:"queries"`
}

// MarshalJSON implements json.Marshaler. Every finding appears once, in
// "findings": the sections, which hold their own findings (and the DMARC
// record its parse problems) for callers that read them in Go, are written
// without them.
func (r *Report) MarshalJSON() ([]byte, error) {
	type plain Report // without the method
	out := plain(*r)
	if s := r.SPF; s != nil {
		sc := *s
		sc.Findings = nil
		sc.Report = withoutSPFFindings(s.Report)
		sc.Envelope = withoutSPFFindings(s.Envelope)
		out.SPF = &sc
	}
	if d := r.DKIM; d != nil {
		dc := *d
		dc.Findings = nil
		dc.Selectors = make([]*dkim.Selector, len(d.Selectors))
		for i, sel := range d.Selectors {
			c := *sel
			c.Findings = nil
			dc.Selectors[i] = &c
		}
		out.DKIM = &dc
	}
	if d := r.DMARC; d != nil {
		dc := *d
		dc.Findings = nil
		if d.Record != nil {
			rc := *d.Record
			rc.Problems = nil
			dc.Record = &rc
		}
		out.DMARC = &dc
	}
	if m := r.MX; m != nil {
		mc := *m
		mc.Findings = nil
		out.MX = &mc
	}
	out.PTR = make([]*PTRResult, len(r.PTR))
	for i, p := range r.PTR {
		if p != nil {
			pc := *p
			pc.Findings = nil
			p = &pc
		}
		out.PTR[i] = p
	}
	return json.Marshal(out)
}

func withoutSPFFindings(r *spf.Report) *spf.Report {
	if r == nil {
		return nil
	}
	c := *r
	c.Findings = nil
	return &c
}

// OK reports whether the report has no finding of severity error.
func (r *Report) OK() bool {
	for _, f := range r.Findings {
		if f.Severity == dnscheck.SeverityError {
			return false
		}
	}
	return true
}

// Count returns how many findings have severity sev.
func (r *Report) Count(sev dnscheck.Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == sev {
			n++
		}
	}
	return n
}

// Check reports how ready domain is to send mail: SPF (with the result for
// each given IP), DKIM keys, the DMARC policy and alignment, MX and the
// reverse DNS of the given IPs, each problem as a [dnscheck.Finding] with a fix,
// and a checklist of the Gmail, Yahoo and Outlook.com sender requirements
// DNS can show. Independent lookups run concurrently over one cache, so no
// question is asked twice.
//
// DNS failures become findings (dns.servfail, dns.timeout, dns.cname_loop);
// a domain that does not exist gets the one finding dns.nxdomain. The
// error is of type [*dnscheck.DomainError] for a domain that is not a valid name,
// [*OptionsError] for options over their bounds, [*ResolverError] when the
// resolver answered none of the questions, and wraps ctx.Err() when ctx
// ends first (a deadline that passes during the check always gives an
// error wrapping [context.DeadlineExceeded], never a report of timeouts).
func Check(ctx context.Context, domain string, opts *Options) (*Report, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	d, err := dnscheck.NormalizeDomain(domain)
	if err != nil {
		return nil, err
	}
	if !lookup.ValidDomain(d) || !strings.Contains(d, ".") {
		return nil, &dnscheck.DomainError{Domain: domain, Err: errors.New("not a registered domain name")}
	}
	if len(o.IPs) > MaxIPs {
		return nil, &OptionsError{Field: "IPs", Err: fmt.Errorf("%d addresses, more than %d", len(o.IPs), MaxIPs)}
	}
	if len(o.Selectors) > MaxSelectors {
		return nil, &OptionsError{Field: "Selectors", Err: fmt.Errorf("%d selectors, more than %d", len(o.Selectors), MaxSelectors)}
	}
	var env string
	if o.EnvelopeDomain != "" {
		ed, err := dnscheck.NormalizeDomain(o.EnvelopeDomain)
		if err != nil || !lookup.ValidDomain(ed) {
			return nil, &dnscheck.DomainError{Domain: o.EnvelopeDomain, Err: fmt.Errorf("envelope domain: %w", cmp.Or(err, errors.New("invalid name")))}
		}
		env = ed
	}
	dkimDomain := d
	if o.DKIMDomain != "" {
		dd, err := dnscheck.NormalizeDomain(o.DKIMDomain)
		if err != nil || !lookup.ValidDomain(dd) {
			return nil, &dnscheck.DomainError{Domain: o.DKIMDomain, Err: fmt.Errorf("DKIM domain: %w", cmp.Or(err, errors.New("invalid name")))}
		}
		dkimDomain = dd
	}
	r := lookup.OrDefault(o.Resolver)
	mode := o.DMARCDiscovery
	if mode == "" {
		mode = dmarc.ModeTreeWalk
	}
	sess := lookup.NewSession(ctx, r)
	defer sess.Close()
	c := &check{
		sess: sess, resolver: r, domain: d, dkimDomain: dkimDomain, mode: mode, opts: &o,
		rep: &Report{Domain: d},
	}
	c.prov = resolveProvider(o.Provider, o.SMTPHost)
	if c.prov != nil {
		c.rep.Provider, c.rep.ProviderName = c.prov.ID, c.prov.Name
	}
	c.rep.ReturnPath = c.returnPath(env)
	if err := c.run(ctx); err != nil {
		return nil, err
	}
	return c.rep, nil
}

// resolveProvider finds the provider from its ID or SMTP host; nil when
// neither names one.
func resolveProvider(id provider.ID, host string) *provider.Provider {
	if id != "" {
		if p, ok := provider.Get(id); ok {
			return &p
		}
	}
	if p, ok := provider.ByHost(host); ok {
		return &p
	}
	return nil
}

// check is the state of one Check.
type check struct {
	sess       *lookup.Session
	resolver   dnscheck.Resolver
	domain     string
	dkimDomain string
	mode       dmarc.Mode
	opts       *Options
	prov       *provider.Provider
	rep        *Report
}

// returnPath decides the envelope domain.
func (c *check) returnPath(given string) ReturnPath {
	mode := provider.ReturnPathSender
	if c.prov != nil {
		mode = c.prov.ReturnPath
	}
	rp := ReturnPath{Mode: mode}
	if c.prov != nil && mode != provider.ReturnPathSender {
		rp.Setup = providertext.Fill(c.prov.ReturnPathSetup, providertext.Values{Domain: c.domain, Region: providertext.Region(c.opts.SMTPHost)})
	}
	name := "your SMTP server"
	if c.prov != nil {
		name = c.prov.Name
	}
	switch {
	case given != "":
		rp.Domain, rp.Source = given, EnvelopeSourceGiven
		if given == c.domain {
			rp.Note = fmt.Sprintf("the envelope domain is %s itself, so its SPF record must authorize %s", c.domain, name)
		} else {
			rp.Note = fmt.Sprintf("the envelope domain is %s, so SPF must pass there; it aligns with %s only if both share an organizational domain", given, c.domain)
		}
	case mode == provider.ReturnPathSender:
		rp.Domain, rp.Source = c.domain, EnvelopeSourceFrom
		rp.Note = fmt.Sprintf("%s sends with your address as the envelope sender, so the SPF record of %s must authorize it", name, c.domain)
	case mode == provider.ReturnPathProvider:
		rp.Domain, rp.Source = c.prov.ReturnPathDomain, EnvelopeSourceProvider
		rp.Note = fmt.Sprintf("%s uses its own envelope domain (%s) unless you set up a custom return path, so SPF passes for %s but cannot align with %s; DMARC then relies on DKIM, and no SPF include on %s is needed for this provider",
			name, cmp.Or(c.prov.ReturnPathDomain, "its domain"), name, c.domain, c.domain)
	default: // delegated
		rp.Source = EnvelopeSourceDelegated
		rp.Note = fmt.Sprintf("%s uses a subdomain of %s that you delegate to it as the envelope domain, so SPF aligns (relaxed) without an include on %s; give the envelope domain to check that subdomain", name, c.domain, c.domain)
	}
	return rp
}

// customerOwned reports whether name is the From domain, below it, or in
// the same Organizational Domain.
func (c *check) customerOwned(ctx context.Context, name string) (bool, error) {
	if name == c.domain || strings.HasSuffix(name, "."+c.domain) {
		return true, nil
	}
	orgs := make([]string, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, d := range []string{c.domain, name} {
		wg.Go(func() { orgs[i], errs[i] = dmarc.OrganizationalDomain(ctx, c.sess, d, c.mode) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return false, err
	}
	return orgs[0] == orgs[1], nil
}

// run does the lookups concurrently and assembles the report.
func (c *check) run(ctx context.Context) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	wg.Go(func() {
		res, err := dkim.Lookup(ctx, c.sess, c.dkimDomain, c.opts.Selectors, c.prov)
		if err != nil {
			fail(err)
			return
		}
		c.rep.DKIM = res
	})
	wg.Go(func() {
		res, err := dmarc.Discover(ctx, c.sess, c.domain, c.mode)
		if err != nil {
			fail(err)
			return
		}
		c.rep.DMARC = res
	})
	wg.Go(func() {
		// The DKIM domain is checked as if it signs; whether a usable key
		// exists is settled once the DKIM lookup is done.
		res, err := dmarc.CheckAlignment(ctx, c.sess, c.domain, c.rep.ReturnPath.Domain, c.dkimDomain, c.mode)
		if err != nil {
			fail(err)
			return
		}
		c.rep.Alignment = res
	})
	wg.Go(func() {
		res, err := LookupMX(ctx, c.sess, c.domain)
		if err != nil {
			fail(err)
			return
		}
		c.rep.MX = res
	})
	ips := uniqueIPs(c.opts.IPs)
	c.rep.PTR = make([]*PTRResult, len(ips))
	for i, ip := range ips {
		wg.Go(func() {
			res, err := LookupPTR(ctx, c.sess, ip)
			if err != nil {
				fail(err)
				return
			}
			c.rep.PTR[i] = res
		})
	}
	wg.Go(func() {
		sec, err := c.spf(ctx, ips)
		if err != nil {
			fail(err)
			return
		}
		c.rep.SPF = sec
	})
	wg.Wait()
	if err := ctxDone(ctx); err != nil {
		// Whatever failed once the deadline passed failed because of it.
		return fmt.Errorf("dnsauth: check %s: %w", c.domain, err)
	}
	if len(errs) > 0 {
		return fmt.Errorf("dnsauth: check %s: %w", c.domain, errs[0])
	}
	if c.sess.Unanswered() {
		return fmt.Errorf("dnsauth: check %s: %w", c.domain, &ResolverError{Resolver: resolverName(c.resolver), Detail: c.sess.FirstFailure()})
	}
	c.assemble()
	return nil
}

func uniqueIPs(ips []netip.Addr) []netip.Addr {
	var out []netip.Addr
	for _, ip := range ips {
		if ip.IsValid() && !slices.Contains(out, ip.Unmap()) {
			out = append(out, ip.Unmap())
		}
	}
	return out
}

// assemble settles alignment, gathers and sorts the findings and builds
// the checklist.
func (c *check) assemble() {
	rep := c.rep
	rep.Queries = c.sess.Queries()
	if d := rep.DMARC; d.Record != nil && d.Inherited && rep.MX.Status == dnscheck.StatusNXDomain {
		// The domain does not exist: np= applies (RFC 9989 section 4.7).
		d.Policy = d.Record.Nonexistent()
	}
	c.settleAlignment()
	if rep.MX != nil && rep.MX.Status == dnscheck.StatusNXDomain {
		c.nonexistent()
		return
	}
	var all []dnscheck.Finding
	all = append(all, rep.SPF.Findings...)
	for _, s := range rep.DKIM.Selectors {
		all = append(all, s.Findings...)
	}
	all = append(all, rep.DKIM.Findings...)
	all = append(all, rep.DMARC.Findings...)
	if f := dmarc.MailboxDomainFinding(rep.DMARC, rep.Provider); f != nil && (rep.Provider != "" || c.opts.SMTPHost != "") {
		all = append(all, *f)
	}
	all = append(all, c.alignmentFindings()...)
	all = append(all, rep.MX.Findings...)
	for _, p := range rep.PTR {
		all = append(all, p.Findings...)
	}
	rep.Findings = sortFindings(all)
	if rep.Findings == nil {
		rep.Findings = []dnscheck.Finding{}
	}
	rep.Records = c.proposals()
	alignRecords(rep.Findings, rep.Records)
	rep.Checklist = c.checklist()
}

// alignRecords gives every finding whose fix is a record the proposed record
// for its name that resolves it, so that following any one finding's fix
// publishes all the fixes for that name at once and none undoes another.
func alignRecords(fs []dnscheck.Finding, recs []ProposedRecord) {
	for i := range fs {
		f := &fs[i]
		if f.Record == "" {
			continue
		}
		for _, r := range recs {
			if r.Proposed != "" && strings.EqualFold(r.Name, f.Name) && slices.Contains(r.Resolves, f.Code) {
				f.Record = r.Proposed
				break
			}
		}
	}
}

// sortFindings sorts fs by severity, code, name and message and drops
// exact duplicates.
func sortFindings(fs []dnscheck.Finding) []dnscheck.Finding {
	out := slices.Clone(fs)
	slices.SortFunc(out, func(a, b dnscheck.Finding) int {
		return cmp.Or(
			cmp.Compare(a.Severity.Rank(), b.Severity.Rank()),
			strings.Compare(string(a.Code), string(b.Code)),
			strings.Compare(a.Name, b.Name),
			strings.Compare(a.Message, b.Message),
			strings.Compare(a.Fix, b.Fix),
			strings.Compare(a.Record, b.Record),
		)
	})
	return slices.Compact(out)
}

// settleAlignment fixes the DKIM side of the alignment once the keys are
// known: without a usable key at the checked domain, mail is signed (if at
// all) by the provider's own domain, which cannot align.
func (c *check) settleAlignment() {
	a := c.rep.Alignment
	if len(c.rep.DKIM.Usable()) > 0 {
		return
	}
	a.DKIMDomain, a.DKIMOrg, a.DKIMStrict, a.DKIMRelaxed = "", "", false, false
	if c.prov != nil && c.prov.ReturnPathDomain != "" {
		a.DKIMDomain = c.prov.ReturnPathDomain
	}
}

// alignmentState is what the report knows about DMARC alignment under the
// modes of the policy that applies (relaxed when none does).
type alignmentState struct {
	aspf, adkim dmarc.Alignment
	// spfKnown is false when the envelope domain is not known.
	spfKnown bool
	// spfOK and dkimOK say whether each identifier is known to align
	// (for SPF, also that SPF passes at the envelope domain).
	spfOK, dkimOK bool
}

// alignment returns the alignment state; the findings and the checklist
// both decide from it, so they cannot disagree.
func (c *check) alignment() alignmentState {
	a := c.rep.Alignment
	st := alignmentState{aspf: dmarc.AlignmentRelaxed, adkim: dmarc.AlignmentRelaxed}
	if rec := c.rep.DMARC.Record; rec != nil {
		st.aspf, st.adkim = rec.SPFAlignment(), rec.DKIMAlignment()
	}
	st.spfKnown = c.rep.ReturnPath.Domain != ""
	st.spfOK = st.spfKnown && a.SPF(st.aspf) && c.rep.SPF.envelopeAuthorizes
	st.dkimOK = a.DKIMDomain != "" && a.DKIM(st.adkim)
	return st
}

// alignmentFindings returns dmarc.not_aligned findings.
func (c *check) alignmentFindings() []dnscheck.Finding {
	a := c.rep.Alignment
	st := c.alignment()
	aspf, adkim, spfKnown, spfOK, dkimOK := st.aspf, st.adkim, st.spfKnown, st.spfOK, st.dkimOK
	name := "_dmarc." + c.domain
	provName := "the sending service"
	if c.prov != nil {
		provName = c.prov.Name
	}
	dkimFix := fmt.Sprintf("set up DKIM for %s at %s and publish the key records it shows", c.domain, provName)
	switch {
	case dkimOK && (spfOK || !spfKnown):
		return nil
	case dkimOK:
		if c.rep.ReturnPath.Source == EnvelopeSourceProvider {
			return []dnscheck.Finding{{
				Code: dnscheck.CodeDMARCNotAligned, Severity: dnscheck.SeverityInfo, Name: name,
				Message: fmt.Sprintf("SPF passes for %s's envelope domain %s, which cannot align with %s; DMARC passes through DKIM alone", provName, c.rep.ReturnPath.Domain, c.domain),
				Fix:     cmp.Or(c.rep.ReturnPath.Setup, "set up a custom return path at the provider") + " (optional: aligns SPF too)",
			}}
		}
		if a.SPF(aspf) {
			return []dnscheck.Finding{{
				Code: dnscheck.CodeDMARCNotAligned, Severity: dnscheck.SeverityInfo, Name: name,
				Message: fmt.Sprintf("the envelope domain %s aligns with %s, but SPF does not pass there for the sending service (see the spf findings); DMARC passes through DKIM alone", c.rep.ReturnPath.Domain, c.domain),
				Fix:     "fix the SPF record so SPF aligns too",
			}}
		}
		return []dnscheck.Finding{{
			Code: dnscheck.CodeDMARCNotAligned, Severity: dnscheck.SeverityInfo, Name: name,
			Message: fmt.Sprintf("SPF does not align with %s under aspf=%s (envelope domain %s); DMARC passes through DKIM alone", c.domain, aspf, c.rep.ReturnPath.Domain),
			Fix:     "use an envelope domain within " + c.domain + " (or relax aspf) so both align",
		}}
	case spfOK:
		return []dnscheck.Finding{{
			Code: dnscheck.CodeDMARCNotAligned, Severity: dnscheck.SeverityWarning, Name: name,
			Message: fmt.Sprintf("only SPF aligns with %s: DKIM does not (adkim=%s), so DMARC fails for forwarded mail and bulk senders miss the DKIM requirement", c.domain, adkim),
			Fix:     dkimFix,
		}}
	case !spfKnown:
		return []dnscheck.Finding{{
			Code: dnscheck.CodeDMARCNotAligned, Severity: dnscheck.SeverityWarning, Name: name,
			Message: fmt.Sprintf("DKIM does not align with %s, and the envelope subdomain %s delegates is not known, so SPF alignment could not be checked", c.domain, provName),
			Fix:     dkimFix + "; " + cmp.Or(c.rep.ReturnPath.Setup, "complete the provider's domain authentication"),
		}}
	}
	fix := dkimFix
	if c.rep.ReturnPath.Source == EnvelopeSourceProvider && c.rep.ReturnPath.Setup != "" {
		fix += "; or " + c.rep.ReturnPath.Setup
	}
	return []dnscheck.Finding{{
		Code: dnscheck.CodeDMARCNotAligned, Severity: dnscheck.SeverityError, Name: name,
		Message: fmt.Sprintf("neither SPF (%s) nor DKIM (%s) aligns with %s, so DMARC fails for mail sent through %s",
			spfWhy(a, aspf, c.rep.ReturnPath.Domain), cmp.Or(a.DKIMDomain, "no usable key"), c.domain, provName),
		Fix: fix,
	}}
}

// spfWhy says in a few words why SPF does not align.
func spfWhy(a *dmarc.AlignmentResult, aspf dmarc.Alignment, envelope string) string {
	if a.SPF(aspf) {
		return "envelope domain " + envelope + " aligns, but SPF does not pass there"
	}
	return fmt.Sprintf("envelope domain %s, aspf=%s", cmp.Or(envelope, "unknown"), aspf)
}

// nonexistent turns the report of a domain that does not exist into one
// finding: nothing can be published under a name that is not there, so
// the findings about its records would only mislead.
func (c *check) nonexistent() {
	rep := c.rep
	f := dnscheck.Finding{
		Code: dnscheck.CodeDNSNXDomain, Severity: dnscheck.SeverityError, Name: c.domain,
		Message: fmt.Sprintf("%s does not exist in DNS (NXDOMAIN), so it can neither send authenticated mail nor receive replies", c.domain),
		Fix:     "check the spelling of the domain; if it is new, make sure it is registered and its zone is published",
	}
	rep.SPF.Findings = nil
	if rep.SPF.Report != nil {
		rep.SPF.Report.Findings = []dnscheck.Finding{}
	}
	if rep.SPF.Envelope != nil {
		rep.SPF.Envelope.Findings = []dnscheck.Finding{}
	}
	for _, s := range rep.DKIM.Selectors {
		s.Findings = nil
	}
	rep.DKIM.Findings = nil
	rep.DMARC.Findings = nil
	rep.MX.Findings = nil
	for _, p := range rep.PTR {
		p.Findings = nil
	}
	rep.Findings = []dnscheck.Finding{f}
	rep.Records = []ProposedRecord{}
	rep.Checklist = c.checklist()
	for i := range rep.Checklist {
		it := &rep.Checklist[i]
		if it.Status == CheckStatusSkipped {
			continue
		}
		it.Status, it.Code, it.Detail, it.Fix, it.Record = CheckStatusFail, f.Code, f.Message, f.Fix, ""
	}
}

// ctxDone returns ctx's error, or context.DeadlineExceeded when ctx has a
// deadline that has passed though ctx has not noticed yet: a socket
// deadline taken from ctx can fire first, and what failed then failed
// because of the deadline.
func ctxDone(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}
