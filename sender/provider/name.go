package provider

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// IDs of mail software and filtering gateways. They are not providers a
// customer configures, so they are not in [All] and [Get] does not know
// them, but their stock reply texts are recognizable: smtperr names them as
// the system that wrote a reply.
const (
	Postfix    ID = "postfix"    // Postfix MTA
	Exim       ID = "exim"       // Exim MTA (often on cPanel hosts)
	Sendmail   ID = "sendmail"   // Sendmail MTA
	Qmail      ID = "qmail"      // qmail MTA
	Exchange   ID = "exchange"   // Microsoft Exchange Server, on premises
	Proofpoint ID = "proofpoint" // Proofpoint filtering gateway
	Mimecast   ID = "mimecast"   // Mimecast filtering gateway
	Barracuda  ID = "barracuda"  // Barracuda filtering gateway
)

// Name returns the display name of a provider or mail software ID, such as
// "Amazon SES" for [SES] or "Postfix" for [Postfix], or the ID itself when
// it is unknown.
func Name(id ID) string {
	for i := range table {
		if table[i].ID == id {
			return table[i].Name
		}
	}
	switch id {
	case Postfix:
		return "Postfix"
	case Exim:
		return "Exim"
	case Sendmail:
		return "Sendmail"
	case Qmail:
		return "qmail"
	case Exchange:
		return "Microsoft Exchange"
	case Proofpoint:
		return "Proofpoint"
	case Mimecast:
		return "Mimecast"
	case Barracuda:
		return "Barracuda"
	}
	return string(id)
}

// ParseID returns the ID of the provider that s names, for a provider chosen
// at run time (a flag, a form field, a configuration file). It accepts the
// IDs of [All], without regard to case or surrounding white space, so
// "SES" and " ses " both give [SES]. Mail software IDs such as [Postfix]
// are not providers and are refused.
//
// The error is of type *[UnknownIDError].
func ParseID(s string) (ID, error) {
	id := ID(strings.ToLower(strings.TrimSpace(s)))
	for i := range table {
		if table[i].ID == id {
			return id, nil
		}
	}
	return "", &UnknownIDError{Value: s}
}

// UnknownIDError is the error of [ParseID] for a string that names no
// provider.
type UnknownIDError struct {
	Value string // the string as given
}

// Error lists the IDs that would have been accepted.
func (e *UnknownIDError) Error() string {
	var b strings.Builder
	b.WriteString("provider: unknown provider ")
	b.WriteString(quote(e.Value))
	b.WriteString(" (known: ")
	for i := range table {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(table[i].ID))
	}
	b.WriteString(")")
	return b.String()
}

// quote quotes s for an error message, cut to a length a message can carry.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "..."
	}
	return strconv.Quote(s)
}
