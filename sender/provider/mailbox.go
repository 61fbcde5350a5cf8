package provider

import "strings"

// DMARCPolicy is the policy (the p= tag, RFC 7489 section 6.3) a domain
// publishes for mail that fails DMARC.
type DMARCPolicy string

// DMARC policies.
const (
	DMARCReject     DMARCPolicy = "reject"     // receivers refuse failing mail
	DMARCQuarantine DMARCPolicy = "quarantine" // receivers junk failing mail
	DMARCNone       DMARCPolicy = "none"       // receivers only report
)

// MailboxDomain is a domain where people have personal mailboxes (free
// mail). Mail with such an address in From authenticates under DMARC only
// when it leaves through the mailbox provider's own servers: no other
// service can sign for the domain or is in its SPF record.
type MailboxDomain struct {
	// Domain is the domain, lower case.
	Domain string
	// Name is the mailbox provider's name.
	Name string
	// Provider is the provider in the table that runs the domain's
	// submission servers, or "" when it is not in the table.
	Provider ID
	// Policy is the DMARC policy the domain publishes, as last checked.
	Policy DMARCPolicy
	// PolicyConf is how well Policy is sourced; dnsauth can confirm it
	// from the published record.
	PolicyConf Confidence
}

// mailboxDomains is the list of free-mail domains. Policies marked doc
// were announced by the provider; the others are the records as last
// seen, to be confirmed from DNS.
var mailboxDomains = []MailboxDomain{
	// Yahoo moved yahoo.com to p=reject in April 2014, AOL followed.
	{"yahoo.com", "Yahoo Mail", Yahoo, DMARCReject, ConfidenceDoc},
	{"ymail.com", "Yahoo Mail", Yahoo, DMARCReject, ConfidenceUnverified},
	{"rocketmail.com", "Yahoo Mail", Yahoo, DMARCReject, ConfidenceUnverified},
	{"yahoo.co.uk", "Yahoo Mail", Yahoo, DMARCReject, ConfidenceUnverified},
	{"yahoo.fr", "Yahoo Mail", Yahoo, DMARCReject, ConfidenceUnverified},
	{"yahoo.de", "Yahoo Mail", Yahoo, DMARCReject, ConfidenceUnverified},
	{"aol.com", "AOL Mail", Yahoo, DMARCReject, ConfidenceDoc},
	// Google's sender guidelines (2024) announce quarantine enforcement
	// for mail that impersonates gmail.com.
	{"gmail.com", "Gmail", Gmail, DMARCQuarantine, Confidence3P},
	{"googlemail.com", "Gmail", Gmail, DMARCQuarantine, ConfidenceUnverified},
	{"outlook.com", "Outlook.com", Outlook, DMARCReject, ConfidenceUnverified},
	{"hotmail.com", "Outlook.com", Outlook, DMARCReject, ConfidenceUnverified},
	{"live.com", "Outlook.com", Outlook, DMARCReject, ConfidenceUnverified},
	{"msn.com", "Outlook.com", Outlook, DMARCReject, ConfidenceUnverified},
	{"icloud.com", "iCloud Mail", ICloud, DMARCQuarantine, ConfidenceUnverified},
	{"me.com", "iCloud Mail", ICloud, DMARCQuarantine, ConfidenceUnverified},
	{"mac.com", "iCloud Mail", ICloud, DMARCQuarantine, ConfidenceUnverified},
	{"gmx.de", "GMX", "", DMARCQuarantine, ConfidenceUnverified},
	{"gmx.net", "GMX", "", DMARCQuarantine, ConfidenceUnverified},
	{"gmx.com", "GMX", "", DMARCQuarantine, ConfidenceUnverified},
	{"web.de", "WEB.DE", "", DMARCQuarantine, ConfidenceUnverified},
	{"yandex.ru", "Yandex Mail", "", DMARCNone, ConfidenceUnverified},
	{"yandex.com", "Yandex Mail", "", DMARCNone, ConfidenceUnverified},
	// Mail.Ru published p=reject for mail.ru on March 1, 2016.
	{"mail.ru", "Mail.ru", "", DMARCReject, ConfidenceObs},
	{"protonmail.com", "Proton Mail", ProtonMail, DMARCQuarantine, ConfidenceUnverified},
	{"proton.me", "Proton Mail", ProtonMail, DMARCQuarantine, ConfidenceUnverified},
	{"zoho.com", "Zoho Mail", Zoho, DMARCNone, ConfidenceUnverified},
	{"fastmail.com", "Fastmail", Fastmail, DMARCNone, ConfidenceUnverified},
}

// MailboxDomains returns every free-mail domain of the table, in a fixed
// order. The result is a copy.
func MailboxDomains() []MailboxDomain {
	out := make([]MailboxDomain, len(mailboxDomains))
	copy(out, mailboxDomains)
	return out
}

// MailboxDomainOf returns the free-mail domain entry for domain (an
// A-label or ASCII name, compared without regard to case or a trailing
// dot). It reports false for every other domain, subdomains of a
// free-mail domain included.
func MailboxDomainOf(domain string) (MailboxDomain, bool) {
	d := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
	for _, m := range mailboxDomains {
		if m.Domain == d {
			return m, true
		}
	}
	return MailboxDomain{}, false
}
