package dkim

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
	"github.com/sendcheck/sendcheck/dnsauth/internal/syntax"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// CommonSelectors returns the generic selectors the report probes for
// every domain besides the caller's and the provider's: defaults of common
// signing software and hosting panels, and selectors often seen without a
// known provider (provider selectors come from the provider table).
func CommonSelectors() []string {
	return []string{
		"default", "dkim", "mail", "x", "k1", "k2", "k3", "s1", "s2",
		"selector1", "selector2", "google", "mxvault", "everlytickey1", "everlytickey2",
		"resend", "scw", "smtp", "key1", "key2", "dkim1", "dkim2", "sig1",
	}
}

// Source says why a selector was looked up.
type Source string

// Selector sources, from most to least certain.
const (
	SourceCaller   Source = "caller"   // given in the options
	SourceProvider Source = "provider" // the sending provider's usual selector
	SourceCommon   Source = "common"   // the generic probe list
)

// Selector is what the lookup of one selector found.
type Selector struct {
	// Selector is the selector, lower case.
	Selector string `json:"selector"`
	// Name is the name asked: <selector>._domainkey.<domain>.
	Name string `json:"name"`
	// Source says why the selector was tried.
	Source Source `json:"source"`
	// CNAMEs is the alias chain followed from Name (providers delegate
	// their keys this way).
	CNAMEs []string `json:"cnames,omitempty"`
	// Status is the outcome of the TXT question.
	Status dnscheck.Status `json:"status"`
	// Records are the TXT strings that look like key records.
	Records []string `json:"records,omitempty"`
	// Key is the first record that parsed, nil when none did.
	Key *Key `json:"key,omitempty"`
	// Findings are the problems found at this selector.
	Findings []dnscheck.Finding `json:"findings,omitempty"`
}

// Usable reports whether the selector holds a key verifiers can use for
// email signatures with sha256: one record, not revoked, open to email, and
// for RSA at least 1024 bits (RFC 8301 section 3.2: verifiers must not
// accept signatures with smaller keys).
func (s *Selector) Usable() bool {
	return s.Key != nil && !s.Key.Revoked && s.Key.AllowsEmail() && s.Key.AllowsSHA256() && len(s.Records) == 1 &&
		(s.Key.KeyType != KeyTypeRSA || s.Key.Bits >= 1024)
}

// Found reports whether anything was published at the selector: a key
// record, even a broken or revoked one.
func (s *Selector) Found() bool { return len(s.Records) > 0 }

// looksLikeDKIMKey reports whether a TXT string at a _domainkey name is
// meant as a key record (so unrelated TXT records, e.g. from a wildcard,
// are left alone).
func looksLikeDKIMKey(s string) bool {
	t := strings.ToLower(syntax.RemoveFWS(s))
	return strings.HasPrefix(t, "v=dkim") || strings.HasPrefix(t, "p=") || strings.HasPrefix(t, "k=") ||
		strings.Contains(t, ";p=") || strings.HasPrefix(t, "h=") || strings.HasPrefix(t, "t=")
}

// dkimCandidates returns the selectors to try for domain, each with its
// source, without duplicates (the most certain source wins).
func dkimCandidates(callers []string, prov *provider.Provider) []Selector {
	var out []Selector
	seen := map[string]bool{}
	add := func(sel string, src Source) {
		sel = strings.ToLower(strings.TrimSpace(sel))
		if sel == "" || seen[sel] || !validSelector(sel) {
			return
		}
		seen[sel] = true
		out = append(out, Selector{Selector: sel, Source: src})
	}
	for _, s := range callers {
		add(s, SourceCaller)
	}
	if prov != nil {
		for _, s := range prov.DKIMSelectors {
			add(s, SourceProvider)
		}
	}
	for _, s := range CommonSelectors() {
		add(s, SourceCommon)
	}
	return out
}

// validSelector checks that sel is one or more DNS labels (RFC 6376
// section 3.1 allows dotted selectors).
func validSelector(sel string) bool {
	if len(sel) > 200 {
		return false
	}
	_, ok := dns.IsDomainName(sel)
	return ok && !strings.HasSuffix(sel, ".") && !strings.Contains(sel, "..")
}

// Result is the DKIM part of a readiness check.
type Result struct {
	// Domain is the signing domain (d=) checked.
	Domain string `json:"domain"`
	// Selectors lists the selectors worth showing: those the caller or
	// the provider named, and every selector where something was found.
	Selectors []*Selector `json:"selectors"`
	// Tried is how many selectors were looked up.
	Tried int `json:"tried"`
	// Findings are the domain-level findings (dkim.missing); each
	// selector's own findings are in Selectors.
	Findings []dnscheck.Finding `json:"findings,omitempty"`
}

