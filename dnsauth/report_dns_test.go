package dnsauth

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
)

func TestLookupFollowUnresolvedAlias(t *testing.T) {
	txt, _ := dns.NewRR(`c.example.org. TXT "v=DKIM1; p="`)
	f := zonetest.FakeResolver{
		zonetest.FakeKey("a.example.com", dns.TypeTXT): {Status: dnscheck.StatusNoData, CNAMEs: []string{"b.example.net."}},
		zonetest.FakeKey("b.example.net", dns.TypeTXT): {Status: dnscheck.StatusNoData, CNAMEs: []string{"c.example.org."}},
		zonetest.FakeKey("c.example.org", dns.TypeTXT): {Status: dnscheck.StatusOK, Records: []dns.RR{txt}},
		zonetest.FakeKey("loop.example", dns.TypeTXT):  {Status: dnscheck.StatusNoData, CNAMEs: []string{"loop2.example."}},
		zonetest.FakeKey("loop2.example", dns.TypeTXT): {Status: dnscheck.StatusNoData, CNAMEs: []string{"loop2.example."}},
	}
	a, err := lookup.Follow(context.Background(), f, "a.example.com", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != dnscheck.StatusOK || len(a.TXT()) != 1 || a.Name != "a.example.com." ||
		strings.Join(a.CNAMEs, ",") != "b.example.net.,c.example.org." {
		t.Errorf("%+v", a)
	}
	a, err = lookup.Follow(context.Background(), f, "loop.example", dns.TypeTXT)
	if err != nil || a.Status != dnscheck.StatusNoData {
		t.Errorf("loop: %+v %v", a, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := lookup.Follow(ctx, f, "a.example.com", dns.TypeTXT); err == nil {
		t.Error("no error after cancel")
	}
}
