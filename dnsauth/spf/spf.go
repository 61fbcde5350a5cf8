package spf

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/sendcheck/sendcheck/dnsauth/internal/syntax"
)

// Qualifier is the result a mechanism gives when it matches (RFC 7208
// section 4.6.2).
type Qualifier byte

// Qualifiers.
const (
	QualifierPass     Qualifier = '+'
	QualifierFail     Qualifier = '-'
	QualifierSoftFail Qualifier = '~'
	QualifierNeutral  Qualifier = '?'
)

// Outcome returns the result the qualifier stands for.
func (q Qualifier) Outcome() Result {
	switch q {
	case QualifierFail:
		return ResultFail
	case QualifierSoftFail:
		return ResultSoftFail
	case QualifierNeutral:
		return ResultNeutral
	}
	return ResultPass
}

// Mechanism names a mechanism (RFC 7208 section 5).
type Mechanism string

// Mechanisms.
const (
	MechanismAll     Mechanism = "all"
	MechanismInclude Mechanism = "include"
	MechanismA       Mechanism = "a"
	MechanismMX      Mechanism = "mx"
	MechanismPTR     Mechanism = "ptr"
	MechanismIP4     Mechanism = "ip4"
	MechanismIP6     Mechanism = "ip6"
	MechanismExists  Mechanism = "exists"
)

// queriesDNS reports whether the mechanism counts against the limit of 10
// DNS-querying terms.
func (m Mechanism) queriesDNS() bool {
	switch m {
	case MechanismInclude, MechanismA, MechanismMX, MechanismPTR, MechanismExists:
		return true
	}
	return false
}

// Term is one term of a record: a directive (qualifier and mechanism) or
// a modifier.
type Term struct {
	// Pos is the byte offset of the term in the record.
	Pos int `json:"pos"`
	// Text is the term as written.
	Text string `json:"text"`
	// Qualifier is the directive's qualifier ('+' when none was written);
	// zero for modifiers.
	Qualifier Qualifier `json:"qualifier,omitempty"`
	// Mechanism is the directive's mechanism, lower case; empty for
	// modifiers.
	Mechanism Mechanism `json:"mechanism,omitempty"`
	// Modifier is the modifier's name, lower case ("redirect", "exp" or an
	// unknown name, which is kept); empty for directives.
	Modifier string `json:"modifier,omitempty"`
	// Domain is the domain-spec of include, a, mx, ptr, exists, redirect
	// and exp, or the value of an unknown modifier, unexpanded; empty when
	// absent (a, mx and ptr then use the current domain).
	Domain string `json:"domain,omitempty"`
	// Prefix is the network of ip4 and ip6.
	Prefix netip.Prefix `json:"prefix,omitzero"`
	// CIDR4 and CIDR6 are the prefix lengths of a and mx (32 and 128 when
	// not written).
	CIDR4 int `json:"cidr4,omitempty"`
	CIDR6 int `json:"cidr6,omitempty"`

	macro macroString // the parsed Domain
}

// QueriesDNS reports whether the term counts against the limit of 10
// mechanisms and modifiers that query DNS (RFC 7208 section 4.6.4).
func (t *Term) QueriesDNS() bool {
	return t.Mechanism.queriesDNS() || t.Modifier == "redirect"
}

// String returns the term in canonical form: lower-case names, the
// qualifier only when it is not '+', prefix lengths only when not the
// default.
func (t *Term) String() string {
	var b strings.Builder
	if t.Modifier != "" {
		b.WriteString(t.Modifier)
		b.WriteByte('=')
		b.WriteString(t.Domain)
		return b.String()
	}
	if t.Qualifier != QualifierPass && t.Qualifier != 0 {
		b.WriteByte(byte(t.Qualifier))
	}
	b.WriteString(string(t.Mechanism))
	switch t.Mechanism {
	case MechanismIP4, MechanismIP6:
		b.WriteByte(':')
		b.WriteString(t.Prefix.Addr().String())
		if t.Prefix.Bits() != t.Prefix.Addr().BitLen() {
			b.WriteByte('/')
			b.WriteString(strconv.Itoa(t.Prefix.Bits()))
		}
		return b.String()
	}
	if t.Domain != "" {
		b.WriteByte(':')
		b.WriteString(t.Domain)
	}
	if t.Mechanism == MechanismA || t.Mechanism == MechanismMX {
		if t.CIDR4 != 32 {
			b.WriteByte('/')
			b.WriteString(strconv.Itoa(t.CIDR4))
		}
		if t.CIDR6 != 128 {
			b.WriteString("//")
			b.WriteString(strconv.Itoa(t.CIDR6))
		}
	}
	return b.String()
}

// Record is a parsed SPF record.
type Record struct {
	// Raw is the record as published.
	Raw string `json:"raw"`
	// Terms are the directives and modifiers in the order written, unknown
	// modifiers included.
	Terms []Term `json:"terms"`
}

