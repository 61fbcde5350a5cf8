package smtperr

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestParseReply(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		code  int
		enh   EnhancedCode
		lines []string
	}{
		{"plain", "550 5.1.1 User unknown", 550, EnhancedCode{5, 1, 1}, []string{"User unknown"}},
		{"no enhanced", "421 Service not available", 421, EnhancedCode{}, []string{"Service not available"}},
		{"multi-line", "550-5.7.1 first line\r\n550-5.7.1 second\r\n550 5.7.1 last", 550, EnhancedCode{5, 7, 1}, []string{"first line", "second", "last"}},
		{"code stripped", "5.7.0 Mail relay denied", 0, EnhancedCode{5, 7, 0}, []string{"Mail relay denied"}},
		{"log prefix", "host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@example.com>: Recipient address rejected", 550, EnhancedCode{5, 1, 1}, []string{"<a@example.com>: Recipient address rejected"}},
		{"dsn", "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full", 552, EnhancedCode{5, 2, 2}, []string{"Mailbox full"}},
		{"dsn lower", "smtp;550 5.1.1 nope", 550, EnhancedCode{5, 1, 1}, []string{"nope"}},
		{"qmail", "Sorry, no mailbox here by that name. (#5.1.1)", 0, EnhancedCode{5, 1, 1}, []string{"Sorry, no mailbox here by that name. (#5.1.1)"}},
		{"exchange hash", "#550 5.2.2 STOREDRV.Deliver: mailbox full ##", 550, EnhancedCode{5, 2, 2}, []string{"STOREDRV.Deliver: mailbox full ##"}},
		{"colon", "550: 5.2.2 <x@example.org>... Mailbox Full", 550, EnhancedCode{5, 2, 2}, []string{"<x@example.org>... Mailbox Full"}},
		{"quoted", "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", 550, EnhancedCode{5, 1, 1}, []string{"RESOLVER.ADR.RecipNotFound; not found"}},
		{"ip is not a code", "Messages from 192.0.2.1 deferred - 4.16.55.1", 0, EnhancedCode{}, []string{"Messages from 192.0.2.1 deferred - 4.16.55.1"}},
		{"vendor detail", "535 5.7.139 Authentication unsuccessful", 535, EnhancedCode{5, 7, 139}, []string{"Authentication unsuccessful"}},
		{"later enhanced", "553 Mail from 192.0.2.1 not allowed - 5.7.1 [BL23] Connections not accepted", 553, EnhancedCode{5, 7, 1}, []string{"Mail from 192.0.2.1 not allowed - 5.7.1 [BL23] Connections not accepted"}},
		{"empty", "", 0, EnhancedCode{}, []string{""}},
		{"only code", "421", 421, EnhancedCode{}, []string{""}},
		{"four digits", "5500 nope", 0, EnhancedCode{}, []string{"5500 nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ParseReply(tt.in)
			if r.Code != tt.code || r.Enhanced != tt.enh || !reflect.DeepEqual(r.Lines, tt.lines) {
				t.Errorf("ParseReply(%q) = %d %v %q; want %d %v %q", tt.in, r.Code, r.Enhanced, r.Lines, tt.code, tt.enh, tt.lines)
			}
		})
	}
}

func TestReplyString(t *testing.T) {
	r := &Reply{Code: 550, Enhanced: EnhancedCode{5, 7, 1}, Lines: []string{"a", "b"}}
	if got, want := r.String(), "550-5.7.1 a\r\n550 5.7.1 b"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if !ParseReply("451 4.3.0 x").Temporary() || ParseReply("550 x").Temporary() || !ParseReply("4.4.1 x").Temporary() {
		t.Error("Temporary wrong")
	}
}

func TestMessage(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"clean", "User unknown", "User unknown"},
		{"controls", "bad\x00\x1b[31mred\x7f text\u202e", "bad [31mred text"},
		{"c1 and bidi", "a\u0085b\u200bc\u2066d", "a b c d"},
		{"spaces", "  many   spaces  ", "many spaces"},
		{"invalid utf8", "caf\xe9 ok", "caf\ufffd ok"},
		{"continuation", "one\r\n550-5.7.1 two\r\n550 5.7.1 three", "one two three"},
		{"inline continuation", "The IP you're using is not authorized to 550-5.7.1 send email directly", "The IP you're using is not authorized to send email directly"},
		{"kept number", "error 550 in text", "error 550 in text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := message(tt.in, 550, EnhancedCode{5, 7, 1}); got != tt.want {
				t.Errorf("message(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	long := strings.Repeat("x ", maxMessageBytes)
	if got := message(long, 0, EnhancedCode{}); len(got) > maxMessageBytes+4 || !strings.HasSuffix(got, "…") {
		t.Errorf("long message not truncated: %d bytes", len(got))
	}
}

// cleanLineRef is the byte-at-a-time definition of cleanLine.
func cleanLineRef(s string, code int, enh EnhancedCode) bool {
	if len(s) > maxMessageBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e {
			return false
		}
		if c == ' ' && (i == 0 || s[i-1] == ' ' || i == len(s)-1 || inlineMarker(s, i+1, code, enh) > 0) {
			return false
		}
	}
	return true
}

