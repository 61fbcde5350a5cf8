// Package smtptest runs a real SMTP submission server on loopback that
// behaves like a mail provider: it authenticates users (AUTH PLAIN and
// LOGIN, RFC 4954 with RFC 4616, and OAuth 2.0 access tokens with XOAUTH2
// and OAUTHBEARER, RFC 7628, optionally refusing every password the way
// Exchange Online does once basic authentication is off), offers STARTTLS (RFC 3207) or implicit
// TLS (RFC 8314) with a self-signed certificate made in memory, lets each
// user send only as the addresses and domains configured for it, and
// refuses any other sender with a reply copied from a real provider, at
// the stage where that provider refuses (MAIL FROM, RCPT TO or after DATA).
//
// It is built on github.com/emersion/go-smtp's server and meant, like
// net/http/httptest, for a mailer's own tests ("a provider that refuses
// like SES") and for offline demonstrations: [NewServer] has no dependency
// on package testing, and [Start] is the test-friendly wrapper that closes
// the server when the test ends.
//
// Every reply the server writes for a refused sender is written verbatim:
// the session returns an unwrapped *smtp.SMTPError, which go-smtp copies to
// the wire unchanged. The presets ([RejectSES], [RejectSendGrid],
// [RejectMicrosoft365], [RejectPostfixMismatch]) carry the exact text the
// providers send.
package smtptest
