// Package dnsauth checks the DNS side of sending email.
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
// [RFC 7208]: https://www.rfc-editor.org/rfc/rfc7208
// [RFC 1035]: https://www.rfc-editor.org/rfc/rfc1035
// [RFC 6891]: https://www.rfc-editor.org/rfc/rfc6891
package dnsauth
