// Package spf implements the Sender Policy Framework of [RFC 7208]:
// parsing records, evaluating them for a client, and linting them for the
// domain owner.
//
// [Parse] parses a record by the grammar of RFC 7208 section 12, macros
// and modifiers included, and reports the offending term of a bad record
// with a [*SyntaxError]. [CheckHost] is the check_host() function of RFC
// 7208 section 4: every mechanism, redirect, exp explanations with macro
// expansion, the limits of section 4.6.4 ([MaxLookups] mechanisms and
// modifiers that query DNS, [MaxVoidLookups] void lookups, [MaxNames] names
// per mx or ptr), IPv4 and IPv6 clients, and the seven results. It passes
// every case of the RFC 7208 conformance suite of the OpenSPF project.
//
// Evaluation follows the RFC's order, but the records of include targets
// are fetched ahead, in parallel, while earlier terms are evaluated; the
// answers are still applied in order and the limits still count exactly
// what the RFC counts, so the result never depends on the look-ahead, only
// the wall time does ([Options.Serial] turns it off).
//
// [Inspect] is the linter for domain owners: it walks the whole include
// tree without a client address and reports each problem as a
// [dnscheck.Finding] (the spf.* codes): too many DNS lookups over the tree,
// void lookups, include loops, includes with no record, +all and ?all, a
// missing all, ptr, several records, over-long strings and records. Its
// [Report] keeps the tree, each node with its record and the lookups it
// costs, and the sending providers the record authorizes;
// [Report.RequireProvider] and [Report.CheckIP] add the findings that need
// a provider or a sending address. [Lint] checks a record before it is
// published.
//
// DNS is reached through a [dnscheck.Resolver]; nil means the default
// client.
//
// [RFC 7208]: https://www.rfc-editor.org/rfc/rfc7208
package spf
