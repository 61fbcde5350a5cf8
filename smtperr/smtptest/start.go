package smtptest

import (
	"fmt"
	"sync"
	"testing"
)

// Start starts a server for a test: go-smtp's error log goes to tb.Logf
// (unless opts sets ErrorLog), and the server is closed by tb.Cleanup. It
// fails tb if the server cannot start.
func Start(tb testing.TB, opts *Options) *Server {
	tb.Helper()
	var o Options
	if opts != nil {
		o = *opts
	}
	var tl *testLogger
	if o.ErrorLog == nil {
		tl = &testLogger{tb: tb}
		o.ErrorLog = tl
	}
	s, err := NewServer(&o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Error(err)
		}
		if tl != nil {
			tl.stop()
		}
	})
	return s
}

// testLogger forwards to tb.Logf until the test ends; connection goroutines
// that log after that are silenced rather than panicking the test binary.
type testLogger struct {
	mu      sync.Mutex
	tb      testing.TB
	stopped bool
}

func (l *testLogger) Printf(format string, v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.tb.Logf("smtp server: "+format, v...)
	}
}

func (l *testLogger) Println(v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.tb.Log("smtp server: " + fmt.Sprintln(v...))
	}
}

func (l *testLogger) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
}
