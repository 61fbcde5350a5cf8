package dmarc

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
)

// countingResolver counts the questions it passes on.
type countingResolver struct {
	r dnscheck.Resolver
	n atomic.Int64
}

func (c *countingResolver) Lookup(ctx context.Context, name string, qtype uint16) (*dnscheck.Answer, error) {
	c.n.Add(1)
	return c.r.Lookup(ctx, name, qtype)
}

// TestDMARCReportDestinationsBounded checks that a record listing
// thousands of external report destinations (a TXT record holds up to
// 64 KiB) does not make one discovery ask thousands of questions.
func TestDMARCReportDestinationsBounded(t *testing.T) {
	var uris []string
	for i := range 2000 {
		uris = append(uris, fmt.Sprintf("mailto:r@d%d.example", i))
	}
	rec := "v=DMARC1; p=reject; rua=" + strings.Join(uris, ",") + "; ruf=" + strings.Join(uris, ",")
	rr := &dns.TXT{Hdr: dns.RR_Header{Name: "_dmarc.victim.example.", Rrtype: dns.TypeTXT, Class: dns.ClassINET}}
	for len(rec) > 0 {
		n := min(len(rec), 255)
		rr.Txt = append(rr.Txt, rec[:n])
		rec = rec[n:]
	}
	f := zonetest.FakeResolver{zonetest.FakeKey("_dmarc.victim.example", dns.TypeTXT): {Status: dnscheck.StatusOK, Records: []dns.RR{rr}}}
	c := &countingResolver{r: f}
	res, err := Discover(context.Background(), c, "victim.example", ModeTreeWalk)
	if err != nil {
		t.Fatal(err)
	}
	if res.Record == nil || len(res.Record.RUA) != 2000 {
		t.Fatalf("record not parsed: %+v", res.Record)
	}
	if n := c.n.Load(); n > 40 {
		t.Errorf("%d DNS questions for one DMARC discovery, want at most 40", n)
	}
	if len(res.Reports) > maxReportAuthorizations {
		t.Errorf("%d report authorizations checked, want at most %d", len(res.Reports), maxReportAuthorizations)
	}
	unauthorized := 0
	for _, f := range res.Findings {
		if f.Code == dnscheck.CodeDMARCRUAUnauthorized {
			unauthorized++
		}
	}
	if unauthorized == 0 {
		t.Error("no dmarc.rua_unauthorized finding for the destinations checked")
	}
}
