// Package zonetest holds helpers for the tests of the dnsauth packages:
// a loopback zone with a client asking it, a table resolver, and finding
// assertions.
package zonetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

// startZone serves zone on a loopback server and returns it with a Client
// that asks it. The client gives up on a question after timeout (a short
// one keeps the dropped-question tests quick).
func StartZone(tb testing.TB, zone string, timeout time.Duration) (*dnsauthtest.Server, *dnscheck.Client) {
	tb.Helper()
	srv := dnsauthtest.Start(tb, zone)
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}, Timeout: timeout, Retries: 1})
	if err != nil {
		tb.Fatal(err)
	}
	return srv, c
}

// codes returns the codes of fs (with severities) as "code/severity" strings.
func Codes(fs []dnscheck.Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, string(f.Code)+"/"+string(f.Severity))
	}
	return out
}

// wantCode fails t unless fs has a finding with code (and severity, when
// sev is not "").
func WantCode(t *testing.T, fs []dnscheck.Finding, code dnscheck.Code, sev dnscheck.Severity) dnscheck.Finding {
	t.Helper()
	for _, f := range fs {
		if f.Code == code && (sev == "" || f.Severity == sev) {
			return f
		}
	}
	t.Errorf("no %s %s finding in %s", sev, code, strings.Join(Codes(fs), ", "))
	return dnscheck.Finding{}
}

// noCode fails t if fs has a finding with code.
func NoCode(t *testing.T, fs []dnscheck.Finding, code dnscheck.Code) {
	t.Helper()
	for _, f := range fs {
		if f.Code == code {
			t.Errorf("unexpected %s finding: %s", code, f.Message)
		}
	}
}

// fakeResolver answers from a table, as a resolver that does not chase
// CNAMEs would; questions not in it get NXDOMAIN.
type FakeResolver map[string]*dnscheck.Answer

func FakeKey(name string, qtype uint16) string {
	return strings.ToLower(dns.Fqdn(name)) + "/" + dns.TypeToString[qtype]
}

func (f FakeResolver) Lookup(ctx context.Context, name string, qtype uint16) (*dnscheck.Answer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if a, ok := f[FakeKey(name, qtype)]; ok {
		c := *a
		return &c, nil
	}
	return &dnscheck.Answer{Name: strings.ToLower(dns.Fqdn(name)), Type: qtype, Status: dnscheck.StatusNXDomain, Rcode: dns.RcodeNameError}, nil
}

func NewClient(t *testing.T, servers ...string) *dnscheck.Client {
	t.Helper()
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: servers, Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
