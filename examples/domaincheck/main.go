// Command domaincheck tells a domain owner whether the domain is ready to
// send mail through an SMTP provider, and what to publish if not.
//
//	domaincheck [-zone FILE] [-server ADDR] [-smtp-host H] [-provider ID]
//	            [-selector S,...] [-ip IP] [-envelope DOMAIN] [-dkim-domain DOMAIN]
//	            [-psl] [-timeout D] [-json] DOMAIN
//
// It checks SPF (and the result for each -ip), DKIM keys, the DMARC policy
// and alignment, MX and reverse DNS, and prints a checklist of the Gmail,
// Yahoo and Outlook.com sender requirements with the exact records to
// publish. With -json it prints the report as one JSON object.
//
// By default it asks the resolvers of /etc/resolv.conf; -server names
// another; -zone serves a master file from an in-process DNS server on the
// loopback interface and checks against it, so it works offline.
//
// -timeout bounds the whole check (default 10s).
//
// The exit status is 0 when nothing needs fixing, 1 when something does, 2
// for bad usage, and 3 when the check could not be completed: the resolver
// is unreachable or silent, or the deadline passed. The one line it then
// prints names the resolver.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth"
	"github.com/sendcheck/sendcheck/dnsauth/dmarc"
	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/sender/provider"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// listFlag collects comma-separated values from one or more uses of a flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// run is the program; it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("domaincheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	zone := fs.String("zone", "", "serve this master file from a loopback DNS server and check against it (offline)")
	server := fs.String("server", "", "DNS server to ask (host or host:port); default: /etc/resolv.conf")
	smtpHost := fs.String("smtp-host", "", "SMTP host mail is sent through (selects the provider)")
	provID := fs.String("provider", "", "provider ID, when -smtp-host does not name one (e.g. google-workspace, ses)")
	envelope := fs.String("envelope", "", "envelope (Return-Path) domain, when known")
	dkimDomain := fs.String("dkim-domain", "", "DKIM d= domain, when it is not DOMAIN")
	psl := fs.Bool("psl", false, "use RFC 7489 DMARC discovery (public suffix list) instead of the RFC 9989 tree walk")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	timeout := fs.Duration("timeout", 10*time.Second, "deadline of the whole check")
	var selectors, ips listFlag
	fs.Var(&selectors, "selector", "DKIM selectors in use, comma-separated (repeatable)")
	fs.Var(&ips, "ip", "sending IP addresses, comma-separated (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: domaincheck [-zone FILE] [-server ADDR] [-smtp-host H] [-selector S,...] [-ip IP] [-timeout D] [-json] DOMAIN")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "domaincheck: want exactly one DOMAIN argument, got %d\n", fs.NArg())
		fs.Usage()
		return 2
	}
	if *timeout <= 0 {
		fmt.Fprintln(stderr, "domaincheck: -timeout must be positive")
		return 2
	}
	if *zone != "" && *server != "" {
		fmt.Fprintln(stderr, "domaincheck: -zone and -server exclude each other")
		return 2
	}
	opts := &dnsauth.Options{
		SMTPHost: *smtpHost, Provider: provider.ID(*provID), Selectors: selectors,
		EnvelopeDomain: *envelope, DKIMDomain: *dkimDomain,
	}
	if *psl {
		opts.DMARCDiscovery = dmarc.ModePublicSuffix
	}
	if opts.Provider != "" {
		if _, ok := provider.Get(opts.Provider); !ok {
			fmt.Fprintf(stderr, "domaincheck: unknown provider %q\n", *provID)
			return 2
		}
	}
	for _, s := range ips {
		ip, err := netip.ParseAddr(s)
		if err != nil {
			fmt.Fprintf(stderr, "domaincheck: -ip %q: %v\n", s, err)
			return 2
		}
		opts.IPs = append(opts.IPs, ip)
	}

	var copts *dnscheck.ClientOptions
	switch {
	case *zone != "":
		srv, err := dnsauthtest.NewServerFromFile(*zone)
		if err != nil {
			fmt.Fprintln(stderr, "domaincheck:", err)
			return 2
		}
		defer srv.Close()
		copts = &dnscheck.ClientOptions{Servers: []string{srv.Addr()}}
	case *server != "":
		copts = &dnscheck.ClientOptions{Servers: []string{*server}}
	}
	client, err := dnscheck.NewClient(copts)
	if err != nil {
		fmt.Fprintln(stderr, "domaincheck:", err)
		if *server != "" {
			return 2
		}
		return 3
	}
	opts.Resolver = client

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	rep, err := dnsauth.Check(ctx, fs.Arg(0), opts)
	if err != nil {
		var (
			de *dnscheck.DomainError
			oe *dnsauth.OptionsError
			re *dnsauth.ResolverError
		)
		resolver := strings.Join(client.Servers(), ", ")
		switch {
		case errors.As(err, &de), errors.As(err, &oe):
			fmt.Fprintln(stderr, "domaincheck:", err)
			return 2
		case errors.As(err, &re):
			fmt.Fprintf(stderr, "domaincheck: could not complete the check: the DNS resolver %s did not answer (%s)\n", re.Resolver, re.Detail)
		case errors.Is(err, context.DeadlineExceeded):
			fmt.Fprintf(stderr, "domaincheck: could not complete the check within %v: the DNS resolver %s answered too slowly\n", *timeout, resolver)
		default:
			fmt.Fprintf(stderr, "domaincheck: could not complete the check (DNS resolver %s): %v\n", resolver, err)
		}
		return 3
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(stderr, "domaincheck:", err)
			return 1
		}
	} else {
		printReport(stdout, rep)
	}
	if !rep.OK() {
		return 1
	}
	return 0
}

