package dmarc

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzPlainMailto checks the fast path for plain mailto: URIs against
// url.Parse: whenever plainMailto accepts a URI, url.Parse gives the same
// scheme and address, and unescaping leaves the address unchanged.
func FuzzPlainMailto(f *testing.F) {
	for _, s := range []string{
		"mailto:dmarc@example.com", "MAILTO:A.B+c_d-e@Example.COM", "mailto:a%40b@example.com",
		"mailto:a@example.com?subject=x", "mailto:", "mailto:/a@b", "https://example.com/r",
		"mailto:a@b#frag", "mailto:a b@example.com", "mailto:@", "Mailto:x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		addr, ok := plainMailto(s)
		if !ok {
			return
		}
		u, err := url.Parse(s)
		if err != nil {
			t.Fatalf("plainMailto(%q) accepted a URI url.Parse rejects: %v", s, err)
		}
		if !strings.EqualFold(u.Scheme, "mailto") || u.Opaque != addr {
			t.Fatalf("plainMailto(%q) = %q; url.Parse gives scheme %q, opaque %q", s, addr, u.Scheme, u.Opaque)
		}
		if unesc, err := url.PathUnescape(addr); err != nil || unesc != addr {
			t.Fatalf("plainMailto(%q) = %q, which unescapes to %q (%v)", s, addr, unesc, err)
		}
	})
}
