package smtperr

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Text outside ASCII is compared after Unicode normalization: NFKD, with
// combining marks (accents) removed, then NFKC and full case folding. So
// "Échec", "echec" and "ÉCHEC" match alike, full-width letters and
// punctuation match their ASCII forms, and a narrow no-break space is a
// space. Table patterns are folded the same way when the pattern index is
// built. ASCII text skips all of this: the scanner lower-cases it as it
// copies it.

// hasNonASCII reports whether s holds a byte outside ASCII.
func hasNonASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// foldUnicode returns s normalized and case-folded for matching; s itself
// when it is ASCII or cannot be transformed.
func foldUnicode(s string) string {
	if !hasNonASCII(s) {
		return s
	}
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), norm.NFKC, cases.Fold())
	out, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return out
}

// foldPattern folds a table pattern: Unicode folding, then ASCII lower
// case, as the scanner folds text.
func foldPattern(s string) string {
	s = foldUnicode(s)
	b := []byte(s)
	for i, c := range b {
		if c < utf8.RuneSelf {
			b[i] = foldMap[c]
		}
	}
	return string(b)
}
