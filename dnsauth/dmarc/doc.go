// Package dmarc reads Domain-based Message Authentication, Reporting and
// Conformance policy records: [RFC 9989], and [RFC 7489] before it.
//
// [Parse] validates every tag of RFC 9989 (np, psd, t) and of RFC 7489;
// pct, rf and ri, which RFC 9989 removed, are flagged as deprecated.
// [Discover] finds the policy record that applies to a domain: by default
// with the DNS tree walk of RFC 9989 (at most eight queries, made
// concurrently), or, with [ModePublicSuffix], with RFC 7489's lookup of the
// organizational domain through the public suffix list. External report
// destinations are checked for authorization at
// <domain>._report._dmarc.<host>. [CheckAlignment] says whether the SPF and
// DKIM identifiers align with the From domain under relaxed and strict
// modes, using the organizational domain ([OrganizationalDomain]) of the
// same discovery.
//
// DNS is reached through a [dnscheck.Resolver]; nil means the default
// client.
//
// [RFC 9989]: https://www.rfc-editor.org/rfc/rfc9989
// [RFC 7489]: https://www.rfc-editor.org/rfc/rfc7489
package dmarc
