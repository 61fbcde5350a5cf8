package smtperr

import (
	"strconv"

	"github.com/sendcheck/sendcheck/sender/provider"
)

// EnhancedCode is an RFC 3463 enhanced status code: class, subject and
// detail, as in 5.7.1. The zero value means "none".
type EnhancedCode [3]int

// IsZero reports whether c is the zero value (no enhanced code).
func (c EnhancedCode) IsZero() bool { return c == EnhancedCode{} }

// String returns the dotted form ("5.7.1"), or "" for the zero value.
func (c EnhancedCode) String() string {
	if c.IsZero() {
		return ""
	}
	var b [32]byte
	return string(c.appendTo(b[:0]))
}

// appendTo appends the dotted form of c to b.
func (c EnhancedCode) appendTo(b []byte) []byte {
	b = strconv.AppendInt(b, int64(c[0]), 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(c[1]), 10)
	b = append(b, '.')
	return strconv.AppendInt(b, int64(c[2]), 10)
}

// MarshalText returns the dotted form, empty for the zero value, so that the
// code marshals to a JSON string.
func (c EnhancedCode) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText parses the dotted form; empty text is the zero value.
func (c *EnhancedCode) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*c = EnhancedCode{}
		return nil
	}
	v, n := scanEnhanced(string(b), 0)
	if n != len(b) {
		return &SyntaxError{What: "enhanced status code", Text: string(b)}
	}
	*c = v
	return nil
}

// ParseEnhancedCode parses a dotted enhanced status code such as "5.7.1".
// The class must be 2, 4 or 5 and subject and detail at most three digits,
// as RFC 3463 requires. The error is a [*SyntaxError].
func ParseEnhancedCode(s string) (EnhancedCode, error) {
	v, n := scanEnhanced(s, 0)
	if n == 0 || n != len(s) {
		return EnhancedCode{}, &SyntaxError{What: "enhanced status code", Text: s}
	}
	return v, nil
}

// SyntaxError reports text that is not the expected syntax.
type SyntaxError struct {
	What string // what was being parsed
	Text string // the input, truncated to 64 bytes
}

// Error implements error.
func (e *SyntaxError) Error() string {
	t := e.Text
	if len(t) > 64 {
		t = t[:64]
	}
	return "smtperr: invalid " + e.What + " " + strconv.Quote(t)
}

// StatusInfo describes one enhanced status code of the IANA "Enumerated
// Status Codes" registry.
type StatusInfo struct {
	// Code is the code with the class of the lookup (the registry lists
	// X.subject.detail).
	Code EnhancedCode
	// Name is the registry's description ("Bad destination mailbox address").
	Name string
	// Reference is the defining document ("RFC3463").
	Reference string
}

// registryEntry is one row of the IANA registry plus the cause the code
// means when nothing more specific is known.
type registryEntry struct {
	subject, detail int
	name, ref       string
	cause           Cause // for classes 4 and 5
	cause4          Cause // class 4 override, when it differs
	generic         bool  // an "other or undefined" code: weaker than text
}

