package bounce

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/smtperr"
)

// crlf turns the \n of a literal into CRLF line ends.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

type unitCase struct {
	name      string
	email     string
	format    Format
	kind      Kind
	recipient string
	status    string
	cause     smtperr.Cause
	feedback  string
	messageID string
}

var unitEmails = []unitCase{
	{
		name: "rfc3464",
		email: crlf(`From: MAILER-DAEMON@mx.example.net
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="XX"

--XX
Content-Type: text/plain

Your message could not be delivered.

--XX
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Mon, 3 Jun 2024 10:00:00 +0000

Final-Recipient: rfc822; gone@example.org
Original-Recipient: rfc822; alias@example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.1.1 <gone@example.org>: Recipient address
    rejected: User unknown in virtual mailbox table
Last-Attempt-Date: Mon, 3 Jun 2024 10:00:01 +0000

--XX
Content-Type: message/rfc822

From: sender@example.com
To: alias@example.org
Subject: Your invoice
Message-ID: <inv-1@example.com>
X-Campaign-Id: c-77

Body.
--XX--
`),
		format: FormatDSN, kind: KindBounce, recipient: "gone@example.org", status: "5.1.1",
		cause: smtperr.CauseRecipientUnknown, messageID: "inv-1@example.com",
	},
	{
		name: "rfc6533 global",
		email: crlf(`From: postmaster@mx.example.net
Subject: Delivery Status Notification (Failure)
MIME-Version: 1.0
Content-Type: multipart/report; report-type=global-delivery-status; boundary=b

--b
Content-Type: text/plain; charset=utf-8

Delivery failed.
--b
Content-Type: message/global-delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: utf-8; 用户@例子.example
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp; 552 5.2.2 Mailbox full
--b--
`),
		format: FormatGlobalDSN, kind: KindBounce, recipient: "用户@例子.example", status: "5.2.2",
		cause: smtperr.CauseMailboxFull,
	},
	{
		name: "delay",
		email: crlf(`From: MAILER-DAEMON@relay.example.net
Subject: Delayed Mail (still being retried)
Content-Type: multipart/report; report-type=delivery-status; boundary=d

--d
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.net

Final-Recipient: rfc822; slow@example.org
Action: delayed
Status: 4.2.2
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full, try again later
--d--
`),
		format: FormatDSN, kind: KindDelay, recipient: "slow@example.org", status: "4.2.2",
		cause: smtperr.CauseMailboxFull,
	},
	{
		name: "arf",
		email: crlf(`From: feedback@isp.example
Subject: Abuse report
Content-Type: multipart/report; report-type=feedback-report; boundary=f

--f
Content-Type: text/plain

This is an abuse report.
--f
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFBL/1.0
Version: 1
Original-Rcpt-To: <reader@isp.example>
Arrival-Date: Tue, 4 Jun 2024 08:00:00 +0000

--f
Content-Type: text/rfc822-headers

From: news@example.com
To: reader@isp.example
Message-ID: <nl-9@example.com>
Subject: Newsletter
--f--
`),
		format: FormatARF, kind: KindComplaint, recipient: "reader@isp.example", feedback: "abuse",
		messageID: "nl-9@example.com",
	},
	{
		name: "qmail text",
		email: crlf(`From: MAILER-DAEMON@mail.example.net
To: sender@example.com
Subject: failure notice

Hi. This is the qmail-send program at mail.example.net.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<nosuch@example.org>:
192.0.2.7 does not like recipient.
Remote host said: 550 5.1.1 No such user here
Giving up on 192.0.2.7.

--- Below this line is a copy of the message.

Return-Path: <sender@example.com>
From: sender@example.com
To: nosuch@example.org
Message-ID: <q-1@example.com>
Subject: hi

hello
`),
		format: FormatText, kind: KindBounce, recipient: "nosuch@example.org", status: "5.1.1",
		cause: smtperr.CauseRecipientUnknown, messageID: "q-1@example.com",
	},
	{
		name: "exim text with X-Failed-Recipients",
		email: crlf(`From: Mail Delivery System <Mailer-Daemon@host.example.net>
To: sender@example.com
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: full@example.org
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  full@example.org
    host mx.example.org [192.0.2.9]
    SMTP error from remote mail server after RCPT TO:<full@example.org>:
    552 5.2.2 Mailbox quota exceeded

------ This is a copy of the message, including all the headers. ------

From: sender@example.com
To: full@example.org
Message-Id: <e-1@example.com>
Subject: hi
`),
		format: FormatText, kind: KindBounce, recipient: "full@example.org", status: "5.2.2",
		cause: smtperr.CauseMailboxFull, messageID: "e-1@example.com",
	},
	{
		name: "html ndr",
		email: crlf(`From: Microsoft Outlook <postmaster@example.onmicrosoft.com>
To: sender@example.com
Subject: Undeliverable: Quarterly report
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body><p>Your message to <b>missing@example.org</b> couldn't be delivered.</p>
<p>Remote server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'</p>
</body></html>
`),
		format: FormatText, kind: KindBounce, recipient: "missing@example.org", status: "5.1.10",
		cause: smtperr.CauseRecipientUnknown,
	},
	{
		name: "autoreply header",
		email: crlf(`From: Ana <ana@example.org>
To: sender@example.com
Subject: Re: hello
Auto-Submitted: auto-replied

Thanks, I will answer next week.
`),
		format: FormatAutoReply, kind: KindAutoReply, recipient: "ana@example.org",
	},
	{
		name: "autoreply german subject",
		email: crlf(`From: Jonas <jonas@example.de>
To: sender@example.com
Subject: Abwesenheitsnotiz: Angebot

Ich bin bis 10. Juni nicht im Büro.
`),
		format: FormatAutoReply, kind: KindAutoReply, recipient: "jonas@example.de",
	},
	{
		name: "autoreply japanese encoded subject",
		email: crlf(`From: taro@example.jp
To: sender@example.com
Subject: =?UTF-8?B?6Ieq5YuV5b+c562U?=
Content-Type: text/plain; charset=utf-8

ただいま不在にしております。
`),
		format: FormatAutoReply, kind: KindAutoReply, recipient: "taro@example.jp",
	},
	{
		name: "status before recipient",
		email: crlf(`From: mailer-daemon@mx.example.net
To: sender@example.com
Subject: Undeliverable
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="XX"

--XX
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable
Status: 5.1.1
Final-Recipient: rfc822; gone@example.org
Action: failed

--XX--
`),
		format: FormatDSN, kind: KindBounce, recipient: "gone@example.org", status: "5.1.1", cause: smtperr.CauseRecipientUnknown,
	},
	{
		name: "action before recipient, original after final",
		email: crlf(`From: mailer-daemon@mx.example.net
To: sender@example.com
Subject: Undeliverable
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="XX"

--XX
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Action: failed
Final-Recipient: rfc822; gone@example.org
Original-Recipient: rfc822; gone@example.org
Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable
Status: 5.1.1

--XX--
`),
		format: FormatDSN, kind: KindBounce, recipient: "gone@example.org", status: "5.1.1", cause: smtperr.CauseRecipientUnknown,
	},
	{
		name: "report forwarded as an attachment",
		email: crlf(`From: filter@relay.example.net
To: sender@example.com
Subject: Returned mail
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="OUT"

--OUT
Content-Type: text/plain

The following message was returned.

--OUT
Content-Type: message/rfc822

From: MAILER-DAEMON@mx.example.net
To: sender@example.com
Subject: Returned mail: User unknown
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="IN"

--IN
Content-Type: text/plain

   ----- The following addresses had permanent delivery errors -----
gone@example.org

--IN
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; gone@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--IN--

--OUT--
`),
		format: FormatDSN, kind: KindBounce, recipient: "gone@example.org", status: "5.1.1", cause: smtperr.CauseRecipientUnknown,
	},
	{
		// The Diagnostic-Code leaves out the command; the text says the
		// reply refused MAIL FROM, so it is about the sender.
		name: "dsn with the command in the text",
		email: crlf(`From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<rcpt@example.org>: host mx.example.org[192.0.2.7] said: 550
    5.7.1 Access denied (in reply to MAIL FROM command)

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; rcpt@example.org
Action: failed
Status: 5.7.1
Diagnostic-Code: smtp; 550 5.7.1 Access denied

--B--
`),
		format: FormatDSN, kind: KindBounce, recipient: "rcpt@example.org", status: "5.7.1", cause: smtperr.CauseSenderRejected,
	},
	{
		// The recipient is a pipe an alias led to; the text names the
		// address that generated it.
		name: "exim pipe recipient",
		email: crlf(`From: Mail Delivery System <Mailer-Daemon@mx.example.net>
To: sender@example.com
Subject: Mail delivery failed: returning message to sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="E"

--E
Content-Type: text/plain

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  pipe to |/usr/local/bin/ticket-import
    generated by support@example.org

--E
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Action: failed
Final-Recipient: rfc822;|/usr/local/bin/ticket-import
Status: 5.0.0

--E--
`),
		format: FormatDSN, kind: KindBounce, recipient: "support@example.org", status: "5.0.0", cause: smtperr.CauseMailerError,
	},
	{
		// The Diagnostic-Code holds the first line of a multi-line reply;
		// the transcript in the text has the rest.
		name: "dsn with a cut multi-line reply",
		email: crlf(`From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>
To: sender@example.com
Subject: Returned mail: see transcript for details
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="S"

--S

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> DATA
<<< 550-5.7.1 Unauthenticated email from example.com is not accepted due to domain's
<<< 550-5.7.1 DMARC policy. Please contact the administrator of example.com
<<< 550 5.7.1 domain if this was a legitimate mail.
554 5.0.0 Service unavailable

--S
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: RFC822; rcpt@example.org
Action: failed
Status: 5.7.1
Diagnostic-Code: SMTP; 550-5.7.1 Unauthenticated email from example.com is not accepted due to domain's

--S--
`),
		format: FormatDSN, kind: KindBounce, recipient: "rcpt@example.org", status: "5.7.1", cause: smtperr.CauseDMARCFailed,
	},
	{
		// No Diagnostic-Code; the reason is a comment after the status.
		name: "dsn with the reason beside the status",
		email: crlf(`From: MAILER-DAEMON@mx.example.net
To: sender@example.com
Subject: Warning: message delayed
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="D"

--D
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822;rcpt@mail.example.org
Action: delayed
Status: 4.0.0 (mail.example.org: host name lookup failure)

--D--
`),
		format: FormatDSN, kind: KindDelay, recipient: "rcpt@mail.example.org", status: "4.0.0", cause: smtperr.CauseNetworkError,
	},
	{
		// Sendmail writes the command and the server's reply before the
		// line that names the recipient.
		name: "sendmail transcript before the recipient",
		email: crlf(`From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>
To: sender@example.com
Subject: Returned mail: Remote protocol error

   ----- Transcript of session follows -----
While talking to mx.example.org:
>>> MAIL From:<sender@example.com>
<<< 550 Relaying denied
554 <rcpt@example.org>... Remote protocol error
421 mx2.example.org (smtp)... Deferred: Connection timed out with mx2.example.org

   ----- Unsent message follows -----
From: sender@example.com
To: rcpt@example.org
Subject: hello

hello
`),
		format: FormatText, kind: KindBounce, recipient: "rcpt@example.org", cause: smtperr.CauseRelayDenied,
	},
	{
		// The Diagnostic-Code is a local program's exit status.
		name: "dsn from a local delivery program",
		email: crlf(`From: MAILER-DAEMON@mx.example.net
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="U"

--U
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; rcpt@example.org
Action: failed
Status: 5.3.0
Diagnostic-Code: x-unix; temporary failure

--U--
`),
		format: FormatDSN, kind: KindBounce, recipient: "rcpt@example.org", status: "5.3.0", cause: smtperr.CauseMailerError,
	},
	{
		// A list of addresses, a rule, then the details; the report says
		// delivery was abandoned after hours of trying.
		name: "free text that gave up",
		email: crlf(`From: postmaster@relay.example.net
To: sender@example.com
Subject: Delivery Status Notification (Failure)

======================================================
Delivery to the following recipients was aborted after 5.0 hour(s):

  * rcpt@example.org

======================================================
Technical details:

Routing: no gateway for the recipient
`),
		format: FormatText, kind: KindBounce, recipient: "rcpt@example.org", cause: smtperr.CauseExpired,
	},
	{
		// A mailing-list manager refuses a posting from a non-member.
		name: "mailing list refusal",
		email: crlf(`From: announce-owner@lists.example.org
To: sender@example.com
Subject: Your message to announce was not posted

You are not a member of this mailing list <announce@lists.example.org>.
Only members can post; to subscribe, write to announce-request@lists.example.org.
`),
		format: FormatText, kind: KindBounce, recipient: "announce@lists.example.org", cause: smtperr.CauseSenderRejected,
	},
	{
		name: "ordinary email",
		email: crlf(`From: friend@example.org
To: sender@example.com
Subject: lunch?

Are you free on Friday?
`),
		format: FormatNone, kind: KindOther,
	},
}

