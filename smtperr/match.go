package smtperr

import (
	"bytes"
	"math/bits"
	"sync"

	markers "github.com/sendcheck/sendcheck/internal/provider"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Matching works on a lower-cased copy of the reply with white space runs
// collapsed, held in a buffer on the caller's stack for replies up to
// stackScan bytes. An 8192-bit set of the text's byte triples (trigrams) is
// filled in the same pass; a pattern is searched only when four of its
// trigrams (its two rarest, its first and its last) are all present, which
// rules out almost every pattern of the tables for the price of a few bit
// tests.

// gramBits is the width of a trigram hash; the text's trigram set has
// 1<<gramBits bits in gramWords words.
const (
	gramBits  = 13
	gramWords = 1 << gramBits / 64
)

// stackScan is the size of the on-stack scan buffer for ASCII text, and
// foldScan that for text outside ASCII, which normalization may lengthen
// (and for ASCII text too long for the first); maxScan bounds the scanned
// text for longer replies.
const (
	stackScan = 1024
	foldScan  = 2048
	maxScan   = 16 << 10
)

// scanner is the lower-cased text and its trigram set.
type scanner struct {
	text  []byte
	grams [gramWords]uint64
	// senders is 1 when the text holds a sender word (senderWords), -1
	// when it holds none, 0 before senderSide first looked.
	senders int8
}

// trigram hashes three bytes to gramBits bits.
func trigram(a, b, c byte) uint32 {
	return (uint32(a)<<16 | uint32(b)<<8 | uint32(c)) * 2654435761 >> (32 - gramBits)
}

// folder writes text lower-cased into dst, with white space and control
// bytes collapsed to single spaces, and records its trigrams in grams.
type folder struct {
	dst   []byte
	n     int
	v     uint32 // the last two bytes written, for the next trigram
	grams *[gramWords]uint64
}

// add folds s into f.dst, stopping when dst is full.
func (f *folder) add(s string) { addText(f, s) }

// addText is add for a string or a byte slice.
func addText[T string | []byte](f *folder, s T) {
	dst, n, v, grams := f.dst, f.n, f.v, f.grams
	if len(s) > len(dst)-n {
		s = s[:len(dst)-n]
	}
	gs := grams[:]
	_ = gs[gramWords-1]
	for i := 0; i < len(s); i++ {
		c := foldMap[s[i]]
		if c == ' ' && (n == 0 || byte(v) == ' ') {
			continue
		}
		v = v<<8 | uint32(c)
		h := (v & 0xffffff) * 2654435761 >> (32 - gramBits)
		gs[h>>6] |= 1 << (h & 63)
		dst[n] = c
		n++
	}
	f.n, f.v = n, v
}

// addPlain is add for text that has no run to collapse: every byte of s
// that folds to a space is a single ' ' between two bytes that do not, as
// in the output of message. It folds s as add would after a space, without
// the test for a run, whose outcome is hard to predict.
func (f *folder) addPlain(s string) {
	dst, n, v, grams := f.dst, f.n, f.v, f.grams
	if len(s) > len(dst)-n {
		s = s[:len(dst)-n]
	}
	d := dst[n : n+len(s)]
	s = s[:len(d)]
	gs := grams[:]
	_ = gs[gramWords-1]
	for i := range d {
		c := foldMap[s[i]]
		v = v<<8 | uint32(c)
		h := (v & 0xffffff) * 2654435761 >> (32 - gramBits)
		gs[h>>6] |= 1 << (h & 63)
		d[i] = c
	}
	f.n, f.v = n+len(d), v
}

// foldMap maps each byte to its folded form: ASCII upper case to lower
// case, white space and control bytes to a space, others to themselves.
const foldMap = "" +
	"\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20" +
	"\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20" +
	"\x20\x21\x22\x23\x24\x25\x26\x27\x28\x29\x2a\x2b\x2c\x2d\x2e\x2f" +
	"\x30\x31\x32\x33\x34\x35\x36\x37\x38\x39\x3a\x3b\x3c\x3d\x3e\x3f" +
	"\x40\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f" +
	"\x70\x71\x72\x73\x74\x75\x76\x77\x78\x79\x7a\x5b\x5c\x5d\x5e\x5f" +
	"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f" +
	"\x70\x71\x72\x73\x74\x75\x76\x77\x78\x79\x7a\x7b\x7c\x7d\x7e\x20" +
	"\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f" +
	"\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f" +
	"\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf" +
	"\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xbb\xbc\xbd\xbe\xbf" +
	"\xc0\xc1\xc2\xc3\xc4\xc5\xc6\xc7\xc8\xc9\xca\xcb\xcc\xcd\xce\xcf" +
	"\xd0\xd1\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xdb\xdc\xdd\xde\xdf" +
	"\xe0\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\xec\xed\xee\xef" +
	"\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xff"

// elideAddresses removes the email addresses from folded text, in place,
// with the brackets or quotes around them and one space of those beside
// them, and records the trigrams the joined text gains in grams. Phrases
// then match across an address ("user <a@example.com> unknown" reads as
// "user unknown"), and an address never looks like the server's words: a
// provider's domain inside it names no provider, a word inside it is no
// evidence.
func elideAddresses(text []byte, grams *[gramWords]uint64) []byte {
	at := bytes.IndexByte(text, '@')
	if at < 0 {
		return text
	}
	w, r := 0, 0 // text[:w] is the output; text[r:] is still to read
	for at >= 0 {
		i := r + at
		s := i
		for s > r && localByte(text[s-1]) {
			s--
		}
		e := i + 1
		for e < len(text) && domainByte(text[e]) {
			e++
		}
		for e > i+1 && text[e-1] == '.' {
			e--
		}
		if s == i || e == i+1 {
			// A lone "@": no address.
			w += copy(text[w:], text[r:i+1])
			r = i + 1
			at = bytes.IndexByte(text[r:], '@')
			continue
		}
		if s > r && e < len(text) && encloses(text[s-1], text[e]) {
			s--
			e++
		}
		w += copy(text[w:], text[r:s])
		if e < len(text) && text[e] == ' ' && (w == 0 || text[w-1] == ' ') {
			e++
		}
		r = e
		// The bytes now side by side make new trigrams.
		if w > 0 && r < len(text) {
			if w > 1 {
				addGram(grams, text[w-2], text[w-1], text[r])
			}
			if r+1 < len(text) {
				addGram(grams, text[w-1], text[r], text[r+1])
			}
		}
		at = bytes.IndexByte(text[r:], '@')
	}
	w += copy(text[w:], text[r:])
	return text[:w]
}

// addGram records the trigram a, b, c in grams.
func addGram(grams *[gramWords]uint64, a, b, c byte) {
	h := trigram(a, b, c)
	grams[h>>6] |= 1 << (h & 63)
}

// localByte reports whether c may be part of the local part of an address
// in folded text.
func localByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c >= 0x80:
		return true
	}
	switch c {
	case '.', '_', '-', '+', '=', '!', '#', '$', '%', '&', '*', '/', '?', '^', '`', '{', '|', '}', '~':
		return true
	}
	return false
}

