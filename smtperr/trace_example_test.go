package smtperr_test

import (
	"fmt"

	"github.com/sendcheck/sendcheck/smtperr"
)

func ExampleIdentifiers() {
	reply := "550-5.7.1 [59.177.124.28] The IP you're using to send mail is not authorized to\n550 5.7.1 send email directly to our servers. f20si20142483pfd.230 - gsmtp"
	for _, id := range smtperr.Identifiers(reply) {
		fmt.Println(id.Kind, id.Value)
	}
	// Output:
	// ip 59.177.124.28
	// transaction_id f20si20142483pfd.230
}
