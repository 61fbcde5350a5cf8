package bounce

import (
	"strings"
	"testing"
)

func TestSplitMbox(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want []string
	}{
		{"no envelope", "Subject: a\n\nbody\n", []string{"Subject: a\n\nbody\n"}},
		{"one email", "From a@b Thu Jan  1 00:00:00 2026\nSubject: a\n\nbody\n", []string{"From a@b Thu Jan  1 00:00:00 2026\nSubject: a\n\nbody\n"}},
		{"two emails", "From a Mon\nSubject: 1\n\none\n>From here\n\nFrom b Tue\nSubject: 2\n\ntwo\n",
			[]string{"From a Mon\nSubject: 1\n\none\nFrom here\n\n", "From b Tue\nSubject: 2\n\ntwo\n"}},
		{"from inside a paragraph", "From a Mon\nSubject: 1\n\none\nFrom the start\n\nFrom b Tue\nSubject: 2\n\n",
			[]string{"From a Mon\nSubject: 1\n\none\nFrom the start\n\n", "From b Tue\nSubject: 2\n\n"}},
		{"envelope without blank line", "From a Mon\nSubject: 1\n\n--b--\nFrom x@y  Thu Jul  2 12:05:05 2020\nSubject: 2\n\n",
			[]string{"From a Mon\nSubject: 1\n\n--b--\n", "From x@y  Thu Jul  2 12:05:05 2020\nSubject: 2\n\n"}},
		{"crlf", "From a Mon\r\nSubject: 1\r\n\r\none\r\n\r\nFrom b Tue\r\nSubject: 2\r\n\r\n",
			[]string{"From a Mon\r\nSubject: 1\r\n\r\none\r\n\r\n", "From b Tue\r\nSubject: 2\r\n\r\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := SplitMbox([]byte(tc.in))
			var gs []string
			for _, g := range got {
				gs = append(gs, string(g))
			}
			if strings.Join(gs, "|") != strings.Join(tc.want, "|") {
				t.Errorf("SplitMbox(%q) = %q, want %q", tc.in, gs, tc.want)
			}
		})
	}
}