// domainByte reports whether c may be part of the domain of an address in
// folded text.
func domainByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c >= 0x80
}

// encloses reports whether open and close are the brackets or quotes
// around an address.
func encloses(open, close byte) bool {
	switch open {
	case '<':
		return close == '>'
	case '[':
		return close == ']'
	case '(':
		return close == ')'
	case '"', '\'':
		return close == open
	}
	return false
}

// gramSet is four trigram hashes of a pattern that mayHave tests, and the
// offset of its rarest-looking byte, where the search for the pattern
// starts.
type gramSet struct {
	h   [4]uint16
	key uint16
}

// gramsOf returns four trigram hashes of pat: first the rarest-looking
// trigram (the index key), then the next rarest, then those at its start
// and end, and the offset of its rarest byte in English. A trigram looks rare when few table patterns hold it (uses counts, per
// trigram, the patterns holding it), and among those, when its bytes are
// rare in English. Patterns shorter than three bytes get none; every table
// pattern is at least three bytes long, which a test checks.
func gramsOf(pat string, uses map[string]int) gramSet {
	var g gramSet
	n := len(pat)
	if n < 3 {
		return g
	}
	score := func(i int) int {
		return uses[pat[i:i+3]]*100 + commonness(pat[i]) + commonness(pat[i+1]) + commonness(pat[i+2])
	}
	key, next := 0, -1 // the rarest trigram and the next rarest elsewhere
	for i := 1; i+3 <= n; i++ {
		switch {
		case score(i) < score(key):
			key, next = i, key
		case next < 0 || score(i) < score(next):
			next = i
		}
	}
	if next < 0 {
		next = key
	}
	for k, i := range [4]int{key, next, 0, n - 3} {
		g.h[k] = uint16(trigram(pat[i], pat[i+1], pat[i+2]))
	}
	// The search starts at the pattern's rarest byte.
	rare := 0
	for i := 1; i < n; i++ {
		if commonness(pat[i]) < commonness(pat[rare]) {
			rare = i
		}
	}
	g.key = uint16(rare)
	return g
}

