package spf

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/zonetest"
	"github.com/sendcheck/sendcheck/sender/provider"
)

const lintZone = `
$ORIGIN example.
good            TXT "v=spf1 include:_spf.google.com include:sendgrid.net a mx -all"
good            A   192.0.2.1
good            MX  10 good
_spf.google.com. TXT "v=spf1 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com ~all"
_netblocks.google.com.  TXT "v=spf1 ip4:35.190.247.0/24 ~all"
_netblocks2.google.com. TXT "v=spf1 ip6:2001:4860:4000::/36 ~all"
_netblocks3.google.com. TXT "v=spf1 ip4:172.217.0.0/19 ~all"
sendgrid.net.   TXT "v=spf1 ip4:167.89.0.0/17 ~all"

heavy   TXT "v=spf1 include:_spf.google.com include:sendgrid.net include:good.example a:x1.example a:x2.example -all"
x1      A   192.0.2.2
x2      A   192.0.2.3

voids   TXT "v=spf1 a:gone1.example a:gone2.example mx:gone3.example exists:%{i}.bl.example -all"

loop1   TXT "v=spf1 include:loop2.example -all"
loop2   TXT "v=spf1 include:loop1.example"
self    TXT "v=spf1 redirect=self.example"

missing TXT "v=spf1 include:nothing.example redirect=alsonothing.example"
nothing A   192.0.2.9

bad     TXT "v=spf1 ip4:192.0.2.1 -all moo"
open    TXT "v=spf1 include:plus.example ?all"
plus    TXT "v=spf1 +all"
noall   TXT "v=spf1 ptr ip4:192.0.2.1"
two     TXT "v=spf1 -all"
two     TXT "v=spf1 ~all"
none    TXT "google-site-verification=abc"
macro   TXT "v=spf1 include:%{l}.users.example redirect=good.example"
long    TXT "v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 ip4:192.0.2.3 ip4:192.0.2.4 ip4:192.0.2.5 ip4:192.0.2.6 ip4:192.0.2.7 ip4:192.0.2.8 ip4:192.0.2.9 ip4:192.0.2.10 ip4:192.0.2.11 ip4:192.0.2.12 ip4:192.0.2.13 ip4:192.0.2.14 ip4:192.0.2.15 ip4:192.0.2.16 ip4:192.0.2.17 ip4:192.0.2.18 " "ip4:192.0.2.19 ip4:192.0.2.20 ip4:192.0.2.21 ip4:192.0.2.22 ip4:192.0.2.23 ip4:192.0.2.24 ip4:192.0.2.25 ip4:192.0.2.26 ip4:192.0.2.27 ip4:192.0.2.28 ip4:192.0.2.29 ip4:192.0.2.30 -all"
`

