package dnscheck

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
)

const clientZone = `
$ORIGIN example.com.
@        TXT   "v=spf1 " "include:_spf.example.com" " -all"
@        MX    10 mail
mail     A     192.0.2.1
mail     AAAA  2001:db8::1
alias    CNAME alias2
alias2   CNAME mail
quoted   TXT   "say \"hi\"\\ \128\255"
loop1    CNAME loop2
loop2    CNAME loop1
`

func TestClientStatuses(t *testing.T) {
	srv := dnsauthtest.Start(t, clientZone)
	c := testClient(t, srv.Addr())
	ctx := t.Context()
	tests := []struct {
		name    string
		qtype   uint16
		status  Status
		records int
		cnames  []string
	}{
		{"example.com", dns.TypeTXT, StatusOK, 1, nil},
		{"Example.COM.", dns.TypeMX, StatusOK, 1, nil},
		{"example.com", dns.TypeA, StatusNoData, 0, nil},
		{"nope.example.com", dns.TypeA, StatusNXDomain, 0, nil},
		{"alias.example.com", dns.TypeA, StatusOK, 1, []string{"alias2.example.com.", "mail.example.com."}},
		{"alias.example.com", dns.TypeMX, StatusNoData, 0, []string{"alias2.example.com.", "mail.example.com."}},
		{"alias.example.com", dns.TypeCNAME, StatusOK, 1, nil},
		{"loop1.example.com", dns.TypeA, StatusCNAMELoop, 0, []string{"loop2.example.com.", "loop1.example.com."}},
	}
	for _, tt := range tests {
		a, err := c.Lookup(ctx, tt.name, tt.qtype)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if a.Status != tt.status || len(a.Records) != tt.records || strings.Join(a.CNAMEs, ",") != strings.Join(tt.cnames, ",") {
			t.Errorf("%s %s: status %s, %d records, cnames %v; want %s, %d, %v",
				tt.name, dns.TypeToString[tt.qtype], a.Status, len(a.Records), a.CNAMEs, tt.status, tt.records, tt.cnames)
		}
		for _, rr := range a.Records {
			if rr.Header().Rrtype != tt.qtype {
				t.Errorf("%s: record of type %s kept", tt.name, dns.TypeToString[rr.Header().Rrtype])
			}
		}
		if a.Name != strings.ToLower(dns.Fqdn(tt.name)) || a.Type != tt.qtype {
			t.Errorf("%s: Name %q Type %d", tt.name, a.Name, a.Type)
		}
	}
}

