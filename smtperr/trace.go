package smtperr

import (
	"math/bits"
	"strings"
)

// IdentifierKind names what an [Identifier] identifies.
type IdentifierKind string

// Kinds of identifiers found in reply text.
const (
	// IdentifierServer is the name of the server that answered, as
	// Microsoft writes it in brackets
	// ("[BN8NAM12FT041.eop-nam12.prod.protection.outlook.com]",
	// "[Hostname=DM6PR12MB1234.namprd12.prod.outlook.com]"), or a
	// Proofpoint host (pphosted.com).
	IdentifierServer IdentifierKind = "server"
	// IdentifierTransaction is a provider's id of the SMTP transaction:
	// Gmail's token before "- gsmtp" ("r75si5694561wmf.156"), Microsoft's
	// hexadecimal id after the timestamp in brackets ("08DBB276B7E699C4").
	IdentifierTransaction IdentifierKind = "transaction_id"
	// IdentifierQueue is a mail server's queue id: Postfix ("queued as
	// 4Fq3Xk1Z2Qz9vW"), Exim ("1kXyZa-0003Mn-Kx").
	IdentifierQueue IdentifierKind = "queue_id"
	// IdentifierMessage is a provider's message id (Amazon SES
	// "0100018e…-000000").
	IdentifierMessage IdentifierKind = "message_id"
	// IdentifierRequest is a request or trace id ("RequestId: …",
	// Microsoft Entra's "Trace ID: …").
	IdentifierRequest IdentifierKind = "request_id"
	// IdentifierCorrelation is Microsoft Entra's "Correlation ID: …".
	IdentifierCorrelation IdentifierKind = "correlation_id"
	// IdentifierReference is a gateway's reference for the refusal
	// (Mimecast's "[Aj3QXapeMpqZYaeFwWhjzw.us32]").
	IdentifierReference IdentifierKind = "reference"
	// IdentifierTimestamp is a time the server wrote (ISO 8601).
	IdentifierTimestamp IdentifierKind = "timestamp"
	// IdentifierRegion is a cloud region ("us-east-1").
	IdentifierRegion IdentifierKind = "region"
	// IdentifierIP is an IPv4 address the server names: the address it
	// saw or blocked ("[59.177.124.28]", "?ip=1.2.3.4").
	IdentifierIP IdentifierKind = "ip"
)

// Identifier is one identifier found in a reply's text, as a provider's
// support asks for it.
type Identifier struct {
	// Kind says what it identifies.
	Kind IdentifierKind `json:"kind"`
	// Value is the identifier as the server wrote it.
	Value string `json:"value"`
}

// maxIdentifiers bounds the identifiers taken from one text.
const maxIdentifiers = 16

// Identifiers returns the identifiers a provider's support can use that
// appear in reply text: server names, transaction, queue, message,
// request and correlation ids, gateway references, timestamps, regions and
// IP addresses, in the order they appear, each once. It reads the server's
// text only and recognizes the shapes providers are known to use; an
// arbitrary token is not taken for an id. It returns nil when it finds
// none.
func Identifiers(text string) []Identifier {
	var t tracer
	t.trace(text)
	if t.n == 0 {
		return nil
	}
	return append([]Identifier(nil), t.found()...)
}

// tracer collects the identifiers of a text.
type tracer struct {
	ids [maxIdentifiers]Identifier
	n   int
}

// trace scans the text as Identifiers does.
func (t *tracer) trace(text string) {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	t.scan(text)
}

// found returns the identifiers found, in the tracer's own array.
func (t *tracer) found() []Identifier { return t.ids[:t.n] }

func (t *tracer) add(k IdentifierKind, v string) {
	if v == "" || t.n >= maxIdentifiers || len(v) > 200 {
		return
	}
	for _, x := range t.ids[:t.n] {
		if x.Kind == k && x.Value == v {
			return
		}
	}
	t.ids[t.n] = Identifier{Kind: k, Value: v}
	t.n++
}

