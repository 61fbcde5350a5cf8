package spf

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
)

// checkNoLeak fails t when a goroutine is still running code of this
// package's resolver or checks (or of the miekg/dns client) after a check
// returned. Checks wait for their goroutines before returning, so the
// stacks are examined at once; the loop only lets the scheduler retire
// goroutines that have already signalled completion.
func checkNoLeak(t *testing.T) {
	t.Helper()
	var leaked []string
	for range 1000 {
		leaked = leaked[:0]
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		for _, g := range strings.Split(string(buf), "\n\n") {
			for _, line := range strings.Split(g, "\n") {
				if strings.HasPrefix(line, "created by") {
					continue
				}
				if strings.Contains(line, "dnsauth.(*spfCheck)") || strings.Contains(line, "dnsauth.(*spfLinter)") ||
					strings.Contains(line, "dnsauth.(*Client)") || strings.Contains(line, "dnsauth.(*session)") ||
					strings.Contains(line, "miekg/dns.(*Client)") {
					leaked = append(leaked, g)
					break
				}
			}
		}
		if len(leaked) == 0 {
			return
		}
		runtime.Gosched()
	}
	t.Errorf("%d goroutines left behind; first:\n%s", len(leaked), leaked[0])
}

type hostileCase struct {
	name    string
	records []string // master-file lines, origin "example."
	domain  string
	setup   func(*dnsauthtest.Server)
	want    Result
	// maxQueries bounds the questions asked.
	maxQueries int
}

func hostileCases() []hostileCase {
	var chain []string
	for i := range 50 {
		chain = append(chain, fmt.Sprintf(`c%d.example. TXT "v=spf1 include:c%d.example -all"`, i, i+1))
	}
	chain = append(chain, `c50.example. TXT "v=spf1 +all"`)

	var fanInc, fanA, fanRoot []string
	for i := range 300 {
		fanInc = append(fanInc, fmt.Sprintf("include:i%d.example", i))
		fanA = append(fanA, fmt.Sprintf("a:h%d.example", i))
		fanRoot = append(fanRoot, fmt.Sprintf(`i%d.example. TXT "v=spf1 ip4:198.51.100.%d"`, i, i%250))
		fanRoot = append(fanRoot, fmt.Sprintf(`h%d.example. A 198.51.100.%d`, i, i%250))
	}
	splitTXT := func(rec string) string {
		var parts []string
		for len(rec) > 200 {
			parts = append(parts, `"`+rec[:200]+`"`)
			rec = rec[200:]
		}
		return strings.Join(append(parts, `"`+rec+`"`), " ")
	}
	fan := append(slices2(fanRoot),
		`fanout.example. TXT `+splitTXT("v=spf1 "+strings.Join(fanInc, " ")+" -all"),
		`fanouta.example. TXT `+splitTXT("v=spf1 "+strings.Join(fanA, " ")+" -all"))

	var manyMX []string
	for i := range 40 {
		manyMX = append(manyMX, fmt.Sprintf(`manymx.example. MX %d mx%d.example.`, i, i), fmt.Sprintf(`mx%d.example. A 198.51.100.%d`, i, i))
	}
	manyMX = append(manyMX, `manymx.example. TXT "v=spf1 mx -all"`)

	return []hostileCase{
		{name: "include loop", records: []string{
			`loop1.example. TXT "v=spf1 include:loop2.example -all"`,
			`loop2.example. TXT "v=spf1 include:loop1.example -all"`,
		}, domain: "loop1.example", want: ResultPermError, maxQueries: 4},
		{name: "redirect loop", records: []string{
			`r1.example. TXT "v=spf1 redirect=r2.example"`,
			`r2.example. TXT "v=spf1 redirect=r1.example"`,
		}, domain: "r1.example", want: ResultPermError, maxQueries: 4},
		{name: "self include", records: []string{
			`self.example. TXT "v=spf1 include:self.example include:self.example ?all"`,
		}, domain: "self.example", want: ResultPermError, maxQueries: 2},
		{name: "50-level include chain", records: chain, domain: "c0.example", want: ResultPermError, maxQueries: 1 + MaxLookups},
		{name: "fan-out of 300 includes", records: fan, domain: "fanout.example", want: ResultPermError, maxQueries: 1 + MaxLookups},
		{name: "fan-out of 300 a terms", records: fan, domain: "fanouta.example", want: ResultPermError, maxQueries: 1 + MaxLookups},
		{name: "40 MX names", records: manyMX, domain: "manymx.example", want: ResultPermError, maxQueries: 2},
		{name: "servfail mid-tree", records: []string{
			`top.example. TXT "v=spf1 include:mid.example -all"`,
			`mid.example. TXT "v=spf1 include:bottom.example -all"`,
			`bottom.example. TXT "v=spf1 +all"`,
		}, domain: "top.example", setup: func(s *dnsauthtest.Server) {
			s.SetFault("bottom.example", dns.TypeTXT, dnsauthtest.FaultServFail)
		}, want: ResultTempError, maxQueries: 3},
		{name: "server never answers", records: []string{
			`top.example. TXT "v=spf1 include:mid.example -all"`,
			`mid.example. TXT "v=spf1 a -all"`,
		}, domain: "top.example", setup: func(s *dnsauthtest.Server) {
			s.SetFault("mid.example", 0, dnsauthtest.FaultDrop)
		}, want: ResultTempError, maxQueries: 3},
		{name: "void lookups", records: []string{
			`voids.example. TXT "v=spf1 a:n1.example a:n2.example exists:n3.example mx:n4.example -all"`,
		}, domain: "voids.example", want: ResultPermError, maxQueries: 5},
		{name: "cname loop", records: []string{
			`cl.example. TXT "v=spf1 include:cl1.example -all"`,
			`cl1.example. CNAME cl2.example.`,
			`cl2.example. CNAME cl1.example.`,
		}, domain: "cl.example", want: ResultTempError, maxQueries: 2},
	}
}

