package smtperr

import "sync"

// Replies say "the recipient does not exist" in more wordings than any
// table holds: "no such mailbox", "user not known", "User xyz is not found
// in Server", "address unknown"; and "the sender is not allowed" or "the
// From address is not verified" in as many. When no phrase of the tables
// decided, a word naming the party and, close to it in the same clause, a
// word saying what is wrong with it, are together evidence of the cause.
// A pair is weaker than a phrase: it decides with at most medium
// confidence.

// pairFamily is a cause that a pair of words shows: a noun naming the
// party and a predicate saying what is wrong with it, in either order.
type pairFamily struct {
	cause Cause
	nouns []string
	preds []string
	// skip are words that, anywhere in the text, make the pair mean
	// something else.
	skip []string
	// sided says the pair is about a recipient, and moves to the
	// sender's side when the words around it name the sender.
	sided bool
}

// pairFamilies are tried in order; the first pair found decides.
var pairFamilies = [...]pairFamily{
	{
		cause: CauseRecipientUnknown,
		nouns: []string{"user", "recipient", "mailbox", "mail-box", "mail box", "account",
			"address", "adress", "addressee", "local part", "username", "rcpt"},
		preds: []string{"unknown", "not known", "not found", "does not exist", "doesn't exist",
			"do not exist", "not exist", "no such", "nonexistent", "non-existent",
			"not a known", "not a local", "isn't a local", "is not local", "invalid", "not valid"},
		// In a text about signing in, an unknown user is a wrong user
		// name.
		skip:  []string{"auth", "login", "log in", "password", "credential", "sign in", "logon"},
		sided: true,
	},
	{
		cause: CauseSenderNotAllowed,
		nouns: []string{"sender", "from address", "envelope from", "mail from"},
		preds: []string{"not allowed", "not permitted", "not authorized", "not authorised",
			"unauthorized", "unauthorised"},
		// An SPF result says which hosts may send, not which addresses
		// an account may use.
		skip: []string{"spf"},
	},
	{
		cause: CauseSenderNotVerified,
		nouns: []string{"sender", "from address", "from email", "email id", "sender identity"},
		preds: []string{"not verified", "unverified", "not been verified", "not confirmed"},
	},
}

// pairGrams holds the trigram sets of each family's predicates, in the
// order of pairFamilies and their preds, so that a predicate absent from
// the text costs a few bit tests.
var pairGrams = sync.OnceValue(func() [][]gramSet {
	out := make([][]gramSet, len(pairFamilies))
	for k := range pairFamilies {
		for _, a := range pairFamilies[k].preds {
			out[k] = append(out[k], gramsOf(a, nil))
		}
	}
	return out
})

// pair looks for the first pair of words of a family near each other in
// one clause. It returns the family's cause, the pair as "noun … word" in
// the text's order, the end of the pair in the text, whether the family is
// about a recipient, and whether a pair was found.
func (sc *scanner) pair() (Cause, string, int, bool, bool) {
	text := sc.text
	grams := pairGrams()
families:
	for k := range pairFamilies {
		f := &pairFamilies[k]
		for _, w := range f.skip {
			if index(text, w) >= 0 {
				continue families
			}
		}
		for m, a := range f.preds {
			if !sc.mayHave(&grams[k][m]) {
				continue
			}
			for at := wordAt(text, a, 0, len(text)); at >= 0; at = wordAt(text, a, at+1, len(text)) {
				n, nend, before, ok := nearNoun(text, f.nouns, at, at+len(a))
				if !ok || f.sided && ambiguous(text, min(at, nend-len(n)), max(at+len(a), nend)) {
					continue
				}
				if before {
					return f.cause, n + " … " + a, at + len(a), f.sided, true
				}
				return f.cause, a + " … " + n, nend, f.sided, true
			}
		}
	}
	return "", "", 0, false, false
}

// pairWindow is the most bytes between the end of one word of a pair and
// the start of the other.
const pairWindow = 24

// nearNoun finds one of nouns within pairWindow bytes before text[i:] or
// after text[:end], with no clause break between. It reports the noun, the
// end of the noun in the text and whether the noun comes first.
func nearNoun(text []byte, nouns []string, i, end int) (string, int, bool, bool) {
	lo := max(i-pairWindow-12, 0)
	for k := i - 1; k >= lo; k-- {
		if clauseBreak(text, k) {
			lo = k + 1
			break
		}
	}
	hi := min(end+pairWindow+12, len(text))
	for k := end; k < hi; k++ {
		if clauseBreak(text, k) {
			hi = k
			break
		}
	}
	best, bestEnd, bestBefore, found, dist := "", 0, false, false, len(text)
	for _, n := range nouns {
		for at := wordAt(text, n, lo, hi); at >= 0; at = wordAt(text, n, at+1, hi) {
			switch {
			case at+len(n) <= i && i-(at+len(n)) <= pairWindow && i-(at+len(n)) < dist:
				best, bestEnd, bestBefore, found, dist = n, at+len(n), true, true, i-(at+len(n))
			case at >= end && at-end <= pairWindow && at-end < dist:
				best, bestEnd, bestBefore, found, dist = n, at+len(n), false, true, at-end
			}
		}
	}
	return best, bestEnd, bestBefore, found
}

// ambiguous reports whether the pair at text[i:end] may not be about a
// recipient: the words around it also name the sender ("the sender or
// recipients are invalid"), or the pair only names a kind of error
// ("Unknown address error").
func ambiguous(text []byte, i, end int) bool {
	if end+6 <= len(text) && string(text[end:end+6]) == " error" {
		return true
	}
	lo, hi := max(i-40, 0), min(end+40, len(text))
	return lastOf(text[lo:hi], senderWords[:]) >= 0
}

// wordAt returns the first position from from on where w occurs within
// text[:hi] at word boundaries, or -1.
func wordAt(text []byte, w string, from, hi int) int {
	for from < hi {
		j := index(text[from:hi], w)
		if j < 0 {
			return -1
		}
		at := from + j
		if boundaryOK(text, at, w) {
			return at
		}
		from = at + 1
	}
	return -1
}

// clauseBreak reports whether text[k] ends a clause: a full stop before a
// space or the end, a semicolon, a colon, or a question or exclamation
// mark.
func clauseBreak(text []byte, k int) bool {
	switch text[k] {
	case ';', ':', '!', '?':
		return true
	case '.':
		return k+1 >= len(text) || text[k+1] == ' '
	}
	return false
}