// TestCleanLine compares the word-at-a-time cleanLine with its definition
// on generated lines built from bytes that matter.
func TestCleanLine(t *testing.T) {
	alphabet := []byte("ab 5-.0\x1f\x7f\x80~!1")
	state := uint64(1)
	next := func(n int) int { // xorshift, deterministic
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		return int(state % uint64(n))
	}
	for k := 0; k < 20000; k++ {
		b := make([]byte, next(40))
		for i := range b {
			b[i] = alphabet[next(len(alphabet))]
		}
		s := string(b)
		if k%3 == 0 {
			s = "a 550-5.7.1 b" + s
		}
		if got, want := cleanLine(s, 550, EnhancedCode{5, 7, 1}), cleanLineRef(s, 550, EnhancedCode{5, 7, 1}); got != want {
			t.Fatalf("cleanLine(%q) = %v, definition says %v", s, got, want)
		}
	}
}

// findCodeRef is findCode's search by its definition, byte by byte.
func findCodeRef(s string) (start, end int) {
	i := 0
	for i < len(s) && i < 2 && (s[i] == '#' || s[i] == '\'' || s[i] == '"' || s[i] == '[' || s[i] == '(') {
		i++
	}
	if _, ok := scanCode(s, i); ok && codeEnds(s, i+3) {
		return i, skipCodeSep(s, i+3)
	}
	colon := -1
	for j := 1; j+3 <= len(s); j++ {
		if s[j] < '2' || s[j] > '5' || !boundaryBefore(s, j) {
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

// findEnhancedRef is findEnhanced's search by its definition, byte by
// byte.
func findEnhancedRef(s string, class int) EnhancedCode {
	var first EnhancedCode
	for j := 0; j+5 <= len(s); j++ {
		c := s[j]
		if (c != '2' && c != '4' && c != '5') || s[j+1] != '.' || !boundaryBefore(s, j) {
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
		j += n - 1
	}
	return first
}

// checkFind reports where findCode or findEnhanced differ from their
// definitions.
func checkFind(t *testing.T, s string) {
	t.Helper()
	a, b := findCode(s)
	if c, d := findCodeRef(s); a != c || b != d {
		t.Errorf("findCode(%q) = %d, %d, want %d, %d", s, a, b, c, d)
	}
	for _, class := range []int{0, 2, 4, 5} {
		if got, want := findEnhanced(s, class), findEnhancedRef(s, class); got != want {
			t.Errorf("findEnhanced(%q, %d) = %v, want %v", s, class, got, want)
		}
	}
	for _, r := range [][2]byte{{'2', '5'}, {'0', '9'}, {'a', 'a'}} {
		want := strings.IndexFunc(s, func(c rune) bool { return c >= rune(r[0]) && c <= rune(r[1]) })
		if got := indexRange(s, 0, r[0], r[1]); got != want {
			t.Errorf("indexRange(%q, %c, %c) = %d, want %d", s, r[0], r[1], got, want)
		}
	}
}

// TestFindCodes checks the searches for codes against their definitions
// over the corpora and generated texts of the bytes that matter.
func TestFindCodes(t *testing.T) {
	for _, s := range corpusReplies(t) {
		checkFind(t, s)
	}
	alphabet := []byte("25 5.4.1x0:;'#<-,.\xc3\xa9")
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		b := make([]byte, rng.IntN(30))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		checkFind(t, string(b))
	}
}

// FuzzFindCodes checks the searches for codes against their definitions.
func FuzzFindCodes(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		checkFind(t, s)
	})
}

// TestCodeAfterColon checks that a code right after a label or a command
// and a colon is taken, and a line number or a port is not.
func TestCodeAfterColon(t *testing.T) {
	for _, c := range []struct {
		in   string
		code int
	}{
		// Real replies from replies-dev.tsv.
		{"SMTP error, DATA:554 One or more of the sender or recipients are invalid", 554},
		{"Error: SMTP code:530 msg:530 SMTP authentication is required.", 530},
		{"SMTP -> FROM SERVER:421 Too many concurrent SMTP connections; please try again later.", 421},
		{`mx3.qq.com(157.255.4.241) reply:550 The "From" header is missing or invalid.`, 550},
		// A log line's source position and a host's port.
		{`level=error caller=notify.go:311 msg="Error on notify" err="*smtp.plainAuth failed: unencrypted connection"`, 0},
		{"connect to mx.example.com[192.0.2.1]:250 failed", 0},
		{"session 42:451 dropped", 0},
	} {
		if got := ExplainReply(c.in).Code; got != c.code {
			t.Errorf("ExplainReply(%q).Code = %d, want %d", c.in, got, c.code)
		}
	}
}
