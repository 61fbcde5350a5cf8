package spf

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/sendcheck/sendcheck/dnsauth/internal/syntax"
)

// macroPart is one piece of a macro-string: literal text, or a macro
// (RFC 7208 section 7).
type macroPart struct {
	literal string // when letter == 0
	letter  byte   // lower case macro letter, 0 for a literal
	upper   bool   // written in upper case: URL-escape the value
	digits  int    // keep this many right-hand parts; 0 keeps all
	reverse bool
	delims  string // "" means "."
}

// macroString is a parsed macro-string.
type macroString []macroPart

// hasSenderMacros reports whether the string uses a macro whose value
// depends on the message (everything but %{d}).
func (m macroString) hasSenderMacros() bool {
	for _, p := range m {
		if p.letter != 0 && p.letter != 'd' {
			return true
		}
	}
	return false
}

// uses reports whether the string uses the macro letter c.
func (m macroString) uses(c byte) bool {
	for _, p := range m {
		if p.letter == c {
			return true
		}
	}
	return false
}

// Where a macro-string appears decides what it may contain.
type macroContext int

const (
	macroDomain    macroContext = iota // a domain-spec: no c, r, t; no spaces
	macroAllowExp                      // an unknown modifier's value: any letter, no spaces
	macroExplainTx                     // the text of an explanation: any letter, spaces
)

// maxMacroDigits bounds the DIGIT transformer; RFC 7208 requires at least
// 128 to be supported, and no value has more parts than that.
const maxMacroDigits = 128

// parseMacroString parses a macro-string; a non-empty reason says why it is
// invalid.
func parseMacroString(s string, ctx macroContext) (macroString, string) {
	m, _, reason := parseMacroStringEnd(s, ctx)
	return m, reason
}

// parseMacroStringEnd is parseMacroString that also returns the offset in
// s just past the last macro-expand (0 when there is none).
func parseMacroStringEnd(s string, ctx macroContext) (macroString, int, string) {
	var out macroString
	lastEnd := 0
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			out = append(out, macroPart{literal: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			if c == ' ' && ctx == macroExplainTx {
				lit.WriteByte(c)
				continue
			}
			if c < '!' || c > '~' {
				return nil, 0, "character 0x" + strconv.FormatUint(uint64(c), 16) + " is not allowed"
			}
			lit.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			return nil, 0, `"%" at the end`
		}
		i++
		switch s[i] {
		case '%':
			lit.WriteByte('%')
			lastEnd = i + 1
			continue
		case '_':
			lit.WriteByte(' ')
			lastEnd = i + 1
			continue
		case '-':
			lit.WriteString("%20")
			lastEnd = i + 1
			continue
		case '{':
		default:
			return nil, 0, `"%" must be followed by "{", "%", "_" or "-"`
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return nil, 0, "unterminated macro"
		}
		body := s[i+1 : i+end]
		i += end
		p, reason := parseMacroBody(body, ctx)
		if reason != "" {
			return nil, 0, reason
		}
		flush()
		out = append(out, p)
		lastEnd = i + 1
	}
	flush()
	return out, lastEnd, ""
}

// parseMacroBody parses what is between "%{" and "}".
func parseMacroBody(body string, ctx macroContext) (macroPart, string) {
	if body == "" {
		return macroPart{}, "empty macro"
	}
	l := body[0]
	p := macroPart{letter: l | 0x20, upper: 'A' <= l && l <= 'Z'}
	switch p.letter {
	case 's', 'l', 'o', 'd', 'i', 'p', 'h', 'v':
	case 'c', 'r', 't':
		if ctx == macroDomain {
			return p, "macro %{" + string(l) + "} is allowed only in explanations"
		}
	default:
		return p, "unknown macro letter " + strconv.Quote(string(l))
	}
	i := 1
	for i < len(body) && syntax.IsDigit(body[i]) {
		i++
	}
	if i > 1 {
		n, err := strconv.Atoi(body[1:i])
		if err != nil || n > maxMacroDigits {
			n = maxMacroDigits
		}
		if n == 0 {
			return p, "macro transformer 0"
		}
		p.digits = n
	}
	if i < len(body) && (body[i] == 'r' || body[i] == 'R') {
		p.reverse = true
		i++
	}
	p.delims = body[i:]
	for ; i < len(body); i++ {
		if !strings.ContainsRune(".-+,/_=", rune(body[i])) {
			return p, "invalid macro delimiter " + strconv.Quote(body[i:i+1])
		}
	}
	return p, ""
}