// commonness scores how common a byte is in English reply text: lower is
// rarer. Letters follow their usual frequency order; space and a few
// punctuation bytes are the most common, digits and other bytes rare.
func commonness(c byte) int {
	const order = " etaoinsrhldcumfpgwybvkxjqz"
	for i := 0; i < len(order); i++ {
		if order[i] == c {
			return 30 - i
		}
	}
	switch c {
	case '.', ',', ':', '-':
		return 25
	}
	return 0
}

// Table numbers.
const (
	tabStrong = iota
	tabWeak
	tabMarkers
	tabContext
	numTabs
)

// plan holds the trigram hashes of every table pattern, parallel to the
// tables, and an index from the hash of each pattern's first trigram to the
// patterns that start with it. Matching intersects the text's trigram set
// with the set of first trigrams, which leaves a handful of candidate
// patterns; only those are tested further.
//
// The patterns of all tables are numbered in one sequence, table after
// table, each table starting at a multiple of 64 (base): pattern i of
// table t is number base[t]+i.
type plan struct {
	base [numTabs + 1]int
	// grams and info are by pattern number.
	grams []gramSet
	info  []patInfo
	// pats and ands are the folded patterns of each table (see fold.go);
	// ands holds the rules' second patterns.
	pats, ands [numTabs][]string
	// prov marks the rules that carry a provider, by pattern number.
	prov [maxCands / 64]uint64
	// first is the set of first-trigram hashes of all patterns.
	first [gramWords]uint64
	// rank, start and ids index patterns by first-trigram hash. A hash h
	// in first is the k-th of the set, k = rank[h/64] plus the hashes
	// of word h/64 below h; the patterns with hash h are
	// ids[start[k]:start[k+1]], in number order. heads[k] is
	// ids[start[k]], marked moreRefs when more follow.
	rank  [gramWords]uint16
	start []uint16
	ids   []patRef
	heads []patRef
	// senderGrams are the trigram hashes of senderWords.
	senderGrams [len(senderWords)]gramSet
}

// patRef is a pattern's number and the hashes of its trigrams other than
// the first (gramSet.h[1:]), which candidates tests.
type patRef struct{ g, h1, h2, h3 uint16 }

// moreRefs marks a bucket's head when the bucket holds more patterns;
// lastRef marks the last pattern of each bucket in ids.
const (
	moreRefs = 1 << 15
	lastRef  = 1 << 14
)

// The heaviest weight fits patInfo.weight.
const _ = uint8(weightProvider)

// patInfo is what the evidence scoring needs of a rule, computed once.
type patInfo struct {
	weight uint8 // weigh's result
	short  bool  // the pattern has at most two words, so a negation cancels it
	sided  bool  // the rule's cause has a sender-side counterpart
}

