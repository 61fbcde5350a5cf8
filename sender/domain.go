package sender

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// DNS limits (RFC 1035 section 2.3.4), counted on the A-label form.
const (
	maxLabelLen  = 63
	maxDomainLen = 253
)

// Domain is a normalized domain name: the A-label (ASCII, lower case, no
// trailing dot) and U-label (Unicode) forms of the same name, or an address
// literal such as "[192.0.2.1]". The zero Domain is empty. Domains are
// comparable with ==; two Domains are the same name exactly when their
// ASCII forms are equal.
type Domain struct {
	ascii   string
	unicode string
	literal bool
}

// ASCII returns the A-label form: lower case, IDN labels as "xn--"
// Punycode, no trailing dot. For an address literal it returns the
// bracketed literal.
func (d Domain) ASCII() string { return d.ascii }

// Unicode returns the U-label form, for display. For an all-ASCII name it
// equals [Domain.ASCII].
func (d Domain) Unicode() string { return d.unicode }

// String returns the U-label form.
func (d Domain) String() string { return d.unicode }

// IsZero reports whether d is the empty Domain.
func (d Domain) IsZero() bool { return d.ascii == "" }

// IsLiteral reports whether d is an address literal ("[192.0.2.1]" or
// "[IPv6:2001:db8::1]") rather than a name.
func (d Domain) IsLiteral() bool { return d.literal }

// IsIDN reports whether d has at least one internationalized label.
func (d Domain) IsIDN() bool { return d.ascii != d.unicode }

// IsSubdomainOf reports whether d is a strict subdomain of parent
// (a.example.com of example.com; not example.com itself). Address
// literals are subdomains of nothing.
func (d Domain) IsSubdomainOf(parent Domain) bool {
	if d.literal || parent.literal || parent.ascii == "" {
		return false
	}
	return len(d.ascii) > len(parent.ascii)+1 &&
		strings.HasSuffix(d.ascii, parent.ascii) &&
		d.ascii[len(d.ascii)-len(parent.ascii)-1] == '.'
}

// MarshalText implements encoding.TextMarshaler with the A-label form.
func (d Domain) MarshalText() ([]byte, error) { return []byte(d.ascii), nil }

// ParseDomain parses and normalizes a DNS domain name given in either form:
// UTS #46 non-transitional mapping (case folding, width mapping, NFC),
// IDNA 2008 validation with the Bidi and joiner rules, conversion to the
// A-label and U-label forms, and the DNS length limits (63 octets a label,
// 253 in all). Surrounding white space and one trailing dot are ignored.
// Labels may start with an underscore ("_dmarc.example.com") and names may
// have one label; an address literal is not a domain here.
//
// The error will be of type *[ParseError].
func ParseDomain(s string) (Domain, error) {
	start, end := 0, len(s)
	for start < end && isWSP(s[start]) {
		start++
	}
	for end > start && isWSP(s[end-1]) {
		end--
	}
	if start == end {
		return Domain{}, errAt(KindEmpty, start, "empty domain")
	}
	if err := checkUnsafe(s[start:end], start); err != nil {
		return Domain{}, err
	}
	d, perr := normalizeDomain(s[start:end], start, true, true)
	if perr != nil {
		return Domain{}, perr
	}
	return d, nil
}

func isWSP(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isLDH(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'
}

// normalizeDomain normalizes the host name tok, which starts at byte base of
// the input. underscore allows "_" in labels; trailingDot allows (and drops)
// one trailing dot.
func normalizeDomain(tok string, base int, underscore, trailingDot bool) (Domain, *ParseError) {
	if tok == "" {
		return Domain{}, errAt(KindEmptyDomain, base, "nothing after the @ sign")
	}
	ascii := true
	upper := false
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		switch {
		case c >= utf8.RuneSelf:
			ascii = false
		case 'A' <= c && c <= 'Z':
			upper = true
		case isLDH(c) || c == '.' || c == '_' && underscore:
		default:
			return Domain{}, errRune(KindDomainInvalidChar, base+i, rune(c), "character not allowed in a domain")
		}
		if !ascii {
			break
		}
	}
	if ascii {
		return normalizeASCIIDomain(tok, base, upper, trailingDot)
	}
	if underscore && strings.Contains(tok, "_") {
		return normalizeMixed(tok, base, trailingDot)
	}
	return normalizeIDN(tok, base, underscore, trailingDot)
}

