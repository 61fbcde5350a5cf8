package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/examples/preflight/preflight"
	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/bounce"
	"github.com/sendcheck/sendcheck/smtperr/smtptest"
)

// The late bounce: the provider accepts a message for an address that no
// longer exists, and the recipient's server refuses it after the provider
// took it. The provider then mails a delivery status notification to the
// envelope sender.
const (
	goneRcpt    = "former.customer@example.net"
	goneMsgID   = "order-1042@shop.example"
	goneOrderID = "1042"
	goneReply   = "550 5.1.1 <" + goneRcpt + ">: Recipient address rejected: User unknown in virtual mailbox table"
)

// bounceResult is what the demo read from the bounce email.
type bounceResult struct {
	Accepted bool `json:"accepted"`
	// Report is the bounce email as bounce.Read reads it.
	Report *bounce.Report `json:"report,omitempty"`
	// AtSendTime is smtperr's explanation of the same reply, as a mailer
	// would have got it had the refusal come during the SMTP session.
	AtSendTime *smtperr.Explanation `json:"at_send_time,omitempty"`
	Error      string               `json:"error,omitempty"`
}

// lateBounce sends the message the provider accepts, builds the bounce the
// provider mails back, and reads it.
func lateBounce(ctx context.Context, w io.Writer, ses *smtptest.Server, password string) bounceResult {
	var res bounceResult
	fmt.Fprintf(w, "\n== 4. A bounce that arrives later\n\n")
	if err := deliverTo(ctx, ses, password, goneRcpt); err != nil {
		res.Error = err.Error()
		fmt.Fprintf(w, "  sending to %s failed: %v\n", goneRcpt, err)
		return res
	}
	res.Accepted = true
	fmt.Fprintf(w, "  %s -> %s: accepted by the provider (250)\n", goodSender, goneRcpt)

	// The accepted message as the provider received it: the bounce quotes
	// its header.
	var sent []byte
	for _, m := range ses.Messages() {
		if m.Accepted && len(m.To) == 1 && m.To[0] == goneRcpt {
			sent = m.Data
		}
	}
	email := sesBounce(sent)
	fmt.Fprintf(w, "  later, the bounce mailbox receives \"Delivery Status Notification (Failure)\" from %s\n", "MAILER-DAEMON@amazonses.com")

	rep, err := bounce.Read(bytes.NewReader(email), nil)
	if err != nil {
		res.Error = err.Error()
		fmt.Fprintf(w, "  reading the bounce failed: %v\n", err)
		return res
	}
	res.Report = rep
	res.AtSendTime = smtperr.ExplainReply(goneReply)
	for _, r := range rep.Records {
		fmt.Fprintf(w, "  %s (%s) for %s, status %s, %s bounce\n", r.Kind, rep.Format, r.Recipient, r.Status, r.Severity)
		fmt.Fprintf(w, "    the recipient's server said: %s\n", r.Diagnostic)
		preflight.WriteExplanation(w, "    ", r.Explanation)
		if rep.Original != nil {
			fmt.Fprintf(w, "    the message: <%s> %q, X-Shop-Order %s\n", rep.Original.MessageID, rep.Original.Subject,
				strings.Join(rep.Original.Headers["X-Shop-Order"], ","))
		}
	}
	fmt.Fprintf(w, "  at send time the same reply explains as: %s\n", string(res.AtSendTime.Cause))
	return res
}

// deliverTo sends the shop's message to one recipient.
func deliverTo(ctx context.Context, ses *smtptest.Server, password, rcpt string) error {
	msg := "From: " + goodSender + "\r\nTo: " + rcpt + "\r\nSubject: Your order has shipped\r\n" +
		"Message-ID: <" + goneMsgID + ">\r\nX-Shop-Order: " + goneOrderID + "\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n\r\nYour order is on its way.\r\n"
	return sendVia(ctx, ses, password, "orders@shop.example", rcpt, msg)
}

// sesBounce is the delivery status notification the provider mails when the
// recipient's server refuses a message it had accepted: RFC 3464, with the
// header of the returned message.
func sesBounce(sent []byte) []byte {
	head := sent
	if i := bytes.Index(sent, []byte("\r\n\r\n")); i >= 0 {
		head = sent[:i+2]
	}
	var b bytes.Buffer
	b.WriteString("From: MAILER-DAEMON@amazonses.com\r\n" +
		"To: orders@shop.example\r\n" +
		"Subject: Delivery Status Notification (Failure)\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\r\n\r\n" +
		"--dsn\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" +
		"An error occurred while trying to deliver the mail to the following recipients:\r\n" + goneRcpt + "\r\n\r\n" +
		"--dsn\r\nContent-Type: message/delivery-status\r\n\r\n" +
		"Reporting-MTA: dns; a8-30.smtp-out.amazonses.com\r\n\r\n" +
		"Action: failed\r\nFinal-Recipient: rfc822; " + goneRcpt + "\r\n" +
		"Diagnostic-Code: smtp; " + goneReply + "\r\n" +
		"Status: 5.1.1\r\nRemote-MTA: dns; mx.example.net\r\n\r\n" +
		"--dsn\r\nContent-Type: text/rfc822-headers\r\n\r\n")
	b.Write(head)
	b.WriteString("\r\n--dsn--\r\n")
	return b.Bytes()
}

// checkBounce compares the bounce step with the story.
func checkBounce(r bounceResult) []string {
	switch {
	case !r.Accepted:
		return []string{"the provider refused the message that should bounce later: " + r.Error}
	case r.Report == nil:
		return []string{"the bounce could not be read: " + r.Error}
	case len(r.Report.Records) != 1:
		return []string{fmt.Sprintf("the bounce gave %d records, want 1", len(r.Report.Records))}
	}
	rec := r.Report.Records[0]
	var p []string
	if rec.Kind != bounce.KindBounce || rec.Recipient != goneRcpt || rec.Explanation == nil {
		p = append(p, fmt.Sprintf("the bounce read as %s for %q", rec.Kind, rec.Recipient))
	} else if rec.Explanation.Cause != r.AtSendTime.Cause {
		p = append(p, fmt.Sprintf("the bounce explains as %s, the same reply at send time as %s", string(rec.Explanation.Cause), string(r.AtSendTime.Cause)))
	}
	if rec.MessageID != goneMsgID {
		p = append(p, fmt.Sprintf("the bounce links to message %q, want %q", rec.MessageID, goneMsgID))
	}
	return p
}