// tablePlan computes the plan once, on first use. The plan is derived from
// the constant tables and never changes.
var tablePlan = sync.OnceValue(func() *plan {
	p := &plan{}
	pats := [numTabs][]string{}
	for i := range strongRules {
		pats[tabStrong] = append(pats[tabStrong], foldPattern(strongRules[i].pat))
		p.ands[tabStrong] = append(p.ands[tabStrong], foldPattern(strongRules[i].and))
	}
	for i := range weakRules {
		pats[tabWeak] = append(pats[tabWeak], foldPattern(weakRules[i].pat))
		p.ands[tabWeak] = append(p.ands[tabWeak], foldPattern(weakRules[i].and))
	}
	for i := 0; i < markers.NumReplyMarkers(); i++ {
		pats[tabMarkers] = append(pats[tabMarkers], markers.ReplyMarkerAt(i).Text)
	}
	for i := range contexts {
		pats[tabContext] = append(pats[tabContext], contexts[i].pat)
	}
	for t := range pats {
		p.base[t+1] = p.base[t] + (len(pats[t])+63)&^63
	}
	if p.base[numTabs] > maxCands {
		panic("smtperr: more table patterns than maxCands")
	}
	// uses counts, per trigram, the patterns that hold it: a trigram that
	// many patterns share is common in reply text too.
	uses := map[string]int{}
	seen := map[string]bool{}
	for t := range pats {
		for _, pat := range pats[t] {
			clear(seen)
			for i := 0; i+3 <= len(pat); i++ {
				if tri := pat[i : i+3]; !seen[tri] {
					seen[tri] = true
					uses[tri]++
				}
			}
		}
	}
	p.pats = pats
	p.grams = make([]gramSet, p.base[numTabs])
	p.info = make([]patInfo, p.base[numTabs])
	for _, tab := range []struct {
		t     int
		rules []rule
	}{{tabStrong, strongRules[:]}, {tabWeak, weakRules[:]}} {
		for i := range tab.rules {
			r := &tab.rules[i]
			g := p.base[tab.t] + i
			p.info[g] = patInfo{
				weight: uint8(weigh(r, i, len(tab.rules))), // at most weightProvider
				short:  words(pats[tab.t][i]) <= 2,
				sided:  toSender(r.cause) != r.cause,
			}
			if r.prov != "" {
				p.prov[g>>6] |= 1 << (g & 63)
			}
		}
	}
	var count [1 << gramBits]int
	for t := range pats {
		for i, pat := range pats[t] {
			g := gramsOf(pat, uses)
			p.grams[p.base[t]+i] = g
			p.first[g.h[0]>>6] |= 1 << (g.h[0] & 63)
			count[g.h[0]]++
		}
	}
	var k uint16
	for w := range p.first {
		p.rank[w] = k
		k += uint16(bits.OnesCount64(p.first[w]))
	}
	p.start = make([]uint16, 1, k+1)
	for h := 0; h < 1<<gramBits; h++ {
		if count[h] > 0 {
			p.start = append(p.start, p.start[len(p.start)-1]+uint16(count[h]))
		}
	}
	p.ids = make([]patRef, p.start[k])
	fill := make([]uint16, k)
	for t := range pats {
		for i := range pats[t] {
			g := p.base[t] + i
			r := p.bucket(p.grams[g].h[0])
			h := &p.grams[g].h
			p.ids[p.start[r]+fill[r]] = patRef{g: uint16(g), h1: h[1], h2: h[2], h3: h[3]}
			fill[r]++
		}
	}
	for i, w := range senderWords {
		p.senderGrams[i] = gramsOf(w, uses)
	}
	p.heads = make([]patRef, k)
	for r := range p.heads {
		p.ids[p.start[r+1]-1].g |= lastRef
		p.heads[r] = p.ids[p.start[r]]
		if p.start[r+1]-p.start[r] > 1 {
			p.heads[r].g |= moreRefs
		}
	}
	return p
})

// bucket returns the rank of h, a hash in p.first, in that set.
func (p *plan) bucket(h uint16) int {
	w, bit := h>>6&(gramWords-1), uint64(1)<<(h&63)
	return int(p.rank[w]) + bits.OnesCount64(p.first[w]&(bit-1))
}