// registry is the IANA SMTP Enumerated Status Codes registry (RFC 3463,
// RFC 5248 and the RFCs it lists), X.0.0 through X.7.30. It is never
// written.
var registry = [...]registryEntry{
	{0, 0, "Other undefined Status", "RFC3463", CauseUnknown, "", true},
	{1, 0, "Other address status", "RFC3463", CauseRecipientUnknown, "", true},
	{1, 1, "Bad destination mailbox address", "RFC3463", CauseRecipientUnknown, "", false},
	{1, 2, "Bad destination system address", "RFC3463", CauseRecipientDomainUnknown, "", false},
	{1, 3, "Bad destination mailbox address syntax", "RFC3463", CauseRecipientUnknown, "", false},
	{1, 4, "Destination mailbox address ambiguous", "RFC3463", CauseRecipientUnknown, "", false},
	{1, 5, "Destination address valid", "RFC3463", CauseUnknown, "", true},
	{1, 6, "Destination mailbox has moved, No forwarding address", "RFC3463", CauseMailboxMoved, "", false},
	{1, 7, "Bad sender's mailbox address syntax", "RFC3463", CauseSenderAddressInvalid, "", false},
	{1, 8, "Bad sender's system address", "RFC3463", CauseSenderAddressInvalid, "", false},
	{1, 9, "Message relayed to non-compliant mailer", "RFC3886", CauseSystemError, "", false},
	{1, 10, "Recipient address has null MX", "RFC7505", CauseRecipientNotAccepting, "", false},
	{2, 0, "Other or undefined mailbox status", "RFC3463", CausePolicyViolation, "", true},
	{2, 1, "Mailbox disabled, not accepting messages", "RFC3463", CauseMailboxDisabled, CauseRateLimited, false},
	{2, 2, "Mailbox full", "RFC3463", CauseMailboxFull, "", false},
	{2, 3, "Message length exceeds administrative limit", "RFC3463", CauseMessageTooLarge, "", false},
	{2, 4, "Mailing list expansion problem", "RFC3463", CauseSystemError, "", false},
	{3, 0, "Other or undefined mail system status", "RFC3463", CauseSystemError, "", true},
	{3, 1, "Mail system full", "RFC3463", CauseSystemFull, "", false},
	{3, 2, "System not accepting network messages", "RFC3463", CauseRecipientNotAccepting, CauseSystemError, false},
	{3, 3, "System not capable of selected features", "RFC3463", CauseSystemError, "", false},
	{3, 4, "Message too big for system", "RFC3463", CauseMessageTooLarge, "", false},
	{3, 5, "System incorrectly configured", "RFC3463", CauseSystemError, "", false},
	{3, 6, "Requested priority was changed", "RFC6710", CauseUnknown, "", true},
	{4, 0, "Other or undefined network or routing status", "RFC3463", CauseNetworkError, "", true},
	{4, 1, "No answer from host", "RFC3463", CauseNetworkError, CauseExpired, false},
	{4, 2, "Bad connection", "RFC3463", CauseNetworkError, "", false},
	{4, 3, "Directory server failure", "RFC3463", CauseSystemError, "", false},
	{4, 4, "Unable to route", "RFC3463", CauseRecipientDomainUnknown, CauseNetworkError, false},
	{4, 5, "Mail system congestion", "RFC3463", CauseSystemFull, "", false},
	{4, 6, "Routing loop detected", "RFC3463", CauseNetworkError, "", false},
	{4, 7, "Delivery time expired", "RFC3463", CauseExpired, "", false},
	{5, 0, "Other or undefined protocol status", "RFC3463", CauseSyntaxError, "", true},
	{5, 1, "Invalid command", "RFC3463", CauseSyntaxError, "", false},
	{5, 2, "Syntax error", "RFC3463", CauseSyntaxError, "", false},
	{5, 3, "Too many recipients", "RFC3463", CauseLimitExceeded, "", false},
	{5, 4, "Invalid command arguments", "RFC3463", CauseSyntaxError, "", false},
	{5, 5, "Wrong protocol version", "RFC3463", CauseSyntaxError, "", false},
	{5, 6, "Authentication Exchange line is too long", "RFC4954", CauseSyntaxError, "", false},
	{6, 0, "Other or undefined media error", "RFC3463", CauseContentRejected, "", true},
	{6, 1, "Media not supported", "RFC3463", CauseContentRejected, "", false},
	{6, 2, "Conversion required and prohibited", "RFC3463", CauseContentRejected, "", false},
	{6, 3, "Conversion required but not supported", "RFC3463", CauseContentRejected, "", false},
	{6, 4, "Conversion with loss performed", "RFC3463", CauseUnknown, "", true},
	{6, 5, "Conversion Failed", "RFC3463", CauseContentRejected, "", false},
	{6, 6, "Message content not available", "RFC4468", CauseContentRejected, "", false},
	{6, 7, "Non-ASCII addresses not permitted for that sender/recipient", "RFC6531", CauseNotCompliantRFC, "", false},
	{6, 8, "UTF-8 string reply is required, but not permitted by the SMTP client", "RFC6531", CauseNotCompliantRFC, "", false},
	{6, 9, "UTF-8 header message cannot be transferred to one or more recipients, so the message must be rejected", "RFC6531", CauseNotCompliantRFC, "", false},
	{6, 10, "(deprecated: duplicate of X.6.8)", "RFC6531", CauseNotCompliantRFC, "", false},
	{7, 0, "Other or undefined security status", "RFC3463", CauseSecurityError, "", true},
	{7, 1, "Delivery not authorized, message refused", "RFC3463", CausePolicyViolation, "", true},
	{7, 2, "Mailing list expansion prohibited", "RFC3463", CausePolicyViolation, "", false},
	{7, 3, "Security conversion required but not possible", "RFC3463", CauseSecurityError, "", false},
	{7, 4, "Security features not supported", "RFC3463", CauseSecurityError, "", false},
	{7, 5, "Cryptographic failure", "RFC3463", CauseSecurityError, "", false},
	{7, 6, "Cryptographic algorithm not supported", "RFC3463", CauseSecurityError, "", false},
	{7, 7, "Message integrity failure", "RFC3463", CauseSecurityError, "", false},
	{7, 8, "Authentication credentials invalid", "RFC4954", CauseAuthFailed, "", false},
	{7, 9, "Authentication mechanism is too weak", "RFC4954", CauseAuthMethodRejected, "", false},
	{7, 10, "Encryption Needed", "RFC5248", CauseTLSRequired, "", false},
	{7, 11, "Encryption required for requested authentication mechanism", "RFC4954", CauseTLSRequired, "", false},
	{7, 12, "A password transition is needed", "RFC4954", CauseAuthMethodRejected, "", false},
	{7, 13, "User Account Disabled", "RFC5248", CauseMailboxDisabled, "", false},
	{7, 14, "Trust relationship required", "RFC5248", CauseSecurityError, "", false},
	{7, 15, "Priority Level is too low", "RFC6710", CausePolicyViolation, "", false},
	{7, 16, "Message is too big for the specified priority", "RFC6710", CauseMessageTooLarge, "", false},
	{7, 17, "Mailbox owner has changed", "RFC7293", CauseMailboxMoved, "", false},
	{7, 18, "Domain owner has changed", "RFC7293", CauseMailboxMoved, "", false},
	{7, 19, "RRVS test cannot be completed", "RFC7293", CauseSecurityError, "", false},
	{7, 20, "No passing DKIM signature found", "RFC7372; RFC6376", CauseDKIMFailed, "", false},
	{7, 21, "No acceptable DKIM signature found", "RFC7372; RFC6376", CauseDKIMFailed, "", false},
	{7, 22, "No valid author-matched DKIM signature found", "RFC7372; RFC6376", CauseDKIMFailed, "", false},
	{7, 23, "SPF validation failed", "RFC7372; RFC7208", CauseSPFFailed, "", false},
	{7, 24, "SPF validation error", "RFC7372; RFC7208", CauseSPFFailed, "", false},
	{7, 25, "Reverse DNS validation failed", "RFC7372; RFC7001 s3", CauseReverseDNS, "", false},
	{7, 26, "Multiple authentication checks failed", "RFC7372", CauseUnauthenticated, "", false},
	{7, 27, "Sender address has null MX", "RFC7505", CauseSenderAddressInvalid, "", false},
	{7, 28, "Mail flood detected", "IANA", CauseRateLimited, "", false},
	{7, 29, "ARC validation failure", "RFC8617", CauseUnauthenticated, "", false},
	{7, 30, "REQUIRETLS support required", "RFC8689", CauseTLSRequired, "", false},
}

