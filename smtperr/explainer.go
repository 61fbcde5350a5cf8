package smtperr

import (
	"bufio"
	"errors"
	"io"
	"net/textproto"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-smtp"
)

// Rule is a caller's rule for an [Explainer]: when Phrase occurs in a
// reply, the cause is Cause. Phrases are compared as the built-in ones
// are: after Unicode normalization and case folding, with runs of white
// space as one space, at word boundaries.
type Rule struct {
	// Phrase is the text to find, at least 3 bytes once folded.
	Phrase string `json:"phrase"`
	// Cause is the cause the phrase shows; CauseUnknown is allowed, to
	// stop a built-in rule from misreading a reply.
	Cause Cause `json:"cause"`
	// Summary and Action replace the cause's own when not empty.
	Summary string `json:"summary,omitempty"`
	Action  string `json:"action,omitempty"`
}

// Limits on caller rules.
const (
	maxRules      = 1000
	maxRulePhrase = 200
	maxRuleText   = 1000
	maxRuleLine   = 4096
)

// Explainer explains errors and replies with the caller's rules tried
// before the built-in ones: the first of its rules whose phrase occurs
// decides, with [BasisRule] and [ConfidenceHigh]. A nil *Explainer uses
// the built-in rules only, as [Explain] and [ExplainReply] do. An
// Explainer is immutable and safe for concurrent use.
type Explainer struct {
	rules []customRule
}

// customRule is a compiled caller rule.
type customRule struct {
	phrase          string // folded
	cause           Cause
	summary, action string
}

// RuleError reports a rule that cannot be used: its line in a rules file
// (0 for rules given to [NewExplainer] directly), its index, and why.
type RuleError struct {
	Line  int
	Index int
	Msg   string
}

// Error returns "smtperr: rule N (line L): msg".
func (e *RuleError) Error() string {
	s := "smtperr: rule " + strconv.Itoa(e.Index+1)
	if e.Line > 0 {
		s += " (line " + strconv.Itoa(e.Line) + ")"
	}
	return s + ": " + e.Msg
}

// NewExplainer returns an Explainer with the given rules, tried in order
// before the built-in rules. A rule with an empty or too short or too long
// phrase, a control character, or a cause outside the taxonomy is refused
// with a [*RuleError]; so are more than 1000 rules.
func NewExplainer(rules []Rule) (*Explainer, error) {
	if len(rules) > maxRules {
		return nil, &RuleError{Index: maxRules, Msg: "more than " + strconv.Itoa(maxRules) + " rules"}
	}
	x := &Explainer{rules: make([]customRule, 0, len(rules))}
	for i, r := range rules {
		cr, msg := compileRule(r)
		if msg != "" {
			return nil, &RuleError{Index: i, Msg: msg}
		}
		x.rules = append(x.rules, cr)
	}
	return x, nil
}

// compileRule checks and folds a rule, or returns why it cannot be used.
func compileRule(r Rule) (customRule, string) {
	if !r.Cause.Valid() {
		return customRule{}, "cause " + strconv.Quote(string(r.Cause)) + " is not in the taxonomy"
	}
	for _, s := range [...]string{r.Phrase, r.Summary, r.Action} {
		if !utf8.ValidString(s) {
			return customRule{}, "text is not valid UTF-8"
		}
		for _, c := range s {
			if c < ' ' || c == 0x7f || c >= 0x80 && c < 0xa0 {
				return customRule{}, "text holds a control character"
			}
		}
	}
	if len(r.Phrase) > maxRulePhrase {
		return customRule{}, "phrase longer than " + strconv.Itoa(maxRulePhrase) + " bytes"
	}
	if len(r.Summary) > maxRuleText || len(r.Action) > maxRuleText {
		return customRule{}, "summary or action longer than " + strconv.Itoa(maxRuleText) + " bytes"
	}
	p := strings.Join(strings.Fields(foldPattern(r.Phrase)), " ")
	if len(p) < 3 {
		return customRule{}, "phrase shorter than 3 bytes"
	}
	return customRule{phrase: p, cause: r.Cause, summary: r.Summary, action: r.Action}, ""
}

