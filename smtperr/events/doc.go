// Package events reads the event notifications email service providers send
// about mail after they accepted it (bounces, deferrals, drops, complaints,
// deliveries, opens) and returns them as [bounce.Record] values, the same
// per-recipient records the bounce-email reader returns, each failure with
// the explanation [smtperr.ExplainReply] gives for its diagnostic text.
//
// # Providers
//
// [Parse] reads the JSON each provider documents:
//
//   - Amazon SES: notifications (Bounce, Complaint, Delivery) and
//     event-publishing records (also Reject, DeliveryDelay, Rendering
//     Failure, Send, Open, Click), inside an SNS envelope whose Message
//     field holds the record as a string, bare, or inside an EventBridge
//     event;
//   - SendGrid's Event Webhook: a batch of events (bounce, blocked,
//     deferred, dropped, spamreport, delivered, processed, ...);
//   - Mailgun's webhooks: a signature and one event-data object (failed with
//     its severity and delivery-status, complained, delivered, ...);
//   - Postmark's webhooks: one record with a RecordType (Bounce with its
//     bounce Type, SpamComplaint, Delivery, ...);
//   - SparkPost's webhooks: a batch of msys events (bounce, out_of_band,
//     policy_rejection, delay, spam_complaint, ...) with bounce classes;
//   - Mailjet's event API, Brevo's transactional webhooks and Resend's
//     webhooks.
//
// [Detect] tells the provider from the payload when the caller does not
// state it.
//
// # Kinds and the provider's classification
//
// Each record has a [bounce.Kind]: bounce (the receiver refused for good),
// delay (still retrying), dropped (the provider did not try: suppressed or
// invalid address, policy, quota), complaint, autoreply, delivered, and other
// for events that report no failure (opens, clicks, processed). Failures carry
// a severity, hard or soft, as the provider classifies them.
//
// A provider's own classification is evidence next to the diagnostic text.
// Some classes are decisive: SES's Permanent/Suppressed, SendGrid's dropped
// "Bounced Address", Mailgun's suppress-bounce mean the provider never tried,
// so the cause is suppressed whatever the text says. Others are hints
// (SES's Transient/MailboxFull, SparkPost's bounce class 22) that decide the
// cause only when the text is vague or missing; a specific reply text wins
// over a hint. [Explain] does this for callers with their own events.
//
// # Authenticity
//
// A [Verifier] checks SendGrid's signed event webhook (ECDSA P-256 over the
// timestamp and the body), Mailgun's HMAC-SHA256 of timestamp and token,
// Resend's Svix HMAC, basic-auth credentials for Postmark, Mailjet and Brevo
// (compared in constant time), and the SNS signatures of SES notifications
// (SignatureVersion 1 and 2). The SNS signing certificate is fetched only from
// an https URL on an SNS host (sns.<region>.amazonaws.com), through a fetcher
// the caller may replace, and cached. Signed timestamps must be within a
// tolerance of the current time, and a payload is accepted once.
//
// A [Handler] puts it together for an HTTP endpoint: body size limit,
// verification, parsing and a callback that receives all records of a payload
// or none.
//
// # Bad input
//
// A payload of unknown shape, with a malformed event, or with more events
// than the limit is refused whole with a *[ParseError]; a failed check is a
// *[VerifyError]. Parse never returns some records of a payload and drops
// others.
//
// References:
//
//   - SES notification contents: https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html
//   - SES event publishing: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
//   - SNS signatures: https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
//   - SendGrid Event Webhook: https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event
//   - Mailgun webhooks: https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/
//   - Postmark webhooks: https://postmarkapp.com/developer/webhooks/webhooks-overview
//   - SparkPost webhooks: https://developers.sparkpost.com/api/webhooks/
//   - Mailjet event API: https://dev.mailjet.com/email/guides/webhooks/
//   - Brevo webhooks: https://developers.brevo.com/docs/transactional-webhooks
//   - Resend webhooks: https://resend.com/docs/webhooks/introduction
package events
