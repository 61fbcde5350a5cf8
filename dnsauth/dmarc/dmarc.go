package dmarc

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/dnsauth/internal/syntax"
)

// Mode selects the DMARC rules a check follows: how the policy record
// is discovered, how the Organizational Domain is found, and which tags are
// valid.
type Mode string

// DMARC modes.
const (
	// ModeTreeWalk follows RFC 9989: policy and Organizational Domain
	// discovery by the DNS tree walk (at most 8 queries), the np, psd and t
	// tags, and pct, rf and ri removed. It is the default (the zero value
	// means ModeTreeWalk).
	ModeTreeWalk Mode = "rfc9989"
	// ModePublicSuffix follows RFC 7489: the Organizational Domain is the
	// public suffix plus one label (golang.org/x/net/publicsuffix), pct,
	// rf and ri are part of the record and np, psd and t are unknown tags.
	ModePublicSuffix Mode = "rfc7489"
)

func (m Mode) legacy() bool { return m == ModePublicSuffix }

// Policy is a DMARC policy: the p=, sp= or np= value.
type Policy string

// DMARC policies.
const (
	PolicyNone       Policy = "none"
	PolicyQuarantine Policy = "quarantine"
	PolicyReject     Policy = "reject"
)

// Alignment is a DMARC identifier alignment mode (adkim=, aspf=).
type Alignment string

// Alignment modes.
const (
	AlignmentRelaxed Alignment = "r" // Organizational Domains match (the default)
	AlignmentStrict  Alignment = "s" // the domains are identical
)

// URI is one destination of a rua= or ruf= tag.
type URI struct {
	// URI is the destination as written, without the size limit.
	URI string `json:"uri"`
	// Address is the mailbox of a mailto: URI, lower case domain.
	Address string `json:"address,omitempty"`
	// Domain is the domain of Address.
	Domain string `json:"domain,omitempty"`
	// Limit is the "!size" suffix of RFC 7489, as written.
	Limit string `json:"limit,omitempty"`
}

// Problem is one thing wrong with (or worth knowing about) a DMARC
// record. Problems of severity error make the record invalid.
type Problem struct {
	// Tag is the tag the problem is about, "" for the whole record.
	Tag string `json:"tag,omitempty"`
	// Code and Severity classify the problem as a [dnscheck.Finding] would.
	Code     dnscheck.Code     `json:"code"`
	Severity dnscheck.Severity `json:"severity"`
	// Message says what is wrong.
	Message string `json:"message"`
}

// Record is a parsed DMARC policy record (RFC 9989 section 4.7, RFC
// 7489 section 6.3). Tags that are absent or invalid keep their zero value;
// the methods give the defaults.
type Record struct {
	// Raw is the record as published.
	Raw string `json:"raw"`
	// Mode is the rule set the record was parsed under.
	Mode Mode `json:"mode"`
	// Policy is p=, empty when absent or invalid.
	Policy Policy `json:"p,omitempty"`
	// SubdomainPolicy is sp=.
	SubdomainPolicy Policy `json:"sp,omitempty"`
	// NonexistentPolicy is np= (RFC 9989).
	NonexistentPolicy Policy `json:"np,omitempty"`
	// PSD is psd=: "y", "n" or "u" (RFC 9989).
	PSD string `json:"psd,omitempty"`
	// Test is t=: "y" or "n" (RFC 9989).
	Test string `json:"t,omitempty"`
	// ADKIM and ASPF are the alignment modes as written.
	ADKIM Alignment `json:"adkim,omitempty"`
	ASPF  Alignment `json:"aspf,omitempty"`
	// FailureOptions is fo=, split at ":".
	FailureOptions []string `json:"fo,omitempty"`
	// RUA and RUF are the aggregate and failure report destinations that
	// parsed.
	RUA []URI `json:"rua,omitempty"`
	RUF []URI `json:"ruf,omitempty"`
	// Percent, ReportFormat and ReportInterval are pct=, rf= and ri= as
	// written (RFC 7489; removed by RFC 9989).
	Percent        string `json:"pct,omitempty"`
	ReportFormat   string `json:"rf,omitempty"`
	ReportInterval string `json:"ri,omitempty"`
	// Problems lists what is wrong or notable, in record order.
	Problems []Problem `json:"problems,omitempty"`
}