// scan reads the words of text (runs between white space) that can
// matter, each in the light of the words before it. A word matters when it
// holds a digit (every identifier does) or a bracket (which opens or closes
// a bracketed list); scan finds those words eight bytes at a time and
// skips the others, whose only use is as context, found by looking around
// a word that matters.
func (t *tracer) scan(text string) {
	inBracket := false // inside "[ ... ]" that started on an earlier word
	bracketTS := false // a timestamp was seen in the current bracket
	for end := 0; ; {
		p := nextTraceByte(text, end)
		if p < 0 {
			return
		}
		i, j := p, p
		for i > 0 && !traceSpace(text[i-1]) {
			i--
		}
		for j < len(text) && !traceSpace(text[j]) {
			j++
		}
		end = j
		w := text[i:j]
		opens := w[0] == '['
		closes := w[len(w)-1] == ']'
		if opens {
			inBracket, bracketTS = true, false
		}
		// Every identifier has a digit and is 6 bytes long once
		// trimmed; word reads only those words.
		if len(w) >= 6 && (text[p]-'0' < 10 || traceHasDigit(w)) {
			if bare := traceTrim(w); len(bare) >= 6 {
				t.word(w, bare, prevWords(text, i), inBracket, opens && closes, &bracketTS)
			}
			// Gmail's transaction id comes before "- gsmtp".
			if beforeGsmtp(text, j) && traceIDToken(w) {
				t.add(IdentifierTransaction, w)
			}
		}
		if closes {
			inBracket = false
		}
	}
}

// beforeGsmtp reports whether the words after position j of text are "-"
// and "gsmtp".
func beforeGsmtp(text string, j int) bool {
	for _, want := range [2]string{"-", "gsmtp"} {
		for j < len(text) && traceSpace(text[j]) {
			j++
		}
		k := j
		for k < len(text) && !traceSpace(text[k]) {
			k++
		}
		if text[j:k] != want {
			return false
		}
		j = k
	}
	return true
}

// prevWords returns the three words before position i of text, the nearest
// first ("" where there are fewer).
func prevWords(text string, i int) (prev [3]string) {
	for k := 0; k < 3; k++ {
		for i > 0 && traceSpace(text[i-1]) {
			i--
		}
		j := i
		for i > 0 && !traceSpace(text[i-1]) {
			i--
		}
		if i == j {
			break
		}
		prev[k] = text[i:j]
	}
	return prev
}

// nextTraceByte returns the position of the first ASCII digit, '[' or ']'
// in text at or after from, or -1.
func nextTraceByte(text string, from int) int {
	const ones, highs, lows = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
	i := from
	for ; i+8 <= len(text); i += 8 {
		x := load64(text[i : i+8])
		// The high bit of each byte of m is set where x has a digit
		// (at least 0x30 and not at least 0x3a) or a bracket (a byte
		// that is zero once xored with 0x5b or 0x5d), among bytes
		// below 0x80.
		low := x & lows
		digit := (low + (0x80-0x30)*ones) &^ (low + (0x80-0x3a)*ones)
		open, closing := low^0x5b*ones, low^0x5d*ones
		bracket := ^(open + lows | open) | ^(closing + lows | closing)
		if m := (digit | bracket) & highs &^ x; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(text); i++ {
		if c := text[i]; c-'0' < 10 || c == '[' || c == ']' {
			return i
		}
	}
	return -1
}

// word classifies one word.
func (t *tracer) word(w, bare string, prev [3]string, bracketed, whole bool, bracketTS *bool) {
	// Every identifier is at least 6 characters long and has a digit;
	// most words are neither.
	if len(bare) < 6 || !traceHasDigit(bare) {
		return
	}
	// A word equal to b without regard to case is at least as long as
	// b (b is ASCII; the Kelvin sign and the long s fold to k and s but
	// take more bytes): shorter words are out at once.
	eq := func(a, b string) bool { return len(a) >= len(b) && strings.EqualFold(a, b) }
	idColon := eq(prev[0], "id:")
	switch {
	case idColon && eq(prev[1], "trace"):
		if traceIDToken(bare) {
			t.add(IdentifierRequest, bare)
		}
		return
	case idColon && eq(prev[1], "correlation"):
		if traceIDToken(bare) {
			t.add(IdentifierCorrelation, bare)
		}
		return
	case eq(prev[0], "requestid:") || eq(prev[0], "request-id:") || (idColon && eq(prev[1], "request")):
		if traceIDToken(bare) {
			t.add(IdentifierRequest, bare)
		}
		return
	case eq(prev[0], "as") && eq(prev[1], "queued") && traceQueueID(bare):
		t.add(IdentifierQueue, bare)
		return
	case eq(prev[0], "region") && traceRegion(bare):
		t.add(IdentifierRegion, strings.ToLower(bare))
		return
	}
	if host, ip, ok := strings.Cut(bare, "["); ok && host != "" {
		// Postfix's "host mx.example.com[192.0.2.1] said:".
		if (traceHasSuffixFold(host, ".pphosted.com") || traceContainsFold(host, "outlook.com")) && traceHostName(host) {
			t.add(IdentifierServer, host)
		}
		if traceIPv4(ip) {
			t.add(IdentifierIP, ip)
		}
		return
	}
	if v, ok := strings.CutPrefix(bare, "id="); ok && traceEximID(v) {
		t.add(IdentifierQueue, v)
		return
	}
	if v, ok := strings.CutPrefix(bare, "Hostname="); ok && traceHostName(v) {
		t.add(IdentifierServer, v)
		return
	}
	switch {
	case traceISOTime(bare):
		t.add(IdentifierTimestamp, bare)
		if bracketed {
			*bracketTS = true
		}
	case bracketed && *bracketTS && traceHex16(bare):
		t.add(IdentifierTransaction, bare)
	case bracketed && traceContainsFold(bare, "outlook.com") && traceHostName(bare):
		t.add(IdentifierServer, bare)
	case traceHasSuffixFold(bare, ".pphosted.com") && traceHostName(bare):
		t.add(IdentifierServer, bare)
	case whole && traceMimecastRef(bare):
		t.add(IdentifierReference, bare)
	case traceSESMessageID(bare):
		t.add(IdentifierMessage, bare)
	case traceEximID(bare):
		t.add(IdentifierQueue, bare)
	case whole && traceIPv4(bare):
		t.add(IdentifierIP, bare)
	default:
		if k := strings.Index(bare, "ip="); k >= 0 {
			v := bare[k+3:]
			if e := strings.IndexAny(v, "&:#"); e >= 0 {
				v = v[:e]
			}
			if traceIPv4(v) {
				t.add(IdentifierIP, v)
			}
		}
		if r := traceAwsRegion(bare); r != "" {
			t.add(IdentifierRegion, r)
		}
	}
}

func traceSpace(c byte) bool { return c <= ' ' || c == 0x7f }

func traceHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// traceIDToken reports whether s looks like a generated id: 6 to 100
// letters, digits, '.', '-' and '_', with at least one digit.
func traceIDToken(s string) bool {
	if len(s) < 6 || len(s) > 100 {
		return false
	}
	digit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			digit = true
		case isAlnum(c), c == '.', c == '-', c == '_':
		default:
			return false
		}
	}
	return digit
}

