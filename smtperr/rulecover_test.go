package smtperr

import (
	"testing"

	"github.com/sendcheck/sendcheck/internal/testshared"
)

// scanOf folds a reply as explain does and returns its scanner.
func scanOf(text string) *scanner {
	h := parseHead(text)
	msg := message(h.body, h.code, h.enh)
	sc := &scanner{}
	dst := make([]byte, min(len(h.prefix)+1+len(msg), maxScan))
	f := folder{dst: dst, grams: &sc.grams}
	f.add(foldUnicode(h.prefix))
	f.add(" ")
	f.add(foldUnicode(msg))
	sc.text = elideAddresses(dst[:f.n], &sc.grams)
	return sc
}

// realReply is a real reply and where it was found.
type realReply struct{ text, source string }

// realReplies gathers every real reply this package's tests read, with its
// source: the shared corpora, testdata/replies-collected.tsv and
// testdata/rule-examples.tsv (never the held-out file).
func realReplies(t *testing.T) []realReply {
	var out []realReply
	for _, r := range readLabelled(t, testshared.ReadFile(t, "corpus/replies-dev.tsv"), "replies-dev.tsv") {
		out = append(out, realReply{r.reply, r.source})
	}
	for _, name := range []string{"replies-collected.tsv", "rule-examples.tsv"} {
		for _, r := range readTestdata(t, name) {
			out = append(out, realReply{r.reply, r.source})
		}
	}
	for _, r := range readJSONL[struct {
		Reply  string `json:"reply"`
		Source string `json:"source"`
	}](t, "corpus/provider-replies.jsonl") {
		out = append(out, realReply{r.Reply, r.Source})
	}
	for _, r := range readJSONL[sisimaiRow](t, "corpus/sisimai-expected.jsonl") {
		out = append(out, realReply{r.Diagnostic, "sisimai set-of-emails " + r.Source})
	}
	return out
}

// TestRuleExamples looks, for every rule of the tables, for real replies
// (with their sources) in which the rule fires, and explains them: a rule
// with an example whose explanation has the rule's cause is tested by a
// real reply. Every rule must be; a phrase no real reply uses has no place
// in the tables.
func TestRuleExamples(t *testing.T) {
	replies := realReplies(t)
	p := tablePlan()
	scans := make([]*scanner, len(replies))
	for i, r := range replies {
		scans[i] = scanOf(r.text)
	}
	var fires, decides int
	for _, tab := range []struct {
		t     int
		rules []rule
	}{{tabStrong, strongRules[:]}, {tabWeak, weakRules[:]}} {
		for i := range tab.rules {
			r := &tab.rules[i]
			fired, decided := false, false
			for k, sc := range scans {
				cause, ok := sc.occurs(r, tab.t, i, p)
				if !ok {
					continue
				}
				fired = true
				if cause == r.cause && ExplainReply(replies[k].text).Cause == r.cause {
					decided = true
					break
				}
			}
			if fired {
				fires++
			}
			if !decided {
				t.Errorf("rule %q and %q (%s): no real reply explained with its cause (fires in one: %v): add one to testdata/rule-examples.tsv, or remove the rule", r.pat, r.and, r.cause, fired)
				continue
			}
			decides++
		}
	}
	total := len(strongRules) + len(weakRules)
	t.Logf("%d rules: %d fire in a real reply, %d explain a real reply with their own cause", total, fires, decides)
}

// TestElideAddresses checks that addresses leave the folded text with
// their brackets, and that the trigram set still holds every trigram of
// the text the matcher searches, for every real reply the tests read.
func TestElideAddresses(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"550 user <a@example.com> unknown", "user unknown"},
		{"550 User [x.y@example.net] does not exist", "user does not exist"},
		{"mailbox a+b@example.org is full", "mailbox is full"},
		{"to=<bob@example.com>, relay=none", "to=, relay=none"},
		{"rejected: 'me@example.com' not allowed", "rejected: not allowed"},
		{"Missing final '@domain'", "missing final '@domain'"},
		{"a @ b and @@ and x@ and @y", "a @ b and @@ and x@ and @y"},
		{"<a@b.c>", ""},
		{"from a@b.c.", "from ."},
	} {
		if got := string(scanOf(tt.in).text); got != tt.want {
			t.Errorf("folded %q = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, r := range realReplies(t) {
		sc := scanOf(r.text)
		for i := 0; i+3 <= len(sc.text); i++ {
			h := trigram(sc.text[i], sc.text[i+1], sc.text[i+2])
			if sc.grams[h>>6]&(1<<(h&63)) == 0 {
				t.Fatalf("%q: trigram %q of the folded text %q is not in its set", r.text, sc.text[i:i+3], sc.text)
			}
		}
	}
}
