package smtperr

import "sync"

// Cause is the reason an SMTP transaction failed, in a fixed taxonomy of
// stable snake_case strings. Causes appear in JSON output and are part of the
// package's contract: new causes may be added, existing ones never change
// meaning.
//
// Cause implements error, so an explained error can be matched with
// errors.Is(err, smtperr.CauseSenderNotVerified); see [Error]. Because of
// that, fmt's %v prints a Cause in its error form ("smtperr: auth_failed");
// use [Cause.String] for the bare name.
type Cause string

// The causes. The comment on each tells what it means; [Cause.Party],
// [Cause.Retryable], [Cause.Summary] and [Cause.Action] tell who must act,
// whether retrying can help and what to do.
const (
	// Submission side: the sender's account and configuration at its own
	// SMTP provider.

	// CauseSenderNotVerified means the From or envelope address is not a verified
	// sender identity of the provider account.
	CauseSenderNotVerified Cause = "sender_not_verified"
	// CauseSenderNotAllowed means the authenticated account may not send as this
	// address (no Send As permission, not an alias of the account).
	CauseSenderNotAllowed Cause = "sender_not_allowed"
	// CauseSenderDomainNotVerified means the sending domain is not verified or
	// registered with the provider account.
	CauseSenderDomainNotVerified Cause = "sender_domain_not_verified"
	// CauseSenderAddressInvalid means the sender address is malformed or its
	// domain does not exist or cannot receive mail.
	CauseSenderAddressInvalid Cause = "sender_address_invalid"
	// CauseSenderRejected means the envelope sender was refused and no reason was
	// given.
	CauseSenderRejected Cause = "sender_rejected"
	// CauseAuthFailed means SMTP AUTH failed: wrong user name or password.
	CauseAuthFailed Cause = "auth_failed"
	// CauseAuthRequired means the server requires SMTP AUTH before it accepts
	// mail from this client.
	CauseAuthRequired Cause = "auth_required"
	// CauseAuthMethodRejected means the authentication mechanism was refused: an
	// app password is required, basic authentication is disabled, or the
	// mechanism is not supported.
	CauseAuthMethodRejected Cause = "auth_method_rejected"
	// CauseTLSRequired means the server requires an encrypted connection
	// (STARTTLS or implicit TLS) for this step.
	CauseTLSRequired Cause = "tls_required"
	// CauseTLSFailed means the TLS handshake or certificate verification failed.
	CauseTLSFailed Cause = "tls_failed"
	// CauseRelayDenied means the server refuses to relay mail for this client to
	// this recipient.
	CauseRelayDenied Cause = "relay_denied"
	// CauseQuotaExceeded means the provider account's sending quota (daily or
	// plan limit) is used up.
	CauseQuotaExceeded Cause = "quota_exceeded"
	// CauseRateLimited means messages are arriving faster than the server allows;
	// it is deferring them.
	CauseRateLimited Cause = "rate_limited"
	// CauseTooManyConnections means the client holds more simultaneous
	// connections than the server allows.
	CauseTooManyConnections Cause = "too_many_connections"
	// CauseAccountSuspended means the sending account is suspended, disabled or
	// not yet activated.
	CauseAccountSuspended Cause = "account_suspended"
	// CauseSuppressed means the provider did not send because the recipient is on
	// its suppression list (earlier bounce, complaint or unsubscribe).
	CauseSuppressed Cause = "suppressed"

	// Receiving side: the sender's authentication and reputation.

	// CauseSPFFailed means the receiver's SPF check of the sending domain failed.
	CauseSPFFailed Cause = "spf_failed"
	// CauseDKIMFailed means the message has no valid DKIM signature the receiver
	// accepts.
	CauseDKIMFailed Cause = "dkim_failed"
	// CauseDMARCFailed means the message failed the From domain's DMARC policy
	// (no aligned SPF or DKIM pass), or the domain has no DMARC record
	// where one is required.
	CauseDMARCFailed Cause = "dmarc_failed"
	// CauseUnauthenticated means the message passed neither SPF nor DKIM.
	CauseUnauthenticated Cause = "unauthenticated"
	// CauseReverseDNS means the sending IP address has no valid reverse DNS
	// (PTR) name, or it does not resolve back to the IP.
	CauseReverseDNS Cause = "reverse_dns"
	// CauseBlocked means the receiver blocks the sending IP address or domain
	// (block list, dynamic IP, local block).
	CauseBlocked Cause = "blocked"
	// CauseBadReputation means the receiver throttles or refuses mail because of
	// the sending IP's or domain's reputation.
	CauseBadReputation Cause = "bad_reputation"
	// CauseSpamDetected means the receiver's filter classified the message as
	// spam.
	CauseSpamDetected Cause = "spam_detected"
	// CauseContentRejected means the receiver refused the message for its content
	// or attachments, not as spam.
	CauseContentRejected Cause = "content_rejected"
	// CauseVirusDetected means the receiver found malware in the message.
	CauseVirusDetected Cause = "virus_detected"
	// CausePolicyViolation means the receiver's local policy refused the message.
	CausePolicyViolation Cause = "policy_violation"
	// CauseSecurityError means a security requirement of the receiver was not met
	// (encryption, signature, trust relationship).
	CauseSecurityError Cause = "security_error"
	// CauseNotCompliantRFC means the message violates the Internet Message Format
	// (missing or duplicate headers, bad From, raw 8-bit headers).
	CauseNotCompliantRFC Cause = "not_compliant_rfc"
	// CauseGreylisted means the receiver deferred a first delivery attempt on
	// purpose; a later retry is accepted.
	CauseGreylisted Cause = "greylisted"

	// Recipient side and transport.

	// CauseRecipientUnknown means the recipient mailbox does not exist.
	CauseRecipientUnknown Cause = "recipient_unknown"
	// CauseRecipientDomainUnknown means the recipient's domain does not exist or
	// has no mail servers.
	CauseRecipientDomainUnknown Cause = "recipient_domain_unknown"
	// CauseRecipientNotAccepting means the recipient's domain accepts no mail at
	// all (null MX, RFC 7505).
	CauseRecipientNotAccepting Cause = "recipient_not_accepting"
	// CauseMailboxFull means the recipient's mailbox is over its storage quota.
	CauseMailboxFull Cause = "mailbox_full"
	// CauseMailboxDisabled means the recipient's mailbox exists but is disabled,
	// suspended or inactive.
	CauseMailboxDisabled Cause = "mailbox_disabled"
	// CauseMailboxMoved means the recipient has moved and left no forwarding
	// address.
	CauseMailboxMoved Cause = "mailbox_moved"
	// CauseMessageTooLarge means the message (or its headers) exceeds a size
	// limit.
	CauseMessageTooLarge Cause = "message_too_large"
	// CauseLimitExceeded means a per-message or per-transaction limit other than
	// size was exceeded, such as the number of recipients.
	CauseLimitExceeded Cause = "limit_exceeded"
	// CauseSystemFull means the receiving system is out of disk or resources.
	CauseSystemFull Cause = "system_full"
	// CauseSystemError means the receiving system failed internally or is
	// temporarily unavailable.
	CauseSystemError Cause = "system_error"
	// CauseMailerError means a local delivery program (a pipe, procmail) failed
	// on the receiving host.
	CauseMailerError Cause = "mailer_error"
	// CauseNetworkError means the connection failed: refused, reset, timed out,
	// DNS lookup failed or a routing loop.
	CauseNetworkError Cause = "network_error"
	// CauseExpired means delivery was retried until the message expired in the
	// queue.
	CauseExpired Cause = "expired"
	// CauseSyntaxError means the server did not understand a command: a protocol
	// error in the sending software.
	CauseSyntaxError Cause = "syntax_error"

	// CauseUnknown means nothing in the reply tells the cause.
	CauseUnknown Cause = "unknown"
)