// maxTable bounds the entries of one table, and maxCands the patterns of
// all tables with their padding (tests check both).
const (
	maxTable = 2048
	maxCands = 4096
)

// cands are the candidate patterns for one text, one bit per pattern
// number, so they come out in table order: the patterns whose trigrams
// (those gramsOf chose) all occur in the text.
type cands struct {
	w  [maxCands / 64]uint64
	nz uint64 // bit k is set when w[k] is not zero
}

// table returns where the candidate words of table t (of n entries)
// start in c.w, and which of them are not zero.
func (c *cands) table(p *plan, t, n int) (off int, nz uint64) {
	off = p.base[t] >> 6
	return off, c.nz >> off & (1<<((n+63)>>6) - 1)
}

// add adds pattern g.
func (c *cands) add(g uint16) {
	w := g >> 6 & (maxCands/64 - 1)
	c.w[w] |= 1 << (g & 63)
	c.nz |= 1 << w
}

// candidates fills c with the patterns whose first trigram occurs in the
// text and whose other trigrams do too.
func (sc *scanner) candidates(p *plan, c *cands) {
	grams, first := &sc.grams, &p.first
	for w := 0; w < gramWords; w++ {
		fw := first[w]
		for m := grams[w] & fw; m != 0; {
			bit := m & -m
			m &^= bit
			k := int(p.rank[w]) + bits.OnesCount64(fw&(bit-1))
			// The first trigram occurs: test the others.
			head := p.heads[k]
			if h1 := head.h1 & (1<<gramBits - 1); grams[h1>>6]&(1<<(h1&63)) != 0 {
				sc.candidate(head, c)
			}
			if head.g&moreRefs != 0 {
				// The others follow the head in ids, the last one
				// marked lastRef.
				for j := int(p.start[k]) + 1; j < len(p.ids); j++ {
					ref := p.ids[j]
					sc.candidate(ref, c)
					if ref.g&lastRef != 0 {
						break
					}
				}
			}
		}
	}
}

// candidate adds the pattern of ref to c when its trigrams other than the
// first occur in the text.
func (sc *scanner) candidate(ref patRef, c *cands) {
	h1, h2, h3 := ref.h1&(1<<gramBits-1), ref.h2&(1<<gramBits-1), ref.h3&(1<<gramBits-1)
	if sc.grams[h1>>6]&(1<<(h1&63)) != 0 && sc.grams[h2>>6]&(1<<(h2&63)) != 0 && sc.grams[h3>>6]&(1<<(h3&63)) != 0 {
		c.add(ref.g &^ (moreRefs | lastRef))
	}
}

// mayHave reports whether a pattern with trigram hashes g can occur in the
// text.
func (sc *scanner) mayHave(g *gramSet) bool {
	for _, h := range g.h {
		if sc.grams[h>>6]&(1<<(h&63)) == 0 {
			return false
		}
	}
	return true
}

// has reports whether pat occurs in the text. It is for patterns outside
// the tables; table patterns use their precomputed hashes.
func (sc *scanner) has(pat string) bool {
	if n := len(pat); n >= 3 {
		for _, i := range [2]int{0, n - 3} {
			h := trigram(pat[i], pat[i+1], pat[i+2])
			if sc.grams[h>>6]&(1<<(h&63)) == 0 {
				return false
			}
		}
	}
	return index(sc.text, pat) >= 0
}

// index is strings.Index for a byte slice and a string pattern, without
// converting either.
func index(b []byte, pat string) int { return indexFrom(b, pat, 0) }

// indexFrom is index that searches for the byte pat[k] first; choosing a
// rare byte for k skips most false starts.
func indexFrom(b []byte, pat string, k int) int {
	n := len(pat)
	if n == 0 {
		return 0
	}
	c := pat[k]
	for i := 0; i+n <= len(b); {
		j := bytes.IndexByte(b[i+k:len(b)-n+1+k], c)
		if j < 0 {
			return -1
		}
		i += j
		if string(b[i:i+n]) == pat {
			return i
		}
		i++
	}
	return -1
}

