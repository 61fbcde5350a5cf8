package dnsauth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dkim"
	"github.com/sendcheck/sendcheck/dnsauth/dmarc"
	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
	"github.com/sendcheck/sendcheck/dnsauth/spf"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// questionCounter counts the questions that reach r, by name and type.
type questionCounter struct {
	r  dnscheck.Resolver
	mu sync.Mutex
	n  map[string]int
}

func (c *questionCounter) Lookup(ctx context.Context, name string, qtype uint16) (*dnscheck.Answer, error) {
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[strings.ToLower(dns.Fqdn(name))+" "+dns.TypeToString[qtype]]++
	c.mu.Unlock()
	return c.r.Lookup(ctx, name, qtype)
}

// repeated returns the questions asked more than once.
func (c *questionCounter) repeated() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for k, n := range c.n {
		if n > 1 {
			out = append(out, fmt.Sprintf("%s x%d", k, n))
		}
	}
	return out
}

// reportJSON is the report as JSON, the form compared between runs.
func reportJSON(t testing.TB, rep *Report) string {
	t.Helper()
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCheckRepeatedUnderLoad runs Check with sending IPs 1,000 times, up
// to eight at once, on a healthy zone: every report must equal the one a
// lone run gives, and no run may ask a question twice.
func TestCheckRepeatedUnderLoad(t *testing.T) {
	runs := 1000
	if testing.Short() {
		runs = 100
	}
	_, c := startZoneFile(t, "healthy.zone", 2*time.Second)
	cases := []struct {
		domain string
		opts   Options
	}{
		{"gw.example", Options{Provider: provider.GoogleWorkspace, IPs: []netip.Addr{netip.MustParseAddr("209.85.220.41"), netip.MustParseAddr("192.0.2.9")}}},
		{"sendgrid.example", Options{SMTPHost: "smtp.sendgrid.net", EnvelopeDomain: "em1234.sendgrid.example", IPs: []netip.Addr{netip.MustParseAddr("167.89.1.2")}}},
	}
	want := make([]string, len(cases))
	for i, tc := range cases {
		o := tc.opts
		o.Resolver = c
		rep, err := Check(t.Context(), tc.domain, &o)
		if err != nil {
			t.Fatal(err)
		}
		if n := rep.Count(dnscheck.SeverityError); n > 0 && tc.domain == "gw.example" {
			// 192.0.2.9 is not authorized: that is the one expected error.
			for _, f := range rep.Findings {
				if f.Severity == dnscheck.SeverityError && f.Code != dnscheck.CodeSPFIPNotPermitted && f.Code != dnscheck.CodePTRMissing {
					t.Fatalf("reference report has %s: %s", f.Code, f.Message)
				}
			}
		}
		want[i] = reportJSON(t, rep)
	}

	var (
		mu       sync.Mutex
		wrong    int
		repeats  int
		firstBad string
	)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range jobs {
				tc := cases[i%len(cases)]
				cr := &questionCounter{r: c}
				o := tc.opts
				o.Resolver = cr
				rep, err := Check(t.Context(), tc.domain, &o)
				got := ""
				if err == nil {
					got = reportJSON(t, rep)
				}
				rep2 := cr.repeated()
				mu.Lock()
				if err != nil || got != want[i%len(cases)] {
					wrong++
					if firstBad == "" {
						firstBad = fmt.Sprintf("run %d: err %v\n got %s\nwant %s", i, err, got, want[i%len(cases)])
					}
				}
				if len(rep2) > 0 {
					repeats++
					if firstBad == "" {
						firstBad = fmt.Sprintf("run %d asked again: %v", i, rep2)
					}
				}
				mu.Unlock()
			}
		})
	}
	for i := range runs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	t.Logf("%d runs: %d wrong reports, %d with repeated questions", runs, wrong, repeats)
	if wrong > 0 || repeats > 0 {
		t.Errorf("%d wrong reports and %d runs with repeated questions in %d; first: %s", wrong, repeats, runs, firstBad)
	}
}

