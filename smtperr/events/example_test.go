package events_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"os"

	"github.com/sendcheck/sendcheck/smtperr/bounce"
	"github.com/sendcheck/sendcheck/smtperr/events"
)

func ExampleParse() {
	// A SendGrid Event Webhook batch: a bounce and a drop.
	payload := []byte(`[
	 {"email":"gone@example.com","timestamp":1700000000,"event":"bounce","type":"bounce",
	  "sg_event_id":"e1","sg_message_id":"m1","status":"5.1.1",
	  "reason":"550 5.1.1 The email account that you tried to reach does not exist."},
	 {"email":"old@example.com","timestamp":1700000000,"event":"dropped",
	  "sg_event_id":"e2","sg_message_id":"m2","reason":"Bounced Address"}
	]`)
	recs, err := events.Parse(payload, "", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range recs {
		fmt.Println(r.Provider, r.Kind, r.Severity, r.Recipient, r.Explanation.Cause.String())
	}
	// Output:
	// sendgrid bounce hard gone@example.com recipient_unknown
	// sendgrid dropped hard old@example.com suppressed
}

func ExampleDetect() {
	p, err := events.Detect([]byte(`{"RecordType":"Bounce","Type":"HardBounce","Email":"a@example.com"}`))
	fmt.Println(p, err)
	// Output: postmark <nil>
}

func ExampleHandler() {
	// The verification key SendGrid shows for the signed event webhook.
	key, err := events.ParseSendGridKey(os.Getenv("SENDGRID_WEBHOOK_KEY"))
	if err != nil {
		log.Fatal(err)
	}
	h := &events.Handler{
		Provider: events.SendGrid,
		Verifier: &events.Verifier{SendGridKey: key},
		Deliver: func(ctx context.Context, recs []bounce.Record) error {
			for _, r := range recs {
				if r.Severity == bounce.Hard {
					log.Printf("stop sending to %s: %s", r.Recipient, r.Explanation.Summary)
				}
			}
			return nil
		},
	}
	http.Handle("POST /webhooks/sendgrid", h)
}
