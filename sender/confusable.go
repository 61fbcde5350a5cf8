package sender

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Skeleton maps s to a form in which common look-alikes coincide, in the
// spirit of the skeleton of Unicode TR #39 but with a small table of our
// own: Cyrillic and Greek letters that look like Latin ones (а/a, е/e,
// о/o, р/p, с/c, ο/o, ν/v, ...), the digits 0 and 1 (as o and l), capital I
// (as l), "rn" (as m) and "vv" (as w). It also applies compatibility
// decomposition (full-width forms), drops combining marks and folds case.
// Two strings with the same skeleton can pass for each other on screen.
func Skeleton(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if m, ok := lookAlike(r); ok {
			r = m
		} else {
			r = unicode.ToLower(r)
			if m, ok := lookAlike(r); ok {
				r = m
			}
		}
		b.WriteRune(r)
	}
	out := b.String()
	if strings.Contains(out, "rn") {
		out = strings.ReplaceAll(out, "rn", "m")
	}
	if strings.Contains(out, "vv") {
		out = strings.ReplaceAll(out, "vv", "w")
	}
	return out
}

// LookAlike reports whether a and b are different strings (ignoring case)
// that look the same: their [Skeleton] is equal.
func LookAlike(a, b string) bool {
	return !strings.EqualFold(a, b) && Skeleton(a) == Skeleton(b)
}

// lookAlike maps a rune to the lower-case Latin letter it passes for.
func lookAlike(r rune) (rune, bool) {
	switch r {
	// Digits and Latin.
	case '0':
		return 'o', true
	case 'ı':
		return 'i', true
	case '1', 'I', 'ǀ':
		return 'l', true
	// Cyrillic capitals.
	case 'А':
		return 'a', true
	case 'В':
		return 'b', true
	case 'Е', 'Ё':
		return 'e', true
	case 'К':
		return 'k', true
	case 'М':
		return 'm', true
	case 'Н':
		return 'h', true
	case 'О':
		return 'o', true
	case 'Р':
		return 'p', true
	case 'С':
		return 'c', true
	case 'Т':
		return 't', true
	case 'Х':
		return 'x', true
	case 'У':
		return 'y', true
	case 'Ѕ':
		return 's', true
	case 'І', 'Ӏ':
		return 'l', true
	case 'Ј':
		return 'j', true
	// Cyrillic small letters.
	case 'а':
		return 'a', true
	case 'е', 'ё':
		return 'e', true
	case 'о':
		return 'o', true
	case 'р':
		return 'p', true
	case 'с':
		return 'c', true
	case 'у':
		return 'y', true
	case 'х':
		return 'x', true
	case 'ѕ':
		return 's', true
	case 'і', 'ї':
		return 'i', true
	case 'ј':
		return 'j', true
	case 'ԁ':
		return 'd', true
	case 'ԛ':
		return 'q', true
	case 'ԝ':
		return 'w', true
	case 'һ':
		return 'h', true
	case 'ӏ':
		return 'l', true
	case 'ɡ':
		return 'g', true
	case 'ʏ':
		return 'y', true
	// Greek capitals.
	case 'Α':
		return 'a', true
	case 'Β':
		return 'b', true
	case 'Ε':
		return 'e', true
	case 'Ζ':
		return 'z', true
	case 'Η':
		return 'h', true
	case 'Ι':
		return 'l', true
	case 'Κ':
		return 'k', true
	case 'Μ':
		return 'm', true
	case 'Ν':
		return 'n', true
	case 'Ο':
		return 'o', true
	case 'Ρ':
		return 'p', true
	case 'Τ':
		return 't', true
	case 'Υ':
		return 'y', true
	case 'Χ':
		return 'x', true
	// Greek small letters.
	case 'α':
		return 'a', true
	case 'ο':
		return 'o', true
	case 'ν':
		return 'v', true
	case 'ρ':
		return 'p', true
	case 'ι':
		return 'i', true
	case 'κ':
		return 'k', true
	case 'χ':
		return 'x', true
	case 'υ':
		return 'u', true
	case 'ω':
		return 'w', true
	}
	return 0, false
}

// Script is a writing system that [MixedScript] tells apart.
type Script string

// Scripts that MixedScript reports.
const (
	ScriptLatin    Script = "Latin"
	ScriptCyrillic Script = "Cyrillic"
	ScriptGreek    Script = "Greek"
)

// MixedLabel is a domain label whose letters come from more than one of
// the Latin, Cyrillic and Greek scripts.
type MixedLabel struct {
	Label   string   `json:"label"`   // the label in U-label form
	Scripts []Script `json:"scripts"` // the scripts found, in the order Latin, Cyrillic, Greek
}

// MixedScript returns the labels of d that mix Latin, Cyrillic and Greek
// letters, the classic device of a look-alike domain ("pаypal" with a
// Cyrillic а). Labels that mix other scripts (Han with Latin, say) are
// normal and not reported.
func MixedScript(d Domain) []MixedLabel {
	if !d.IsIDN() {
		return nil
	}
	var out []MixedLabel
	for rest := d.Unicode(); ; {
		label, more, found := strings.Cut(rest, ".")
		if s := labelScripts(label); len(s) > 1 {
			out = append(out, MixedLabel{Label: label, Scripts: s})
		}
		if !found {
			break
		}
		rest = more
	}
	return out
}

// labelScripts lists which of Latin, Cyrillic and Greek occur in s.
func labelScripts(s string) []Script {
	var latin, cyr, greek bool
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			latin = latin || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.Is(unicode.Cyrillic, r):
			cyr = true
		case unicode.Is(unicode.Greek, r):
			greek = true
		}
	}
	var out []Script
	if latin {
		out = append(out, ScriptLatin)
	}
	if cyr {
		out = append(out, ScriptCyrillic)
	}
	if greek {
		out = append(out, ScriptGreek)
	}
	return out
}