// Redirect returns the redirect modifier, or nil.
func (r *Record) Redirect() *Term { return r.modifier("redirect") }

// Exp returns the exp modifier, or nil.
func (r *Record) Exp() *Term { return r.modifier("exp") }

func (r *Record) modifier(name string) *Term {
	for i := range r.Terms {
		if r.Terms[i].Modifier == name {
			return &r.Terms[i]
		}
	}
	return nil
}

// String returns the record in canonical form, "v=spf1" and the terms'
// canonical forms separated by single spaces. It parses to an equal record.
func (r *Record) String() string {
	var b strings.Builder
	b.WriteString("v=spf1")
	for i := range r.Terms {
		b.WriteByte(' ')
		b.WriteString(r.Terms[i].String())
	}
	return b.String()
}

// SyntaxError reports a record that does not follow the grammar of RFC
// 7208 section 12. [Parse] returns it; [CheckHost] turns it into a
// permerror whose Detail is its message.
type SyntaxError struct {
	Record string // the record
	Pos    int    // byte offset of the offending term (or character)
	Term   string // the offending term, empty when the record as a whole is wrong
	Reason string // what is wrong
}

// Error implements error.
func (e *SyntaxError) Error() string {
	if e.Term == "" {
		return fmt.Sprintf("dnsauth: spf: %s", e.Reason)
	}
	return fmt.Sprintf("dnsauth: spf: term %q at offset %d: %s", e.Term, e.Pos, e.Reason)
}

// maxSPFRecordLength bounds the records Parse accepts. A TXT record
// cannot hold more than 65535 bytes, but nothing sane comes near this.
const maxSPFRecordLength = 16 << 10

// IsRecord reports whether a TXT record is an SPF version 1 record: it starts
// with "v=spf1" (any case) followed by a space or nothing (RFC 7208
// section 4.5).
func IsRecord(txt string) bool {
	return len(txt) >= 6 && strings.EqualFold(txt[:6], "v=spf1") && (len(txt) == 6 || txt[6] == ' ')
}

// Parse parses an SPF record. The error will be of type
// [*SyntaxError]; it names the first offending term.
func Parse(record string) (*Record, error) {
	if len(record) > maxSPFRecordLength {
		return nil, &SyntaxError{Record: record, Reason: fmt.Sprintf("record longer than %d bytes", maxSPFRecordLength)}
	}
	if !IsRecord(record) {
		return nil, &SyntaxError{Record: record, Reason: `record does not start with "v=spf1"`}
	}
	rec := &Record{Raw: record}
	seen := map[string]bool{}
	for i := 6; i < len(record); {
		if record[i] == ' ' {
			i++
			continue
		}
		j := i
		for j < len(record) && record[j] != ' ' {
			j++
		}
		text := record[i:j]
		t, reason := parseTerm(text)
		if reason != "" {
			return nil, &SyntaxError{Record: record, Pos: i, Term: text, Reason: reason}
		}
		t.Pos = i
		if t.Modifier == "redirect" || t.Modifier == "exp" {
			if seen[t.Modifier] {
				return nil, &SyntaxError{Record: record, Pos: i, Term: text, Reason: t.Modifier + " appears more than once"}
			}
			seen[t.Modifier] = true
		}
		rec.Terms = append(rec.Terms, t)
		i = j
	}
	return rec, nil
}

