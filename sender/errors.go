package sender

import (
	"fmt"
	"unicode/utf8"
)

// ErrorKind says what is wrong with an address or domain that failed to
// parse. Kinds are stable snake_case strings.
type ErrorKind string

// Error kinds reported in [ParseError].
const (
	// KindEmpty: the input is empty or only white space.
	KindEmpty ErrorKind = "empty"
	// KindInvalidUTF8: the input is not valid UTF-8.
	KindInvalidUTF8 ErrorKind = "invalid_utf8"
	// KindUnsafeChar: a control, format (zero-width, bidi override),
	// private-use, unassigned, line-separator or non-ASCII space character.
	KindUnsafeChar ErrorKind = "unsafe_character"
	// KindFullWidthAt: a full-width or small commercial at sign (U+FF20,
	// U+FE6B) where only "@" may stand.
	KindFullWidthAt ErrorKind = "fullwidth_at_sign"
	// KindMissingAt: no "@" separates local part and domain.
	KindMissingAt ErrorKind = "missing_at_sign"
	// KindEmptyLocal: nothing before the "@".
	KindEmptyLocal ErrorKind = "empty_local"
	// KindEmptyDomain: nothing after the "@".
	KindEmptyDomain ErrorKind = "empty_domain"
	// KindLocalInvalidChar: a character not allowed in an unquoted local part.
	KindLocalInvalidChar ErrorKind = "local_invalid_chars"
	// KindLocalDot: a local part that starts or ends with a dot or has two in
	// a row.
	KindLocalDot ErrorKind = "local_dot"
	// KindQuotedLocalInvalidChar: a character not allowed inside a quoted
	// local part (controls, DEL).
	KindQuotedLocalInvalidChar ErrorKind = "quoted_local_invalid_chars"
	// KindQuotedLocalNotAllowed: a quoted local part where the [Parser]
	// forbids one.
	KindQuotedLocalNotAllowed ErrorKind = "quoted_local_not_allowed"
	// KindUnclosedQuote: a quoted string or comment without its end.
	KindUnclosedQuote ErrorKind = "unclosed_quote"
	// KindTextAfterQuotedLocal: text between a quoted local part and "@".
	KindTextAfterQuotedLocal ErrorKind = "text_after_quoted_local"
	// KindLocalTooLong: a local part over 64 octets (strict mode).
	KindLocalTooLong ErrorKind = "local_too_long"
	// KindAddressTooLong: an address over 254 octets.
	KindAddressTooLong ErrorKind = "address_too_long"
	// KindSMTPUTF8NotAllowed: a non-ASCII local part where the [Parser]
	// allows only ASCII.
	KindSMTPUTF8NotAllowed ErrorKind = "smtputf8_not_allowed"
	// KindLocalNormalization: a local part that is invalid once normalized
	// to NFC, or whose characters decompose to ASCII specials.
	KindLocalNormalization ErrorKind = "local_invalid_after_normalization"
	// KindDomainInvalidChar: a character not allowed in a host name.
	KindDomainInvalidChar ErrorKind = "domain_invalid_chars"
	// KindDomainDot: a domain that starts or ends with a dot or has an empty
	// label.
	KindDomainDot ErrorKind = "domain_dot"
	// KindDomainHyphen: a label that starts or ends with a hyphen.
	KindDomainHyphen ErrorKind = "domain_hyphen"
	// KindDomainReservedLDH: a label with "--" in its third and fourth
	// positions that is not a valid A-label.
	KindDomainReservedLDH ErrorKind = "domain_reserved_ldh_label"
	// KindDomainIDNA: a label that UTS #46 / IDNA 2008 rejects (invalid
	// A-label, disallowed code point, Bidi rule, joiners).
	KindDomainIDNA ErrorKind = "domain_invalid_idna"
	// KindLabelTooLong: a label over 63 octets in its A-label form.
	KindLabelTooLong ErrorKind = "label_too_long"
	// KindDomainTooLong: a domain over 253 octets in its A-label form.
	KindDomainTooLong ErrorKind = "domain_too_long"
	// KindDomainNoDot: a domain with one label (a From needs a public
	// domain); see [Parser.AllowTestDomains].
	KindDomainNoDot ErrorKind = "domain_no_dot"
	// KindDomainInvalidTLD: a top-level label that does not end with a
	// letter, which no delegated TLD does.
	KindDomainInvalidTLD ErrorKind = "domain_invalid_tld"
	// KindSpecialUseDomain: a special-use name (RFC 6761 and friends: arpa,
	// invalid, local, localhost, onion, test) that cannot send mail.
	KindSpecialUseDomain ErrorKind = "special_use_domain"
	// KindDomainLiteralNotAllowed: a bracketed IP address where the [Parser]
	// forbids one.
	KindDomainLiteralNotAllowed ErrorKind = "domain_literal_not_allowed"
	// KindInvalidDomainLiteral: a bracketed address that is not an IPv4 or
	// "IPv6:" address literal (RFC 5321 section 4.1.3).
	KindInvalidDomainLiteral ErrorKind = "invalid_domain_literal"
	// KindDisplayNameNotAllowed: a display name or angle brackets where the
	// [Parser] allows only a bare address.
	KindDisplayNameNotAllowed ErrorKind = "display_name_not_allowed"
	// KindDisplayNameInvalid: a display name with a character that needs
	// quoting.
	KindDisplayNameInvalid ErrorKind = "display_name_invalid_chars"
	// KindEncodedWord: an RFC 2047 encoded word that cannot be decoded (an
	// unknown charset or bad encoding).
	KindEncodedWord ErrorKind = "encoded_word"
	// KindUnclosedAngle: "<" without ">".
	KindUnclosedAngle ErrorKind = "unclosed_angle_bracket"
	// KindTextAfterAddress: text after a complete address.
	KindTextAfterAddress ErrorKind = "text_after_address"
	// KindTooManyAddresses: an address list over [MaxListLength] entries.
	KindTooManyAddresses ErrorKind = "too_many_addresses"
)

// ParseError is the error returned by the parsing functions of this
// package. Reach it with errors.As.
type ParseError struct {
	// Kind says what is wrong.
	Kind ErrorKind
	// Offset is the byte offset in the input where the problem was found.
	Offset int
	// Rune is the offending character, or utf8.RuneError when the problem
	// is not one character.
	Rune rune
	// Detail is a human-readable explanation.
	Detail string
}

// Error implements error.
func (e *ParseError) Error() string {
	if e.Rune != utf8.RuneError {
		return fmt.Sprintf("sender: %s (%U %q) at byte %d", e.Detail, e.Rune, e.Rune, e.Offset)
	}
	return fmt.Sprintf("sender: %s at byte %d", e.Detail, e.Offset)
}

// errAt builds a ParseError without an offending rune.
func errAt(kind ErrorKind, off int, detail string) *ParseError {
	return &ParseError{Kind: kind, Offset: off, Rune: utf8.RuneError, Detail: detail}
}

// errRune builds a ParseError for one offending rune.
func errRune(kind ErrorKind, off int, r rune, detail string) *ParseError {
	return &ParseError{Kind: kind, Offset: off, Rune: r, Detail: detail}
}
