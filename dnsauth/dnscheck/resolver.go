package dnscheck

import (
	"context"
	"net/netip"
	"strings"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/internal/syntax"
)

// Resolver answers one DNS question. It is the seam through which every
// check in this package reaches DNS; [Client] is the implementation on
// github.com/miekg/dns, and callers may plug in their own (a cache, a
// DNS-over-HTTPS client, a fixed table in tests).
//
// Lookup returns a non-nil [*Answer] and a nil error for every outcome the
// DNS can give, including NXDOMAIN, SERVFAIL and a server that never
// answered (Status tells them apart; Rcode is -1 when no server replied).
// The error is non-nil only when the question itself is invalid, the
// resolver cannot work at all (it is not configured), or ctx ended first;
// it then wraps ctx.Err(), and a deadline of ctx that passes during the
// question must give an error wrapping [context.DeadlineExceeded], not a
// StatusTimeout answer.
//
// Implementations must be safe for concurrent use.
type Resolver interface {
	Lookup(ctx context.Context, name string, qtype uint16) (*Answer, error)
}

// Status is the outcome of one DNS question, as the checks need it: SPF and
// DMARC treat "no such name", "no record of that type", a server failure
// and a timeout differently.
type Status string

// Query outcomes.
const (
	StatusOK       Status = "ok"       // NOERROR with records of the type asked
	StatusNoData   Status = "nodata"   // NOERROR, the name exists but has no record of that type
	StatusNXDomain Status = "nxdomain" // NXDOMAIN: the name does not exist
	StatusServFail Status = "servfail" // SERVFAIL from every server tried
	StatusRefused  Status = "refused"  // REFUSED (or NOTIMP) from every server tried
	StatusTimeout  Status = "timeout"  // no server answered within the timeout and retries
	StatusError    Status = "error"    // another rcode, a malformed or oversized reply, or a network error
	// StatusCNAMELoop: the CNAME chain from the name leads back into itself.
	StatusCNAMELoop Status = "cname_loop"
)

// Void reports whether the outcome counts as a void lookup in the sense of
// RFC 7208 section 4.6.4: no records, because the name does not exist or has
// none of the type asked.
func (s Status) Void() bool { return s == StatusNXDomain || s == StatusNoData }

// Temporary reports whether the outcome is a temporary failure (SPF's
// temperror, DMARC's "try again later").
func (s Status) Temporary() bool {
	return s == StatusServFail || s == StatusRefused || s == StatusTimeout || s == StatusError || s == StatusCNAMELoop
}

// Answer is the reply to one question.
type Answer struct {
	// Name is the question name, fully qualified and lower case.
	Name string
	// Type is the question type (dns.TypeTXT, ...).
	Type uint16
	// Status is the outcome.
	Status Status
	// Rcode is the DNS response code of the reply used (-1 if none came).
	Rcode int
	// CNAMEs is the chain of aliases followed from Name, in order, each a
	// fully qualified target name; empty when Name had no CNAME.
	CNAMEs []string
	// Records holds the records of type Type found at the end of the CNAME
	// chain. Records of other types are dropped.
	Records []dns.RR
	// Authenticated is the AD bit of the reply.
	Authenticated bool
	// Detail says more about a failure (the network error, the server that
	// failed) for reports; it is empty on success.
	Detail string
}

// Target returns the name the records belong to: the last CNAME target, or
// Name when there was no alias.
func (a *Answer) Target() string {
	if n := len(a.CNAMEs); n > 0 {
		return a.CNAMEs[n-1]
	}
	return a.Name
}

// TXT returns the TXT records of the answer, each record's strings joined
// without a separator (RFC 7208 section 3.3, RFC 6376 section 3.6.2.2) and
// with the presentation escapes of miekg/dns (\" and \DDD) undone, so the
// result holds the record's raw bytes.
func (a *Answer) TXT() []string {
	var out []string
	for _, rr := range a.Records {
		if t, ok := rr.(*dns.TXT); ok {
			var b strings.Builder
			for _, s := range t.Txt {
				b.WriteString(syntax.UnescapeTXT(s))
			}
			out = append(out, b.String())
		}
	}
	return out
}

// Addrs returns the addresses of the A and AAAA records of the answer.
func (a *Answer) Addrs() []netip.Addr {
	var out []netip.Addr
	for _, rr := range a.Records {
		switch r := rr.(type) {
		case *dns.A:
			if ip, ok := netip.AddrFromSlice(r.A.To4()); ok {
				out = append(out, ip)
			}
		case *dns.AAAA:
			if ip, ok := netip.AddrFromSlice(r.AAAA.To16()); ok {
				out = append(out, ip)
			}
		}
	}
	return out
}

// MX returns the MX records of the answer.
func (a *Answer) MX() []*dns.MX {
	var out []*dns.MX
	for _, rr := range a.Records {
		if mx, ok := rr.(*dns.MX); ok {
			out = append(out, mx)
		}
	}
	return out
}

// PTR returns the target names of the PTR records of the answer.
func (a *Answer) PTR() []string {
	var out []string
	for _, rr := range a.Records {
		if p, ok := rr.(*dns.PTR); ok {
			out = append(out, strings.ToLower(p.Ptr))
		}
	}
	return out
}
