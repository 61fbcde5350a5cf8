package dmarc

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"
	"golang.org/x/net/publicsuffix"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
	"github.com/sendcheck/sendcheck/dnsauth/internal/syntax"
)

// maxTreeWalk is the most names the RFC 9989 tree walk asks about.
const maxTreeWalk = 8

// maxReportAuthorizations bounds the external report destinations whose
// authorization records one discovery asks about, so that a record listing
// thousands of them cannot turn one check into thousands of questions.
const maxReportAuthorizations = 10

// treeWalkDomains returns the domains whose _dmarc names the RFC 9989 DNS
// tree walk (section 4.10) queries for domain, in order: the domain
// itself, then (with the leftmost labels removed so that at most seven
// remain) each shorter domain down to the top-level domain. There are at
// most eight.
func treeWalkDomains(domain string) []string {
	labels := dns.SplitDomainName(domain)
	out := []string{domain}
	start := len(labels) - 1
	if start > maxTreeWalk-1 {
		start = maxTreeWalk - 1
	}
	for k := start; k >= 1; k-- {
		out = append(out, strings.Join(labels[len(labels)-k:], "."))
	}
	return out
}

// dmarcLevel is what one _dmarc name holds.
type dmarcLevel struct {
	domain  string
	answer  *dnscheck.Answer
	records []*Record // recognized records (parsed, maybe with errors)
	ignored []string  // DMARC-like texts receivers discard
	errs    []error   // their parse errors, in the order of ignored
}

// single returns the one recognized record, nil when there are none or
// several.
func (l *dmarcLevel) single() *Record {
	if len(l.records) == 1 {
		return l.records[0]
	}
	return nil
}

