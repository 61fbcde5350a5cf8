package smtperr

import "testing"

// TestAbsentRecipient checks the pairs of words that say a recipient does
// not exist, on real replies of the collected set whose wording no phrase
// of the tables held when they were gathered, and on texts where the pair
// must not count.
func TestAbsentRecipient(t *testing.T) {
	for _, tt := range []struct {
		in   string
		pair string // "" when no pair may be found
	}{
		// Real replies (testdata/replies-collected.tsv).
		{"553 sorry, badrcptto(user mail-box not found) (#5.7.1)", "mail-box … not found"},
		{"<***@163>……User ***@163 is not found in Server .", "user … not found"},
		{"550 5.2.0 No such mailbox", "no such … mailbox"},
		{"550 Recipient does not exist here", "recipient … does not exist"},
		{"user not known", "user … not known"},
		{"503 Rcptto account isn't a local account", "account … isn't a local"},
		{"550-<recipient@example.net> is not a known user on this system", "not a known … user"},
		// Not about a recipient.
		{"535 5.7.8 Error: authentication failed: unknown user", ""},
		{"SMTP error, DATA:554 One or more of the sender or recipients in your email are invalid and not accepted.", ""},
		{"5.1.0 - Unknown address error", ""},
		{"550 The user you are trying to contact does not exist", ""}, // too far apart
		{"550 user ok. unknown host", ""},                             // another clause
	} {
		pair, _, ok := scanOf(tt.in).absentRecipient()
		if !ok {
			pair = ""
		}
		if pair != tt.pair {
			t.Errorf("absentRecipient(%q) = %q, want %q", tt.in, pair, tt.pair)
		}
	}
	// A pair decides with at most medium confidence.
	e := ExplainReply("550 The mailbox you addressed is not found here")
	if e.Cause != CauseRecipientUnknown || e.Confidence == ConfidenceHigh {
		t.Errorf("pair: got %s/%s, want recipient_unknown below high", e.Cause.String(), e.Confidence)
	}
}
