package smtptest_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/sendcheck/sendcheck/smtperr/smtptest"
)

// A fake Amazon SES that lets its one user send as shop.example only, and
// refuses any other sender after DATA with SES's own words.
func ExampleNewServer() {
	srv, err := smtptest.NewServer(&smtptest.Options{
		Domain: "email-smtp.us-east-1.amazonaws.com",
		TLS:    smtptest.TLSStartTLS,
		Users:  []smtptest.User{{Username: "AKIAIOSFODNN7EXAMPLE", Password: "secret", Senders: []string{"shop.example"}}},
		Reject: smtptest.RejectSES(),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	send := func(from string) error {
		c, err := smtp.DialStartTLS(srv.Addr(), srv.ClientTLSConfig())
		if err != nil {
			return err
		}
		defer c.Close()
		if err := c.Auth(sasl.NewPlainClient("", "AKIAIOSFODNN7EXAMPLE", "secret")); err != nil {
			return err
		}
		msg := "From: " + from + "\r\nSubject: hi\r\n\r\nhello\r\n"
		return c.SendMail(from, []string{"customer@example.net"}, strings.NewReader(msg))
	}

	fmt.Println(send("orders@shop.example"))
	var se *smtp.SMTPError
	if err := send("deals@promo.example"); errors.As(err, &se) {
		fmt.Println(se.Code, se.Message)
	}
	for _, e := range srv.Log() {
		fmt.Printf("accepted=%v from=%s stage=%q\n", e.Accepted, e.HeaderFrom, e.Stage)
	}
	// Output:
	// <nil>
	// 554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: deals@promo.example
	// accepted=true from=orders@shop.example stage=""
	// accepted=false from=deals@promo.example stage="data"
}
