package dmarc

import (
	"fmt"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// MailboxDomainFinding judges mail From a free-mail domain (one of
// [provider.MailboxDomains], such as yahoo.com or gmail.com) that leaves
// through the servers of sender, a provider other than the mailbox
// provider itself: no such message can pass DMARC, since only the mailbox
// provider signs for the domain and is in its SPF record. The published
// policy res (from [Discover]) decides the severity: an error when
// receivers reject or quarantine, a warning when the policy is none or
// could not be read. It returns nil when the domain is not a free-mail
// domain or sender is its mailbox provider. sender "" means not known, and
// counts as another provider.
func MailboxDomainFinding(res *Result, sender provider.ID) *dnscheck.Finding {
	if res == nil {
		return nil
	}
	m, ok := provider.MailboxDomainOf(res.Domain)
	if !ok || (m.Provider != "" && sameOperator(m.Provider, sender)) {
		return nil
	}
	via := "any server but " + m.Name + "'s own"
	if p, ok := provider.Get(sender); ok && sender != provider.Generic {
		via = p.Name
	}
	f := dnscheck.Finding{
		Code: dnscheck.CodeDMARCMailboxDomain,
		Name: "_dmarc." + m.Domain,
		Fix:  "send from an address at your own domain, authenticated for the provider, and put the person's " + m.Domain + " address in Reply-To",
	}
	published := res.Policy
	switch {
	case res.Record != nil && (published == PolicyReject || published == PolicyQuarantine):
		f.Severity = dnscheck.SeverityError
		effect := "refuse"
		if published == PolicyQuarantine {
			effect = "put in spam"
		}
		f.Message = fmt.Sprintf("%s is a %s domain and publishes p=%s: mail From it sent through %s fails DMARC, and receivers %s it", m.Domain, m.Name, published, via, effect)
	case res.Record != nil:
		f.Severity = dnscheck.SeverityWarning
		f.Message = fmt.Sprintf("%s is a %s domain; it publishes p=%s, but mail From it sent through %s still fails DMARC and is likely to be junked", m.Domain, m.Name, published, via)
	default:
		f.Severity = dnscheck.SeverityWarning
		f.Message = fmt.Sprintf("%s is a %s domain (last known policy p=%s); its DMARC record could not be read now, and mail From it sent through %s fails DMARC", m.Domain, m.Name, m.Policy, via)
	}
	if res.Record != nil && string(published) != string(m.Policy) {
		f.Message += fmt.Sprintf(" (the list this module keeps says p=%s; the published record wins)", m.Policy)
	}
	return &f
}

// sameOperator reports whether two providers run the same servers
// (Google's consumer Gmail, Workspace and relay).
func sameOperator(a, b provider.ID) bool {
	google := func(id provider.ID) bool {
		return id == provider.Gmail || id == provider.GoogleWorkspace || id == provider.GoogleRelay
	}
	return a == b || google(a) && google(b)
}
