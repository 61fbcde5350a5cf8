package provider

// This file holds which sender identities each provider accepts, compiled
// from the shared notes on provider sender rules. Every rule carries the
// confidence of its source; the sender package treats unverified rules
// conservatively and says so in its results.

// Confidence says how well a rule is sourced.
type Confidence string

// Confidence levels, from strongest to weakest.
const (
	ConfidenceDoc        Confidence = "doc"        // the provider's own documentation
	ConfidenceObs        Confidence = "obs"        // exact reply text seen in public logs or issues
	Confidence3P         Confidence = "3p"         // a third-party guide or article
	ConfidenceUnverified Confidence = "unverified" // not confirmed; a hypothesis
)

// Weaker reports whether c is a weaker confidence than d.
func (c Confidence) Weaker(d Confidence) bool { return c.rank() > d.rank() }

func (c Confidence) rank() int {
	switch c {
	case ConfidenceDoc:
		return 0
	case ConfidenceObs:
		return 1
	case Confidence3P:
		return 2
	}
	return 3
}

// UsernameForm says what a provider expects as the SMTP AUTH username.
type UsernameForm string

// Username forms.
const (
	// UsernameAddress: the mailbox's own address, which is also the base
	// sending identity (Gmail, Microsoft 365, Zoho, Yahoo, iCloud, Fastmail).
	UsernameAddress UsernameForm = "address"
	// UsernameFixed: a fixed literal (SendGrid "apikey", SparkPost
	// "SMTP_Injection"); the password carries the key.
	UsernameFixed UsernameForm = "fixed"
	// UsernameAPIKey: an API key or server token (Mailjet, Postmark).
	UsernameAPIKey UsernameForm = "api_key"
	// UsernameCredential: provider-generated SMTP credentials that are not
	// an address (Amazon SES).
	UsernameCredential UsernameForm = "credential"
	// UsernameDomainCredential: an address at the sending domain, one set
	// of credentials per domain (Mailgun "postmaster@mg.example.com").
	UsernameDomainCredential UsernameForm = "domain_credential"
	// UsernameLogin: an account login shaped like an address that is not a
	// sending identity (Brevo's SMTP login).
	UsernameLogin UsernameForm = "login"
	// UsernameUnknown: not known (a generic server).
	UsernameUnknown UsernameForm = "unknown"
)

// SenderPolicy says which identities a provider lets an account send as.
type SenderPolicy string

// Sender policies.
const (
	// SendersAccount: the authenticated mailbox, plus aliases or send-as
	// rights set up at the provider.
	SendersAccount SenderPolicy = "account"
	// SendersVerified: addresses or domains verified at the provider.
	SendersVerified SenderPolicy = "verified"
	// SendersDomain: verified sending domains only; addresses are not
	// identities of their own.
	SendersDomain SenderPolicy = "domain"
	// SendersCredentialDomain: addresses at the domain the SMTP credential
	// belongs to.
	SendersCredentialDomain SenderPolicy = "credential_domain"
	// SendersRelayPolicy: an administrator setting decides (Google
	// Workspace SMTP relay "Allowed senders").
	SendersRelayPolicy SenderPolicy = "relay_policy"
	// SendersUnknown: not known (a generic server).
	SendersUnknown SenderPolicy = "unknown"
)

// MismatchAction says what a provider does with a From it does not allow.
type MismatchAction string

// Mismatch actions.
const (
	MismatchReject  MismatchAction = "reject"  // refused at SMTP time (or held, for Mailjet)
	MismatchRewrite MismatchAction = "rewrite" // sent, with the From replaced by the account address
	MismatchAccept  MismatchAction = "accept"  // sent as is; DMARC alignment fails downstream
	MismatchUnknown MismatchAction = "unknown" // not known
)

// Judged says which sender address a provider checks.
type Judged string

// Judged addresses.
const (
	JudgesHeader   Judged = "header"   // the From: header
	JudgesEnvelope Judged = "envelope" // the envelope sender (MAIL FROM)
	JudgesBoth     Judged = "both"     // both must be allowed
)