func spfCodes(fs []dnscheck.Finding) []dnscheck.Code {
	var out []dnscheck.Code
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func TestInspectSPF(t *testing.T) {
	srv := dnsauthtest.Start(t, lintZone)
	c := zonetest.NewClient(t, srv.Addr())
	tests := []struct {
		domain  string
		want    []dnscheck.Code
		lookups int
		voids   int
	}{
		{"good.example", nil, 7, 0},
		{"heavy.example", []dnscheck.Code{dnscheck.CodeSPFTooManyLookups}, 15, 0},
		{"voids.example", []dnscheck.Code{dnscheck.CodeSPFVoidLookups}, 4, 3},
		{"loop1.example", []dnscheck.Code{dnscheck.CodeSPFIncludeLoop}, 2, 0},
		{"self.example", []dnscheck.Code{dnscheck.CodeSPFIncludeLoop}, 1, 0},
		{"missing.example", []dnscheck.Code{dnscheck.CodeSPFIncludeMissing, dnscheck.CodeSPFIncludeMissing}, 2, 0},
		{"bad.example", []dnscheck.Code{dnscheck.CodeSPFSyntax}, 0, 0},
		{"open.example", []dnscheck.Code{dnscheck.CodeSPFPermissiveAll, dnscheck.CodeSPFPermissiveAll}, 1, 0},
		{"noall.example", []dnscheck.Code{dnscheck.CodeSPFPtr, dnscheck.CodeSPFNoAll}, 1, 0},
		{"two.example", []dnscheck.Code{dnscheck.CodeSPFMultiple}, 0, 0},
		{"none.example", []dnscheck.Code{dnscheck.CodeSPFMissing}, 0, 0},
		{"nxdomain.example", []dnscheck.Code{dnscheck.CodeSPFMissing}, 0, 0},
		{"macro.example", nil, 9, 0},
		{"long.example", []dnscheck.Code{dnscheck.CodeSPFTooLong}, 0, 0},
	}
	for _, tt := range tests {
		rep := Inspect(t.Context(), c, tt.domain)
		got := spfCodes(rep.Findings)
		slices.Sort(got)
		want := slices.Clone(tt.want)
		slices.Sort(want)
		if !slices.Equal(got, want) || rep.Lookups != tt.lookups || rep.VoidLookups != tt.voids {
			t.Errorf("%s: codes %v, lookups %d, voids %d; want %v, %d, %d", tt.domain, got, rep.Lookups, rep.VoidLookups, want, tt.lookups, tt.voids)
			for _, f := range rep.Findings {
				t.Logf("  %s: %s", f.Code, f.Message)
			}
		}
		for _, f := range rep.Findings {
			if f.Message == "" || f.Severity == "" {
				t.Errorf("%s: finding %s without message or severity", tt.domain, f.Code)
			}
		}
	}
}

func TestInspectSPFTree(t *testing.T) {
	srv := dnsauthtest.Start(t, lintZone)
	c := zonetest.NewClient(t, srv.Addr())
	rep := Inspect(t.Context(), c, "good.example.")
	if rep.Domain != "good.example" || len(rep.Records) != 1 || rep.Record == nil {
		t.Fatalf("report %+v", rep)
	}
	root := rep.Tree
	if root.Lookups != 4 || root.TotalLookups != 7 || len(root.Children) != 2 {
		t.Fatalf("root: %d own, %d total, %d children", root.Lookups, root.TotalLookups, len(root.Children))
	}
	g := root.Children[0]
	if g.Domain != "_spf.google.com" || g.Via != "include" || g.Lookups != 3 || g.TotalLookups != 3 || len(g.Children) != 3 || !strings.HasPrefix(g.Record, "v=spf1 include:_netblocks") {
		t.Errorf("google node: %+v", g)
	}
	if !slices.Contains(rep.Providers, provider.Gmail) || !slices.Contains(rep.Providers, provider.GoogleWorkspace) || !slices.Contains(rep.Providers, provider.SendGrid) {
		t.Errorf("providers = %v", rep.Providers)
	}
	if !rep.AuthorizesProvider(provider.SendGrid) || rep.AuthorizesProvider(provider.Mailgun) {
		t.Error("AuthorizesProvider wrong")
	}
	if rep.RequireProvider(provider.SendGrid) {
		t.Error("RequireProvider(SendGrid) added a finding although it is included")
	}
	if !rep.RequireProvider(provider.Mailjet) {
		t.Fatal("RequireProvider(Mailjet) added nothing")
	}
	f := rep.Findings[len(rep.Findings)-1]
	if f.Code != dnscheck.CodeSPFProviderMissing || f.Record != "v=spf1 include:_spf.google.com include:sendgrid.net a mx include:spf.mailjet.com -all" {
		t.Errorf("provider finding %+v", f)
	}

	res := rep.CheckIP(t.Context(), c, mustAddr("192.0.2.1"))
	if res.Result != ResultPass {
		t.Errorf("CheckIP(192.0.2.1) = %s", res.Result)
	}
	res = rep.CheckIP(t.Context(), c, mustAddr("198.51.100.1"))
	if res.Result != ResultFail || rep.Findings[len(rep.Findings)-1].Code != dnscheck.CodeSPFIPNotPermitted {
		t.Errorf("CheckIP(198.51.100.1) = %s, findings %v", res.Result, spfCodes(rep.Findings))
	}
}

func TestLintSPF(t *testing.T) {
	long := "v=spf1" + strings.Repeat(" ip4:192.0.2.100", 30) + " -all"
	tests := []struct {
		record string
		want   []dnscheck.Code
	}{
		{"v=spf1 mx -all", nil},
		{"v=spf1 +all", []dnscheck.Code{dnscheck.CodeSPFPermissiveAll}},
		{"v=spf1 mx", []dnscheck.Code{dnscheck.CodeSPFNoAll}},
		{"v=spf1 mx redirect=x.example", nil},
		{"v=spf1 ptr -all", []dnscheck.Code{dnscheck.CodeSPFPtr}},
		{"v=spf1 mx -all foo", []dnscheck.Code{dnscheck.CodeSPFSyntax}},
		{long, []dnscheck.Code{dnscheck.CodeSPFLongString, dnscheck.CodeSPFTooLong}},
	}
	for _, tt := range tests {
		if got := spfCodes(Lint("example.com", tt.record)); !slices.Equal(got, tt.want) {
			t.Errorf("LintSPF(%.40q) = %v, want %v", tt.record, got, tt.want)
		}
	}
	fs := Lint("example.com", "v=spf1 mx ?all")
	if len(fs) != 1 || fs[0].Record != "v=spf1 mx ~all" {
		t.Errorf("permissive all fix: %+v", fs)
	}
}

// The records a report suggests at the root never keep an include that has
// no SPF record: following the +all fix must not leave the include error.
func TestInspectSPFFixesDropMissingIncludes(t *testing.T) {
	srv := dnsauthtest.Start(t, `
broken.example. TXT "v=spf1 include:spf.good.example include:gone.example ?all"
spf.good.example. TXT "v=spf1 ip4:192.0.2.0/24 -all"
`)
	c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{srv.Addr()}})
	if err != nil {
		t.Fatal(err)
	}
	rep := Inspect(context.Background(), c, "broken.example")
	var sawMissing, sawAll bool
	for _, f := range rep.Findings {
		switch f.Code {
		case dnscheck.CodeSPFIncludeMissing:
			sawMissing = true
		case dnscheck.CodeSPFPermissiveAll:
			sawAll = true
			if f.Record != "v=spf1 include:spf.good.example ~all" {
				t.Errorf("permissive_all record = %q, want the include removed and ~all", f.Record)
			}
		}
	}
	if !sawMissing || !sawAll {
		t.Fatalf("findings %+v lack include_missing or permissive_all", rep.Findings)
	}
}