// registryStart is the index in registry of the first code of each subject
// (X.0.x to X.7.x), and registryStart[8] its length; a test checks it.
var registryStart = [9]int{0, 1, 12, 17, 24, 32, 39, 50, len(registry)}

// lookupRegistry returns the registry row of subject.detail.
func lookupRegistry(subject, detail int) *registryEntry {
	if subject < 0 || subject > 7 || detail < 0 {
		return nil
	}
	i := registryStart[subject] + detail
	if i >= registryStart[subject+1] {
		return nil
	}
	return &registry[i]
}

// LookupStatus returns the IANA registry entry of code, whatever its class
// (the registry lists codes as X.subject.detail). It reports false for codes
// that are not registered, such as the vendor codes 5.7.139 or 5.2.252.
func LookupStatus(code EnhancedCode) (StatusInfo, bool) {
	e := lookupRegistry(code[1], code[2])
	if e == nil || code[0] != 2 && code[0] != 4 && code[0] != 5 {
		return StatusInfo{}, false
	}
	return StatusInfo{Code: code, Name: e.name, Reference: e.ref}, true
}

// replyEntry is one basic reply code.
type replyEntry struct {
	code  int
	text  string
	ref   string
	cause Cause
}

// replyCodes are the reply codes of RFC 5321 section 4.2.3, plus those that
// RFC 3207 (STARTTLS), RFC 4954 (AUTH) and RFC 7504 (521/556) add. It is
// never written.
var replyCodes = [...]replyEntry{
	{211, "System status, or system help reply", "RFC5321", CauseUnknown},
	{214, "Help message", "RFC5321", CauseUnknown},
	{220, "Service ready", "RFC5321", CauseUnknown},
	{221, "Service closing transmission channel", "RFC5321", CauseUnknown},
	{235, "Authentication succeeded", "RFC4954", CauseUnknown},
	{250, "Requested mail action okay, completed", "RFC5321", CauseUnknown},
	{251, "User not local; will forward", "RFC5321", CauseUnknown},
	{252, "Cannot VRFY user, but will accept message and attempt delivery", "RFC5321", CauseUnknown},
	{334, "Server challenge (AUTH continuation)", "RFC4954", CauseUnknown},
	{354, "Start mail input; end with <CRLF>.<CRLF>", "RFC5321", CauseUnknown},
	{421, "Service not available, closing transmission channel", "RFC5321", CauseSystemError},
	{432, "A password transition is needed", "RFC4954", CauseAuthMethodRejected},
	{450, "Requested mail action not taken: mailbox unavailable", "RFC5321", CauseUnknown},
	{451, "Requested action aborted: local error in processing", "RFC5321", CauseUnknown},
	{452, "Requested action not taken: insufficient system storage", "RFC5321", CauseSystemFull},
	{454, "Temporary authentication failure, or TLS not available", "RFC4954", CauseSystemError},
	{455, "Server unable to accommodate parameters", "RFC5321", CauseSystemError},
	{500, "Syntax error, command unrecognized", "RFC5321", CauseSyntaxError},
	{501, "Syntax error in parameters or arguments", "RFC5321", CauseSyntaxError},
	{502, "Command not implemented", "RFC5321", CauseSyntaxError},
	{503, "Bad sequence of commands", "RFC5321", CauseSyntaxError},
	{504, "Command parameter not implemented", "RFC5321", CauseSyntaxError},
	{521, "Host does not accept mail", "RFC7504", CauseRecipientNotAccepting},
	{530, "Authentication required", "RFC4954", CauseAuthRequired},
	{534, "Authentication mechanism is too weak", "RFC4954", CauseAuthMethodRejected},
	{535, "Authentication credentials invalid", "RFC4954", CauseAuthFailed},
	{538, "Encryption required for requested authentication mechanism", "RFC4954", CauseTLSRequired},
	{550, "Requested action not taken: mailbox unavailable", "RFC5321", CauseUnknown},
	{551, "User not local; please try <forward-path>", "RFC5321", CauseUnknown},
	{552, "Requested mail action aborted: exceeded storage allocation", "RFC5321", CauseMailboxFull},
	{553, "Requested action not taken: mailbox name not allowed", "RFC5321", CauseUnknown},
	{554, "Transaction failed (or, at connection, no SMTP service here)", "RFC5321", CauseUnknown},
	{555, "MAIL FROM/RCPT TO parameters not recognized or not implemented", "RFC5321", CauseSyntaxError},
	{556, "Domain does not accept mail", "RFC7504", CauseUnknown},
}

