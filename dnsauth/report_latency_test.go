package dnsauth

import (
	"context"
	"net/netip"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// timedResolver records when each question reaching the resolver started
// and ended.
type timedResolver struct {
	r  dnscheck.Resolver
	mu sync.Mutex
	qs []timedQuery
}

type timedQuery struct {
	name       string
	start, end time.Duration
}

func (t *timedResolver) Lookup(ctx context.Context, name string, qtype uint16) (*dnscheck.Answer, error) {
	t0 := time.Now()
	a, err := t.r.Lookup(ctx, name, qtype)
	t.mu.Lock()
	t.qs = append(t.qs, timedQuery{name: name, start: time.Duration(t0.UnixNano()), end: time.Duration(time.Now().UnixNano())})
	t.mu.Unlock()
	return a, err
}

// chain returns the length of the longest chain of questions in which each
// was asked only after the one before it had been answered: the number of
// round trips the check could not avoid.
func (t *timedResolver) chain() int {
	qs := slices.Clone(t.qs)
	slices.SortFunc(qs, func(a, b timedQuery) int { return int(a.start - b.start) })
	depth := make([]int, len(qs))
	longest := 0
	for i, q := range qs {
		depth[i] = 1
		for j := range i {
			if qs[j].end <= q.start && depth[j]+1 > depth[i] {
				depth[i] = depth[j] + 1
			}
		}
		longest = max(longest, depth[i])
	}
	return longest
}

type latencyCase struct {
	name   string
	domain string
	opts   Options
}

func latencyCases() []latencyCase {
	return []latencyCase{
		{"google workspace with IP", "gw.example", Options{Provider: provider.GoogleWorkspace, IPs: []netip.Addr{netip.MustParseAddr("209.85.220.41")}}},
		{"sendgrid with envelope", "sendgrid.example", Options{SMTPHost: "smtp.sendgrid.net", EnvelopeDomain: "em1234.sendgrid.example"}},
		{"ses custom mail from", "ses.example", Options{Provider: provider.SES, EnvelopeDomain: "bounce.ses.example", Selectors: []string{"tok4f2a", "tok9c1b"}}},
	}
}

// measureCheck runs one check against the loopback server with the given
// added latency per question and returns the wall time, the longest
// dependent chain of questions and the number of questions.
func measureCheck(tb testing.TB, latency time.Duration, lc latencyCase) (time.Duration, int, int) {
	tb.Helper()
	srv, c := startZoneFile(tb, "healthy.zone", 5*time.Second)
	srv.SetLatency(latency)
	tr := &timedResolver{r: c}
	opts := lc.opts
	opts.Resolver = tr
	start := time.Now()
	rep, err := Check(context.Background(), lc.domain, &opts)
	wall := time.Since(start)
	if err != nil {
		tb.Fatal(err)
	}
	if !rep.OK() {
		tb.Fatalf("%s not OK: %v", lc.domain, zonetest.Codes(rep.Findings))
	}
	if rep.Queries != len(tr.qs) {
		tb.Fatalf("report counts %d queries, resolver saw %d", rep.Queries, len(tr.qs))
	}
	return wall, tr.chain(), len(tr.qs)
}

// TestCheckLatency logs, for a full check with 20 ms added to every
// answer, the wall time over 20 ms times the longest dependent chain of
// questions (target: at most 1.5). It never asserts on time.
func TestCheckLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("latency measurement")
	}
	const latency = 20 * time.Millisecond
	for _, lc := range latencyCases() {
		wall, chain, queries := measureCheck(t, latency, lc)
		ratio := float64(wall) / float64(time.Duration(chain)*latency)
		t.Logf("%s: wall %v, longest chain %d questions (%v), ratio %.2f, %d questions in all",
			lc.name, wall.Round(100*time.Microsecond), chain, time.Duration(chain)*latency, ratio, queries)
	}
}

func BenchmarkCheckLatency20ms(b *testing.B) {
	const latency = 20 * time.Millisecond
	for _, lc := range latencyCases() {
		b.Run(lc.name, func(b *testing.B) {
			var ratio, chains, queries float64
			for b.Loop() {
				wall, chain, n := measureCheck(b, latency, lc)
				ratio += float64(wall) / float64(time.Duration(chain)*latency)
				chains += float64(chain)
				queries += float64(n)
			}
			b.ReportMetric(ratio/float64(b.N), "wall/chain")
			b.ReportMetric(chains/float64(b.N), "chain")
			b.ReportMetric(queries/float64(b.N), "queries")
		})
	}
}

func BenchmarkCheck(b *testing.B) {
	srv, c := startZoneFile(b, "healthy.zone", 5*time.Second)
	_ = srv
	opts := Options{Resolver: c, Provider: provider.GoogleWorkspace, IPs: []netip.Addr{netip.MustParseAddr("209.85.220.41")}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Check(context.Background(), "gw.example", &opts); err != nil {
			b.Fatal(err)
		}
	}
}
