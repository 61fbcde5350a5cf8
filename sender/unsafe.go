package sender

import (
	"unicode"
	"unicode/utf8"
)

// checkUnsafe rejects characters that have no business in an address or a
// display name: C0 controls other than tab, CR and LF (CR and LF are judged
// by the parser, which allows them only as header folding), DEL, invalid
// UTF-8, and the non-ASCII characters [isUnsafe] reports. base is the offset
// of s in the input.
func checkUnsafe(s string, base int) *ParseError {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\r' && c != '\n' || c == 0x7f {
				return errRune(KindUnsafeChar, base+i, rune(c), "control character")
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return errAt(KindInvalidUTF8, base+i, "invalid UTF-8")
		}
		if r == '\uFF20' || r == '\uFE6B' {
			return errRune(KindFullWidthAt, base+i, r, "look-alike at sign; only the ASCII @ separates local part and domain")
		}
		if what := unsafeClass(r); what != "" {
			return errRune(KindUnsafeChar, base+i, r, what)
		}
		i += size
	}
	return nil
}

// unsafeClass names the class of a non-ASCII rune that must not appear in
// an address or display name, or returns "" for a safe rune.
func unsafeClass(r rune) string {
	switch {
	case r == '\u202A' || r == '\u202B' || r == '\u202C' || r == '\u202D' || r == '\u202E' ||
		r >= '\u2066' && r <= '\u2069' || r == '\u200E' || r == '\u200F' || r == '\u061C':
		return "bidirectional control character"
	case r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\u2060' || r == '\uFEFF' || r == '\u180E':
		return "zero-width character"
	case unicode.Is(unicode.Cc, r):
		return "control character"
	case unicode.Is(unicode.Cf, r):
		return "invisible format character"
	case unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r):
		return "line or paragraph separator"
	case unicode.Is(unicode.Zs, r):
		return "non-ASCII space"
	case unicode.Is(unicode.Co, r):
		return "private-use character"
	case unicode.Is(unicode.Cs, r):
		return "surrogate code point"
	case !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S):
		return "unassigned code point"
	}
	return ""
}
