package spf

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
	"github.com/sendcheck/sendcheck/dnsauth/internal/syntax"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Lint limits.
const (
	// MaxRecordBytes is the size RFC 7208 section 3.4 asks records to
	// stay under, so that the answer fits a 512-byte UDP reply.
	MaxRecordBytes = 450
	// MaxStringBytes is the largest DNS character-string.
	MaxStringBytes = 255

	// maxLintNodes bounds the records Inspect fetches for one domain.
	maxLintNodes = 64
	// maxLintQueries bounds the questions Inspect asks for one domain;
	// past it, void targets are no longer checked.
	maxLintQueries = 128
)

// Node is one record of an include tree: the record at the root domain,
// or one reached through include or redirect.
type Node struct {
	// Domain is the domain the record was looked up at.
	Domain string `json:"domain"`
	// Via is how the node was reached: "include", "redirect", or "" for the
	// root.
	Via string `json:"via,omitempty"`
	// Record is the SPF record found, "" when there is none.
	Record string `json:"record,omitempty"`
	// Lookups counts the record's own terms that query DNS (include, a,
	// mx, ptr, exists, redirect).
	Lookups int `json:"lookups"`
	// TotalLookups counts them over this node and everything below it: the
	// cost of evaluating this record in full.
	TotalLookups int `json:"total_lookups"`
	// VoidLookups counts the record's own a, mx and exists targets (with
	// no macros) that have no records.
	VoidLookups int `json:"void_lookups"`
	// Problem is "" for a usable record, else one of "missing",
	// "multiple", "syntax", "loop", "dns", "macro" (the target depends on
	// the sender and cannot be followed) or "limit" (the tree was cut).
	Problem string `json:"problem,omitempty"`
	// Detail says more about the problem.
	Detail string `json:"detail,omitempty"`
	// Children are the include targets in order, then the redirect target.
	Children []*Node `json:"children,omitempty"`
}

// Report is the result of [Inspect].
type Report struct {
	// Domain is the domain inspected.
	Domain string `json:"domain"`
	// Records are the SPF records published at Domain (more than one is
	// an error).
	Records []string `json:"records"`
	// Record is the parsed record when there is exactly one and it parses.
	Record *Record `json:"-"`
	// Tree is the include tree from Domain.
	Tree *Node `json:"tree"`
	// Lookups is the number of DNS-querying terms over the whole tree, the
	// figure RFC 7208 limits to 10 (an evaluation that reaches every term).
	Lookups int `json:"lookups"`
	// VoidLookups is the number of void targets over the tree.
	VoidLookups int `json:"void_lookups"`
	// Includes are the include targets in the tree, in the order met.
	Includes []string `json:"includes,omitempty"`
	// Providers are the sending providers whose SPF include appears in the
	// tree, in the order met.
	Providers []provider.ID `json:"providers,omitempty"`
	// Queries counts the DNS questions asked.
	Queries int `json:"queries"`
	// Findings are the problems found, most serious first.
	Findings []dnscheck.Finding `json:"findings,omitempty"`
}

// Inspect fetches the SPF record of domain and everything it includes
// or redirects to, and reports what a domain owner should fix: a missing,
// duplicate or malformed record, more than 10 DNS lookups or 2 void
// lookups over the tree, include loops, include or redirect targets with no
// record, +all or ?all, no all and no redirect, ptr, records over 450
// bytes, and DNS failures. Targets that depend on the sender (macros) are
// not followed. The tree keeps each record and what it costs. A nil r means
// the default [dnscheck.Client]; domain is normalized as by [dnscheck.NormalizeDomain].
func Inspect(ctx context.Context, r dnscheck.Resolver, domain string) *Report {
	if nd, err := dnscheck.NormalizeDomain(domain); err == nil {
		domain = nd
	} else {
		domain = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(domain), "."))
	}
	sess := lookup.NewSession(ctx, lookup.OrDefault(r))
	defer sess.Close()
	l := &spfLinter{ctx: ctx, s: sess, rep: &Report{Domain: domain}}
	rep := l.rep
	rep.Tree = l.walk(domain, "", nil)
	l.dropMissingIncludes()
	rep.Lookups = rep.Tree.TotalLookups
	rep.Queries = l.s.Queries()
	if rep.Lookups > MaxLookups {
		l.add(dnscheck.Finding{Code: dnscheck.CodeSPFTooManyLookups, Severity: dnscheck.SeverityError, Name: domain,
			Message: fmt.Sprintf("the SPF record needs %d DNS lookups over its include tree; receivers stop at %d and return permerror, so SPF fails for every sender it would reach past the limit", rep.Lookups, MaxLookups),
			Fix:     "replace includes you no longer use, replace a and mx with ip4/ip6 ranges, or ask providers for flatter includes; " + lookupBreakdown(rep.Tree)})
	}
	if rep.VoidLookups > MaxVoidLookups {
		l.add(dnscheck.Finding{Code: dnscheck.CodeSPFVoidLookups, Severity: dnscheck.SeverityError, Name: domain,
			Message: fmt.Sprintf("%d terms in the SPF tree point at names with no records; receivers return permerror after %d", rep.VoidLookups, MaxVoidLookups),
			Fix:     "remove the terms whose names no longer exist"})
	}
	slices.SortStableFunc(rep.Findings, func(a, b dnscheck.Finding) int { return a.Severity.Rank() - b.Severity.Rank() })
	return rep
}