// Usable returns the selectors with a usable key.
func (d *Result) Usable() []*Selector {
	var out []*Selector
	for _, s := range d.Selectors {
		if s.Usable() {
			out = append(out, s)
		}
	}
	return out
}

// Lookup looks up DKIM keys for domain at the given selectors, the
// usual selectors of prov (nil when unknown) and the common list, all at
// once, following CNAMEs. The error is non-nil only when ctx ends.
func Lookup(ctx context.Context, r dnscheck.Resolver, domain string, selectors []string, prov *provider.Provider) (*Result, error) {
	r = lookup.OrDefault(r)
	domain = lookup.NormDomain(domain)
	cands := dkimCandidates(selectors, prov)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		ferr error
	)
	for i := range cands {
		c := &cands[i]
		c.Name = c.Selector + "._domainkey." + domain
		wg.Go(func() {
			a, err := lookup.Follow(ctx, r, c.Name, dns.TypeTXT)
			if err != nil {
				mu.Lock()
				ferr = err
				mu.Unlock()
				return
			}
			c.inspect(a)
		})
	}
	wg.Wait()
	if ferr != nil {
		return nil, ferr
	}
	res := &Result{Domain: domain, Tried: len(cands), Selectors: []*Selector{}}
	for i := range cands {
		c := &cands[i]
		if c.Source != SourceCommon || c.Found() || len(c.Findings) > 0 || len(c.CNAMEs) > 0 && c.Status != dnscheck.StatusNXDomain {
			res.Selectors = append(res.Selectors, c)
		}
	}
	res.summarize(prov)
	return res, nil
}

// inspect fills the selector from its answer.
func (c *Selector) inspect(a *dnscheck.Answer) {
	c.Status, c.CNAMEs = a.Status, a.CNAMEs
	if c.Status.Temporary() {
		sev := dnscheck.SeverityWarning
		if c.Source != SourceCommon {
			sev = dnscheck.SeverityError
		}
		c.Findings = append(c.Findings, lookup.Failure(a, sev, "the DKIM key"))
		return
	}
	for _, txt := range a.TXT() {
		if looksLikeDKIMKey(txt) {
			c.Records = append(c.Records, txt)
		}
	}
	if len(c.Records) == 0 {
		// A missing key is reported once for the whole set of selectors
		// (see summarize), not once per selector.
		return
	}
	if len(c.Records) > 1 {
		c.Findings = append(c.Findings, dnscheck.Finding{
			Code: dnscheck.CodeDKIMSyntax, Severity: dnscheck.SeverityWarning, Name: c.Name,
			Message: fmt.Sprintf("%d key records at one selector: verifiers may use any of them, so signatures fail at random", len(c.Records)),
			Fix:     "keep exactly one key record per selector; use a new selector for a new key",
		})
	}
	for _, txt := range c.Records {
		k, err := ParseKey(txt)
		if err != nil {
			c.Findings = append(c.Findings, dnscheck.Finding{
				Code: dnscheck.CodeDKIMSyntax, Severity: dnscheck.SeverityError, Name: c.Name,
				Message: fmt.Sprintf("the key record does not parse: %v", strings.TrimPrefix(err.Error(), "dnsauth: ")),
				Fix:     "publish the key record exactly as your signing service gives it (v=DKIM1; k=rsa; p=...)",
			})
			continue
		}
		if c.Key == nil {
			c.Key = k
			c.Findings = append(c.Findings, keyFindings(c, k)...)
		}
	}
}

