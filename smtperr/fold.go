package smtperr

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Text outside ASCII is compared after Unicode normalization: NFKD, with
// combining marks (accents) removed, then NFKC and full case folding. So
// "Échec", "echec" and "ÉCHEC" match alike, typographic apostrophes match
// the ASCII one, full-width letters and punctuation match their ASCII
// forms, and a narrow no-break space is a
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

// needsFold reports whether folding could change s: it holds invalid
// UTF-8, or a character outside ASCII that has a decomposition, is a
// combining mark, or has a lower-case form.
func needsFold(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.Is(unicode.Mn, r) || unicode.ToLower(r) != r || r == 'ς' || apostrophe(r) ||
			norm.NFKD.PropertiesString(s[i:]).Decomposition() != nil {
			return true
		}
		i += n
	}
	return false
}

// apostrophe reports whether r is a typographic apostrophe or single
// quote, which folds to the ASCII one ("l’authentification").
func apostrophe(r rune) bool {
	return r == '\u2019' || r == '\u2018' || r == '\u02bc' || r == '\u2032'
}

// foldUnicode returns s normalized and case-folded for matching; s itself
// when it is ASCII. Invalid UTF-8 is replaced first.
func foldUnicode(s string) string {
	if !needsFold(s) {
		return s
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	// Each step returns its input unchanged, without allocating, when
	// there is nothing to change; a transform chain would allocate its
	// buffers on every call.
	s = norm.NFKD.String(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case r < utf8.RuneSelf:
		case unicode.Is(unicode.Mn, r):
			return -1
		case apostrophe(r):
			return '\''
		}
		return r
	}, s)
	s = norm.NFKC.String(s)
	return cases.Fold().String(s)
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
