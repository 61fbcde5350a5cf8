package smtperr

import (
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits that keep parsing bounded whatever the input.
const (
	// maxReplyBytes is how much of a reply text is parsed; the rest is
	// ignored.
	maxReplyBytes = 64 << 10
	// maxMessageBytes bounds Explanation.Message.
	maxMessageBytes = 4 << 10
	// maxLines bounds the lines of a multi-line reply that Reply keeps.
	maxLines = 256
)

// Reply is an SMTP reply as RFC 5321 section 4.2 defines it: a three-digit
// reply code, an optional RFC 3463 enhanced status code, and one or more
// lines of text.
type Reply struct {
	// Code is the reply code (550), or 0 when the text carries none.
	Code int
	// Enhanced is the enhanced status code, or the zero value. It is taken
	// from the start of the text, or from anywhere in it (such as "(#5.1.1)")
	// when the start has none.
	Enhanced EnhancedCode
	// Lines is the text of each line, without the reply code and without a
	// leading enhanced code equal to Enhanced.
	Lines []string
}

// String returns the reply in wire form: "550-5.1.1 first\r\n550 5.1.1 last".
// A reply without a code returns its lines joined by "\r\n".
func (r *Reply) String() string {
	var b strings.Builder
	lines := r.Lines
	if len(lines) == 0 {
		lines = []string{""}
	}
	for i, l := range lines {
		if i > 0 {
			b.WriteString("\r\n")
		}
		if r.Code != 0 {
			b.WriteString(strconv.Itoa(r.Code))
			if i < len(lines)-1 {
				b.WriteByte('-')
			} else {
				b.WriteByte(' ')
			}
		}
		if !r.Enhanced.IsZero() {
			b.WriteString(r.Enhanced.String())
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return b.String()
}

// Temporary reports whether the reply is a transient failure: a 4xx reply
// code, or with no code, an enhanced code of class 4.
func (r *Reply) Temporary() bool {
	if r.Code != 0 {
		return r.Code/100 == 4
	}
	return r.Enhanced[0] == 4
}

// ParseReply parses reply text as it appears in clients, logs and bounces:
//
//   - a single or multi-line reply ("550-5.7.1 ...\r\n550 5.7.1 ..."),
//   - text with the reply code stripped ("5.7.0 Mail relay denied ..."),
//   - a reply behind a log prefix ("host mx.example.com[192.0.2.1] said: 550 ...")
//     or inside a DSN field ("Diagnostic-Code: smtp; 550 5.1.1 ..."),
//   - an enhanced code anywhere in the text ("... (#5.1.1)").
//
// Only the first 64 KiB of text are read. ParseReply never fails: parts the
// text does not carry are left zero.
func ParseReply(text string) *Reply {
	p := parseHead(text)
	r := &Reply{Code: p.code, Enhanced: p.enh}
	rest := p.body
	for n := 0; n < maxLines; n++ {
		line, more, found := strings.Cut(rest, "\n")
		line = strings.TrimRight(line, "\r")
		if n > 0 {
			line = stripLinePrefix(line, p.code, p.enh)
		}
		r.Lines = append(r.Lines, line)
		if !found {
			break
		}
		rest = more
	}
	return r
}

// head is the result of parsing the start of a reply.
type head struct {
	code   int
	enh    EnhancedCode
	prefix string // text before the reply code (log prefixes), trimmed
	body   string // the text after the code and enhanced code of the first line
}

// parseHead finds the reply code and enhanced code of text and splits off
// the text before them.
func parseHead(text string) head {
	if len(text) > maxReplyBytes {
		text = text[:maxReplyBytes]
	}
	s := trimSpace(text)
	s = stripDSNPrefix(s)
	var h head
	start, end := findCode(s)
	if start >= 0 {
		h.code, _ = scanCode(s, start)
		h.prefix = trimSpace(s[:start])
		s = s[end:]
	}
	// An enhanced code right at the start of the text.
	i := skipSep(s, 0)
	if e, n := scanEnhanced(s, i); n > 0 && (h.code == 0 || e[0] == h.code/100) {
		h.enh = e
		s = s[i+n:]
		// Some servers repeat the reply code after the enhanced code.
	} else {
		s = s[i:]
		h.enh = findEnhanced(s, h.code/100)
		if h.enh.IsZero() && h.prefix != "" {
			h.enh = findEnhanced(h.prefix, h.code/100)
		}
	}
	h.body = trimSpace(s)
	return h
}

// stripDSNPrefix removes "Diagnostic-Code:" and a following address-type
// word ("smtp;"), and a leading "Remote Server returned '" quote.
func stripDSNPrefix(s string) string {
	if hasPrefixFold(s, "diagnostic-code:") {
		s = trimSpace(s[len("diagnostic-code:"):])
	}
	// The diagnostic type: "smtp;", or an extension type such as
	// "X-Postfix;" or "X-Unix;" (RFC 3464 section 2.3.6).
	if hasPrefixFold(s, "smtp;") {
		s = trimSpace(s[len("smtp;"):])
	} else if hasPrefixFold(s, "x-") {
		for i := 2; i < len(s) && i < 32; i++ {
			c := s[i]
			if c == ';' {
				s = trimSpace(s[i+1:])
				break
			}
			if !(isAlnum(c) || c == '-' || c == '_') {
				break
			}
		}
	}
	if hasPrefixFold(s, "remote server returned '") {
		s = strings.TrimSuffix(s[len("remote server returned '"):], "'")
	}
	return s
}

// findCode returns the position of the reply code in s and the position
// after it and its separator, or -1, -1. The code is taken at the start of s
// (after a '#' or quote), or elsewhere when it is followed by an enhanced
// code of its class, or when it follows a colon or quote as in
// "host x said: 550 ...".
func findCode(s string) (start, end int) {
	i := 0
	for i < len(s) && i < 2 && (s[i] == '#' || s[i] == '\'' || s[i] == '"' || s[i] == '[' || s[i] == '(') {
		i++
	}
	if _, ok := scanCode(s, i); ok && codeEnds(s, i+3) {
		return i, skipCodeSep(s, i+3)
	}
	colon := -1
	for j := 1; j+3 <= len(s); j++ {
		// Skip to the next digit from 2 to 5.
		if j = indexRange(s, j, '2', '5'); j < 0 || j+3 > len(s) {
			break
		}
		if !boundaryBefore(s, j) {
			continue
		}
		c, ok := scanCode(s, j)
		if !ok || !codeEnds(s, j+3) {
			continue
		}
		k := j + 3
		if k < len(s) && (s[k] == ' ' || s[k] == '-') {
			if e, n := scanEnhanced(s, k+1); n > 0 && e[0] == c/100 {
				return j, skipCodeSep(s, k)
			}
		}
		if colon < 0 && afterColonOrQuote(s, j) && (k == len(s) || s[k] == ' ' || s[k] == '-' || s[k] == ',') {
			colon = j
		}
	}
	if colon >= 0 {
		return colon, skipCodeSep(s, colon+3)
	}
	return -1, -1
}

// indexRange returns the position of the first byte of s at or after
// from that lies in lo..hi, ASCII bytes both, or -1. It tests eight bytes
// at a time.
func indexRange(s string, from int, lo, hi byte) int {
	const ones, highs, lows = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
	i := from
	for ; i+8 <= len(s); i += 8 {
		// The high bit of a byte of m is set where the byte is below
		// 0x80, at least lo and not above hi.
		x := load64(s[i : i+8])
		low := x & lows
		m := (low + uint64(0x80-lo)*ones) &^ (low + uint64(0x80-hi-1)*ones) & highs &^ x
		if m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(s); i++ {
		if s[i]-lo <= hi-lo {
			return i
		}
	}
	return -1
}

// load64 returns the first eight bytes of w as a little-endian word (one
// load).
func load64(w string) uint64 {
	_ = w[7]
	return uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
}

// afterColonOrQuote reports whether position j follows ':', ';', "'", '#' or '<',
// possibly with one space between.
func afterColonOrQuote(s string, j int) bool {
	k := j - 1
	if k >= 0 && s[k] == ' ' {
		k--
	} else if k >= 1 && s[k] == ':' && (isAlnum(s[k-1]) || s[k-1] == ']') {
		// "notify.go:311", "[192.0.2.1]:250": a line number or a port
		// after a file or host name or a number. A label or command
		// ("DATA:554", "SERVER:421", "code:530") keeps its code.
		dot, digits := false, true
		for w := k - 1; w >= 0 && s[w] != ' '; w-- {
			dot = dot || s[w] == '.'
			digits = digits && isDigit(s[w])
		}
		if dot || digits {
			return false
		}
	}
	return k >= 0 && (s[k] == ':' || s[k] == ';' || s[k] == '\'' || s[k] == '#' || s[k] == '<')
}

// scanCode reads a reply code (2xx to 5xx) at s[i:i+3]. The second digit
// is 0 to 5, the categories of RFC 5321 section 4.2.1, so the ports 587
// and 465 in "host:587" are not taken for codes.
func scanCode(s string, i int) (int, bool) {
	if i < 0 || i+3 > len(s) {
		return 0, false
	}
	a, b, c := s[i], s[i+1], s[i+2]
	if a < '2' || a > '5' || b < '0' || b > '5' || !isDigit(c) {
		return 0, false
	}
	return int(a-'0')*100 + int(b-'0')*10 + int(c-'0'), true
}

// codeEnds reports whether a reply code may end at position k: at the end
// of s, or before a separator.
func codeEnds(s string, k int) bool {
	if k >= len(s) {
		return true
	}
	switch s[k] {
	case ' ', '-', ':', '\r', '\n', '\t', ',', ')', ']', '\'', '"':
		return true
	}
	return false
}

// skipCodeSep skips the separator after a reply code (" ", "-", ": ").
func skipCodeSep(s string, k int) int {
	for k < len(s) && (s[k] == ' ' || s[k] == '-' || s[k] == ':' || s[k] == '\t' || s[k] == ',') {
		k++
	}
	return k
}

// skipSep skips spaces and a '#' or '(' before an enhanced code.
func skipSep(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '#' || s[i] == ':') {
		i++
	}
	return i
}

// boundaryBefore reports whether position j starts a token: the byte before
// is not a letter, digit, '.', '_' or '-'.
func boundaryBefore(s string, j int) bool {
	if j == 0 {
		return true
	}
	c := s[j-1]
	return !isAlnum(c) && c != '.' && c != '_' && c != '-' && c != '/' && c != '=' && c != '+'
}

// scanEnhanced reads an enhanced status code class.subject.detail at s[i:],
// with class 2, 4 or 5 and subject and detail of one to three digits. It
// returns the code and its length, or a zero length when there is none. The
// code must not continue with more digits or another ".digit", so IP
// addresses and version numbers are not taken for codes.
func scanEnhanced(s string, i int) (EnhancedCode, int) {
	if i < 0 || i+5 > len(s) {
		return EnhancedCode{}, 0
	}
	c := s[i]
	if (c != '2' && c != '4' && c != '5') || s[i+1] != '.' {
		return EnhancedCode{}, 0
	}
	var e EnhancedCode
	e[0] = int(c - '0')
	k := i + 2
	for part := 1; part <= 2; part++ {
		v, n := 0, 0
		for k < len(s) && isDigit(s[k]) && n < 4 {
			v = v*10 + int(s[k]-'0')
			k++
			n++
		}
		if n == 0 || n > 3 {
			return EnhancedCode{}, 0
		}
		e[part] = v
		if part == 1 {
			if k >= len(s) || s[k] != '.' {
				return EnhancedCode{}, 0
			}
			k++
		}
	}
	if k < len(s) {
		if isAlnum(s[k]) || s[k] == '_' {
			return EnhancedCode{}, 0
		}
		if s[k] == '.' && k+1 < len(s) && isDigit(s[k+1]) {
			return EnhancedCode{}, 0
		}
	}
	return e, k - i
}

// findEnhanced returns the first enhanced code anywhere in s that stands
// alone as a token, preferring one of the given class (0 for any).
func findEnhanced(s string, class int) EnhancedCode {
	var first EnhancedCode
	// A code is a class digit before a dot: go from dot to dot.
	for from := 1; from < len(s); {
		k := strings.IndexByte(s[from:], '.')
		if k < 0 {
			break
		}
		j := from + k - 1
		from = j + 2
		if j+5 > len(s) {
			break
		}
		if c := s[j]; (c != '2' && c != '4' && c != '5') || !boundaryBefore(s, j) {
			continue
		}
		e, n := scanEnhanced(s, j)
		if n == 0 {
			continue
		}
		if class == 0 || e[0] == class {
			return e
		}
		if first.IsZero() {
			first = e
		}
		// The next code starts after this one.
		from = j + n + 1
	}
	return first
}

// stripLinePrefix removes the reply code (when it equals code) and an
// enhanced code equal to enh from a continuation line.
func stripLinePrefix(line string, code int, enh EnhancedCode) string {
	if c, ok := scanCode(line, 0); ok && c == code && (len(line) == 3 || line[3] == ' ' || line[3] == '-') {
		line = line[min(4, len(line)):]
	}
	if !enh.IsZero() {
		i := 0
		for i < len(line) && line[i] == ' ' {
			i++
		}
		if e, n := scanEnhanced(line, i); n > 0 && e == enh {
			line = line[i+n:]
			if len(line) > 0 && line[0] == ' ' {
				line = line[1:]
			}
		}
	}
	return line
}

// message returns the cleaned, single-line text of a reply body: lines
// joined by one space, continuation prefixes removed, control characters
// and invisible format characters dropped, runs of white space collapsed,
// invalid UTF-8 replaced, and at most maxMessageBytes long. It returns body
// itself (no allocation) when body needs no change. The only white space or
// control bytes of the result are single spaces between other bytes, which
// the matcher relies on (folder.addPlain).
func message(body string, code int, enh EnhancedCode) string {
	m, _ := messageOf(body, code, enh)
	return m
}

// messageOf is message, and reports whether body was clean (cleanLine):
// then the message is body itself, printable ASCII.
func messageOf(body string, code int, enh EnhancedCode) (msg string, clean bool) {
	if cleanLine(body, code, enh) {
		return body, true
	}
	return messageJoin(body, code, enh), false
}

// messageJoin is message for a body that is not clean.
func messageJoin(body string, code int, enh EnhancedCode) string {
	var b strings.Builder
	b.Grow(min(len(body), maxMessageBytes+4))
	space := false // a space is pending
	first := true
	rest := body
	for {
		line, more, found := strings.Cut(rest, "\n")
		if !first {
			line = stripLinePrefix(strings.TrimLeft(line, "\r"), code, enh)
			space = true
		}
		first = false
		for i := 0; i < len(line); {
			if i == 0 || line[i-1] == ' ' {
				if n := inlineMarker(line, i, code, enh); n > 0 {
					i += n
					space = true
					continue
				}
			}
			// A run of printable ASCII is copied at once.
			if j := i; line[j]-0x21 < 0x7f-0x21 {
				for j < len(line) && line[j]-0x21 < 0x7f-0x21 {
					j++
				}
				if space && b.Len() > 0 {
					if b.Len() >= maxMessageBytes {
						b.WriteString("…")
						return b.String()
					}
					b.WriteByte(' ')
				}
				space = false
				if b.Len()+j-i > maxMessageBytes {
					b.WriteString(line[i : i+maxMessageBytes-b.Len()])
					b.WriteString("…")
					return b.String()
				}
				b.WriteString(line[i:j])
				i = j
				continue
			}
			r, n := rune(line[i]), 1
			if r >= utf8.RuneSelf {
				r, n = utf8.DecodeRuneInString(line[i:])
			}
			i += n
			if isSpaceOrControl(r) {
				space = true
				continue
			}
			if space && b.Len() > 0 {
				if b.Len() >= maxMessageBytes {
					b.WriteString("…")
					return b.String()
				}
				b.WriteByte(' ')
			}
			space = false
			w := 1
			if r >= utf8.RuneSelf {
				w = utf8.RuneLen(r)
			}
			if b.Len()+w > maxMessageBytes {
				b.WriteString("…")
				return b.String()
			}
			switch {
			case r < utf8.RuneSelf:
				b.WriteByte(byte(r))
			case n == w:
				b.WriteString(line[i-n : i]) // its own encoding
			default:
				b.WriteRune(r) // an invalid byte, as U+FFFD
			}
		}
		if !found {
			break
		}
		rest = more
	}
	return b.String()
}

// inlineMarker returns the length of a continuation marker at s[i:] that a
// client left inside one line when it joined a multi-line reply
// ("... 550-5.7.1 more text"), or 0. The marker is the reply code followed
// by '-', or by the reply's enhanced code.
func inlineMarker(s string, i, code int, enh EnhancedCode) int {
	if code == 0 {
		return 0
	}
	c, ok := scanCode(s, i)
	if !ok || c != code || i+3 >= len(s) || (s[i+3] != '-' && s[i+3] != ' ') {
		return 0
	}
	k := i + 4
	if !enh.IsZero() {
		if e, n := scanEnhanced(s, k); n > 0 && e == enh {
			k += n
			for k < len(s) && s[k] == ' ' {
				k++
			}
			return k - i
		}
	}
	if s[i+3] == '-' {
		return k - i
	}
	return 0
}

// cleanLine reports whether s is one printable ASCII line with no
// leading, trailing or doubled spaces, short enough to use as is.
func cleanLine(s string, code int, enh EnhancedCode) bool {
	n := len(s)
	if n == 0 {
		return true
	}
	if n > maxMessageBytes || s[0] == ' ' || s[n-1] == ' ' {
		return false
	}
	// Eight bytes at a time: is any byte below 0x20 or above 0x7e, or are
	// two spaces adjacent? sp has the high bit of each space byte set
	// (exactly: y has a zero byte where x has a space); a space pair is
	// two adjacent bits of sp, or a space at the end of the previous word
	// and one at the start of this.
	const ones, highs, lows7 = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
	i := 0
	var prev uint64 // the previous word's sp
	for ; i+8 <= n; i += 8 {
		x := load64(s[i : i+8])
		if (x-0x20*ones)&^x&highs != 0 || ((x+ones)|x)&highs != 0 {
			return false
		}
		y := x ^ 0x20*ones
		sp := ^((y&lows7 + lows7) | y | lows7)
		if sp&(sp>>8) != 0 || prev>>56&sp != 0 {
			return false
		}
		prev = sp
	}
	for ; i < n; i++ {
		if s[i]-0x20 >= 0x7f-0x20 || s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			return false
		}
	}
	// A continuation marker left inside the line by a client.
	if code != 0 {
		d := byte('0' + code/100)
		for k := 1; k < n; k++ {
			j := strings.IndexByte(s[k:], d)
			if j < 0 {
				break
			}
			k += j
			if s[k-1] == ' ' && inlineMarker(s, k, code, enh) > 0 {
				return false
			}
		}
	}
	return true
}

// isSpaceOrControl reports whether r is white space or a character that
// must not reach a log or a web page: C0 and C1 controls, DEL, line and
// paragraph separators, bidirectional and zero-width format characters, and
// the replacement character of invalid UTF-8 is kept (it is visible).
func isSpaceOrControl(r rune) bool {
	switch {
	case r <= 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0xa0, r == 0x2028, r == 0x2029, r == 0xfeff:
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// trimSpace trims ASCII white space and control characters.
func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

// hasPrefixFold reports whether s begins with prefix, ignoring ASCII case;
// prefix must be lower case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}
