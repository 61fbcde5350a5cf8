package smtperr

import "testing"

// TestPairRecipientUnknown checks the pairs of words that say a recipient does
// not exist, on real replies of the collected set whose wording no phrase
// of the tables held when they were gathered, and on texts where the pair
// must not count.
func TestPairRecipientUnknown(t *testing.T) {
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
		cause, pair, _, _, ok := scanOf(tt.in).pair()
		if !ok || cause != CauseRecipientUnknown {
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

// TestPairSender checks the pairs that say the sender may not use an
// address, or that the address is not verified, on the texts providers
// document or users reported, and that an SPF result is not such a pair.
func TestPairSender(t *testing.T) {
	for _, tt := range []struct {
		in    string
		cause Cause // "" when no pair may be found
	}{
		{"550 Sender not allowed", CauseSenderNotAllowed},
		{"553 Sender is not allowed to relay emails", CauseSenderNotAllowed},
		{"SMTP connect failed / From email ID not verified error", CauseSenderNotVerified}, // github.com/PHPMailer/PHPMailer/issues/444
		{"553 From address not verified", CauseSenderNotVerified},
		{"550 5.7.1 SPF: sender not authorized", ""},
		{"550 sender ok; recipient not allowed", ""},
	} {
		cause, _, _, _, ok := scanOf(tt.in).pair()
		if !ok {
			cause = ""
		}
		if cause != tt.cause {
			t.Errorf("pair(%q) = %q, want %q", tt.in, cause, tt.cause)
		}
	}
}