// TestCheckDeadlineSweep gives Check deadlines below, around and above the
// per-query timeout on a zone whose every answer takes a while: each call
// returns the complete report or an error wrapping
// context.DeadlineExceeded, never a report of timeouts the deadline caused.
func TestCheckDeadlineSweep(t *testing.T) {
	srv, c := startZoneFile(t, "healthy.zone", 80*time.Millisecond)
	opts := Options{Provider: provider.GoogleWorkspace, IPs: []netip.Addr{netip.MustParseAddr("209.85.220.41")}, Resolver: c}
	srv.SetLatency(10 * time.Millisecond)
	ref, err := Check(t.Context(), "gw.example", &opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ref.Findings {
		if f.Code.DNSFailure() {
			t.Fatalf("reference report has %s: %s", f.Code, f.Message)
		}
	}
	want := reportJSON(t, ref)
	complete, deadline := 0, 0
	for d := time.Millisecond; d <= 200*time.Millisecond; d += 3 * time.Millisecond {
		ctx, cancel := context.WithTimeout(t.Context(), d)
		rep, err := Check(ctx, "gw.example", &opts)
		cancel()
		switch {
		case err != nil:
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("deadline %v: error %v does not wrap context.DeadlineExceeded", d, err)
			}
			deadline++
		default:
			complete++
			if got := reportJSON(t, rep); got != want {
				t.Errorf("deadline %v: report differs from the reference:\n got %s\nwant %s", d, got, want)
			}
		}
	}
	t.Logf("deadline sweep: %d complete reports, %d deadline errors, 0 self-caused timeouts allowed", complete, deadline)
	if complete == 0 || deadline == 0 {
		t.Errorf("the sweep should cover both outcomes: %d complete, %d deadline errors", complete, deadline)
	}
}

// startHandler serves h on a loopback UDP and TCP port and returns the
// address.
func startHandler(t *testing.T, h dns.HandlerFunc) string {
	t.Helper()
	var (
		pc net.PacketConn
		l  net.Listener
	)
	for range 20 {
		p, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		tl, err := net.Listen("tcp", p.LocalAddr().String())
		if err != nil {
			p.Close()
			continue
		}
		pc, l = p, tl
		break
	}
	if pc == nil {
		t.Fatal("no port free for UDP and TCP")
	}
	mux := dns.NewServeMux()
	mux.Handle(".", h)
	started := make(chan struct{}, 2)
	notify := func() { started <- struct{}{} }
	udp := &dns.Server{PacketConn: pc, Handler: mux, NotifyStartedFunc: notify}
	tcp := &dns.Server{Listener: l, Handler: mux, NotifyStartedFunc: notify}
	for _, s := range []*dns.Server{udp, tcp} {
		go s.ActivateAndServe()
	}
	<-started
	<-started
	t.Cleanup(func() {
		udp.Shutdown()
		tcp.Shutdown()
	})
	return pc.LocalAddr().String()
}

// TestClientRetriesLostDatagram puts a server in front of the zone that
// drops the first UDP datagram of every question: with the default retry
// the report is the same as without losses; with retries turned off the
// losses show as timeouts (so the test can tell).
func TestClientRetriesLostDatagram(t *testing.T) {
	back, c := startZoneFile(t, "healthy.zone", 2*time.Second)
	opts := Options{Provider: provider.GoogleWorkspace, IPs: []netip.Addr{netip.MustParseAddr("209.85.220.41")}, Resolver: c}
	ref, err := Check(t.Context(), "gw.example", &opts)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		seen = map[string]bool{}
	)
	front := startHandler(t, func(w dns.ResponseWriter, req *dns.Msg) {
		if len(req.Question) != 1 {
			return
		}
		q := req.Question[0]
		k := strings.ToLower(q.Name) + " " + dns.TypeToString[q.Qtype]
		mu.Lock()
		first := !seen[k]
		seen[k] = true
		mu.Unlock()
		if first && w.LocalAddr().Network() == "udp" {
			return // lost
		}
		proto := "udp"
		if w.LocalAddr().Network() == "tcp" {
			proto = "tcp"
		}
		reply, _, err := (&dns.Client{Net: proto}).Exchange(req, back.Addr())
		if err != nil {
			return
		}
		w.WriteMsg(reply)
	})
	for _, tc := range []struct {
		retries     int
		wantClean   bool
		description string
	}{
		{0, true, "default retries"},
		{-1, false, "no retries"},
	} {
		mu.Lock()
		clear(seen)
		mu.Unlock()
		rc, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{front}, Timeout: 150 * time.Millisecond, Retries: tc.retries})
		if err != nil {
			t.Fatal(err)
		}
		o := opts
		o.Resolver = rc
		rep, err := Check(t.Context(), "gw.example", &o)
		if tc.wantClean {
			if err != nil {
				t.Fatalf("%s: %v", tc.description, err)
			}
			if got, want := reportJSON(t, rep), reportJSON(t, ref); got != want {
				t.Errorf("%s: report differs:\n got %s\nwant %s", tc.description, got, want)
			}
			continue
		}
		var re *ResolverError
		if err == nil || !errors.As(err, &re) {
			t.Errorf("%s: every first datagram lost should leave no answer at all: err %v", tc.description, err)
		}
	}
}

