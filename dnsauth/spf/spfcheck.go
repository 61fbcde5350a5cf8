package spf

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
)

// Result is the result of an SPF check (RFC 7208 section 2.6).
type Result string

// SPF results.
const (
	ResultNone      Result = "none"      // no record, or the domain is not a valid host name
	ResultNeutral   Result = "neutral"   // the domain asserts nothing about the client
	ResultPass      Result = "pass"      // the client is authorized
	ResultFail      Result = "fail"      // the client is not authorized
	ResultSoftFail  Result = "softfail"  // probably not authorized
	ResultTempError Result = "temperror" // a transient DNS error; try again later
	ResultPermError Result = "permerror" // the record cannot be interpreted
)

// The limits of RFC 7208 section 4.6.4.
const (
	// MaxLookups is the number of mechanisms and modifiers that query
	// DNS one check may evaluate.
	MaxLookups = 10
	// MaxVoidLookups is the number of lookups that return no records
	// one check may make.
	MaxVoidLookups = 2
	// MaxNames is the number of MX or PTR names one mx or ptr
	// mechanism may look at.
	MaxNames = 10
)

// maxSPFDepth bounds include and redirect nesting. The lookup limit stops
// every loop first; this is a second guard.
const maxSPFDepth = 2 * MaxLookups

// Options are the optional inputs of [CheckHost].
type Options struct {
	// HELO is the HELO/EHLO name of the client, for the %{h} macro.
	HELO string
	// Receiver is the receiving host's name for %{r}; "" means "unknown".
	Receiver string
	// Now is the time for %{t}; zero means the current time.
	Now time.Time
	// DefaultExplanation is the explanation of a fail when the record
	// gives none (or its exp cannot be used).
	DefaultExplanation string
	// Serial turns off the prefetching of include targets and other
	// independent lookups: every question is asked only when the
	// evaluation reaches it. Results are the same either way.
	Serial bool
}

// CheckResult is the outcome of [CheckHost].
type CheckResult struct {
	// Result is the SPF result.
	Result Result `json:"result"`
	// Domain is the domain whose policy was checked.
	Domain string `json:"domain"`
	// Explanation is the exp text (or the default explanation) of a fail.
	Explanation string `json:"explanation,omitempty"`
	// Term is the directive that matched, as written, when one did.
	Term string `json:"term,omitempty"`
	// Lookups counts the mechanisms and modifiers evaluated that query DNS.
	Lookups int `json:"lookups"`
	// VoidLookups counts the lookups that returned no records.
	VoidLookups int `json:"void_lookups"`
	// Queries counts the DNS questions asked, prefetches included.
	Queries int `json:"queries"`
	// Detail says why, for errors and for none.
	Detail string `json:"detail,omitempty"`
}

// CheckHost evaluates the SPF policy of domain for a client at ip sending
// as sender, exactly as the check_host() function of RFC 7208 section 4.
// sender is the MAIL FROM address, or "" to check the HELO identity
// (postmaster@domain is then used); a sender without a local part gets
// "postmaster". IPv4-mapped IPv6 addresses are checked as IPv4. opts may be
// nil.
//
// Answers are cached for the length of the check and the questions
// counted. Unless opts.Serial is set, the records of include targets and
// the answers of later mechanisms are fetched ahead while earlier terms
// are evaluated; every goroutine it starts has ended when CheckHost
// returns. A cancelled ctx ends the check with temperror. A nil r means
// the default [dnscheck.Client]. domain is normalized as by [dnscheck.NormalizeDomain] when
// it is a valid name.
func CheckHost(ctx context.Context, r dnscheck.Resolver, ip netip.Addr, domain, sender string, opts *Options) *CheckResult {
	var o Options
	if opts != nil {
		o = *opts
	}
	if nd, err := dnscheck.NormalizeDomain(domain); err == nil {
		domain = nd
	} else {
		domain = strings.TrimSuffix(strings.TrimSpace(domain), ".")
	}
	res := &CheckResult{Domain: domain}
	r = lookup.OrDefault(r)
	if !ip.IsValid() {
		res.Result, res.Detail = ResultPermError, "no client address"
		return res
	}
	ip = ip.Unmap()
	if !validSPFDomain(domain) {
		res.Result, res.Detail = ResultNone, "not a valid domain name: "+domain
		return res
	}
	if sender == "" {
		sender = "postmaster@" + domain
	}
	local, sdomain, ok := cutLast(sender, "@")
	if !ok {
		local, sdomain = "postmaster", sender
	}
	if local == "" {
		local = "postmaster"
	}
	sender = local + "@" + sdomain
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}

	cctx, cancel := context.WithCancel(ctx)
	sess := lookup.NewSession(ctx, r)
	c := &spfCheck{
		ctx:  cctx,
		s:    sess,
		ip:   ip,
		opts: &o,
		env: macroEnv{
			sender: sender, local: local, domainS: sdomain, ip: ip,
			helo: o.HELO, receiver: o.Receiver, now: now.Unix(),
		},
	}
	res.Result, res.Explanation, res.Term = c.checkHost(domain, 0)
	cancel()
	c.wg.Wait()
	sess.Close()
	if res.Result != ResultFail {
		res.Explanation = ""
	}
	res.Lookups, res.VoidLookups, res.Queries = c.lookups, c.voids, c.s.Queries()
	res.Detail = c.detail
	return res
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// validSPFDomain reports whether domain is a name SPF can check (RFC 7208
// section 4.3): a fully qualified name of at least two labels, no empty
// label or label over 63 bytes, not a domain literal.
func validSPFDomain(domain string) bool {
	if strings.HasPrefix(domain, "[") || !strings.Contains(domain, ".") {
		return false
	}
	return dnscheck.ValidName(domain)
}

