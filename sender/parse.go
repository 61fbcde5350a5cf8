package sender

import (
	"fmt"
	"io"
	"mime"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Length limits of RFC 5321 section 4.5.3.1, in octets of the wire form.
const (
	// MaxAddressLength is the longest address accepted: the 256-octet
	// forward-path limit less the angle brackets.
	MaxAddressLength = 254
	// MaxLocalLength is the longest local part accepted in strict mode.
	MaxLocalLength = 64
	// MaxListLength is the most addresses [ParseAddressList] returns.
	MaxListLength = 1000
)

// Parser holds parsing options. The zero Parser is the one [ParseAddress]
// uses: it reads a mailbox the way it appears in a From header or a
// settings form (display names, quoted display names, RFC 2047 encoded
// words, quoted local parts, UTF-8 local parts and domains, comments and
// folding white space, surrounding spaces and one trailing dot on the
// domain), and refuses address literals, one-label domains and special-use
// names, which no provider can send from.
type Parser struct {
	// Strict enforces the 64-octet local part limit of RFC 5321.
	Strict bool
	// AddrSpecOnly refuses display names and angle brackets.
	AddrSpecOnly bool
	// NoQuotedLocal refuses quoted local parts ("john doe"@example.com).
	NoQuotedLocal bool
	// AllowDomainLiteral accepts [IPv4] and [IPv6:...] address literals.
	AllowDomainLiteral bool
	// AllowEmptyLocal accepts an empty local part (@example.com, ""@example.com).
	AllowEmptyLocal bool
	// ASCIIOnly refuses local parts that need SMTPUTF8.
	ASCIIOnly bool
	// AllowTestDomains accepts the special-use name "test" and names under
	// it (RFC 6761), for test environments.
	AllowTestDomains bool
	// Exact refuses what the zero Parser forgives: white space around the
	// input, comments and white space inside the address, and a trailing
	// dot on the domain.
	Exact bool
	// WordDecoder decodes RFC 2047 encoded words in display names. Nil
	// means a decoder that knows utf-8, iso-8859-1, us-ascii, and the
	// common legacy charsets windows-1250/1251/1252, iso-8859-2/5/7/15 and
	// koi8-r.
	WordDecoder *mime.WordDecoder
}

// ParseAddress parses one mailbox ("user@example.com",
// "Name <user@example.com>", "\"Last, First\" <user@example.com>") and
// normalizes it. It is (*Parser)(nil).Parse.
//
// The error will be of type *[ParseError].
func ParseAddress(s string) (*Address, error) {
	var p *Parser
	return p.Parse(s)
}

// ParseAddressList parses a comma-separated list of mailboxes, as in a From
// or To header; groups ("team: a@x.org, b@x.org;") contribute their members.
//
// The error will be of type *[ParseError].
func ParseAddressList(s string) ([]*Address, error) {
	var p *Parser
	return p.ParseList(s)
}

// Parse parses one mailbox under p's options. A nil p is the zero Parser.
//
// The error will be of type *[ParseError].
func (p *Parser) Parse(s string) (*Address, error) {
	a, _, err := p.parse(s)
	return a, err
}

// parse is Parse, and also returns the domain as s spells it (without a
// trailing dot), which the normalized Address no longer shows.
func (p *Parser) parse(s string) (*Address, string, error) {
	sc := scanner{s: s}
	if p != nil {
		sc.p = *p
	}
	if err := sc.begin(); err != nil {
		return nil, "", err
	}
	a, err := sc.mailbox()
	if err != nil {
		return nil, "", err
	}
	if err := sc.finish(); err != nil {
		return nil, "", err
	}
	return a, sc.domainWritten, nil
}

// ParseList parses an address list under p's options. A nil p is the zero
// Parser.
//
// The error will be of type *[ParseError].
func (p *Parser) ParseList(s string) ([]*Address, error) {
	sc := scanner{s: s, list: true}
	if p != nil {
		sc.p = *p
	}
	if err := sc.begin(); err != nil {
		return nil, err
	}
	var out []*Address
	for {
		if err := sc.cfws(); err != nil {
			return nil, err
		}
		if sc.pos == len(s) {
			break
		}
		if s[sc.pos] == ',' {
			sc.pos++
			continue
		}
		if len(out) >= MaxListLength {
			return nil, errAt(KindTooManyAddresses, sc.pos, "more than 1000 addresses in the list")
		}
		addrs, err := sc.listElement()
		if err != nil {
			return nil, err
		}
		out = append(out, addrs...)
		if len(out) > MaxListLength {
			return nil, errAt(KindTooManyAddresses, sc.pos, "more than 1000 addresses in the list")
		}
		if err := sc.cfws(); err != nil {
			return nil, err
		}
		if sc.pos < len(s) {
			if s[sc.pos] != ',' {
				return nil, errRune(KindTextAfterAddress, sc.pos, sc.runeAt(), "text after an address; separate addresses with commas")
			}
			sc.pos++
		}
	}
	if len(out) == 0 {
		return nil, errAt(KindEmpty, 0, "no address")
	}
	return out, nil
}

// scanner walks the input. Offsets in errors are byte offsets into s.
type scanner struct {
	s       string
	pos     int
	p       Parser
	list    bool // inside an address list: ',' ends a mailbox
	inGroup bool // inside a group: ';' ends a mailbox
	// domainWritten is the last domain read, as written.
	domainWritten string
}

func (sc *scanner) runeAt() rune {
	if sc.pos >= len(sc.s) {
		return utf8.RuneError
	}
	r, _ := utf8.DecodeRuneInString(sc.s[sc.pos:])
	return r
}

// begin rejects unsafe characters and (in exact mode) surrounding space.
func (sc *scanner) begin() *ParseError {
	s := sc.s
	if err := checkUnsafe(s, 0); err != nil {
		return err
	}
	if strings.TrimSpace(s) == "" {
		return errAt(KindEmpty, 0, "empty address")
	}
	if sc.p.Exact && !sc.list {
		if isWSP(s[0]) {
			return errRune(KindLocalInvalidChar, 0, rune(s[0]), "white space before the address")
		}
		if isWSP(s[len(s)-1]) {
			return errRune(KindTextAfterAddress, len(s)-1, rune(s[len(s)-1]), "white space after the address")
		}
	}
	return nil
}

// finish accepts only trailing CFWS.
func (sc *scanner) finish() *ParseError {
	if err := sc.cfws(); err != nil {
		return err
	}
	if sc.pos < len(sc.s) {
		return errRune(KindTextAfterAddress, sc.pos, sc.runeAt(), "text after the address")
	}
	return nil
}

// fws skips white space and header folding (CRLF followed by white space).
// A CR or LF that is not folding is an error.
func (sc *scanner) fws() *ParseError {
	s := sc.s
	for sc.pos < len(s) {
		switch s[sc.pos] {
		case ' ', '\t':
			sc.pos++
		case '\r', '\n':
			n := 1
			if s[sc.pos] == '\r' && sc.pos+1 < len(s) && s[sc.pos+1] == '\n' {
				n = 2
			}
			if sc.pos+n < len(s) && (s[sc.pos+n] == ' ' || s[sc.pos+n] == '\t') && (n == 2 || !sc.p.Exact) {
				sc.pos += n + 1
				continue
			}
			return errRune(KindUnsafeChar, sc.pos, rune(s[sc.pos]), "line break that is not header folding")
		default:
			return nil
		}
	}
	return nil
}

// cfws skips folding white space and (outside exact mode) comments.
func (sc *scanner) cfws() *ParseError {
	for {
		if err := sc.fws(); err != nil {
			return err
		}
		if sc.pos >= len(sc.s) || sc.s[sc.pos] != '(' || sc.p.Exact {
			return nil
		}
		if err := sc.comment(); err != nil {
			return err
		}
	}
}

// comment skips one (possibly nested) comment.
func (sc *scanner) comment() *ParseError {
	s, start, depth := sc.s, sc.pos, 0
	for sc.pos < len(s) {
		c := s[sc.pos]
		switch {
		case c == '\\':
			sc.pos++
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				sc.pos++
				return nil
			}
		case c == '\r' || c == '\n':
			if err := sc.fws(); err != nil {
				return err
			}
			continue
		}
		sc.pos++
	}
	return errAt(KindUnclosedQuote, start, "comment without its closing parenthesis")
}