func TestRead(t *testing.T) {
	for _, tc := range unitEmails {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := Read(strings.NewReader(tc.email), nil)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Format != tc.format || rep.Kind != tc.kind {
				t.Errorf("format, kind = %s, %s; want %s, %s", rep.Format, rep.Kind, tc.format, tc.kind)
			}
			if tc.recipient == "" {
				if len(rep.Records) != 0 {
					t.Errorf("got %d records, want none", len(rep.Records))
				}
				return
			}
			if len(rep.Records) != 1 {
				t.Fatalf("got %d records, want 1: %+v", len(rep.Records), rep.Records)
			}
			r := rep.Records[0]
			if r.Recipient != tc.recipient || r.Status != tc.status || r.FeedbackType != tc.feedback || r.MessageID != tc.messageID {
				t.Errorf("recipient, status, feedback, message id = %q, %q, %q, %q; want %q, %q, %q, %q",
					r.Recipient, r.Status, r.FeedbackType, r.MessageID, tc.recipient, tc.status, tc.feedback, tc.messageID)
			}
			var got smtperr.Cause
			if r.Explanation != nil {
				got = r.Explanation.Cause
			}
			if got != tc.cause {
				t.Errorf("cause = %q, want %q (diagnostic %q)", got, tc.cause, r.Diagnostic)
			}
		})
	}
}