// traceQueueID reports whether s is a Postfix queue id: 6 to 20 letters and
// digits (short hexadecimal ids or long ones in base 52).
func traceQueueID(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if len(s) < 6 || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// traceEximID reports whether s is an Exim message id: three base-62 parts,
// 6-6-2 characters, or 6-11-4 since Exim 4.97.
func traceEximID(s string) bool {
	// The shape first: 6-6-2 is 16 bytes long, 6-11-4 is 23.
	if len(s) != 16 && len(s) != 23 || s[6] != '-' {
		return false
	}
	a, rest, ok1 := strings.Cut(s, "-")
	b, c, ok2 := strings.Cut(rest, "-")
	if !ok1 || !ok2 || len(a) != 6 {
		return false
	}
	if !(len(b) == 6 && len(c) == 2) && !(len(b) == 11 && len(c) == 4) {
		return false
	}
	digits := 0
	for _, part := range []string{a, b, c} {
		for i := 0; i < len(part); i++ {
			if !isAlnum(part[i]) {
				return false
			}
			if part[i] <= '9' {
				digits++
			}
		}
	}
	// Exim's ids start with the time in base 62, so digits are common;
	// words such as "cross-border-ok" have none.
	return digits >= 2
}

// traceSESMessageID reports whether s is an Amazon SES message id: 16 hex
// digits, a UUID and a six-digit suffix, joined by '-'.
func traceSESMessageID(s string) bool {
	if len(s) != 16+1+36+1+6 || s[16] != '-' || s[53] != '-' {
		return false
	}
	for i := 0; i < 16; i++ {
		if !traceHexDigit(s[i]) {
			return false
		}
	}
	for i := 54; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return traceUUID(s[17:53])
}

func traceUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !traceHexDigit(s[i]) {
				return false
			}
		}
	}
	return true
}

func traceHex16(s string) bool {
	if len(s) != 16 {
		return false
	}
	for i := 0; i < 16; i++ {
		if !traceHexDigit(s[i]) {
			return false
		}
	}
	return true
}

// traceHostName reports whether s is a host name of at least three labels.
func traceHostName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if len(s) < 5 || len(s) > 253 {
		return false
	}
	labels, n := 0, 0 // labels done, length of the current one
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if n == 0 || n > 63 || s[i-n] == '-' || s[i-1] == '-' {
				return false
			}
			labels++
			n = 0
			continue
		}
		if !isAlnum(s[i]) && s[i] != '-' {
			return false
		}
		n++
	}
	return labels >= 3
}

