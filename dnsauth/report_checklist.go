package dnsauth

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// CheckStatus is the outcome of one checklist item.
type CheckStatus string

// Checklist outcomes.
const (
	CheckPass    CheckStatus = "pass"    // the requirement is met as far as DNS shows
	CheckFail    CheckStatus = "fail"    // a finding shows it is not met
	CheckUnknown CheckStatus = "unknown" // DNS failed or the check lacked an input
	CheckSkipped CheckStatus = "skipped" // not applicable (e.g. no sending IPs given)
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
	Code Code `json:"code,omitempty"`
	// Detail says why: the deciding finding's message, or what passed.
	Detail string `json:"detail"`
	// Fix is the deciding finding's fix.
	Fix string `json:"fix,omitempty"`
	// Record is the deciding finding's record to publish.
	Record string `json:"record,omitempty"`
}

func allReceivers() []Receiver { return []Receiver{ReceiverGmail, ReceiverYahoo, ReceiverOutlook} }

// codeIn returns a finding filter for the given codes.
func codeIn(codes ...Code) func(Finding) bool {
	return func(f Finding) bool { return slices.Contains(codes, f.Code) }
}

// isDNSFailure reports whether f says a lookup failed.
func isDNSFailure(f Finding) bool { return f.Code.DNSFailure() }

// checklist builds the checklist from the findings.
func (c *check) checklist() []CheckItem {
	rep := c.rep
	// decide returns the item decided by the first (most serious) error
	// finding of fs that match selects, else passed. A DNS failure makes
	// the item unknown.
	decide := func(id, req string, by []Receiver, pass string, fs []Finding, match func(Finding) bool) CheckItem {
		it := CheckItem{ID: id, Requirement: req, RequiredBy: by, Status: CheckPass, Detail: pass}
		for _, f := range sortFindings(fs) {
			if f.Severity != SeverityError || !match(f) {
				continue
			}
			it.Status, it.Code, it.Detail, it.Fix, it.Record = CheckFail, f.Code, f.Message, f.Fix, f.Record
			if isDNSFailure(f) {
				it.Status = CheckUnknown
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
	spfCodes := codeIn(CodeSPFMissing, CodeSPFMultiple, CodeSPFSyntax, CodeSPFTooManyLookups, CodeSPFIncludeLoop, CodeSPFVoidLookups, CodeSPFIncludeMissing)
	spf := decide("spf", "the envelope (Return-Path) domain publishes a valid SPF record", allReceivers(), spfPass, rep.SPF.Findings,
		func(f Finding) bool { return spfCodes(f) || isDNSFailure(f) })
	if spfName == "" && rep.ReturnPath.Domain == "" && spf.Status == CheckPass {
		spf.Status = CheckUnknown
	}
	if spfName == "" && rep.ReturnPath.Source == EnvelopeGiven && spf.Status == CheckPass {
		// Another organization's envelope domain: its SPF is not read.
		spf.Status = CheckUnknown
		spf.Detail = fmt.Sprintf("SPF is evaluated for the envelope domain %s, which belongs to another organization and was not checked", rep.ReturnPath.Domain)
	}
	items = append(items, spf)

	authCodes := codeIn(CodeSPFProviderMissing, CodeSPFIPNotPermitted, CodeSPFPermissiveAll)
	authPass := "the SPF record authorizes the sending service"
	if spfName != "" {
		authPass = fmt.Sprintf("the SPF record of %s authorizes the sending service", spfName)
	}
	auth := decide("spf_authorizes", "SPF passes for the sending service and IPs", allReceivers(),
		authPass, rep.SPF.Findings,
		func(f Finding) bool { return authCodes(f) || isDNSFailure(f) })
	switch {
	case auth.Status != CheckPass:
	case spfName == "" && rep.ReturnPath.Source == EnvelopeProvider:
		auth.Detail = fmt.Sprintf("%s's own envelope domain %s authorizes its servers; no include on %s is needed", rep.ProviderName, rep.ReturnPath.Domain, c.domain)
	case spfName == "" && rep.ReturnPath.Source == EnvelopeGiven:
		auth.Status = CheckUnknown
		auth.Detail = fmt.Sprintf("the envelope domain %s belongs to someone else, whose SPF record must authorize the sending servers; it cannot align with %s", rep.ReturnPath.Domain, c.domain)
	case spfName == "":
		auth.Status, auth.Detail = CheckUnknown, "the envelope subdomain was not given; "+rep.ReturnPath.Setup
	case c.prov == nil && len(rep.SPF.IPs) == 0:
		auth.Status, auth.Detail = CheckUnknown, "neither the provider nor sending IPs were given, so what SPF must authorize is unknown"
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
		codeIn(CodeDKIMMissing, CodeDKIMRevoked, CodeDKIMWeakKey, CodeDKIMSyntax, CodeDKIMSHA1))
	if dkim.Code == CodeDKIMMissing {
		// No key found, but a selector could not be asked: it may hold one.
		for _, f := range sortFindings(dkimFindings) {
			if isDNSFailure(f) {
				dkim.Status, dkim.Code, dkim.Detail, dkim.Fix, dkim.Record = CheckUnknown, f.Code, f.Message, f.Fix, f.Record
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
		func(f Finding) bool {
			return codeIn(CodeDMARCMissing, CodeDMARCMultiple, CodeDMARCSyntax)(f) ||
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
		"the From domain aligns with "+strings.Join(aligned, " and "), rep.Findings, codeIn(CodeDMARCNotAligned))
	if align.Status == CheckPass && len(aligned) == 0 {
		// Neither identifier is known to align, yet no error says so:
		// alignment could not be checked (the envelope domain is unknown).
		align.Status, align.Detail = CheckUnknown, "alignment could not be checked"
		for _, f := range rep.Findings {
			if f.Code == CodeDMARCNotAligned {
				align.Code, align.Detail, align.Fix, align.Record = f.Code, f.Message, f.Fix, f.Record
				break
			}
		}
	}
	items = append(items, align)

	var ptrFindings []Finding
	for _, p := range rep.PTR {
		ptrFindings = append(ptrFindings, p.Findings...)
	}
	ptr := decide("ptr", "each sending IP has a reverse DNS name that resolves back to it", []Receiver{ReceiverGmail, ReceiverYahoo}, "every given IP has forward-confirmed reverse DNS", ptrFindings,
		func(f Finding) bool {
			return codeIn(CodePTRMissing, CodePTRMismatch)(f) || isDNSFailure(f)
		})
	if len(rep.PTR) == 0 {
		ptr.Status, ptr.Detail = CheckSkipped, "no sending IPs given (a provider's shared IPs are its business)"
	}
	items = append(items, ptr)

	mxPass := fmt.Sprintf("%s has working MX hosts", c.domain)
	for _, f := range rep.Findings {
		if f.Code == CodeMXMissing && f.Severity == SeverityWarning {
			// No MX records, but an address takes mail (implicit MX).
			mxPass = f.Message
			break
		}
	}
	mxCodes := codeIn(CodeMXMissing, CodeMXNull)
	mx := decide("mx", "the From domain can receive replies and bounces", []Receiver{ReceiverYahoo}, mxPass, rep.MX.Findings,
		func(f Finding) bool { return mxCodes(f) || isDNSFailure(f) })
	items = append(items, mx)
	return items
}