func TestClientTXT(t *testing.T) {
	srv := dnsauthtest.Start(t, clientZone)
	c := testClient(t, srv.Addr())
	a, err := c.Lookup(t.Context(), "example.com", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.TXT(), []string{"v=spf1 include:_spf.example.com -all"}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("TXT() = %q, want %q", got, want)
	}
	a, err = c.Lookup(t.Context(), "quoted.example.com", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.TXT(), "say \"hi\"\\ \x80\xff"; len(got) != 1 || got[0] != want {
		t.Errorf("TXT() = %q, want %q", got, want)
	}
	a, err = c.Lookup(t.Context(), "alias.example.com", dns.TypeA)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Addrs(); len(got) != 1 || got[0].String() != "192.0.2.1" || a.Target() != "mail.example.com." {
		t.Errorf("Addrs() = %v, Target() = %q", got, a.Target())
	}
}

func TestClientFaults(t *testing.T) {
	srv := dnsauthtest.Start(t, clientZone)
	c := testClient(t, srv.Addr())
	ctx := t.Context()

	srv.SetFault("example.com", dns.TypeTXT, dnsauthtest.FaultServFail)
	if a, _ := c.Lookup(ctx, "example.com", dns.TypeTXT); a.Status != StatusServFail || !a.Status.Temporary() || a.Detail == "" {
		t.Errorf("servfail: %+v", a)
	}

	srv.SetFault("example.com", dns.TypeTXT, dnsauthtest.FaultTruncate)
	srv.ResetQueries()
	a, _ := c.Lookup(ctx, "example.com", dns.TypeTXT)
	if a.Status != StatusOK || len(a.TXT()) != 1 {
		t.Errorf("truncated: %+v", a)
	}
	if qs := srv.Queries(); len(qs) != 2 || qs[0].Proto != "udp" || qs[1].Proto != "tcp" {
		t.Errorf("truncated: queries %+v, want udp then tcp", qs)
	}

	srv.SetFault("example.com", dns.TypeTXT, dnsauthtest.FaultDrop)
	srv.ResetQueries()
	c2, err := NewClient(&ClientOptions{Servers: []string{srv.Addr()}, Timeout: 50 * time.Millisecond, Retries: 2})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := c2.Lookup(ctx, "example.com", dns.TypeTXT); a.Status != StatusTimeout || a.Rcode != -1 {
		t.Errorf("dropped: %+v", a)
	}
	if n := len(srv.Queries()); n != 3 {
		t.Errorf("dropped with 2 retries: %d queries, want 3", n)
	}
}

func TestClientServerOrder(t *testing.T) {
	bad := dnsauthtest.Start(t, clientZone)
	good := dnsauthtest.Start(t, clientZone)
	bad.SetFault("example.com", 0, dnsauthtest.FaultServFail)
	c := testClient(t, bad.Addr(), good.Addr())
	a, err := c.Lookup(t.Context(), "example.com", dns.TypeMX)
	if err != nil || a.Status != StatusOK {
		t.Fatalf("second server not used: %+v %v", a, err)
	}
	if len(bad.Queries()) != 1 || len(good.Queries()) != 1 {
		t.Errorf("queries: bad %d, good %d", len(bad.Queries()), len(good.Queries()))
	}
	// NXDOMAIN settles the question: the second server is not asked.
	bad.SetFault("example.com", 0, dnsauthtest.FaultNone)
	good.ResetQueries()
	if a, _ := c.Lookup(t.Context(), "none.example.com", dns.TypeA); a.Status != StatusNXDomain || len(good.Queries()) != 0 {
		t.Errorf("NXDOMAIN from the first server: %+v, second asked %d times", a, len(good.Queries()))
	}
}

// hostileServer answers every question with whatever reply returns.
func hostileServer(t *testing.T, reply func(req *dns.Msg) *dns.Msg) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, NotifyStartedFunc: func() { close(started) },
		Handler: dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) { w.WriteMsg(reply(req)) })}
	go srv.ActivateAndServe()
	<-started
	t.Cleanup(func() { srv.Shutdown() })
	return pc.LocalAddr().String()
}

func TestClientHostileReplies(t *testing.T) {
	t.Run("wrong question", func(t *testing.T) {
		addr := hostileServer(t, func(req *dns.Msg) *dns.Msg {
			m := new(dns.Msg)
			m.SetReply(req)
			m.Question[0].Name = "other.example."
			return m
		})
		a, err := testClient(t, addr).Lookup(t.Context(), "example.com", dns.TypeA)
		if err != nil || a.Status != StatusError {
			t.Errorf("got %+v, %v; want StatusError", a, err)
		}
	})
	t.Run("long chain and foreign records", func(t *testing.T) {
		addr := hostileServer(t, func(req *dns.Msg) *dns.Msg {
			m := new(dns.Msg)
			m.SetReply(req)
			prev := req.Question[0].Name
			for i := range 30 {
				next := "c" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".x."
				m.Answer = append(m.Answer, &dns.CNAME{Hdr: dns.RR_Header{Name: prev, Rrtype: dns.TypeCNAME, Class: dns.ClassINET}, Target: next})
				prev = next
			}
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: "evil.example.", Rrtype: dns.TypeA, Class: dns.ClassINET}, A: net.IPv4(192, 0, 2, 66)})
			return m
		})
		a, err := testClient(t, addr).Lookup(t.Context(), "example.com", dns.TypeA)
		if err != nil || a.Status != StatusNoData || len(a.CNAMEs) != maxCNAMEChain || len(a.Records) != 0 {
			t.Errorf("got status %s, %d cnames, %d records, %v", a.Status, len(a.CNAMEs), len(a.Records), err)
		}
	})
	t.Run("unknown rcode", func(t *testing.T) {
		addr := hostileServer(t, func(req *dns.Msg) *dns.Msg {
			m := new(dns.Msg)
			m.SetRcode(req, dns.RcodeYXDomain)
			return m
		})
		a, err := testClient(t, addr).Lookup(t.Context(), "example.com", dns.TypeA)
		if err != nil || a.Status != StatusError || a.Rcode != -1 {
			t.Errorf("got %+v, %v", a, err)
		}
	})
	t.Run("FORMERR to EDNS0", func(t *testing.T) {
		addr := hostileServer(t, func(req *dns.Msg) *dns.Msg {
			m := new(dns.Msg)
			if req.IsEdns0() != nil {
				return m.SetRcode(req, dns.RcodeFormatError)
			}
			m.SetReply(req)
			m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: req.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET}, A: net.IPv4(192, 0, 2, 7)})
			return m
		})
		a, err := testClient(t, addr).Lookup(t.Context(), "example.com", dns.TypeA)
		if err != nil || a.Status != StatusOK || len(a.Addrs()) != 1 {
			t.Errorf("got %+v, %v", a, err)
		}
	})
	t.Run("FORMERR always", func(t *testing.T) {
		addr := hostileServer(t, func(req *dns.Msg) *dns.Msg {
			return new(dns.Msg).SetRcode(req, dns.RcodeFormatError)
		})
		a, err := testClient(t, addr).Lookup(t.Context(), "example.com", dns.TypeA)
		if err != nil || a.Status != StatusError {
			t.Errorf("got %+v, %v", a, err)
		}
	})
	t.Run("refused", func(t *testing.T) {
		addr := hostileServer(t, func(req *dns.Msg) *dns.Msg {
			m := new(dns.Msg)
			m.SetRcode(req, dns.RcodeRefused)
			return m
		})
		a, err := testClient(t, addr).Lookup(t.Context(), "example.com", dns.TypeA)
		if err != nil || a.Status != StatusRefused || !a.Status.Temporary() {
			t.Errorf("got %+v, %v", a, err)
		}
	})
}

