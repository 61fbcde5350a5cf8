package smtperr_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-smtp"

	"github.com/sendcheck/sendcheck/smtperr"
)

func ExampleExplainReply() {
	e := smtperr.ExplainReply("554 5.2.252 SendAsDenied; sender@example.com not allowed to send as boss@example.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied")
	fmt.Println(e.Cause.String(), e.Code, e.Enhanced, e.Provider, e.Party)
	fmt.Println(e.Summary)
	// Output:
	// sender_not_allowed 554 5.2.252 microsoft365 sender_account
	// Microsoft 365 refused to send as this From address: the signed-in account has no Send As permission for it.
}

func ExampleExplain() {
	// A go-smtp client returns the server's reply as *smtp.SMTPError; the
	// enhanced code is often left in the message.
	err := fmt.Errorf("sending: %w", &smtp.SMTPError{
		Code:    535,
		Message: "5.7.8 Username and Password not accepted. Learn more at\nhttps://support.google.com/mail/?p=BadCredentials - gsmtp",
	})
	e := smtperr.Explain(err)
	fmt.Println(e.Cause.String(), e.Enhanced, e.Provider, e.Temporary)
	fmt.Println(e.Message)
	// Output:
	// auth_failed 5.7.8 gmail false
	// Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials - gsmtp
}

func ExampleWrap() {
	send := func() error {
		return smtperr.Wrap(&smtp.SMTPError{Code: 550, Message: "The from address does not match a verified Sender Identity."})
	}
	err := fmt.Errorf("notify user 42: %w", send())
	if errors.Is(err, smtperr.CauseSenderNotVerified) {
		var e *smtperr.Error
		errors.As(err, &e)
		fmt.Println(e.Explanation.Provider, e.Explanation.Party)
	}
	// Output:
	// sendgrid sender_account
}

func ExampleParseReply() {
	r := smtperr.ParseReply("host mx.example.com[192.0.2.1] said: 550-5.1.1 The email account that you tried to reach does not exist.\r\n550 5.1.1 Please check the address.")
	fmt.Println(r.Code, r.Enhanced, len(r.Lines))
	fmt.Println(r.Lines[1])
	// Output:
	// 550 5.1.1 2
	// Please check the address.
}

func ExampleCause() {
	c := smtperr.CauseMailboxFull
	fmt.Println(c.Party(), c.Retryable())
	fmt.Println(c.Action())
	// Output:
	// recipient true
	// Retry later or reach the recipient another way so they can free up space.
}

func ExampleExplainer() {
	// A mailer's own rules, read from a file in the documented format,
	// are tried before the built-in ones.
	rules, err := smtperr.ParseRules(strings.NewReader(`
# A gateway that words its app-password demand its own way.
auth_method_rejected: please sign in with an app code
  action: Create an app code in the account's security settings and use it as the SMTP password.
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	x, err := smtperr.NewExplainer(rules)
	if err != nil {
		fmt.Println(err)
		return
	}
	e := x.ExplainReply("535 5.7.8 Please sign in with an app code")
	fmt.Println(e.Cause.String(), e.Basis, e.Confidence)
	fmt.Println(e.Action)
	// Output:
	// auth_method_rejected rule high
	// Create an app code in the account's security settings and use it as the SMTP password.
}

func ExampleExplanation_confidence() {
	for _, reply := range []string{
		"550 5.1.1 <a@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
		"550 5.1.1 <a@example.com>",
		"550 Requested action not taken",
	} {
		e := smtperr.ExplainReply(reply)
		fmt.Println(e.Cause.String(), e.Confidence)
	}
	// Output:
	// recipient_unknown high
	// recipient_unknown medium
	// unknown low
}
