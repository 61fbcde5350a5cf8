package smtperr

import "math/bits"

// Evidence scoring. Every strong rule whose phrase occurs in the text, at
// word boundaries and not cancelled by a negation or a "pass" result,
// contributes to the cause it supports; the cause with the most evidence
// wins. A rule's weight grows with how specific it is: a provider's own
// text outweighs a generic phrase, a phrase of several words outweighs a
// single word, and a client library's wrapper text ("Invalid login:",
// "SMTP Error: Could not authenticate.") weighs least, so the server's own
// words inside it decide.

// Rule weights.
const (
	weightBuckets  = 64                // bands of generic rules
	weightProvider = weightBuckets + 2 // a provider's own text
	weightClient   = 0                 // a client's or reporting MTA's wrapper text
)

// maxCauses bounds the distinct causes one text can support; further
// causes are dropped (their evidence is weaker than the table order
// suggests anyway).
const maxCauses = 12

// tally is the evidence for one cause.
type tally struct {
	cause  Cause
	score  int
	best   *rule // the heaviest rule, earliest on ties
	weight int   // best's weight
	first  int   // table index of the earliest rule seen
	client bool  // every rule seen was a client wrapper
	// contested is set on the winner when another cause has evidence
	// about as specific (its best rule in the same or the next band).
	contested bool
}

// weigh returns the weight of rule i of a table of n rules. The tables
// are ordered from the most to the least specific, so a rule's position
// is its specificity: the table falls into weightBuckets bands, the first
// band weighing most. A provider's own text weighs more than any band and
// a wrapper's text least.
func weigh(r *rule, i, n int) int {
	switch {
	case r.client:
		return weightClient
	case r.prov != "":
		return weightProvider
	}
	return 1 + weightBuckets*(n-i-1)/n
}