// atEnd reports whether the mailbox ends at pos (after optional CFWS).
func (sc *scanner) atEnd() bool {
	if sc.pos == len(sc.s) {
		return true
	}
	save := sc.pos
	if !sc.p.Exact && sc.cfws() != nil {
		sc.pos = save
		return false
	}
	end := sc.pos == len(sc.s)
	if !end {
		c := sc.s[sc.pos]
		end = sc.list && c == ',' || sc.inGroup && c == ';'
	}
	sc.pos = save
	return end
}

// textAfter reports the first character after the address and its CFWS.
func (sc *scanner) textAfter() *ParseError {
	save := sc.pos
	if !sc.p.Exact && sc.cfws() != nil {
		sc.pos = save
	}
	err := errRune(KindTextAfterAddress, sc.pos, sc.runeAt(), "text after the address")
	if sc.pos < len(sc.s) && sc.s[sc.pos] == ',' && !sc.list {
		err.Detail = "text after the address (a list of addresses needs ParseAddressList)"
	}
	sc.pos = save
	return err
}

// listElement parses a mailbox or a group.
func (sc *scanner) listElement() ([]*Address, *ParseError) {
	start := sc.pos
	// A group is a phrase followed by ':'.
	if _, err := sc.phrase(); err == nil && sc.pos < len(sc.s) && sc.s[sc.pos] == ':' {
		sc.pos++
		var out []*Address
		sc.inGroup = true
		defer func() { sc.inGroup = false }()
		for {
			if err := sc.cfws(); err != nil {
				return nil, err
			}
			if sc.pos == len(sc.s) {
				return nil, errAt(KindUnclosedQuote, start, "group without its closing semicolon")
			}
			switch sc.s[sc.pos] {
			case ';':
				sc.pos++
				return out, nil
			case ',':
				sc.pos++
				continue
			}
			if len(out) >= MaxListLength {
				return nil, errAt(KindTooManyAddresses, sc.pos, "more than 1000 addresses in the group")
			}
			a, err := sc.mailbox()
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
	}
	sc.pos = start
	a, err := sc.mailbox()
	if err != nil {
		return nil, err
	}
	return []*Address{a}, nil
}

// mailbox parses name-addr or addr-spec.
func (sc *scanner) mailbox() (*Address, *ParseError) {
	if !sc.p.Exact || sc.list {
		if err := sc.cfws(); err != nil {
			return nil, err
		}
	}
	start := sc.pos
	if start == len(sc.s) {
		return nil, errAt(KindEmpty, start, "empty address")
	}
	a, specErr := sc.addrSpec()
	if specErr == nil {
		if sc.atEnd() {
			return a, nil
		}
		specErr = sc.textAfter()
	}
	if !sc.hasAngle(start) {
		return nil, specErr
	}
	sc.pos = start
	name, err := sc.phrase()
	if err != nil {
		return nil, err
	}
	if sc.pos >= len(sc.s) || sc.s[sc.pos] != '<' {
		if name == "" {
			return nil, specErr
		}
		return nil, errRune(KindDisplayNameInvalid, sc.pos, sc.runeAt(), "character not allowed in an unquoted display name; quote the name")
	}
	if sc.p.AddrSpecOnly {
		return nil, errAt(KindDisplayNameNotAllowed, start, "display name or angle brackets where a bare address is required")
	}
	sc.pos++
	if !sc.p.Exact {
		if err := sc.cfws(); err != nil {
			return nil, err
		}
	}
	a, err = sc.addrSpec()
	if err != nil {
		return nil, err
	}
	if !sc.p.Exact {
		if err := sc.cfws(); err != nil {
			return nil, err
		}
	}
	if sc.pos >= len(sc.s) || sc.s[sc.pos] != '>' {
		return nil, errAt(KindUnclosedAngle, start, "\"<\" without its closing \">\"")
	}
	sc.pos++
	if !sc.atEnd() {
		return nil, sc.textAfter()
	}
	a.Name = name
	return a, nil
}

// hasAngle reports whether a '<' follows start outside quoted strings,
// before the end of this mailbox.
func (sc *scanner) hasAngle(start int) bool {
	inQuote := false
	for i := start; i < len(sc.s); i++ {
		switch c := sc.s[i]; {
		case c == '\\' && inQuote:
			i++
		case c == '"':
			inQuote = !inQuote
		case c == '<' && !inQuote:
			return true
		}
	}
	return false
}

// phrase parses a display name (RFC 5322 phrase, with obs-phrase dots)
// and decodes encoded words. It stops before '<' or ':' or anything else
// that cannot be part of a phrase.
func (sc *scanner) phrase() (string, *ParseError) {
	s := sc.s
	var b strings.Builder
	prevEncoded, decoded := false, false
	words := 0
	for {
		if err := sc.cfws(); err != nil {
			return "", err
		}
		if sc.pos >= len(s) {
			break
		}
		wstart := sc.pos
		var word string
		encoded := false
		if s[sc.pos] == '"' {
			w, err := sc.quoted(false)
			if err != nil {
				return "", err
			}
			word = w
			if strings.Contains(w, "=?") {
				d, derr := sc.decoder().DecodeHeader(w)
				if derr != nil {
					return "", errAt(KindEncodedWord, wstart, "cannot decode encoded word in display name: "+derr.Error())
				}
				word, decoded = d, true
			}
		} else {
			if end := encodedWordEnd(s, sc.pos); end > 0 {
				sc.pos = end
			}
			for sc.pos < len(s) {
				c := s[sc.pos]
				if c >= utf8.RuneSelf || isAtext(c) || c == '.' {
					sc.pos++
					continue
				}
				break
			}
			if sc.pos == wstart {
				break
			}
			word = s[wstart:sc.pos]
			if len(word) >= 8 && strings.HasPrefix(word, "=?") && strings.HasSuffix(word, "?=") {
				d, derr := sc.decoder().Decode(word)
				if derr != nil {
					return "", errAt(KindEncodedWord, wstart, "cannot decode encoded word in display name: "+derr.Error())
				}
				word, encoded, decoded = d, true, true
			}
		}
		if words > 0 && !(encoded && prevEncoded) {
			b.WriteByte(' ')
		}
		b.WriteString(word)
		words++
		prevEncoded = encoded
	}
	name := b.String()
	if !isASCII(name) {
		name = norm.NFC.String(name)
	}
	if decoded {
		if err := checkUnsafe(name, 0); err != nil {
			err.Offset = sc.pos
			err.Detail += " in the decoded display name"
			return "", err
		}
		if strings.ContainsAny(name, "\r\n") {
			return "", errAt(KindUnsafeChar, sc.pos, "line break in the decoded display name")
		}
	}
	return name, nil
}

// encodedWordEnd returns the end of an RFC 2047 encoded word
// (=?charset?encoding?text?=) that starts at i, or 0. Some encoders leave
// specials such as ";" or "," unencoded in the text; the word still ends
// only at "?=".
func encodedWordEnd(s string, i int) int {
	if !strings.HasPrefix(s[i:], "=?") {
		return 0
	}
	q := 0
	for j := i + 2; j < len(s); j++ {
		c := s[j]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '<' || c == '>' {
			return 0
		}
		if c == '?' {
			q++
			if q >= 3 && j+1 < len(s) && s[j+1] == '=' {
				return j + 2
			}
		}
	}
	return 0
}

func (sc *scanner) decoder() *mime.WordDecoder {
	if sc.p.WordDecoder != nil {
		return sc.p.WordDecoder
	}
	return &mime.WordDecoder{CharsetReader: charsetReader}
}

// charsetReader decodes the legacy charsets most often seen in display
// names beyond the utf-8, iso-8859-1 and us-ascii that mime handles itself.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	var cm *charmap.Charmap
	switch strings.ToLower(charset) {
	case "windows-1252", "cp1252":
		cm = charmap.Windows1252
	case "iso-8859-15", "latin-9", "latin9":
		cm = charmap.ISO8859_15
	case "iso-8859-2", "latin2":
		cm = charmap.ISO8859_2
	case "windows-1250", "cp1250":
		cm = charmap.Windows1250
	case "windows-1251", "cp1251":
		cm = charmap.Windows1251
	case "koi8-r":
		cm = charmap.KOI8R
	case "iso-8859-5":
		cm = charmap.ISO8859_5
	case "iso-8859-7":
		cm = charmap.ISO8859_7
	default:
		return nil, fmt.Errorf("sender: unsupported charset %q", charset)
	}
	return cm.NewDecoder().Reader(input), nil
}

