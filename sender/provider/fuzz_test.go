package provider

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseID checks that ParseID accepts exactly the IDs of All (in any
// case, with white space around them), refuses everything else with an
// *UnknownIDError of bounded length, and that ByHost never panics on the same
// input.
func FuzzParseID(f *testing.F) {
	for _, p := range All() {
		f.Add(string(p.ID))
		f.Add(" " + strings.ToUpper(string(p.ID)) + "\t")
	}
	for _, s := range []string{"", "postfix", "exim", "ses\x00", "gmail.com", "smtp.gmail.com:587", strings.Repeat("x", 5000), "ＳＥＳ"} {
		f.Add(s)
	}
	known := map[ID]bool{}
	for _, p := range All() {
		known[p.ID] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = ByHost(s)
		id, err := ParseID(s)
		if err == nil {
			if !known[id] {
				t.Fatalf("ParseID(%q) = %q, not a provider of All", s, id)
			}
			if !strings.EqualFold(strings.TrimSpace(s), string(id)) {
				t.Fatalf("ParseID(%q) = %q, which s does not name", s, id)
			}
			return
		}
		var u *UnknownIDError
		if !errors.As(err, &u) {
			t.Fatalf("ParseID(%q) error %T, want *UnknownIDError", s, err)
		}
		if msg := err.Error(); len(msg) > 512 || !utf8.ValidString(msg) {
			t.Fatalf("ParseID(%q) error message of %d bytes (valid UTF-8: %v)", s, len(msg), utf8.ValidString(msg))
		}
		if known[ID(strings.ToLower(strings.TrimSpace(s)))] {
			t.Fatalf("ParseID(%q) refused a known ID: %v", s, err)
		}
	})
}