// printReport writes the readable report: the checklist first, then what
// was found, then every problem with its fix.
func printReport(w io.Writer, rep *dnsauth.Report) {
	via := "an unknown SMTP service"
	if rep.ProviderName != "" {
		via = rep.ProviderName
	}
	fmt.Fprintf(w, "Mail readiness of %s, sending through %s\n\n", rep.Domain, via)

	fmt.Fprintln(w, "Sender requirements of Gmail, Yahoo and Outlook.com that DNS can show:")
	for _, it := range rep.Checklist {
		mark := map[dnsauth.CheckStatus]string{
			dnsauth.CheckStatusPass: "ok  ", dnsauth.CheckStatusFail: "FAIL", dnsauth.CheckStatusUnknown: "??  ", dnsauth.CheckStatusSkipped: "--  ",
		}[it.Status]
		fmt.Fprintf(w, "  [%s] %s\n", mark, it.Requirement)
		fmt.Fprintf(w, "         %s\n", it.Detail)
		if it.Status == dnsauth.CheckStatusFail && it.Fix != "" {
			fmt.Fprintf(w, "         fix: %s\n", it.Fix)
		}
	}

	fmt.Fprintln(w, "\nWhat is published:")
	fmt.Fprintf(w, "  return path  %s\n", rep.ReturnPath.Note)
	if rep.SPF != nil && rep.SPF.Report != nil {
		for _, r := range rep.SPF.Report.Records {
			fmt.Fprintf(w, "  SPF          %s  %q (%d of 10 DNS lookups)\n", rep.SPF.Domain, r, rep.SPF.Report.Lookups)
		}
		if len(rep.SPF.Report.Records) == 0 {
			fmt.Fprintf(w, "  SPF          %s  none\n", rep.SPF.Domain)
		}
		if e := rep.SPF.Envelope; e != nil {
			for _, r := range e.Records {
				fmt.Fprintf(w, "  SPF          %s  %q (%d of 10 DNS lookups)\n", e.Domain, r, e.Lookups)
			}
		}
		for _, r := range rep.SPF.IPs {
			fmt.Fprintf(w, "  SPF result   %s from %s: %s\n", rep.SPF.EnvelopeDomain, r.IP, r.Result.Result)
		}
	}
	if rep.DKIM != nil {
		for _, s := range rep.DKIM.Selectors {
			state := string(s.Status)
			if s.Key != nil {
				switch {
				case s.Key.Revoked:
					state = "revoked"
				default:
					state = fmt.Sprintf("%s %d bits", s.Key.KeyType, s.Key.Bits)
				}
			}
			via := ""
			if len(s.CNAMEs) > 0 {
				via = " via " + strings.TrimSuffix(s.CNAMEs[len(s.CNAMEs)-1], ".")
			}
			fmt.Fprintf(w, "  DKIM         %s%s  %s (%s selector)\n", s.Name, via, state, s.Source)
		}
		if len(rep.DKIM.Selectors) == 0 {
			fmt.Fprintf(w, "  DKIM         no key at %d selectors of %s\n", rep.DKIM.Tried, rep.DKIM.Domain)
		}
	}
	if d := rep.DMARC; d != nil {
		if d.Record != nil {
			inherited := ""
			if d.Inherited {
				inherited = ", inherited"
			}
			fmt.Fprintf(w, "  DMARC        %s  %q (policy %s%s; organizational domain %s)\n", d.Name, d.Record.Raw, d.Policy, inherited, d.OrgDomain)
		} else {
			fmt.Fprintf(w, "  DMARC        none applies (asked %s)\n", strings.Join(d.Queried, ", "))
		}
	}
	if rep.MX != nil {
		for _, h := range rep.MX.Hosts {
			fmt.Fprintf(w, "  MX           %d %s (%d addresses)\n", h.Preference, h.Host, len(h.Addrs))
		}
		if rep.MX.Null {
			fmt.Fprintln(w, "  MX           null MX: the domain accepts no mail")
		} else if len(rep.MX.Hosts) == 0 {
			fmt.Fprintln(w, "  MX           none")
		}
	}
	for _, p := range rep.PTR {
		if p == nil {
			continue
		}
		fmt.Fprintf(w, "  reverse DNS  %s -> %s (confirmed: %s)\n", p.IP, orNone(p.Names), orNone(p.Confirmed))
	}

	errs, warns := rep.Count(dnscheck.SeverityError), rep.Count(dnscheck.SeverityWarning)
	if len(rep.Findings) > 0 {
		fmt.Fprintf(w, "\nTo fix (%d errors, %d warnings):\n", errs, warns)
	}
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "  %-7s %s", strings.ToUpper(string(f.Severity)), f.Code)
		if f.Name != "" {
			fmt.Fprintf(w, " at %s", f.Name)
		}
		fmt.Fprintf(w, "\n          %s\n", f.Message)
		if f.Fix != "" {
			fmt.Fprintf(w, "          fix: %s\n", f.Fix)
		}
		if f.Record != "" {
			fmt.Fprintf(w, "          publish: %s TXT %q\n", f.Name, f.Record)
		}
	}
	switch {
	case errs > 0:
		fmt.Fprintf(w, "\nNot ready: %d problem(s) will make mail fail or land in spam.\n", errs)
	case warns > 0:
		fmt.Fprintf(w, "\nReady, with %d warning(s) worth fixing.\n", warns)
	default:
		fmt.Fprintln(w, "\nReady.")
	}
	fmt.Fprintf(w, "(%d DNS questions)\n", rep.Queries)
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