// Party says who must act to fix a failure.
type Party string

// The parties.
const (
	// PartySenderAccount is the sender's account or settings at its own SMTP
	// provider (identities, credentials, plan, permissions).
	PartySenderAccount Party = "sender_account"
	// PartySenderDNS is the DNS records of the sending domain (SPF, DKIM,
	// DMARC).
	PartySenderDNS Party = "sender_dns"
	// PartySenderServer is whoever runs the sending server and its IP
	// addresses: the SMTP provider, or the customer for its own server.
	PartySenderServer Party = "sender_server"
	// PartyContent is the message itself (content, headers, size).
	PartyContent Party = "content"
	// PartySoftware is the program that speaks SMTP or builds the message.
	PartySoftware Party = "software"
	// PartyRecipient is the recipient address or its mailbox and domain.
	PartyRecipient Party = "recipient"
	// PartyReceiver is the operators of the receiving mail system.
	PartyReceiver Party = "receiver"
	// PartyNetwork is the network path between client and server.
	PartyNetwork Party = "network"
	// PartyNobody is nobody; the failure clears by itself on retry.
	PartyNobody Party = "nobody"
	// PartyUnknown is the reply does not say.
	PartyUnknown Party = "unknown"
)

// causeInfo is what the package knows about one cause.
type causeInfo struct {
	cause     Cause
	party     Party
	retryable bool
	summary   string
	action    string
}