// ReplyCodeText returns the meaning of a basic reply code from RFC 5321 and
// the SMTP extensions that define codes (RFC 3207, RFC 4954, RFC 7504), or ""
// for an unknown code.
func ReplyCodeText(code int) string {
	if e := lookupReply(code); e != nil {
		return e.text
	}
	return ""
}

// lookupReply returns the table row of a basic reply code, by binary
// search (the table is sorted; a test checks it).
func lookupReply(code int) *replyEntry {
	lo, hi := 0, len(replyCodes)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if replyCodes[m].code < code {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(replyCodes) && replyCodes[lo].code == code {
		return &replyCodes[lo]
	}
	return nil
}

// vendorCode is an enhanced code outside the IANA registry that a vendor
// gives a fixed meaning.
type vendorCode struct {
	code  EnhancedCode
	cause Cause
	prov  provider.ID // provider hint
}

// vendorCodes are vendor status codes with a documented meaning (Microsoft
// Exchange Online's NDR codes). Registered codes are not repeated here. It
// is never written.
var vendorCodes = [...]vendorCode{
	{EnhancedCode{5, 7, 57}, CauseAuthRequired, provider.Microsoft365},
	{EnhancedCode{5, 7, 60}, CauseSenderNotAllowed, provider.Microsoft365},
	{EnhancedCode{5, 7, 139}, CauseAuthMethodRejected, provider.Microsoft365},
	{EnhancedCode{5, 2, 252}, CauseSenderNotAllowed, provider.Microsoft365},
	{EnhancedCode{5, 7, 509}, CauseDMARCFailed, provider.Microsoft365},
	{EnhancedCode{5, 7, 515}, CauseUnauthenticated, provider.Microsoft365},
	{EnhancedCode{5, 7, 606}, CauseBlocked, provider.Microsoft365},
	{EnhancedCode{5, 7, 511}, CauseBlocked, provider.Microsoft365},
	{EnhancedCode{5, 7, 708}, CauseBlocked, provider.Microsoft365},
	{EnhancedCode{5, 7, 705}, CauseAccountSuspended, provider.Microsoft365},
	{EnhancedCode{5, 7, 750}, CauseAccountSuspended, provider.Microsoft365},
	{EnhancedCode{4, 7, 650}, CauseBadReputation, provider.Microsoft365},
	{EnhancedCode{4, 7, 651}, CauseBadReputation, provider.Microsoft365},
	{EnhancedCode{4, 7, 500}, CauseRateLimited, provider.Microsoft365},
	{EnhancedCode{5, 2, 121}, CauseRateLimited, provider.Microsoft365},
	{EnhancedCode{5, 2, 122}, CauseRateLimited, provider.Microsoft365},
	{EnhancedCode{5, 1, 351}, CauseRecipientUnknown, provider.Microsoft365},
	{EnhancedCode{5, 4, 316}, CauseExpired, provider.Microsoft365},
	{EnhancedCode{5, 4, 312}, CauseNetworkError, provider.Microsoft365},
	{EnhancedCode{5, 4, 300}, CauseExpired, provider.Microsoft365},
}
