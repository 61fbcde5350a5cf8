package dnscheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/internal/syntax"
)

// Defaults of [ClientOptions].
const (
	// DefaultTimeout is the time one attempt at one server may take.
	DefaultTimeout = 2 * time.Second
	// DefaultUDPSize is the EDNS0 buffer size advertised (the 2020 DNS flag
	// day value, which avoids IP fragmentation).
	DefaultUDPSize = 1232
	// DefaultResolvConf is where [NewClient] reads servers from when none
	// are given.
	DefaultResolvConf = "/etc/resolv.conf"

	// maxCNAMEChain bounds the aliases followed within one reply.
	maxCNAMEChain = 16
	// maxRecords bounds the records kept from one reply.
	maxRecords = 512
)

// ClientOptions configures a [Client]. The zero value (and nil) means: the
// servers of /etc/resolv.conf, their timeout and attempts (else
// [DefaultTimeout] and one retry).
type ClientOptions struct {
	// Servers are the recursive resolvers to ask, in order, each "host" or
	// "host:port" (port 53 when absent; IPv6 literals in brackets when a
	// port is given). Empty: the nameservers of ResolvConf.
	Servers []string
	// Timeout bounds one attempt at one server; 0 means DefaultTimeout, or
	// the timeout of ResolvConf when the servers come from there.
	Timeout time.Duration
	// Retries is how many more times a server that did not answer is asked
	// before the next one is tried. 0 means one retry (resolv.conf's
	// attempts when the servers come from there and it sets them), so one
	// lost UDP datagram does not fail a question; a negative value means
	// none.
	Retries int
	// UDPSize is the EDNS0 buffer size advertised; 0 means DefaultUDPSize.
	UDPSize uint16
	// ResolvConf is the file read when Servers is empty; "" means
	// DefaultResolvConf.
	ResolvConf string
}

// Client is the default [Resolver]: a stub resolver on github.com/miekg/dns
// that asks recursive servers over UDP with EDNS0, asks again over TCP when
// the UDP answer is truncated, and tries its servers in order. A Client is
// safe for concurrent use and holds no connections between questions.
//
// The zero Client is ready to use: on its first question it reads
// /etc/resolv.conf as NewClient(nil) does, and when that fails every
// Lookup returns the [*ConfigError].
type Client struct {
	servers []string
	timeout time.Duration
	retries int
	udpSize uint16
	udp     *dns.Client
	tcp     *dns.Client

	// Set up on first use of a zero Client.
	once    sync.Once
	lazy    *Client
	lazyErr error
}

// NewClient returns a client configured by opts (nil for the defaults).
// The error will be of type [*ConfigError] when no server can be found or a
// server address is malformed.
func NewClient(opts *ClientOptions) (*Client, error) {
	var o ClientOptions
	if opts != nil {
		o = *opts
	}
	c := &Client{timeout: o.Timeout, retries: o.Retries, udpSize: o.UDPSize}
	if c.udpSize == 0 {
		c.udpSize = DefaultUDPSize
	}
	if len(o.Servers) == 0 {
		path := o.ResolvConf
		if path == "" {
			path = DefaultResolvConf
		}
		conf, err := dns.ClientConfigFromFile(path)
		if err != nil {
			return nil, &ConfigError{Source: path, Err: err}
		}
		for _, s := range conf.Servers {
			o.Servers = append(o.Servers, net.JoinHostPort(s, conf.Port))
		}
		if len(o.Servers) == 0 {
			return nil, &ConfigError{Source: path, Err: errors.New("no nameserver lines")}
		}
		if c.timeout == 0 && conf.Timeout > 0 {
			c.timeout = time.Duration(conf.Timeout) * time.Second
		}
		if c.retries == 0 && conf.Attempts > 1 {
			c.retries = conf.Attempts - 1
		}
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	switch {
	case c.retries == 0:
		c.retries = 1
	case c.retries < 0:
		c.retries = 0
	}
	for _, s := range o.Servers {
		addr, err := serverAddr(s)
		if err != nil {
			return nil, &ConfigError{Source: s, Err: err}
		}
		c.servers = append(c.servers, addr)
	}
	c.udp = &dns.Client{Net: "udp", UDPSize: c.udpSize, Timeout: c.timeout}
	c.tcp = &dns.Client{Net: "tcp", Timeout: c.timeout}
	return c, nil
}

// serverAddr normalizes "host" or "host:port" to "host:port".
func serverAddr(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("empty server address")
	}
	if host, port, err := net.SplitHostPort(s); err == nil {
		if host == "" {
			return "", errors.New("server address without host")
		}
		if p, err := strconv.Atoi(port); err != nil || p <= 0 || p > 65535 {
			return "", fmt.Errorf("bad port %q", port)
		}
		return s, nil
	}
	h := strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if strings.ContainsAny(h, "[]/ ") {
		return "", fmt.Errorf("malformed server address %q", s)
	}
	return net.JoinHostPort(h, "53"), nil
}

