package bounce_test

import (
	"fmt"
	"strings"

	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

func ExampleRead() {
	email := strings.ReplaceAll(`From: MAILER-DAEMON@mx.example.net
To: crm@example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary=b

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; old.customer@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <old.customer@example.org>: Recipient address rejected: User unknown

--b
Content-Type: text/rfc822-headers

From: crm@example.com
To: old.customer@example.org
Subject: Your renewal
Message-ID: <renewal-1234@example.com>
X-Crm-Contact: 1234
--b--
`, "\n", "\r\n")

	rep, err := bounce.Read(strings.NewReader(email), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Kind, rep.Format)
	for _, r := range rep.Records {
		fmt.Println(r.Recipient, r.Status, r.Severity)
		fmt.Println(string(r.Explanation.Cause), r.Explanation.Party)
		fmt.Println(r.MessageID, rep.Original.Headers["X-Crm-Contact"])
	}
	// Output:
	// bounce rfc3464
	// old.customer@example.org 5.1.1 hard
	// recipient_unknown recipient
	// renewal-1234@example.com [1234]
}

func ExampleSplitMbox() {
	mbox := "From MAILER-DAEMON Thu Jul  2 12:05:05 2026\n" +
		"From: MAILER-DAEMON@mx.example.net\nSubject: Undelivered Mail\n\nfirst\n\n" +
		"From MAILER-DAEMON Thu Jul  2 12:06:10 2026\n" +
		"From: MAILER-DAEMON@mx.example.net\nSubject: Delayed Mail\n\nsecond\n"
	for _, m := range bounce.SplitMbox([]byte(mbox)) {
		rep, err := bounce.Read(strings.NewReader(string(m)), nil)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(rep.Subject)
	}
	// Output:
	// Undelivered Mail
	// Delayed Mail
}