// dropMissingIncludes takes the root record's includes that have no SPF
// record out of the records the root's findings suggest, so that following
// one fix does not keep the include_missing error.
func (l *spfLinter) dropMissingIncludes() {
	root := l.rep.Tree
	if root == nil || root.Record == "" {
		return
	}
	var missing []string
	for _, c := range root.Children {
		if c.Via == "include" && c.Problem == "missing" {
			missing = append(missing, "include:"+strings.ToLower(strings.TrimSuffix(c.Domain, ".")))
		}
	}
	if len(missing) == 0 {
		return
	}
	drop := func(rec string) string {
		var out []string
		for _, f := range strings.Fields(rec) {
			t := strings.ToLower(strings.TrimSuffix(strings.TrimLeft(f, "+-~?"), "."))
			if !slices.Contains(missing, t) {
				out = append(out, f)
			}
		}
		return strings.Join(out, " ")
	}
	for i := range l.rep.Findings {
		f := &l.rep.Findings[i]
		if f.Name != root.Domain {
			continue
		}
		if strings.HasPrefix(f.Record, "v=spf1") {
			f.Record = drop(f.Record)
		}
	}
}

// lookupBreakdown says where the lookups go, largest first.
func lookupBreakdown(root *Node) string {
	type part struct {
		name string
		n    int
	}
	parts := []part{{root.Domain + " itself", root.Lookups}}
	for _, c := range root.Children {
		parts = append(parts, part{c.Via + ":" + c.Domain, c.TotalLookups + 1})
		parts[0].n--
	}
	slices.SortStableFunc(parts, func(a, b part) int { return b.n - a.n })
	var b strings.Builder
	b.WriteString("lookups by term: ")
	for i, p := range parts {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", p.name, p.n)
	}
	return b.String()
}

// AuthorizesProvider reports whether the tree includes one of the SPF
// includes of provider id.
func (rep *Report) AuthorizesProvider(id provider.ID) bool {
	p, ok := provider.Get(id)
	if !ok {
		return false
	}
	for _, inc := range p.SPFIncludes {
		if slices.Contains(rep.Includes, inc) {
			return true
		}
	}
	return false
}

// RequireProvider adds an spf.provider_missing finding when the provider
// id has SPF includes and none of them is in the tree, and reports whether
// it did.
func (rep *Report) RequireProvider(id provider.ID) bool {
	p, ok := provider.Get(id)
	if !ok || len(p.SPFIncludes) == 0 || rep.AuthorizesProvider(id) {
		return false
	}
	f := dnscheck.Finding{Code: dnscheck.CodeSPFProviderMissing, Severity: dnscheck.SeverityError, Name: rep.Domain,
		Message: fmt.Sprintf("mail is sent through %s, but the SPF record of %s does not include %s", p.Name, rep.Domain, p.SPFIncludes[0]),
		Fix:     fmt.Sprintf("add include:%s before the all term", p.SPFIncludes[0])}
	if !p.SPFIncludeOnApex {
		f.Severity = dnscheck.SeverityWarning
		f.Message += " (the provider usually authorizes its own return-path domain instead, so this matters only if the envelope sender is on " + rep.Domain + ")"
	}
	if rec := rep.withInclude(p.SPFIncludes[0]); rec != "" {
		f.Record = rec
	}
	rep.Findings = append(rep.Findings, f)
	slices.SortStableFunc(rep.Findings, func(a, b dnscheck.Finding) int { return a.Severity.Rank() - b.Severity.Rank() })
	return true
}

