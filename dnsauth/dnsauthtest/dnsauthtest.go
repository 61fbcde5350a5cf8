// Package dnsauthtest runs a small authoritative DNS server on the loopback
// interface, in the spirit of net/http/httptest: a mailer's tests can stand
// up "a domain with these records" (or one whose DNS misbehaves) and point a
// dnsauth resolver, or any DNS client, at [Server.Addr]. Programs that want
// to work offline use it too.
//
// A [Server] answers over UDP and TCP on one 127.0.0.1 port from records
// loaded from master-file text (RFC 1035 section 5, with $ORIGIN and $TTL) or
// added in code. It follows CNAMEs inside its own data, tells NXDOMAIN from
// NODATA (a name that exists, or has names below it, answers NOERROR with no
// records), truncates UDP answers that do not fit the client's buffer, and
// can be told to misbehave: answer SERVFAIL, drop a question so the client
// times out, set the TC bit on UDP answers to force a retry over TCP, or
// wait before answering. It logs every question it sees.
//
// The core API takes no testing.TB, so example programs can serve a zone
// file in-process; [Start] is the convenience for tests.
package dnsauthtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Fault is a way for the server to misbehave for a question.
type Fault int

// Faults.
const (
	FaultNone     Fault = iota // answer normally
	FaultServFail              // answer SERVFAIL
	FaultDrop                  // send no answer at all (the client times out)
	FaultTruncate              // over UDP answer with TC set and no records; over TCP answer in full
)

// String returns the fault's name.
func (f Fault) String() string {
	switch f {
	case FaultNone:
		return "none"
	case FaultServFail:
		return "servfail"
	case FaultDrop:
		return "drop"
	case FaultTruncate:
		return "truncate"
	}
	return fmt.Sprintf("Fault(%d)", int(f))
}

// Query is one question the server received.
type Query struct {
	Name  string // lower case, fully qualified
	Type  uint16 // dns.TypeA, ...
	Proto string // "udp" or "tcp"
}

// DefaultTTL is the TTL of records whose master-file line gives none when
// no $TTL line came before.
const DefaultTTL = 300

// maxCNAMEs bounds how many aliases the server follows inside its data.
const maxCNAMEs = 16

type faultKey struct {
	name  string
	qtype uint16 // 0 matches every type
}

// Server is a loopback DNS server. Its methods are safe for concurrent use.
type Server struct {
	udp, tcp *dns.Server
	addr     string
	closed   chan struct{}
	once     sync.Once
	closeErr error

	mu      sync.Mutex
	rrs     map[string][]dns.RR // owner (lower case, FQDN) -> records
	faults  map[faultKey]Fault
	latency time.Duration
	queries []Query
}

// NewServer starts a server on 127.0.0.1 (a free port, UDP and TCP) that
// serves the records of zone, master-file text. The default origin is the
// root, so owner names should be fully qualified or follow an $ORIGIN line.
// The error will be of type [*ZoneError] when the text does not parse.
func NewServer(zone string) (*Server, error) {
	rrs, err := parseZone(strings.NewReader(zone), "zone")
	if err != nil {
		return nil, err
	}
	s, err := start()
	if err != nil {
		return nil, err
	}
	s.Add(rrs...)
	return s, nil
}

// NewServerFromFile is [NewServer] with the zone read from the file at path.
func NewServerFromFile(path string) (*Server, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dnsauthtest: %w", err)
	}
	defer f.Close()
	rrs, err := parseZone(f, path)
	if err != nil {
		return nil, err
	}
	s, err := start()
	if err != nil {
		return nil, err
	}
	s.Add(rrs...)
	return s, nil
}

// Start is [NewServer] for tests: it fails tb when the zone does not parse
// or the server cannot start, and closes the server when the test ends.
func Start(tb testing.TB, zone string) *Server {
	tb.Helper()
	s, err := NewServer(zone)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("dnsauthtest: close: %v", err)
		}
	})
	return s
}

// ZoneError reports master-file text or a record that does not parse.
// Err is the parser's error, which names the line.
type ZoneError struct {
	File string // the file name, "zone" for text, "record" for AddRR
	Err  error
}

// Error implements error.
func (e *ZoneError) Error() string {
	if strings.Contains(e.Err.Error(), e.File) {
		return "dnsauthtest: " + e.Err.Error()
	}
	return fmt.Sprintf("dnsauthtest: %s: %v", e.File, e.Err)
}

