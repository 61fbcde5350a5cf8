// Package identities reads an account's sender identities (verified
// addresses and domains) from the provider's own API, so that
// [sender.Check] judges a From against the provider's truth instead of a
// list typed by hand.
//
// A mailer usually knows only what its customer typed: an SMTP host, a
// user name and a password. Whether the From is allowed depends on the
// identities verified at the provider, and every provider publishes them
// through an HTTPS API. [New] returns a [Lister] for one provider; its
// List method follows the provider's pagination to the end and returns a
// [Result] whose embedded [sender.IdentityList] goes straight into
// [sender.Config].Listed:
//
//	l, err := identities.New(provider.SendGrid, identities.NewSecret(apiKey), nil)
//	res, err := l.List(ctx)
//	cfg := sender.Config{Host: "smtp.sendgrid.net", Username: "apikey", Listed: &res.IdentityList}
//	verdict := sender.Check(cfg, from, "")
//
// # Providers
//
// Each implementation follows the provider's published API reference,
// cited beside it:
//
//   - SendGrid: verified senders (Single Sender Verification) and
//     authenticated domains. SendGrid's SMTP password is an API key, so the
//     SMTP credentials suffice when the key has the read scopes.
//   - Amazon SES (API v2, through the AWS SDK for Go v2): the email and
//     domain identities of the endpoint's region, their DKIM and MAIL FROM
//     status, the account's sandbox status and sending quota. SES SMTP
//     passwords are derived and cannot call the API: it needs an access key.
//   - Mailgun (US and EU regions): domains and their state.
//   - Postmark: sender signatures and domains (an account token).
//   - Brevo: senders and domains.
//   - Mailjet: senders (addresses and *@domain) and their DNS checks.
//   - SparkPost (US and EU): sending domains.
//   - Resend: domains.
//   - Gmail: the "Send mail as" addresses of the account (an OAuth token
//     with a Gmail settings scope).
//   - Microsoft 365: the mailbox's own addresses through Microsoft Graph.
//     Graph does not expose Send As or Send on Behalf rights, and the
//     result says so rather than guess.
//
// # Errors
//
// A failed call returns an *[APIError] that explains itself like an SMTP
// reply: what happened ([ErrorKind]: a wrong key, a missing scope, rate
// limiting with the Retry-After delay, a server error, a timeout, an
// answer that does not parse), who must act and what to change. Nothing
// partial is ever returned as whole: a page that fails fails the List,
// and a list longer than [Options].MaxPages pages is an error.
//
// A key that may send but not read the identities (SendGrid and Resend
// offer such keys; an OAuth token without a settings scope) is not an
// error: the Result says ScopeMissing, and its list's Source is
// [sender.SourceNone], so Check falls back to what it knew.
//
// # Secrets
//
// Keys and tokens come only from the caller, wrapped in a [Secret] that
// prints as [REDACTED]. They are sent only to the provider's documented
// API host over TLS; [Options].BaseURL may point elsewhere only over
// https, or over plain http to a loopback address (for test doubles).
// Error texts from the provider are cleaned of the secret before they are
// kept.
package identities
