package smtperr_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/sender/provider"
	"github.com/sendcheck/sendcheck/smtperr"
)

func ExampleTicket() {
	reply := "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]"
	t := &smtperr.Ticket{
		Step:     smtperr.StepAuth,
		Server:   "smtp.office365.com:587",
		Provider: provider.Microsoft365,
		Time:     time.Date(2025, 1, 26, 18, 54, 30, 0, time.UTC),
		Reply:    reply,
	}
	// The cause line is left out here: its wording follows the rule
	// tables.
	for _, line := range strings.SplitAfter(t.String(), "\n") {
		if !strings.HasPrefix(line, "Cause:") {
			fmt.Print(line)
		}
	}
	// Output:
	// SMTP failure report
	// Failed step:  AUTH (sign-in)
	// Provider:     Microsoft 365
	// Server:       smtp.office365.com:587
	// Time (UTC):   2025-01-26 18:54:30 UTC
	// Reply:        535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]
	// Identifiers:  server PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM; timestamp 2025-01-26T18:54:30.055Z; transaction_id 08DD3DD7D75D7743
	// Logs:         Exchange admin center, Mail flow, Message trace
	// Support:      https://admin.exchange.microsoft.com/#/messagetrace
}