// Servers returns the servers the client asks, in order, as host:port
// (for a zero Client, those of /etc/resolv.conf; none when it cannot be
// read).
func (c *Client) Servers() []string {
	c, err := c.ready()
	if err != nil {
		return nil
	}
	return append([]string(nil), c.servers...)
}

// ready returns the configured client: c itself, or for a zero Client the
// one made from /etc/resolv.conf on first use.
func (c *Client) ready() (*Client, error) {
	if c.udp != nil {
		return c, nil
	}
	c.once.Do(func() { c.lazy, c.lazyErr = NewClient(nil) })
	return c.lazy, c.lazyErr
}

// ConfigError reports a [Client] configuration that cannot work.
type ConfigError struct {
	Source string // the resolv.conf path or the server address at fault
	Err    error  // what is wrong
}

// Error implements error.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("dnsauth: client config %s: %v", e.Source, e.Err)
}

// Unwrap returns the underlying error.
func (e *ConfigError) Unwrap() error { return e.Err }

// QuestionError reports a question that cannot be asked (a malformed name).
type QuestionError struct {
	Name string // the name asked about
	Type uint16 // the question type (dns.TypeTXT, ...)
	Err  error  // what is wrong with the question
}

// Error implements error.
func (e *QuestionError) Error() string {
	return fmt.Sprintf("dnsauth: question %s %s: %v", e.Name, dns.Type(e.Type), e.Err)
}

// Unwrap returns the underlying error.
func (e *QuestionError) Unwrap() error { return e.Err }

// ValidName reports whether name can be asked: at most 253 octets (254 with
// the final dot), no empty label, no label over 63 octets. The name is
// text, not presentation format: every byte is part of a label except the
// dots between labels (a backslash is a backslash).
func ValidName(name string) bool {
	n := strings.TrimSuffix(name, ".")
	if n == "" || len(n) > 253 {
		return name == "."
	}
	for l := range strings.SplitSeq(n, ".") {
		if l == "" || len(l) > 63 {
			return false
		}
	}
	return true
}

// Lookup implements [Resolver]. The name is text (see [ValidName]); the
// names in the Answer are in presentation form. It asks each server in turn, each up to
// 1+Retries times when it does not answer in time, and returns the first
// answer that settles the question: NOERROR or NXDOMAIN. SERVFAIL, REFUSED
// and errors move on to the next server; when no server settles it the
// Answer's Status says why (SERVFAIL first, then REFUSED, then other
// errors, then timeout). The error is of type [*QuestionError] for a
// malformed name, of type [*ConfigError] when a zero Client finds no
// usable resolv.conf, or wraps ctx.Err() when ctx ended. A ctx deadline
// that passes while a server is being asked ends the question with an
// error wrapping [context.DeadlineExceeded], never with StatusTimeout.
func (c *Client) Lookup(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	if name == "" || !ValidName(name) {
		return nil, &QuestionError{Name: name, Type: qtype, Err: errors.New("malformed name")}
	}
	c, err := c.ready()
	if err != nil {
		return nil, err
	}
	fqdn := syntax.PresentName(strings.ToLower(dns.Fqdn(name)))
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dnsauth: lookup %s %s: %w", fqdn, dns.Type(qtype), err)
	}
	var (
		sawServFail, sawRefused, sawError bool
		details                           []string
	)
	for _, server := range c.servers {
		edns := true
		for attempt := 0; attempt <= c.retries; attempt++ {
			reply, err := c.exchange(ctx, fqdn, qtype, server, edns)
			if err != nil {
				if cerr := ctxDone(ctx); cerr != nil {
					return nil, fmt.Errorf("dnsauth: lookup %s %s: %w", fqdn, dns.Type(qtype), cerr)
				}
				if errors.Is(err, errAttemptTimeout) {
					details = append(details, server+": timeout")
					continue // retry this server
				}
				sawError = true
				details = append(details, server+": "+err.Error())
				break // next server
			}
			if reply.Rcode == dns.RcodeFormatError && edns {
				// A server that does not know EDNS0 may answer FORMERR
				// (RFC 6891 section 7): ask it again without.
				edns = false
				attempt--
				continue
			}
			switch reply.Rcode {
			case dns.RcodeSuccess, dns.RcodeNameError:
				return c.answer(fqdn, qtype, reply), nil
			case dns.RcodeServerFailure:
				sawServFail = true
			case dns.RcodeRefused, dns.RcodeNotImplemented:
				sawRefused = true
			default:
				sawError = true
			}
			details = append(details, server+": "+dns.RcodeToString[reply.Rcode])
			break
		}
	}
	a := &Answer{Name: fqdn, Type: qtype, Rcode: -1, Detail: strings.Join(details, "; ")}
	switch {
	case sawServFail:
		a.Status, a.Rcode = StatusServFail, dns.RcodeServerFailure
	case sawRefused:
		a.Status, a.Rcode = StatusRefused, dns.RcodeRefused
	case sawError:
		a.Status = StatusError
	default:
		a.Status = StatusTimeout
	}
	return a, nil
}

