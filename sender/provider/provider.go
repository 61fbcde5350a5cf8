package provider

import (
	"net"
	"strings"
)

// ID names a provider or a mail system. IDs are stable lowercase strings;
// they appear in the JSON output of this module's packages. Turn a string
// from outside into an ID with [ParseID].
type ID string

// IDs of the providers in the table, in the order of [All].
const (
	Gmail           ID = "gmail"            // consumer Gmail (smtp.gmail.com, @gmail.com accounts)
	GoogleWorkspace ID = "google-workspace" // Workspace users through smtp.gmail.com
	GoogleRelay     ID = "google-relay"     // Workspace SMTP relay, smtp-relay.gmail.com
	Microsoft365    ID = "microsoft365"     // Exchange Online, smtp.office365.com
	Outlook         ID = "outlook"          // Outlook.com / Hotmail consumer accounts
	SES             ID = "ses"              // Amazon SES, every region
	SendGrid        ID = "sendgrid"         // Twilio SendGrid
	Mailgun         ID = "mailgun"          // Mailgun, US and EU
	Postmark        ID = "postmark"         // Postmark
	SparkPost       ID = "sparkpost"        // SparkPost (Bird), US and EU
	Zoho            ID = "zoho"             // Zoho Mail
	ZeptoMail       ID = "zeptomail"        // ZeptoMail, Zoho's transactional service
	Brevo           ID = "brevo"            // Brevo, formerly Sendinblue
	Mailjet         ID = "mailjet"          // Mailjet (Sinch)
	Yahoo           ID = "yahoo"            // Yahoo Mail and AOL
	ICloud          ID = "icloud"           // Apple iCloud Mail
	Fastmail        ID = "fastmail"         // Fastmail
	Mandrill        ID = "mandrill"         // Mailchimp Transactional
	Mailchimp       ID = "mailchimp"        // Mailchimp marketing (no customer SMTP)
	ProtonMail      ID = "protonmail"       // Proton Mail
	Generic         ID = "generic"          // any other SMTP server
)

// ReturnPathMode says whose domain a provider puts in the envelope sender
// (MAIL FROM / Return-Path) by default, which decides where SPF must pass and
// whether SPF can align with the From domain for DMARC.
type ReturnPathMode string

// Return-path modes.
const (
	// ReturnPathSender: the envelope sender is the customer's own address, so
	// the From domain's SPF record must authorize the provider.
	ReturnPathSender ReturnPathMode = "sender"
	// ReturnPathProvider: the envelope sender is on the provider's domain
	// unless the customer sets up a custom return path (a subdomain delegated
	// to the provider). SPF then passes for the provider's domain, never
	// aligns with the From domain, and DMARC relies on DKIM.
	ReturnPathProvider ReturnPathMode = "provider"
	// ReturnPathDelegated: the provider's setup delegates a subdomain of the
	// customer's domain (by CNAME) as the envelope domain, so SPF aligns under
	// relaxed DMARC without an include on the From domain.
	ReturnPathDelegated ReturnPathMode = "delegated"
)

// Provider is the public facts about one provider. Values returned by this
// package are copies; changing one changes nothing in the table.
type Provider struct {
	ID   ID     // the stable ID
	Name string // the display name, such as "Amazon SES"

	// SMTPHosts are the submission hosts. A label "*" matches exactly one DNS
	// label (email-smtp.*.amazonaws.com).
	SMTPHosts []string

	// SPFIncludes are include targets that authorize the provider's senders;
	// the first is the one to recommend.
	SPFIncludes []string
	// SPFIncludeOnApex is false where the provider's documentation puts the
	// include on a return-path subdomain (or not at all) rather than on the
	// From domain.
	SPFIncludeOnApex bool

	// DKIMSelectors are selectors the provider usually publishes under the
	// customer's domain. DKIMSelectorPattern, when set, is a regular
	// expression for selectors that carry dates or tokens.
	DKIMSelectors       []string
	DKIMSelectorPattern string
	// DKIMSelectorsSecret is true where the selectors are per-customer tokens
	// that cannot be guessed (Amazon SES Easy DKIM).
	DKIMSelectorsSecret bool

	// ReturnPath says whose domain is the default envelope domain.
	ReturnPath ReturnPathMode
	// ReturnPathDomain is the provider's own envelope domain, where known.
	ReturnPathDomain string
	// ReturnPathSetup tells how to get an aligned envelope domain. In it,
	// <domain> stands for the customer's domain and <region> for the
	// cloud region sent from.
	ReturnPathSetup string

	// Unverified lists facts in this row that no provider document confirmed.
	Unverified []string
}

