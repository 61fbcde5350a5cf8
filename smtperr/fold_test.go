package smtperr

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// foldBoth folds prefix, a space and message(body) once with add alone and
// once with addPlain for the message, as explain does, and reports whether
// the texts and trigram sets differ.
func foldBoth(prefix, body string, code int, enh EnhancedCode) (differ bool, text string) {
	msg := message(body, code, enh)
	var bufA, bufB [stackScan]byte
	var a, b scanner
	fa := folder{dst: bufA[:], grams: &a.grams}
	fa.add(prefix)
	fa.add(" ")
	fa.add(msg)
	fb := folder{dst: bufB[:], grams: &b.grams}
	fb.add(prefix)
	fb.add(" ")
	fb.addPlain(msg)
	return !bytes.Equal(bufA[:fa.n], bufB[:fb.n]) || a.grams != b.grams, string(bufA[:fa.n])
}

// TestAddPlainFoldsMessages checks that addPlain folds the output of
// message exactly as add does, over the corpora and awkward white space.
func TestAddPlainFoldsMessages(t *testing.T) {
	in := []string{
		"", " ", "a", "  a  b\t\tc \r\n d ", "\x00\x01 x \x7f y", "550-5.7.1 one\r\n550 5.7.1 two",
		"caf\xc3\xa9  na\xefve\u00a0x\u2028y", "\t\tlead", "trail \t",
	}
	in = append(in, corpusReplies(t)...)
	for _, s := range in {
		h := parseHead(s)
		if differ, text := foldBoth(h.prefix, h.body, h.code, h.enh); differ {
			t.Errorf("%q: addPlain folds the message differently from add (%q)", s, text)
		}
	}
}

// FuzzAddPlain checks that addPlain folds the output of message exactly as
// add does, for any reply.
func FuzzAddPlain(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		h := parseHead(s)
		if differ, text := foldBoth(h.prefix, h.body, h.code, h.enh); differ {
			t.Errorf("%q: addPlain folds the message differently from add (%q)", s, text)
		}
	})
}

