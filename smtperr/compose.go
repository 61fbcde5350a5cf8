package smtperr

// Replies say "the recipient does not exist" in more wordings than any
// table holds: "no such mailbox", "user not known", "User xyz is not found
// in Server", "address unknown". When no phrase of the tables decided, a
// word naming a mailbox's owner or address and, close to it in the same
// clause, a word saying it does not exist, are together evidence that the
// recipient is unknown. The pair is weaker than a phrase: it decides with
// at most medium confidence, and never in a text about signing in, where
// "unknown user" is a wrong user name.

// mailboxNouns name a mailbox, its owner or its address.
var mailboxNouns = [...]string{
	"user", "recipient", "mailbox", "mail-box", "mail box", "account",
	"address", "adress", "addressee", "local part", "username", "rcpt",
}

// absentWords say that something does not exist.
var absentWords = [...]string{
	"unknown", "not known", "not found", "does not exist", "doesn't exist",
	"do not exist", "not exist", "no such", "nonexistent", "non-existent",
	"not a known", "not a local", "isn't a local", "is not local",
	"invalid", "not valid",
}

// signInWords mark a text about signing in, where an unknown user is a
// wrong user name.
var signInWords = [...]string{"auth", "login", "log in", "password", "credential", "sign in", "logon"}

// pairWindow is the most bytes between the end of one word of a pair and
// the start of the other.
const pairWindow = 24

// absentRecipient looks for a mailbox word and an absence word near each
// other in one clause. It returns the pair as "noun … word" in the text's
// order, the end of the pair in the text, and whether one was found.
func (sc *scanner) absentRecipient() (string, int, bool) {
	text := sc.text
	for _, w := range signInWords {
		if index(text, w) >= 0 {
			return "", 0, false
		}
	}
	for _, a := range absentWords {
		for from := 0; from < len(text); {
			j := index(text[from:], a)
			if j < 0 {
				break
			}
			at := from + j
			from = at + 1
			if !boundaryOK(text, at, a) {
				continue
			}
			if n, nend, before, ok := nearNoun(text, at, at+len(a)); ok && !ambiguous(text, min(at, nend-len(n)), max(at+len(a), nend)) {
				if before {
					return n + " … " + a, at + len(a), true
				}
				return a + " … " + n, nend, true
			}
		}
	}
	return "", 0, false
}

// nearNoun finds a mailbox noun within pairWindow bytes before text[i:] or
// after text[:end], with no clause break between. It reports the noun, the
// end of the noun in the text and whether the noun comes first.
func nearNoun(text []byte, i, end int) (string, int, bool, bool) {
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
	for _, n := range mailboxNouns {
		for from := lo; from < hi; {
			j := index(text[from:hi], n)
			if j < 0 {
				break
			}
			at := from + j
			from = at + 1
			if !boundaryOK(text, at, n) {
				continue
			}
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
	for _, w := range senderWords {
		if index(text[lo:hi], w) >= 0 {
			return true
		}
	}
	return false
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
