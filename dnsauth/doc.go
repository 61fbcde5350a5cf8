// Package dnsauth checks the DNS side of sending email: whether a domain's
// SPF, DKIM and DMARC records are published and correct for the provider
// that sends its mail, and what the domain owner should publish to fix them.
//
// [Check] is the entry point most callers need: given a domain and the SMTP
// host (or provider) that sends for it, it returns a [Report] with the SPF
// record and its include tree, the DKIM keys found, the DMARC policy that
// applies and whether the provider's mail can align with it, MX and reverse
// DNS, a sorted list of [Finding] values with stable codes and concrete
// fixes, and a checklist of the bulk-sender requirements of Gmail, Yahoo
// and Outlook.com that DNS can show.
//
// # DNS
//
// Every check reaches DNS through a [Resolver], a small interface whose
// [Answer] keeps what the email standards need and the standard library
// hides: NXDOMAIN, NODATA, SERVFAIL and timeout told apart (SPF turns the
// first two into "none" or a void lookup and the last two into
// "temperror"), the CNAME chain, and the AD bit. [Client] is the default
// implementation, a stub resolver on github.com/miekg/dns: UDP with an
// EDNS0 buffer of 1232 bytes, TCP when the answer is truncated, a timeout
// per attempt, retries, several servers tried in order (by default those of
// /etc/resolv.conf), and a [context.Context] on every question. TXT records
// come back with the strings of one record joined without a separator
// ([Answer.TXT]), as SPF, DKIM and DMARC require.
//
// Within one check, answers are cached, each question is asked once
// however many parts of the check need it, and the questions are counted;
// nothing is cached across checks. A shared question runs under the
// check's own context, so a part of the check that stops waiting (an SPF
// look-ahead that turned out not to be needed) never cancels it for the
// others. Every function that takes a Resolver accepts nil for the default
// [Client], and every function that takes a domain normalizes it the same
// way ([NormalizeDomain]: A-labels, lower case, no final dot).
//
// # Failures: errors and findings
//
// A DNS failure at one name is a finding about that name: dns.servfail
// (the servers failed, or the reply cannot be used, such as one over the
// 512-record bound or truncated over TCP), dns.timeout, or dns.cname_loop
// (an alias chain that leads back into itself). A domain that does not
// exist gets the single finding dns.nxdomain and no audit of records that
// cannot be there. The check itself fails, with an error, only when it
// could not be done: when the caller's context ends (a passed deadline
// always gives an error wrapping [context.DeadlineExceeded], never
// timeouts in the report), when the resolver answered none of the
// questions ([*ResolverError], naming it), or when the input is invalid
// ([*DomainError], [*OptionsError]). An RSA DKIM key over 4096 bits gets
// dkim.large_key: [RFC 8301] requires verifiers to handle keys only up to
// that size.
//
// # SPF
//
// [ParseSPF] parses a record by the grammar of [RFC 7208] section 12,
// macros and modifiers included, and reports the offending term of a bad
// record with a [*SPFSyntaxError]. [CheckHost] is the check_host()
// function of RFC 7208 section 4: every mechanism, redirect, exp
// explanations with macro expansion, the limits of section 4.6.4 (10
// mechanisms and modifiers that query DNS, 2 void lookups, 10 names per mx
// or ptr), IPv4 and IPv6 clients, and the seven results. It passes every
// case of the RFC 7208 conformance suite of the OpenSPF project.
//
// Evaluation follows the RFC's order, but the records of include targets
// are fetched ahead, in parallel, while earlier terms are evaluated; the
// answers are still applied in order and the limits still count exactly
// what the RFC counts, so the result never depends on the prefetch, only
// the wall time does.
//
// [InspectSPF] is the linter for domain owners: it walks the whole include
// tree without a client address and reports each problem as a [Finding]
// (the spf.* codes): too many DNS lookups over the tree, void lookups,
// include loops, includes with no record, +all and ?all, a missing all,
// ptr, several records, over-long strings and records. Its [SPFReport]
// keeps the tree, each node with its record and the lookups it costs, and
// the sending providers the record authorizes; [SPFReport.RequireProvider]
// and [SPFReport.CheckIP] add the findings that need a provider or a
// sending address. [LintSPF] checks a record before it is published.
//
// # DKIM
//
// [ParseDKIMKey] parses a key record per [RFC 6376] section 3.6.1 and
// [RFC 8463]: the RSA key size is read from the decoded key, an Ed25519 key
// must be 32 bytes, an empty p= means the key is revoked, t=y marks a test
// key, h= limited to sha1 is flagged ([RFC 8301] forbids rsa-sha1 for
// signing), and an s= that excludes email makes the key unusable for mail.
// [LookupDKIM] asks <selector>._domainkey.<domain> for the selectors the
// caller names, those the provider usually publishes and a list of common
// ones, all at once, following CNAMEs the way providers delegate keys.
//
// # DMARC
//
// [ParseDMARC] validates every tag of [RFC 9989] (np, psd, t) and of
// [RFC 7489]; pct, rf and ri, which RFC 9989 removed, are flagged as
// deprecated. [DiscoverDMARC] finds the policy record that applies to a
// domain: by default with the DNS tree walk of RFC 9989 (at most eight
// queries, made concurrently), or, as an option, with RFC 7489's lookup of
// the organizational domain through the public suffix list. External
// report destinations are checked for authorization at
// <domain>._report._dmarc.<host>. [CheckAlignment] says whether SPF and
// DKIM identifiers align with the From domain under relaxed and strict
// modes, using the organizational domain of the same discovery.
//
// # MX and reverse DNS
//
// [LookupMX] reports MX presence, the null MX of [RFC 7505] and MX hosts
// without addresses; [LookupPTR] checks that a sending IP has a reverse
// name that resolves back to it.
//
// [RFC 7208]: https://www.rfc-editor.org/rfc/rfc7208
// [RFC 6376]: https://www.rfc-editor.org/rfc/rfc6376
// [RFC 8463]: https://www.rfc-editor.org/rfc/rfc8463
// [RFC 8301]: https://www.rfc-editor.org/rfc/rfc8301
// [RFC 9989]: https://www.rfc-editor.org/rfc/rfc9989
// [RFC 7489]: https://www.rfc-editor.org/rfc/rfc7489
// [RFC 7505]: https://www.rfc-editor.org/rfc/rfc7505
//
// [RFC 6891]: https://www.rfc-editor.org/rfc/rfc6891
package dnsauth
