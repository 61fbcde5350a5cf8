package spf

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"

	blitiri "blitiri.com.ar/go/spf"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

// peerZone holds one domain per shape of policy. Every name the cases
// use answers from this zone, so each implementation sees the same
// records at the same latency.
// Names inside the records are written out in full: a zone file does not
// qualify them.
const peerZone = `
$ORIGIN example.
tree            TXT "v=spf1 a mx include:_spf.provider.example include:_spf.other.example ip4:203.0.113.0/24 -all"
tree            A   192.0.2.200
tree            MX  10 mail.tree
tree            MX  20 mail2.tree
mail.tree       A   192.0.2.201
mail2.tree      A   192.0.2.202
_spf.provider   TXT "v=spf1 include:_nb1.provider.example include:_nb2.provider.example ~all"
_nb1.provider   TXT "v=spf1 ip4:198.51.100.0/25 include:_nb1a.provider.example ~all"
_nb1a.provider  TXT "v=spf1 ip4:198.51.100.128/25 ~all"
_nb2.provider   TXT "v=spf1 ip6:2001:db8:1::/48 include:_nb2a.provider.example ~all"
_nb2a.provider  TXT "v=spf1 ip4:192.0.2.0/28 ~all"
_spf.other      TXT "v=spf1 ip4:203.0.113.0/24 ~all"
mx              TXT "v=spf1 mx -all"
mx              MX  10 mx1.mx
mx              MX  20 mx2.mx
mx1.mx          A   192.0.2.31
mx2.mx          A   192.0.2.32
a               TXT "v=spf1 a:out.a.example -all"
out.a           A   192.0.2.41
ptr             TXT "v=spf1 ptr -all"
host.ptr        A   192.0.2.50
50.2.0.192.in-addr.arpa. PTR host.ptr.example.
redir           TXT "v=spf1 redirect=_spf.redir.example"
_spf.redir      TXT "v=spf1 ip4:192.0.2.60 -all"
exists          TXT "v=spf1 exists:%{i}._e.%{d} -all"
192.0.2.70._e.exists A 127.0.0.2
macro           TXT "v=spf1 a:%{l}.%{o} -all"
user.macro      A   192.0.2.80
fan             TXT "v=spf1 include:f1.fan.example include:f2.fan.example include:f3.fan.example include:f4.fan.example include:f5.fan.example include:f6.fan.example include:f7.fan.example include:f8.fan.example include:f9.fan.example -all"
f1.fan          TXT "v=spf1 ip4:198.51.100.1 ~all"
f2.fan          TXT "v=spf1 ip4:198.51.100.2 ~all"
f3.fan          TXT "v=spf1 ip4:198.51.100.3 ~all"
f4.fan          TXT "v=spf1 ip4:198.51.100.4 ~all"
f5.fan          TXT "v=spf1 ip4:198.51.100.5 ~all"
f6.fan          TXT "v=spf1 ip4:198.51.100.6 ~all"
f7.fan          TXT "v=spf1 ip4:198.51.100.7 ~all"
f8.fan          TXT "v=spf1 ip4:198.51.100.8 ~all"
f9.fan          TXT "v=spf1 ip4:192.0.2.90 ~all"
mixed           TXT "v=spf1 redirect=_spf.mixed.example"
_spf.mixed      TXT "v=spf1 mx:mixed.example include:_inc.mixed.example -all"
mixed           MX  10 mx.mixed
mx.mixed        A   192.0.2.101
_inc.mixed      TXT "v=spf1 a:h.mixed.example ~all"
h.mixed         A   192.0.2.102
`

// peerCase is one evaluation and the longest chain of questions in it
// that each need the answer of the one before.
type peerCase struct {
	name   string
	domain string
	ip     string
	want   Result
	chain  int
}

var peerCases = []peerCase{
	// TXT tree, TXT _spf.provider, TXT _nb2, TXT _nb2a.
	{"include-tree", "tree.example", "192.0.2.10", ResultPass, 4},
	// The same tree for a client nobody authorizes: every record is read.
	{"include-tree-fail", "tree.example", "192.0.2.250", ResultFail, 4},
	// TXT, MX, A of the second exchanger.
	{"mx", "mx.example", "192.0.2.32", ResultPass, 3},
	// TXT, A.
	{"a", "a.example", "192.0.2.41", ResultPass, 2},
	// TXT, PTR, A of the name validated.
	{"ptr", "ptr.example", "192.0.2.50", ResultPass, 3},
	// TXT, TXT of the redirect target.
	{"redirect", "redir.example", "192.0.2.60", ResultPass, 2},
	// TXT, A of the expanded name.
	{"exists", "exists.example", "192.0.2.70", ResultPass, 2},
	// TXT, A of the name built from the local part and the domain.
	{"macro", "macro.example", "192.0.2.80", ResultPass, 2},
	// TXT, then the nine include records, which do not depend on each other.
	{"fan-out", "fan.example", "192.0.2.90", ResultPass, 2},
	// TXT, TXT of the redirect target, TXT _inc.mixed, A h.mixed; the mx
	// branch (MX, A) is shorter.
	{"redirect-mx-include", "mixed.example", "192.0.2.102", ResultPass, 4},
}

// peerLatency is added to every answer of the loopback server.
const peerLatency = 20 * time.Millisecond

// BenchmarkCheckHostPeers runs the same evaluations through CheckHost and
// blitiri.com.ar/go/spf against one loopback server that waits 20 ms
// before every answer. x-chain is the wall time of one evaluation over
// 20 ms times the case's longest chain of dependent questions (the
// physical limit); queries/op counts the questions the server received.
//
// github.com/wttw/spf is not measured: the module proxy does not serve it.
func BenchmarkCheckHostPeers(b *testing.B) {
	srv, err := dnsauthtest.NewServer(peerZone)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	srv.SetLatency(peerLatency)
	ours, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}, Timeout: 5 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	addr := srv.Addr()
	goRes := &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}
	ctx := context.Background()
	for _, tc := range peerCases {
		ip := netip.MustParseAddr(tc.ip)
		sender := "user@" + tc.domain
		limit := peerLatency * time.Duration(tc.chain)
		b.Run(tc.name+"/sendcheck", func(b *testing.B) {
			runPeer(b, srv, limit, tc.want, func() (string, error) {
				res := CheckHost(ctx, ours, ip, tc.domain, sender, &Options{HELO: "mail." + tc.domain})
				return string(res.Result), nil
			})
		})
		b.Run(tc.name+"/blitiri", func(b *testing.B) {
			nip := net.IP(ip.AsSlice())
			runPeer(b, srv, limit, tc.want, func() (string, error) {
				r, err := blitiri.CheckHostWithSender(nip, "mail."+tc.domain, sender,
					blitiri.WithResolver(goRes), blitiri.WithContext(ctx))
				return string(r), err
			})
		})
	}
}

func runPeer(b *testing.B, srv *dnsauthtest.Server, limit time.Duration, want Result, check func() (string, error)) {
	b.ReportAllocs()
	srv.ResetQueries()
	for b.Loop() {
		got, err := check()
		if got != string(want) {
			b.Fatalf("result %q (error %v), want %q", got, err, want)
		}
	}
	b.ReportMetric(float64(len(srv.Queries()))/float64(b.N), "queries/op")
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(perOp)/float64(limit), "x-chain")
}
