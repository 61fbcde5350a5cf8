package smtperr

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestMessageTruncationBoundary checks the message bound when the text
// reaches it exactly and more follows after white space, in every way the
// cleaner copies text (ASCII runs, other runes, after a line break).
func TestMessageTruncationBoundary(t *testing.T) {
	full := strings.Repeat("a", maxMessageBytes)
	for _, in := range []string{
		"550 " + full + " b",
		"550 " + full + " é",
		"550 " + full + "\t\u200bb",
		"550-" + full + "\n550 more",
		"550 " + full[:maxMessageBytes-1] + " bc",
		"550 " + strings.Repeat("é", maxMessageBytes/2) + " b",
	} {
		e := ExplainReply(in)
		if !utf8.ValidString(e.Message) || len(e.Message) > maxMessageBytes+len("…") {
			t.Errorf("message of %d bytes (valid UTF-8 %v) for a %d-byte reply", len(e.Message), utf8.ValidString(e.Message), len(in))
		}
		if !strings.HasSuffix(e.Message, "…") {
			t.Errorf("truncated message does not end with an ellipsis: ...%q", e.Message[max(0, len(e.Message)-10):])
		}
	}
}