// causes is the cause table, in the order of DESIGN's taxonomy. It is never
// written.
var causes = [...]causeInfo{
	{CauseSenderNotVerified, PartySenderAccount, false,
		"The sender address is not a verified sender identity of the SMTP account.",
		"Verify the From address (or its whole domain) in the SMTP provider's dashboard, or send from an address that is already verified."},
	{CauseSenderNotAllowed, PartySenderAccount, false,
		"The signed-in SMTP account is not allowed to send as this From address.",
		"Send from the address of the account you sign in with (or one of its aliases), or give that account permission to send as this address at the provider."},
	{CauseSenderDomainNotVerified, PartySenderAccount, false,
		"The sending domain is not verified or registered with the SMTP account.",
		"Add and verify the From domain in the SMTP provider's settings (publish the DNS records it shows), or send from a domain that is already verified."},
	{CauseSenderAddressInvalid, PartySenderAccount, false,
		"The sender address is invalid, or its domain does not exist or cannot receive mail.",
		"Use a complete sender address on a domain that exists and has working MX records."},
	{CauseSenderRejected, PartySenderAccount, false,
		"The server refused the sender address without saying why.",
		"Check that the From and envelope sender are addresses this SMTP account may use; if they are, ask the server's administrator why it refuses them."},
	{CauseAuthFailed, PartySenderAccount, false,
		"The SMTP server rejected the user name or password.",
		"Check the SMTP user name and password (or API key) in the SMTP settings and enter them again."},
	{CauseAuthRequired, PartySenderAccount, false,
		"The SMTP server requires you to sign in (SMTP AUTH) before sending.",
		"Turn on SMTP authentication in the SMTP settings and enter the account's user name and password."},
	{CauseAuthMethodRejected, PartySenderAccount, false,
		"The SMTP server refused this way of signing in.",
		"Use the sign-in method the provider requires: an app password, OAuth, or enabling SMTP AUTH for the account."},
	{CauseTLSRequired, PartySenderAccount, false,
		"The server requires an encrypted (TLS) connection.",
		"Turn on STARTTLS or SSL/TLS in the SMTP settings (usually port 587 with STARTTLS or port 465 with TLS)."},
	{CauseTLSFailed, PartyNetwork, false,
		"The encrypted connection could not be set up: the TLS handshake or certificate check failed.",
		"Check the SMTP host name and port (465 expects TLS from the start, 587 expects STARTTLS) and that the server's certificate is valid for that host name."},
	{CauseRelayDenied, PartySenderAccount, false,
		"The server refuses to relay this message for you.",
		"Sign in with SMTP authentication, or use the SMTP host your provider gives you for sending; a receiving server only accepts mail for its own domains."},
	{CauseQuotaExceeded, PartySenderAccount, true,
		"The SMTP account has used up its sending quota.",
		"Wait until the quota resets (often daily) or raise the account's plan or sending limit with the provider."},
	{CauseRateLimited, PartyNobody, true,
		"The server is limiting how fast mail is accepted.",
		"Slow down and retry later; the message is usually accepted on a later attempt."},
	{CauseTooManyConnections, PartySoftware, true,
		"Too many simultaneous connections to the server.",
		"Open fewer connections at once and reuse connections; retry later."},
	{CauseAccountSuspended, PartySenderAccount, false,
		"The sending account is suspended, disabled or not activated.",
		"Sign in to the provider's dashboard and resolve the account's status (activation, billing or abuse review) with its support."},
	{CauseSuppressed, PartySenderAccount, false,
		"The provider did not send because the recipient is on its suppression list.",
		"Check the provider's suppression list; remove the address only if you are sure it is valid and wants mail."},

	{CauseSPFFailed, PartySenderDNS, false,
		"The receiver's SPF check failed for the sending domain.",
		"Add the SMTP provider's SPF include to the sending domain's SPF record (one record, at most 10 DNS lookups)."},
	{CauseDKIMFailed, PartySenderDNS, false,
		"The message has no valid DKIM signature that the receiver accepts.",
		"Set up DKIM for the sending domain at the SMTP provider and publish the DKIM records it gives you."},
	{CauseDMARCFailed, PartySenderDNS, false,
		"The message failed the From domain's DMARC policy.",
		"Make SPF or DKIM pass for a domain aligned with the From domain (set up DKIM or a custom return path at the provider), and publish a DMARC record."},
	{CauseUnauthenticated, PartySenderDNS, false,
		"The message passed neither SPF nor DKIM.",
		"Publish an SPF record that includes the SMTP provider and set up DKIM signing for the sending domain."},
	{CauseReverseDNS, PartySenderServer, false,
		"The sending server's IP address has no valid reverse DNS name.",
		"Give the sending IP a PTR record whose name resolves back to the same IP, or send through a provider that does."},
	{CauseBlocked, PartySenderServer, false,
		"The receiver blocks mail from the sending IP address or domain.",
		"Check the sending IP and domain on the block lists named in the reply and request delisting, or send through another provider; if you use a provider, tell its support."},
	{CauseBadReputation, PartySenderServer, true,
		"The receiver limits or refuses mail because of the sender's reputation.",
		"Send only to recipients who asked for mail, authenticate with SPF, DKIM and DMARC, reduce volume and retry later."},
	{CauseSpamDetected, PartyContent, false,
		"The receiver's filter classified the message as spam.",
		"Change the content and links that look like spam, and make sure the message is authenticated and expected by the recipient."},
	{CauseContentRejected, PartyContent, false,
		"The receiver refused the message because of its content or attachments.",
		"Remove the attachment type or content the receiver refuses (executables, archives, links) and send again."},
	{CauseVirusDetected, PartyContent, false,
		"The receiver found a virus or malware in the message.",
		"Scan and remove the infected attachment, then send again."},
	{CausePolicyViolation, PartyReceiver, false,
		"The receiver's local policy refused the message.",
		"Contact the recipient by another channel and ask them or their administrator to allow your mail."},
	{CauseSecurityError, PartyReceiver, false,
		"The receiver refused the message for a security reason.",
		"Ask the recipient's mail administrator which security requirement the message did not meet."},
	{CauseNotCompliantRFC, PartySoftware, false,
		"The message does not follow the Internet Message Format (RFC 5322).",
		"Fix the headers the sending software writes: exactly one From with one valid address, one Message-ID, no duplicate headers, encoded non-ASCII text."},
	{CauseGreylisted, PartyNobody, true,
		"The receiver deferred the first delivery attempt (greylisting).",
		"Nothing to change: retry after a few minutes and the message is accepted."},

	{CauseRecipientUnknown, PartyRecipient, false,
		"The recipient address does not exist.",
		"Check the recipient address for typos and remove it from your list if it is no longer valid."},
	{CauseRecipientDomainUnknown, PartyRecipient, false,
		"The recipient's domain does not exist or has no mail servers.",
		"Check the part of the recipient address after the @ for typos."},
	{CauseRecipientNotAccepting, PartyRecipient, false,
		"The recipient's domain does not accept email at all.",
		"Use another address for this recipient; this domain receives no mail."},
	{CauseMailboxFull, PartyRecipient, true,
		"The recipient's mailbox is full.",
		"Retry later or reach the recipient another way so they can free up space."},
	{CauseMailboxDisabled, PartyRecipient, false,
		"The recipient's mailbox is disabled or inactive.",
		"Stop sending to this address and ask the recipient for a current one."},
	{CauseMailboxMoved, PartyRecipient, false,
		"The recipient has moved and left no forwarding address.",
		"Ask the recipient for their new address."},
	{CauseMessageTooLarge, PartyContent, false,
		"The message is larger than the receiver allows.",
		"Send smaller attachments (or links instead of files) and keep headers short."},
	{CauseLimitExceeded, PartySoftware, false,
		"A per-message limit was exceeded, such as the number of recipients.",
		"Split the message into several transactions with fewer recipients each."},
	{CauseSystemFull, PartyReceiver, true,
		"The receiving mail system is out of storage or resources.",
		"Retry later; the receiving side must free resources."},
	{CauseSystemError, PartyReceiver, true,
		"The receiving mail system had an internal or temporary error.",
		"Retry later; if it keeps failing, contact the receiving system's administrator."},
	{CauseMailerError, PartyReceiver, false,
		"A delivery program on the receiving host failed.",
		"Tell the recipient's mail administrator; their local delivery program failed."},
	{CauseNetworkError, PartyNetwork, true,
		"The connection to the mail server failed (refused, reset, timed out or DNS failure).",
		"Check the SMTP host name, port and firewall rules, then retry."},
	{CauseExpired, PartyNetwork, false,
		"Delivery was retried until the message expired in the queue.",
		"Check that the recipient's domain and mail servers are reachable, then send the message again."},
	{CauseSyntaxError, PartySoftware, false,
		"The server did not accept a command: a protocol error in the sending software.",
		"Update or fix the sending software's SMTP settings; the server reported a command it did not understand or did not expect."},
	{CauseUnknown, PartyUnknown, false,
		"The reply does not say why the message failed.",
		"Read the server's message below; if it is unclear, contact the administrator of the server that sent it."},
}

