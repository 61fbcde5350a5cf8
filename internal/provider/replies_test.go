package provider

import (
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/sender/provider"
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
		if provider.Name(m.ID) == string(m.ID) && m.ID != Qmail {
			t.Errorf("marker %q: ID %q has no name", m.Text, m.ID)
		}
		// Service markers come first, so the first match is the best.
		if software && !m.Software {
			t.Errorf("service marker %q after software markers", m.Text)
		}
		software = software || m.Software
	}
}
