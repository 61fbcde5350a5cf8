package dnsauth

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

// CheckStatus is the outcome of one checklist item.
type CheckStatus string

// Checklist outcomes.
const (
	CheckStatusPass    CheckStatus = "pass"    // the requirement is met as far as DNS shows
	CheckStatusFail    CheckStatus = "fail"    // a finding shows it is not met
	CheckStatusUnknown CheckStatus = "unknown" // DNS failed or the check lacked an input
	CheckStatusSkipped CheckStatus = "skipped" // not applicable (e.g. no sending IPs given)
)

// Receiver names a mailbox provider whose sender requirements the
// checklist covers.
type Receiver string

// Mailbox providers whose sender requirements the checklist covers.
const (
	ReceiverGmail   Receiver = "gmail"
	ReceiverYahoo   Receiver = "yahoo"
	ReceiverOutlook Receiver = "outlook.com"
)

// CheckItem is one sender requirement of the large mailbox providers
// (Gmail and Yahoo since February 2024, Outlook.com since May 2025) that
// DNS can show, with the finding that decides it.
type CheckItem struct {
	// ID is a stable identifier: spf, spf_authorizes, dkim, dmarc,
	// alignment, ptr, mx.
	ID string `json:"id"`
	// Requirement says what is required, in plain words.
	Requirement string `json:"requirement"`
	// RequiredBy lists the receivers that require it.
	RequiredBy []Receiver `json:"required_by"`
	// Status is the outcome.
	Status CheckStatus `json:"status"`
	// Code is the code of the deciding finding, when one decided.
	Code dnscheck.Code `json:"code,omitempty"`
	// Detail says why: the deciding finding's message, or what passed.
	Detail string `json:"detail"`
	// Fix is the deciding finding's fix.
	Fix string `json:"fix,omitempty"`
	// Record is the deciding finding's record to publish.
	Record string `json:"record,omitempty"`
}

func allReceivers() []Receiver { return []Receiver{ReceiverGmail, ReceiverYahoo, ReceiverOutlook} }

// codeIn returns a finding filter for the given codes.
func codeIn(codes ...dnscheck.Code) func(dnscheck.Finding) bool {
	return func(f dnscheck.Finding) bool { return slices.Contains(codes, f.Code) }
}

// isDNSFailure reports whether f says a lookup failed.
func isDNSFailure(f dnscheck.Finding) bool { return f.Code.DNSFailure() }