// TestCheckResolverUnreachable: a resolver that refuses or ignores every
// question is named in an error, not blamed on the domain.
func TestCheckResolverUnreachable(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusing := pc.LocalAddr().String()
	pc.Close() // nothing listens: the kernel answers "port unreachable"

	silent, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()

	for _, addr := range []string{refusing, silent.LocalAddr().String()} {
		c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{addr}, Timeout: 50 * time.Millisecond, Retries: -1})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Check(t.Context(), "example.com", &Options{Resolver: c})
		var re *ResolverError
		if !errors.As(err, &re) {
			t.Fatalf("%s: err = %v, report %v; want *ResolverError", addr, err, rep)
		}
		if re.Resolver != addr || !strings.Contains(err.Error(), addr) {
			t.Errorf("error %q does not name the resolver %s", err, addr)
		}
	}
}

// TestClientTruncatedOverTCP: a TC bit on the TCP answer is not NODATA.
func TestClientTruncatedOverTCP(t *testing.T) {
	addr := startHandler(t, func(w dns.ResponseWriter, req *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(req)
		m.Truncated = true
		w.WriteMsg(m)
	})
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{addr}, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Lookup(t.Context(), "example.com", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != dnscheck.StatusError || !strings.Contains(a.Detail, "truncated") {
		t.Errorf("status %s (%s), want error naming the truncation", a.Status, a.Detail)
	}
}

// TestClientTooManyRecords: records past the bound make the answer an
// error, so a second SPF record past it cannot turn permerror into pass.
func TestClientTooManyRecords(t *testing.T) {
	var b strings.Builder
	b.WriteString("$ORIGIN big.example.\n")
	for i := range 512 {
		fmt.Fprintf(&b, "@ TXT \"filler %d\"\n", i)
	}
	b.WriteString("@ TXT \"v=spf1 ip4:192.0.2.1 -all\"\n@ TXT \"v=spf1 +all\"\n")
	_, c := zonetest.StartZone(t, b.String(), 2*time.Second)
	a, err := c.Lookup(t.Context(), "big.example", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != dnscheck.StatusError || len(a.Records) != 0 {
		t.Errorf("status %s with %d records, want error and none", a.Status, len(a.Records))
	}
	res := spf.CheckHost(t.Context(), c, netip.MustParseAddr("192.0.2.1"), "big.example", "", nil)
	if res.Result == spf.ResultPass {
		t.Errorf("CheckHost = pass over a partial answer")
	}
}

// rsaKeyRecord returns a DKIM key record with an RSA public key of the
// given size (a random odd modulus: only its length matters here).
func rsaKeyRecord(t *testing.T, bits int) string {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), uint(bits)))
	if err != nil {
		t.Fatal(err)
	}
	n.SetBit(n, bits-1, 1)
	n.SetBit(n, 0, 1)
	der, err := x509.MarshalPKIXPublicKey(&rsa.PublicKey{N: n, E: 65537})
	if err != nil {
		t.Fatal(err)
	}
	return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
}

