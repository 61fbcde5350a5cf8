// Package syntax holds the text handling the DNS records of email
// authentication share: presentation-format escapes, digits and the tag
// lists of DKIM and DMARC.
package syntax

import (
	"fmt"
	"strings"
)

// unescapeTXT undoes the presentation-format escapes miekg/dns applies to
// character strings: \X for a literal X and \DDD for the byte DDD.
func UnescapeTXT(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b = append(b, c)
			continue
		}
		if i+3 < len(s) && IsDigit(s[i+1]) && IsDigit(s[i+2]) && IsDigit(s[i+3]) {
			v := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')
			if v <= 255 {
				b = append(b, byte(v))
				i += 3
				continue
			}
		}
		b = append(b, s[i+1])
		i++
	}
	return string(b)
}

func IsDigit(c byte) bool { return '0' <= c && c <= '9' }

// presentName returns the presentation form of a text domain name, the
// form miekg/dns uses in messages: the bytes that are special in master
// files are escaped with a backslash and the others outside printable
// ASCII as \DDD.
func PresentName(name string) string {
	clean := true
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < '!' || c > '~' || isNameSpecial(c) {
			clean = false
			break
		}
	}
	if clean {
		return name
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case isNameSpecial(c):
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < '!' || c > '~':
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isNameSpecial(c byte) bool {
	switch c {
	case ' ', '\'', '@', ';', '(', ')', '"', '\\':
		return true
	}
	return false
}

// tagSpec is one tag=value pair of a tag list; name is lower case and
// empty for an empty tag-spec between two separators.
type TagSpec struct {
	Name  string
	Value string
}

// splitTagList splits a tag list (RFC 6376 section 3.2, and the DMARC
// record of RFC 7489 section 6.4 which shares its shape) at ";". Names are
// lower-cased; values are trimmed of the whitespace in ws. An empty
// tag-spec between separators gives a tagSpec with an empty name; one
// trailing separator is allowed. The error says what breaks the grammar.
func SplitTagList(s, ws string) ([]TagSpec, error) {
	// One pass over the parts without building the []string of
	// strings.Split; the last part is dropped when it is only whitespace.
	out := make([]TagSpec, 0, strings.Count(s, ";")+1)
	for rest, more := s, true; more; {
		var part string
		part, rest, more = strings.Cut(rest, ";")
		part = strings.Trim(part, ws)
		if part == "" {
			if !more {
				break
			}
			out = append(out, TagSpec{})
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("%q is not a tag=value pair", Clip(part))
		}
		name = strings.Trim(name, ws)
		if !ValidTagName(name) {
			return nil, fmt.Errorf("invalid tag name %q", Clip(name))
		}
		value = strings.Trim(value, ws)
		for i := 0; i < len(value); i++ {
			c := value[i]
			if (c < 0x21 || c > 0x7e) && strings.IndexByte(ws, c) < 0 {
				return nil, fmt.Errorf("tag %s has an invalid character %q", name, c)
			}
		}
		out = append(out, TagSpec{Name: strings.ToLower(name), Value: value})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty record")
	}
	return out, nil
}

// validTagName checks tag-name = ALPHA *ALNUMPUNC (RFC 6376 section 3.2).
func ValidTagName(s string) bool {
	if s == "" || !tagAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !tagAlpha(c) && !IsDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

func tagAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// splitTagValues splits a sep-separated value, trims each item of whitespace,
// lower-cases it and drops empty items.
func SplitTagValues(s string, sep byte) []string {
	var out []string
	for item := range strings.SplitSeq(s, string(sep)) {
		if item = strings.ToLower(strings.TrimSpace(item)); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// removeFWS removes every space, tab, CR and LF (the folding whitespace
// allowed inside base64 values).
func RemoveFWS(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, s)
}

// truncate shortens s for error messages.
func Clip(s string) string {
	const max = 40
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
