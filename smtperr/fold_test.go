package smtperr

import (
	"bytes"
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