func slices2(s []string) []string { return append([]string(nil), s...) }

func TestCheckHostHostile(t *testing.T) {
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			srv := dnsauthtest.Start(t, strings.Join(tc.records, "\n"))
			if tc.setup != nil {
				tc.setup(srv)
			}
			// A short timeout for the silent server; one retry so that a
			// slow machine does not turn a late answer into a timeout.
			c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}, Timeout: 250 * time.Millisecond, Retries: 1})
			if err != nil {
				t.Fatal(err)
			}
			ip := mustAddr("192.0.2.1")
			var results [2]*CheckResult
			for i, serial := range []bool{true, false} {
				res := CheckHost(t.Context(), c, ip, tc.domain, "", &Options{Serial: serial})
				checkNoLeak(t)
				results[i] = res
				if res.Result != tc.want {
					t.Errorf("serial=%v: result %s, want %s (%s)", serial, res.Result, tc.want, res.Detail)
				}
				if res.Lookups > MaxLookups+1 || res.VoidLookups > MaxVoidLookups+1 {
					t.Errorf("serial=%v: %d lookups, %d void: past the limits", serial, res.Lookups, res.VoidLookups)
				}
				if res.Queries > tc.maxQueries {
					t.Errorf("serial=%v: %d queries, want at most %d", serial, res.Queries, tc.maxQueries)
				}
			}
			t.Logf("queries: serial %d, with look-ahead %d, bound %d", results[0].Queries, results[1].Queries, tc.maxQueries)
			if s, p := results[0], results[1]; s.Result != p.Result || s.Lookups != p.Lookups || s.VoidLookups != p.VoidLookups || s.Term != p.Term {
				t.Errorf("prefetch changed the outcome: serial %+v, prefetch %+v", s, p)
			}
			rep := Inspect(t.Context(), c, tc.domain)
			checkNoLeak(t)
			if rep.Queries > maxLintQueries+maxLintNodes {
				t.Errorf("InspectSPF asked %d questions", rep.Queries)
			}
		})
	}
}

func TestCheckHostCancelled(t *testing.T) {
	srv := dnsauthtest.Start(t, `top.example. 300 TXT "v=spf1 include:mid.example -all"
mid.example. 300 TXT "v=spf1 a -all"`)
	srv.SetLatency(time.Hour)
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}, Timeout: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		for len(srv.Queries()) == 0 {
			runtime.Gosched()
		}
		cancel()
	}()
	res := CheckHost(ctx, c, mustAddr("192.0.2.1"), "top.example", "", nil)
	if res.Result != ResultTempError {
		t.Errorf("cancelled check: %s, want temperror", res.Result)
	}
	checkNoLeak(t)
	rep := Inspect(ctx, c, "top.example")
	if len(rep.Findings) != 1 || rep.Findings[0].Code != dnscheck.CodeDNSTimeout {
		t.Errorf("cancelled inspection: %v", spfCodes(rep.Findings))
	}
	checkNoLeak(t)
}

// TestCheckHostPrefetchAgrees runs every case of a small realistic tree
// both ways and compares.
func TestCheckHostPrefetchAgrees(t *testing.T) {
	srv := dnsauthtest.Start(t, benchZone)
	c := zonetest.NewClient(t, srv.Addr())
	for _, ip := range []string{"192.0.2.10", "198.51.100.77", "203.0.113.5", "2001:db8:1::9", "192.0.2.200", "10.0.0.1"} {
		var got [2]*CheckResult
		for i, serial := range []bool{true, false} {
			got[i] = CheckHost(t.Context(), c, mustAddr(ip), "bench.example", "user@bench.example", &Options{Serial: serial, HELO: "mail.bench.example"})
		}
		if got[0].Result != got[1].Result || got[0].Lookups != got[1].Lookups || got[0].Term != got[1].Term || got[0].Explanation != got[1].Explanation {
			t.Errorf("%s: serial %+v, prefetch %+v", ip, got[0], got[1])
		}
		checkNoLeak(t)
	}
}