// normalizeMixed handles a DNS owner name that has both underscore labels
// (which UTS #46 with STD3 rules refuses) and non-ASCII labels, one label
// at a time.
func normalizeMixed(tok string, base int, trailingDot bool) (Domain, *ParseError) {
	tok = strings.NewReplacer("\u3002", ".", "\uff0e", ".", "\uff61", ".").Replace(tok)
	if trailingDot && len(tok) > 1 && tok[len(tok)-1] == '.' && tok[len(tok)-2] != '.' {
		tok = tok[:len(tok)-1]
	}
	if err := checkLabels(tok, base, false); err != nil {
		return Domain{}, err
	}
	var asc, uni strings.Builder
	for rest := tok; ; {
		label, more, found := strings.Cut(rest, ".")
		var d Domain
		var err *ParseError
		if isASCII(label) {
			for i := 0; i < len(label); i++ {
				if c := label[i]; !isLDH(c) && c != '_' {
					return Domain{}, errRune(KindDomainInvalidChar, base, rune(c), "character not allowed in a domain")
				}
			}
			d, err = normalizeASCIIDomain(label, base, true, false)
		} else {
			d, err = normalizeIDN(label, base, false, false)
		}
		if err != nil {
			return Domain{}, err
		}
		if asc.Len() > 0 {
			asc.WriteByte('.')
			uni.WriteByte('.')
		}
		asc.WriteString(d.ascii)
		uni.WriteString(d.unicode)
		if !found {
			break
		}
		rest = more
	}
	if asc.Len() > maxDomainLen {
		return Domain{}, errAt(KindDomainTooLong, base, "domain longer than 253 octets in A-label form")
	}
	if err := checkWhole(asc.String(), base); err != nil {
		return Domain{}, err
	}
	return Domain{ascii: asc.String(), unicode: uni.String()}, nil
}

// checkWhole runs the IDNA checks that span labels (the Bidi rule of
// RFC 5893 section 2) over an A-label name. Underscore labels (DNS owner
// names such as _dmarc) are not host names and are left out.
func checkWhole(name string, base int) *ParseError {
	if strings.Contains(name, "_") {
		var keep []string
		for _, l := range strings.Split(name, ".") {
			if !strings.Contains(l, "_") {
				keep = append(keep, l)
			}
		}
		name = strings.Join(keep, ".")
	}
	if _, err := idna.Lookup.ToUnicode(name); err != nil {
		return errAt(KindDomainIDNA, base, "domain rejected by IDNA: "+err.Error())
	}
	return nil
}

