// Package dnscheck is the vocabulary the email-authentication checks of
// sendcheck share: how they ask DNS, what an answer says, and how a problem
// is reported.
//
// # Asking DNS
//
// Every check reaches DNS through a [Resolver], a small interface whose
// [Answer] keeps what the email standards need and the standard library
// hides: NXDOMAIN, NODATA, SERVFAIL and timeout told apart (SPF turns the
// first two into "none" or a void lookup and the last two into
// "temperror"), the CNAME chain, and the AD bit. [Client] is the default
// implementation, a stub resolver on github.com/miekg/dns: UDP with an
// EDNS0 buffer of 1232 bytes, TCP when the answer is truncated ([RFC 6891],
// [RFC 7766]), a timeout per attempt, one retry by default, several servers
// tried in order (by default those of /etc/resolv.conf), and a
// [context.Context] on every question. TXT records come back with the
// strings of one record joined without a separator ([Answer.TXT]), as SPF,
// DKIM and DMARC require.
//
// Every function of sendcheck that takes a Resolver accepts nil for the
// default client, and the zero [Client] reads /etc/resolv.conf on first
// use. Every function that takes a domain normalizes it the same way
// ([NormalizeDomain]: A-labels, lower case, no final dot).
//
// An answer that cannot be used whole is never used in part: a reply
// holding more than 512 records of the type asked, or one truncated even
// over TCP, has [StatusError]; an alias chain that leads back into itself
// has [StatusCNAMELoop]. A ctx deadline that passes while a server is being
// asked ends the question with an error wrapping
// [context.DeadlineExceeded], never with [StatusTimeout].
//
// # Findings
//
// Every problem a check finds is a [Finding]: a stable [Code], a
// [Severity], the DNS name it is about, a message, a fix and, where the fix
// is a record, the record to publish. The codes are listed with [Code];
// besides those of the design (spf.*, dkim.*, dmarc.*, mx.*, ptr.*,
// dns.servfail, dns.timeout) there are spf.too_long, spf.long_string,
// dkim.large_key (an RSA key over 4096 bits, which [RFC 8301] lets
// verifiers refuse), dns.cname_loop and dns.nxdomain (the checked domain
// does not exist).
//
// [RFC 6891]: https://www.rfc-editor.org/rfc/rfc6891
// [RFC 7766]: https://www.rfc-editor.org/rfc/rfc7766
// [RFC 8301]: https://www.rfc-editor.org/rfc/rfc8301
package dnscheck