// All returns every provider of the table in a fixed order, [Generic] last.
// The result and every slice in it are copies: changing them changes
// nothing here.
func All() []Provider {
	out := make([]Provider, len(table))
	for i := range table {
		out[i] = table[i].clone()
	}
	return out
}

// Get returns the provider with the given ID. It reports false for IDs
// outside the table, including the mail software IDs such as [Postfix].
// The result is a copy.
func Get(id ID) (Provider, bool) {
	for i := range table {
		if table[i].ID == id {
			return table[i].clone(), true
		}
	}
	return Provider{}, false
}

// ByHost returns the provider whose SMTP submission host matches host,
// compared without regard to case or a trailing dot; a port, as in
// "smtp.example.com:587" or "[smtp.example.com]:465", is ignored. It reports
// false for hosts of no provider in the table. The result is a copy.
func ByHost(host string) (Provider, bool) {
	h := strings.TrimSpace(host)
	if name, _, err := net.SplitHostPort(h); err == nil {
		h = name
	}
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h == "" {
		return Provider{}, false
	}
	for i := range table {
		for _, pat := range table[i].SMTPHosts {
			if matchHost(pat, h) {
				return table[i].clone(), true
			}
		}
	}
	return Provider{}, false
}

// ByInclude returns the provider that an SPF include target (such as
// "_spf.google.com") belongs to, compared without regard to case or a
// trailing dot. Where providers share an include, the first in [All] order
// is returned. The result is a copy.
func ByInclude(target string) (Provider, bool) {
	t := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(target)), ".")
	for i := range table {
		for _, inc := range table[i].SPFIncludes {
			if inc == t {
				return table[i].clone(), true
			}
		}
	}
	return Provider{}, false
}

// matchHost reports whether host matches pattern, where a "*" label of the
// pattern matches exactly one label of host. Both must be lower case.
func matchHost(pattern, host string) bool {
	for {
		pl, prest, pmore := strings.Cut(pattern, ".")
		hl, hrest, hmore := strings.Cut(host, ".")
		if pl != "*" && pl != hl || hl == "" {
			return false
		}
		if !pmore || !hmore {
			return pmore == hmore
		}
		pattern, host = prest, hrest
	}
}

// clone returns p with its slices copied into one new backing array, so
// a caller can keep or change the result without touching the table. Each
// part is capped, so appending to one cannot overwrite the next.
func (p Provider) clone() Provider {
	n := len(p.SMTPHosts) + len(p.SPFIncludes) + len(p.DKIMSelectors) + len(p.Unverified)
	if n == 0 {
		return p
	}
	buf := make([]string, 0, n)
	part := func(s []string) []string {
		if s == nil {
			return nil
		}
		start := len(buf)
		buf = append(buf, s...)
		return buf[start:len(buf):len(buf)]
	}
	p.SMTPHosts = part(p.SMTPHosts)
	p.SPFIncludes = part(p.SPFIncludes)
	p.DKIMSelectors = part(p.DKIMSelectors)
	p.Unverified = part(p.Unverified)
	return p
}