// checklist builds the checklist from the findings.
func (c *check) checklist() []CheckItem {
	rep := c.rep
	// decide returns the item decided by the first (most serious) error
	// finding of fs that match selects, else passed. A DNS failure makes
	// the item unknown.
	decide := func(id, req string, by []Receiver, pass string, fs []dnscheck.Finding, match func(dnscheck.Finding) bool) CheckItem {
		it := CheckItem{ID: id, Requirement: req, RequiredBy: by, Status: CheckStatusPass, Detail: pass}
		for _, f := range sortFindings(fs) {
			if f.Severity != dnscheck.SeverityError || !match(f) {
				continue
			}
			it.Status, it.Code, it.Detail, it.Fix, it.Record = CheckStatusFail, f.Code, f.Message, f.Fix, f.Record
			if isDNSFailure(f) {
				it.Status = CheckStatusUnknown
			}
			break
		}
		return it
	}
	var items []CheckItem

	spfName := c.rep.SPF.EnvelopeDomain
	spfPass := fmt.Sprintf("%s publishes one valid SPF record", spfName)
	if spfName == "" {
		spfPass = fmt.Sprintf("SPF is evaluated for the envelope domain %s, which %s maintains", rep.ReturnPath.Domain, cmp.Or(rep.ProviderName, "its owner"))
		if rep.ReturnPath.Domain == "" {
			spfPass = "SPF is evaluated for the envelope subdomain delegated to " + rep.ProviderName + " (not given, so not checked)"
		}
	}
	spfCodes := codeIn(dnscheck.CodeSPFMissing, dnscheck.CodeSPFMultiple, dnscheck.CodeSPFSyntax, dnscheck.CodeSPFTooManyLookups, dnscheck.CodeSPFIncludeLoop, dnscheck.CodeSPFVoidLookups, dnscheck.CodeSPFIncludeMissing)
	spf := decide("spf", "the envelope (Return-Path) domain publishes a valid SPF record", allReceivers(), spfPass, rep.SPF.Findings,
		func(f dnscheck.Finding) bool { return spfCodes(f) || isDNSFailure(f) })
	if spfName == "" && rep.ReturnPath.Domain == "" && spf.Status == CheckStatusPass {
		spf.Status = CheckStatusUnknown
	}
	if spfName == "" && rep.ReturnPath.Source == EnvelopeSourceGiven && spf.Status == CheckStatusPass {
		// Another organization's envelope domain: its SPF is not read.
		spf.Status = CheckStatusUnknown
		spf.Detail = fmt.Sprintf("SPF is evaluated for the envelope domain %s, which belongs to another organization and was not checked", rep.ReturnPath.Domain)
	}
	items = append(items, spf)

	authCodes := codeIn(dnscheck.CodeSPFProviderMissing, dnscheck.CodeSPFIPNotPermitted, dnscheck.CodeSPFPermissiveAll)
	authPass := "the SPF record authorizes the sending service"
	if spfName != "" {
		authPass = fmt.Sprintf("the SPF record of %s authorizes the sending service", spfName)
	}
	auth := decide("spf_authorizes", "SPF passes for the sending service and IPs", allReceivers(),
		authPass, rep.SPF.Findings,
		func(f dnscheck.Finding) bool { return authCodes(f) || isDNSFailure(f) })
	switch {
	case auth.Status != CheckStatusPass:
	case spfName == "" && rep.ReturnPath.Source == EnvelopeSourceProvider:
		auth.Detail = fmt.Sprintf("%s's own envelope domain %s authorizes its servers; no include on %s is needed", rep.ProviderName, rep.ReturnPath.Domain, c.domain)
	case spfName == "" && rep.ReturnPath.Source == EnvelopeSourceGiven:
		auth.Status = CheckStatusUnknown
		auth.Detail = fmt.Sprintf("the envelope domain %s belongs to someone else, whose SPF record must authorize the sending servers; it cannot align with %s", rep.ReturnPath.Domain, c.domain)
	case spfName == "":
		auth.Status, auth.Detail = CheckStatusUnknown, "the envelope subdomain was not given; "+rep.ReturnPath.Setup
	case c.prov == nil && len(rep.SPF.IPs) == 0:
		auth.Status, auth.Detail = CheckStatusUnknown, "neither the provider nor sending IPs were given, so what SPF must authorize is unknown"
	}
	items = append(items, auth)

	dkimPass := "a DKIM key is published"
	if u := rep.DKIM.Usable(); len(u) > 0 {
		names := make([]string, len(u))
		for i, s := range u {
			names[i] = s.Selector
		}
		dkimPass = fmt.Sprintf("usable DKIM key at selector %s of %s", strings.Join(names, ", "), rep.DKIM.Domain)
	}
	dkimFindings := slices.Clone(rep.DKIM.Findings)
	for _, s := range rep.DKIM.Selectors {
		dkimFindings = append(dkimFindings, s.Findings...)
	}
	dkim := decide("dkim", "mail is DKIM-signed with a published key (2048-bit RSA recommended)", allReceivers(), dkimPass, dkimFindings,
		codeIn(dnscheck.CodeDKIMMissing, dnscheck.CodeDKIMRevoked, dnscheck.CodeDKIMWeakKey, dnscheck.CodeDKIMSyntax, dnscheck.CodeDKIMSHA1))
	if dkim.Code == dnscheck.CodeDKIMMissing {
		// No key found, but a selector could not be asked: it may hold one.
		for _, f := range sortFindings(dkimFindings) {
			if isDNSFailure(f) {
				dkim.Status, dkim.Code, dkim.Detail, dkim.Fix, dkim.Record = CheckStatusUnknown, f.Code, f.Message, f.Fix, f.Record
				break
			}
		}
	}
	items = append(items, dkim)

	dmarcPass := "no DMARC policy applies"
	if rep.DMARC.Record != nil {
		dmarcPass = fmt.Sprintf("DMARC policy %s applies (record at %s)", rep.DMARC.Policy, rep.DMARC.Name)
	}
	items = append(items, decide("dmarc", "a DMARC policy is published for the From domain (p=none is enough)", allReceivers(), dmarcPass, rep.Findings,
		func(f dnscheck.Finding) bool {
			return codeIn(dnscheck.CodeDMARCMissing, dnscheck.CodeDMARCMultiple, dnscheck.CodeDMARCSyntax)(f) ||
				f.Code.DNSFailure() && strings.HasPrefix(f.Name, "_dmarc.")
		}))

	st := c.alignment()
	var aligned []string
	if a := rep.Alignment; st.spfOK {
		aligned = append(aligned, "SPF ("+a.EnvelopeDomain+")")
	}
	if a := rep.Alignment; st.dkimOK {
		aligned = append(aligned, "DKIM ("+a.DKIMDomain+")")
	}
	align := decide("alignment", "the From domain aligns with the SPF or the DKIM domain (DMARC can pass)", allReceivers(),
		"the From domain aligns with "+strings.Join(aligned, " and "), rep.Findings, codeIn(dnscheck.CodeDMARCNotAligned))
	if align.Status == CheckStatusPass && len(aligned) == 0 {
		// Neither identifier is known to align, yet no error says so:
		// alignment could not be checked (the envelope domain is unknown).
		align.Status, align.Detail = CheckStatusUnknown, "alignment could not be checked"
		for _, f := range rep.Findings {
			if f.Code == dnscheck.CodeDMARCNotAligned {
				align.Code, align.Detail, align.Fix, align.Record = f.Code, f.Message, f.Fix, f.Record
				break
			}
		}
	}
	items = append(items, align)

	var ptrFindings []dnscheck.Finding
	for _, p := range rep.PTR {
		ptrFindings = append(ptrFindings, p.Findings...)
	}
	ptr := decide("ptr", "each sending IP has a reverse DNS name that resolves back to it", []Receiver{ReceiverGmail, ReceiverYahoo}, "every given IP has forward-confirmed reverse DNS", ptrFindings,
		func(f dnscheck.Finding) bool {
			return codeIn(dnscheck.CodePTRMissing, dnscheck.CodePTRMismatch)(f) || isDNSFailure(f)
		})
	if len(rep.PTR) == 0 {
		ptr.Status, ptr.Detail = CheckStatusSkipped, "no sending IPs given (a provider's shared IPs are its business)"
	}
	items = append(items, ptr)

	mxPass := fmt.Sprintf("%s has working MX hosts", c.domain)
	for _, f := range rep.Findings {
		if f.Code == dnscheck.CodeMXMissing && f.Severity == dnscheck.SeverityWarning {
			// No MX records, but an address takes mail (implicit MX).
			mxPass = f.Message
			break
		}
	}
	mxCodes := codeIn(dnscheck.CodeMXMissing, dnscheck.CodeMXNull)
	mx := decide("mx", "the From domain can receive replies and bounces", []Receiver{ReceiverYahoo}, mxPass, rep.MX.Findings,
		func(f dnscheck.Finding) bool { return mxCodes(f) || isDNSFailure(f) })
	items = append(items, mx)
	return items
}