// spfCheck is the state of one CheckHost call.
type spfCheck struct {
	ctx  context.Context
	s    *lookup.Session
	ip   netip.Addr
	opts *Options
	env  macroEnv

	lookups, voids int
	detail         string

	wg       sync.WaitGroup // prefetches
	pfMu     sync.Mutex
	pfBudget int // prefetched questions so far
	pfTerms  int // DNS-querying terms looked at ahead, over the whole tree
	pfSeen   map[string]bool

	ptrDone  bool
	ptrNames []string
}

// fail records the first reason for an error result.
func (c *spfCheck) fail(outcome Result, format string, args ...any) Result {
	if c.detail == "" {
		c.detail = fmt.Sprintf(format, args...)
	}
	return outcome
}

// lookup asks through the session; a ctx error becomes a timeout.
func (c *spfCheck) lookup(name string, qtype uint16) *dnscheck.Answer {
	a, err := c.s.Lookup(c.ctx, name, qtype)
	if err != nil {
		return &dnscheck.Answer{Name: name, Type: qtype, Status: dnscheck.StatusTimeout, Rcode: -1, Detail: err.Error()}
	}
	return a
}

// fetchRecord finds the SPF record of domain (RFC 7208 section 4.4 and
// 4.5). A non-empty outcome is none, temperror or permerror.
func (c *spfCheck) fetchRecord(domain string) (*Record, Result) {
	a := c.lookup(domain, dns.TypeTXT)
	if a.Status.Temporary() {
		return nil, c.fail(ResultTempError, "TXT %s: %s %s", domain, a.Status, a.Detail)
	}
	var recs []string
	for _, t := range a.TXT() {
		if IsRecord(t) {
			recs = append(recs, t)
		}
	}
	switch len(recs) {
	case 0:
		if c.detail == "" {
			c.detail = "no SPF record at " + domain
		}
		return nil, ResultNone
	case 1:
	default:
		return nil, c.fail(ResultPermError, "%d SPF records at %s", len(recs), domain)
	}
	rec, err := Parse(recs[0])
	if err != nil {
		return nil, c.fail(ResultPermError, "%s: %v", domain, err)
	}
	return rec, ""
}

