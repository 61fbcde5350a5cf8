package preflight

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A server may echo what the client sent in its replies: the password or
// token itself, the base64 blob of AUTH PLAIN, LOGIN, XOAUTH2 or
// OAUTHBEARER, in upper case, as hex, truncated, split over reply lines,
// or with escape sequences and invisible characters inside. The scrubber
// finds every such form and replaces it before anything is stored or
// printed.
//
// It works on a view of the text that ignores what cannot be part of an
// echo: white space, line breaks with the reply code and enhanced code
// that start a continuation line, and ASCII case. In that view it looks
// for runs of each encoded blob that touch the bytes derived from the
// secret, and masks the text those runs came from.

// secretMask replaces each run of text that reveals a credential. It has
// no letters or digits, so that it cannot itself look like a run of a
// secret.
const secretMask = "[***]"

// withheld replaces a text that still reveals a credential after masking
// (a secret that overlaps the mask and the text around it).
const withheld = "[*** ***]"

// maxScrubText bounds the text the scrubber reads; the rest is dropped
// and said to be.
const maxScrubText = 16 << 10

// Shortest runs that count as an echo, per encoding. A run must also touch
// the part of the blob derived from the secret.
const (
	minRawRun    = 6 // characters of the secret as typed
	minRawSecret = 4 // a whole secret shorter than this is too common to mask
	minHexRun    = 8 // four bytes
	minBase64Run = 4 // three bytes: one base64 quantum
)

// secretPattern is one encoded blob: enc is folded (ASCII lower case, no
// white space or control characters), and [lo, hi) is the part of it that
// carries bits of the secret.
type secretPattern struct {
	enc    string
	lo, hi int
	minRun int
	grams  map[string][]int // the minRun-long runs of enc and where they start
	// shortAlone is true for base64 blobs: a run shorter than two quanta
	// counts only when it is not part of a longer word.
	shortAlone bool
}

// scrubber removes credentials from server text.
type scrubber struct {
	pats []*secretPattern
}

// credential is one blob as sent on the wire: prefix + secret + suffix.
type credential struct {
	prefix, secret, suffix string
	// alone is true when the blob is the secret itself (the LOGIN
	// password, a token typed by the user).
	alone bool
}

// newScrubber returns a scrubber for a password and an OAuth token (either
// may be empty) of user, in every form the probe puts them on the wire.
// host and port are those given in OAUTHBEARER's initial response.
func newScrubber(user, password, token, host string, port int) *scrubber {
	var creds []credential
	if password != "" {
		creds = append(creds,
			credential{secret: password, alone: true},
			credential{prefix: "\x00" + user + "\x00", secret: password},
		)
	}
	if token != "" {
		creds = append(creds,
			credential{secret: token, alone: true},
			credential{prefix: xoauth2Prefix(user), secret: token, suffix: "\x01\x01"},
			credential{prefix: oauthBearerPrefix(user, host, port), secret: token, suffix: "\x01\x01"},
		)
	}
	s := &scrubber{}
	for _, c := range creds {
		s.add(c)
	}
	return s
}

func (s *scrubber) add(c credential) {
	// As typed, folded the way the text will be.
	if c.alone {
		sec := foldSecret(c.secret)
		if len(sec) >= minRawSecret {
			s.pats = append(s.pats, newPattern(sec, 0, len(sec), min(minRawRun, len(sec))))
		}
	}
	blob := c.prefix + c.secret + c.suffix
	lo, hi := len(c.prefix), len(c.prefix)+len(c.secret)

	// Hex, either case: two characters per byte.
	hx := hex.EncodeToString([]byte(blob))
	if len(hx) >= minHexRun {
		s.pats = append(s.pats, newPattern(hx, 2*lo, 2*hi, minHexRun))
	}

	// Base64: character k carries bits [6k, 6k+6) of the blob.
	b64 := strings.ToLower(base64.StdEncoding.EncodeToString([]byte(blob)))
	if len(b64) >= minBase64Run {
		p := newPattern(b64, 8*lo/6, (8*hi+5)/6, minBase64Run)
		p.shortAlone = true
		s.pats = append(s.pats, p)
	}
}