// info returns the table row of c, or the row of CauseUnknown.
func (c Cause) info() *causeInfo {
	if ci, ok := causeIndex()[c]; ok {
		return ci
	}
	return &causes[len(causes)-1]
}

// causeIndex maps each cause to its row of the table, built on first use.
var causeIndex = sync.OnceValue(func() map[Cause]*causeInfo {
	m := make(map[Cause]*causeInfo, len(causes))
	for i := range causes {
		if _, dup := m[causes[i].cause]; !dup {
			m[causes[i].cause] = &causes[i]
		}
	}
	return m
})

// Causes returns every cause in the taxonomy, in documentation order
// (CauseUnknown last).
func Causes() []Cause {
	out := make([]Cause, len(causes))
	for i := range causes {
		out[i] = causes[i].cause
	}
	return out
}

// Valid reports whether c is a cause of the taxonomy.
func (c Cause) Valid() bool {
	_, ok := causeIndex()[c]
	return ok
}

// Error returns "smtperr: " followed by the cause, so that a Cause can be the
// target of errors.Is.
func (c Cause) Error() string { return "smtperr: " + string(c) }

// String returns the cause's snake_case name.
func (c Cause) String() string { return string(c) }

// Party returns who must act to fix a failure with this cause.
func (c Cause) Party() Party { return c.info().party }

// Retryable reports whether sending the same message again later, with
// nothing changed, can succeed.
func (c Cause) Retryable() bool { return c.info().retryable }

// Summary returns a one-sentence, plain-words description of the cause.
func (c Cause) Summary() string { return c.info().summary }

// Action returns what the user should change, in plain words.
func (c Cause) Action() string { return c.info().action }