// match returns the first rule whose phrase occurs in the folded text at
// word boundaries, or nil.
func (x *Explainer) match(text []byte) *customRule {
	if x == nil {
		return nil
	}
	for i := range x.rules {
		cr := &x.rules[i]
		for from := 0; from < len(text); {
			j := index(text[from:], cr.phrase)
			if j < 0 {
				break
			}
			if boundaryOK(text, from+j, cr.phrase) {
				return cr
			}
			from += j + 1
		}
	}
	return nil
}

// Rules returns a copy of the Explainer's rules, with their phrases as
// folded for matching.
func (x *Explainer) Rules() []Rule {
	if x == nil {
		return nil
	}
	out := make([]Rule, len(x.rules))
	for i, cr := range x.rules {
		out[i] = Rule{Phrase: cr.phrase, Cause: cr.cause, Summary: cr.summary, Action: cr.action}
	}
	return out
}

// ExplainReply is [ExplainReply] with the Explainer's rules.
func (x *Explainer) ExplainReply(text string) *Explanation {
	return explain(x, text, 0, EnhancedCode{})
}

// Explain is [Explain] with the Explainer's rules. An error that already
// holds an [*Error] keeps its explanation.
func (x *Explainer) Explain(err error) *Explanation {
	if err == nil {
		return nil
	}
	var se *Error
	if errors.As(err, &se) && se.Explanation != nil {
		return se.Explanation
	}
	var lmtp smtp.LMTPDataError
	if errors.As(err, &lmtp) && len(lmtp) > 0 {
		return explainLMTP(x, lmtp)
	}
	var smtpErr *smtp.SMTPError
	if errors.As(err, &smtpErr) && smtpErr != nil {
		return explainSMTPError(x, smtpErr)
	}
	var tpErr *textproto.Error
	if errors.As(err, &tpErr) && tpErr != nil {
		return explain(x, tpErr.Msg, tpErr.Code, EnhancedCode{})
	}
	text := errorText(err)
	if e := explainGoError(err, text); e != nil {
		return e
	}
	return explain(x, text, 0, EnhancedCode{})
}

// ParseRules reads rules in the text format below and returns them in
// order; a line that cannot be read gives a [*RuleError] naming it.
//
// Each rule starts on a line of its own with a cause of the taxonomy, a
// colon and the phrase. Indented lines after it may set "summary:" and
// "action:". Blank lines and lines starting with "#" are ignored. Lines
// are at most 4096 bytes, and a file holds at most 1000 rules.
//
//	# Our provider's wording for an app password.
//	auth_method_rejected: please sign in with an app code
//	  summary: The provider wants an app code instead of the password.
//	  action: Create an app code in the account's security settings.
//	recipient_unknown: no mailbox by that name here
func ParseRules(r io.Reader) ([]Rule, error) {
	var rules []Rule
	var lines []int
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1024), maxRuleLine)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		key, val, ok := strings.Cut(trimmed, ":")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		indented := line[0] == ' ' || line[0] == '\t'
		switch {
		case !ok:
			return nil, &RuleError{Line: n, Index: len(rules), Msg: "want \"cause: phrase\", \"summary: text\" or \"action: text\""}
		case indented && (key == "summary" || key == "action"):
			if len(rules) == 0 {
				return nil, &RuleError{Line: n, Index: 0, Msg: key + " before any rule"}
			}
			if key == "summary" {
				rules[len(rules)-1].Summary = val
			} else {
				rules[len(rules)-1].Action = val
			}
		case indented:
			return nil, &RuleError{Line: n, Index: len(rules), Msg: "indented line is not summary or action"}
		default:
			if len(rules) == maxRules {
				return nil, &RuleError{Line: n, Index: len(rules), Msg: "more than " + strconv.Itoa(maxRules) + " rules"}
			}
			rules = append(rules, Rule{Cause: Cause(key), Phrase: val})
			lines = append(lines, n)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &RuleError{Index: len(rules), Msg: err.Error()}
	}
	for i, r := range rules {
		if _, msg := compileRule(r); msg != "" {
			return nil, &RuleError{Line: lines[i], Index: i, Msg: msg}
		}
	}
	return rules, nil
}