// quoted parses a quoted string at pos and returns its content with
// quoted-pairs resolved and folding removed. local selects the error kind.
func (sc *scanner) quoted(local bool) (string, *ParseError) {
	s := sc.s
	kind := KindDisplayNameInvalid
	if local {
		kind = KindQuotedLocalInvalidChar
	}
	start := sc.pos
	sc.pos++
	var b strings.Builder
	simple := true // no escapes or folding so far: content is a substring
	from := sc.pos
	for sc.pos < len(s) {
		c := s[sc.pos]
		switch {
		case c == '"':
			var out string
			if simple {
				out = s[from:sc.pos]
			} else {
				out = b.String()
			}
			sc.pos++
			return out, nil
		case c == '\\':
			if sc.pos+1 >= len(s) {
				return "", errAt(KindUnclosedQuote, start, "quoted string without its closing quote")
			}
			n := s[sc.pos+1]
			if n < ' ' && n != '\t' || n == 0x7f {
				return "", errRune(kind, sc.pos+1, rune(n), "control character in a quoted string")
			}
			if simple {
				b.WriteString(s[from:sc.pos])
				simple = false
			}
			_, size := utf8.DecodeRuneInString(s[sc.pos+1:])
			b.WriteString(s[sc.pos+1 : sc.pos+1+size])
			sc.pos += 1 + size
		case c == '\r' || c == '\n':
			at := sc.pos
			if sc.p.Exact {
				return "", errRune(kind, at, rune(c), "line break in a quoted string")
			}
			if err := sc.fws(); err != nil {
				return "", err
			}
			if simple {
				b.WriteString(s[from:at])
				simple = false
			}
			// Unfolding drops the line break and keeps the white space.
			for i := at; i < sc.pos; i++ {
				if s[i] == ' ' || s[i] == '\t' {
					b.WriteByte(s[i])
				}
			}
		default:
			if !simple {
				b.WriteByte(c)
			}
			sc.pos++
		}
	}
	return "", errAt(KindUnclosedQuote, start, "quoted string without its closing quote")
}