// checkHost is check_host() for one domain: it returns the result, for
// fail the explanation, and the directive that matched (in the record
// redirected to, when the result came from a redirect).
func (c *spfCheck) checkHost(domain string, depth int) (Result, string, string) {
	if depth > maxSPFDepth {
		return c.fail(ResultPermError, "include or redirect nested more than %d deep", maxSPFDepth), "", ""
	}
	rec, outcome := c.fetchRecord(domain)
	if rec == nil {
		return outcome, "", ""
	}
	env := c.env
	env.domain = domain
	env.ptr = func() string { return c.validatedName(domain) }
	if !c.opts.Serial {
		c.prefetch(rec, env)
	}

	for i := range rec.Terms {
		t := &rec.Terms[i]
		if t.Mechanism == "" {
			continue
		}
		if t.QueriesDNS() {
			c.lookups++
			if c.lookups > MaxLookups {
				return c.fail(ResultPermError, "more than %d DNS lookups (at %q in %s)", MaxLookups, t.Text, domain), "", ""
			}
		}
		match, outcome := c.mechanism(t, &env, depth)
		if outcome != "" {
			return outcome, "", ""
		}
		if match {
			q := t.Qualifier.Outcome()
			if q == ResultFail {
				return q, c.explain(rec, &env), t.Text
			}
			return q, "", t.Text
		}
	}
	if rd := rec.Redirect(); rd != nil {
		c.lookups++
		if c.lookups > MaxLookups {
			return c.fail(ResultPermError, "more than %d DNS lookups (at %q in %s)", MaxLookups, rd.Text, domain), "", ""
		}
		target, ok := c.target(rd, &env)
		if !ok {
			return c.fail(ResultPermError, "redirect to an invalid domain %q", target), "", ""
		}
		res, expl, term := c.checkHost(target, depth+1)
		if res == ResultNone {
			return c.fail(ResultPermError, "redirect target %s has no SPF record", target), "", ""
		}
		return res, expl, term
	}
	return ResultNeutral, "", ""
}

// target expands the domain-spec of t (the current domain when there is
// none) and reports whether the result is a name that can be asked.
func (c *spfCheck) target(t *Term, env *macroEnv) (string, bool) {
	if t.Domain == "" {
		return env.domain, true
	}
	name := truncateDomain(t.macro.expand(env))
	return name, dnscheck.ValidName(name)
}

// void counts a lookup that returned no records; the outcome is permerror
// past the limit.
func (c *spfCheck) void(name string) Result {
	c.voids++
	if c.voids > MaxVoidLookups {
		return c.fail(ResultPermError, "more than %d void lookups (at %s)", MaxVoidLookups, name)
	}
	return ""
}

// addrType is the address record type for the client's family.
func (c *spfCheck) addrType() uint16 {
	if c.ip.Is4() {
		return dns.TypeA
	}
	return dns.TypeAAAA
}

// mechanism evaluates one directive: whether it matches, or an error
// outcome.
func (c *spfCheck) mechanism(t *Term, env *macroEnv, depth int) (bool, Result) {
	switch t.Mechanism {
	case MechanismAll:
		return true, ""
	case MechanismIP4, MechanismIP6:
		return t.Prefix.Contains(c.ip), ""
	case MechanismInclude:
		target, ok := c.target(t, env)
		if !ok {
			return false, c.fail(ResultPermError, "include of an invalid domain %q", target)
		}
		res, _, _ := c.checkHost(target, depth+1)
		switch res {
		case ResultPass:
			return true, ""
		case ResultFail, ResultSoftFail, ResultNeutral:
			return false, ""
		case ResultTempError:
			return false, ResultTempError
		case ResultNone:
			return false, c.fail(ResultPermError, "include target %s has no SPF record", target)
		}
		return false, ResultPermError
	case MechanismA:
		target, ok := c.target(t, env)
		if !ok {
			// Not a name DNS can hold: it cannot exist.
			return false, c.void(target)
		}
		a := c.lookup(target, c.addrType())
		if a.Status.Temporary() {
			return false, c.fail(ResultTempError, "a: %s: %s", target, a.Status)
		}
		if a.Status.Void() || len(a.Records) == 0 {
			return false, c.void(target)
		}
		return c.addrMatch(a.Addrs(), t), ""
	case MechanismMX:
		return c.mx(t, env)
	case MechanismPTR:
		target, ok := c.target(t, env)
		if !ok {
			return false, ""
		}
		target = strings.ToLower(strings.TrimSuffix(target, "."))
		if c.ptrDone {
			for _, name := range c.ptrNames {
				if name == target || strings.HasSuffix(name, "."+target) {
					return true, ""
				}
			}
			return false, ""
		}
		// Only names in the target domain can match: the addresses of the
		// others are not asked for (RFC 7208 section 5.5 allows it, and
		// they could not change the result).
		var in []string
		for _, name := range c.ptrList() {
			n := strings.TrimSuffix(name, ".")
			if n == target || strings.HasSuffix(n, "."+target) {
				in = append(in, name)
			}
		}
		for _, ans := range c.lookupAll(in, c.addrType()) {
			for _, ip := range ans.Addrs() {
				if ip.Unmap() == c.ip {
					return true, ""
				}
			}
		}
		return false, ""
	case MechanismExists:
		target, ok := c.target(t, env)
		if !ok {
			return false, c.void(target)
		}
		a := c.lookup(target, dns.TypeA)
		if a.Status.Temporary() {
			return false, c.fail(ResultTempError, "exists: %s: %s", target, a.Status)
		}
		if len(a.Records) == 0 {
			return false, c.void(target)
		}
		return true, ""
	}
	return false, c.fail(ResultPermError, "unknown mechanism %q", t.Mechanism)
}