// Valid reports whether the record has no problem of severity error.
func (r *Record) Valid() bool {
	for _, p := range r.Problems {
		if p.Severity == dnscheck.SeverityError {
			return false
		}
	}
	return true
}

// Applied returns the policy receivers apply to the domain the record was
// found for, following RFC 9989 section 4.7 and RFC 7489 section 6.6.3: p=
// when valid; p=none when p= (or sp=) is missing or invalid and a rua=
// destination is valid; and "" (no DMARC processing) otherwise.
func (r *Record) Applied() Policy {
	if r.Policy != "" && !r.hasError("sp") {
		return r.Policy
	}
	if len(r.RUA) > 0 && (r.Policy == "" || r.hasError("sp")) {
		return PolicyNone
	}
	return ""
}

// Subdomain returns the policy for an existing subdomain of the domain the
// record was found at: sp=, else p= (with the fallbacks of [Applied]).
func (r *Record) Subdomain() Policy {
	if p := r.Applied(); p == "" || p == PolicyNone && r.Policy == "" {
		return p
	}
	if r.SubdomainPolicy != "" {
		return r.SubdomainPolicy
	}
	return r.Applied()
}

// Nonexistent returns the policy for a subdomain that does not exist: np=
// under RFC 9989, else [Subdomain].
func (r *Record) Nonexistent() Policy {
	if r.Mode != ModePublicSuffix && r.NonexistentPolicy != "" && r.Applied() != "" {
		return r.NonexistentPolicy
	}
	return r.Subdomain()
}

// DKIMAlignment returns adkim=, relaxed by default.
func (r *Record) DKIMAlignment() Alignment {
	if r.ADKIM == "" {
		return AlignmentRelaxed
	}
	return r.ADKIM
}

// SPFAlignment returns aspf=, relaxed by default.
func (r *Record) SPFAlignment() Alignment {
	if r.ASPF == "" {
		return AlignmentRelaxed
	}
	return r.ASPF
}

// Testing reports whether t=y (RFC 9989): receivers apply the policy one
// level below the one published.
func (r *Record) Testing() bool { return r.Mode != ModePublicSuffix && r.Test == "y" }

func (r *Record) hasError(tag string) bool {
	for _, p := range r.Problems {
		if p.Tag == tag && p.Severity == dnscheck.SeverityError {
			return true
		}
	}
	return false
}

func (r *Record) problem(tag string, code dnscheck.Code, sev dnscheck.Severity, format string, args ...any) {
	msg := format
	if len(args) > 0 || strings.IndexByte(format, '%') >= 0 {
		msg = fmt.Sprintf(format, args...)
	}
	if r.Problems == nil {
		r.Problems = make([]Problem, 0, 4)
	}
	r.Problems = append(r.Problems, Problem{Tag: tag, Code: code, Severity: sev, Message: msg})
}

// SyntaxError reports a DMARC record that is invalid under the rules
// of the mode it was parsed in.
type SyntaxError struct {
	// Record is the record as published.
	Record string
	// Ignored is true when receivers discard the record entirely: it does
	// not start with "v=DMARC1" followed by ";".
	Ignored bool
	// NotDMARC is true when the text is not meant as a DMARC record at all
	// (an SPF record or other TXT at the _dmarc name).
	NotDMARC bool
	// Problems are the errors found (warnings are left out).
	Problems []Problem
}

// Error implements error.
func (e *SyntaxError) Error() string {
	msgs := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		msgs = append(msgs, p.Message)
	}
	return "dnsauth: DMARC record: " + strings.Join(msgs, "; ")
}