// addrSpec parses local@domain at pos.
func (sc *scanner) addrSpec() (*Address, *ParseError) {
	s, p := sc.s, &sc.p
	start := sc.pos
	var local string
	quotedLocal := false
	if sc.pos < len(s) && s[sc.pos] == '"' {
		l, err := sc.quoted(true)
		if err != nil {
			return nil, err
		}
		local, quotedLocal = l, true
		if p.NoQuotedLocal {
			return nil, errAt(KindQuotedLocalNotAllowed, start, "quoted local part not allowed")
		}
		if !p.Exact {
			if err := sc.cfws(); err != nil {
				return nil, err
			}
		}
		if sc.pos >= len(s) {
			return nil, errAt(KindMissingAt, sc.pos, "no @ after the quoted local part")
		}
		if s[sc.pos] != '@' {
			return nil, errRune(KindTextAfterQuotedLocal, sc.pos, sc.runeAt(), "text between the quoted local part and the @")
		}
	} else {
		for sc.pos < len(s) {
			c := s[sc.pos]
			if c >= utf8.RuneSelf || isAtext(c) {
				sc.pos++
				continue
			}
			if c == '.' {
				if sc.pos == start {
					return nil, errAt(KindLocalDot, sc.pos, "local part starts with a dot")
				}
				if s[sc.pos-1] == '.' {
					return nil, errAt(KindLocalDot, sc.pos, "two dots in a row in the local part")
				}
				sc.pos++
				continue
			}
			break
		}
		local = s[start:sc.pos]
		if local != "" && local[len(local)-1] == '.' {
			return nil, errAt(KindLocalDot, sc.pos-1, "local part ends with a dot")
		}
		end := sc.pos
		if !p.Exact {
			if err := sc.cfws(); err != nil {
				return nil, err
			}
		}
		if sc.pos >= len(s) {
			return nil, errAt(KindMissingAt, sc.pos, "no @ sign in the address")
		}
		if s[sc.pos] != '@' {
			sc.pos = end
			return nil, errRune(KindLocalInvalidChar, end, sc.runeAt(), "character not allowed in the local part")
		}
		if local == "" && !p.AllowEmptyLocal {
			return nil, errAt(KindEmptyLocal, start, "nothing before the @ sign")
		}
	}
	if local == "" && !p.AllowEmptyLocal {
		return nil, errAt(KindEmptyLocal, start, "empty local part")
	}
	sc.pos++ // '@'
	if !p.Exact {
		if err := sc.cfws(); err != nil {
			return nil, err
		}
	}
	domStart := sc.pos
	dom, err := sc.domain()
	if err != nil {
		return nil, err
	}
	sc.domainWritten = strings.TrimSuffix(s[domStart:sc.pos], ".")
	local, err = normalizeLocal(local, quotedLocal, start, p)
	if err != nil {
		return nil, err
	}
	if raw := sc.pos - start; raw > MaxAddressLength {
		return nil, errAt(KindAddressTooLong, start, "address longer than 254 octets as given")
	}
	wire := quoteLocal(local)
	if p.Strict && len(wire) > MaxLocalLength {
		return nil, errAt(KindLocalTooLong, start, "local part longer than 64 octets")
	}
	if n := len(wire) + 1 + max(len(dom.ascii), len(dom.unicode)); n > MaxAddressLength {
		return nil, errAt(KindAddressTooLong, start, "address longer than 254 octets")
	}
	return &Address{Local: local, Domain: dom}, nil
}

