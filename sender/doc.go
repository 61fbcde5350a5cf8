// Package sender parses, normalizes and compares sender identities, and
// checks whether a From address may be used with a given SMTP account.
//
// Mail most often fails before it leaves because the From address does not
// match the identity the SMTP provider verified for the account. [Check]
// answers, before anything is sent, whether a From is allowed, rewritten by
// the provider, rejected, or unknown without more configuration; it says
// why with a stable [Reason] and suggests what to use or verify instead.
//
// The package does no I/O.
//
// # Addresses
//
// [ParseAddress] and [ParseAddressList] read mailboxes as they appear in a
// From header or a settings form: RFC 5322 name-addr and addr-spec with
// quoted strings, comments and folding white space; RFC 2047 encoded words
// in display names; UTF-8 local parts and domains (RFC 6531, RFC 6532).
// Addresses are normalized: the domain through UTS #46 non-transitional
// mapping and IDNA 2008 (RFC 5890-5893) to an A-label and a U-label form,
// the local part to NFC and checked again afterwards. Lengths follow
// RFC 5321 section 4.5.3.1. Characters that serve only to deceive (controls,
// bidirectional overrides, zero-width characters, look-alike at signs) are
// refused with a [ParseError] that says what and where. [Parser] holds the
// options; its zero value is what [ParseAddress] uses.
//
// # Identities and providers
//
// An [Identity] is an address or a domain that a provider verified for an
// account. Whether a From matches one depends on the provider: domains
// always compare case-insensitively as A-labels, but Amazon SES compares
// verified addresses case-sensitively, only gmail.com and googlemail.com
// ignore dots in the local part, and "+tag" sub-addresses are accepted only
// where a provider documents it. [ProfileFor] recognises the provider from
// the SMTP host (and, for smtp.gmail.com, the account's domain) and returns
// its [Profile]: the AUTH username form, which identities may send, whether
// a verified domain covers its subdomains, and whether a mismatching From is
// rejected or rewritten. Each rule carries its confidence (doc, obs, 3p or
// unverified, after its source); rules nobody confirmed stay conservative,
// and results say so.
//
// # Comparison rules
//
// [Profile.Match] starts from identity: the same local part, byte for byte
// after NFC, and the same A-label domain. It then relaxes only what the
// profile allows, and names each relaxation it used ([Relaxation]):
//
//   - case: local parts compared case-insensitively, except at Amazon SES,
//     which documents that verified addresses are case-sensitive;
//   - dots: ignored only in gmail.com and googlemail.com local parts;
//   - plus_tag: "user+tag" matches "user" only at Amazon SES, the one
//     provider that documents it;
//   - subdomain: a verified domain covers its subdomains only at Amazon SES
//     and the Google Workspace relay;
//   - parent_domain: Mailgun's sending domain mg.example.com aligns for a
//     From at example.com.
//
// A match that needs a relaxation whose rule is unverified gives the
// verdict unknown rather than allowed.
//
// # Identities read from the provider
//
// A list typed by hand is often wrong. The package sender/identities reads
// the account's identities from the provider's own API; put its list in
// [Config].Listed and Check judges against the verified ones, explains a
// From whose identity is pending or failed, warns about a sandboxed
// account, and reports in [Result].IdentitySource whether the list came
// from the provider, the caller, or nowhere.
//
// [Result].Certainty sums this up for people: high when the verdict rests
// on well-sourced rules and on the provider's own list (or on the From
// alone), medium when it rests on a list the caller gave or on rules known
// only from third-party guides, low when the verdict is unknown or a rule
// behind it is unconfirmed. Result.Confidence keeps the finer rating of
// the rules' sources (doc, obs, 3p, unverified).
//
// # Which address is judged
//
// Most providers judge the From header. The Google Workspace SMTP relay
// judges the envelope sender (MAIL FROM), and Amazon SES requires both to
// be verified; [Check] takes the envelope sender too, reports which
// address it judged, and warns when the two domains differ.
//
// # Free-mail addresses
//
// A From at a mailbox provider's domain (yahoo.com, gmail.com,
// outlook.com and the others of [provider.MailboxDomains]) passes DMARC
// only when it leaves through that mailbox provider's servers. Sent
// through any other service it is refused or junked whatever the service
// verified, so [Check] gives it the verdict [VerdictUndeliverable] (or
// [VerdictUnknown] for a domain publishing p=none) with the reason
// [ReasonMailboxProviderDomain], and suggests the usual fix: send from an
// address at your own domain and put the person's address in Reply-To.
//
// # Look-alikes
//
// [MixedScript] reports domain labels that mix Latin with Cyrillic or Greek
// letters, and [Skeleton] maps look-alike characters to a common form so
// that a From that differs from a verified identity only by look-alikes is
// caught.
//
// [RFC 5321]: https://www.rfc-editor.org/rfc/rfc5321
// [RFC 5322]: https://www.rfc-editor.org/rfc/rfc5322
// [RFC 2047]: https://www.rfc-editor.org/rfc/rfc2047
// [RFC 6531]: https://www.rfc-editor.org/rfc/rfc6531
// [RFC 6532]: https://www.rfc-editor.org/rfc/rfc6532
// [UTS #46]: https://www.unicode.org/reports/tr46/
package sender