// addrMatch reports whether the client is in one of the networks formed
// by addrs and the term's prefix lengths.
func (c *spfCheck) addrMatch(addrs []netip.Addr, t *Term) bool {
	for _, a := range addrs {
		a = a.Unmap()
		if a.Is4() != c.ip.Is4() {
			continue
		}
		bits := t.CIDR6
		if a.Is4() {
			bits = t.CIDR4
		}
		if p, err := a.Prefix(bits); err == nil && p.Contains(c.ip) {
			return true
		}
	}
	return false
}

// mx evaluates the mx mechanism. The address lookups of the MX hosts are
// made at once, in parallel, and checked in the order of the MX answer.
func (c *spfCheck) mx(t *Term, env *macroEnv) (bool, Result) {
	target, ok := c.target(t, env)
	if !ok {
		return false, c.void(target)
	}
	a := c.lookup(target, dns.TypeMX)
	if a.Status.Temporary() {
		return false, c.fail(ResultTempError, "mx: %s: %s", target, a.Status)
	}
	mxs := a.MX()
	if len(mxs) == 0 {
		return false, c.void(target)
	}
	if len(mxs) > MaxNames {
		return false, c.fail(ResultPermError, "mx: %s has %d MX records, more than %d", target, len(mxs), MaxNames)
	}
	var hosts []string
	for _, mx := range mxs {
		if h := mx.Mx; h != "." && h != "" {
			hosts = append(hosts, h)
		}
	}
	answers := c.lookupAll(hosts, c.addrType())
	for i, ans := range answers {
		if ans.Status.Temporary() {
			return false, c.fail(ResultTempError, "mx: %s: %s", hosts[i], ans.Status)
		}
		if c.addrMatch(ans.Addrs(), t) {
			return true, ""
		}
	}
	return false, ""
}

// lookupAll asks the same type for several names, in parallel unless the
// check is serial, and returns the answers in the order of names.
func (c *spfCheck) lookupAll(names []string, qtype uint16) []*dnscheck.Answer {
	out := make([]*dnscheck.Answer, len(names))
	if c.opts.Serial || len(names) < 2 {
		for i, n := range names {
			out[i] = c.lookup(n, qtype)
		}
		return out
	}
	var wg sync.WaitGroup
	for i, n := range names {
		wg.Go(func() { out[i] = c.lookup(n, qtype) })
	}
	wg.Wait()
	return out
}

// validatedNames returns the validated names of the client (RFC 7208
// section 5.5): the names of its PTR records, at most MaxNames of them,
// that have an address record for the client. Errors only drop names.
// Names are lower case without the final dot. They are computed once per
// check.
func (c *spfCheck) validatedNames() []string {
	if c.ptrDone {
		return c.ptrNames
	}
	c.ptrDone = true
	names := c.ptrList()
	answers := c.lookupAll(names, c.addrType())
	for i, ans := range answers {
		for _, ip := range ans.Addrs() {
			if ip.Unmap() == c.ip {
				c.ptrNames = append(c.ptrNames, strings.TrimSuffix(names[i], "."))
				break
			}
		}
	}
	return c.ptrNames
}

// ptrList returns the names of the client's PTR records, at most MaxNames
// of them (RFC 7208 section 4.6.4).
func (c *spfCheck) ptrList() []string {
	a := c.lookup(reverseName(c.ip), dns.TypePTR)
	names := a.PTR()
	if len(names) > MaxNames {
		names = names[:MaxNames]
	}
	return names
}

// validatedName is the %{p} macro for the current domain d: a validated
// name of the client that is d, else one that is a subdomain of d, else
// the first, else "unknown".
func (c *spfCheck) validatedName(d string) string {
	names := c.validatedNames()
	d = strings.ToLower(strings.TrimSuffix(d, "."))
	sub := ""
	for _, n := range names {
		if n == d {
			return n
		}
		if sub == "" && strings.HasSuffix(n, "."+d) {
			sub = n
		}
	}
	if sub != "" {
		return sub
	}
	if len(names) > 0 {
		return names[0]
	}
	return "unknown"
}