func TestReadDSNFields(t *testing.T) {
	rep, err := Read(strings.NewReader(unitEmails[0].email), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Records[0]
	if r.OriginalRecipient != "alias@example.org" || r.RemoteMTA != "mx.example.org" || r.ReportingMTA != "mx.example.net" {
		t.Errorf("original recipient, remote, reporting = %q, %q, %q", r.OriginalRecipient, r.RemoteMTA, r.ReportingMTA)
	}
	if r.ArrivalDate.IsZero() || r.LastAttempt.IsZero() || r.Severity != Hard || r.Action != "failed" {
		t.Errorf("arrival %v, last attempt %v, severity %q, action %q", r.ArrivalDate, r.LastAttempt, r.Severity, r.Action)
	}
	if !strings.Contains(r.Diagnostic, "Recipient address rejected: User unknown") {
		t.Errorf("diagnostic %q lost its folded line", r.Diagnostic)
	}
	o := rep.Original
	if o == nil || o.Subject != "Your invoice" || o.To != "alias@example.org" || len(o.Headers["X-Campaign-Id"]) != 1 {
		t.Errorf("original = %+v", o)
	}
	if !rep.Failed() {
		t.Error("Failed() = false")
	}
}

func TestReadLimits(t *testing.T) {
	big := "From: a@example.com\r\nSubject: x\r\n\r\n" + strings.Repeat("x", 2000)
	var le *LimitError
	if _, err := Read(strings.NewReader(big), &Options{MaxSize: 1000}); !errors.As(err, &le) || le.Limit != "size" {
		t.Errorf("size: err = %v", err)
	}
	long := "From: a@example.com\r\nSubject: " + strings.Repeat("y", 5000) + "\r\n\r\nbody\r\n"
	if _, err := Read(strings.NewReader(long), &Options{MaxHeaderBytes: 1024}); !errors.As(err, &le) || le.Limit != "header" {
		t.Errorf("header: err = %v", err)
	}
	var deep strings.Builder
	deep.WriteString("From: a@example.com\r\n")
	for i := 0; i < 30; i++ {
		deep.WriteString("Content-Type: multipart/mixed; boundary=b" + itoa(i) + "\r\n\r\n--b" + itoa(i) + "\r\n")
	}
	deep.WriteString("Content-Type: text/plain\r\n\r\nhi\r\n")
	if _, err := Read(strings.NewReader(deep.String()), nil); !errors.As(err, &le) || le.Limit != "depth" {
		t.Errorf("depth: err = %v", err)
	}
	var many strings.Builder
	many.WriteString("From: a@example.com\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n")
	for i := 0; i < 300; i++ {
		many.WriteString("--m\r\nContent-Type: text/plain\r\n\r\npart\r\n")
	}
	many.WriteString("--m--\r\n")
	if _, err := Read(strings.NewReader(many.String()), nil); !errors.As(err, &le) || le.Limit != "parts" {
		t.Errorf("parts: err = %v", err)
	}
}

func itoa(i int) string { return string(rune('a'+i/26)) + string(rune('a'+i%26)) }

func TestReadNotEmail(t *testing.T) {
	for _, in := range []string{"", "\x00\x01\x02 not a header", " leading space\r\n\r\n"} {
		_, err := Read(bytes.NewReader([]byte(in)), nil)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Read(%q) err = %v, want *SyntaxError", in, err)
		}
	}
}