// looksLikeDMARC reports whether s was meant as a DMARC record: with
// whitespace removed it starts with "v=dmarc" in any case.
func looksLikeDMARC(s string) bool {
	const want = "v=dmarc"
	n := 0
	for i := 0; i < len(s) && n < len(want); i++ {
		c := s[i]
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		if c|0x20 != want[n] {
			return false
		}
		n++
	}
	return n == len(want)
}

// Parse parses a DMARC policy record under the rules of mode
// (ModeTreeWalk when mode is ""). It validates every tag of RFC 9989 and
// RFC 7489: unknown tags are ignored with a warning, pct, rf and ri are
// flagged as deprecated under RFC 9989, and np, psd and t are unknown tags
// under RFC 7489.
//
// The record is returned, with its Problems, whenever receivers would
// recognize it (it starts with "v=DMARC1;"), even when it has errors; the
// error is then of type [*SyntaxError] listing them. When receivers
// would discard the text, the record is nil and the error is a
// [*SyntaxError] with Ignored set.
func Parse(record string, mode Mode) (*Record, error) {
	if mode == "" {
		mode = ModeTreeWalk
	}
	ignored := func(notDMARC bool, format string, args ...any) (*Record, error) {
		return nil, &SyntaxError{Record: record, Ignored: true, NotDMARC: notDMARC, Problems: []Problem{{
			Tag: "v", Code: dnscheck.CodeDMARCSyntax, Severity: dnscheck.SeverityError, Message: fmt.Sprintf(format, args...),
		}}}
	}
	if !looksLikeDMARC(record) {
		return ignored(true, "not a DMARC record: it does not start with v=DMARC1")
	}
	if record[0] != 'v' && record[0] != 'V' {
		return ignored(false, "the record must start with v=DMARC1, with nothing before it")
	}
	first, rest, hasSep := strings.Cut(record, ";")
	name, value, _ := strings.Cut(first, "=")
	if !strings.EqualFold(strings.Trim(name, " \t"), "v") || strings.Trim(value, " \t") != "DMARC1" {
		if strings.EqualFold(strings.Trim(value, " \t"), "DMARC1") {
			return ignored(false, "the version must be DMARC1 in upper case, not %q", strings.Trim(value, " \t"))
		}
		return ignored(false, "the record must start with v=DMARC1 followed by \";\", not %q", syntax.Clip(first))
	}
	if !hasSep {
		return ignored(false, "v=DMARC1 must be followed by \";\"")
	}
	r := &Record{Raw: record, Mode: mode}
	tags, err := syntax.SplitTagList(rest, " \t")
	if err != nil && strings.Trim(rest, " \t") != "" {
		r.problem("", dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, "%v", err)
		return r, r.syntaxError()
	}
	// A linear scan of the earlier tags finds repeats without a map for
	// records of ordinary size; long tag lists use a map so hostile
	// records stay linear.
	var seen map[string]bool
	if len(tags) > maxScanTags {
		seen = map[string]bool{"v": true}
	}
	pIndex := -1
	for i, t := range tags {
		if t.Name == "" {
			r.problem("", dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, "empty tag between two \";\" separators")
			continue
		}
		if repeated(tags[:i], t.Name, seen) {
			r.problem(t.Name, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, "tag %s appears more than once", t.Name)
			continue
		}
		if seen != nil {
			seen[t.Name] = true
		}
		r.parseTag(i, t, &pIndex)
	}
	r.checkPolicyPresence(pIndex)
	return r, r.syntaxError()
}

// maxScanTags is the number of tags up to which Parse finds repeated
// tags by scanning instead of with a map.
const maxScanTags = 32

// repeated reports whether name is v or appears among the earlier tags;
// seen, when not nil, holds the names seen so far instead.
func repeated(earlier []syntax.TagSpec, name string, seen map[string]bool) bool {
	if seen != nil {
		return seen[name]
	}
	if name == "v" {
		return true
	}
	for _, t := range earlier {
		if t.Name == name {
			return true
		}
	}
	return false
}