// TestCheckBadDNS: a CNAME loop has its own finding, an RSA key over 4096
// bits a warning, and a domain that does not exist one finding only.
func TestCheckBadDNS(t *testing.T) {
	key := rsaKeyRecord(t, 6144)
	var zone strings.Builder
	zone.WriteString("$ORIGIN odd.example.\n@ MX 10 mx\nmx A 192.0.2.25\n@ TXT \"v=spf1 -all\"\n")
	zone.WriteString("_dmarc TXT \"v=DMARC1; p=reject; rua=mailto:d@odd.example\"\n")
	zone.WriteString("l1._domainkey CNAME l2._domainkey\nl2._domainkey CNAME l1._domainkey\n")
	zone.WriteString("big._domainkey TXT (")
	for len(key) > 0 {
		n := min(len(key), 200)
		fmt.Fprintf(&zone, " %q", key[:n])
		key = key[n:]
	}
	zone.WriteString(" )\n")
	_, c := zonetest.StartZone(t, zone.String(), 2*time.Second)
	rep, err := Check(t.Context(), "odd.example", &Options{Resolver: c, Selectors: []string{"l1", "big"}})
	if err != nil {
		t.Fatal(err)
	}
	zonetest.WantCode(t, rep.Findings, dnscheck.CodeDNSCNAMELoop, dnscheck.SeverityError)
	zonetest.WantCode(t, rep.Findings, dnscheck.CodeDKIMLargeKey, dnscheck.SeverityWarning)
	zonetest.NoCode(t, rep.Findings, dnscheck.CodeDNSServFail)

	rep, err = Check(t.Context(), "gone.odd.example", &Options{Resolver: c, IPs: []netip.Addr{netip.MustParseAddr("192.0.2.25")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := zonetest.Codes(rep.Findings); len(got) != 1 || got[0] != "dns.nxdomain/error" {
		t.Errorf("findings of a nonexistent domain = %v, want only dns.nxdomain/error", got)
	}
	for _, it := range rep.Checklist {
		if it.Status == CheckStatusPass {
			t.Errorf("checklist item %s passes for a nonexistent domain", it.ID)
		}
	}
}

// TestCheckOptionBounds: IPs and selectors past their caps are refused.
func TestCheckOptionBounds(t *testing.T) {
	ips := make([]netip.Addr, MaxIPs+1)
	for i := range ips {
		ips[i] = netip.AddrFrom4([4]byte{192, 0, 2, byte(i)})
	}
	sels := make([]string, MaxSelectors+1)
	for i := range sels {
		sels[i] = fmt.Sprintf("s%d", i)
	}
	var oe *OptionsError
	for _, o := range []*Options{{IPs: ips}, {Selectors: sels}} {
		o.Resolver = zonetest.FakeResolver{}
		if _, err := Check(t.Context(), "example.com", o); !errors.As(err, &oe) {
			t.Errorf("err = %v, want *OptionsError", err)
		}
	}
}

// TestNilResolverEverywhere: every exported function accepts a nil
// Resolver (the default client) without panicking. The context is already
// cancelled, so nothing is sent anywhere.
func TestNilResolverEverywhere(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ip := netip.MustParseAddr("192.0.2.1")
	calls := map[string]func() error{
		"Check": func() error { _, err := Check(ctx, "example.com", nil); return err },
		"CheckAlignment": func() error {
			_, err := dmarc.CheckAlignment(ctx, nil, "example.com", "bounce.example.com", "example.com", "")
			return err
		},
		"OrganizationalDomain": func() error { _, err := dmarc.OrganizationalDomain(ctx, nil, "a.example.com", ""); return err },
		"DiscoverDMARC":        func() error { _, err := dmarc.Discover(ctx, nil, "example.com", ""); return err },
		"LookupDKIM":           func() error { _, err := dkim.Lookup(ctx, nil, "example.com", []string{"s1"}, nil); return err },
		"LookupMX":             func() error { _, err := LookupMX(ctx, nil, "example.com"); return err },
		"LookupPTR":            func() error { _, err := LookupPTR(ctx, nil, ip); return err },
		"CheckHost": func() error {
			if r := spf.CheckHost(ctx, nil, ip, "example.com", "", nil); r.Result != spf.ResultTempError {
				return fmt.Errorf("result %s", r.Result)
			}
			return errors.New("temperror")
		},
		"InspectSPF": func() error {
			rep := spf.Inspect(ctx, nil, "example.com")
			rep.CheckIP(ctx, nil, ip)
			return errors.New("done")
		},
		"zero Client": func() error { var c dnscheck.Client; _, err := c.Lookup(ctx, "example.com", dns.TypeA); return err },
	}
	for name, f := range calls {
		if err := f(); err == nil {
			t.Errorf("%s: nil error with a cancelled context", name)
		}
	}
}

// TestDomainNormalizedEverywhere: an IDN, upper-case, dotted name reaches
// DNS as the same A-label name from every entry point.
func TestDomainNormalizedEverywhere(t *testing.T) {
	const zone = `$ORIGIN xn--bcher-kva.example.
@ MX 10 mx
mx A 192.0.2.25
@ TXT "v=spf1 ip4:192.0.2.25 -all"
_dmarc TXT "v=DMARC1; p=reject; rua=mailto:d@xn--bcher-kva.example"
s1._domainkey TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
`
	_, c := zonetest.StartZone(t, zone, 2*time.Second)
	ctx := t.Context()
	const in, want = "BÜCHER.Example.", "xn--bcher-kva.example"
	ip := netip.MustParseAddr("192.0.2.25")

	rep, err := Check(ctx, in, &Options{Resolver: c, Selectors: []string{"s1"}})
	if err != nil || rep.Domain != want || !rep.OK() {
		t.Errorf("Check: domain %q ok %v err %v", rep.Domain, rep.OK(), err)
	}
	if r := spf.CheckHost(ctx, c, ip, in, "", nil); r.Result != spf.ResultPass || r.Domain != want {
		t.Errorf("CheckHost: %s for %q", r.Result, r.Domain)
	}
	if r := spf.Inspect(ctx, c, in); len(r.Records) != 1 || r.Domain != want {
		t.Errorf("InspectSPF: %d records for %q", len(r.Records), r.Domain)
	}
	if r, err := dkim.Lookup(ctx, c, in, []string{"s1"}, nil); err != nil || len(r.Usable()) != 1 || r.Domain != want {
		t.Errorf("LookupDKIM: %v %+v", err, r)
	}
	if r, err := dmarc.Discover(ctx, c, in, ""); err != nil || r.Record == nil || r.Domain != want {
		t.Errorf("DiscoverDMARC: %v %+v", err, r)
	}
	if r, err := LookupMX(ctx, c, in); err != nil || len(r.Hosts) != 1 || r.Domain != want {
		t.Errorf("LookupMX: %v %+v", err, r)
	}
	if org, err := dmarc.OrganizationalDomain(ctx, c, "mx."+in, ""); err != nil || org != want {
		t.Errorf("OrganizationalDomain = %q, %v", org, err)
	}
	if r, err := dmarc.CheckAlignment(ctx, c, in, "mx."+in, in, ""); err != nil || !r.SPFRelaxed || r.FromDomain != want {
		t.Errorf("CheckAlignment: %v %+v", err, r)
	}
	_ = dnsauthtest.FaultNone
}

// TestReportJSONFindingsOnce: in the JSON of a report, each finding is
// written once, whatever sections it came from.
func TestReportJSONFindingsOnce(t *testing.T) {
	_, c := startZoneFile(t, "problems.zone", 2*time.Second)
	for _, d := range []string{"weak.example", "syntax.example", "multi.example", "noinclude.example"} {
		rep, err := Check(t.Context(), d, &Options{Resolver: c, Selectors: []string{"tiny", "mid", "absent1", "absent2"},
			IPs: []netip.Addr{netip.MustParseAddr("203.0.113.9")}})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) == 0 {
			t.Fatalf("%s: no findings to check", d)
		}
		// The checklist quotes the finding that decides each item; that is
		// a reference, not a second finding.
		rep.Checklist = nil
		js := reportJSON(t, rep)
		for _, f := range rep.Findings {
			m, _ := json.Marshal(f.Message)
			if n := strings.Count(js, string(m)); n != 1 {
				t.Errorf("%s: %s written %d times: %s", d, f.Code, n, f.Message)
			}
		}
		if n := strings.Count(js, `"dkim.missing"`); n > 1 {
			t.Errorf("%s: dkim.missing written %d times", d, n)
		}
	}
}
