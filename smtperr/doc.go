// Package smtperr explains SMTP failures: given an error from a mail client
// or the reply text from a log or a bounce, it tells the cause, whose move
// it is, whether a retry can help, what to change, and which provider said
// it, next to the provider's own words.
//
//	if err := client.Mail(from, nil); err != nil {
//		e := smtperr.Explain(err)
//		log.Printf("%s: %s (%s)", e.Cause.String(), e.Summary, e.Message)
//	}
//
// The package is pure: no I/O, no logging, and no mutable global state (the
// pattern index is derived once from the constant tables, on first use).
//
// # Reply model
//
// An SMTP reply (RFC 5321 section 4.2) is a three-digit reply code and one
// or more lines of text; RFC 2034 and RFC 3463 add an enhanced status code
// (class.subject.detail, such as 5.7.1) at the start of each line. Real
// replies reach an application in many shapes, and [ParseReply] reads them
// all: multi-line replies, replies whose code a client stripped, replies
// behind log prefixes ("host mx.example.com said: 550 ..."), DSN
// Diagnostic-Code fields (RFC 3464, "smtp; 550 ..."), and enhanced codes
// anywhere in the text ("(#5.1.1)"). [LookupStatus] knows every code of the
// IANA enhanced status code registry (RFC 3463, RFC 5248 and the RFCs they
// list, through X.7.30 of RFC 8689), and [ReplyCodeText] every reply code of
// RFC 5321 plus those of RFC 3207, RFC 4954 and RFC 7504.
//
// # Errors
//
// [Explain] takes any error: go-smtp's *smtp.SMTPError (whose EnhancedCode
// is often unset, with the code still in the text) and LMTPDataError,
// net/smtp's *textproto.Error (read from its fields; its Error string is
// never parsed), errors wrapping them, and network, DNS, TLS and context
// errors. [ExplainReply] takes raw text. Both return an [*Explanation],
// which marshals to JSON with stable field names and logs through log/slog.
//
// To carry an explanation up a call stack, wrap the error with [Wrap]: the
// resulting [*Error] matches its cause with errors.Is
// (errors.Is(err, smtperr.CauseSenderNotVerified)), is found with errors.As,
// and unwraps to the original error.
//
// # Causes
//
// [Cause] is a fixed taxonomy of snake_case strings, split into the sender's
// account at its own provider (sender_not_verified, auth_failed, ...), the
// sender's authentication and reputation at the receiver (spf_failed,
// blocked, spam_detected, ...), and the recipient and transport
// (recipient_unknown, mailbox_full, network_error, ...). Each cause knows who
// must act ([Party]), whether a retry can help, and a summary and action in
// plain words.
//
// # Precedence
//
// Text and codes often disagree: servers answer 5.7.1 for almost any
// refusal, and many send 550 5.0.0 whatever happened. The more specific
// evidence wins, in this order:
//
//  1. a rule the caller gave an [Explainer], the first that matches;
//  2. the phrases of the text, weighed as evidence: every phrase of the
//     tables that occurs supports its cause, a provider's own text
//     (Microsoft's "SendAsDenied", SES's "Email address is not verified")
//     weighs most, then phrases in the order of the table, from the most
//     specific ("Sender address rejected: not owned by user") to single
//     words ("spam"); support for one cause adds up. A phrase counts only
//     at word boundaries ("spam" is not in "spamcop"), not after "not"
//     and not before a pass result ("dmarc=pass"). Email addresses, with
//     the brackets or quotes around them, are left out before matching:
//     "User <a@example.com> unknown" reads as "User unknown", and a word
//     or a provider's domain inside an address is no evidence. When the
//     clause that ends with a recipient-side phrase is about the sender
//     ("Sender address rejected: User unknown", "your account is
//     disabled"), the evidence goes to the sender's side. The wrapper text of client libraries
//     ("Invalid login:", "SMTP Error: Could not authenticate.") and of
//     bounce reports ("refused to talk to me", "will be retried") weighs
//     least, so the server's words they quote decide. When no phrase
//     decided, a word naming a mailbox or its owner ("user", "mailbox",
//     "recipient", "address") close to a word saying it does not exist
//     ("unknown", "not found", "no such", "invalid") in one clause is
//     evidence of [CauseRecipientUnknown] with at most medium confidence,
//     except in a text about signing in or one that also names the sender;
//  3. the enhanced status code, when it is specific: a vendor code with a
//     documented meaning (Exchange Online's 5.7.139 or 5.2.252), or a
//     registered code that is not an "other or undefined" one;
//  4. vague phrases ("policy", "blocked", "try again later");
//  5. a generic enhanced code (X.N.0, and X.7.1 "Delivery not authorized"),
//     except after the AUTH reply codes 534, 535 and 538 of RFC 4954, which
//     name their cause outright;
//  6. the basic reply code, only where the code itself is specific (535
//     is auth_failed, 552 mailbox_full, 421 system_error); 450, 451, 550,
//     551, 553, 554 and 556 are used for every kind of refusal and give
//     [CauseUnknown], whose summary gives the codes' registered meaning
//     and whose action says what to read the text for;
//  7. otherwise [CauseUnknown].
//
// So a 5.7.1 whose text says "Sender address rejected: not owned by user" is
// sender_not_allowed, not a policy block. [Explanation.Basis] and
// [Explanation.Matched] tell which step decided.
//
// # Languages
//
// Replies written only in German, French, Spanish, Italian, Portuguese,
// Dutch, Polish, Czech, Russian (Cyrillic and transliterated), Turkish,
// Chinese, Japanese and Korean are understood in the wordings real
// servers, providers and mail clients use: recipient unknown, mailbox
// full, sender not allowed, authentication failed, app password required,
// rate and quota limits, spam, relay refused and message too large in
// every one of them; a disabled mailbox and a blocked sender where a real
// text was found. No phrase is guessed: where no server, provider or
// client was found to write a cause in a language (greylisting and an
// unverified sender, in most), the reply's codes and any English in it
// decide. Text outside ASCII is compared after Unicode normalization
// (NFKD without combining marks, then NFKC) and case folding, so
// accents, full-width forms and letter case do not matter.
//
// # Rules of your own
//
// A mailer that meets a reply the tables misread can fix it without a
// release: [NewExplainer] takes [Rule] values, and [ParseRules] reads
// them from a text file in a documented format. The built-in rules stay
// the default: [Explain] and [ExplainReply] need no setup.
//
// Bounce text often says which command a reply answered ("in reply to MAIL
// FROM command", "after initial connection"). Unless a provider's own text
// decided, a refusal of MAIL FROM concerns the sender: recipient_unknown
// becomes sender_rejected, recipient_domain_unknown becomes
// sender_address_invalid, and a permanent refusal decided only by vague
// evidence (steps 3 to 6) becomes sender_rejected. A permanent refusal of
// the connection or of EHLO decided only by vague evidence is
// [CauseBlocked].
//
// [Explanation.Confidence] rates the evidence: [ConfidenceHigh] when a
// provider's own text or a phrase that names one cause decided, or the Go
// error's type showed the failure; [ConfidenceMedium] for a specific
// enhanced code or a single telling word; [ConfidenceLow] for a generic
// enhanced code, a vague phrase, the bare reply code, and every unknown
// cause. A cause moved by the command context, or decided by a pair of
// words rather than a phrase, is at most medium. Every phrase of the
// tables is one a real reply, bounce or mail client was found to use; the
// package's tests explain each such real text, with its source.
//
// Replies with a 2xx or 3xx code are not failures; they explain as
// [CauseUnknown]. The Temporary field follows the reply code (4xx), or the
// enhanced code's class when the text carries no reply code.
//
// # Errors that are not replies
//
// A refused or reset connection, a timeout, a DNS failure and an expired
// context deadline explain as [CauseNetworkError]; certificate, handshake
// and "not TLS" errors as [CauseTLSFailed]. A cancelled context is
// [CauseUnknown]: the caller gave up, nothing failed. A queue that gave up
// on a message reports [CauseExpired] in its bounce text, which is reply
// text and explained as such.
//
// # Providers
//
// [Explanation.Provider] names the provider or mail system when the text
// shows it: host names and help URLs in the text (gsmtp, outlook.com,
// yahoodns.net, ...), vendor tokens (STOREDRV, cuda_nsu), and stock texts of
// mail software (Postfix's "Recipient address rejected:", Exim's "Sender
// verify failed"). The signatures live in the module's one provider table.
//
// # Identifiers for the provider's support
//
// [Explanation.Trace] lists what a provider's support asks for to find a
// failure in its logs, taken from the server's text only ([Identifiers]):
// server names, transaction and queue ids, message, request and
// correlation ids, gateway references, timestamps, the region and IP
// addresses. [Ticket] writes a failure as plain text to paste into a
// ticket: the step that failed ([StepOf] guesses it from a bounce), the
// provider, the reply verbatim, those identifiers, the time in UTC and
// where the provider's logs and support are.
//
// [RFC 5321]: https://www.rfc-editor.org/rfc/rfc5321
// [RFC 3463]: https://www.rfc-editor.org/rfc/rfc3463
// [RFC 5248]: https://www.rfc-editor.org/rfc/rfc5248
// [RFC 3464]: https://www.rfc-editor.org/rfc/rfc3464
// [RFC 7372]: https://www.rfc-editor.org/rfc/rfc7372
// [RFC 7504]: https://www.rfc-editor.org/rfc/rfc7504
// [RFC 7505]: https://www.rfc-editor.org/rfc/rfc7505
package smtperr