// withInclude returns the record with include:target added before its
// all or redirect term, or a new record when there is none.
func (rep *Report) withInclude(target string) string {
	if rep.Record == nil {
		if len(rep.Records) == 0 {
			return "v=spf1 include:" + target + " ~all"
		}
		return ""
	}
	terms := []string{"v=spf1"}
	added := false
	for _, t := range rep.Record.Terms {
		if !added && (t.Mechanism == MechanismAll || t.Modifier == "redirect") {
			terms = append(terms, "include:"+target)
			added = true
		}
		terms = append(terms, t.Text)
	}
	if !added {
		terms = append(terms, "include:"+target)
	}
	return strings.Join(terms, " ")
}

// CheckIP evaluates the record for a client at ip (as postmaster of the
// domain) and adds an spf.ip_not_permitted finding when the result is not
// pass.
func (rep *Report) CheckIP(ctx context.Context, r dnscheck.Resolver, ip netip.Addr) *CheckResult {
	res := CheckHost(ctx, r, ip, rep.Domain, "", nil)
	if res.Result != ResultPass {
		rep.Findings = append(rep.Findings, dnscheck.Finding{Code: dnscheck.CodeSPFIPNotPermitted, Severity: dnscheck.SeverityError, Name: rep.Domain,
			Message: fmt.Sprintf("a message from %s gets SPF %s for %s", ip, res.Result, rep.Domain),
			Fix:     fmt.Sprintf("authorize %s: include the provider that owns it, or add ip%d:%s", ip, map[bool]int{true: 4, false: 6}[ip.Unmap().Is4()], ip.Unmap())})
		slices.SortStableFunc(rep.Findings, func(a, b dnscheck.Finding) int { return a.Severity.Rank() - b.Severity.Rank() })
	}
	return res
}

// Lint checks a record a domain owner plans to publish, without DNS:
// syntax, +all and ?all, no all, ptr, the 450-byte size, and strings over
// 255 bytes (a record longer than that must be published as several
// character-strings). name is the domain it is for, used in the findings.
func Lint(name, record string) []dnscheck.Finding {
	var out []dnscheck.Finding
	if len(record) > MaxStringBytes {
		out = append(out, dnscheck.Finding{Code: dnscheck.CodeSPFLongString, Severity: dnscheck.SeverityInfo, Name: name,
			Message: fmt.Sprintf("the record is %d bytes; one DNS string holds at most %d", len(record), MaxStringBytes),
			Fix:     "publish it as several quoted strings in one TXT record (\"part one\" \"part two\"); receivers join them without spaces"})
	}
	rec, err := Parse(record)
	if err != nil {
		return append(out, syntaxFinding(name, err))
	}
	return append(out, recordFindings(name, rec, true)...)
}

func syntaxFinding(name string, err error) dnscheck.Finding {
	return dnscheck.Finding{Code: dnscheck.CodeSPFSyntax, Severity: dnscheck.SeverityError, Name: name,
		Message: "the SPF record does not parse, so receivers return permerror: " + strings.TrimPrefix(err.Error(), "dnsauth: spf: "),
		Fix:     "correct or remove the offending term"}
}

