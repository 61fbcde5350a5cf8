package preflight

import (
	"fmt"
	"io"
	"strings"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/smtperr"
)

// WriteText writes the report as a person reads it: the verdict and one
// line per check, then the details of each check. Control characters and
// escape sequences are removed from everything it writes, whatever their
// source (the server's replies, DNS records, the command line).
func WriteText(out io.Writer, r *Report) {
	var w strings.Builder
	writeText(&w, r)
	io.WriteString(out, cleanText(w.String()))
}

func writeText(w io.Writer, r *Report) {
	fmt.Fprintf(w, "verdict: %s\n", r.Verdict)
	for _, st := range r.Stages {
		fmt.Fprintf(w, "  %-7s %-8s %s\n", st.Name, st.Status, st.Summary)
	}

	if s := r.Sender; s != nil {
		fmt.Fprintf(w, "\nsender\n")
		kv(w, "verdict", fmt.Sprintf("%s (%s)", s.Verdict, s.Reason))
		kv(w, "provider", fmt.Sprintf("%s (%s)", s.ProviderName, s.Provider))
		kv(w, "from", s.From)
		kv(w, "matched", s.Matched)
		kv(w, "identities", string(s.IdentitySource))
		kv(w, "certainty", string(s.Certainty))
		kv(w, "detail", s.Detail)
		kv(w, "suggestion", s.Suggestion)
		for _, wn := range s.Warnings {
			kv(w, "warning", fmt.Sprintf("%s: %s", wn.Code, wn.Message))
		}
		if r.IdentitiesError != "" {
			kv(w, "api error", r.IdentitiesError)
		}
	}

	fmt.Fprintf(w, "\ndomain\n")
	if d := r.Domain; d != nil {
		kv(w, "domain", d.Domain)
		if d.ProviderName != "" {
			kv(w, "provider", d.ProviderName)
		}
		if len(d.Findings) == 0 {
			kv(w, "findings", "none")
		}
		for _, f := range d.Findings {
			writeFinding(w, f)
		}
	} else {
		kv(w, "error", r.DomainError)
	}

	if p := r.SMTP; p != nil {
		fmt.Fprintf(w, "\nsmtp %s\n", p.Server)
		for _, st := range p.Steps {
			switch st.Status {
			case StepOK:
				fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  %-8s %-6s %s", st.Name, "ok", st.Detail), " "))
			case StepSkipped:
				fmt.Fprintf(w, "  %-8s %s\n", st.Name, "skipped")
			default:
				fmt.Fprintf(w, "  %-8s %-6s %s\n", st.Name, "FAILED", oneLine(st.Error))
				WriteExplanation(w, "           ", st.Explanation)
			}
		}
		if p.SupportSummary != "" {
			fmt.Fprintf(w, "\nfor the provider's support (paste into a ticket)\n")
			for _, l := range strings.Split(strings.TrimRight(p.SupportSummary, "\n"), "\n") {
				fmt.Fprintf(w, "  %s\n", l)
			}
		}
	}
}

// WriteExplanation writes an smtperr explanation, each line after indent.
func WriteExplanation(w io.Writer, indent string, e *smtperr.Explanation) {
	if e == nil {
		return
	}
	codes := ""
	if e.Code != 0 {
		codes = fmt.Sprint(e.Code)
	}
	if !e.Enhanced.IsZero() {
		codes = strings.TrimSpace(codes + " " + e.Enhanced.String())
	}
	head := string(e.Cause)
	if codes != "" {
		head += " [" + codes + "]"
	}
	if e.Provider != "" {
		head += " from " + string(e.Provider)
	}
	if e.Temporary {
		head += ", temporary"
	} else {
		head += ", permanent"
	}
	fmt.Fprintf(w, "%scause:   %s\n", indent, head)
	fmt.Fprintf(w, "%swhat:    %s\n", indent, e.Summary)
	fmt.Fprintf(w, "%swho:     %s\n", indent, e.Party)
	fmt.Fprintf(w, "%sfix:     %s\n", indent, e.Action)
}

func writeFinding(w io.Writer, f dnscheck.Finding) {
	name := ""
	if f.Name != "" {
		name = " at " + f.Name
	}
	fmt.Fprintf(w, "  %-8s %s%s: %s\n", f.Severity, f.Code, name, f.Message)
	if f.Fix != "" {
		fmt.Fprintf(w, "           fix:    %s\n", f.Fix)
	}
	if f.Record != "" {
		fmt.Fprintf(w, "           record: %s\n", f.Record)
	}
}

func kv(w io.Writer, k, v string) {
	if v != "" {
		fmt.Fprintf(w, "  %-11s %s\n", k+":", v)
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