// SenderRules are a provider's rules on sender identities. Each rule has
// its confidence beside it.
type SenderRules struct {
	// Username is the AUTH username form; FixedUsername the literal for
	// UsernameFixed.
	Username      UsernameForm
	FixedUsername string
	UsernameConf  Confidence

	// Senders says which identities may send.
	Senders     SenderPolicy
	SendersConf Confidence

	// Subdomains is true when a verified domain also covers its
	// subdomains.
	Subdomains     bool
	SubdomainsConf Confidence

	// LocalCaseSensitive is true when verified addresses compare their
	// local parts case-sensitively (Amazon SES).
	LocalCaseSensitive bool
	LocalCaseConf      Confidence

	// DotsIgnoredDomains are the domains whose local parts ignore dots
	// (gmail.com and googlemail.com on Gmail, nowhere else).
	DotsIgnoredDomains []string
	DotsConf           Confidence

	// PlusTag is true when user+tag@ is accepted wherever user@ is
	// verified.
	PlusTag     bool
	PlusTagConf Confidence

	// Mismatch is what happens to a From that is not allowed, and
	// MismatchReply the reply text seen when it is rejected. In the reply,
	// <from>, <identities>, <account>, <domain> and <REGION> stand for the
	// refused address, the SMTP account, the From domain and the region.
	Mismatch      MismatchAction
	MismatchConf  Confidence
	MismatchReply string

	// Judges says which address the provider checks.
	Judges     Judged
	JudgesConf Confidence

	// VerifyAt tells where identities are added or verified.
	VerifyAt string
}

