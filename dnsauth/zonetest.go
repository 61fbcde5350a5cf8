package dnsauth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
)

// startZone serves zone on a loopback server and returns it with a Client
// that asks it. The client gives up on a question after timeout (a short
// one keeps the dropped-question tests quick).
func startZone(tb testing.TB, zone string, timeout time.Duration) (*dnsauthtest.Server, *Client) {
	tb.Helper()
	srv := dnsauthtest.Start(tb, zone)
	c, err := NewClient(&ClientOptions{Servers: []string{srv.Addr()}, Timeout: timeout, Retries: 1})
	if err != nil {
		tb.Fatal(err)
	}
	return srv, c
}

// codes returns the codes of fs (with severities) as "code/severity" strings.
func codes(fs []Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, string(f.Code)+"/"+string(f.Severity))
	}
	return out
}

// wantCode fails t unless fs has a finding with code (and severity, when
// sev is not "").
func wantCode(t *testing.T, fs []Finding, code Code, sev Severity) Finding {
	t.Helper()
	for _, f := range fs {
		if f.Code == code && (sev == "" || f.Severity == sev) {
			return f
		}
	}
	t.Errorf("no %s %s finding in %s", sev, code, strings.Join(codes(fs), ", "))
	return Finding{}
}

// noCode fails t if fs has a finding with code.
func noCode(t *testing.T, fs []Finding, code Code) {
	t.Helper()
	for _, f := range fs {
		if f.Code == code {
			t.Errorf("unexpected %s finding: %s", code, f.Message)
		}
	}
}

// fakeResolver answers from a table, as a resolver that does not chase
// CNAMEs would; questions not in it get NXDOMAIN.
type fakeResolver map[string]*Answer

func fakeKey(name string, qtype uint16) string {
	return strings.ToLower(dns.Fqdn(name)) + "/" + dns.TypeToString[qtype]
}

func (f fakeResolver) Lookup(ctx context.Context, name string, qtype uint16) (*Answer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if a, ok := f[fakeKey(name, qtype)]; ok {
		c := *a
		return &c, nil
	}
	return &Answer{Name: strings.ToLower(dns.Fqdn(name)), Type: qtype, Status: StatusNXDomain, Rcode: dns.RcodeNameError}, nil
}

func testClient(t *testing.T, servers ...string) *Client {
	t.Helper()
	c, err := NewClient(&ClientOptions{Servers: servers, Timeout: 2 * time.Second, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