// dmarcLevels asks for the _dmarc TXT records of each domain, all at
// once, and parses them under mode.
func dmarcLevels(ctx context.Context, r dnscheck.Resolver, domains []string, mode Mode) ([]*dmarcLevel, error) {
	levels := make([]*dmarcLevel, len(domains))
	errs := make([]error, len(domains))
	var wg sync.WaitGroup
	for i, d := range domains {
		wg.Go(func() {
			a, err := r.Lookup(ctx, "_dmarc."+d, dns.TypeTXT)
			if err != nil {
				errs[i] = err
				return
			}
			lv := &dmarcLevel{domain: d, answer: a}
			for _, txt := range a.TXT() {
				rec, err := Parse(txt, mode)
				switch {
				case rec != nil:
					lv.records = append(lv.records, rec)
				case looksLikeDMARC(txt):
					lv.ignored = append(lv.ignored, txt)
					lv.errs = append(lv.errs, err)
				}
			}
			levels[i] = lv
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return levels, nil
}

// orgFromLevels picks the Organizational Domain of domain from the tree
// walk's levels (RFC 9989 section 4.10.2): the first record with psd=n
// names it; a record with psd=y above the starting domain makes the
// domain one label below it the answer; otherwise the domain with the
// fewest labels that has a record, or domain itself when none has.
func orgFromLevels(domain string, levels []*dmarcLevel) string {
	org := domain
	labels := dns.SplitDomainName(domain)
	for i, lv := range levels {
		rec := lv.single()
		if rec == nil {
			continue
		}
		if rec.PSD == "n" {
			return lv.domain
		}
		if rec.PSD == "y" && i > 0 {
			k := dns.CountLabel(lv.domain) + 1
			if k > len(labels) {
				return domain
			}
			return strings.Join(labels[len(labels)-k:], ".")
		}
		org = lv.domain
	}
	return org
}

// publicSuffixOrg is the RFC 7489 Organizational Domain: the public suffix
// plus one label, or domain itself when it is a public suffix.
func publicSuffixOrg(domain string) string {
	org, err := publicsuffix.EffectiveTLDPlusOne(domain)
	if err != nil {
		return domain
	}
	return org
}

// OrganizationalDomain returns the Organizational Domain of domain under
// mode: by the RFC 9989 tree walk (which asks DNS), or by the public suffix
// list of RFC 7489 (which does not). The error is non-nil only when ctx
// ends or domain is not a valid name; a DNS failure during the walk is
// treated as "no record at that name".
func OrganizationalDomain(ctx context.Context, r dnscheck.Resolver, domain string, mode Mode) (string, error) {
	r = lookup.OrDefault(r)
	domain = lookup.NormDomain(domain)
	if !lookup.ValidDomain(domain) {
		return "", fmt.Errorf("dnsauth: invalid domain %q", domain)
	}
	if mode == ModePublicSuffix {
		return publicSuffixOrg(domain), nil
	}
	levels, err := dmarcLevels(ctx, r, treeWalkDomains(domain), mode)
	if err != nil {
		return "", err
	}
	return orgFromLevels(domain, levels), nil
}

// ReportAuthorization is the check of one external report destination
// (RFC 7489 section 7.1): the destination's domain must publish a
// v=DMARC1 record at <policy domain>._report._dmarc.<destination domain>.
type ReportAuthorization struct {
	// Tag is "rua" or "ruf".
	Tag string `json:"tag"`
	// Destination is the mailbox.
	Destination string `json:"destination"`
	// Name is the name asked.
	Name string `json:"name"`
	// Status is the outcome of the question.
	Status dnscheck.Status `json:"status"`
	// Authorized is true when the record is there.
	Authorized bool `json:"authorized"`
}

// Result is the DMARC part of a readiness check: which policy record
// applies to the domain, where it was found, and what is wrong with it.
type Result struct {
	// Domain is the (From) domain asked about.
	Domain string `json:"domain"`
	// Mode is the discovery and validation rule set used.
	Mode Mode `json:"mode"`
	// Queried lists the _dmarc names asked, in walk order.
	Queried []string `json:"queried"`
	// Name is the _dmarc name of the record that applies, empty when none
	// does.
	Name string `json:"name,omitempty"`
	// RecordDomain is the domain that published it.
	RecordDomain string `json:"record_domain,omitempty"`
	// Inherited is true when the record was found above Domain, so its
	// sp= (or p=) applies.
	Inherited bool `json:"inherited,omitempty"`
	// Record is the policy record that applies.
	Record *Record `json:"record,omitempty"`
	// Policy is the policy receivers apply to mail from Domain, empty when
	// no DMARC policy applies.
	Policy Policy `json:"policy,omitempty"`
	// OrgDomain is Domain's Organizational Domain, found by the same walk.
	OrgDomain string `json:"org_domain"`
	// Reports lists the checks of external report destinations.
	Reports []ReportAuthorization `json:"report_authorizations,omitempty"`
	// Findings are the problems found.
	Findings []dnscheck.Finding `json:"findings,omitempty"`
}

// Discover finds the DMARC policy record that applies to domain under
// mode (ModeTreeWalk when ""), validates it, determines the domain's
// Organizational Domain, and checks that external report destinations
// accept reports for it. The error is non-nil only when ctx ends or domain
// is not a valid name; DNS failures become findings.
func Discover(ctx context.Context, r dnscheck.Resolver, domain string, mode Mode) (*Result, error) {
	r = lookup.OrDefault(r)
	if mode == "" {
		mode = ModeTreeWalk
	}
	domain = lookup.NormDomain(domain)
	if !lookup.ValidDomain(domain) {
		return nil, fmt.Errorf("dnsauth: invalid domain %q", domain)
	}
	res := &Result{Domain: domain, Mode: mode}
	var domains []string
	if mode == ModePublicSuffix {
		res.OrgDomain = publicSuffixOrg(domain)
		domains = []string{domain}
		if res.OrgDomain != domain {
			domains = append(domains, res.OrgDomain)
		}
	} else {
		domains = treeWalkDomains(domain)
	}
	levels, err := dmarcLevels(ctx, r, domains, mode)
	if err != nil {
		return nil, err
	}
	if mode != ModePublicSuffix {
		res.OrgDomain = orgFromLevels(domain, levels)
	}
	for _, lv := range levels {
		res.Queried = append(res.Queried, "_dmarc."+lv.domain)
	}
	for _, lv := range levels {
		name := "_dmarc." + lv.domain
		for i, txt := range lv.ignored {
			res.Findings = append(res.Findings, dnscheck.Finding{
				Code: dnscheck.CodeDMARCSyntax, Severity: dnscheck.SeverityError, Name: name,
				Message: fmt.Sprintf("receivers ignore the record %q: %s", syntax.Clip(txt), strings.TrimPrefix(lv.errs[i].Error(), "dnsauth: DMARC record: ")),
				Fix:     "publish the record starting exactly with v=DMARC1; (upper case DMARC1, nothing before it)",
			})
		}
		if lv.answer.Status.Temporary() {
			res.Findings = append(res.Findings, lookup.Failure(lv.answer, dnscheck.SeverityError, "the DMARC record"))
			break // the walk cannot go on past a failure: the policy is unknown
		}
		if len(lv.records) > 1 {
			res.Findings = append(res.Findings, dnscheck.Finding{
				Code: dnscheck.CodeDMARCMultiple, Severity: dnscheck.SeverityError, Name: name,
				Message: fmt.Sprintf("%d DMARC records at one name: receivers discard them all", len(lv.records)),
				Fix:     "keep exactly one v=DMARC1 record at " + name,
			})
			if mode == ModePublicSuffix {
				break // RFC 7489 section 6.6.3: discovery ends without a policy
			}
			continue
		}
		if rec := lv.single(); rec != nil {
			res.Name, res.RecordDomain, res.Record = name, lv.domain, rec
			res.Inherited = lv.domain != domain
			break
		}
	}
	if res.Record == nil {
		if !hasCode(res.Findings, dnscheck.CodeDMARCMultiple) && !slices.ContainsFunc(res.Findings, func(f dnscheck.Finding) bool { return f.Code.DNSFailure() }) {
			res.Findings = append(res.Findings, dnscheck.Finding{
				Code: dnscheck.CodeDMARCMissing, Severity: dnscheck.SeverityError, Name: "_dmarc." + domain,
				Message: fmt.Sprintf("no DMARC policy applies to %s (asked %s)", domain, strings.Join(res.Queried, ", ")),
				Fix:     "publish a DMARC record; start with p=none and a report address, then move to quarantine or reject",
				Record:  fmt.Sprintf("v=DMARC1; p=none; rua=mailto:dmarc-reports@%s", domain),
			})
		}
		return res, nil
	}
	res.Policy = res.Record.Applied()
	if res.Inherited {
		res.Policy = res.Record.Subdomain()
	}
	res.recordFindings()
	if err := res.checkReportDestinations(ctx, r); err != nil {
		return nil, err
	}
	return res, nil
}

func hasCode(fs []dnscheck.Finding, c dnscheck.Code) bool {
	for _, f := range fs {
		if f.Code == c {
			return true
		}
	}
	return false
}

// recordFindings turns the record's problems and policy into findings.
func (res *Result) recordFindings() {
	rec := res.Record
	for _, p := range rec.Problems {
		f := dnscheck.Finding{Code: p.Code, Severity: p.Severity, Name: res.Name, Message: p.Message}
		switch {
		case p.Code == dnscheck.CodeDMARCDeprecatedTag:
			f.Fix = "remove the " + p.Tag + "= tag"
			f.Record = withoutTag(rec.Raw, p.Tag)
		case p.Severity == dnscheck.SeverityError:
			f.Fix = "correct the " + p.Tag + "= tag"
			if p.Tag == "" {
				f.Fix = "rewrite the record as semicolon-separated tag=value pairs"
			}
			if fixed, ok := repairPolicyTag(rec.Raw, p.Tag); ok {
				f.Record = fixed
			}
		}
		res.Findings = append(res.Findings, f)
	}
	switch res.Policy {
	case "":
		// Keep what the owner meant: a misspelt policy is corrected, the
		// other tags (rua above all) stay; only a policy that cannot be
		// guessed becomes none.
		fixed, ok := repairPolicyTag(rec.Raw, "p")
		if !ok {
			fixed = withTag(rec.Raw, "p", string(PolicyNone))
		}
		res.Findings = append(res.Findings, dnscheck.Finding{
			Code: dnscheck.CodeDMARCSyntax, Severity: dnscheck.SeverityError, Name: res.Name,
			Message: "the record has no valid policy and no valid rua=, so receivers apply no DMARC processing",
			Fix:     "give the record a valid p= tag",
			Record:  fixed,
		})
	case PolicyNone:
		res.Findings = append(res.Findings, dnscheck.Finding{
			Code: dnscheck.CodeDMARCPolicyNone, Severity: dnscheck.SeverityWarning, Name: res.Name,
			Message: fmt.Sprintf("the policy for %s is none: receivers only monitor, spoofed mail is delivered", res.Domain),
			Fix:     "once the aggregate reports show all your mail passing, move to p=quarantine, then p=reject",
		})
	}
	if len(rec.RUA) == 0 {
		f := dnscheck.Finding{
			Code: dnscheck.CodeDMARCNoRUA, Severity: dnscheck.SeverityWarning, Name: res.Name,
			Message: "no aggregate report address (rua=): you will not see who sends mail as your domain or whether it passes",
			Fix:     "add a rua= address that you read (or a DMARC report service)",
		}
		if rec.Valid() {
			f.Record = strings.TrimRight(strings.TrimSpace(rec.Raw), ";") + "; rua=mailto:dmarc-reports@" + res.RecordDomain
		}
		res.Findings = append(res.Findings, f)
	}
}

// withoutTag returns raw with the tag-spec for tag removed.
func withoutTag(raw, tag string) string {
	parts := strings.Split(raw, ";")
	out := parts[:0]
	for _, p := range parts {
		name, _, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(name), tag) || strings.TrimSpace(p) == "" {
			continue
		}
		out = append(out, strings.TrimSpace(p))
	}
	return strings.Join(out, "; ")
}

// checkReportDestinations asks, for every mailto destination outside the
// Organizational Domain of the record's domain, whether the destination
// accepts reports for it.
func (res *Result) checkReportDestinations(ctx context.Context, r dnscheck.Resolver) error {
	org := res.OrgDomain
	if res.Mode == ModePublicSuffix || org == "" {
		org = publicSuffixOrg(res.RecordDomain)
	}
	seen := map[string]bool{}
	skipped := 0
	for _, tag := range []string{"rua", "ruf"} {
		uris := res.Record.RUA
		if tag == "ruf" {
			uris = res.Record.RUF
		}
		for _, u := range uris {
			if u.Domain == "" || u.Domain == org || strings.HasSuffix(u.Domain, "."+org) ||
				u.Domain == res.RecordDomain || strings.HasSuffix(u.Domain, "."+res.RecordDomain) {
				continue
			}
			name := res.RecordDomain + "._report._dmarc." + u.Domain
			if seen[tag+name] || !lookup.ValidDomain(name) {
				continue
			}
			seen[tag+name] = true
			if len(res.Reports) == maxReportAuthorizations {
				skipped++
				continue
			}
			res.Reports = append(res.Reports, ReportAuthorization{Tag: tag, Destination: u.Address, Name: name})
		}
	}
	if skipped > 0 {
		res.Findings = append(res.Findings, dnscheck.Finding{
			Code: dnscheck.CodeDMARCSyntax, Severity: dnscheck.SeverityInfo, Name: res.Name,
			Message: fmt.Sprintf("the record lists %d more external report destinations than the %d whose authorization was checked", skipped, maxReportAuthorizations),
		})
	}
	var wg sync.WaitGroup
	errs := make([]error, len(res.Reports))
	answers := make([]*dnscheck.Answer, len(res.Reports))
	for i := range res.Reports {
		wg.Go(func() { answers[i], errs[i] = r.Lookup(ctx, res.Reports[i].Name, dns.TypeTXT) })
	}
	wg.Wait()
	for i := range res.Reports {
		if errs[i] != nil {
			return errs[i]
		}
		ra := &res.Reports[i]
		ra.Status = answers[i].Status
		for _, txt := range answers[i].TXT() {
			if strings.HasPrefix(txt, "v=DMARC1") {
				ra.Authorized = true
			}
		}
		switch {
		case ra.Authorized:
		case ra.Status.Temporary():
			res.Findings = append(res.Findings, lookup.Failure(answers[i], dnscheck.SeverityWarning, "the report authorization record"))
		default:
			res.Findings = append(res.Findings, dnscheck.Finding{
				Code: dnscheck.CodeDMARCRUAUnauthorized, Severity: dnscheck.SeverityWarning, Name: ra.Name,
				Message: fmt.Sprintf("%s destination %s is outside %s and has not authorized reports for it: reporters will not send there",
					ra.Tag, ra.Destination, org),
				Fix:    "ask the owner of the destination domain (or your report service) to publish this record",
				Record: "v=DMARC1",
			})
		}
	}
	return nil
}

// repairPolicyTag returns raw with the value of a policy tag (p, sp or np)
// replaced by the valid policy it is a misspelling of: the one within two
// edits, when exactly one is. ok is false for other tags or a value that
// matches none (or several).
func repairPolicyTag(raw, tag string) (string, bool) {
	tag = strings.ToLower(tag)
	if tag != "p" && tag != "sp" && tag != "np" {
		return "", false
	}
	val, found := tagValue(raw, tag)
	if !found {
		return "", false
	}
	val = strings.ToLower(strings.TrimSpace(val))
	match := ""
	for _, p := range []Policy{PolicyNone, PolicyQuarantine, PolicyReject} {
		if editDistance(val, string(p)) <= 2 {
			if match != "" {
				return "", false
			}
			match = string(p)
		}
	}
	if match == "" {
		return "", false
	}
	return withTag(raw, tag, match), true
}

// tagValue returns the value of the first tag-spec named tag in raw.
func tagValue(raw, tag string) (string, bool) {
	for p := range strings.SplitSeq(raw, ";") {
		name, value, ok := strings.Cut(p, "=")
		if ok && strings.EqualFold(strings.TrimSpace(name), tag) {
			return value, true
		}
	}
	return "", false
}

// withTag returns raw, tidied into "; "-separated tag-specs, with tag set
// to value: in place when present, else right after v=.
func withTag(raw, tag, value string) string {
	var out []string
	set := false
	for p := range strings.SplitSeq(raw, ";") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		name, _, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(name), tag) {
			if !set {
				out = append(out, tag+"="+value)
				set = true
			}
			continue
		}
		out = append(out, p)
	}
	if !set {
		at := 0
		if len(out) > 0 && strings.HasPrefix(strings.ToLower(out[0]), "v=") {
			at = 1
		}
		out = append(out[:at], append([]string{tag + "=" + value}, out[at:]...)...)
	}
	return strings.Join(out, "; ")
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	if len(a) > 32 || len(b) > 32 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