// domain parses the domain of an addr-spec at pos, with the address-level
// checks (dots, special-use names, literals).
func (sc *scanner) domain() (Domain, *ParseError) {
	s, p := sc.s, &sc.p
	start := sc.pos
	if start < len(s) && s[start] == '[' {
		end := strings.IndexByte(s[start:], ']')
		if end < 0 {
			return Domain{}, errAt(KindInvalidDomainLiteral, start, "address literal without its closing bracket")
		}
		sc.pos = start + end + 1
		d, err := parseLiteral(s[start+1:start+end], start)
		if err != nil {
			return Domain{}, err
		}
		if !p.AllowDomainLiteral {
			return Domain{}, errAt(KindDomainLiteralNotAllowed, start, "address literal ([IP address]) not allowed; a sender needs a domain name")
		}
		return d, nil
	}
	for sc.pos < len(s) {
		c := s[sc.pos]
		if c == '>' || c == ',' || c == ';' || c == '(' || c == '<' || isWSP(c) {
			break
		}
		sc.pos++
	}
	tok := s[start:sc.pos]
	if tok == "" {
		return Domain{}, errAt(KindEmptyDomain, start, "nothing after the @ sign")
	}
	d, err := normalizeDomain(tok, start, false, !p.Exact)
	if err != nil {
		return Domain{}, err
	}
	tld := d.ascii[strings.LastIndexByte(d.ascii, '.')+1:]
	testOK := p.AllowTestDomains && tld == "test"
	switch {
	case tld == d.ascii && !testOK:
		return Domain{}, errAt(KindDomainNoDot, start, "domain has no dot; a sender needs a public domain name")
	case !testOK && isSpecialUse(tld):
		return Domain{}, errAt(KindSpecialUseDomain, start, "special-use domain "+tld+" cannot send mail")
	case !unicode.IsLetter(rune(tld[len(tld)-1])):
		return Domain{}, errAt(KindDomainInvalidTLD, start, "top-level domain does not end with a letter")
	}
	return d, nil
}

