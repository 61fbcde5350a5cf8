package sender_test

import (
	"errors"
	"fmt"

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
