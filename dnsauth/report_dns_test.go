package dnsauth

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

func TestLookupFollowUnresolvedAlias(t *testing.T) {
	txt, _ := dns.NewRR(`c.example.org. TXT "v=DKIM1; p="`)
	f := fakeResolver{
		fakeKey("a.example.com", dns.TypeTXT): {Status: StatusNoData, CNAMEs: []string{"b.example.net."}},
		fakeKey("b.example.net", dns.TypeTXT): {Status: StatusNoData, CNAMEs: []string{"c.example.org."}},
		fakeKey("c.example.org", dns.TypeTXT): {Status: StatusOK, Records: []dns.RR{txt}},
		fakeKey("loop.example", dns.TypeTXT):  {Status: StatusNoData, CNAMEs: []string{"loop2.example."}},
		fakeKey("loop2.example", dns.TypeTXT): {Status: StatusNoData, CNAMEs: []string{"loop2.example."}},
	}
	a, err := lookupFollow(context.Background(), f, "a.example.com", dns.TypeTXT)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != StatusOK || len(a.TXT()) != 1 || a.Name != "a.example.com." ||
		strings.Join(a.CNAMEs, ",") != "b.example.net.,c.example.org." {
		t.Errorf("%+v", a)
	}
	a, err = lookupFollow(context.Background(), f, "loop.example", dns.TypeTXT)
	if err != nil || a.Status != StatusNoData {
		t.Errorf("loop: %+v %v", a, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := lookupFollow(ctx, f, "a.example.com", dns.TypeTXT); err == nil {
		t.Error("no error after cancel")
	}
}