// isSpecialUse reports whether tld is a special-use or reserved top-level
// name under which no mail can be sent (RFC 6761, RFC 6762, RFC 7686,
// RFC 3172).
func isSpecialUse(tld string) bool {
	switch tld {
	case "arpa", "invalid", "local", "localhost", "onion", "test":
		return true
	}
	return false
}

// parseLiteral checks an address literal (without brackets); start is the
// offset of the '['.
func parseLiteral(lit string, start int) (Domain, *ParseError) {
	if v6, ok := strings.CutPrefix(lit, "IPv6:"); ok || strings.HasPrefix(strings.ToLower(lit), "ipv6:") {
		if !ok {
			v6 = lit[5:]
		}
		a, err := netip.ParseAddr(v6)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return Domain{}, errAt(KindInvalidDomainLiteral, start, "invalid IPv6 address literal")
		}
		s := "[IPv6:" + a.String() + "]"
		return Domain{ascii: s, unicode: s, literal: true}, nil
	}
	a, err := netip.ParseAddr(lit)
	if err != nil || !a.Is4() {
		return Domain{}, errAt(KindInvalidDomainLiteral, start, "address literal is neither an IPv4 address nor IPv6:<address>")
	}
	s := "[" + a.String() + "]"
	return Domain{ascii: s, unicode: s, literal: true}, nil
}

