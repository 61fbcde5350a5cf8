package smtptest

import (
	"strings"

	"github.com/emersion/go-smtp"
)

// Stage is the point of the SMTP transaction at which a provider refuses a
// sender it does not accept.
type Stage string

// Stages at which a [Rejection] is sent.
const (
	// StageMail refuses the MAIL FROM command (envelope sender).
	StageMail Stage = "mail"
	// StageRcpt refuses each RCPT TO command, judging the envelope sender,
	// as Postfix does with its default smtpd_delay_reject=yes.
	StageRcpt Stage = "rcpt"
	// StageData accepts the envelope and refuses the message after the
	// final dot, judging the From header field (or the envelope sender when
	// the message has no From).
	StageData Stage = "data"
)

// Rejection is the reply a provider sends when an authenticated user tries
// to send as an address it may not use.
type Rejection struct {
	// Name identifies the preset ("ses", "sendgrid", ...); free text for
	// custom rejections.
	Name string
	// Code is the three-digit reply code.
	Code int
	// EnhancedCode is the RFC 3463 status code written before the text.
	// smtp.NoEnhancedCode writes none (as Amazon SES and SendGrid do);
	// smtp.EnhancedCodeNotSet makes go-smtp write X.0.0.
	EnhancedCode smtp.EnhancedCode
	// Text is the reply text. "{from}" is replaced by the refused address
	// and "{user}" by the authenticated user name. A "\n" starts a
	// continuation line.
	Text string
	// Stage is where the reply is sent.
	Stage Stage
}

// Reply returns the reply for user sending as from, as an unwrapped
// *smtp.SMTPError so that go-smtp writes it verbatim.
func (r Rejection) Reply(user, from string) *smtp.SMTPError {
	text := strings.NewReplacer("{from}", from, "{user}", user).Replace(r.Text)
	return &smtp.SMTPError{Code: r.Code, EnhancedCode: r.EnhancedCode, Message: text}
}

// RejectSES is Amazon SES refusing an unverified identity after DATA:
// "554 Message rejected: Email address is not verified. The following
// identities failed the check in region US-EAST-1: ...".
func RejectSES() Rejection {
	return Rejection{
		Name:         "ses",
		Code:         554,
		EnhancedCode: smtp.NoEnhancedCode,
		Text:         "Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: {from}",
		Stage:        StageData,
	}
}

// RejectSendGrid is Twilio SendGrid refusing a From that is not a verified
// Sender Identity, after DATA.
func RejectSendGrid() Rejection {
	return Rejection{
		Name:         "sendgrid",
		Code:         550,
		EnhancedCode: smtp.NoEnhancedCode,
		Text:         "The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/ to see the Sender Identity requirements",
		Stage:        StageData,
	}
}

// RejectMicrosoft365 is Exchange Online refusing a mailbox without SendAs
// rights on the From address, after DATA (5.2.252 SendAsDenied).
func RejectMicrosoft365() Rejection {
	return Rejection{
		Name:         "microsoft365",
		Code:         554,
		EnhancedCode: smtp.EnhancedCode{5, 2, 252},
		Text:         "SendAsDenied; {user} not allowed to send as {from}; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message.",
		Stage:        StageData,
	}
}

// RejectPostfixMismatch is Postfix's reject_sender_login_mismatch: the
// envelope sender is not owned by the SASL login, refused at RCPT TO.
func RejectPostfixMismatch() Rejection {
	return Rejection{
		Name:         "postfix",
		Code:         553,
		EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Text:         "<{from}>: Sender address rejected: not owned by user {user}",
		Stage:        StageRcpt,
	}
}

// Presets returns every preset rejection, in a fixed order.
func Presets() []Rejection {
	return []Rejection{RejectSES(), RejectSendGrid(), RejectMicrosoft365(), RejectPostfixMismatch()}
}

// Preset returns the preset rejection with the given name.
func Preset(name string) (Rejection, bool) {
	for _, r := range Presets() {
		if r.Name == name {
			return r, true
		}
	}
	return Rejection{}, false
}

// Replies a provider sends for authentication problems. They are
// functions, not variables, so nothing in the package is mutable.

// replyAuthFailed is Postfix with Dovecot SASL refusing a password.
func replyAuthFailed() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Error: authentication failed: authentication failure"}
}

// replyAuthRequired is Postfix's submission service refusing MAIL before AUTH.
func replyAuthRequired() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
}