// TestReadHostileBounded feeds reports built to be slow or large: many
// addresses, many recipient groups, long lines. Each must give a bounded
// number of records.
func TestReadHostileBounded(t *testing.T) {
	var addrs strings.Builder
	for i := 0; i < 5000; i++ {
		addrs.WriteString("u" + itoa(i%600) + itoa(i/600) + "@example.org, ")
	}
	var groups strings.Builder
	for i := 0; i < 3000; i++ {
		groups.WriteString("Final-Recipient: rfc822; r" + itoa(i%600) + "@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n")
	}
	for name, email := range map[string]string{
		"failed recipients header": "From: MAILER-DAEMON@example.net\r\nSubject: Mail delivery failed\r\nX-Failed-Recipients: " +
			addrs.String() + "\r\n\r\n" + strings.Repeat(addrs.String()+"\r\n550 5.1.1 no\r\n", 20),
		"many recipient groups": "From: MAILER-DAEMON@example.net\r\nContent-Type: multipart/report; boundary=b\r\n\r\n--b\r\n" +
			"Content-Type: message/delivery-status\r\n\r\n" + groups.String() + "--b--\r\n",
		"one long line": "From: MAILER-DAEMON@example.net\r\nSubject: failure notice\r\n\r\n" + strings.Repeat("a@b.example 550 ", 200000),
	} {
		t.Run(name, func(t *testing.T) {
			rep, err := Read(strings.NewReader(email), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Records) > maxRecords {
				t.Errorf("%d records, want at most %d", len(rep.Records), maxRecords)
			}
		})
	}
}

func TestFailureStatus(t *testing.T) {
	cases := []struct{ in, want string }{
		{"550 5.1.1 <a@example.org>: user unknown", "5.1.1"},
		{"250 2.1.0 ok; 250 2.1.5 ok; 550 5.7.1 relaying denied", "5.7.1"},
		{"5.1.0 - Unknown address error 550-'5.7.1 <a@example.org>... Access denied'", "5.7.1"},
		{"554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>", "4.4.2"},
		{"550 5.2.2 mailbox full; earlier 421 4.7.0 try again", "5.2.2"},
		{"250 2.0.0 accepted", "2.0.0"},
		{"no code here", ""},
	}
	for _, c := range cases {
		got, _ := failureStatus(c.in)
		if got != c.want {
			t.Errorf("failureStatus(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExplainRecordAttemptCount(t *testing.T) {
	// A count of zero attempts says nothing about expiry; the reply decides.
	e := explainRecord("5.1.0 - Unknown address error 550-'5.7.1 <a@example.org>... Access denied' (delivery attempts: 0)", "5.7.1")
	if e.Cause == smtperr.CauseExpired {
		t.Errorf("cause = %s for a message refused at its first attempt", e.Cause)
	}
}
