// Package bounce reads the reports that arrive after a message was
// accepted: delivery status notifications and bounce emails, delay notices,
// complaints and auto-replies, and the event notifications of email service
// providers. Each becomes records of one shape, [Record], with the same
// explanation [smtperr.Explain] gives for an error at send time.
//
// [Read] takes one email and returns a [Report]: what the email is (a
// bounce, a delay, a delivery notice, a complaint, an auto-reply or no
// report at all), one [Record] per recipient, and the link back to the
// returned message ([Original]: its Message-ID, subject, addresses and X-
// header fields, where a mailer keeps its own id).
//
// # Formats
//
//   - RFC 3464 multipart/report with a message/delivery-status part, and
//     RFC 6533 message/global-delivery-status (internationalized addresses).
//     The RFC 3462/6522 report container and RFC 3463 status codes.
//   - RFC 5965 abuse feedback reports (ARF), and two common complaint forms
//     without the feedback-report part: a feedback loop returning the
//     message with a field naming its recipient, and a mail client's
//     unsubscribe request.
//   - RFC 3834 automatic replies: the Auto-Submitted field, the fields
//     vacation programs add, and subjects and texts of out-of-office
//     replies in several languages. An auto-reply is no failure: it proves
//     the address works.
//   - Amazon SES notifications sent by email (through an SNS email
//     subscription): their JSON gives bounce, complaint and delivery
//     records.
//   - Free-text bounces without a machine-readable part, as qmail, Exim,
//     old Sendmail, Exchange and many providers send them, in text or HTML
//     and in several languages. These are read by their structure: the
//     failed addresses, the server's reply beside or below each, the line
//     that introduces the returned message.
//
// MIME, transfer encodings and character sets are read with
// github.com/emersion/go-message. The header fields a report is read from
// (the machine-readable parts' fields, the returned message's header) are
// scanned line by line and only those used are kept; encoded words in them
// are decoded by go-message too.
//
// [SplitMbox] splits an mbox ([RFC 4155]) into the emails [Read] takes.
//
// # Explanations
//
// The diagnostic of each failed recipient is explained by
// [smtperr.ExplainReply]. When the text part of a report quotes the same
// reply with the step it answered ("host mx.example.org said: ... (in reply
// to MAIL FROM command)", "SMTP error from remote mail server after EHLO",
// a Sendmail transcript's ">>> MAIL From:" line), that version is the
// diagnostic, so the explanation sees the command context. The report's
// own Status field counts as evidence too: when the diagnostic carries no
// enhanced status code, or only a generic one (5.0.0), the Status code is
// used with it. A local delivery program's failure (an x-unix
// Diagnostic-Code) with nothing more specific is a mailer error, and a
// failure the report says was retried until it gave up is an expired
// message. A record is [Hard]
// when the cause says the address itself is bad (unknown user or domain,
// null MX, moved mailbox), [Soft] otherwise.
//
// # Hostile input
//
// [Read] bounds the size of an email, the depth and number of its MIME
// parts and the size of header blocks ([Options]); over a limit it returns
// a *[LimitError]. Input that has no email header gives a *[SyntaxError].
// A malformed part deeper in an email does not stop reading: what could be
// read is used.
//
// [RFC 4155]: https://www.rfc-editor.org/rfc/rfc4155
//
// [RFC 3464]: https://www.rfc-editor.org/rfc/rfc3464
// [RFC 6533]: https://www.rfc-editor.org/rfc/rfc6533
// [RFC 5965]: https://www.rfc-editor.org/rfc/rfc5965
// [RFC 3834]: https://www.rfc-editor.org/rfc/rfc3834
package bounce