func TestFoldUnicode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Échec de l’authentification", "echec de l'authentification"},
		{"ＳＰＡＭ", "spam"},
		{"Größe", "grosse"},
		{"Nachricht ist zu groß", "nachricht ist zu gross"}, // ß alone folds as it does beside other letters
		{"ПОЛЬЗОВАТЕЛЬ НЕ НАЙДЕН", "пользователь не наиден"},
		{"用户不存在", "用户不存在"},
		{"plain ascii", "plain ascii"},
		{"bad \xff byte", "bad \ufffd byte"},
		{"Erreur SMTP\u202f:", "erreur smtp :"},
	}
	for _, tt := range tests {
		if got := foldUnicode(tt.in); got != tt.want {
			t.Errorf("foldUnicode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// foldTextAs returns what addFolded adds for s: the folding foldText made,
// with ASCII lower-cased as the scanner does, and whether foldText could
// fold s at all.
func foldTextAs(s string) (string, bool) {
	b, raw, ok := foldText(nil, s)
	switch {
	case !ok:
		return "", false
	case raw:
		return asciiLower(s), true
	}
	return asciiLower(string(b)), true
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// checkFoldText reports a text that foldText folds, but not as
// foldUnicode does.
func checkFoldText(t *testing.T, s string) bool {
	t.Helper()
	got, ok := foldTextAs(s)
	if !ok {
		return false
	}
	if want := asciiLower(foldUnicode(s)); got != want {
		t.Errorf("foldText(%q) = %q, foldUnicode gives %q", s, got, want)
	}
	return true
}

// foldPool holds characters that fold alone and characters that do not:
// ASCII, accented and special Latin letters, Greek, Cyrillic, CJK, kana
// and half-width kana with their sound marks, full-width forms, Hangul
// syllables, compatibility and conjoining jamo, combining marks, Bengali
// vowel signs that compose, ligatures, apostrophes, odd spaces, the
// replacement character and an invalid byte.
var foldPool = []string{
	"a", "Z", " ", "'", "5", ".", "<", "=", "\t",
	"é", "É", "ß", "ẞ", "Ä", "ǅ", "İ", "ı", "ŉ", "Å", "K", "Å", "ﬁ", "ﬅ",
	"ς", "Σ", "ΐ", "ϒ", "Й", "й", "Ё", "Ѷ", "用", "户", "，", "：", "Ｓ", "ｓ",
	"ガ", "カ", "ｶ", "ﾞ", "ﾟ", "\u3099", "가", "각", "힣", "ㄱ", "ㅏ", "ㄳ",
	"\u1100", "\u1161", "\u11a8", "\u0301", "\u0308", "\u0338", "\u034f",
	"\u09c7", "\u09be", "\u0b47", "\u0b3e", "’", "‘", "ʼ", "′", "\u00a0",
	"\u202f", "\u2028", "\ufffd", "\xff", "ﷺ", "㈜", "①", "⑴", "㎏", "½",
}

// TestFoldText checks that foldText folds as foldUnicode does: the
// corpora, texts mixed at random from foldPool, and pairs of every
// character of the Basic Multilingual Plane that folds alone with its
// neighbours in the plane.
func TestFoldText(t *testing.T) {
	fast := 0
	for _, s := range corpusReplies(t) {
		h := parseHead(s)
		for _, part := range []string{h.prefix, message(h.body, h.code, h.enh)} {
			if checkFoldText(t, part) && hasNonASCII(part) {
				fast++
			}
		}
	}
	if fast == 0 {
		t.Error("foldText folds no text of the corpora")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	fast = 0
	const n = 20000
	for range n {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(foldPool[rng.IntN(len(foldPool))])
		}
		if checkFoldText(t, b.String()) {
			fast++
		}
	}
	if fast < n/20 {
		t.Errorf("foldText folds %d of %d mixed texts", fast, n)
	}
	var alone []rune
	for r := rune(0x80); r < 0x10000; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		e := runeFolding(r)
		if e.r != r || e.needs != needsFold(string(r)) {
			t.Fatalf("runeFolding(%U) = %+v", r, e)
		}
		if e.alone {
			alone = append(alone, r)
		}
		if isPlainCJK(r) && (e.needs || !e.alone || e.folded != string(r)) {
			t.Errorf("%U is taken as plain CJK, but folds as %+v", r, e)
		}
	}
	if testing.Short() {
		alone = alone[:len(alone)/16]
	}
	for i, r := range alone {
		checkFoldText(t, string(r)+string(alone[(i+1)%len(alone)])+"A"+string(r)+string(alone[(i*7919)%len(alone)]))
	}
	t.Logf("%d characters fold alone; %d of %d mixed texts fold fast", len(alone), fast, n)
}

// FuzzFoldText checks that foldText folds any text as foldUnicode does.
func FuzzFoldText(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range foldPool {
		f.Add(s + "x" + s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkFoldText(t, s)
	})
}

func TestHasNonASCII(t *testing.T) {
	for _, s := range []string{"", "a", "abcdefgh", "abcdefghi", "é", "abcdefgé", "abcdefghé", "\x80abcdefgh", "abcdefgh\xff"} {
		want := false
		for i := 0; i < len(s); i++ {
			want = want || s[i] >= 0x80
		}
		if got := hasNonASCII(s); got != want {
			t.Errorf("hasNonASCII(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestFoldRoom checks that a reply whose normalized text grows past the
// stack buffer for ASCII (U+FDFA folds to 18 characters) keeps the room
// it has always had, so a phrase after the growth still counts.
func TestFoldRoom(t *testing.T) {
	s := "550 " + strings.Repeat("\ufdfa", 50) + " mailbox full"
	if n := len(foldUnicode(s)); n <= stackScan || n > foldScan {
		t.Fatalf("folded text of %d bytes, want between %d and %d", n, stackScan, foldScan)
	}
	if e := ExplainReply(s); e.Cause != CauseMailboxFull {
		t.Errorf("ExplainReply = %v, want %v", e.Cause, CauseMailboxFull)
	}
}
