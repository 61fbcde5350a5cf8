package dnscheck

// Severity ranks a [Finding].
type Severity string

// Severities, from most to least serious.
const (
	SeverityError   Severity = "error"   // mail will fail or be rejected until fixed
	SeverityWarning Severity = "warning" // works today but is fragile, weak or against best practice
	SeverityInfo    Severity = "info"    // worth knowing; nothing to fix
)

// Rank orders severities for sorting: 0 for error, 1 for warning, 2 for
// info, 3 for anything else.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	case SeverityInfo:
		return 2
	}
	return 3
}

// Code is the stable identifier of a kind of problem. Codes are part of the
// JSON output and never change meaning.
type Code string

// Finding codes.
const (
	// SPF.
	CodeSPFMissing         Code = "spf.missing"          // no SPF record
	CodeSPFMultiple        Code = "spf.multiple"         // more than one v=spf1 record
	CodeSPFSyntax          Code = "spf.syntax"           // the record does not parse
	CodeSPFTooManyLookups  Code = "spf.too_many_lookups" // more than 10 DNS-querying terms over the include tree
	CodeSPFVoidLookups     Code = "spf.void_lookups"     // more than 2 lookups that return no records
	CodeSPFIncludeLoop     Code = "spf.include_loop"     // an include or redirect leads back to itself
	CodeSPFIncludeMissing  Code = "spf.include_missing"  // an include or redirect target has no SPF record
	CodeSPFPermissiveAll   Code = "spf.permissive_all"   // +all or ?all
	CodeSPFNoAll           Code = "spf.no_all"           // neither all nor redirect
	CodeSPFPtr             Code = "spf.ptr"              // the ptr mechanism (RFC 7208 section 5.5: do not use)
	CodeSPFProviderMissing Code = "spf.provider_missing" // the sending provider's include is absent
	CodeSPFIPNotPermitted  Code = "spf.ip_not_permitted" // a given sending IP does not pass
	CodeSPFTooLong         Code = "spf.too_long"         // record over 450 bytes (RFC 7208 section 3.4)
	CodeSPFLongString      Code = "spf.long_string"      // one character-string over 255 bytes: must be split

	// DKIM.
	CodeDKIMMissing  Code = "dkim.missing"   // no key at any selector tried
	CodeDKIMRevoked  Code = "dkim.revoked"   // p= is empty
	CodeDKIMWeakKey  Code = "dkim.weak_key"  // RSA key under 2048 bits (error under 1024)
	CodeDKIMLargeKey Code = "dkim.large_key" // RSA key over 4096 bits, which verifiers need not check (RFC 8301)
	CodeDKIMTesting  Code = "dkim.testing"   // t=y
	CodeDKIMSyntax   Code = "dkim.syntax"    // the key record does not parse
	CodeDKIMSHA1     Code = "dkim.sha1"      // h= allows only sha1

	// DMARC.
	CodeDMARCMissing         Code = "dmarc.missing"          // no policy record applies
	CodeDMARCMultiple        Code = "dmarc.multiple"         // several v=DMARC1 records at one name
	CodeDMARCSyntax          Code = "dmarc.syntax"           // the record does not parse or has invalid values
	CodeDMARCPolicyNone      Code = "dmarc.policy_none"      // p=none: monitoring only
	CodeDMARCNoRUA           Code = "dmarc.no_rua"           // no aggregate report destination
	CodeDMARCRUAUnauthorized Code = "dmarc.rua_unauthorized" // external report destination not authorized
	CodeDMARCDeprecatedTag   Code = "dmarc.deprecated_tag"   // pct, rf or ri (removed by RFC 9989)
	CodeDMARCNotAligned      Code = "dmarc.not_aligned"      // the provider's envelope or DKIM domain cannot align
	CodeDMARCMailboxDomain   Code = "dmarc.mailbox_domain"   // a free-mail From sent through another provider's servers

	// MX and DNS.
	CodeMXMissing    Code = "mx.missing"     // no MX (and no usable address fallback)
	CodeMXNull       Code = "mx.null"        // null MX (RFC 7505): the domain accepts no mail
	CodePTRMissing   Code = "ptr.missing"    // a sending IP has no reverse DNS name
	CodePTRMismatch  Code = "ptr.mismatch"   // the reverse name does not resolve back to the IP
	CodeDNSServFail  Code = "dns.servfail"   // a server failure (or a reply that cannot be used) stopped a check
	CodeDNSTimeout   Code = "dns.timeout"    // no answer within the time allowed
	CodeDNSCNAMELoop Code = "dns.cname_loop" // a CNAME chain leads back into itself
	CodeDNSNXDomain  Code = "dns.nxdomain"   // the checked domain does not exist
)

// DNSFailure reports whether c says a lookup failed (dns.servfail,
// dns.timeout, dns.cname_loop), so the data it was about is unknown rather
// than wrong.
func (c Code) DNSFailure() bool {
	return c == CodeDNSServFail || c == CodeDNSTimeout || c == CodeDNSCNAMELoop
}

// Finding is one problem (or note) in a check's result. Findings marshal to
// JSON with stable field names.
type Finding struct {
	// Code identifies the kind of problem.
	Code Code `json:"code"`
	// Severity says how serious it is.
	Severity Severity `json:"severity"`
	// Name is the DNS name the finding is about, when there is one.
	Name string `json:"name,omitempty"`
	// Message says what is wrong, in plain words.
	Message string `json:"message"`
	// Fix says what to change.
	Fix string `json:"fix,omitempty"`
	// Record is the exact record to publish at Name, where the fix is one.
	Record string `json:"record,omitempty"`
}