// traceISOTime reports whether s is an ISO 8601 date and time:
// 2023-09-12T20:59:57.214Z, with optional fraction and zone.
func traceISOTime(s string) bool {
	if len(s) < 19 || len(s) > 35 {
		return false
	}
	for i, c := range []byte(s[:19]) {
		switch i {
		case 4, 7:
			if c != '-' {
				return false
			}
		case 10:
			if c != 'T' && c != 't' {
				return false
			}
		case 13, 16:
			if c != ':' {
				return false
			}
		default:
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	for i := 19; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9') && c != '.' && c != 'Z' && c != 'z' && c != '+' && c != '-' && c != ':' {
			return false
		}
	}
	return true
}

// traceMimecastRef reports whether s is a Mimecast reference: a base64url
// token of 10 or more characters, a dot, then a data centre code (two
// letters and digits: "us32", "uk191", "eu12").
func traceMimecastRef(s string) bool {
	tok, dc, ok := strings.Cut(s, ".")
	if !ok || len(tok) < 10 || len(tok) > 64 || len(dc) < 3 || len(dc) > 8 {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if !isAlnum(tok[i]) && tok[i] != '_' && tok[i] != '-' {
			return false
		}
	}
	letters := 0
	for letters < len(dc) && 'a' <= dc[letters] && dc[letters] <= 'z' {
		letters++
	}
	if letters < 2 || letters > 3 || letters == len(dc) {
		return false
	}
	for i := letters; i < len(dc); i++ {
		if dc[i] < '0' || dc[i] > '9' {
			return false
		}
	}
	return true
}

func traceIPv4(s string) bool {
	parts, n, v := 0, 0, 0 // parts done, digits and value of the current one
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			if n == 0 || v > 255 {
				return false
			}
			parts++
			n, v = 0, 0
			continue
		}
		if s[i] < '0' || s[i] > '9' || n == 3 {
			return false
		}
		n++
		v = v*10 + int(s[i]-'0')
	}
	return parts == 4
}

// traceRegion reports whether s is a cloud region name such as
// "us-east-1", "eu-central-2" or "us-gov-west-1", in either case.
func traceRegion(s string) bool {
	// Words of letters joined by '-' (two letters first, two or three
	// words in all), then '-' and one digit from 1 to 9.
	if len(s) < 6 || len(s) > 30 || s[len(s)-2] != '-' || s[len(s)-1] < '1' || s[len(s)-1] > '9' {
		return false
	}
	words, n := 0, 0
	for i := 0; i < len(s)-1; i++ {
		switch c := s[i] | 0x20; {
		case s[i] == '-':
			if n == 0 || (words == 0 && n != 2) {
				return false
			}
			words++
			n = 0
		case 'a' <= c && c <= 'z':
			n++
		default:
			return false
		}
	}
	return words >= 2 && words <= 3
}

// traceAwsRegion returns the region of an Amazon host name in s
// ("email-smtp.eu-west-1.amazonaws.com", "email.us-east-1.amazonses.com").
func traceAwsRegion(s string) string {
	if len(s) < 20 || strings.IndexByte(s, 'z') < 0 && strings.IndexByte(s, 'Z') < 0 ||
		!strings.Contains(s, "mazon") && !strings.Contains(s, "MAZON") {
		return ""
	}
	for _, suffix := range []string{".amazonaws.com", ".amazonses.com"} {
		k := traceIndexFold(s, suffix)
		if k < 0 {
			continue
		}
		host := s[:k]
		if d := strings.LastIndexAny(host, "./"); d >= 0 {
			host = host[d+1:]
		}
		if traceRegion(host) {
			return strings.ToLower(host)
		}
	}
	return ""
}

// traceTrim removes the brackets, quotes and punctuation around a word.
func traceTrim(w string) string {
	i, j := 0, len(w)
	for i < j && tracePunct(w[i]) {
		i++
	}
	for j > i && tracePunct(w[j-1]) {
		j--
	}
	return w[i:j]
}

func tracePunct(c byte) bool {
	switch c {
	case '[', ']', '(', ')', '<', '>', ',', ';', ':', '.', '!', '?', '"', '\'':
		return true
	}
	return false
}

func traceHasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			return true
		}
	}
	return false
}

// traceIndexFold is strings.Index without regard to case; sub is lower
// case ASCII. (A window of len(sub) bytes that holds a byte outside ASCII
// has fewer characters than sub, so strings.EqualFold never matches it:
// comparing ASCII bytes without case is the same test.)
func traceIndexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if asciiEqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// asciiEqualFold reports whether a equals lower, which is lower case ASCII,
// without regard to the case of a's ASCII letters.
func asciiEqualFold(a, lower string) bool {
	if len(a) != len(lower) {
		return false
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func traceContainsFold(s, sub string) bool { return traceIndexFold(s, sub) >= 0 }

func traceHasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}
