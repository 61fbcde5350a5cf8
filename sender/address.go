package sender

import (
	"encoding/base64"
	"mime"
	"strings"
	"unicode/utf8"
)

// Address is one parsed and normalized mailbox.
type Address struct {
	// Name is the display name, with RFC 2047 encoded words decoded and
	// quoting removed; "" when there is none.
	Name string
	// Local is the local part, unquoted and NFC-normalized. Its case is
	// kept: only some providers fold it (see [Profile]).
	Local string
	// Domain is the normalized domain.
	Domain Domain
}

// ASCII returns local@domain with the domain as A-labels and the local part
// quoted where it needs quotes. The local part stays as it is, so the result
// is pure ASCII only when [Address.NeedsSMTPUTF8] is false.
func (a *Address) ASCII() string { return quoteLocal(a.Local) + "@" + a.Domain.ASCII() }

// Unicode returns local@domain with the domain as U-labels, for display.
func (a *Address) Unicode() string { return quoteLocal(a.Local) + "@" + a.Domain.Unicode() }

// NeedsSMTPUTF8 reports whether the local part has non-ASCII characters, so
// that the address can only be used over SMTP with the SMTPUTF8 extension
// (RFC 6531). An internationalized domain alone does not need it: its
// A-label form is ASCII.
func (a *Address) NeedsSMTPUTF8() bool {
	for i := 0; i < len(a.Local); i++ {
		if a.Local[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// String returns the address in header form: the display name (quoted, or
// as RFC 2047 encoded words when it is not ASCII) and the address in angle
// brackets, or the bare address when there is no name. The domain is in
// A-label form unless the local part needs SMTPUTF8 anyway.
func (a *Address) String() string {
	addr := a.ASCII()
	if a.NeedsSMTPUTF8() {
		addr = a.Unicode()
	}
	if a.Name == "" {
		return addr
	}
	return formatName(a.Name) + " <" + addr + ">"
}

// isAtext reports whether c is an RFC 5322 atext character (ASCII only).
func isAtext(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '/', '=', '?', '^', '_', '`', '{', '|', '}', '~':
		return true
	}
	return false
}

// isDotAtom reports whether s can be written without quotes as a local part.
func isDotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf || isAtext(c):
		case c == '.':
			if s[i-1] == '.' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// quoteLocal returns the local part in its minimal wire form: as is when it
// is a dot-atom, otherwise as a quoted string.
func quoteLocal(s string) string {
	if isDotAtom(s) {
		return s
	}
	return quoteString(s)
}

func quoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// formatName writes a display name so that parsing it gives it back.
func formatName(n string) string {
	ascii, plain := true, n[0] != ' ' && n[len(n)-1] != ' '
	for i := 0; i < len(n); i++ {
		c := n[i]
		switch {
		case c >= utf8.RuneSelf || c < ' ' && c != '\t' || c == 0x7f:
			ascii, plain = false, false
		case c == ' ':
			if i > 0 && n[i-1] == ' ' {
				plain = false
			}
		case !isAtext(c):
			plain = false
		}
	}
	if !ascii {
		// B encoding keeps to the characters RFC 2047 section 5 allows
		// in a phrase; Go's Q encoder leaves some specials bare.
		if enc := mime.BEncoding.Encode("utf-8", n); enc != n {
			return enc
		}
	}
	switch {
	case strings.Contains(n, "=?"):
		// Literal text that looks like an encoded word: encode it so that
		// the decoder gives the same text back.
		return "=?utf-8?b?" + base64.StdEncoding.EncodeToString([]byte(n)) + "?="
	case plain:
		return n
	}
	return quoteString(n)
}
