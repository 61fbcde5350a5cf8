package dnsauth

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/lookup"
)

// maxMXHosts bounds the MX hosts whose addresses are looked up, and
// maxPTRNames the reverse names whose addresses are.
const (
	maxMXHosts  = 10
	maxPTRNames = 10
)

// MXHost is one MX record and the addresses of its host.
type MXHost struct {
	Preference uint16       `json:"preference"`      // lower is tried first
	Host       string       `json:"host"`            // the exchange, lower case, no trailing dot
	Addrs      []netip.Addr `json:"addrs,omitempty"` // its A and AAAA addresses
	// Status is the worse outcome of the host's A and AAAA questions.
	Status dnscheck.Status `json:"status,omitempty"`
}

// MXResult is the mail exchanger check of a domain: a sending domain must
// be able to receive replies and bounces (RFC 5321 section 5.1, RFC 7505).
type MXResult struct {
	Domain string          `json:"domain"`          // the domain checked
	Status dnscheck.Status `json:"status"`          // the outcome of the MX question
	Hosts  []MXHost        `json:"hosts,omitempty"` // the MX records, by preference
	// Null is true when the domain publishes the null MX of RFC 7505.
	Null bool `json:"null,omitempty"`
	// Implicit lists the domain's own addresses when it has no MX records
	// (the implicit MX of RFC 5321 section 5.1).
	Implicit []netip.Addr `json:"implicit,omitempty"`
	// Findings are the problems found.
	Findings []dnscheck.Finding `json:"findings,omitempty"`
}

// lookupAddrs asks for the A and AAAA records of name at once and returns
// the addresses with the worse of the two outcomes.
func lookupAddrs(ctx context.Context, r dnscheck.Resolver, name string) ([]netip.Addr, *dnscheck.Answer, error) {
	var a4, a6 *dnscheck.Answer
	var e4, e6 error
	var wg sync.WaitGroup
	wg.Go(func() { a4, e4 = r.Lookup(ctx, name, dns.TypeA) })
	wg.Go(func() { a6, e6 = r.Lookup(ctx, name, dns.TypeAAAA) })
	wg.Wait()
	if e4 != nil {
		return nil, nil, e4
	}
	if e6 != nil {
		return nil, nil, e6
	}
	addrs := append(a4.Addrs(), a6.Addrs()...)
	worst := a4
	if len(addrs) == 0 && !a4.Status.Temporary() && a6.Status.Temporary() {
		worst = a6
	}
	return addrs, worst, nil
}

// LookupMX checks the mail exchangers of domain: that there are some, that
// they are not the null MX of RFC 7505, and that each host has an address.
// The error is non-nil only when ctx ends.
func LookupMX(ctx context.Context, r dnscheck.Resolver, domain string) (*MXResult, error) {
	r = lookup.OrDefault(r)
	domain = lookup.NormDomain(domain)
	res := &MXResult{Domain: domain}
	a, err := r.Lookup(ctx, domain, dns.TypeMX)
	if err != nil {
		return nil, err
	}
	res.Status = a.Status
	if a.Status.Temporary() {
		res.Findings = append(res.Findings, lookup.Failure(a, dnscheck.SeverityError, "the MX records"))
		return res, nil
	}
	mxs := a.MX()
	slices.SortFunc(mxs, func(x, y *dns.MX) int {
		if x.Preference != y.Preference {
			return int(x.Preference) - int(y.Preference)
		}
		return strings.Compare(strings.ToLower(x.Mx), strings.ToLower(y.Mx))
	})
	for _, mx := range mxs {
		host := strings.ToLower(mx.Mx)
		if host != "." {
			host = strings.TrimSuffix(host, ".")
		}
		res.Hosts = append(res.Hosts, MXHost{Preference: mx.Preference, Host: host})
	}
	for _, h := range res.Hosts {
		if h.Host == "." {
			res.Null = true
		}
	}
	switch {
	case len(res.Hosts) == 0:
		return res, res.implicitMX(ctx, r, a)
	case res.Null && len(res.Hosts) > 1:
		res.Findings = append(res.Findings, dnscheck.Finding{
			Code: dnscheck.CodeMXNull, Severity: dnscheck.SeverityError, Name: domain,
			Message: "a null MX (\"0 .\") is published together with other MX records, which RFC 7505 forbids; receivers may treat the domain as accepting no mail",
			Fix:     "remove the \"MX 0 .\" record, since the domain does receive mail",
		})
		res.Hosts = slices.DeleteFunc(res.Hosts, func(h MXHost) bool { return h.Host == "." })
	case res.Null:
		res.Findings = append(res.Findings, dnscheck.Finding{
			Code: dnscheck.CodeMXNull, Severity: dnscheck.SeverityError, Name: domain,
			Message: fmt.Sprintf("%s publishes a null MX (RFC 7505): it accepts no mail, so replies and bounces are lost and receivers may reject mail from it", domain),
			Fix:     "publish MX records for a mailbox service that receives replies and bounces for this domain",
		})
		return res, nil
	}
	return res, res.hostAddrs(ctx, r)
}

