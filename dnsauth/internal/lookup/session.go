// Package lookup holds what the checks of dnsauth share when they ask DNS:
// the per-check session (cache, single flight, counts), the finding for a
// failed answer, alias following and domain normalization.
package lookup

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

// session wraps a Resolver for the length of one check. It caches every
// answer, asks each question only once however many parts of the check
// want it, and counts the questions that reached the resolver.
//
// Each question runs under the session's own context, which no single
// asker can cancel: an asker whose context ends stops waiting and gets its
// context's error, while the question goes on for everyone else and its
// answer stays in the cache. The session's context ends when the check's
// caller's context does, or when close is called. A session is safe for
// concurrent use; it is dropped when the check ends, so no answer outlives
// the check.
type Session struct {
	r      dnscheck.Resolver
	base   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	entries  map[sessionKey]*sessionEntry
	queries  int
	answered int // questions answered (no error)
	noReply  int // answers without any reply from a server
	failure  string
}

type sessionKey struct {
	name  string
	qtype uint16
}

type sessionEntry struct {
	done chan struct{}
	ans  *dnscheck.Answer
	err  error
}

// newSession returns a session whose questions run under a context that
// ends with ctx or when close is called.
func NewSession(ctx context.Context, r dnscheck.Resolver) *Session {
	base, cancel := context.WithCancel(ctx)
	return &Session{r: r, base: base, cancel: cancel, entries: make(map[sessionKey]*sessionEntry)}
}

// close abandons the questions still unanswered and waits until every
// goroutine of the session has ended.
func (s *Session) Close() {
	s.cancel()
	s.wg.Wait()
}

// Lookup implements Resolver with the session's cache.
func (s *Session) Lookup(ctx context.Context, name string, qtype uint16) (*dnscheck.Answer, error) {
	k := sessionKey{strings.ToLower(dns.Fqdn(name)), qtype}
	s.mu.Lock()
	e, ok := s.entries[k]
	if !ok {
		if err := s.base.Err(); err != nil {
			s.mu.Unlock()
			return nil, lookupCtxErr(name, qtype, ctx, err)
		}
		e = &sessionEntry{done: make(chan struct{})}
		s.entries[k] = e
		s.queries++
		s.wg.Add(1)
		go s.ask(k, e, name, qtype)
	}
	s.mu.Unlock()
	select {
	case <-e.done:
		if e.err != nil && ctx.Err() != nil {
			return nil, lookupCtxErr(name, qtype, ctx, ctx.Err())
		}
		return e.ans, e.err
	case <-ctx.Done():
		return nil, lookupCtxErr(name, qtype, ctx, ctx.Err())
	}
}

// ask puts one question to the resolver under the session's context.
func (s *Session) ask(k sessionKey, e *sessionEntry, name string, qtype uint16) {
	defer s.wg.Done()
	ans, err := s.r.Lookup(s.base, name, qtype)
	s.mu.Lock()
	if err != nil && s.base.Err() != nil {
		// Abandoned: the check is over, so nobody can ask again.
		delete(s.entries, k)
	}
	if err == nil && ans != nil {
		s.answered++
		if ans.Rcode < 0 {
			s.noReply++
			if s.failure == "" {
				s.failure = ans.Detail
			}
		}
	}
	e.ans, e.err = ans, err
	s.mu.Unlock()
	close(e.done)
}

// lookupCtxErr is the error of a question its asker stopped waiting for.
func lookupCtxErr(name string, qtype uint16, ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		err = cerr
	}
	return fmt.Errorf("dnsauth: lookup %s %s: %w", name, dns.Type(qtype), err)
}

// Queries returns the number of questions that reached the resolver.
func (s *Session) Queries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries
}

// unanswered reports whether questions were answered and not one of them
// with a reply from a server (every one timed out or could not reach one).
func (s *Session) Unanswered() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.answered > 0 && s.noReply == s.answered
}

// firstFailure returns the detail of the first answer without a reply.
func (s *Session) FirstFailure() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cmp.Or(s.failure, "no reply")
}

// orDefault returns r, or a zero [dnscheck.Client] (which reads /etc/resolv.conf
// on first use) when r is nil.
func OrDefault(r dnscheck.Resolver) dnscheck.Resolver {
	if r == nil {
		return new(dnscheck.Client)
	}
	return r
}

// dnsFailure returns the dns.servfail, dns.timeout or dns.cname_loop
// finding for a failed answer; what names the data that could not be read.
func Failure(a *dnscheck.Answer, sev dnscheck.Severity, what string) dnscheck.Finding {
	name := strings.TrimSuffix(a.Name, ".")
	f := dnscheck.Finding{
		Code: dnscheck.CodeDNSServFail, Severity: sev, Name: name,
		Message: fmt.Sprintf("the DNS servers failed (%s) when asked for %s at %s, so it could not be checked", a.Status, what, name),
		Fix:     "make sure every authoritative name server for the zone answers this name; receivers treat such failures as temporary errors",
	}
	switch a.Status {
	case dnscheck.StatusTimeout:
		f.Code = dnscheck.CodeDNSTimeout
		f.Message = fmt.Sprintf("no DNS server answered in time when asked for %s at %s, so it could not be checked", what, name)
	case dnscheck.StatusCNAMELoop:
		f.Code = dnscheck.CodeDNSCNAMELoop
		f.Message = fmt.Sprintf("%s cannot be read at %s: %s", what, name, a.Detail)
		f.Fix = "correct the CNAME records of this chain so it ends at a name that holds the records, or remove them"
	case dnscheck.StatusError:
		if a.Detail != "" {
			f.Message = fmt.Sprintf("%s at %s could not be read (%s)", what, name, a.Detail)
		}
	}
	return f
}

// maxCNAMEHops bounds the extra questions asked to follow a CNAME chain
// that a resolver left unresolved.
const maxCNAMEHops = 4

// lookupFollow asks name/qtype and, when the answer ends in an alias whose
// target the resolver did not resolve (an authoritative-only server, or a
// Resolver that does not chase CNAMEs), asks the target too.
func Follow(ctx context.Context, r dnscheck.Resolver, name string, qtype uint16) (*dnscheck.Answer, error) {
	a, err := r.Lookup(ctx, name, qtype)
	if err != nil {
		return nil, err
	}
	chain := slices.Clone(a.CNAMEs)
	for hop := 0; hop < maxCNAMEHops && a.Status == dnscheck.StatusNoData && len(a.CNAMEs) > 0 && len(a.Records) == 0; hop++ {
		next, err := r.Lookup(ctx, a.Target(), qtype)
		if err != nil {
			return nil, err
		}
		if len(next.CNAMEs) > 0 && slices.Contains(chain, next.CNAMEs[len(next.CNAMEs)-1]) {
			break // a loop
		}
		chain = append(chain, next.CNAMEs...)
		a = next
	}
	out := *a
	out.Name = strings.ToLower(dns.Fqdn(name))
	out.CNAMEs = chain
	return &out, nil
}

// normDomain lower-cases domain and drops a trailing dot.
func NormDomain(domain string) string {
	if d, err := dnscheck.NormalizeDomain(domain); err == nil {
		return d
	}
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(domain)), ".")
}

// validDomain reports whether d (no trailing dot) is a name that can be
// asked about with a prefix such as _dmarc.
func ValidDomain(d string) bool {
	if d == "" || len(d) > 240 || strings.Contains(d, "..") || strings.HasPrefix(d, ".") {
		return false
	}
	_, ok := dns.IsDomainName(d)
	if !ok {
		return false
	}
	for l := range strings.SplitSeq(d, ".") {
		if len(l) > 63 {
			return false
		}
	}
	return true
}
