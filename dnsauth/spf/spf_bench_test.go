package spf

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

// benchZone is a realistic tree three includes deep: the domain includes
// a provider that includes its own netblocks, which include one more level,
// plus a and mx of its own.
const benchZone = `
$ORIGIN bench.example.
@        TXT "v=spf1 a mx include:_spf.provider.example include:_spf.other.example ip4:203.0.113.0/24 -all exp=why.bench.example"
@        A    192.0.2.200
@        MX   10 mail
@        MX   20 mail2
mail     A    192.0.2.201
mail2    A    192.0.2.202
why      TXT  "%{i} is not one of %{d}'s senders"
_spf.provider.example. TXT "v=spf1 include:_nb1.provider.example include:_nb2.provider.example ~all"
_nb1.provider.example. TXT "v=spf1 ip4:198.51.100.0/25 include:_nb1a.provider.example ~all"
_nb1a.provider.example. TXT "v=spf1 ip4:198.51.100.128/25 ~all"
_nb2.provider.example. TXT "v=spf1 ip6:2001:db8:1::/48 include:_nb2a.provider.example ~all"
_nb2a.provider.example. TXT "v=spf1 ip4:192.0.2.0/28 ~all"
_spf.other.example. TXT "v=spf1 ip4:203.0.113.0/24 ~all"
`

func benchCheck(b *testing.B, latency time.Duration, serial bool, ip netip.Addr) {
	srv, err := dnsauthtest.NewServer(benchZone)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	srv.SetLatency(latency)
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}, Timeout: 5 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	opts := &Options{Serial: serial, HELO: "mail.bench.example"}
	ctx := context.Background()
	// The serial evaluation's questions are the critical path of a
	// straightforward evaluator.
	ref := CheckHost(ctx, c, ip, "bench.example", "user@bench.example", &Options{Serial: true})
	queries := 0
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res := CheckHost(ctx, c, ip, "bench.example", "user@bench.example", opts)
		if res.Result != ref.Result {
			b.Fatalf("result %s, serial gave %s", res.Result, ref.Result)
		}
		queries += res.Queries
	}
	b.ReportMetric(float64(queries)/float64(b.N), "queries/op")
	b.ReportMetric(float64(ref.Queries), "serial-queries")
	if latency > 0 {
		perOp := b.Elapsed() / time.Duration(b.N)
		b.ReportMetric(float64(perOp)/float64(latency*time.Duration(ref.Queries)), "wall/serial-chain")
	}
}

// BenchmarkCheckHost evaluates the tree against the loopback server for a
// client the deepest include authorizes (every record is fetched).
func BenchmarkCheckHost(b *testing.B) {
	ip := netip.MustParseAddr("192.0.2.10")
	b.Run("prefetch", func(b *testing.B) { benchCheck(b, 0, false, ip) })
	b.Run("serial", func(b *testing.B) { benchCheck(b, 0, true, ip) })
}

// BenchmarkCheckHostLatency adds 20 ms to every answer. wall/serial-chain
// is the wall time of one evaluation over 20 ms times the questions a
// serial evaluation asks one after the other.
func BenchmarkCheckHostLatency(b *testing.B) {
	ip := netip.MustParseAddr("192.0.2.10")
	b.Run("prefetch", func(b *testing.B) { benchCheck(b, 20*time.Millisecond, false, ip) })
	b.Run("serial", func(b *testing.B) { benchCheck(b, 20*time.Millisecond, true, ip) })
}

func BenchmarkParseSPF(b *testing.B) {
	const rec = "v=spf1 a mx include:_spf.google.com include:sendgrid.net ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.%{l1r-}.lp._spf.%{d2} ~all exp=why.%{d}"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(rec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkInspectSPF(b *testing.B) {
	srv, err := dnsauthtest.NewServer(benchZone)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	queries := 0
	for b.Loop() {
		rep := Inspect(context.Background(), c, "bench.example")
		queries += rep.Queries
	}
	b.ReportMetric(float64(queries)/float64(b.N), "queries/op")
}