// implicitMX handles a domain without MX records.
func (res *MXResult) implicitMX(ctx context.Context, r dnscheck.Resolver, mx *dnscheck.Answer) error {
	addrs, worst, err := lookupAddrs(ctx, r, res.Domain)
	if err != nil {
		return err
	}
	res.Implicit = addrs
	f := dnscheck.Finding{Code: dnscheck.CodeMXMissing, Name: res.Domain, Fix: "publish MX records for the mailbox service that receives mail for " + res.Domain}
	switch {
	case len(addrs) > 0:
		f.Severity = dnscheck.SeverityWarning
		f.Message = fmt.Sprintf("%s has no MX records; mail to it goes to its own address (implicit MX), which rarely runs a mail server", res.Domain)
	case worst.Status.Temporary():
		res.Findings = append(res.Findings, lookup.Failure(worst, dnscheck.SeverityWarning, "the addresses"))
		f.Severity = dnscheck.SeverityError
		f.Message = fmt.Sprintf("%s has no MX records (%s)", res.Domain, mx.Status)
	default:
		f.Severity = dnscheck.SeverityError
		f.Message = fmt.Sprintf("%s has no MX records and no address (%s): it cannot receive replies or bounces, and receivers may reject mail from it", res.Domain, mx.Status)
	}
	res.Findings = append(res.Findings, f)
	return nil
}

// hostAddrs looks up the addresses of the MX hosts at once.
func (res *MXResult) hostAddrs(ctx context.Context, r dnscheck.Resolver) error {
	n := min(len(res.Hosts), maxMXHosts)
	worst := make([]*dnscheck.Answer, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { res.Hosts[i].Addrs, worst[i], errs[i] = lookupAddrs(ctx, r, res.Hosts[i].Host) })
	}
	wg.Wait()
	good := 0
	for i := range n {
		if errs[i] != nil {
			return errs[i]
		}
		h := &res.Hosts[i]
		h.Status = worst[i].Status
		switch {
		case len(h.Addrs) > 0:
			h.Status = dnscheck.StatusOK
			good++
		case worst[i].Status.Temporary():
			res.Findings = append(res.Findings, lookup.Failure(worst[i], dnscheck.SeverityWarning, "the MX host's address"))
		default:
			res.Findings = append(res.Findings, dnscheck.Finding{
				Code: dnscheck.CodeMXMissing, Severity: dnscheck.SeverityWarning, Name: h.Host,
				Message: fmt.Sprintf("MX host %s (preference %d) of %s has no address (%s)", h.Host, h.Preference, res.Domain, worst[i].Status),
				Fix:     "point the MX record at a host name that has A or AAAA records (an MX must not point at a CNAME or an IP literal)",
			})
		}
	}
	if good == 0 && n > 0 && !slices.ContainsFunc(res.Findings, func(f dnscheck.Finding) bool { return f.Code.DNSFailure() }) {
		res.Findings = append(res.Findings, dnscheck.Finding{
			Code: dnscheck.CodeMXMissing, Severity: dnscheck.SeverityError, Name: res.Domain,
			Message: fmt.Sprintf("none of the MX hosts of %s has an address: it cannot receive replies or bounces", res.Domain),
			Fix:     "publish MX records whose hosts have A or AAAA records",
		})
	}
	return nil
}

