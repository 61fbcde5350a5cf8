package smtperr

import (
	"strings"
	"testing"
	"time"

	"github.com/sendcheck/sendcheck/sender/provider"
)

func TestTicketString(t *testing.T) {
	reply := "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]"
	tk := &Ticket{
		Step: StepAuth, Server: "smtp.office365.com:587", Provider: provider.Microsoft365,
		Time:  time.Date(2026, 11, 29, 21, 4, 5, 0, time.FixedZone("CET", 3600)),
		Reply: reply + "\x1b[2J",
	}
	got := tk.String()
	for _, want := range []string{
		"Failed step:  AUTH (sign-in)",
		"Provider:     Microsoft 365",
		"Server:       smtp.office365.com:587",
		"Time (UTC):   2026-11-29 20:04:05 UTC",
		"Reply:        " + reply,
		"Identifiers:  server MN2PR05CA0004.namprd05.prod.outlook.com; timestamp 2023-09-12T20:59:57.214Z; transaction_id 08DBB276B7E699C4",
		"Cause:        auth_method_rejected",
		"Support:      https://admin.exchange.microsoft.com/#/messagetrace",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("escape byte kept: %q", got)
	}

	got = (&Ticket{Reply: "550-5.1.1 first line\n550 5.1.1 no such user (in reply to RCPT TO command)"}).String()
	for _, want := range []string{"Failed step:  not known", "Time (UTC):   not known", "Identifiers:  none in the reply", "  550 5.1.1 no such user"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
}

func TestStepOf(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Step
	}{
		{"550 5.1.1 <a@b.example>: Recipient address rejected: User unknown (in reply to RCPT TO command)", StepRcpt},
		{"553 5.7.1 Sender address rejected (in reply to MAIL FROM command)", StepMail},
		{"550 5.7.1 spam (in reply to end of DATA command)", StepData},
		{"535 5.7.8 Error: authentication failed", StepAuth},
		{"250 ok", StepUnknown},
	} {
		if got := StepOf(tc.text, ExplainReply(tc.text)); got != tc.want {
			t.Errorf("StepOf(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