// recordFindings are the findings about one parsed record.
func recordFindings(name string, rec *Record, root bool) []dnscheck.Finding {
	var out []dnscheck.Finding
	if len(rec.Raw) > MaxRecordBytes {
		out = append(out, dnscheck.Finding{Code: dnscheck.CodeSPFTooLong, Severity: dnscheck.SeverityWarning, Name: name,
			Message: fmt.Sprintf("the SPF record is %d bytes; RFC 7208 asks for less than %d so the answer fits in one UDP packet", len(rec.Raw), MaxRecordBytes),
			Fix:     "move groups of ip4/ip6 ranges into an included record on a subdomain"})
	}
	hasAll := false
	for _, t := range rec.Terms {
		switch t.Mechanism {
		case MechanismAll:
			hasAll = true
			if t.Qualifier == QualifierPass || t.Qualifier == QualifierNeutral {
				f := dnscheck.Finding{Code: dnscheck.CodeSPFPermissiveAll, Severity: dnscheck.SeverityError, Name: name,
					Message: fmt.Sprintf("%q lets any host on the internet pass (or go unjudged) as %s", t.Text, name),
					Fix:     "end the record with ~all or -all"}
				if root {
					f.Record = replaceTerm(rec, t.Text, "~all")
				}
				out = append(out, f)
			}
		case MechanismPTR:
			out = append(out, dnscheck.Finding{Code: dnscheck.CodeSPFPtr, Severity: dnscheck.SeverityWarning, Name: name,
				Message: fmt.Sprintf("%q is slow, unreliable and deprecated (RFC 7208 section 5.5); many receivers ignore it", t.Text),
				Fix:     "replace it with ip4/ip6 ranges or a/mx terms for the hosts it was meant to cover"})
		}
	}
	if root && !hasAll && rec.Redirect() == nil {
		out = append(out, dnscheck.Finding{Code: dnscheck.CodeSPFNoAll, Severity: dnscheck.SeverityWarning, Name: name,
			Message: "the record has no all term and no redirect, so hosts it does not list get neutral, which protects nothing",
			Fix:     "end the record with ~all (or -all once every sender is listed)",
			Record:  rec.Raw + " ~all"})
	}
	return out
}

// replaceTerm returns the record with the term old replaced by new.
func replaceTerm(rec *Record, old, new string) string {
	terms := []string{"v=spf1"}
	for _, t := range rec.Terms {
		if t.Text == old {
			terms = append(terms, new)
		} else {
			terms = append(terms, t.Text)
		}
	}
	return strings.Join(terms, " ")
}

type spfLinter struct {
	ctx   context.Context
	s     *lookup.Session
	rep   *Report
	nodes int
	loops map[string]bool
}

func (l *spfLinter) add(f dnscheck.Finding) { l.rep.Findings = append(l.rep.Findings, f) }

func (l *spfLinter) lookup(name string, qtype uint16) *dnscheck.Answer {
	a, err := l.s.Lookup(l.ctx, name, qtype)
	if err != nil {
		return &dnscheck.Answer{Name: name, Type: qtype, Status: dnscheck.StatusTimeout, Rcode: -1, Detail: err.Error()}
	}
	return a
}

// dnsFinding reports a temporary DNS failure at name.
func (l *spfLinter) dnsFinding(name string, a *dnscheck.Answer) {
	code, what := dnscheck.CodeDNSServFail, "failed ("+string(a.Status)+")"
	switch a.Status {
	case dnscheck.StatusTimeout:
		code, what = dnscheck.CodeDNSTimeout, "timed out"
	case dnscheck.StatusCNAMELoop:
		code, what = dnscheck.CodeDNSCNAMELoop, "failed ("+a.Detail+")"
	case dnscheck.StatusError:
		if a.Detail != "" {
			what = "failed (" + a.Detail + ")"
		}
	}
	l.add(dnscheck.Finding{Code: code, Severity: dnscheck.SeverityError, Name: name,
		Message: fmt.Sprintf("the DNS query for %s %s %s, so receivers get temperror for SPF", name, dns.TypeToString[a.Type], what),
		Fix:     "check that the name servers of " + name + " answer"})
}