// SenderRulesFor returns the sender rules of provider id.
func SenderRulesFor(id ID) (SenderRules, bool) {
	switch id {
	case Gmail:
		return SenderRules{
			Username: UsernameAddress, UsernameConf: ConfidenceDoc,
			Senders: SendersAccount, SendersConf: ConfidenceDoc,
			SubdomainsConf:     ConfidenceDoc,
			LocalCaseConf:      Confidence3P,
			DotsIgnoredDomains: []string{"gmail.com", "googlemail.com"}, DotsConf: Confidence3P,
			PlusTagConf: ConfidenceUnverified,
			Mismatch:    MismatchRewrite, MismatchConf: Confidence3P,
			Judges: JudgesHeader, JudgesConf: Confidence3P,
			VerifyAt: "Gmail settings, Accounts: \"Send mail as\" (add and confirm the alias)",
		}, true
	case GoogleWorkspace:
		return SenderRules{
			Username: UsernameAddress, UsernameConf: ConfidenceDoc,
			Senders: SendersAccount, SendersConf: ConfidenceDoc,
			SubdomainsConf: ConfidenceDoc,
			LocalCaseConf:  ConfidenceUnverified,
			DotsConf:       Confidence3P,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchRewrite, MismatchConf: ConfidenceUnverified,
			Judges: JudgesHeader, JudgesConf: ConfidenceUnverified,
			VerifyAt: "the Google Admin console (user aliases, domain aliases) or Gmail \"Send mail as\"",
		}, true
	case GoogleRelay:
		return SenderRules{
			Username: UsernameAddress, UsernameConf: ConfidenceDoc,
			Senders: SendersRelayPolicy, SendersConf: ConfidenceDoc,
			Subdomains: true, SubdomainsConf: ConfidenceDoc,
			LocalCaseConf: ConfidenceUnverified,
			PlusTagConf:   ConfidenceUnverified,
			Mismatch:      MismatchReject, MismatchConf: ConfidenceDoc,
			MismatchReply: "550 5.7.1 Invalid credentials for relay",
			Judges:        JudgesEnvelope, JudgesConf: ConfidenceDoc,
			VerifyAt: "the Google Admin console, Gmail, Routing, SMTP relay service (Allowed senders)",
		}, true
	case Microsoft365:
		return SenderRules{
			Username: UsernameAddress, UsernameConf: ConfidenceDoc,
			Senders: SendersAccount, SendersConf: ConfidenceDoc,
			SubdomainsConf: ConfidenceDoc,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceObs,
			MismatchReply: "554 5.2.252 SendAsDenied; <account> not allowed to send as <from>",
			Judges:        JudgesHeader, JudgesConf: ConfidenceObs,
			VerifyAt: "the Exchange admin center: grant the account Send As on the mailbox or group",
		}, true
	case Outlook:
		return SenderRules{
			Username: UsernameAddress, UsernameConf: Confidence3P,
			Senders: SendersAccount, SendersConf: ConfidenceUnverified,
			SubdomainsConf: ConfidenceDoc,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceObs,
			MismatchReply: "554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied",
			Judges:        JudgesHeader, JudgesConf: ConfidenceObs,
			VerifyAt: "Outlook.com settings: add the address as an alias of the account",
		}, true
	case SES:
		return SenderRules{
			Username: UsernameCredential, UsernameConf: ConfidenceDoc,
			Senders: SendersVerified, SendersConf: ConfidenceDoc,
			Subdomains: true, SubdomainsConf: ConfidenceDoc,
			LocalCaseSensitive: true, LocalCaseConf: ConfidenceDoc,
			// The legacy developer guide exempts addresses with labels.
			PlusTag: true, PlusTagConf: ConfidenceDoc,
			Mismatch: MismatchReject, MismatchConf: ConfidenceDoc,
			MismatchReply: "554 Message rejected: Email address is not verified. The following identities failed the check in region <REGION>: <identities>",
			Judges:        JudgesBoth, JudgesConf: ConfidenceDoc,
			VerifyAt: "the Amazon SES console, Verified identities, in the region of the SMTP endpoint",
		}, true
	case SendGrid:
		return SenderRules{
			Username: UsernameFixed, FixedUsername: "apikey", UsernameConf: ConfidenceDoc,
			Senders: SendersVerified, SendersConf: ConfidenceDoc,
			SubdomainsConf: ConfidenceUnverified,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceObs,
			MismatchReply: "550 The from address does not match a verified Sender Identity",
			Judges:        JudgesHeader, JudgesConf: Confidence3P,
			VerifyAt: "SendGrid Settings, Sender Authentication (Single Sender Verification or Domain Authentication)",
		}, true
	case Mailgun:
		return SenderRules{
			Username: UsernameDomainCredential, UsernameConf: ConfidenceDoc,
			// Credentials are per sending domain [doc]; what happens to a
			// From outside it is the unverified part (Mismatch below).
			Senders: SendersCredentialDomain, SendersConf: ConfidenceDoc,
			// A From on the parent of the sending domain aligns under
			// relaxed DMARC.
			Subdomains: false, SubdomainsConf: Confidence3P,
			LocalCaseConf: ConfidenceUnverified,
			PlusTagConf:   ConfidenceUnverified,
			Mismatch:      MismatchAccept, MismatchConf: ConfidenceUnverified,
			Judges: JudgesHeader, JudgesConf: ConfidenceUnverified,
			VerifyAt: "Mailgun Sending, Domains (add and verify the sending domain, then create its SMTP credentials)",
		}, true
	case Postmark:
		return SenderRules{
			Username: UsernameAPIKey, UsernameConf: ConfidenceDoc,
			Senders: SendersVerified, SendersConf: ConfidenceDoc,
			SubdomainsConf: ConfidenceUnverified,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceDoc,
			MismatchReply: "Invalid 'From' address: '<from>' is not a verified sender signature.",
			Judges:        JudgesHeader, JudgesConf: ConfidenceDoc,
			VerifyAt: "Postmark Sender Signatures (confirm the address or verify the domain)",
		}, true
	case SparkPost:
		return SenderRules{
			Username: UsernameFixed, FixedUsername: "SMTP_Injection", UsernameConf: ConfidenceObs,
			Senders: SendersDomain, SendersConf: ConfidenceDoc,
			SubdomainsConf: ConfidenceUnverified,
			LocalCaseConf:  ConfidenceDoc,
			PlusTagConf:    ConfidenceDoc,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceObs,
			MismatchReply: "550 5.7.1 Unconfigured Sending Domain <domain>",
			Judges:        JudgesHeader, JudgesConf: ConfidenceDoc,
			VerifyAt: "SparkPost Configuration, Sending Domains",
		}, true
	case Zoho:
		return SenderRules{
			Username: UsernameAddress, UsernameConf: ConfidenceDoc,
			Senders: SendersAccount, SendersConf: ConfidenceDoc,
			SubdomainsConf: ConfidenceDoc,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceUnverified,
			MismatchReply: "553 Sender is not allowed to relay emails",
			Judges:        JudgesHeader, JudgesConf: ConfidenceDoc,
			VerifyAt: "Zoho Mail settings, Send Mail As (add the address as an alias of the account)",
		}, true
	case ZeptoMail:
		return SenderRules{
			Username: UsernameAPIKey, UsernameConf: ConfidenceUnverified,
			Senders: SendersDomain, SendersConf: ConfidenceDoc,
			SubdomainsConf: ConfidenceUnverified,
			LocalCaseConf:  ConfidenceDoc,
			PlusTagConf:    ConfidenceDoc,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceDoc,
			MismatchReply: "553 Relaying disallowed as <from>",
			Judges:        JudgesHeader, JudgesConf: ConfidenceDoc,
			VerifyAt: "ZeptoMail Domains (add and verify the sending domain)",
		}, true
	case Brevo:
		return SenderRules{
			Username: UsernameLogin, UsernameConf: ConfidenceDoc,
			Senders: SendersVerified, SendersConf: Confidence3P,
			SubdomainsConf: ConfidenceUnverified,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceUnverified,
			Judges: JudgesHeader, JudgesConf: ConfidenceUnverified,
			VerifyAt: "Brevo Senders, Domains & Dedicated IPs (add the sender or authenticate the domain)",
		}, true
	case Mailjet:
		return SenderRules{
			Username: UsernameAPIKey, UsernameConf: Confidence3P,
			Senders: SendersVerified, SendersConf: ConfidenceDoc,
			SubdomainsConf: ConfidenceUnverified,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			// New senders are held until validated.
			Mismatch: MismatchReject, MismatchConf: ConfidenceDoc,
			MismatchReply: "550 Sender not allowed",
			Judges:        JudgesHeader, JudgesConf: ConfidenceUnverified,
			VerifyAt: "Mailjet Account settings, Sender addresses & domains",
		}, true
	case Yahoo:
		return SenderRules{
			Username: UsernameAddress, UsernameConf: Confidence3P,
			Senders: SendersAccount, SendersConf: ConfidenceUnverified,
			SubdomainsConf: ConfidenceDoc,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceObs,
			MismatchReply: "From email ID not verified",
			Judges:        JudgesHeader, JudgesConf: ConfidenceUnverified,
			VerifyAt: "Yahoo Mail settings, Mailboxes (add and verify the address)",
		}, true
	case ICloud:
		return SenderRules{
			Username: UsernameAddress, UsernameConf: Confidence3P,
			Senders: SendersAccount, SendersConf: ConfidenceUnverified,
			SubdomainsConf: ConfidenceDoc,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceUnverified,
			Judges: JudgesHeader, JudgesConf: ConfidenceUnverified,
			VerifyAt: "iCloud Mail settings (an iCloud alias or a Custom Email Domain address)",
		}, true
	case Fastmail:
		return SenderRules{
			Username: UsernameAddress, UsernameConf: Confidence3P,
			Senders: SendersAccount, SendersConf: ConfidenceDoc,
			SubdomainsConf: ConfidenceDoc,
			LocalCaseConf:  ConfidenceUnverified,
			// A wildcard identity *@domain covers +tags; a plain alias does not.
			PlusTagConf: ConfidenceDoc,
			Mismatch:    MismatchReject, MismatchConf: ConfidenceUnverified,
			Judges: JudgesHeader, JudgesConf: ConfidenceUnverified,
			VerifyAt: "Fastmail Settings, Aliases (an alias, or a wildcard *@yourdomain)",
		}, true
	case Mandrill:
		return SenderRules{
			Username: UsernameLogin, UsernameConf: ConfidenceUnverified,
			Senders: SendersDomain, SendersConf: ConfidenceUnverified,
			SubdomainsConf: ConfidenceUnverified,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceUnverified,
			Judges: JudgesHeader, JudgesConf: ConfidenceUnverified,
			VerifyAt: "Mandrill Settings, Domains (verify the sending domain)",
		}, true
	case ProtonMail:
		return SenderRules{
			Username: UsernameAddress, UsernameConf: ConfidenceUnverified,
			Senders: SendersAccount, SendersConf: ConfidenceUnverified,
			SubdomainsConf: ConfidenceDoc,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchReject, MismatchConf: ConfidenceUnverified,
			Judges: JudgesHeader, JudgesConf: ConfidenceUnverified,
			VerifyAt: "Proton Mail settings, SMTP submission (tokens are per address)",
		}, true
	case Generic:
		return SenderRules{
			Username: UsernameUnknown, UsernameConf: ConfidenceUnverified,
			Senders: SendersUnknown, SendersConf: ConfidenceUnverified,
			SubdomainsConf: ConfidenceUnverified,
			LocalCaseConf:  ConfidenceUnverified,
			PlusTagConf:    ConfidenceUnverified,
			Mismatch:       MismatchUnknown, MismatchConf: ConfidenceUnverified,
			Judges: JudgesHeader, JudgesConf: ConfidenceUnverified,
			VerifyAt: "the mail server's administrator",
		}, true
	}
	return SenderRules{}, false
}