// ctxDone returns ctx's error, or context.DeadlineExceeded when ctx has a
// deadline that has passed though ctx has not noticed yet (a socket
// deadline set from it can fire first).
func ctxDone(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return context.DeadlineExceeded
	}
	return nil
}

// errAttemptTimeout marks an attempt that got no answer in time.
var errAttemptTimeout = errors.New("timeout")

// exchange asks one server once, with EDNS0 when edns is set: over UDP,
// and again over TCP when the UDP reply is truncated. It checks that the reply answers the question. The
// error is errAttemptTimeout when the attempt timed out.
func (c *Client) exchange(ctx context.Context, fqdn string, qtype uint16, server string, edns bool) (*dns.Msg, error) {
	m := new(dns.Msg)
	m.SetQuestion(fqdn, qtype)
	m.RecursionDesired = true
	if edns {
		m.SetEdns0(c.udpSize, false)
	}

	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	reply, err := exchangeOn(actx, c.udp, m, server)
	if err == nil && reply.Truncated {
		reply, err = exchangeOn(actx, c.tcp, m, server)
		if err == nil && reply.Truncated {
			// TCP has no size limit to excuse a partial answer: what came
			// is not the whole RRset, so it cannot be read as one.
			return nil, errors.New("truncated reply over TCP")
		}
	}
	if err != nil {
		var ne net.Error
		if ctxDone(ctx) == nil && (actx.Err() != nil || errors.As(err, &ne) && ne.Timeout()) {
			return nil, errAttemptTimeout
		}
		return nil, err
	}
	if len(reply.Question) != 1 || !strings.EqualFold(reply.Question[0].Name, fqdn) || reply.Question[0].Qtype != qtype {
		return nil, errors.New("reply does not match the question")
	}
	return reply, nil
}

// exchangeOn sends m over a fresh connection of dc and reads the reply. The
// connection is closed as soon as ctx ends, so a cancelled check does not
// wait for the read deadline.
func exchangeOn(ctx context.Context, dc *dns.Client, m *dns.Msg, server string) (*dns.Msg, error) {
	conn, err := dc.DialContext(ctx, server)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	reply, _, err := dc.ExchangeWithConnContext(ctx, m, conn)
	return reply, err
}

// answer turns a NOERROR or NXDOMAIN reply into an Answer: it follows the
// CNAME chain from the question name and keeps the records of the type
// asked at its end.
func (c *Client) answer(fqdn string, qtype uint16, reply *dns.Msg) *Answer {
	a := &Answer{Name: fqdn, Type: qtype, Rcode: reply.Rcode, Authenticated: reply.AuthenticatedData}
	cur := fqdn
	if qtype != dns.TypeCNAME {
		seen := map[string]bool{cur: true}
	chain:
		for range maxCNAMEChain {
			for _, rr := range reply.Answer {
				if cn, ok := rr.(*dns.CNAME); ok && strings.EqualFold(rr.Header().Name, cur) {
					next := strings.ToLower(dns.Fqdn(cn.Target))
					a.CNAMEs = append(a.CNAMEs, next)
					if seen[next] {
						a.Status = StatusCNAMELoop
						a.Detail = "the CNAME chain loops back to " + strings.TrimSuffix(next, ".")
						return a
					}
					seen[next] = true
					cur = next
					continue chain
				}
			}
			break
		}
	}
	for _, rr := range reply.Answer {
		if rr.Header().Rrtype == qtype && rr.Header().Class == dns.ClassINET && strings.EqualFold(rr.Header().Name, cur) {
			if len(a.Records) == maxRecords {
				// Dropping the rest could change a verdict (a second SPF
				// record past the bound), so the answer is not used.
				a.Records = nil
				a.Status = StatusError
				a.Detail = fmt.Sprintf("the answer holds more than %d records of the type asked; it was not read", maxRecords)
				return a
			}
			a.Records = append(a.Records, rr)
		}
	}
	switch {
	case reply.Rcode == dns.RcodeNameError:
		a.Status = StatusNXDomain
	case len(a.Records) > 0:
		a.Status = StatusOK
	default:
		a.Status = StatusNoData
	}
	return a
}