// walk builds the node for domain, reached via via ("" for the root), with
// path the domains above it.
func (l *spfLinter) walk(domain, via string, path []string) *Node {
	n := &Node{Domain: domain, Via: via}
	root := via == ""
	if slices.Contains(path, domain) {
		n.Problem, n.Detail = "loop", strings.Join(append(slices.Clone(path), domain), " -> ")
		if l.loops == nil {
			l.loops = map[string]bool{}
		}
		if !l.loops[domain] {
			l.loops[domain] = true
			l.add(dnscheck.Finding{Code: dnscheck.CodeSPFIncludeLoop, Severity: dnscheck.SeverityError, Name: path[len(path)-1],
				Message: "the include tree loops: " + n.Detail + "; evaluation runs into the lookup limit and returns permerror",
				Fix:     fmt.Sprintf("remove the %s of %s from %s", via, domain, path[len(path)-1])})
		}
		return n
	}
	l.nodes++
	if l.nodes > maxLintNodes || len(path) > maxSPFDepth || l.s.Queries() >= maxLintQueries {
		n.Problem, n.Detail = "limit", "not followed: the tree is too large"
		return n
	}
	if !dnscheck.ValidName(domain) {
		n.Problem, n.Detail = "missing", "not a valid domain name"
		if root {
			l.add(dnscheck.Finding{Code: dnscheck.CodeSPFMissing, Severity: dnscheck.SeverityError, Name: domain, Message: domain + " is not a valid domain name"})
		} else {
			l.add(l.includeMissing(domain, via, path))
		}
		return n
	}
	a := l.lookup(domain, dns.TypeTXT)
	if a.Status.Temporary() {
		n.Problem, n.Detail = "dns", string(a.Status)+" "+a.Detail
		l.dnsFinding(domain, a)
		return n
	}
	var recs []string
	for _, t := range a.TXT() {
		if IsRecord(t) {
			recs = append(recs, t)
		}
	}
	for _, rr := range a.Records {
		if t, ok := rr.(*dns.TXT); ok && IsRecord(strings.Join(t.Txt, "")) {
			for _, s := range t.Txt {
				if len(syntax.UnescapeTXT(s)) > MaxStringBytes {
					l.add(dnscheck.Finding{Code: dnscheck.CodeSPFLongString, Severity: dnscheck.SeverityError, Name: domain,
						Message: fmt.Sprintf("a string of the SPF record is %d bytes; DNS strings hold at most %d", len(syntax.UnescapeTXT(s)), MaxStringBytes),
						Fix:     "split the record into several quoted strings of at most 255 bytes in one TXT record"})
				}
			}
		}
	}
	if root {
		l.rep.Records = recs
	}
	switch len(recs) {
	case 0:
		n.Problem = "missing"
		if root {
			l.add(dnscheck.Finding{Code: dnscheck.CodeSPFMissing, Severity: dnscheck.SeverityError, Name: domain,
				Message: domain + " publishes no SPF record, so receivers cannot tell which hosts may send as it",
				Fix:     "publish a TXT record listing your senders",
				Record:  "v=spf1 ~all"})
		} else {
			l.add(l.includeMissing(domain, via, path))
		}
		return n
	case 1:
	default:
		n.Problem, n.Detail = "multiple", fmt.Sprintf("%d records", len(recs))
		l.add(dnscheck.Finding{Code: dnscheck.CodeSPFMultiple, Severity: dnscheck.SeverityError, Name: domain,
			Message: fmt.Sprintf("%s publishes %d SPF records; receivers return permerror", domain, len(recs)),
			Fix:     "merge them into one record"})
		return n
	}
	n.Record = recs[0]
	rec, err := Parse(recs[0])
	if err != nil {
		n.Problem, n.Detail = "syntax", err.Error()
		l.add(syntaxFinding(domain, err))
		return n
	}
	if root {
		l.rep.Record = rec
	}
	for _, f := range recordFindings(domain, rec, root) {
		l.add(f)
	}

	hasAll := false
	for _, t := range rec.Terms {
		hasAll = hasAll || t.Mechanism == MechanismAll
	}
	env := macroEnv{domain: domain}
	var children []*Term
	for i := range rec.Terms {
		t := &rec.Terms[i]
		if t.Modifier == "redirect" && hasAll {
			continue // never used: all always matches first
		}
		if !t.QueriesDNS() {
			continue
		}
		n.Lookups++
		if t.Mechanism == MechanismInclude || t.Modifier == "redirect" {
			children = append(children, t)
			continue
		}
		if t.Mechanism == MechanismPTR || t.macro.hasSenderMacros() {
			continue
		}
		target := env.domain
		if t.Domain != "" {
			target = truncateDomain(t.macro.expand(&env))
		}
		if l.s.Queries()+2 > maxLintQueries {
			continue
		}
		if l.voidTarget(t, target) {
			n.VoidLookups++
		}
	}
	l.rep.VoidLookups += n.VoidLookups
	n.TotalLookups = n.Lookups

	// Fetch the children's records in parallel; walk them in order.
	var names []string
	for _, t := range children {
		if !t.macro.hasSenderMacros() {
			if name := truncateDomain(t.macro.expand(&env)); dnscheck.ValidName(name) && !slices.Contains(path, name) && name != domain {
				names = append(names, name)
			}
		}
	}
	if room := maxLintNodes - l.nodes; len(names) > room {
		names = names[:max(room, 0)]
	}
	l.prefetch(names)
	for _, t := range children {
		via := "include"
		if t.Modifier == "redirect" {
			via = "redirect"
		}
		if t.macro.hasSenderMacros() {
			n.Children = append(n.Children, &Node{Domain: t.Domain, Via: via, Problem: "macro", Detail: "depends on the sender; not followed"})
			continue
		}
		target := strings.ToLower(truncateDomain(t.macro.expand(&env)))
		if via == "include" {
			l.noteInclude(target)
		}
		c := l.walk(target, via, append(path, domain))
		n.Children = append(n.Children, c)
		n.TotalLookups += c.TotalLookups
	}
	return n
}