// parseDomainSpec parses a domain-spec: a macro-string ending in a
// macro-expand or in "." toplabel with an optional final dot.
func parseDomainSpec(s string) (macroString, string) {
	if s == "" {
		return nil, "empty domain"
	}
	m, end, reason := parseMacroStringEnd(s, macroDomain)
	if reason != "" {
		return nil, reason
	}
	if end == len(s) {
		return m, ""
	}
	tail := strings.TrimSuffix(s[end:], ".")
	dot := strings.LastIndexByte(tail, '.')
	if dot < 0 || !isTopLabel(tail[dot+1:]) {
		return nil, "domain " + strconv.Quote(s) + " does not end in a macro or a valid top label"
	}
	return m, ""
}

// isTopLabel reports whether s is a toplabel: alphanumerics with at least
// one letter, or alphanumerics and hyphens starting and ending with an
// alphanumeric and containing a hyphen.
func isTopLabel(s string) bool {
	if s == "" {
		return false
	}
	alpha, hyphen := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlpha(c):
			alpha = true
		case syntax.IsDigit(c):
		case c == '-':
			hyphen = true
		default:
			return false
		}
	}
	if hyphen {
		return s[0] != '-' && s[len(s)-1] != '-'
	}
	return alpha
}

// macroEnv holds the values the macro letters expand to.
type macroEnv struct {
	sender   string     // s
	local    string     // l
	domainS  string     // o
	domain   string     // d
	ip       netip.Addr // i, c, v
	helo     string     // h
	receiver string     // r
	now      int64      // t
	// ptr returns the validated domain name of ip (p); it may query DNS.
	ptr func() string
}

// expand expands m in env.
func (m macroString) expand(env *macroEnv) string {
	var b strings.Builder
	for i := range m {
		p := &m[i]
		if p.letter == 0 {
			b.WriteString(p.literal)
			continue
		}
		v := env.value(p.letter)
		v = transform(v, p)
		if p.upper {
			v = urlEscape(v)
		}
		b.WriteString(v)
	}
	return b.String()
}

func (env *macroEnv) value(letter byte) string {
	switch letter {
	case 's':
		return env.sender
	case 'l':
		return env.local
	case 'o':
		return env.domainS
	case 'd':
		return env.domain
	case 'i':
		return dottedIP(env.ip)
	case 'c':
		return env.ip.String()
	case 'v':
		if env.ip.Is4() {
			return "in-addr"
		}
		return "ip6"
	case 'h':
		return env.helo
	case 'r':
		if env.receiver == "" {
			return "unknown"
		}
		return env.receiver
	case 't':
		return strconv.FormatInt(env.now, 10)
	case 'p':
		if env.ptr == nil {
			return "unknown"
		}
		return env.ptr()
	}
	return ""
}

// transform applies the transformers of p to v: split on the delimiters,
// reverse, keep the right-hand parts, join with dots.
func transform(v string, p *macroPart) string {
	if p.digits == 0 && !p.reverse && (p.delims == "" || p.delims == ".") {
		return v
	}
	delims := p.delims
	if delims == "" {
		delims = "."
	}
	var parts []string
	start := 0
	for i := 0; i < len(v); i++ {
		if strings.IndexByte(delims, v[i]) >= 0 {
			parts = append(parts, v[start:i])
			start = i + 1
		}
	}
	parts = append(parts, v[start:])
	if p.reverse {
		for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
	}
	if p.digits > 0 && p.digits < len(parts) {
		parts = parts[len(parts)-p.digits:]
	}
	return strings.Join(parts, ".")
}

// dottedIP returns the "i" macro value: dotted quad for IPv4, dot-separated
// nibbles for IPv6.
func dottedIP(ip netip.Addr) string {
	if ip.Is4() {
		return ip.String()
	}
	const hexd = "0123456789abcdef"
	b := make([]byte, 0, 63)
	for _, x := range ip.As16() {
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, hexd[x>>4], '.', hexd[x&0xf])
	}
	return string(b)
}

// reverseName returns the in-addr.arpa or ip6.arpa name of ip.
func reverseName(ip netip.Addr) string {
	if ip.Is4() {
		a := ip.As4()
		return strconv.Itoa(int(a[3])) + "." + strconv.Itoa(int(a[2])) + "." + strconv.Itoa(int(a[1])) + "." + strconv.Itoa(int(a[0])) + ".in-addr.arpa."
	}
	p := &macroPart{reverse: true}
	return transform(dottedIP(ip), p) + ".ip6.arpa."
}

// urlEscape escapes every byte outside the URI unreserved set (RFC 3986).
func urlEscape(s string) string {
	const hexu = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlpha(c) || syntax.IsDigit(c) || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexu[c>>4])
		b.WriteByte(hexu[c&0xf])
	}
	return b.String()
}

// truncateDomain shortens an expanded domain name longer than 253
// characters by removing labels from the left (RFC 7208 section 7.3). A
// final dot is dropped first.
func truncateDomain(s string) string {
	s = strings.TrimSuffix(s, ".")
	for len(s) > 253 {
		i := strings.IndexByte(s, '.')
		if i < 0 {
			return s
		}
		s = s[i+1:]
	}
	return s
}