// Unwrap returns the parser's error.
func (e *ZoneError) Unwrap() error { return e.Err }

func parseZone(r io.Reader, file string) ([]dns.RR, error) {
	zp := dns.NewZoneParser(r, ".", file)
	zp.SetDefaultTTL(DefaultTTL)
	var out []dns.RR
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		out = append(out, rr)
	}
	if err := zp.Err(); err != nil {
		return nil, &ZoneError{File: file, Err: err}
	}
	return out, nil
}

func start() (*Server, error) {
	var pc net.PacketConn
	var l net.Listener
	// The UDP and TCP sockets must share a port; another process may take
	// the TCP port between the two binds, so try a few ports.
	var lastErr error
	for range 20 {
		p, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("dnsauthtest: %w", err)
		}
		t, err := net.Listen("tcp", p.LocalAddr().String())
		if err != nil {
			p.Close()
			lastErr = err
			continue
		}
		pc, l = p, t
		break
	}
	if pc == nil {
		return nil, fmt.Errorf("dnsauthtest: no port free for UDP and TCP: %w", lastErr)
	}
	s := &Server{
		addr:   pc.LocalAddr().String(),
		closed: make(chan struct{}),
		rrs:    make(map[string][]dns.RR),
		faults: make(map[faultKey]Fault),
	}
	mux := dns.NewServeMux()
	mux.HandleFunc(".", s.serve)
	started := make(chan struct{}, 2)
	notify := func() { started <- struct{}{} }
	s.udp = &dns.Server{PacketConn: pc, Handler: mux, NotifyStartedFunc: notify}
	s.tcp = &dns.Server{Listener: l, Handler: mux, NotifyStartedFunc: notify}
	errc := make(chan error, 2)
	for _, srv := range []*dns.Server{s.udp, s.tcp} {
		go func() { errc <- srv.ActivateAndServe() }()
	}
	for range 2 {
		select {
		case <-started:
		case err := <-errc:
			close(s.closed)
			s.udp.Shutdown()
			s.tcp.Shutdown()
			return nil, fmt.Errorf("dnsauthtest: serve: %w", err)
		}
	}
	return s, nil
}

// Addr returns the server's address, "127.0.0.1:port", the same for UDP and
// TCP.
func (s *Server) Addr() string { return s.addr }

// Close stops the server and waits for its goroutines to end. Questions
// that are waiting out a latency are dropped.
func (s *Server) Close() error {
	s.once.Do(func() {
		close(s.closed)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err1 := s.udp.ShutdownContext(ctx)
		err2 := s.tcp.ShutdownContext(ctx)
		if err := errors.Join(err1, err2); err != nil {
			s.closeErr = fmt.Errorf("dnsauthtest: shutdown: %w", err)
		}
	})
	return s.closeErr
}

// Add adds records built in code. Owner names are matched case-insensitively.
func (s *Server) Add(rrs ...dns.RR) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rr := range rrs {
		name := strings.ToLower(dns.Fqdn(rr.Header().Name))
		s.rrs[name] = append(s.rrs[name], rr)
	}
}

// AddRR parses each string as one record in master-file form (a relative
// owner name is taken relative to the root) and adds them all, or none when
// one does not parse.
func (s *Server) AddRR(rr ...string) error {
	parsed := make([]dns.RR, 0, len(rr))
	for _, text := range rr {
		r, err := dns.NewRR(text)
		if err != nil {
			return &ZoneError{File: "record", Err: err}
		}
		if r == nil {
			return &ZoneError{File: "record", Err: fmt.Errorf("empty record %q", text)}
		}
		parsed = append(parsed, r)
	}
	s.Add(parsed...)
	return nil
}

// Remove deletes every record of type qtype at name (every record at name
// when qtype is 0).
func (s *Server) Remove(name string, qtype uint16) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(dns.Fqdn(name))
	if qtype == 0 {
		delete(s.rrs, k)
		return
	}
	s.rrs[k] = slices.DeleteFunc(s.rrs[k], func(rr dns.RR) bool { return rr.Header().Rrtype == qtype })
	if len(s.rrs[k]) == 0 {
		delete(s.rrs, k)
	}
}

