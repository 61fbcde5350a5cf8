// Package dnsauth checks the DNS side of sending email: whether a domain's
// SPF, DKIM and DMARC records are published and correct for the provider
// that sends its mail, and what the domain owner should publish to fix them.
//
// [Check] is the entry point most callers need: given a domain and the SMTP
// host (or provider) that sends for it, it returns a [Report] with the SPF
// record and its include tree, the DKIM keys found, the DMARC policy that
// applies and whether the provider's mail can align with it, MX and reverse
// DNS ([LookupMX], [LookupPTR]), a sorted list of findings with stable codes
// and concrete fixes, and a checklist of the bulk-sender requirements of
// Gmail, Yahoo and Outlook.com that DNS can show.
//
// Findings fix one problem each; [Report.Records] puts their fixes
// together: one [ProposedRecord] per DNS name and type, the current record
// with every fix applied, that keeps what the owner meant (a misspelt
// policy is corrected, the report address kept) and never brings back a
// problem another finding reported.
//
// # One package per protocol
//
// The checks themselves live in one package per protocol, each usable on
// its own:
//
//   - [github.com/sendcheck/sendcheck/dnsauth/spf]: SPF parsing, the
//     check_host() evaluation of [RFC 7208] and a linter for domain owners;
//   - [github.com/sendcheck/sendcheck/dnsauth/dkim]: DKIM key records
//     ([RFC 6376], [RFC 8463], [RFC 8301]) and their discovery;
//   - [github.com/sendcheck/sendcheck/dnsauth/dmarc]: DMARC records, policy
//     discovery ([RFC 9989], or [RFC 7489] with the public suffix list) and
//     identifier alignment;
//   - [github.com/sendcheck/sendcheck/dnsauth/dnscheck]: what they share: the
//     [dnscheck.Resolver] seam and its miekg/dns [dnscheck.Client], answers
//     and statuses, findings, codes and severities.
//
// A program that only evaluates SPF imports dnsauth/spf and dnsauth/dnscheck;
// neither the report nor the public suffix list comes with them.
//
// # Within one check
//
// Answers are cached for the length of a [Check], each question is asked
// once however many parts of the check need it, and the questions are
// counted ([Report.Queries]); nothing is cached across checks. A shared
// question runs under the check's own context, so a part of the check that
// stops waiting (an SPF look-ahead that turned out not to be needed) never
// cancels it for the others.
//
// # Errors and findings
//
// A DNS failure at one name is a finding about that name (dns.servfail,
// dns.timeout, dns.cname_loop; see [dnscheck.Code]). A domain that does
// not exist gets the single finding dns.nxdomain and no audit of records
// that cannot be there. Check itself fails only when the check could not be
// done: when ctx ends (a deadline that passes during the check always gives
// an error wrapping [context.DeadlineExceeded], never timeouts in the
// report), when the resolver answered none of the questions
// ([*ResolverError], which names it), or when the input is invalid
// ([*dnscheck.DomainError], [*OptionsError]).
//
// [RFC 7208]: https://www.rfc-editor.org/rfc/rfc7208
// [RFC 6376]: https://www.rfc-editor.org/rfc/rfc6376
// [RFC 8463]: https://www.rfc-editor.org/rfc/rfc8463
// [RFC 8301]: https://www.rfc-editor.org/rfc/rfc8301
// [RFC 9989]: https://www.rfc-editor.org/rfc/rfc9989
// [RFC 7489]: https://www.rfc-editor.org/rfc/rfc7489
package dnsauth
