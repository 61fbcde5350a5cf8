package dnsauth

import (
	"context"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// session wraps a Resolver for the length of one check. It caches every
// answer, makes identical questions that are in flight at the same time
// only once, and counts the questions that reached the resolver. A session
// is safe for concurrent use; it is dropped when the check ends, so no
// answer outlives the check.
type session struct {
	r Resolver

	mu      sync.Mutex
	entries map[sessionKey]*sessionEntry
	queries int
}

type sessionKey struct {
	name  string
	qtype uint16
}

type sessionEntry struct {
	done chan struct{}
	ans  *Answer
	err  error
}

func newSession(r Resolver) *session {
	return &session{r: r, entries: make(map[sessionKey]*sessionEntry)}
}

// Lookup implements Resolver with the session's cache.
func (s *session) Lookup(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	k := sessionKey{strings.ToLower(dns.Fqdn(name)), qtype}
	s.mu.Lock()
	if e, ok := s.entries[k]; ok {
		s.mu.Unlock()
		select {
		case <-e.done:
			return e.ans, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	e := &sessionEntry{done: make(chan struct{})}
	s.entries[k] = e
	s.queries++
	s.mu.Unlock()

	e.ans, e.err = s.r.Lookup(ctx, name, qtype)
	if e.err != nil {
		// A failed question (cancelled context) is not cached: a later
		// caller with a live context may ask again.
		s.mu.Lock()
		delete(s.entries, k)
		s.mu.Unlock()
	}
	close(e.done)
	return e.ans, e.err
}

// Queries returns the number of questions that reached the resolver.
func (s *session) Queries() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries
}