// match returns the first rule of rules (table t) whose patterns occur, or
// nil.
func (sc *scanner) match(rules []rule, t int, p *plan, c *cands) *rule {
	base := p.base[t]
	off, nz := c.table(p, t, len(rules))
	for ; nz != 0; nz &= nz - 1 {
		w := bits.TrailingZeros64(nz)
		for m := c.w[off+w]; m != 0; {
			i := w<<6 | bits.TrailingZeros64(m)
			m &= m - 1
			r := &rules[i]
			if indexFrom(sc.text, p.pats[t][i], int(p.grams[base+i].key)) >= 0 && (r.and == "" || sc.has(p.ands[t][i])) {
				return r
			}
		}
	}
	return nil
}

// marker returns the first provider marker in the text. With skipAddrs,
// a marker that occurs only inside email addresses ("me@outlook.com") does
// not count: in a refusal of the sender's identity an address is the
// user's own, not the server that answered.
func (sc *scanner) marker(p *plan, c *cands, skipAddrs bool) (id provider.ID, software bool) {
	base := p.base[tabMarkers]
	off, nz := c.table(p, tabMarkers, len(p.pats[tabMarkers]))
	for ; nz != 0; nz &= nz - 1 {
		w := bits.TrailingZeros64(nz)
		for m := c.w[off+w]; m != 0; {
			i := w<<6 | bits.TrailingZeros64(m)
			m &= m - 1
			mk := markers.ReplyMarkerAt(i)
			k := int(p.grams[base+i].key)
			for from := 0; from < len(sc.text); {
				j := indexFrom(sc.text[from:], mk.Text, k)
				if j < 0 {
					break
				}
				if !skipAddrs || !inAddress(sc.text, from+j) {
					return mk.ID, mk.Software
				}
				from += j + 1
			}
		}
	}
	return "", false
}

// inAddress reports whether position i of text lies after the "@" of an
// email address: the run of address characters ending at i holds an "@".
func inAddress(text []byte, i int) bool {
	for k := i - 1; k >= 0 && i-k <= 254; k-- {
		switch c := text[k]; {
		case c == '@':
			return true
		case c <= ' ', c == '<', c == '>', c == '(', c == ')', c == '[', c == ']', c == '"', c == '\'', c == ',', c == ';', c == ':':
			return false
		}
	}
	return false
}

// cmdContext is a phrase of bounce text that tells which SMTP command a reply
// answered.
type cmdContext struct {
	pat      string
	mailFrom bool // the reply answered MAIL FROM
	connect  bool // the reply answered the connection or EHLO/HELO
}

// contexts are the phrases Postfix ("in reply to MAIL FROM command"), Exim
// ("after MAIL FROM:", "after initial connection") and sendmail (">>> MAIL
// From") write in bounces. The table is never written.
var contexts = [...]cmdContext{
	{pat: "after mail from", mailFrom: true},
	{pat: "in reply to mail from", mailFrom: true},
	{pat: "[mail_from]", mailFrom: true},
	{pat: ">>> mail from", mailFrom: true},
	{pat: "after initial connection", connect: true},
	{pat: "refused to talk to me", connect: true},
	{pat: "after ehlo", connect: true},
	{pat: "after helo", connect: true},
}

// context reports whether the text says the reply answered MAIL FROM, or
// the connection or EHLO.
func (sc *scanner) context(p *plan, c *cands) (mailFrom, connect bool) {
	base := p.base[tabContext]
	off, nz := c.table(p, tabContext, len(contexts))
	for ; nz != 0; nz &= nz - 1 {
		w := bits.TrailingZeros64(nz)
		for m := c.w[off+w]; m != 0; {
			i := w<<6 | bits.TrailingZeros64(m)
			m &= m - 1
			if indexFrom(sc.text, contexts[i].pat, int(p.grams[base+i].key)) >= 0 {
				mailFrom = mailFrom || contexts[i].mailFrom
				connect = connect || contexts[i].connect
			}
		}
	}
	return mailFrom, connect
}
