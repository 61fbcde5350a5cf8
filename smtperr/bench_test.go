package smtperr

import (
	"testing"

	"github.com/sendcheck/sendcheck/internal/testshared"
)

// corpusReplies returns every reply text of the corpora: the provider
// replies, the sisimai diagnostics, the labelled development set and the
// replies collected in testdata (all three files).
func corpusReplies(b testing.TB) []string {
	var out []string
	for _, r := range readJSONLB[providerRow](b, "corpus/provider-replies.jsonl") {
		out = append(out, r.Reply)
	}
	for _, r := range readJSONLB[sisimaiRow](b, "corpus/sisimai-expected.jsonl") {
		out = append(out, r.Diagnostic)
	}
	for _, r := range readLabelled(b, testshared.ReadFile(b, "corpus/replies-dev.tsv"), "replies-dev.tsv") {
		out = append(out, r.reply)
	}
	for _, name := range []string{"replies-collected.tsv", "replies-holdout.tsv", "rule-examples.tsv"} {
		for _, r := range readTestdata(b, name) {
			out = append(out, r.reply)
		}
	}
	return out
}

// BenchmarkExplainReply explains every reply of the corpora once per
// iteration and reports the cost per reply.
func BenchmarkExplainReply(b *testing.B) {
	replies := corpusReplies(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, r := range replies {
			ExplainReply(r)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(replies)), "ns/reply")
}

// TestExplainReplyAllocs checks the allocation budget: at most 2 per reply
// on average over the corpora (the Explanation, and the joined message of
// a multi-line reply).
func TestExplainReplyAllocs(t *testing.T) {
	replies := corpusReplies(t)
	avg := testing.AllocsPerRun(5, func() {
		for _, r := range replies {
			ExplainReply(r)
		}
	}) / float64(len(replies))
	t.Logf("%.2f allocations per reply over %d replies", avg, len(replies))
	if avg > 2 {
		t.Errorf("%.2f allocations per reply, budget is 2", avg)
	}
	if n := testing.AllocsPerRun(10, func() { ExplainReply("550 5.1.1 <a@example.com>: Recipient address rejected: User unknown") }); n > 1 {
		t.Errorf("single-line reply: %v allocations, want 1", n)
	}
}
