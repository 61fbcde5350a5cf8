package smtperr

import (
	"testing"
)

// corpusReplies returns every reply text of the shared corpora: the
// provider replies and the sisimai diagnostics with their codes in front.
func corpusReplies(b *testing.B) []string {
	var out []string
	for _, r := range readJSONLB[providerRow](b, "corpus/provider-replies.jsonl") {
		out = append(out, r.Reply)
	}
	for _, r := range readJSONLB[sisimaiRow](b, "corpus/sisimai-expected.jsonl") {
		out = append(out, r.Diagnostic)
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