func TestClientContextAndQuestion(t *testing.T) {
	srv := dnsauthtest.Start(t, clientZone)
	srv.SetLatency(time.Hour)
	c := testClient(t, srv.Addr())
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		for len(srv.Queries()) == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := c.Lookup(ctx, "example.com", dns.TypeTXT)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled lookup: err = %v, want context.Canceled", err)
	}
	var qe *QuestionError
	for _, name := range []string{"", "a..b", strings.Repeat("x", 64) + ".example", strings.Repeat("abcdefghi.", 26)} {
		if _, err := c.Lookup(t.Context(), name, dns.TypeA); !errors.As(err, &qe) {
			t.Errorf("Lookup(%q): err = %v, want *QuestionError", name, err)
		}
	}
}

func TestClientConcurrent(t *testing.T) {
	srv := dnsauthtest.Start(t, clientZone)
	c := testClient(t, srv.Addr())
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			name := []string{"example.com", "mail.example.com", "nope.example.com", "alias.example.com"}[i%4]
			if a, err := c.Lookup(t.Context(), name, dns.TypeA); err != nil || a.Status.Temporary() {
				t.Errorf("%s: %+v %v", name, a, err)
			}
		})
	}
	wg.Wait()
}

func TestNewClientConfig(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "resolv.conf")
	if err := os.WriteFile(conf, []byte("nameserver 192.0.2.53\nnameserver 2001:db8::53\noptions timeout:3 attempts:3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := NewClient(&ClientOptions{ResolvConf: conf})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Servers(), ","); got != "192.0.2.53:53,[2001:db8::53]:53" {
		t.Errorf("servers = %s", got)
	}
	if c.timeout != 3*time.Second || c.retries != 2 {
		t.Errorf("timeout %v retries %d, want 3s and 2", c.timeout, c.retries)
	}
	empty := filepath.Join(dir, "empty.conf")
	if err := os.WriteFile(empty, []byte("# nothing\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var ce *ConfigError
	for _, o := range []*ClientOptions{
		{ResolvConf: empty},
		{ResolvConf: filepath.Join(dir, "missing")},
		{Servers: []string{"127.0.0.1:99999"}},
		{Servers: []string{""}},
		{Servers: []string{":53"}},
	} {
		if _, err := NewClient(o); !errors.As(err, &ce) {
			t.Errorf("NewClient(%+v): err = %v, want *ConfigError", o, err)
		}
	}
	c, err = NewClient(&ClientOptions{Servers: []string{"192.0.2.1", "[2001:db8::1]", "::1"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Servers(), ","); got != "192.0.2.1:53,[2001:db8::1]:53,[::1]:53" || c.retries != 1 {
		t.Errorf("servers = %s, retries %d", got, c.retries)
	}
}

func testClient(t *testing.T, servers ...string) *Client {
	t.Helper()
	c, err := NewClient(&ClientOptions{Servers: servers, Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