// table is the data. It is unexported and never written, so no caller can
// change it.
var table = []Provider{
	{
		ID: Gmail, Name: "Gmail",
		SMTPHosts:        []string{"smtp.gmail.com", "smtp.googlemail.com"},
		SPFIncludes:      []string{"_spf.google.com"},
		SPFIncludeOnApex: true,
		DKIMSelectors:    []string{"google"},
		ReturnPath:       ReturnPathSender,
	},
	{
		ID: GoogleWorkspace, Name: "Google Workspace",
		// Workspace users submit through smtp.gmail.com like consumer
		// Gmail; the account's domain tells them apart.
		SPFIncludes:      []string{"_spf.google.com"},
		SPFIncludeOnApex: true,
		DKIMSelectors:    []string{"google"},
		ReturnPath:       ReturnPathSender,
	},
	{
		ID: GoogleRelay, Name: "Google Workspace SMTP relay",
		SMTPHosts:        []string{"smtp-relay.gmail.com"},
		SPFIncludes:      []string{"_spf.google.com"},
		SPFIncludeOnApex: true,
		DKIMSelectors:    []string{"google"},
		ReturnPath:       ReturnPathSender,
	},
	{
		ID: Microsoft365, Name: "Microsoft 365",
		SMTPHosts:        []string{"smtp.office365.com", "*.mail.protection.outlook.com"},
		SPFIncludes:      []string{"spf.protection.outlook.com"},
		SPFIncludeOnApex: true,
		DKIMSelectors:    []string{"selector1", "selector2"},
		ReturnPath:       ReturnPathSender,
	},
	{
		ID: Outlook, Name: "Outlook.com",
		SMTPHosts:        []string{"smtp-mail.outlook.com", "smtp.live.com"},
		SPFIncludes:      []string{"spf.protection.outlook.com"},
		SPFIncludeOnApex: true,
		ReturnPath:       ReturnPathSender,
		Unverified:       []string{"which aliases may send"},
	},
	{
		ID: SES, Name: "Amazon SES",
		SMTPHosts:           []string{"email-smtp.*.amazonaws.com", "email-smtp-fips.*.amazonaws.com"},
		SPFIncludes:         []string{"amazonses.com"},
		DKIMSelectorsSecret: true,
		ReturnPath:          ReturnPathProvider,
		ReturnPathDomain:    "amazonses.com",
		ReturnPathSetup:     "set up a custom MAIL FROM subdomain (for example bounce.<domain>) with an MX record to the feedback host of the region you send from (feedback-smtp.<region>.amazonses.com) and the TXT record \"v=spf1 include:amazonses.com ~all\"",
		Unverified:          []string{"SPF include placement (from the SES developer guide, not re-checked)"},
	},
	{
		ID: SendGrid, Name: "SendGrid",
		SMTPHosts:        []string{"smtp.sendgrid.net"},
		SPFIncludes:      []string{"sendgrid.net"},
		DKIMSelectors:    []string{"s1", "s2"},
		ReturnPath:       ReturnPathDelegated,
		ReturnPathDomain: "sendgrid.net",
		ReturnPathSetup:  "complete Domain Authentication in SendGrid and publish the CNAME records it shows: a numbered em subdomain of <domain> (such as em1234.<domain>), s1._domainkey and s2._domainkey",
	},
	{
		ID: Mailgun, Name: "Mailgun",
		SMTPHosts:        []string{"smtp.mailgun.org", "smtp.eu.mailgun.org"},
		SPFIncludes:      []string{"mailgun.org", "eu.mailgun.org"},
		DKIMSelectors:    []string{"pdk1", "pdk2", "mx", "k1", "pic", "krs"},
		ReturnPath:       ReturnPathDelegated,
		ReturnPathDomain: "mailgun.org",
		ReturnPathSetup:  "send from a verified Mailgun sending domain (often mg.<domain>) whose TXT record includes mailgun.org",
		Unverified:       []string{"eu.mailgun.org include", "selectors k1, pic, krs"},
	},
	{
		ID: Postmark, Name: "Postmark",
		SMTPHosts:           []string{"smtp.postmarkapp.com", "smtp-broadcasts.postmarkapp.com"},
		SPFIncludes:         []string{"spf.mtasv.net"},
		DKIMSelectorPattern: `^[0-9]{8,14}pm$`,
		ReturnPath:          ReturnPathProvider,
		ReturnPathDomain:    "pm.mtasv.net",
		ReturnPathSetup:     "publish a Return-Path CNAME pm-bounces.<domain> pointing to pm.mtasv.net and enable it in Postmark",
	},
	{
		ID: SparkPost, Name: "SparkPost",
		SMTPHosts:           []string{"smtp.sparkpostmail.com", "smtp.eu.sparkpostmail.com"},
		SPFIncludes:         []string{"sparkpostmail.com", "_spf.sparkpostmail.com"},
		DKIMSelectorPattern: `^scph[0-9]{4}$`,
		ReturnPath:          ReturnPathProvider,
		ReturnPathDomain:    "sparkpostmail.com",
		ReturnPathSetup:     "add a bounce domain (a subdomain CNAME to sparkpostmail.com) in SparkPost",
		Unverified:          []string{"SPF include names"},
	},
	{
		ID: Zoho, Name: "Zoho Mail",
		SMTPHosts: []string{"smtp.zoho.com", "smtp.zoho.eu", "smtp.zoho.in", "smtp.zoho.com.au", "smtp.zoho.com.cn", "smtp.zoho.jp", "smtp.zoho.sa", "smtp.zohocloud.ca",
			"smtppro.zoho.com", "smtppro.zoho.eu", "smtppro.zoho.in", "smtppro.zoho.com.au", "smtppro.zoho.com.cn", "smtppro.zoho.jp", "smtppro.zoho.sa", "smtppro.zohocloud.ca"},
		SPFIncludes:      []string{"zohomail.com", "zoho.com", "spf.zoho.com", "zoho.eu", "spf.zoho.eu", "zoho.in", "spf.zoho.in", "spf.zoho.com.au", "spf.zoho.com.cn"},
		SPFIncludeOnApex: true,
		DKIMSelectors:    []string{"zmail", "zoho"},
		ReturnPath:       ReturnPathSender,
		Unverified:       []string{"which include name is current (sources disagree; all are accepted)"},
	},
	{
		ID: ZeptoMail, Name: "ZeptoMail",
		SMTPHosts:       []string{"smtp.zeptomail.com", "smtp.zeptomail.eu", "smtp.zeptomail.in", "smtp.zeptomail.com.au", "smtp.zeptomail.com.cn", "smtp.zeptomail.jp", "smtp.zeptomail.sa", "smtp.zeptomail.ca"},
		SPFIncludes:     []string{"zeptomail.net", "zcsend.net"},
		ReturnPath:      ReturnPathDelegated,
		ReturnPathSetup: "add the bounce-address CNAME that ZeptoMail shows for your domain",
		Unverified:      []string{"SMTP hosts", "SPF include names"},
	},
	{
		ID: Brevo, Name: "Brevo",
		SMTPHosts:        []string{"smtp-relay.brevo.com", "smtp-relay.sendinblue.com"},
		SPFIncludes:      []string{"spf.brevo.com", "spf.sendinblue.com"},
		DKIMSelectors:    []string{"brevo1", "brevo2", "mail"},
		ReturnPath:       ReturnPathProvider,
		ReturnPathDomain: "sender-sib.com",
		ReturnPathSetup:  "authenticate the domain in Brevo (DKIM) so DMARC aligns through DKIM; on shared IPs the Return-Path stays on Brevo's domain",
		Unverified:       []string{"SPF include", "DKIM selectors"},
	},
	{
		ID: Mailjet, Name: "Mailjet",
		SMTPHosts:        []string{"in-v3.mailjet.com", "in.mailjet.com"},
		SPFIncludes:      []string{"spf.mailjet.com"},
		SPFIncludeOnApex: true,
		DKIMSelectors:    []string{"mailjet"},
		ReturnPath:       ReturnPathProvider,
		ReturnPathDomain: "mailjet.com",
		ReturnPathSetup:  "authenticate the domain in Mailjet (SPF and DKIM); DMARC aligns through DKIM",
	},
	{
		ID: Yahoo, Name: "Yahoo Mail",
		SMTPHosts:  []string{"smtp.mail.yahoo.com", "smtp.aol.com", "smtp.mail.aol.com"},
		ReturnPath: ReturnPathSender,
		Unverified: []string{"which other addresses may send"},
	},
	{
		ID: ICloud, Name: "iCloud Mail",
		SMTPHosts:        []string{"smtp.mail.me.com"},
		SPFIncludes:      []string{"icloud.com"},
		SPFIncludeOnApex: true,
		DKIMSelectors:    []string{"sig1"},
		ReturnPath:       ReturnPathSender,
		Unverified:       []string{"SPF include", "DKIM selector"},
	},
	{
		ID: Fastmail, Name: "Fastmail",
		SMTPHosts:        []string{"smtp.fastmail.com"},
		SPFIncludes:      []string{"spf.messagingengine.com"},
		SPFIncludeOnApex: true,
		DKIMSelectors:    []string{"fm1", "fm2", "fm3", "mesmtp"},
		ReturnPath:       ReturnPathSender,
		Unverified:       []string{"SPF include"},
	},
	{
		ID: Mandrill, Name: "Mailchimp Transactional (Mandrill)",
		SMTPHosts:        []string{"smtp.mandrillapp.com"},
		SPFIncludes:      []string{"spf.mandrillapp.com"},
		DKIMSelectors:    []string{"mte1", "mte2", "mandrill"},
		ReturnPath:       ReturnPathProvider,
		ReturnPathDomain: "mandrillapp.com",
		ReturnPathSetup:  "set up a custom return-path domain in Mandrill; otherwise DMARC aligns through DKIM only",
	},
	{
		ID: Mailchimp, Name: "Mailchimp",
		SPFIncludes:      []string{"servers.mcsv.net"},
		DKIMSelectors:    []string{"k1", "k2", "k3"},
		ReturnPath:       ReturnPathProvider,
		ReturnPathDomain: "mcsv.net",
		ReturnPathSetup:  "authenticate the domain in Mailchimp (the k2/k3 DKIM CNAMEs); an SPF include is not needed",
	},
	{
		ID: ProtonMail, Name: "Proton Mail",
		SMTPHosts:        []string{"smtp.protonmail.ch"},
		SPFIncludes:      []string{"_spf.protonmail.ch"},
		SPFIncludeOnApex: true,
		DKIMSelectors:    []string{"protonmail", "protonmail2", "protonmail3"},
		ReturnPath:       ReturnPathSender,
		Unverified:       []string{"SMTP host", "SPF include", "DKIM selectors"},
	},
	{
		ID: Generic, Name: "Other SMTP server",
		ReturnPath: ReturnPathSender,
	},
}