// explain computes the explanation of a fail from the record's exp
// modifier (RFC 7208 section 6.2), or the default explanation when there
// is none or it cannot be used.
func (c *spfCheck) explain(rec *Record, env *macroEnv) string {
	exp := rec.Exp()
	if exp == nil {
		return c.opts.DefaultExplanation
	}
	name, ok := c.target(exp, env)
	if !ok {
		return c.opts.DefaultExplanation
	}
	a := c.lookup(name, dns.TypeTXT)
	txts := a.TXT()
	if a.Status != dnscheck.StatusOK || len(txts) != 1 {
		return c.opts.DefaultExplanation
	}
	m, reason := parseMacroString(txts[0], macroExplainTx)
	if reason != "" {
		return c.opts.DefaultExplanation
	}
	e := m.expand(env)
	for i := 0; i < len(e); i++ {
		if e[i] < ' ' || e[i] > '~' {
			return c.opts.DefaultExplanation
		}
	}
	return e
}

// maxPrefetch bounds the questions one check asks ahead of the evaluation.
const maxPrefetch = 4 * MaxLookups

// prefetch asks, in the background, the questions the terms of rec will
// need, so that their answers are in the session's cache (or in flight)
// when the serial evaluation reaches them: the TXT records of include and
// redirect targets (and, once they arrive, the questions of their own
// terms), the records of a, mx and exists, and the client's PTR record for
// ptr. Over the whole include tree it looks at no more DNS-querying terms
// than an evaluation may evaluate (RFC 7208 section 4.6.4: MaxLookups), so
// it never asks what a serial evaluation could not reach; it skips terms
// whose domain needs %{p}, and asks at most maxPrefetch questions per
// check. The evaluation never reads anything but the cache, so results,
// counts and limits are those of a serial evaluation.
func (c *spfCheck) prefetch(rec *Record, env macroEnv) {
	for i := range rec.Terms {
		t := &rec.Terms[i]
		if !t.QueriesDNS() {
			continue
		}
		c.pfMu.Lock()
		if c.pfTerms >= MaxLookups {
			c.pfMu.Unlock()
			return
		}
		c.pfTerms++
		c.pfMu.Unlock()
		if t.Mechanism == MechanismPTR && !t.macro.uses('p') {
			c.ask(reverseName(c.ip), dns.TypePTR, nil)
			continue
		}
		if t.macro.uses('p') {
			continue
		}
		target, ok := c.target(t, &env)
		if !ok {
			continue
		}
		switch {
		case t.Mechanism == MechanismInclude || t.Modifier == "redirect":
			c.ask(target, dns.TypeTXT, func(a *dnscheck.Answer) {
				var recs []string
				for _, txt := range a.TXT() {
					if IsRecord(txt) {
						recs = append(recs, txt)
					}
				}
				if len(recs) != 1 {
					return
				}
				sub, err := Parse(recs[0])
				if err != nil {
					return
				}
				e := env
				e.domain = target
				e.ptr = nil
				c.prefetch(sub, e)
			})
		case t.Mechanism == MechanismA:
			c.ask(target, c.addrType(), nil)
		case t.Mechanism == MechanismExists:
			c.ask(target, dns.TypeA, nil)
		case t.Mechanism == MechanismMX:
			c.ask(target, dns.TypeMX, func(a *dnscheck.Answer) {
				mxs := a.MX()
				if len(mxs) > MaxNames {
					return
				}
				for _, mx := range mxs {
					if mx.Mx != "." {
						c.ask(mx.Mx, c.addrType(), nil)
					}
				}
			})
		}
	}
}

// ask starts one background question unless it was asked before or the
// prefetch budget is spent; then calls then (if not nil) with the answer.
func (c *spfCheck) ask(name string, qtype uint16, then func(*dnscheck.Answer)) {
	if !dnscheck.ValidName(name) {
		return
	}
	k := strings.ToLower(strings.TrimSuffix(name, ".")) + "/" + dns.TypeToString[qtype]
	c.pfMu.Lock()
	if c.pfSeen == nil {
		c.pfSeen = make(map[string]bool)
	}
	if c.pfSeen[k] || c.pfBudget >= maxPrefetch || c.ctx.Err() != nil {
		c.pfMu.Unlock()
		return
	}
	c.pfSeen[k] = true
	c.pfBudget++
	c.pfMu.Unlock()
	c.wg.Go(func() {
		a, err := c.s.Lookup(c.ctx, name, qtype)
		if err == nil && then != nil && a.Status == dnscheck.StatusOK {
			then(a)
		}
	})
}