func (r *Record) syntaxError() error {
	var errs []Problem
	for _, p := range r.Problems {
		if p.Severity == dnscheck.SeverityError {
			errs = append(errs, p)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return &SyntaxError{Record: r.Raw, Problems: errs}
}

func parsePolicy(v string) (Policy, bool) {
	switch p := Policy(strings.ToLower(v)); p {
	case PolicyNone, PolicyQuarantine, PolicyReject:
		return p, true
	}
	return "", false
}

// parseTag handles one tag; i is its index after v=.
func (r *Record) parseTag(i int, t syntax.TagSpec, pIndex *int) {
	legacy := r.Mode.legacy()
	lower := strings.ToLower(t.Value)
	bad := func(format string, args ...any) {
		r.problem(t.Name, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, format, args...)
	}
	// newTag handles np, psd and t, which RFC 7489 does not know: there
	// they are unknown tags, ignored.
	newTag := func() bool {
		if legacy {
			r.problem(t.Name, dnscheck.CodeDMARCSyntax, dnscheck.SeverityInfo, "tag %s is not part of RFC 7489; receivers following it ignore it", t.Name)
			return false
		}
		return true
	}
	switch t.Name {
	case "p":
		*pIndex = i
		if p, ok := parsePolicy(t.Value); ok {
			r.Policy = p
		} else {
			bad("p=%s is not none, quarantine or reject", syntax.Clip(t.Value))
		}
	case "sp":
		if p, ok := parsePolicy(t.Value); ok {
			r.SubdomainPolicy = p
		} else {
			bad("sp=%s is not none, quarantine or reject", syntax.Clip(t.Value))
		}
	case "np":
		if !newTag() {
			return
		}
		if p, ok := parsePolicy(t.Value); ok {
			r.NonexistentPolicy = p
		} else {
			bad("np=%s is not none, quarantine or reject", syntax.Clip(t.Value))
		}
	case "psd":
		if !newTag() {
			return
		}
		if lower == "y" || lower == "n" || lower == "u" {
			r.PSD = lower
		} else {
			bad("psd=%s is not y, n or u", syntax.Clip(t.Value))
		}
	case "t":
		if !newTag() {
			return
		}
		switch lower {
		case "y":
			r.Test = lower
			r.problem("t", dnscheck.CodeDMARCPolicyNone, dnscheck.SeverityWarning, "t=y (test mode): receivers apply the policy one level below the one published")
		case "n":
			r.Test = lower
		default:
			bad("t=%s is not y or n", syntax.Clip(t.Value))
		}
	case "adkim", "aspf":
		if lower != "r" && lower != "s" {
			bad("%s=%s is not r or s", t.Name, syntax.Clip(t.Value))
			return
		}
		if t.Name == "adkim" {
			r.ADKIM = Alignment(lower)
		} else {
			r.ASPF = Alignment(lower)
		}
	case "fo":
		opts := strings.Split(t.Value, ":")
		for j, o := range opts {
			o = strings.ToLower(strings.Trim(o, " \t"))
			if o != "0" && o != "1" && o != "d" && o != "s" {
				bad("fo=%s: %q is not 0, 1, d or s", syntax.Clip(t.Value), syntax.Clip(o))
				return
			}
			opts[j] = o
		}
		r.FailureOptions = opts
	case "rua", "ruf":
		r.parseURIs(t)
	case "pct":
		n, err := strconv.Atoi(t.Value)
		if legacy {
			if err != nil || n < 0 || n > 100 {
				bad("pct=%s is not a whole number from 0 to 100", syntax.Clip(t.Value))
				return
			}
			r.Percent = t.Value
			if n < 100 {
				r.problem("pct", dnscheck.CodeDMARCPolicyNone, dnscheck.SeverityWarning, "pct=%d: the policy applies to only %d%% of failing mail", n, n)
			}
			return
		}
		r.Percent = t.Value
		r.problem("pct", dnscheck.CodeDMARCDeprecatedTag, dnscheck.SeverityWarning, "pct was removed by RFC 9989 and is ignored; use t=y for a trial instead")
	case "rf":
		if legacy {
			for _, f := range strings.Split(t.Value, ":") {
				if !syntax.ValidTagName(strings.Trim(f, " \t")) {
					bad("rf=%s is not a list of report formats", syntax.Clip(t.Value))
					return
				}
			}
			r.ReportFormat = t.Value
			return
		}
		r.ReportFormat = t.Value
		r.problem("rf", dnscheck.CodeDMARCDeprecatedTag, dnscheck.SeverityWarning, "rf was removed by RFC 9989 and is ignored")
	case "ri":
		if legacy {
			if _, err := strconv.ParseUint(t.Value, 10, 32); err != nil {
				bad("ri=%s is not a number of seconds", syntax.Clip(t.Value))
				return
			}
			r.ReportInterval = t.Value
			return
		}
		r.ReportInterval = t.Value
		r.problem("ri", dnscheck.CodeDMARCDeprecatedTag, dnscheck.SeverityWarning, "ri was removed by RFC 9989 and is ignored")
	default:
		r.problem(t.Name, dnscheck.CodeDMARCSyntax, dnscheck.SeverityInfo, "unknown tag %s is ignored", syntax.Clip(t.Name))
	}
}

// parseURIs parses a rua= or ruf= list.
func (r *Record) parseURIs(t syntax.TagSpec) {
	var out []URI
	for item := range strings.SplitSeq(t.Value, ",") {
		item = strings.Trim(item, " \t")
		u, problem := parseDMARCURI(item, r.Mode.legacy())
		if problem != "" {
			r.problem(t.Name, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, "%s: %s", t.Name, problem)
			continue
		}
		if u.Limit != "" && !r.Mode.legacy() {
			r.problem(t.Name, dnscheck.CodeDMARCSyntax, dnscheck.SeverityInfo, "%s: the size limit !%s is obsolete under RFC 9989 and ignored", t.Name, u.Limit)
		}
		if u.Address == "" {
			r.problem(t.Name, dnscheck.CodeDMARCSyntax, dnscheck.SeverityWarning, "%s: %s is not a mailto: URI; reporters send to mailto: only", t.Name, syntax.Clip(u.URI))
		}
		out = append(out, u)
	}
	if t.Name == "rua" {
		r.RUA = out
	} else {
		r.RUF = out
	}
	if len(out) > 2 {
		r.problem(t.Name, dnscheck.CodeDMARCSyntax, dnscheck.SeverityInfo, "%s lists %d destinations; some reporters send to the first two only", t.Name, len(out))
	}
}

// parseDMARCURI parses one destination; the string is the problem, "" when
// it parsed.
func parseDMARCURI(s string, legacy bool) (URI, string) {
	if s == "" {
		return URI{}, "empty destination"
	}
	uri, limit := s, ""
	if i := strings.LastIndexByte(s, '!'); i >= 0 {
		uri, limit = s[:i], s[i+1:]
		if !validSizeLimit(limit) {
			return URI{}, fmt.Sprintf("%q has an invalid size limit", syntax.Clip(s))
		}
	}
	d := URI{URI: uri, Limit: limit}
	addr, ok := plainMailto(uri)
	if !ok {
		u, err := url.Parse(uri)
		if err != nil || u.Scheme == "" {
			return URI{}, fmt.Sprintf("%q is not a URI (write mailto:%s)", syntax.Clip(s), syntax.Clip(s))
		}
		if !strings.EqualFold(u.Scheme, "mailto") {
			return d, ""
		}
		addr = u.Opaque
		if addr == "" {
			return URI{}, fmt.Sprintf("%q has no address", syntax.Clip(s))
		}
		if unesc, err := url.PathUnescape(addr); err == nil {
			addr = unesc
		}
		addr, _, _ = strings.Cut(addr, "?")
	}
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 {
		return URI{}, fmt.Sprintf("%q is not a mailbox address", syntax.Clip(s))
	}
	domain := strings.TrimSuffix(strings.ToLower(addr[at+1:]), ".")
	if _, ok := dns.IsDomainName(domain); !ok || strings.ContainsAny(domain, " \t") || strings.Contains(domain, "..") {
		return URI{}, fmt.Sprintf("%q has an invalid domain", syntax.Clip(s))
	}
	if addr[at+1:] == domain {
		d.Address = addr // already lower case, no trailing dot: no copy
	} else {
		d.Address = addr[:at] + "@" + domain
	}
	d.Domain = domain
	return d, ""
}

// plainMailto returns the address of a mailto: URI (scheme in any case)
// whose address has only letters, digits and "@.-_+", the characters for
// which url.Parse and url.PathUnescape leave the address as written. ok is
// false for every other URI, which the caller parses with url.Parse.
func plainMailto(uri string) (addr string, ok bool) {
	const scheme = "mailto:"
	if len(uri) <= len(scheme) || !strings.EqualFold(uri[:len(scheme)], scheme) {
		return "", false
	}
	addr = uri[len(scheme):]
	for i := 0; i < len(addr); i++ {
		switch c := addr[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '@', c == '.', c == '-', c == '_', c == '+':
		default:
			return "", false
		}
	}
	return addr, true
}

// validSizeLimit checks 1*DIGIT [ "k" / "m" / "g" / "t" ] (RFC 7489).
func validSizeLimit(s string) bool {
	if s == "" {
		return false
	}
	if c := s[len(s)-1] | 0x20; c == 'k' || c == 'm' || c == 'g' || c == 't' {
		s = s[:len(s)-1]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !syntax.IsDigit(s[i]) {
			return false
		}
	}
	return true
}

// checkPolicyPresence applies the rules on p= that depend on the whole
// record: RFC 7489 requires it directly after v=; RFC 9989 treats a
// missing p= as none when a rua= destination is valid.
func (r *Record) checkPolicyPresence(pIndex int) {
	if r.Mode.legacy() {
		switch {
		case pIndex < 0:
			r.problem("p", dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, "the required p= tag is missing (RFC 7489 section 6.3)")
		case pIndex != 0:
			r.problem("p", dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, "p= must directly follow v=DMARC1 (RFC 7489 section 6.4)")
		}
		return
	}
	switch {
	case pIndex < 0 && len(r.RUA) == 0:
		r.problem("p", dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, "no p= tag and no valid rua= destination: receivers apply no DMARC policy")
	case pIndex < 0:
		r.problem("p", dnscheck.CodeDMARCSyntax, dnscheck.SeverityWarning, "no p= tag: receivers treat the policy as none; state it explicitly")
	case pIndex != 0:
		r.problem("p", dnscheck.CodeDMARCSyntax, dnscheck.SeverityInfo, "p= does not directly follow v=DMARC1; receivers following RFC 7489 reject that")
	}
}

// String returns the record in canonical form: v=DMARC1, then p= (when
// valid) and every other tag that parsed, in the order of RFC 9989's tag
// list, with lower-case values; pct, rf and ri only under RFC 7489.
// Invalid and unknown tags are dropped. Parsing the result in the same mode
// gives the same tags.
func (r *Record) String() string {
	parts := []string{"v=DMARC1"}
	add := func(tag, value string) {
		if value != "" {
			parts = append(parts, tag+"="+value)
		}
	}
	add("p", string(r.Policy))
	add("sp", string(r.SubdomainPolicy))
	if !r.Mode.legacy() {
		add("np", string(r.NonexistentPolicy))
		add("psd", r.PSD)
		add("t", r.Test)
	}
	add("adkim", string(r.ADKIM))
	add("aspf", string(r.ASPF))
	add("fo", strings.Join(r.FailureOptions, ":"))
	uris := func(us []URI) string {
		out := make([]string, len(us))
		for i, u := range us {
			out[i] = u.URI
			if u.Limit != "" {
				out[i] += "!" + u.Limit
			}
		}
		return strings.Join(out, ",")
	}
	add("rua", uris(r.RUA))
	add("ruf", uris(r.RUF))
	if r.Mode.legacy() {
		add("pct", r.Percent)
		add("rf", r.ReportFormat)
		add("ri", r.ReportInterval)
	}
	return strings.Join(parts, "; ")
}