// SetFault makes the server misbehave with f for questions of type qtype at
// name; qtype 0 applies f to every type at name that has no fault of its
// own. FaultNone clears the fault (with qtype 0, every fault at name); a
// FaultNone set for one type while a fault for every type is in place
// exempts that type.
func (s *Server) SetFault(name string, qtype uint16, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := strings.ToLower(dns.Fqdn(name))
	if f == FaultNone && qtype == 0 {
		for k := range s.faults {
			if k.name == n {
				delete(s.faults, k)
			}
		}
		return
	}
	if f == FaultNone {
		if _, any := s.faults[faultKey{n, 0}]; !any {
			delete(s.faults, faultKey{n, qtype})
			return
		}
	}
	s.faults[faultKey{n, qtype}] = f
}

// SetLatency makes the server wait d before every answer.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

// Queries returns the questions received so far, in order of arrival.
func (s *Server) Queries() []Query {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.queries)
}

// ResetQueries empties the query log.
func (s *Server) ResetQueries() {
	s.mu.Lock()
	s.queries = nil
	s.mu.Unlock()
}

func (s *Server) serve(w dns.ResponseWriter, req *dns.Msg) {
	proto := "udp"
	if _, ok := w.RemoteAddr().(*net.TCPAddr); ok {
		proto = "tcp"
	}
	if len(req.Question) != 1 || req.Opcode != dns.OpcodeQuery {
		m := new(dns.Msg)
		m.SetRcode(req, dns.RcodeFormatError)
		w.WriteMsg(m)
		return
	}
	q := req.Question[0]
	name := strings.ToLower(q.Name)

	s.mu.Lock()
	s.queries = append(s.queries, Query{Name: name, Type: q.Qtype, Proto: proto})
	latency := s.latency
	fault, ok := s.faults[faultKey{name, q.Qtype}]
	if !ok {
		fault = s.faults[faultKey{name, 0}]
	}
	m := s.answer(req, name, q.Qtype)
	s.mu.Unlock()

	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-s.closed:
			t.Stop()
			return
		}
	}
	switch fault {
	case FaultDrop:
		return
	case FaultServFail:
		m = new(dns.Msg)
		m.SetRcode(req, dns.RcodeServerFailure)
	case FaultTruncate:
		if proto == "udp" {
			m.Answer, m.Ns, m.Extra = nil, nil, nil
			m.Truncated = true
		}
	}
	if proto == "udp" {
		size := dns.MinMsgSize
		if opt := req.IsEdns0(); opt != nil && int(opt.UDPSize()) > size {
			size = int(opt.UDPSize())
		}
		m.Truncate(size)
	}
	w.WriteMsg(m)
}

// answer builds the reply from the data; s.mu is held.
func (s *Server) answer(req *dns.Msg, name string, qtype uint16) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	m.RecursionAvailable = true
	if opt := req.IsEdns0(); opt != nil {
		m.SetEdns0(opt.UDPSize(), false)
	}
	cur := name
	seen := map[string]bool{}
	for range maxCNAMEs {
		rrs, exists := s.rrs[cur]
		if !exists && !s.hasChildren(cur) {
			m.Rcode = dns.RcodeNameError
			return m
		}
		var cname *dns.CNAME
		found := false
		for _, rr := range rrs {
			if rr.Header().Rrtype == qtype || qtype == dns.TypeANY {
				m.Answer = append(m.Answer, copyOwner(rr, cur))
				found = true
			} else if c, ok := rr.(*dns.CNAME); ok && cname == nil {
				cname = c
			}
		}
		if found || cname == nil {
			return m
		}
		m.Answer = append(m.Answer, copyOwner(cname, cur))
		seen[cur] = true
		cur = strings.ToLower(dns.Fqdn(cname.Target))
		if seen[cur] {
			return m // a loop: the client sees the chain and no records
		}
	}
	return m
}

// copyOwner returns rr with its owner name as asked, so the reply names
// match the question's case-folded form.
func copyOwner(rr dns.RR, owner string) dns.RR {
	c := dns.Copy(rr)
	c.Header().Name = owner
	return c
}

// hasChildren reports whether a name below n exists (n is then an empty
// non-terminal and answers NODATA rather than NXDOMAIN).
func (s *Server) hasChildren(n string) bool {
	suffix := "." + n
	if n == "." {
		return len(s.rrs) > 0
	}
	for k := range s.rrs {
		if strings.HasSuffix(k, suffix) {
			return true
		}
	}
	return false
}