// parseTerm parses one term; a non-empty reason says why it is invalid.
func parseTerm(text string) (Term, string) {
	t := Term{Text: text}
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < '!' || c > '~' {
			return t, fmt.Sprintf("character 0x%02x is not allowed", c)
		}
	}
	// A modifier is name "=" ...; the name starts with a letter.
	if n := modifierNameLen(text); n > 0 && n < len(text) && text[n] == '=' {
		t.Modifier = strings.ToLower(text[:n])
		t.Domain = text[n+1:]
		switch t.Modifier {
		case "redirect", "exp":
			m, reason := parseDomainSpec(t.Domain)
			if reason != "" {
				return t, reason
			}
			t.macro = m
		default:
			m, reason := parseMacroString(t.Domain, macroAllowExp)
			if reason != "" {
				return t, reason
			}
			t.macro = m
		}
		return t, ""
	}

	t.Qualifier = QualifierPass
	rest := text
	switch q := Qualifier(text[0]); q {
	case QualifierPass, QualifierFail, QualifierSoftFail, QualifierNeutral:
		t.Qualifier = q
		rest = text[1:]
	}
	n := 0
	for n < len(rest) && rest[n] != ':' && rest[n] != '/' && rest[n] != '=' {
		n++
	}
	t.Mechanism = Mechanism(strings.ToLower(rest[:n]))
	args := rest[n:]
	switch t.Mechanism {
	case MechanismAll:
		if args != "" {
			return t, "all takes no argument"
		}
	case MechanismInclude, MechanismExists:
		if !strings.HasPrefix(args, ":") {
			return t, string(t.Mechanism) + " needs :domain"
		}
		m, reason := parseDomainSpec(args[1:])
		if reason != "" {
			return t, reason
		}
		t.Domain, t.macro = args[1:], m
	case MechanismA, MechanismMX:
		t.CIDR4, t.CIDR6 = 32, 128
		spec, c4, c6, reason := splitDualCIDR(args)
		if reason != "" {
			return t, reason
		}
		if spec != "" {
			if !strings.HasPrefix(spec, ":") {
				return t, "unexpected " + strconv.Quote(spec)
			}
			m, reason := parseDomainSpec(spec[1:])
			if reason != "" {
				return t, reason
			}
			t.Domain, t.macro = spec[1:], m
		}
		if c4 >= 0 {
			t.CIDR4 = c4
		}
		if c6 >= 0 {
			t.CIDR6 = c6
		}
	case MechanismPTR:
		if args != "" {
			if !strings.HasPrefix(args, ":") {
				return t, "ptr takes only :domain"
			}
			m, reason := parseDomainSpec(args[1:])
			if reason != "" {
				return t, reason
			}
			t.Domain, t.macro = args[1:], m
		}
	case MechanismIP4, MechanismIP6:
		if !strings.HasPrefix(args, ":") {
			return t, string(t.Mechanism) + " needs :address"
		}
		p, reason := parseNetwork(args[1:], t.Mechanism == MechanismIP6)
		if reason != "" {
			return t, reason
		}
		t.Prefix = p
	default:
		if rest == "" {
			return t, "qualifier without mechanism"
		}
		return t, "unknown mechanism " + strconv.Quote(rest[:n])
	}
	return t, ""
}

// modifierNameLen returns the length of the name = ALPHA *( ALPHA / DIGIT /
// "-" / "_" / "." ) at the start of s, 0 when s does not start with one.
func modifierNameLen(s string) int {
	if s == "" || !isAlpha(s[0]) {
		return 0
	}
	n := 1
	for n < len(s) && (isAlpha(s[n]) || syntax.IsDigit(s[n]) || s[n] == '-' || s[n] == '_' || s[n] == '.') {
		n++
	}
	return n
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// splitDualCIDR splits a trailing dual-cidr-length ("/24", "//64",
// "/24//64") off args. It returns -1 for a length not written.
func splitDualCIDR(args string) (rest string, c4, c6 int, reason string) {
	c4, c6 = -1, -1
	if i := strings.LastIndex(args, "//"); i >= 0 && allDigits(args[i+2:]) {
		v, ok := cidrValue(args[i+2:], 128)
		if !ok {
			return "", 0, 0, "invalid IPv6 prefix length " + strconv.Quote(args[i:])
		}
		c6, args = v, args[:i]
	}
	if i := strings.LastIndexByte(args, '/'); i >= 0 && allDigits(args[i+1:]) {
		v, ok := cidrValue(args[i+1:], 32)
		if !ok {
			return "", 0, 0, "invalid IPv4 prefix length " + strconv.Quote(args[i:])
		}
		c4, args = v, args[:i]
	}
	if strings.HasPrefix(args, "/") {
		return "", 0, 0, "invalid prefix length " + strconv.Quote(args)
	}
	return args, c4, c6, ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !syntax.IsDigit(s[i]) {
			return false
		}
	}
	return true
}

// cidrValue parses a prefix length: digits without a leading zero, at most
// max.
func cidrValue(s string, max int) (int, bool) {
	if s == "" || len(s) > 3 || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	v, err := strconv.Atoi(s)
	if err != nil || v > max {
		return 0, false
	}
	return v, true
}

// parseNetwork parses the argument of ip4 or ip6.
func parseNetwork(s string, v6 bool) (netip.Prefix, string) {
	addr, bits := s, ""
	if i := strings.IndexByte(s, '/'); i >= 0 {
		addr, bits = s[:i], s[i+1:]
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil || ip.Zone() != "" || ip.Is4() == v6 {
		if v6 {
			return netip.Prefix{}, "invalid IPv6 address " + strconv.Quote(addr)
		}
		return netip.Prefix{}, "invalid IPv4 address " + strconv.Quote(addr)
	}
	n := ip.BitLen()
	if i := strings.IndexByte(s, '/'); i >= 0 {
		v, ok := cidrValue(bits, ip.BitLen())
		if !ok {
			return netip.Prefix{}, "invalid prefix length " + strconv.Quote("/"+bits)
		}
		n = v
	}
	return netip.PrefixFrom(ip, n).Masked(), ""
}