// keyFindings returns the findings about one parsed key.
func keyFindings(c *Selector, k *Key) []dnscheck.Finding {
	var out []dnscheck.Finding
	add := func(code dnscheck.Code, sev dnscheck.Severity, msg, fix string) {
		out = append(out, dnscheck.Finding{Code: code, Severity: sev, Name: c.Name, Message: msg, Fix: fix})
	}
	if k.Revoked {
		sev := dnscheck.SeverityWarning
		if c.Source == SourceCaller {
			sev = dnscheck.SeverityError
		}
		add(dnscheck.CodeDKIMRevoked, sev, fmt.Sprintf("the key at selector %q is revoked (empty p=): signatures with it fail", c.Selector),
			"sign with a selector that has a live key, or publish the new public key here")
		return out
	}
	if !k.AllowsEmail() {
		add(dnscheck.CodeDKIMSyntax, dnscheck.SeverityError, fmt.Sprintf("the key at selector %q is restricted to services %q, not email", c.Selector, strings.Join(k.Services, ":")),
			"remove the s= tag (or set s=email)")
	}
	if k.SHA1Only() {
		add(dnscheck.CodeDKIMSHA1, dnscheck.SeverityError, fmt.Sprintf("the key at selector %q allows only sha1 (h=sha1), which verifiers reject (RFC 8301)", c.Selector),
			"remove the h= tag (or set h=sha256) and sign with rsa-sha256")
	}
	if k.KeyType == KeyTypeRSA {
		switch {
		case k.Bits < 1024:
			add(dnscheck.CodeDKIMWeakKey, dnscheck.SeverityError, fmt.Sprintf("the RSA key at selector %q has %d bits; verifiers ignore keys under 1024 bits (RFC 8301)", c.Selector, k.Bits),
				"generate a 2048-bit key and publish it at a new selector")
		case k.Bits < 2048:
			add(dnscheck.CodeDKIMWeakKey, dnscheck.SeverityWarning, fmt.Sprintf("the RSA key at selector %q has %d bits; 2048 bits is the recommended minimum", c.Selector, k.Bits),
				"rotate to a 2048-bit key at a new selector")
		case k.Bits > 4096:
			add(dnscheck.CodeDKIMLargeKey, dnscheck.SeverityWarning, fmt.Sprintf("the RSA key at selector %q has %d bits; verifiers need only handle keys up to 4096 bits (RFC 8301), so some may not verify signatures made with it", c.Selector, k.Bits),
				"rotate to a 2048-bit (or at most 4096-bit) key at a new selector")
		}
	}
	if k.Testing() {
		add(dnscheck.CodeDKIMTesting, dnscheck.SeverityWarning, fmt.Sprintf("the key at selector %q is in testing mode (t=y): verifiers may treat signed mail as unsigned", c.Selector),
			"remove y from the t= tag once signing works")
	}
	return out
}

// summarize adds the domain-level findings.
func (d *Result) summarize(prov *provider.Provider) {
	usable := d.Usable()
	var missing []string // the caller's selectors with nothing published
	for _, s := range d.Selectors {
		if s.Source == SourceCaller && !s.Found() && !s.Status.Temporary() {
			missing = append(missing, s.Selector)
		}
	}
	if len(usable) == 0 {
		msg := fmt.Sprintf("no usable DKIM key at any of the %d selectors tried", d.Tried)
		if len(missing) > 0 {
			msg += fmt.Sprintf(" (nothing at all is published for %s)", quoteList(missing))
		}
		fix := "turn on DKIM signing at your sending service and publish the key record (or CNAMEs) it shows under <selector>._domainkey." + d.Domain
		if prov != nil && prov.DKIMSelectorsSecret {
			msg += fmt.Sprintf("; %s uses per-domain selectors that cannot be guessed, so pass them as selectors", prov.Name)
			fix = fmt.Sprintf("publish the DKIM CNAME records %s shows for %s, and give their selectors to the check", prov.Name, d.Domain)
		}
		d.Findings = append(d.Findings, dnscheck.Finding{Code: dnscheck.CodeDKIMMissing, Severity: dnscheck.SeverityError, Name: "_domainkey." + d.Domain, Message: msg, Fix: fix})
		return
	}
	if len(missing) > 0 {
		name := "_domainkey." + d.Domain
		if len(missing) == 1 {
			name = missing[0] + "._domainkey." + d.Domain
		}
		d.Findings = append(d.Findings, dnscheck.Finding{
			Code: dnscheck.CodeDKIMMissing, Severity: dnscheck.SeverityError, Name: name,
			Message: fmt.Sprintf("no DKIM key is published for %s", quoteList(missing)),
			Fix:     "publish the key record (or the CNAME) your sending service shows for each of these selectors, or stop signing with them",
		})
	}
	if prov == nil || len(prov.DKIMSelectors) == 0 && prov.DKIMSelectorPattern == "" {
		return
	}
	for _, s := range usable {
		if s.Source == SourceCaller || listHas(prov.DKIMSelectors, s.Selector) || matchPattern(prov.DKIMSelectorPattern, s.Selector) {
			return
		}
	}
	d.Findings = append(d.Findings, dnscheck.Finding{
		Code: dnscheck.CodeDKIMMissing, Severity: dnscheck.SeverityWarning, Name: "_domainkey." + d.Domain,
		Message: fmt.Sprintf("keys were found, but none at %s's usual selectors (%s): mail sent through %s may go out unsigned for %s",
			prov.Name, strings.Join(prov.DKIMSelectors, ", "), prov.Name, d.Domain),
		Fix: fmt.Sprintf("set up DKIM for %s in %s and publish the records it shows, or pass the selector it uses", d.Domain, prov.Name),
	})
}

func matchPattern(pattern, s string) bool {
	if pattern == "" {
		return false
	}
	re, err := regexp.Compile(pattern)
	return err == nil && re.MatchString(s)
}

// quoteList names selectors in a sentence: selector "a", selectors "a"
// and "b", selectors "a", "b" and "c".
func quoteList(sels []string) string {
	q := make([]string, len(sels))
	for i, s := range sels {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) == 1 {
		return "selector " + q[0]
	}
	return "selectors " + strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
