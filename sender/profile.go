package sender

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sendcheck/sendcheck/sender/provider"
)

// Profile is what this package knows about a provider's sender rules: the
// provider's ID and name and its [provider.SenderRules] (AUTH username form,
// which identities may send, whether a verified domain covers subdomains,
// local-part comparison, and what happens to a From it does not allow),
// each rule with its confidence.
type Profile struct {
	// Provider is the provider's ID ("generic" for an unknown host).
	Provider provider.ID
	// Name is the provider's display name.
	Name string
	provider.SenderRules
}

// ProfileFor returns the profile of the provider behind an SMTP host. For
// smtp.gmail.com the username's domain decides between consumer Gmail
// (gmail.com, googlemail.com, or no username) and Google Workspace (any
// other domain). The host may carry a port ("smtp.example.com:587").
// Unknown hosts get the generic profile. It never returns nil.
func ProfileFor(host, username string) *Profile {
	p, ok := provider.ByHost(host)
	if !ok {
		p, _ = provider.Get(provider.Generic)
	}
	if p.ID == provider.Gmail {
		if _, dom, found := strings.Cut(strings.TrimSpace(username), "@"); found && !isGoogleConsumerDomain(dom) {
			p, _ = provider.Get(provider.GoogleWorkspace)
		}
	}
	rules, ok := provider.SenderRulesFor(p.ID)
	if !ok {
		p, _ = provider.Get(provider.Generic)
		rules, _ = provider.SenderRulesFor(provider.Generic)
	}
	return &Profile{Provider: p.ID, Name: p.Name, SenderRules: rules}
}

// named is how a sentence names the provider: its display name, or "the
// SMTP server" for a host of no known provider.
func (p *Profile) named() string {
	if p.Provider == provider.Generic {
		return "the SMTP server"
	}
	return p.Name
}

// upperFirst returns s with its first letter in upper case, for a name
// that starts a sentence.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// isGoogleConsumerDomain reports whether dom (any case, any form) is one of
// Gmail's consumer domains.
func isGoogleConsumerDomain(dom string) bool {
	d, err := ParseDomain(dom)
	if err != nil {
		return false
	}
	return d.ASCII() == "gmail.com" || d.ASCII() == "googlemail.com"
}

// Relaxation names a comparison rule that let a From match an identity it
// is not identical to.
type Relaxation string

// Relaxations.
const (
	// RelaxCase: the local parts differ only in case and the provider
	// folds case.
	RelaxCase Relaxation = "case"
	// RelaxDots: the local parts differ only in dots, on gmail.com or
	// googlemail.com.
	RelaxDots Relaxation = "dots"
	// RelaxPlusTag: the From is the identity plus a "+tag" and the
	// provider documents that tags need no verification.
	RelaxPlusTag Relaxation = "plus_tag"
	// RelaxSubdomain: the From is on a subdomain of a verified domain and
	// the provider extends verification to subdomains.
	RelaxSubdomain Relaxation = "subdomain"
	// RelaxParentDomain: the From is on the parent of the sending domain
	// (Mailgun's mg.example.com sending for example.com), which aligns
	// under relaxed DMARC.
	RelaxParentDomain Relaxation = "parent_domain"
)

// match is the outcome of comparing a From with one identity.
type match struct {
	ok         bool
	relaxed    []Relaxation
	confidence provider.Confidence // weakest confidence among relaxed rules
	caseOnly   bool                // would match if case were folded (SES)
	subOnly    bool                // would match if subdomains were covered
}

// Match reports whether from may send as identity id under the profile's
// comparison rules, and which relaxations that took: domains compare as
// A-labels; local parts exactly, or with case folded, dots ignored (Gmail
// consumer domains only) or a +tag dropped where the profile says so; a
// domain identity covers its subdomains only where the provider documents
// it. Match sees normalized addresses, so it cannot tell how a domain was
// spelled; [Check] also applies Amazon SES's rule that a verified address
// matches only with its domain in the same letter case.
func (p *Profile) Match(from *Address, id Identity) (bool, []Relaxation) {
	m := p.match(from, id)
	return m.ok, m.relaxed
}

func (p *Profile) match(from *Address, id Identity) match {
	if id.Address == nil {
		switch {
		case from.Domain == id.Domain:
			return match{ok: true, confidence: provider.ConfidenceDoc}
		case from.Domain.IsSubdomainOf(id.Domain):
			if p.Subdomains {
				return match{ok: true, relaxed: []Relaxation{RelaxSubdomain}, confidence: p.SubdomainsConf}
			}
			return match{subOnly: true}
		case p.Senders == provider.SendersCredentialDomain && id.Domain.IsSubdomainOf(from.Domain):
			return match{ok: true, relaxed: []Relaxation{RelaxParentDomain}, confidence: provider.Confidence3P}
		}
		return match{}
	}
	if from.Domain != id.Domain {
		return match{}
	}
	if p.Senders == provider.SendersDomain {
		// Domain-level providers: the address stands for its domain.
		return match{ok: true, confidence: provider.ConfidenceDoc}
	}
	want := id.Address.Local
	got := from.Local
	if got == want {
		return match{ok: true, confidence: provider.ConfidenceDoc}
	}
	type option struct {
		r    Relaxation
		conf provider.Confidence
		ok   bool
	}
	opts := []option{
		{RelaxCase, p.LocalCaseConf, !p.LocalCaseSensitive},
		{RelaxDots, p.DotsConf, p.ignoresDots(from.Domain)},
		{RelaxPlusTag, p.PlusTagConf, p.PlusTag && !strings.Contains(want, "+")},
	}
	// Try the subsets of allowed relaxations, fewest first.
	best := match{}
	for _, size := range []int{1, 2, 3} {
		for mask := 1; mask < 8; mask++ {
			if bitCount(mask) != size {
				continue
			}
			allowed := true
			for i, o := range opts {
				if mask&(1<<i) != 0 && !o.ok {
					allowed = false
				}
			}
			if !allowed {
				continue
			}
			if localEqual(got, want, mask&1 != 0, mask&2 != 0, mask&4 != 0) {
				m := match{ok: true, confidence: provider.ConfidenceDoc}
				for i, o := range opts {
					if mask&(1<<i) != 0 {
						m.relaxed = append(m.relaxed, o.r)
						if o.conf.Weaker(m.confidence) {
							m.confidence = o.conf
						}
					}
				}
				return m
			}
		}
	}
	if p.LocalCaseSensitive && localEqual(got, want, true, p.ignoresDots(from.Domain), opts[2].ok) {
		best.caseOnly = true
	}
	return best
}

func bitCount(m int) int {
	n := 0
	for ; m != 0; m &= m - 1 {
		n++
	}
	return n
}

// ignoresDots reports whether local parts at d ignore dots under p.
func (p *Profile) ignoresDots(d Domain) bool {
	for _, dom := range p.DotsIgnoredDomains {
		if d.ASCII() == dom {
			return true
		}
	}
	return false
}

// localEqual compares local parts with the chosen relaxations.
func localEqual(got, want string, fold, dots, plus bool) bool {
	if plus {
		if i := strings.IndexByte(got, '+'); i > 0 {
			got = got[:i]
		}
	}
	if dots {
		got = strings.ReplaceAll(got, ".", "")
		want = strings.ReplaceAll(want, ".", "")
	}
	if fold {
		return strings.EqualFold(got, want)
	}
	return got == want
}