func newPattern(enc string, lo, hi, minRun int) *secretPattern {
	p := &secretPattern{enc: enc, lo: lo, hi: hi, minRun: minRun, grams: map[string][]int{}}
	for j := 0; j+minRun <= len(enc); j++ {
		g := enc[j : j+minRun]
		p.grams[g] = append(p.grams[g], j)
	}
	return p
}

// foldSecret returns the secret as it appears in the scrubber's view of a
// text: cleaned, without white space, ASCII letters in lower case.
func foldSecret(s string) string {
	v := newView(cleanText(s))
	return string(v.b)
}

// Replace returns text with control characters and escape sequences
// removed and every echo of a credential masked.
func (s *scrubber) Replace(text string) string {
	cut := false
	if len(text) > maxScrubText {
		text, cut = text[:maxScrubText], true
	}
	out := cleanText(text)
	if len(s.pats) > 0 {
		out = s.mask(out)
		if s.reveals(out) {
			out = withheld
			if s.reveals(out) {
				out = ""
			}
		}
	}
	if cut {
		out += " [rest of the text dropped]"
	}
	return out
}

// reveals reports whether text holds an echo of a credential.
func (s *scrubber) reveals(text string) bool {
	v := newView(text)
	for _, p := range s.pats {
		found := false
		p.find(v, func(int, int) bool { found = true; return false })
		if found {
			return true
		}
	}
	return false
}

// mask replaces the echoes in clean text.
func (s *scrubber) mask(text string) string {
	v := newView(text)
	var spans [][2]int // in text, half open
	for _, p := range s.pats {
		p.find(v, func(i, n int) bool {
			start, end := v.pos[i], v.pos[i+n-1]+1
			for start > 0 && !utf8.RuneStart(text[start]) {
				start--
			}
			for end < len(text) && !utf8.RuneStart(text[end]) {
				end++
			}
			spans = append(spans, [2]int{start, end})
			return true
		})
	}
	if len(spans) == 0 {
		return text
	}
	// Sort by start (insertion sort: there are few) and merge.
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j][0] < spans[j-1][0]; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(spans); {
		start, end := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] <= end; i++ {
			end = max(end, spans[i][1])
		}
		b.WriteString(text[last:start])
		b.WriteString(secretMask)
		last = end
	}
	b.WriteString(text[last:])
	return b.String()
}

// find calls yield with the start and length (in v) of every maximal run
// of the pattern, at least minRun long, that touches the secret's part of
// the blob, until yield returns false. A run of a base64 blob shorter than
// two quanta (and not the whole blob) counts only as a token of its own:
// inside a longer word ("LOGIN" holding four characters of a blob) it is a
// coincidence, not an echo.
func (p *secretPattern) find(vw view, yield func(i, n int) bool) {
	v := vw.b
	for i := 0; i+p.minRun <= len(v); i++ {
		for _, j := range p.grams[string(v[i:i+p.minRun])] {
			if i > 0 && j > 0 && v[i-1] == p.enc[j-1] {
				continue // part of a run that started earlier
			}
			n := p.minRun
			for i+n < len(v) && j+n < len(p.enc) && v[i+n] == p.enc[j+n] {
				n++
			}
			if p.shortAlone && n < 2*minBase64Run && n < len(p.enc) && vw.inWord(i, n) {
				continue
			}
			if j < p.hi && j+n > p.lo {
				if !yield(i, n) {
					return
				}
			}
		}
	}
}

// view is text as the scrubber compares it: white space, the reply codes
// that start continuation lines and ASCII case do not count. pos maps each
// byte of b to its offset in the text.
type view struct {
	b    []byte
	pos  []int
	text string
}

