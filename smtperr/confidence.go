package smtperr

import "strings"

// Confidence says how sure an explanation is of its cause. It is a stable
// lower-case string, in JSON as "confidence".
type Confidence string

// The confidences, surest first.
const (
	// ConfidenceHigh means a provider's own text or a phrase that names
	// one cause unambiguously decided, or the Go error type showed the
	// failure outright (a refused connection, a certificate error).
	ConfidenceHigh Confidence = "high"
	// ConfidenceMedium means a specific enhanced status code or a short,
	// less specific phrase decided: the cause is likely, but the text
	// should be read to confirm it.
	ConfidenceMedium Confidence = "medium"
	// ConfidenceLow means only weak evidence decided (a bare reply code, a
	// generic enhanced code, a vague word), or the cause is unknown.
	ConfidenceLow Confidence = "low"
)

// String returns the confidence's name, such as "high".
func (c Confidence) String() string { return string(c) }

// rank orders confidences: higher is surer; an unknown value ranks lowest.
func (c Confidence) rank() int {
	switch c {
	case ConfidenceHigh:
		return 3
	case ConfidenceMedium:
		return 2
	case ConfidenceLow:
		return 1
	}
	return 0
}

// capAt returns the weaker of c and limit.
func (c Confidence) capAt(limit Confidence) Confidence {
	if limit.rank() < c.rank() {
		return limit
	}
	return c
}

// confidenceOf rates the evidence behind a decision: the basis, the phrase
// that matched (for text), and whether a generic code decided (vague).
// An unknown cause is always low.
func confidenceOf(cause Cause, basis Basis, matched string, vague bool) Confidence {
	if cause == CauseUnknown {
		return ConfidenceLow
	}
	switch basis {
	case BasisRule, BasisProviderText, BasisError:
		return ConfidenceHigh
	case BasisText:
		// A phrase of several words names its cause; a single word
		// ("spam", "virus", "timeout") is a hint that other words may
		// contradict.
		if strings.IndexByte(strings.TrimSpace(matched), ' ') > 0 {
			return ConfidenceHigh
		}
		return ConfidenceMedium
	case BasisEnhancedCode:
		if vague {
			return ConfidenceLow
		}
		return ConfidenceMedium
	}
	return ConfidenceLow
}
