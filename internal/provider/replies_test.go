package provider

import (
	"strings"
	"testing"
)

func TestReplyMarkers(t *testing.T) {
	seen := map[string]bool{}
	software := false
	for i := 0; i < NumReplyMarkers(); i++ {
		m := ReplyMarkerAt(i)
		if m.Text == "" || strings.ToLower(m.Text) != m.Text || len(m.Text) < 3 {
			t.Errorf("marker %q: must be lower case and at least 3 bytes", m.Text)
		}
		if seen[m.Text] {
			t.Errorf("marker %q listed twice", m.Text)
		}
		seen[m.Text] = true
		if _, ok := Get(m.ID); !ok && Name(m.ID) == string(m.ID) && m.ID != Qmail {
			t.Errorf("marker %q: ID %q has no name", m.Text, m.ID)
		}
		// Service markers come first, so the first match is the best.
		if software && !m.Software {
			t.Errorf("service marker %q after software markers", m.Text)
		}
		software = software || m.Software
	}
}

func TestName(t *testing.T) {
	for id, want := range map[ID]string{Gmail: "Gmail", Postfix: "Postfix", Exchange: "Microsoft Exchange", Barracuda: "Barracuda", "other": "other"} {
		if got := Name(id); got != want {
			t.Errorf("Name(%q) = %q, want %q", id, got, want)
		}
	}
	for _, id := range []ID{Postfix, Exim, Sendmail, Qmail, Exchange, Proofpoint, Mimecast, Barracuda} {
		if _, ok := Get(id); ok {
			t.Errorf("%q is in the SMTP provider table; mail software IDs must not be", id)
		}
	}
}