func newView(text string) view {
	v := view{b: make([]byte, 0, len(text)), pos: make([]int, 0, len(text)), text: text}
	tokenStart, lineStart := true, true
	for i := 0; i < len(text); i++ {
		if tokenStart {
			i += codePrefixLen(text[i:], lineStart)
			tokenStart, lineStart = false, false
			if i >= len(text) {
				break
			}
		}
		c := text[i]
		switch c {
		case '\n':
			tokenStart, lineStart = true, true
			continue
		case ' ', '\t', '\r':
			tokenStart = true
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		v.b = append(v.b, c)
		v.pos = append(v.pos, i)
	}
	return v
}

// inWord reports whether the run of n bytes at i in v.b stands inside a
// longer word of the text: a letter, digit, '+' or '/' right before or
// after it.
func (v view) inWord(i, n int) bool {
	start, end := v.pos[i], v.pos[i+n-1]+1
	return (start > 0 && isWordByte(v.text[start-1])) || (end < len(v.text) && isWordByte(v.text[end]))
}

// isWordByte reports whether c can continue a base64 word.
func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c == '+' || c == '/'
}

// codePrefixLen returns the length of the reply codes at the start of s
// that a reply split over lines puts inside an echo: a reply code ("535-"
// or "535 ") at the start of a line, or followed by an enhanced status
// code, and an enhanced status code followed by a space ("5.7.8 ").
func codePrefixLen(s string, lineStart bool) int {
	n := 0
	if len(s) >= 4 && isDigit(s[0]) && isDigit(s[1]) && isDigit(s[2]) && (s[3] == '-' || s[3] == ' ') {
		if e := enhancedLen(s[4:]); e > 0 {
			return 4 + e
		}
		if lineStart {
			n = 4
		}
		return n
	}
	return enhancedLen(s)
}

// enhancedLen returns the length of an enhanced status code and the space
// after it at the start of s, or 0.
func enhancedLen(s string) int {
	if len(s) < 6 || !isDigit(s[0]) || s[1] != '.' {
		return 0
	}
	k := 2
	for part := 0; part < 2; part++ {
		d := 0
		for k < len(s) && isDigit(s[k]) && d < 3 {
			k++
			d++
		}
		if d == 0 || k >= len(s) {
			return 0
		}
		if part == 0 {
			if s[k] != '.' {
				return 0
			}
			k++
		}
	}
	if s[k] != ' ' {
		return 0
	}
	return k + 1
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// cleanText returns s safe to print on a terminal: escape sequences (CSI,
// OSC and the other ESC forms, and their 8-bit C1 forms), control
// characters other than line feed and tab, invisible format characters
// (zero-width spaces and joiners, bidirectional controls, soft hyphens,
// tags) and variation selectors removed; bytes that are not UTF-8 become
// U+FFFD.
func cleanText(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b: // ESC
			i += escapeLen(s[i:])
			continue
		case r == 0x9b: // C1 CSI
			i += size + csiLen(s[i+size:])
			continue
		case r == 0x9d: // C1 OSC
			i += size + oscLen(s[i+size:])
			continue
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Variation_Selector, r):
			// dropped
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeLen returns the length of the escape sequence at the start of s,
// which begins with ESC.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		return 2 + csiLen(s[2:])
	case ']', 'P', '_', '^', 'X':
		return 2 + oscLen(s[2:])
	}
	if s[1] >= 0x20 && s[1] < 0x7f {
		// ESC, intermediates, final byte.
		n := 1
		for n < len(s) && s[n] >= 0x20 && s[n] <= 0x2f {
			n++
		}
		if n < len(s) && s[n] >= 0x30 && s[n] < 0x7f {
			n++
		}
		return n
	}
	return 1
}

// csiLen returns the length of a control sequence's parameters,
// intermediates and final byte at the start of s.
func csiLen(s string) int {
	n := 0
	for n < len(s) && s[n] >= 0x20 && s[n] <= 0x3f {
		n++
	}
	if n < len(s) && s[n] >= 0x40 && s[n] <= 0x7e {
		n++
	}
	return n
}

// oscLen returns the length of an operating system command's text and its
// terminator (BEL, ESC \ or the C1 ST) at the start of s; an unterminated
// one runs to the end of the line.
func oscLen(s string) int {
	for n := 0; n < len(s); n++ {
		switch s[n] {
		case 0x07, '\n':
			return n + 1
		case 0x1b:
			if n+1 < len(s) && s[n+1] == '\\' {
				return n + 2
			}
			return n + 1
		case 0xc2:
			if n+1 < len(s) && s[n+1] == 0x9c {
				return n + 2
			}
		}
	}
	return len(s)
}