// normalizeASCIIDomain handles an all-ASCII name without touching the IDNA
// tables unless a label is an A-label.
func normalizeASCIIDomain(tok string, base int, upper, trailingDot bool) (Domain, *ParseError) {
	if trailingDot && len(tok) > 1 && tok[len(tok)-1] == '.' && tok[len(tok)-2] != '.' {
		tok = tok[:len(tok)-1]
	}
	if upper {
		tok = strings.ToLower(tok)
	}
	if err := checkLabels(tok, base, true); err != nil {
		return Domain{}, err
	}
	if len(tok) > maxDomainLen {
		return Domain{}, errAt(KindDomainTooLong, base, "domain longer than 253 octets")
	}
	uni := tok
	if strings.Contains(tok, "--") {
		var b strings.Builder
		idn := false
		for i, rest := 0, tok; ; {
			label, more, found := strings.Cut(rest, ".")
			next := i + len(label) + 1
			if len(label) >= 4 && label[2] == '-' && label[3] == '-' {
				if !strings.HasPrefix(label, "xn--") {
					return Domain{}, errAt(KindDomainReservedLDH, base+i, "label "+label+" has \"--\" in positions 3 and 4 but is not an A-label")
				}
				u, err := idna.Lookup.ToUnicode(label)
				if err == nil {
					var back string
					back, err = idna.Lookup.ToASCII(u)
					if err == nil && back != label {
						err = canonicalError{}
					}
				}
				if err != nil {
					return Domain{}, errAt(KindDomainIDNA, base+i, "invalid A-label "+label+": "+err.Error())
				}
				label = u
				idn = true
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(label)
			if !found {
				break
			}
			i = next
			rest = more
		}
		if idn {
			uni = b.String()
			// The Bidi rule applies across labels (RFC 5893 section 2):
			// check the whole name, not only each label.
			if err := checkWhole(tok, base); err != nil {
				return Domain{}, err
			}
		}
	}
	return Domain{ascii: tok, unicode: uni}, nil
}

// canonicalError marks an A-label that does not round-trip.
type canonicalError struct{}

// Error implements error.
func (canonicalError) Error() string { return "A-label is not in canonical form" }

// normalizeIDN maps a name with non-ASCII characters through UTS #46 and
// validates both forms.
func normalizeIDN(tok string, base int, underscore, trailingDot bool) (Domain, *ParseError) {
	mapped, err := idna.Lookup.ToUnicode(tok)
	if err != nil {
		// Find the character to blame, for a useful offset.
		for i, r := range tok {
			if r < utf8.RuneSelf && (isLDH(byte(r)) || r == '.' || r == '_' && underscore) {
				continue
			}
			if _, e := idna.Lookup.ToUnicode(string(r)); e != nil && !(r == '_' && underscore) {
				return Domain{}, errRune(KindDomainInvalidChar, base+i, r, "character not allowed in a domain name after UTS #46 mapping")
			}
		}
	}
	if trailingDot && len(mapped) > 1 && mapped[len(mapped)-1] == '.' && mapped[len(mapped)-2] != '.' {
		mapped = mapped[:len(mapped)-1]
	}
	if perr := checkLabels(mapped, base, false); perr != nil {
		return Domain{}, perr
	}
	if err != nil {
		return Domain{}, errAt(KindDomainIDNA, base, "domain rejected by IDNA: "+err.Error())
	}
	asc, err := idna.Lookup.ToASCII(mapped)
	if err != nil {
		return Domain{}, errAt(KindDomainIDNA, base, "domain rejected by IDNA: "+err.Error())
	}
	for rest := asc; ; {
		label, more, found := strings.Cut(rest, ".")
		if len(label) > maxLabelLen {
			return Domain{}, errAt(KindLabelTooLong, base, "label longer than 63 octets in A-label form")
		}
		if !found {
			break
		}
		rest = more
	}
	if len(asc) > maxDomainLen {
		return Domain{}, errAt(KindDomainTooLong, base, "domain longer than 253 octets in A-label form")
	}
	return Domain{ascii: asc, unicode: mapped}, nil
}

// checkLabels checks dots, hyphens and (for ASCII names) label lengths.
// Offsets are exact for ASCII names and point at the domain otherwise.
func checkLabels(d string, base int, exact bool) *ParseError {
	off := func(i int) int {
		if exact {
			return base + i
		}
		return base
	}
	start := 0
	for i := 0; i <= len(d); i++ {
		if i < len(d) && d[i] != '.' {
			continue
		}
		label := d[start:i]
		switch {
		case label == "" && start == 0:
			return errAt(KindDomainDot, off(start), "domain starts with a dot")
		case label == "" && i == len(d):
			return errAt(KindDomainDot, off(start), "domain ends with a dot")
		case label == "":
			return errAt(KindDomainDot, off(start), "two dots in a row in the domain")
		case label[0] == '-':
			return errAt(KindDomainHyphen, off(start), "label starts with a hyphen")
		case label[len(label)-1] == '-':
			return errAt(KindDomainHyphen, off(i-1), "label ends with a hyphen")
		case exact && len(label) > maxLabelLen:
			return errAt(KindLabelTooLong, off(start), "label longer than 63 octets")
		}
		start = i + 1
	}
	return nil
}
