package sender

import (
	"fmt"
	"strings"

	providertext "github.com/sendcheck/sendcheck/internal/provider"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Config is the SMTP configuration a From is checked against.
type Config struct {
	// Host is the SMTP submission host; it selects the provider.
	Host string
	// Port is the SMTP port. It does not change the verdict.
	Port int
	// Username is the SMTP AUTH username. For mailbox providers it is the
	// account's own address and so an identity that may send.
	Username string
	// Verified lists identities verified at the provider (or aliases,
	// send-as rights, sending domains): addresses, domains, "@domain" or
	// "*@domain".
	Verified []string
	// Listed is the account's identity list as the provider's API
	// returned it (see the package sender/identities). When it comes from
	// the provider, Check judges against its verified identities and
	// ignores Verified; pending and failed ones explain a refusal.
	Listed *IdentityList
}

// Verdict is the outcome of [Check].
type Verdict string

// Verdicts.
const (
	// VerdictAllowed: the provider sends the message with this From.
	VerdictAllowed Verdict = "allowed"
	// VerdictRewritten: the provider sends the message but replaces the
	// From with the account's address (Gmail).
	VerdictRewritten Verdict = "rewritten"
	// VerdictRejected: the provider refuses the message (or holds it until
	// the sender is verified).
	VerdictRejected Verdict = "rejected"
	// VerdictUnknown: the answer depends on something not given (the
	// verified identities, an administrator setting) or on a rule nobody
	// confirmed.
	VerdictUnknown Verdict = "unknown"
	// VerdictUndeliverable: the provider sends the message, but receivers
	// will refuse or junk it: the From is at a mailbox provider's domain
	// (free mail) whose DMARC policy is reject or quarantine, and only
	// that mailbox provider's own servers can authenticate it.
	VerdictUndeliverable Verdict = "undeliverable"
)

// Reason is a stable code for why [Check] reached its verdict. Codes appear
// in JSON and never change meaning.
type Reason string

// Reasons.
const (
	// ReasonMatchedAccount: the From is the authenticated account's own
	// address (verdict allowed).
	ReasonMatchedAccount Reason = "matched_account"
	// ReasonMatchedAddress: the From is a verified address, alias or
	// send-as identity (verdict allowed).
	ReasonMatchedAddress Reason = "matched_address"
	// ReasonMatchedDomain: the From is on a verified domain, or on a
	// subdomain the provider extends it to (verdict allowed).
	ReasonMatchedDomain Reason = "matched_domain"
	// ReasonUnverifiedRule: the From matches only under a comparison rule
	// that no provider document confirms, such as case folding at a
	// provider that never said it folds case (verdict unknown).
	ReasonUnverifiedRule Reason = "unverified_rule"
	// ReasonNotAccountIdentity: a mailbox provider, and the From is neither
	// the account nor one of its aliases (verdict rewritten or rejected).
	ReasonNotAccountIdentity Reason = "not_account_identity"
	// ReasonNotVerified: neither the From address nor its domain is among
	// the verified identities (verdict rejected).
	ReasonNotVerified Reason = "not_verified"
	// ReasonDomainNotVerified: a provider that verifies domains only, and
	// the From's domain is not one of them (verdict rejected).
	ReasonDomainNotVerified Reason = "domain_not_verified"
	// ReasonCaseMismatch: the From differs from a verified address only in
	// the case of its local part, and the provider (Amazon SES) compares
	// addresses case-sensitively (verdict rejected).
	ReasonCaseMismatch Reason = "case_mismatch"
	// ReasonSubdomainNotCovered: the From is on a subdomain of a verified
	// domain and the provider does not document that verification extends
	// to subdomains (verdict unknown).
	ReasonSubdomainNotCovered Reason = "subdomain_not_covered"
	// ReasonLookAlike: the From is not verified but looks like a verified
	// identity (look-alike characters, mixed scripts): a spoofing attempt
	// or a typo (verdict rejected or rewritten).
	ReasonLookAlike Reason = "look_alike"
	// ReasonNoVerifiedList: the provider sends only from verified
	// identities and none were given (verdict unknown).
	ReasonNoVerifiedList Reason = "no_verified_identities"
	// ReasonNoUsername: a mailbox provider and no AUTH username to tell the
	// account by (verdict unknown).
	ReasonNoUsername Reason = "no_username"
	// ReasonRelayPolicy: the Google Workspace SMTP relay and an address in
	// the organisation's domains; the relay's "Allowed senders" setting
	// decides (verdict unknown).
	ReasonRelayPolicy Reason = "relay_policy"
	// ReasonOutsideSendingDomain: Mailgun and a From outside the
	// credential's sending domain; reportedly accepted, but DMARC
	// alignment fails (verdict unknown).
	ReasonOutsideSendingDomain Reason = "outside_sending_domain"
	// ReasonUnknownPolicy: a generic SMTP server whose sender policy is not
	// known, and the From matches nothing given (verdict unknown).
	ReasonUnknownPolicy Reason = "unknown_policy"
	// ReasonInvalidFrom: the From does not parse (verdict rejected).
	ReasonInvalidFrom Reason = "invalid_from"
	// ReasonMailboxProviderDomain: the From is at a free-mail domain and
	// the message leaves through another provider's servers, so it fails
	// DMARC at every receiver (verdict undeliverable, or unknown when the
	// domain's policy is none).
	ReasonMailboxProviderDomain Reason = "mailbox_provider_domain"
	// ReasonInvalidEnvelope: the envelope sender does not parse (verdict
	// rejected).
	ReasonInvalidEnvelope Reason = "invalid_envelope"
	// ReasonEnvelopeNotAllowed: the From passes but the envelope sender,
	// which this provider also checks, does not (verdict from the
	// envelope's check).
	ReasonEnvelopeNotAllowed Reason = "envelope_not_allowed"
)

// WarningCode is a stable code for something worth knowing that does not
// by itself decide the verdict.
type WarningCode string

// Warning codes.
const (
	// WarnMixedScript: a label of the From domain mixes Latin, Cyrillic or
	// Greek letters.
	WarnMixedScript WarningCode = "mixed_script"
	// WarnLookAlike: the From looks like a verified identity without being
	// it.
	WarnLookAlike WarningCode = "look_alike"
	// WarnEnvelopeMismatch: the envelope sender's domain is not the From
	// domain or related to it, so SPF cannot align for DMARC and providers
	// that check both will judge two addresses.
	WarnEnvelopeMismatch WarningCode = "envelope_mismatch"
	// WarnEnvelopeDiffers: the envelope sender is another address on the
	// From domain (or a related one); the message says which of the two the
	// provider checks.
	WarnEnvelopeDiffers WarningCode = "envelope_differs"
	// WarnSMTPUTF8: the From has a non-ASCII local part and needs the
	// SMTPUTF8 extension, which many providers lack.
	WarnSMTPUTF8 WarningCode = "smtputf8_required"
	// WarnInvalidIdentity: an entry of Config.Verified did not parse and
	// was ignored.
	WarnInvalidIdentity WarningCode = "invalid_identity"
	// WarnUsernameForm: the AUTH username does not have the form the
	// provider expects.
	WarnUsernameForm WarningCode = "username_form"
	// WarnAliasRewrite: Microsoft 365 rewrites a proxy address (alias) of
	// the account to its primary address unless SendFromAliasEnabled is on.
	WarnAliasRewrite WarningCode = "alias_rewrite"
	// WarnDMARCAlignment: the provider sends the From as is, but DMARC
	// alignment will fail.
	WarnDMARCAlignment WarningCode = "dmarc_alignment"
	// WarnIdentityNotReady: the provider lists the From (or its domain),
	// but its verification is pending or failed.
	WarnIdentityNotReady WarningCode = "identity_not_ready"
	// WarnVerifiedIgnored: Config.Verified was given together with the
	// provider's own list, and was ignored in its favour.
	WarnVerifiedIgnored WarningCode = "verified_ignored"
	// WarnSandbox: the account is in the provider's sandbox and may send
	// only to verified recipients.
	WarnSandbox WarningCode = "sandbox"
	// WarnListMismatch: Config.Listed came from another provider than the
	// SMTP host's, and was ignored.
	WarnListMismatch WarningCode = "list_provider_mismatch"
	// WarnListNote: the provider's list leaves something out (a note of
	// [IdentityList]).
	WarnListNote WarningCode = "list_note"
	// WarnMailboxProviderDomain: the From is at a free-mail domain that
	// only its own mailbox provider can send for (given beside another
	// verdict that already stops the message).
	WarnMailboxProviderDomain WarningCode = "mailbox_provider_domain"
	// WarnPasswordRefused: the provider refuses a password in some setups
	// (Microsoft 365 with SMTP AUTH or basic authentication off, Gmail
	// without an app password); the message lists them and the fix, OAuth
	// 2.0 among it.
	WarnPasswordRefused WarningCode = "password_refused"
)

// Warning is one remark in a [Result].
type Warning struct {
	// Code is the stable identifier of the remark.
	Code WarningCode `json:"code"`
	// Message says it in a sentence.
	Message string `json:"message"`
}

// Result is the answer of [Check].
type Result struct {
	// Verdict is the outcome: allowed, rewritten, rejected,
	// undeliverable or unknown.
	Verdict Verdict `json:"verdict"`
	// Reason is the stable code for why.
	Reason Reason `json:"reason"`
	// Provider and ProviderName name the provider the SMTP host belongs
	// to ("generic" when it is not known).
	Provider     provider.ID `json:"provider"`
	ProviderName string      `json:"provider_name"`
	// From is the normalized From address (Unicode form), or the input
	// when it does not parse; FromASCII its A-label form.
	From      string `json:"from"`
	FromASCII string `json:"from_ascii,omitempty"`
	// Envelope is the normalized envelope sender, when one was given.
	Envelope string `json:"envelope,omitempty"`
	// Judged says which addresses were judged: "from", "envelope" or
	// "from,envelope", per the provider's rules. A provider that checks
	// the envelope sender judges the From when no envelope was given,
	// since mailers then use the From as MAIL FROM.
	Judged string `json:"judged"`
	// Matched is the identity that allowed the From, or "".
	Matched string `json:"matched"`
	// Relaxed lists the comparison rules the match relied on.
	Relaxed []Relaxation `json:"relaxed,omitempty"`
	// Suggestion says what to do: the sender to use instead, or what to
	// verify at which provider.
	Suggestion string `json:"suggestion"`
	// Confidence is the weakest confidence of the rules behind the
	// verdict.
	Confidence provider.Confidence `json:"confidence"`
	// Detail explains the verdict in a sentence.
	Detail string `json:"detail"`
	// Warnings are remarks that do not decide the verdict.
	Warnings []Warning `json:"warnings,omitempty"`
	// Unverified names the unconfirmed rules the verdict rests on.
	Unverified []string `json:"unverified,omitempty"`
	// IdentitySource says where the identities judged against came from:
	// the provider's API, the caller, or nowhere.
	IdentitySource IdentitySource `json:"identity_source"`
	// Certainty says in plain words how sure the verdict is: high, medium
	// or low (see [Certainty]); it sums up Confidence and IdentitySource.
	Certainty Certainty `json:"certainty"`
}

// Allowed reports whether the verdict is allowed.
func (r *Result) Allowed() bool { return r.Verdict == VerdictAllowed }

// String returns a one-line summary.
func (r *Result) String() string {
	s := fmt.Sprintf("%s (%s): %s", r.Verdict, r.Reason, r.Detail)
	if r.Suggestion != "" {
		s += " Suggestion: " + r.Suggestion
	}
	return s
}

func (r *Result) warn(code WarningCode, format string, args ...any) {
	r.Warnings = append(r.Warnings, Warning{Code: code, Message: fmt.Sprintf(format, args...)})
}

// weaken lowers the result's confidence to c and records why when c is
// unverified.
func (r *Result) weaken(c provider.Confidence, rule string) {
	if c.Weaker(r.Confidence) {
		r.Confidence = c
	}
	if c == provider.ConfidenceUnverified && rule != "" {
		for _, u := range r.Unverified {
			if u == rule {
				return
			}
		}
		r.Unverified = append(r.Unverified, rule)
	}
}

// Check tells whether the From address (a header value or form input,
// display name allowed) may be used with the SMTP configuration cfg, and
// what the provider does if not. envelope is the envelope sender (MAIL
// FROM); "" means the same as the From. The verdict relies on the
// identities of cfg.Listed (read from the provider's API by the package
// sender/identities) or, without it, on cfg.Verified for providers that
// send only from verified identities: Check does no I/O and cannot ask
// the provider itself. Result.IdentitySource says which list it used.
// Check never returns nil.
func Check(cfg Config, from, envelope string) *Result {
	prof := ProfileFor(cfg.Host, cfg.Username)
	r := &Result{
		Provider:     prof.Provider,
		ProviderName: prof.Name,
		From:         strings.TrimSpace(from),
		Confidence:   provider.ConfidenceDoc,
		Judged:       "from",
	}
	defer r.rate()
	fromAddr, fromWritten, err := (*Parser)(nil).parse(from)
	if err != nil {
		r.Verdict, r.Reason = VerdictRejected, ReasonInvalidFrom
		r.Detail = "The From address is not valid: " + strings.TrimPrefix(err.Error(), "sender: ") + "."
		r.Suggestion = "Correct the From address."
		return r
	}
	r.From, r.FromASCII = fromAddr.Unicode(), fromAddr.ASCII()
	var envAddr *Address
	var envWritten string
	if e := strings.TrimSpace(envelope); e != "" && e != "<>" {
		envAddr, envWritten, err = (*Parser)(nil).parse(e)
		if err != nil {
			r.Verdict, r.Reason = VerdictRejected, ReasonInvalidEnvelope
			r.Detail = "The envelope sender is not valid: " + strings.TrimPrefix(err.Error(), "sender: ") + "."
			r.Suggestion = "Correct the envelope sender (MAIL FROM), or leave it empty to use the From."
			return r
		}
		r.Envelope = envAddr.Unicode()
	}

	c := checker{cfg: cfg, prof: prof, r: r}
	c.identities()
	c.warnings(fromAddr, envAddr)

	switch prof.Judges {
	case provider.JudgesEnvelope:
		r.Judged = "envelope"
		subject, written := fromAddr, fromWritten
		if envAddr != nil {
			subject, written = envAddr, envWritten
		} else {
			// Without an envelope sender the mailer uses the From.
			r.Judged = "from"
		}
		c.judge(subject, written)
		if envAddr != nil {
			r.Detail = "The envelope sender is what " + prof.named() + " checks. " + r.Detail
		}
	case provider.JudgesBoth:
		c.judge(fromAddr, fromWritten)
		if envAddr != nil && (*envAddr != *fromAddr || envWritten != fromWritten) {
			r.Judged = "from,envelope"
			env := &Result{Confidence: provider.ConfidenceDoc}
			ec := checker{cfg: cfg, prof: prof, r: env, ids: c.ids}
			ec.judge(envAddr, envWritten)
			if r.Verdict == VerdictAllowed && env.Verdict != VerdictAllowed {
				r.Verdict, r.Reason = env.Verdict, ReasonEnvelopeNotAllowed
				r.Detail = "The From is allowed, but the envelope sender is not: " + env.Detail
				r.Suggestion = env.Suggestion
				r.Matched, r.Relaxed = "", nil
			}
			r.weaken(env.Confidence, "")
			for _, u := range env.Unverified {
				r.weaken(provider.ConfidenceUnverified, u)
			}
		}
	default:
		c.judge(fromAddr, fromWritten)
	}
	if !c.cfg.Listed.fromProvider() || r.Judged != "from" || envAddr != nil && envAddr.ASCII() != fromAddr.ASCII() {
		// Which address the provider judges matters only when two
		// differ; with the provider's own list it is the only doubt left.
		r.weaken(prof.JudgesConf, "which address "+prof.named()+" checks")
	}
	c.mailboxDomain(fromAddr)
	if a, ok := provider.SMTPAuthFor(prof.Provider); ok && len(a.PasswordRefused) > 0 {
		r.warn(WarnPasswordRefused, "%s refuses a password when %s. Fix: %s", prof.Name, strings.Join(a.PasswordRefused, "; or when "), a.Fix)
	}
	return r
}

// sameOperator reports whether two providers run the same servers
// (Google's consumer Gmail, Workspace and relay).
func sameOperator(a, b provider.ID) bool {
	google := func(id provider.ID) bool {
		return id == provider.Gmail || id == provider.GoogleWorkspace || id == provider.GoogleRelay
	}
	return a == b || google(a) && google(b)
}

// mailboxDomain overrides the verdict when the From is at a free-mail
// domain sent through servers other than its mailbox provider's: the
// message fails DMARC wherever it goes.
func (c *checker) mailboxDomain(from *Address) {
	r := c.r
	m, ok := provider.MailboxDomainOf(from.Domain.ASCII())
	if !ok || (m.Provider != "" && sameOperator(m.Provider, c.prof.Provider)) {
		return
	}
	via := c.prof.Name
	if c.prof.Provider == provider.Generic || via == "" {
		via = "this server"
	}
	effect := "receivers that follow its DMARC policy (p=" + string(m.Policy) + ") will refuse it"
	verdict := VerdictUndeliverable
	switch m.Policy {
	case provider.DMARCQuarantine:
		effect = "receivers that follow its DMARC policy (p=quarantine) will put it in spam"
	case provider.DMARCNone:
		effect = "its DMARC policy is p=none, but unauthenticated mail from a free-mail domain is likely to be junked"
		verdict = VerdictUnknown
	}
	detail := fmt.Sprintf("%s is a %s address: mail From it passes DMARC only when it leaves through %s's own servers, and %s cannot sign for %s or send within its SPF record, so %s.",
		from.Unicode(), m.Name, m.Name, via, m.Domain, effect)
	suggestion := fmt.Sprintf("Send from an address at your own domain (verified at %s, with SPF and DKIM set up for it) and put %s in Reply-To, so replies still reach that person.", via, from.Unicode())
	if r.Verdict == VerdictRejected {
		r.warn(WarnMailboxProviderDomain, "%s Even once allowed: %s", detail, suggestion)
		return
	}
	r.Verdict, r.Reason = verdict, ReasonMailboxProviderDomain
	r.Detail, r.Suggestion = detail, suggestion
	r.Matched, r.Relaxed = "", nil
	r.weaken(m.PolicyConf, "the DMARC policy of "+m.Domain)
}

// checker carries the state of one Check.
type checker struct {
	cfg     Config
	prof    *Profile
	r       *Result
	account *Address         // the AUTH username as an identity, for mailbox providers
	ids     []identity       // account, credential domain and verified identities
	unready []listedIdentity // listed by the provider, not verified
}

type identity struct {
	Identity
	account bool   // implied by the AUTH username
	written string // an address identity's domain as given, "" when unknown
}

// identities collects the identities the configuration implies or lists.
func (c *checker) identities() {
	p, r := c.prof, c.r
	user := strings.TrimSpace(c.cfg.Username)
	switch p.Username {
	case provider.UsernameAddress, provider.UsernameUnknown:
		if user != "" {
			a, err := ParseAddress(user)
			switch {
			case err == nil:
				a.Name = ""
				c.account = a
				c.ids = append(c.ids, identity{Identity: Identity{Address: a, Domain: a.Domain}, account: true})
				if p.Senders == provider.SendersRelayPolicy {
					// The relay's senders are the organisation's domains.
					c.ids = append(c.ids, identity{Identity: Identity{Domain: a.Domain}, account: true})
				}
			case p.Username == provider.UsernameAddress:
				r.warn(WarnUsernameForm, "%s expects the full mailbox address as the username; %q is not one", upperFirst(p.named()), user)
			}
		}
	case provider.UsernameDomainCredential:
		if user != "" {
			if a, err := ParseAddress(user); err == nil {
				c.ids = append(c.ids, identity{Identity: Identity{Domain: a.Domain}, account: true})
			} else {
				r.warn(WarnUsernameForm, "%s SMTP usernames are addresses at the sending domain (such as postmaster@mg.example.com); %q is not one", upperFirst(p.named()), user)
			}
		}
	case provider.UsernameFixed:
		if user != "" && user != p.FixedUsername {
			r.warn(WarnUsernameForm, "%s expects the username %q (the password is the API key); got %q", upperFirst(p.named()), p.FixedUsername, user)
		}
	}
	r.IdentitySource = SourceNone
	if l := c.cfg.Listed; l.fromProvider() && !sameProvider(l.Provider, p.Provider) {
		r.warn(WarnListMismatch, "the identity list comes from %s, not from %s, which the SMTP host belongs to: it was ignored", l.Provider, p.named())
		c.cfg.Listed = nil
	}
	if c.cfg.Listed.fromProvider() {
		r.IdentitySource = SourceProviderAPI
		c.listed()
		if len(c.cfg.Verified) > 0 {
			r.warn(WarnVerifiedIgnored, "the identities given by hand were ignored: %s's own list was given", p.named())
		}
		if c.cfg.Listed.Sandbox {
			r.warn(WarnSandbox, "the %s account is in the sandbox: it sends only to verified recipients, so every recipient must be verified too", p.Name)
		}
		for _, n := range c.cfg.Listed.Notes {
			r.warn(WarnListNote, "%s", n)
		}
		return
	}
	for _, v := range c.cfg.Verified {
		if strings.TrimSpace(v) == "" {
			continue
		}
		id, written, err := parseIdentity(v)
		if err != nil {
			r.warn(WarnInvalidIdentity, "verified identity %q ignored: %s", v, strings.TrimPrefix(err.Error(), "sender: "))
			continue
		}
		c.ids = append(c.ids, identity{Identity: id, written: written})
		r.IdentitySource = SourceCaller
	}
}

// warnings adds the remarks that do not depend on the verdict.
func (c *checker) warnings(from, env *Address) {
	r := c.r
	for _, ml := range MixedScript(from.Domain) {
		r.warn(WarnMixedScript, "the From domain label %q mixes %s letters", ml.Label, joinScripts(ml.Scripts))
	}
	if from.NeedsSMTPUTF8() {
		r.warn(WarnSMTPUTF8, "the From local part %q is not ASCII; the provider must support SMTPUTF8 (RFC 6531)", from.Local)
	}
	if env == nil || env.ASCII() == from.ASCII() {
		return
	}
	var checks string
	switch c.prof.Judges {
	case provider.JudgesEnvelope:
		checks = c.prof.named() + " checks the envelope sender"
	case provider.JudgesBoth:
		checks = c.prof.named() + " checks both"
	default:
		checks = c.prof.named() + " checks the From"
	}
	if env.Domain != from.Domain && !env.Domain.IsSubdomainOf(from.Domain) && !from.Domain.IsSubdomainOf(env.Domain) {
		r.warn(WarnEnvelopeMismatch, "the envelope sender's domain %s differs from the From domain %s: SPF cannot align for DMARC; %s", env.Domain.Unicode(), from.Domain.Unicode(), checks)
		return
	}
	r.warn(WarnEnvelopeDiffers, "the envelope sender %s differs from the From %s; %s", env.Unicode(), from.Unicode(), checks)
}

func joinScripts(s []Script) string {
	parts := make([]string, len(s))
	for i, x := range s {
		parts[i] = string(x)
	}
	return strings.Join(parts, " and ")
}

// judge sets the verdict for one address; written is its domain as given.
func (c *checker) judge(a *Address, written string) {
	p, r := c.prof, c.r
	r.weaken(p.SendersConf, "which identities "+p.named()+" lets an account send as")

	// Matching.
	var best *identity
	var bestM match
	caseOnly, subOnly := (*identity)(nil), (*identity)(nil)
	for i := range c.ids {
		id := &c.ids[i]
		m := p.match(a, id.Identity)
		if m.ok && p.LocalCaseSensitive && id.Address != nil && domainCaseDiffers(written, id.written) {
			// Amazon SES compares verified addresses whole and
			// case-sensitively: sender@EXAMPLE.com is not
			// sender@example.com (domain identities ignore case).
			m = match{caseOnly: true}
		}
		switch {
		case m.ok && (best == nil || len(m.relaxed) < len(bestM.relaxed) ||
			len(m.relaxed) == len(bestM.relaxed) && bestM.confidence.Weaker(m.confidence)):
			best, bestM = id, m
		case m.caseOnly && caseOnly == nil:
			caseOnly = id
		case m.subOnly && subOnly == nil:
			subOnly = id
		}
	}
	if best != nil {
		r.Matched, r.Relaxed = best.String(), bestM.relaxed
		if p.Senders == provider.SendersDomain {
			// An address given to a domain-level provider stands for its
			// domain.
			r.Matched = best.Domain.Unicode()
		}
		if bestM.confidence == provider.ConfidenceUnverified {
			r.Verdict, r.Reason = VerdictUnknown, ReasonUnverifiedRule
			r.weaken(provider.ConfidenceUnverified, c.relaxedRules(bestM.relaxed))
			r.Detail = fmt.Sprintf("%s matches %s only if %s %s, which no %s document confirms.",
				a.Unicode(), best.String(), p.named(), describeRelaxed(bestM.relaxed), p.named())
			r.Suggestion = fmt.Sprintf("Use %s exactly as it is registered.", best.String())
			return
		}
		r.weaken(bestM.confidence, "")
		c.allowed(a, best, bestM)
		return
	}
	c.unreadyMatch(a)
	c.notMatched(a, written, caseOnly, subOnly)
	c.incompleteList()
}

// domainCaseDiffers reports whether two spellings of the same domain, both
// known, differ in letter case.
func domainCaseDiffers(a, b string) bool {
	return a != "" && b != "" && a != b && strings.EqualFold(a, b)
}

// spelled returns a's address with the domain as written, when the two
// differ only in case; otherwise a.Unicode().
func spelled(a *Address, written string) string {
	if written != "" && written != a.Domain.ASCII() && strings.EqualFold(written, a.Domain.ASCII()) {
		return quoteLocal(a.Local) + "@" + written
	}
	return a.Unicode()
}

func (c *checker) relaxedRules(rs []Relaxation) string {
	return c.prof.named() + " " + describeRelaxed(rs)
}

func describeRelaxed(rs []Relaxation) string {
	var parts []string
	for _, x := range rs {
		switch x {
		case RelaxCase:
			parts = append(parts, "compares local parts case-insensitively")
		case RelaxDots:
			parts = append(parts, "ignores dots in local parts")
		case RelaxPlusTag:
			parts = append(parts, "accepts +tag sub-addresses of a verified address")
		case RelaxSubdomain:
			parts = append(parts, "extends a verified domain to its subdomains")
		case RelaxParentDomain:
			parts = append(parts, "accepts the parent of the sending domain")
		}
	}
	return strings.Join(parts, " and ")
}

// allowed fills in an allowed verdict (or the relay's unknown).
func (c *checker) allowed(a *Address, id *identity, m match) {
	p, r := c.prof, c.r
	r.Verdict = VerdictAllowed
	switch {
	case id.account && id.Address != nil:
		r.Reason = ReasonMatchedAccount
		r.Detail = fmt.Sprintf("%s is the authenticated account.", a.Unicode())
	case id.Address != nil && p.Senders != provider.SendersDomain:
		r.Reason = ReasonMatchedAddress
		r.Detail = fmt.Sprintf("%s is a verified identity at %s.", id.String(), p.named())
	case m.contains(RelaxParentDomain):
		r.Reason = ReasonMatchedDomain
		r.Detail = fmt.Sprintf("%s is on the parent domain of the sending domain %s.", a.Unicode(), id.Domain.Unicode())
	default:
		r.Reason = ReasonMatchedDomain
		r.Detail = fmt.Sprintf("%s is on the verified domain %s.", a.Unicode(), id.Domain.Unicode())
	}
	if len(m.relaxed) > 0 {
		r.Detail += fmt.Sprintf(" It matches because %s %s.", p.named(), describeRelaxed(m.relaxed))
	}
	switch {
	case p.Senders == provider.SendersRelayPolicy && !(id.account && id.Address != nil):
		r.Verdict, r.Reason = VerdictUnknown, ReasonRelayPolicy
		r.Detail = fmt.Sprintf("%s is in your domains (%s). The SMTP relay's \"Allowed senders\" setting decides: allowed under \"Only addresses in my domains\" or \"Any addresses\", rejected under \"Only registered Apps users\" unless it is a user.", a.Unicode(), id.Domain.Unicode())
		r.Suggestion = "Check Allowed senders in " + p.VerifyAt + "."
	case p.Provider == provider.Microsoft365 && id.Address != nil && !id.account:
		r.warn(WarnAliasRewrite, "if %s is a proxy address (alias) of the account rather than a mailbox it has Send As rights on, Exchange Online rewrites it to the primary address unless SendFromAliasEnabled is on", id.String())
	case m.contains(RelaxParentDomain):
		r.warn(WarnDMARCAlignment, "the From is on the parent of the sending domain %s: DMARC aligns only under relaxed alignment (adkim=r, aspf=r)", id.Domain.Unicode())
	}
	if p.Senders == provider.SendersUnknown {
		r.weaken(provider.ConfidenceUnverified, "whether this server restricts senders")
		r.Detail += " The server's sender policy is not known; this is what it most likely accepts."
	}
}

func (m match) contains(x Relaxation) bool {
	for _, y := range m.relaxed {
		if y == x {
			return true
		}
	}
	return false
}

// notMatched fills in the verdict for an address that matched nothing.
func (c *checker) notMatched(a *Address, written string, caseOnly, subOnly *identity) {
	p, r := c.prof, c.r
	// A list read from the provider is the whole truth even when empty.
	hasIDs := len(c.ids) > 0 || c.cfg.Listed.fromProvider()

	// Look-alikes first: they are what an attacker sends.
	if id := c.lookAlike(a); id != nil {
		r.warn(WarnLookAlike, "%s looks like %s but is a different address", a.Unicode(), id.String())
		r.Verdict, r.Reason = c.mismatchVerdict(), ReasonLookAlike
		r.Detail = fmt.Sprintf("%s is not %s: they differ only by look-alike characters.", a.Unicode(), id.String())
		want := id.String()
		if id.Address == nil {
			want = "an address at " + want
		}
		r.Suggestion = fmt.Sprintf("Use %s if that is what you meant; otherwise treat this From as a spoofing attempt.", want)
		c.mismatchConfidence()
		return
	}

	switch p.Senders {
	case provider.SendersAccount:
		if !hasIDs {
			r.Verdict, r.Reason = VerdictUnknown, ReasonNoUsername
			r.Detail = fmt.Sprintf("%s sends as the authenticated mailbox and its aliases; no username was given to tell which mailbox that is.", upperFirst(p.named()))
			r.Suggestion = "Give the SMTP username (the mailbox address)."
			return
		}
		r.Verdict, r.Reason = c.mismatchVerdict(), ReasonNotAccountIdentity
		c.mismatchConfidence()
		acct := "the account"
		if c.account != nil {
			acct = c.account.Unicode()
		}
		switch r.Verdict {
		case VerdictRewritten:
			r.Detail = fmt.Sprintf("%s is neither %s nor one of its send-as aliases; %s sends the message with the From replaced by %s.", a.Unicode(), acct, p.named(), acct)
		default:
			r.Detail = fmt.Sprintf("%s is neither %s nor an address it may send as; %s refuses it.", a.Unicode(), acct, p.named())
			if p.MismatchReply != "" {
				r.Detail += " Expect: " + c.expectedReply(a)
			}
		}
		r.Suggestion = fmt.Sprintf("Send as %s, or add %s in %s.", acct, a.Unicode(), p.VerifyAt)
	case provider.SendersVerified, provider.SendersDomain:
		domainOnly := p.Senders == provider.SendersDomain
		if !hasIDs {
			r.Verdict, r.Reason = VerdictUnknown, ReasonNoVerifiedList
			what := "address or domain"
			if domainOnly {
				what = "domain"
			}
			r.Detail = fmt.Sprintf("%s sends only from verified identities, and none were given.", upperFirst(p.named()))
			r.Suggestion = fmt.Sprintf("List the identities verified at %s, or make sure the %s of %s is verified in %s.", p.named(), what, a.Unicode(), p.VerifyAt)
			return
		}
		switch {
		case caseOnly != nil:
			r.Verdict, r.Reason = VerdictRejected, ReasonCaseMismatch
			verified := caseOnly.String()
			if caseOnly.Address != nil {
				verified = spelled(caseOnly.Address, caseOnly.written)
			}
			from := spelled(a, written)
			r.Detail = fmt.Sprintf("%s differs from the verified %s only in letter case, and %s compares verified addresses case-sensitively.", from, verified, p.named())
			r.Suggestion = fmt.Sprintf("Use %s exactly, or verify %s (or the domain %s) in %s.", verified, from, a.Domain.Unicode(), p.VerifyAt)
			r.weaken(p.LocalCaseConf, "")
			return
		case subOnly != nil:
			r.Verdict, r.Reason = VerdictUnknown, ReasonSubdomainNotCovered
			r.weaken(p.SubdomainsConf, p.named()+" extends a verified domain to its subdomains")
			r.Detail = fmt.Sprintf("%s is on a subdomain of the verified domain %s; %s does not document that verification covers subdomains.", a.Unicode(), subOnly.Domain.Unicode(), p.named())
			r.Suggestion = fmt.Sprintf("Verify %s itself in %s, or send from %s.", a.Domain.Unicode(), p.VerifyAt, subOnly.Domain.Unicode())
			return
		}
		r.Verdict = c.mismatchVerdict()
		c.mismatchConfidence()
		if domainOnly {
			r.Reason = ReasonDomainNotVerified
			r.Detail = fmt.Sprintf("%s sends only from verified sending domains, and %s is not one of those given.", upperFirst(p.named()), a.Domain.Unicode())
			r.Suggestion = fmt.Sprintf("Add and verify %s in %s%s.", a.Domain.Unicode(), p.VerifyAt, c.instead(a))
		} else {
			r.Reason = ReasonNotVerified
			r.Detail = fmt.Sprintf("Neither %s nor its domain %s is among the identities verified at %s.", a.Unicode(), a.Domain.Unicode(), p.named())
			r.Suggestion = fmt.Sprintf("Verify %s or the domain %s in %s%s.", a.Unicode(), a.Domain.Unicode(), p.VerifyAt, c.instead(a))
		}
		if p.MismatchReply != "" {
			r.Detail += " Expect: " + c.expectedReply(a)
		}
	case provider.SendersCredentialDomain:
		if !hasIDs {
			r.Verdict, r.Reason = VerdictUnknown, ReasonNoVerifiedList
			r.Detail = fmt.Sprintf("%s credentials belong to one sending domain, and no username or domain was given.", upperFirst(p.named()))
			r.Suggestion = fmt.Sprintf("Give the SMTP username (an address at the sending domain, such as postmaster@%s), or check that %s is a sending domain in %s.", a.Domain.Unicode(), a.Domain.Unicode(), p.VerifyAt)
			return
		}
		r.Verdict, r.Reason = VerdictUnknown, ReasonOutsideSendingDomain
		c.mismatchConfidence()
		r.warn(WarnDMARCAlignment, "%s signs and bounces for its sending domain; a From on %s will not align for DMARC", upperFirst(p.named()), a.Domain.Unicode())
		r.Detail = fmt.Sprintf("%s is outside the sending domain; %s reportedly sends it anyway, but DMARC alignment fails and receivers may reject it.", a.Unicode(), p.named())
		r.Suggestion = fmt.Sprintf("Send from an address at the sending domain%s, or add %s as a sending domain in %s.", c.instead(a), a.Domain.Unicode(), p.VerifyAt)
	case provider.SendersRelayPolicy:
		if !hasIDs {
			r.Verdict, r.Reason = VerdictUnknown, ReasonNoVerifiedList
			r.Detail = "The SMTP relay accepts addresses in your organisation's domains (per its Allowed senders setting); neither a username nor your domains were given."
			r.Suggestion = "Give the SMTP username or list your Workspace domains as verified identities."
			return
		}
		r.Verdict, r.Reason = VerdictRejected, ReasonNotVerified
		c.mismatchConfidence()
		r.Detail = fmt.Sprintf("%s is not in your organisation's domains; the relay refuses it unless Allowed senders is \"Any addresses\". Expect: %s", a.Unicode(), c.expectedReply(a))
		r.Suggestion = fmt.Sprintf("Send from an address in your domains%s, or change Allowed senders in %s.", c.instead(a), p.VerifyAt)
	default:
		r.Verdict, r.Reason = VerdictUnknown, ReasonUnknownPolicy
		r.weaken(provider.ConfidenceUnverified, "whether this server restricts senders")
		r.Detail = fmt.Sprintf("%s matches neither the username nor a listed identity, and this server's sender policy is not known.", a.Unicode())
		r.Suggestion = "Send as the SMTP username's address, or ask the server's administrator which senders it accepts."
		if c.account != nil {
			r.Suggestion = fmt.Sprintf("Send as %s, or ask the server's administrator which senders it accepts.", c.account.Unicode())
		}
	}
}

// expectedReply returns the provider's reply to a refused From, with the
// values of this check in place of the table's placeholders.
func (c *checker) expectedReply(a *Address) string {
	v := providertext.Values{From: a.Unicode(), Domain: a.Domain.Unicode(), Region: providertext.Region(c.cfg.Host)}
	switch {
	case c.account != nil:
		v.Account = c.account.Unicode()
	case strings.TrimSpace(c.cfg.Username) != "":
		v.Account = strings.TrimSpace(c.cfg.Username)
	}
	return providertext.Fill(c.prof.MismatchReply, v)
}

// mismatchVerdict maps the provider's mismatch action to a verdict.
func (c *checker) mismatchVerdict() Verdict {
	switch c.prof.Mismatch {
	case provider.MismatchRewrite:
		return VerdictRewritten
	case provider.MismatchReject:
		return VerdictRejected
	}
	return VerdictUnknown
}

func (c *checker) mismatchConfidence() {
	c.r.weaken(c.prof.MismatchConf, "what "+c.prof.named()+" does with a sender it does not allow")
}

// instead suggests a sender built from the configuration: the first
// verified address, or the From's local part at the first verified domain.
func (c *checker) instead(a *Address) string {
	for _, id := range c.ids {
		if id.Address != nil {
			return ", or send from " + id.Address.Unicode()
		}
	}
	for _, id := range c.ids {
		alt := &Address{Local: a.Local, Domain: id.Domain}
		return ", or send from " + alt.Unicode()
	}
	return ""
}

// lookAlike returns an identity that a looks like, if any.
func (c *checker) lookAlike(a *Address) *identity {
	for i := range c.ids {
		id := &c.ids[i]
		if LookAlike(a.Domain.Unicode(), id.Domain.Unicode()) {
			return id
		}
		if id.Address != nil && LookAlike(a.Unicode(), id.Address.Unicode()) {
			return id
		}
	}
	return nil
}
