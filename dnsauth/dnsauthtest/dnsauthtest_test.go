package dnsauthtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

const testZone = `
$ORIGIN example.com.
$TTL 300
@        IN TXT   "v=spf1 " "-all"
@        IN MX    10 mail
mail     IN A     192.0.2.1
mail     IN AAAA  2001:db8::1
alias    IN CNAME mail
loop1    IN CNAME loop2
loop2    IN CNAME loop1
a.b.deep IN A     192.0.2.9
big      IN TXT   "` + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" + `"
`

func ask(t *testing.T, s *Server, name string, qtype uint16, proto string, udpSize uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	if udpSize > 0 {
		m.SetEdns0(udpSize, false)
	}
	c := &dns.Client{Net: proto, Timeout: 2 * time.Second}
	r, _, err := c.Exchange(m, s.Addr())
	if err != nil {
		t.Fatalf("%s %s over %s: %v", name, dns.TypeToString[qtype], proto, err)
	}
	return r
}

func TestAnswers(t *testing.T) {
	s := Start(t, testZone)
	if !strings.HasPrefix(s.Addr(), "127.0.0.1:") {
		t.Fatalf("Addr() = %q, want 127.0.0.1:port", s.Addr())
	}
	tests := []struct {
		name    string
		qtype   uint16
		rcode   int
		answers int
	}{
		{"example.com.", dns.TypeTXT, dns.RcodeSuccess, 1},
		{"EXAMPLE.com.", dns.TypeMX, dns.RcodeSuccess, 1},
		{"example.com.", dns.TypeA, dns.RcodeSuccess, 0},        // NODATA
		{"nope.example.com.", dns.TypeA, dns.RcodeNameError, 0}, // NXDOMAIN
		{"deep.example.com.", dns.TypeA, dns.RcodeSuccess, 0},   // empty non-terminal
		{"alias.example.com.", dns.TypeA, dns.RcodeSuccess, 2},  // CNAME + A
		{"alias.example.com.", dns.TypeCNAME, dns.RcodeSuccess, 1},
		{"loop1.example.com.", dns.TypeA, dns.RcodeSuccess, 2},
	}
	for _, tt := range tests {
		for _, proto := range []string{"udp", "tcp"} {
			r := ask(t, s, tt.name, tt.qtype, proto, 0)
			if r.Rcode != tt.rcode || len(r.Answer) != tt.answers {
				t.Errorf("%s %s over %s: rcode %s with %d answers, want %s with %d",
					tt.name, dns.TypeToString[tt.qtype], proto, dns.RcodeToString[r.Rcode], len(r.Answer),
					dns.RcodeToString[tt.rcode], tt.answers)
			}
		}
	}
	txt := ask(t, s, "example.com.", dns.TypeTXT, "udp", 0).Answer[0].(*dns.TXT)
	if got := strings.Join(txt.Txt, "|"); got != "v=spf1 |-all" {
		t.Errorf("TXT strings = %q", got)
	}
}

func TestFaults(t *testing.T) {
	s := Start(t, testZone)
	s.SetFault("example.com", dns.TypeTXT, FaultServFail)
	if r := ask(t, s, "example.com.", dns.TypeTXT, "udp", 0); r.Rcode != dns.RcodeServerFailure {
		t.Errorf("servfail fault: rcode %s", dns.RcodeToString[r.Rcode])
	}
	if r := ask(t, s, "example.com.", dns.TypeMX, "udp", 0); r.Rcode != dns.RcodeSuccess {
		t.Errorf("other type affected: rcode %s", dns.RcodeToString[r.Rcode])
	}
	s.SetFault("example.com", dns.TypeTXT, FaultNone)
	if r := ask(t, s, "example.com.", dns.TypeTXT, "udp", 0); r.Rcode != dns.RcodeSuccess {
		t.Errorf("cleared fault: rcode %s", dns.RcodeToString[r.Rcode])
	}

	s.SetFault("mail.example.com", 0, FaultTruncate)
	s.SetFault("mail.example.com", dns.TypeAAAA, FaultNone)
	if r := ask(t, s, "mail.example.com.", dns.TypeA, "udp", 0); !r.Truncated || len(r.Answer) != 0 {
		t.Errorf("truncate over UDP: TC=%v, %d answers", r.Truncated, len(r.Answer))
	}
	if r := ask(t, s, "mail.example.com.", dns.TypeA, "tcp", 0); r.Truncated || len(r.Answer) != 1 {
		t.Errorf("truncate over TCP: TC=%v, %d answers", r.Truncated, len(r.Answer))
	}
	if r := ask(t, s, "mail.example.com.", dns.TypeAAAA, "udp", 0); r.Truncated {
		t.Error("exempt type was truncated")
	}

	s.SetFault("example.com", dns.TypeMX, FaultDrop)
	m := new(dns.Msg)
	m.SetQuestion("example.com.", dns.TypeMX)
	c := &dns.Client{Timeout: 50 * time.Millisecond}
	_, _, err := c.Exchange(m, s.Addr())
	var ne interface{ Timeout() bool }
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("drop: err = %v, want a timeout", err)
	}

	qs := s.Queries()
	if len(qs) != 7 || qs[0] != (Query{Name: "example.com.", Type: dns.TypeTXT, Proto: "udp"}) || qs[4].Proto != "tcp" {
		t.Errorf("query log = %+v", qs)
	}
	s.ResetQueries()
	if len(s.Queries()) != 0 {
		t.Error("ResetQueries left entries")
	}
}

func TestUDPSizeTruncation(t *testing.T) {
	s := Start(t, "")
	for i := range 40 {
		if err := s.AddRR("many.example. 60 IN TXT \"" + strings.Repeat("x", 40) + string(rune('a'+i%26)) + "\""); err != nil {
			t.Fatal(err)
		}
	}
	if r := ask(t, s, "many.example.", dns.TypeTXT, "udp", 0); !r.Truncated {
		t.Error("a 2 kB answer fit in 512 bytes")
	}
	if r := ask(t, s, "many.example.", dns.TypeTXT, "udp", 4096); r.Truncated || len(r.Answer) != 40 {
		t.Errorf("with a 4096-byte buffer: TC=%v, %d answers", r.Truncated, len(r.Answer))
	}
}

func TestCloseDuringLatency(t *testing.T) {
	s, err := NewServer(testZone)
	if err != nil {
		t.Fatal(err)
	}
	s.SetLatency(time.Hour)
	done := make(chan error, 1)
	go func() {
		m := new(dns.Msg)
		m.SetQuestion("example.com.", dns.TypeTXT)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		_, _, err := new(dns.Client).ExchangeContext(ctx, m, s.Addr())
		done <- err
	}()
	if err := <-done; err == nil {
		t.Error("an answer came despite an hour of latency")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestZoneErrors(t *testing.T) {
	_, err := NewServer("bad.example. IN A not-an-address\n")
	var ze *ZoneError
	if !errors.As(err, &ze) {
		t.Fatalf("err = %v, want *ZoneError", err)
	}
	s := Start(t, "")
	if err := s.AddRR("x.example. IN A 192.0.2.1", "y.example. IN A 300.1.1.1"); !errors.As(err, &ze) {
		t.Errorf("AddRR err = %v, want *ZoneError", err)
	}
	if r := ask(t, s, "x.example.", dns.TypeA, "udp", 0); r.Rcode != dns.RcodeNameError {
		t.Error("AddRR added records despite an error")
	}
	if _, err := NewServerFromFile("testdata/missing.zone"); err == nil {
		t.Error("NewServerFromFile of a missing file succeeded")
	}
}

func TestRemove(t *testing.T) {
	s := Start(t, testZone)
	s.Remove("mail.example.com", dns.TypeA)
	if r := ask(t, s, "mail.example.com.", dns.TypeA, "udp", 0); r.Rcode != dns.RcodeSuccess || len(r.Answer) != 0 {
		t.Errorf("after Remove A: %s, %d answers", dns.RcodeToString[r.Rcode], len(r.Answer))
	}
	s.Remove("mail.example.com", 0)
	if r := ask(t, s, "mail.example.com.", dns.TypeAAAA, "udp", 0); r.Rcode != dns.RcodeNameError {
		t.Errorf("after Remove all: %s", dns.RcodeToString[r.Rcode])
	}
}

func TestNewServerFromFile(t *testing.T) {
	s, err := NewServerFromFile("testdata/example.zone")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := ask(t, s, "www.example.org.", dns.TypeA, "udp", 0)
	if len(r.Answer) != 2 || r.Answer[1].(*dns.A).A.String() != "198.51.100.10" {
		t.Errorf("www A: %v", r.Answer)
	}
	if r := ask(t, s, "example.org.", dns.TypeSOA, "tcp", 0); len(r.Answer) != 1 || r.Answer[0].Header().Ttl != 3600 {
		t.Errorf("SOA: %v", r.Answer)
	}
}
