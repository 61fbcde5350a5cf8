package dnsauth

import (
	"slices"
	"strings"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

// ProposedRecord is the one record to publish at a DNS name for a type,
// with the fix of every finding about it applied together: following the
// findings one by one could undo each other's fixes, following this cannot.
type ProposedRecord struct {
	// Name is the DNS name, without the final dot.
	Name string `json:"name"`
	// Type is the record type ("TXT").
	Type string `json:"type"`
	// Current holds the records of this kind published there now (SPF at
	// a domain, DMARC at _dmarc); empty when there is none.
	Current []string `json:"current"`
	// Proposed is the record to publish in their place.
	Proposed string `json:"proposed"`
	// Resolves lists the codes of the findings it fixes.
	Resolves []dnscheck.Code `json:"resolves"`
}

// recordKind says what a proposed record at name is.
func recordKind(name, rec string) string {
	l := strings.ToLower(strings.TrimSpace(rec))
	switch {
	case strings.Contains(strings.ToLower(name), "._report._dmarc.") && strings.HasPrefix(l, "v=dmarc1"):
		return "dmarc-report"
	case l == "v=spf1" || strings.HasPrefix(l, "v=spf1 "):
		return "spf"
	case strings.HasPrefix(l, "v=dmarc1"):
		return "dmarc"
	}
	return ""
}

// proposals builds the report's Records from its findings: for each name,
// the current record changed by what each finding's record changes in it.
// A change that one finding makes and another undoes is settled for the
// fix: a term or tag some finding removes is never added back.
func (c *check) proposals() []ProposedRecord {
	type group struct {
		name, kind string
		finds      []dnscheck.Finding
	}
	var groups []*group
	for _, f := range c.rep.Findings {
		kind := recordKind(f.Name, f.Record)
		if kind == "" || f.Name == "" {
			continue
		}
		i := slices.IndexFunc(groups, func(g *group) bool { return g.name == f.Name && g.kind == kind })
		if i < 0 {
			groups = append(groups, &group{name: f.Name, kind: kind})
			i = len(groups) - 1
		}
		groups[i].finds = append(groups[i].finds, f)
	}
	out := []ProposedRecord{}
	for _, g := range groups {
		cur := c.currentRecords(g.name, g.kind)
		var p ProposedRecord
		switch g.kind {
		case "spf":
			p = composeSPF(cur, g.finds)
		case "dmarc":
			p = composeDMARC(cur, g.finds)
		case "dmarc-report":
			// An authorization to receive reports: the record is fixed.
			p = ProposedRecord{Proposed: "v=DMARC1"}
		}
		p.Name, p.Type, p.Current = g.name, "TXT", cur
		if p.Current == nil {
			p.Current = []string{}
		}
		for _, f := range g.finds {
			if !slices.Contains(p.Resolves, f.Code) {
				p.Resolves = append(p.Resolves, f.Code)
			}
		}
		slices.Sort(p.Resolves)
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b ProposedRecord) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// currentRecords returns the records of kind published at name, as far as
// the report read them.
func (c *check) currentRecords(name, kind string) []string {
	rep := c.rep
	switch kind {
	case "spf":
		if s := rep.SPF; s != nil {
			if s.Report != nil && s.Report.Domain == name {
				return slices.Clone(s.Report.Records)
			}
			if s.Envelope != nil && s.Envelope.Domain == name {
				return slices.Clone(s.Envelope.Records)
			}
		}
	case "dmarc":
		if d := rep.DMARC; d != nil && d.Record != nil && d.Name == name {
			return []string{d.Record.Raw}
		}
	}
	return nil
}

// spfTerms splits an SPF record into its terms after v=spf1.
func spfTerms(rec string) []string {
	f := strings.Fields(rec)
	if len(f) > 0 && strings.EqualFold(f[0], "v=spf1") {
		f = f[1:]
	}
	return f
}

// isAllTerm reports whether t is the all mechanism with any qualifier.
func isAllTerm(t string) bool {
	return strings.EqualFold(strings.TrimLeft(t, "+-~?"), "all")
}

// isModifier reports whether t is a modifier (redirect=, exp=, ...).
func isModifier(t string) bool {
	name, _, ok := strings.Cut(t, "=")
	return ok && !strings.ContainsAny(name, ":/")
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(v string) bool { return strings.EqualFold(v, s) })
}

// composeSPF applies to the current SPF record (the terms of all of them,
// when several are published) the term changes of each finding's record.
func composeSPF(cur []string, finds []dnscheck.Finding) ProposedRecord {
	var base []string
	for _, r := range cur {
		for _, t := range spfTerms(r) {
			if !containsFold(base, t) {
				base = append(base, t)
			}
		}
	}
	var added, removed []string
	newAll := ""
	for _, f := range finds {
		prop := spfTerms(f.Record)
		for _, t := range prop {
			if isAllTerm(t) {
				if !containsFold(base, t) && newAll == "" {
					newAll = t
				}
				continue
			}
			if !containsFold(base, t) && !containsFold(added, t) {
				added = append(added, t)
			}
		}
		// What the finding's record leaves out of the published record it
		// was made from (the one it shares most terms with) it removes.
		var ref []string
		best := -1
		for _, r := range cur {
			rt := spfTerms(r)
			n := 0
			for _, t := range rt {
				if containsFold(prop, t) {
					n++
				}
			}
			if n > best {
				ref, best = rt, n
			}
		}
		for _, t := range ref {
			if !isAllTerm(t) && !containsFold(prop, t) && !containsFold(removed, t) {
				removed = append(removed, t)
			}
		}
	}
	var mech, mods []string
	all := ""
	for _, t := range base {
		switch {
		case isAllTerm(t):
			if all == "" {
				all = t
			}
		case containsFold(removed, t):
		case isModifier(t):
			mods = append(mods, t)
		default:
			mech = append(mech, t)
		}
	}
	for _, t := range added {
		if containsFold(removed, t) {
			continue
		}
		if isModifier(t) {
			mods = append(mods, t)
		} else {
			mech = append(mech, t)
		}
	}
	if newAll != "" {
		all = newAll
	}
	terms := append([]string{"v=spf1"}, mech...)
	if all != "" {
		terms = append(terms, all)
	}
	terms = append(terms, mods...)
	return ProposedRecord{Proposed: strings.Join(terms, " ")}
}

// dmarcTag is one tag=value of a DMARC record.
type dmarcTag struct{ name, value string }

func dmarcTags(rec string) []dmarcTag {
	var out []dmarcTag
	for p := range strings.SplitSeq(rec, ";") {
		name, value, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			continue
		}
		out = append(out, dmarcTag{strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)})
	}
	return out
}

