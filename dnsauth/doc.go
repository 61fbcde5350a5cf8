// Package dnsauth checks the DNS side of sending email: whether a domain's
// SPF record authorizes a sending host, and what a domain owner should fix
// in it.
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
// Within one check, answers are cached, identical questions in flight at
// the same time are asked once, and the questions are counted; nothing is
// cached across checks.
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
// [RFC 7208]: https://www.rfc-editor.org/rfc/rfc7208
//
// [RFC 6891]: https://www.rfc-editor.org/rfc/rfc6891
package dnsauth
