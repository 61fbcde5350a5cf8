package sender_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sendcheck/sendcheck/sender"
)

func ExampleParseAddress() {
	a, err := sender.ParseAddress(`=?utf-8?q?J=C3=B6rg_M=C3=BCller?= <Joerg@BÜCHER.example>`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Name)
	fmt.Println(a.ASCII())
	fmt.Println(a.Unicode())
	fmt.Println(a.NeedsSMTPUTF8())
	// Output:
	// Jörg Müller
	// Joerg@xn--bcher-kva.example
	// Joerg@bücher.example
	// false
}

func ExampleParseAddress_error() {
	_, err := sender.ParseAddress("billing\u202e@example.com")
	var pe *sender.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Kind, pe.Offset)
	}
	fmt.Println(err)
	// Output:
	// unsafe_character 7
	// sender: bidirectional control character (U+202E '\u202e') at byte 7
}

func ExampleParseAddressList() {
	list, err := sender.ParseAddressList(`"Doe, Jane" <jane@example.com>, ops@example.org`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range list {
		fmt.Printf("%q %s\n", a.Name, a.ASCII())
	}
	// Output:
	// "Doe, Jane" jane@example.com
	// "" ops@example.org
}

func ExampleParseDomain() {
	d, err := sender.ParseDomain("ＢÜＣＨＥＲ.example.")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.ASCII(), d.Unicode())
	// Output: xn--bcher-kva.example bücher.example
}

func ExampleAddress_String() {
	a := &sender.Address{Name: "Support, Acme", Local: "help desk"}
	a.Domain, _ = sender.ParseDomain("acme.example")
	fmt.Println(a.String())
	// Output: "Support, Acme" <"help desk"@acme.example>
}

func ExampleParser() {
	p := &sender.Parser{Strict: true, AddrSpecOnly: true}
	_, err := p.Parse("Jane <jane@example.com>")
	fmt.Println(err)
	// Output: sender: display name or angle brackets where a bare address is required at byte 0
}

func ExampleCheck() {
	cfg := sender.Config{
		Host:     "email-smtp.eu-west-1.amazonaws.com",
		Port:     587,
		Verified: []string{"Billing@example.com", "example.org"},
	}
	for _, from := range []string{"Billing@example.com", "billing@example.com", "news@mail.example.org", "ceo@other.example"} {
		r := sender.Check(cfg, from, "")
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-24s %-8s %-20s %s", from, r.Verdict, r.Reason, r.Matched)))
	}
	// Output:
	// Billing@example.com      allowed  matched_address      Billing@example.com
	// billing@example.com      rejected case_mismatch
	// news@mail.example.org    allowed  matched_domain       example.org
	// ceo@other.example        rejected not_verified
}

func ExampleCheck_gmail() {
	r := sender.Check(sender.Config{Host: "smtp.gmail.com", Username: "jane.doe@gmail.com"}, "Jane <ceo@example.com>", "")
	fmt.Println(r.Verdict, r.Reason)
	fmt.Println(r.Suggestion)
	// Output:
	// rewritten not_account_identity
	// Send as jane.doe@gmail.com, or add ceo@example.com in Gmail settings, Accounts: "Send mail as" (add and confirm the alias).
}

func ExampleProfileFor() {
	for _, user := range []string{"jane@gmail.com", "jane@example.com"} {
		p := sender.ProfileFor("smtp.gmail.com", user)
		fmt.Println(p.Provider, p.Mismatch, p.DotsIgnoredDomains)
	}
	// Output:
	// gmail rewrite [gmail.com googlemail.com]
	// google-workspace rewrite []
}

func ExampleSkeleton() {
	fmt.Println(sender.Skeleton("pаypal.com"), sender.LookAlike("pаypal.com", "paypal.com"))
	fmt.Println(sender.Skeleton("bi11ing"), sender.Skeleton("modern"))
	// Output:
	// paypal.com true
	// billing modem
}

func ExampleMixedScript() {
	d, _ := sender.ParseDomain("pаypal.com") // Cyrillic а
	for _, l := range sender.MixedScript(d) {
		fmt.Println(l.Label, l.Scripts)
	}
	// Output: pаypal [Latin Cyrillic]
}