func tagIndex(tags []dmarcTag, name string) int {
	return slices.IndexFunc(tags, func(t dmarcTag) bool { return t.name == name })
}

// composeDMARC applies to the current DMARC record the tag changes of each
// finding's record: tags added or given a new value, and tags removed.
func composeDMARC(cur []string, finds []dnscheck.Finding) ProposedRecord {
	var base []dmarcTag
	if len(cur) > 0 {
		base = dmarcTags(cur[0])
	}
	result := slices.Clone(base)
	var removed []string
	for _, f := range finds {
		prop := dmarcTags(f.Record)
		for _, t := range base {
			if tagIndex(prop, t.name) < 0 && !slices.Contains(removed, t.name) {
				removed = append(removed, t.name)
			}
		}
		for _, t := range prop {
			i := tagIndex(base, t.name)
			if i >= 0 && base[i].value == t.value {
				continue // unchanged by this finding
			}
			if j := tagIndex(result, t.name); j >= 0 {
				if base != nil && i >= 0 && result[j].value != base[i].value {
					continue // an earlier (more serious) finding changed it already
				}
				result[j].value = t.value
			} else {
				result = append(result, t)
			}
		}
	}
	result = slices.DeleteFunc(result, func(t dmarcTag) bool { return slices.Contains(removed, t.name) })
	// v= first and p= right after it, as RFC 9989 requires of v and
	// receivers expect of p.
	slices.SortStableFunc(result, func(a, b dmarcTag) int { return dmarcTagRank(a.name) - dmarcTagRank(b.name) })
	parts := make([]string, len(result))
	for i, t := range result {
		parts[i] = t.name + "=" + t.value
		if t.name == "v" {
			parts[i] = "v=DMARC1"
		}
	}
	return ProposedRecord{Proposed: strings.Join(parts, "; ")}
}

func dmarcTagRank(name string) int {
	switch name {
	case "v":
		return 0
	case "p":
		return 1
	}
	return 2
}
