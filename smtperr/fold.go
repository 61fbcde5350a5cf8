package smtperr

import (
	"strings"
	"sync/atomic"
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
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := load64(s[i : i+8])
		if x&0x8080808080808080 != 0 {
			return true
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// needsFold reports whether folding could change s: it holds invalid
// UTF-8, or a character outside ASCII that has a decomposition, is a
// combining mark, has a lower-case form, or folds to other letters (ß to
// ss, final sigma).
func needsFold(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.Is(unicode.Mn, r) || unicode.ToLower(r) != r || r == 'ς' || r == 'ß' || apostrophe(r) ||
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
	return foldAll(s)
}

// foldAll is foldUnicode without the test whether folding could change s.
func foldAll(s string) string {
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

// Folding character by character. The normalization steps of foldAll
// change a character according to its neighbours only where the
// characters combine: a combining mark with its base, Hangul jamo into a
// syllable, a vowel sign with its consonant. Most characters of real
// replies (Latin letters with or without accents, Greek, Cyrillic, CJK
// ideographs, kana, Hangul syllables, full-width forms, punctuation)
// decompose, if at all, into a base that combines with nothing but the
// marks foldAll removes, and the marks themselves are removed. A text made of such characters and ASCII folds to
// the concatenation of its characters' foldings, which foldText takes from
// a cache instead of normalizing the whole text. Any other character sends
// the text through foldUnicode.

// runeFold is how one character outside ASCII folds.
type runeFold struct {
	r rune
	// needs is needsFold's test for r alone.
	needs bool
	// alone reports that r folds to folded whatever its neighbours, as
	// long as they are ASCII or characters with alone set.
	alone  bool
	folded string // foldAll(string(r)), when alone
}

// foldCache holds the foldings of recently seen characters, one per slot;
// a slot is overwritten by the next character that hashes to it.
var foldCache [1 << 13]atomic.Pointer[runeFold]

// runeFolding returns the folding of r, a valid character outside ASCII.
func runeFolding(r rune) *runeFold {
	slot := &foldCache[uint32(r)*2654435761>>19]
	if e := slot.Load(); e != nil && e.r == r {
		return e
	}
	e := newRuneFold(r)
	slot.Store(e)
	return e
}

// newRuneFold computes the folding of r.
func newRuneFold(r rune) *runeFold {
	s := string(r)
	e := &runeFold{r: r, needs: needsFold(s)}
	switch {
	case isHangulSyllable(r):
		// A syllable decomposes into jamo that compose back into it;
		// the jamo of the neighbours (never jamo themselves, see
		// foldsAlone) cannot join them.
		e.alone = true
	case unicode.Is(unicode.Mn, r):
		// A mark is removed, with its decomposition when that is
		// marks only: only marks go between starters, so removing it
		// moves no other character.
		e.alone = allMarks(norm.NFKD.String(s))
	default:
		e.alone = foldsAlone(s)
	}
	if e.alone {
		e.folded = foldAll(s)
	}
	return e
}

// foldsAlone reports whether the character s, not a combining mark and not
// a Hangul syllable, folds the same whatever its neighbours: its
// compatibility decomposition starts with a starter, and what remains of it
// once combining marks are removed is starters that combine with no
// character before them, and no Hangul jamo.
func foldsAlone(s string) bool {
	d := norm.NFKD.String(s)
	for i := 0; i < len(d); {
		r, n := utf8.DecodeRuneInString(d[i:])
		q := d[i : i+n]
		if i == 0 && norm.NFKD.PropertiesString(q).CCC() != 0 {
			return false
		}
		i += n
		switch {
		case r < utf8.RuneSelf, apostrophe(r):
		case unicode.Is(unicode.Mn, r):
		case isHangulJamo(r) || isHangulSyllable(r):
			return false
		case !norm.NFKC.PropertiesString(q).BoundaryBefore():
			return false
		}
	}
	return true
}

// allMarks reports whether s is nonspacing marks only.
func allMarks(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return true
}

// isPlainCJK reports whether r is a CJK unified ideograph of the basic
// block or a Hangul syllable: characters that need no folding, fold to
// themselves and fold alone (a test checks this), and that make up most of
// Chinese, Japanese and Korean text. foldText takes them without looking
// them up.
func isPlainCJK(r rune) bool {
	return r >= 0x4e00 && r <= 0x9fff || isHangulSyllable(r)
}

func isHangulSyllable(r rune) bool { return r >= 0xac00 && r <= 0xd7a3 }

// isHangulJamo reports whether r is a conjoining jamo, which NFKC
// composes into syllables.
func isHangulJamo(r rune) bool {
	return r >= 0x1100 && r <= 0x11ff || r >= 0xa960 && r <= 0xa97f || r >= 0xd7b0 && r <= 0xd7ff
}

// foldText appends foldUnicode(s) to dst, possibly with ASCII letters left
// in upper case, and returns it. It returns raw true, and dst unchanged,
// when folding leaves s as it is (then s itself is the folding), and ok
// false, with dst unchanged, when s holds invalid UTF-8 or a character that
// does not fold alone (then only foldUnicode folds it).
func foldText(dst []byte, s string) (out []byte, raw, ok bool) {
	start := len(dst)
	needs := false
	for i := 0; i < len(s); {
		// ASCII folds alone: it is never part of a composition once
		// combining marks are gone.
		j := i
		for j < len(s) && s[j] < utf8.RuneSelf {
			j++
		}
		dst = append(dst, s[i:j]...)
		if j == len(s) {
			break
		}
		r, n := utf8.DecodeRuneInString(s[j:])
		if r == utf8.RuneError && n == 1 {
			return dst[:start], false, false
		}
		i = j + n
		if isPlainCJK(r) {
			// Folding leaves these alone, and they leave their
			// neighbours alone.
			dst = append(dst, s[j:i]...)
			continue
		}
		e := runeFolding(r)
		if !e.alone {
			return dst[:start], false, false
		}
		needs = needs || e.needs
		dst = append(dst, e.folded...)
	}
	if !needs {
		return dst[:start], true, true
	}
	return dst, false, true
}