// includeMissing is the finding for an include or redirect target with no
// usable record.
func (l *spfLinter) includeMissing(domain, via string, path []string) dnscheck.Finding {
	parent := path[len(path)-1]
	return dnscheck.Finding{Code: dnscheck.CodeSPFIncludeMissing, Severity: dnscheck.SeverityError, Name: parent,
		Message: fmt.Sprintf("%s:%s in the record of %s points at a name with no SPF record; receivers return permerror", via, domain, parent),
		Fix:     fmt.Sprintf("remove %s:%s or correct the name", via, domain)}
}

// voidTarget reports whether the target of an a, mx or exists term has no
// records. DNS failures are reported as findings and do not count.
func (l *spfLinter) voidTarget(t *Term, target string) bool {
	if !dnscheck.ValidName(target) {
		return true
	}
	switch t.Mechanism {
	case MechanismA:
		as := l.lookupAll([]string{target, target}, []uint16{dns.TypeA, dns.TypeAAAA})
		for _, a := range as {
			if a.Status.Temporary() {
				l.dnsFinding(target, a)
				return false
			}
		}
		return len(as[0].Records) == 0 && len(as[1].Records) == 0
	case MechanismMX:
		a := l.lookup(target, dns.TypeMX)
		if a.Status.Temporary() {
			l.dnsFinding(target, a)
			return false
		}
		if n := len(a.MX()); n > MaxNames {
			l.add(dnscheck.Finding{Code: dnscheck.CodeSPFTooManyLookups, Severity: dnscheck.SeverityError, Name: target,
				Message: fmt.Sprintf("%q: %s has %d MX records; the mx mechanism allows %d and returns permerror beyond", t.Text, target, n, MaxNames),
				Fix:     "list the mail servers' addresses with ip4/ip6 instead of mx"})
		}
		return len(a.MX()) == 0
	case MechanismExists:
		a := l.lookup(target, dns.TypeA)
		if a.Status.Temporary() {
			l.dnsFinding(target, a)
			return false
		}
		return len(a.Records) == 0
	}
	return false
}

// lookupAll asks the questions in parallel and returns the answers in
// order.
func (l *spfLinter) lookupAll(names []string, types []uint16) []*dnscheck.Answer {
	out := make([]*dnscheck.Answer, len(names))
	var wg sync.WaitGroup
	for i := range names {
		wg.Go(func() { out[i] = l.lookup(names[i], types[i]) })
	}
	wg.Wait()
	return out
}

// prefetch fetches the TXT records of names in parallel into the session.
func (l *spfLinter) prefetch(names []string) {
	if len(names) < 2 {
		return
	}
	types := make([]uint16, len(names))
	for i := range types {
		types[i] = dns.TypeTXT
	}
	l.lookupAll(names, types)
}

// noteInclude records an include target and the providers it stands for.
func (l *spfLinter) noteInclude(target string) {
	if slices.Contains(l.rep.Includes, target) {
		return
	}
	l.rep.Includes = append(l.rep.Includes, target)
	if _, ok := provider.ByInclude(target); !ok {
		return
	}
	// Several providers share an include (Gmail and Google Workspace);
	// all of them are authorized.
	for _, p := range provider.All() {
		if slices.Contains(p.SPFIncludes, target) && !slices.Contains(l.rep.Providers, p.ID) {
			l.rep.Providers = append(l.rep.Providers, p.ID)
		}
	}
}