// PTRResult is the reverse DNS check of one sending IP: its PTR names, and
// whether one of them resolves back to the IP (forward-confirmed reverse
// DNS, which large receivers require of sending servers).
type PTRResult struct {
	IP    netip.Addr `json:"ip"`              // the sending IP
	Name  string     `json:"name"`            // the reverse name asked
	Names []string   `json:"names,omitempty"` // the PTR targets found
	// Confirmed lists the names whose addresses include IP.
	Confirmed []string `json:"confirmed,omitempty"`
	// Status is the outcome of the PTR question.
	Status dnscheck.Status `json:"status"`
	// Findings are the problems found (ptr.missing, ptr.mismatch).
	Findings []dnscheck.Finding `json:"findings,omitempty"`
}

// LookupPTR checks the reverse DNS of ip: a PTR record, and a PTR name
// whose A or AAAA records include ip. The error is non-nil only when ctx
// ends or ip is invalid.
func LookupPTR(ctx context.Context, r dnscheck.Resolver, ip netip.Addr) (*PTRResult, error) {
	r = lookup.OrDefault(r)
	if !ip.IsValid() {
		return nil, fmt.Errorf("dnsauth: invalid IP address")
	}
	ip = ip.Unmap()
	rev, err := dns.ReverseAddr(ip.String())
	if err != nil {
		return nil, fmt.Errorf("dnsauth: reverse name of %s: %w", ip, err)
	}
	res := &PTRResult{IP: ip, Name: strings.TrimSuffix(rev, ".")}
	a, err := r.Lookup(ctx, rev, dns.TypePTR)
	if err != nil {
		return nil, err
	}
	res.Status = a.Status
	if a.Status.Temporary() {
		res.Findings = append(res.Findings, lookup.Failure(a, dnscheck.SeverityError, "the reverse DNS name"))
		return res, nil
	}
	for _, n := range a.PTR() {
		n = strings.TrimSuffix(n, ".")
		if n != "" && !slices.Contains(res.Names, n) {
			res.Names = append(res.Names, n)
		}
	}
	slices.Sort(res.Names)
	if len(res.Names) == 0 {
		res.Findings = append(res.Findings, dnscheck.Finding{
			Code: dnscheck.CodePTRMissing, Severity: dnscheck.SeverityError, Name: res.Name,
			Message: fmt.Sprintf("sending IP %s has no reverse DNS name (PTR): Gmail, Yahoo and Outlook.com reject or junk mail from such IPs", ip),
			Fix:     "ask whoever owns the IP (your hosting or ISP) to set a PTR record to a host name that resolves back to " + ip.String(),
		})
		return res, nil
	}
	names := res.Names[:min(len(res.Names), maxPTRNames)]
	addrs := make([][]netip.Addr, len(names))
	answers := make([]*dnscheck.Answer, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, n := range names {
		if !lookup.ValidDomain(n) {
			continue
		}
		wg.Go(func() { addrs[i], answers[i], errs[i] = lookupAddrs(ctx, r, n) })
	}
	wg.Wait()
	var failed *dnscheck.Answer
	for i, n := range names {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if slices.Contains(addrs[i], ip) {
			res.Confirmed = append(res.Confirmed, n)
		} else if answers[i] != nil && answers[i].Status.Temporary() {
			failed = answers[i]
		}
	}
	if len(res.Confirmed) == 0 {
		if failed != nil {
			res.Findings = append(res.Findings, lookup.Failure(failed, dnscheck.SeverityWarning, "the address of the reverse name"))
		}
		res.Findings = append(res.Findings, dnscheck.Finding{
			Code: dnscheck.CodePTRMismatch, Severity: dnscheck.SeverityError, Name: res.Name,
			Message: fmt.Sprintf("the reverse name of %s (%s) does not resolve back to it", ip, strings.Join(res.Names, ", ")),
			Fix:     fmt.Sprintf("publish an A/AAAA record for %s pointing to %s, or have the PTR changed to a name that does", res.Names[0], ip),
		})
	}
	return res, nil
}