// normalizeLocal brings the local part to NFC and checks it again, since
// normalization can produce characters the original did not have.
func normalizeLocal(local string, quoted bool, start int, p *Parser) (string, *ParseError) {
	if isASCII(local) {
		if strings.EqualFold(local, "postmaster") {
			// RFC 5321 section 4.5.1: Postmaster is case-insensitive.
			return "postmaster", nil
		}
		return local, nil
	}
	if p.ASCIIOnly {
		return "", errAt(KindSMTPUTF8NotAllowed, start, "non-ASCII local part needs SMTPUTF8, which is not allowed here")
	}
	if r, _ := utf8.DecodeRuneInString(local); unicode.Is(unicode.M, r) {
		return "", errRune(KindUnsafeChar, start, r, "local part starts with a combining mark")
	}
	n := norm.NFC.String(local)
	if !quoted {
		if !isDotAtom(n) {
			return "", errAt(KindLocalNormalization, start, "local part is not valid after Unicode normalization (NFC)")
		}
		// A character whose canonical decomposition hides an ASCII special
		// (such as U+226E, which is "<" plus a combining stroke) is a
		// spoofing device.
		for i, r := range n {
			if r < utf8.RuneSelf {
				continue
			}
			d := norm.NFD.String(string(r))
			for j := 0; j < len(d); j++ {
				if c := d[j]; c < utf8.RuneSelf && !isAtext(c) && c != '.' {
					return "", errRune(KindLocalNormalization, start+i, r, "character decomposes to the ASCII special "+string(c))
				}
			}
		}
	}
	if err := checkUnsafe(n, start); err != nil {
		return "", err
	}
	return n, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