// words counts the words of a pattern.
func words(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		w := s[i] != ' '
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// isWord reports whether b is part of a word for boundary checks: ASCII
// letters and digits. Bytes of multi-byte characters count as non-word,
// so scripts without spaces match anywhere.
func isWord(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9'
}

// suffixOK reports whether the word characters after a match at text[end:]
// are an inflection the pattern may take (greylist-ed, virus-es,
// throttl-ing), rather than another word (spam-mer, spam-cop).
func suffixOK(text []byte, end int) bool {
	n := 0
	for end+n < len(text) && isWord(text[end+n]) {
		n++
		if n > 3 {
			return false
		}
	}
	switch string(text[end : end+n]) {
	case "", "s", "es", "ed", "d", "ing", "e":
		return true
	}
	return false
}

// boundaryOK reports whether a match of pat at text[i:] starts and ends at
// word boundaries, where the pattern's own edge is a word character.
func boundaryOK(text []byte, i int, pat string) bool {
	if isWord(pat[0]) && i > 0 && isWord(text[i-1]) {
		return false
	}
	end := i + len(pat)
	if isWord(pat[len(pat)-1]) && end < len(text) && isWord(text[end]) {
		return suffixOK(text, end)
	}
	return true
}

// negated reports whether the word just before text[i:] negates it ("not
// spam"), or the words just after it report a pass ("dmarc=pass", "SPF:
// pass"). "No" and "without" do not negate: "no reverse DNS" and "without
// a DKIM signature" report a missing record, which is the failure itself.
func negated(text []byte, i int, pat string) bool {
	// Look back one word.
	j, seen := i, 0
	for j > 0 && seen < 1 {
		k := j - 1
		for k >= 0 && text[k] == ' ' {
			k--
		}
		e := k + 1
		for k >= 0 && isWord(text[k]) || k >= 0 && text[k] == '\'' {
			k--
		}
		w := string(text[k+1 : e])
		switch w {
		case "not", "never", "n't", "don't", "doesn't", "didn't", "isn't", "wasn't":
			return true
		}
		if w == "" || k >= 0 && text[k] != ' ' && text[k] != '-' {
			break
		}
		j = k + 1
		seen++
	}
	// Look ahead for a pass result.
	end := i + len(pat)
	for end < len(text) && (text[end] == ' ' || text[end] == '=' || text[end] == ':') {
		end++
	}
	if end+4 <= len(text) && string(text[end:end+4]) == "pass" && (end+4 == len(text) || !isWord(text[end+4]) || text[end+4] == 'e') {
		return true
	}
	return false
}

// senderSide reports whether the clause that ends with the match
// text[i:end] is about the sender (its address, its domain, its account)
// rather than a recipient: a sender word occurs after the last recipient
// word, within the clause. The match itself counts: in "your account is
// blocked" the sender word is part of it.
func (sc *scanner) senderSide(i, end int, p *plan) bool {
	// A text without any sender word has no clause about the sender.
	if sc.senders == 0 {
		sc.senders = -1
		for k, w := range senderWords {
			if g := &p.senderGrams[k]; sc.mayHave(g) && indexFrom(sc.text, w, int(g.key)) >= 0 {
				sc.senders = 1
				break
			}
		}
	}
	if sc.senders < 0 {
		return false
	}
	text := sc.text
	start := i - 80
	if start < 0 {
		start = 0
	}
	for k := i - 1; k >= start; k-- {
		if c := text[k]; c == '.' && (k+1 >= len(text) || text[k+1] == ' ') || c == ';' || c == '!' || c == '?' {
			start = k + 1
			break
		}
	}
	clause := text[start:end]
	s := lastOf(clause, senderWords[:])
	if s < 0 {
		return false
	}
	return s > lastOf(clause, recipientWords[:])
}

// senderWords and recipientWords name the side a clause is about.
var (
	senderWords    = [...]string{"sender", "from address", "from domain", "mail from", "envelope from", "your account", "your domain", "return-path", "return path", "from:", "sending domain", "sending address"}
	recipientWords = [...]string{"recipient", "rcpt", "mailbox", "addressee", "to:"}
)

// lastOf returns the position of the last occurrence of any of pats in b,
// or -1.
func lastOf(b []byte, pats []string) int {
	last := -1
	for _, p := range pats {
		for from := 0; ; {
			j := index(b[from:], p)
			if j < 0 {
				break
			}
			if from+j > last {
				last = from + j
			}
			from += j + 1
		}
	}
	return last
}

// toSender moves a recipient-side cause to its sender-side counterpart.
func toSender(c Cause) Cause {
	switch c {
	case CauseRecipientUnknown, CauseRecipientDomainUnknown, CauseRecipientNotAccepting:
		return CauseSenderAddressInvalid
	case CauseMailboxDisabled:
		return CauseAccountSuspended
	}
	return c
}

// evidence scores every rule of rules (table t) that occurs in the text and
// returns the winning cause's tally, or ok false when none occurs.
func (sc *scanner) evidence(rules []rule, t int, p *plan, c *cands) (win tally, ok bool) {
	var tal [maxCauses]tally
	n := 0
	base := p.base[t]
	add := func(r *rule, i int, cause Cause) {
		wt := int(p.info[base+i].weight)
		k := 0
		for k < n && tal[k].cause != cause {
			k++
		}
		if k == n {
			if n == maxCauses {
				return
			}
			tal[k] = tally{cause: cause, first: i, client: true}
			n++
		}
		tc := &tal[k]
		tc.score += wt
		tc.client = tc.client && r.client
		if tc.best == nil || wt > tc.weight {
			tc.best, tc.weight = r, wt
		}
	}
	off, nz := c.table(p, t, len(rules))
	prov := p.prov[off:]
	// A provider's own text outweighs every generic phrase: when one
	// occurs, only provider texts compete.
	for ws := nz; ws != 0; ws &= ws - 1 {
		w := bits.TrailingZeros64(ws)
		for m := c.w[off+w] & prov[w]; m != 0; {
			i := w<<6 | bits.TrailingZeros64(m)
			m &= m - 1
			if cause, found := sc.occursIn(&rules[i], t, i, p); found {
				add(&rules[i], i, cause)
			}
		}
	}
	if n == 0 {
		// Generic phrases weigh less the later they come in the table:
		// once one has occurred, the search stops at the first phrase
		// that could neither beat nor contest it.
		top := 0
	scan:
		for ws := nz; ws != 0; ws &= ws - 1 {
			w := bits.TrailingZeros64(ws)
			for m := c.w[off+w] &^ prov[w]; m != 0; {
				i := w<<6 | bits.TrailingZeros64(m)
				m &= m - 1
				r := &rules[i]
				wt := int(p.info[base+i].weight)
				if !r.client && wt+1 < top {
					break scan
				}
				cause, found := sc.occursIn(r, t, i, p)
				if !found {
					continue
				}
				add(r, i, cause)
				if !r.client && wt > top {
					top = wt
				}
			}
		}
	}
	if n == 0 {
		return tally{}, false
	}
	b := 0
	for k := 1; k < n; k++ {
		if beats(&tal[k], &tal[b]) {
			b = k
		}
	}
	win = tal[b]
	for k := 0; k < n; k++ {
		if k != b && !tal[k].client && tal[k].weight+1 >= win.weight {
			// Another cause has evidence about as specific.
			win.contested = true
		}
	}
	return win, true
}

// occurs reports whether rule i of table t occurs in the text at a word
// boundary, not negated, and the cause it supports there: its own, or the
// sender-side counterpart when the clause is about the sender.
func (sc *scanner) occurs(r *rule, t, i int, p *plan) (Cause, bool) {
	if !sc.mayHave(&p.grams[p.base[t]+i]) {
		return "", false
	}
	return sc.occursIn(r, t, i, p)
}

// occursIn is occurs for a candidate: a rule whose trigrams all occur in
// the text.
func (sc *scanner) occursIn(r *rule, t, i int, p *plan) (Cause, bool) {
	if r.and != "" && !sc.has(p.ands[t][i]) {
		return "", false
	}
	g := p.base[t] + i
	pat, text, info := p.pats[t][i], sc.text, &p.info[g]
	key := int(p.grams[g].key)
	for from := 0; from < len(text); {
		j := indexFrom(text[from:], pat, key)
		if j < 0 {
			break
		}
		at := from + j
		from = at + 1
		if r.prov == "" && !boundaryOK(text, at, pat) {
			continue
		}
		if r.prov == "" && info.short && negated(text, at, pat) {
			continue
		}
		if r.prov == "" && info.sided && sc.senderSide(at, at+len(pat), p) {
			return toSender(r.cause), true
		}
		return r.cause, true
	}
	return "", false
}

// beats reports whether tally a wins over b: the heavier single rule wins,
// then the larger total, then the earlier rule in the table.
func beats(a, b *tally) bool {
	if a.weight != b.weight {
		return a.weight > b.weight
	}
	if a.score != b.score {
		return a.score > b.score
	}
	return a.first < b.first
}
