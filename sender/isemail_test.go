package sender

import (
	"encoding/xml"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/internal/testshared"
)

type isemailSet struct {
	Tests []struct {
		ID        string `xml:"id,attr"`
		Address   string `xml:"address"`
		Category  string `xml:"category"`
		Diagnosis string `xml:"diagnosis"`
	} `xml:"test"`
}

// isemailAddress undoes the test set's encoding of control characters as
// the Control Pictures block (U+2400 + code).
func isemailAddress(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0x2400 && r < 0x2420 {
			return r - 0x2400
		}
		return r
	}, s)
}

// isemailExceptions are the ISEMAIL_ERR and ISEMAIL_VALID cases on which
// ParseAddress disagrees, with the reason.
var isemailExceptions = map[string]string{
	"5": "test@io: a one-label domain cannot be a sender's public domain (ICANN forbids dotless " +
		"names), so ParseAddress refuses it",
	"35": "test@iana.org.: ParseAddress forgives one trailing dot (a fully qualified name, common " +
		"in form input); Parser.Exact refuses it",
	"160": "\"test\\©\"@iana.org: RFC 6532 section 3.2 extends VCHAR with UTF-8, so a quoted-pair " +
		"of a non-ASCII character is valid",
}

// isemailOriginalExceptions are the same for isemail-tests-original.xml.
var isemailOriginalExceptions = map[string]string{
	"8": "the top-level label x2 ends with a digit; no delegated TLD does, so ParseAddress refuses it " +
		"(email-validator does the same)",
	"96":  "the top-level label x123 ends with a digit (as #8)",
	"82":  "ParseAddress forgives one trailing dot on the domain (as #35 of the new set)",
	"200": "ParseAddress forgives one trailing dot on the domain (as #35 of the new set)",
	"279": "xn--example is not a valid A-label under IDNA 2008 (its Punycode does not decode to a " +
		"valid U-label); is_email only checks DNS",
}

// TestIsEmail runs is_email's test set through ParseAddress (the header
// and form parser). ISEMAIL_ERR cases must be rejected and ISEMAIL_VALID
// and ISEMAIL_DNSWARN cases accepted (DNS is not our business here); the
// categories in between (obsolete syntax, comments, quoted strings,
// literals, lengths) are policy, so the test prints the verdicts for them.
func TestIsEmail(t *testing.T) {
	runIsEmail(t, "testdata/address/isemail-tests.xml", 164, isemailExceptions)
}

// TestIsEmailOriginal runs the older is_email set (v3.04, tests collected
// from other authors) the same way.
func TestIsEmailOriginal(t *testing.T) {
	runIsEmail(t, "testdata/address/isemail-tests-original.xml", 279, isemailOriginalExceptions)
}

func runIsEmail(t *testing.T, file string, count int, exceptions map[string]string) {
	var set isemailSet
	if err := xml.Unmarshal(testshared.ReadFile(t, file), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Tests) != count {
		t.Fatalf("read %d tests, want %d", len(set.Tests), count)
	}
	type tally struct{ accepted, rejected int }
	byCat := map[string]*tally{}
	var details []string
	for _, tc := range set.Tests {
		in := isemailAddress(tc.Address)
		a, err := ParseAddress(in)
		tl := byCat[tc.Category]
		if tl == nil {
			tl = &tally{}
			byCat[tc.Category] = tl
		}
		if err == nil {
			tl.accepted++
		} else {
			tl.rejected++
		}
		var mismatch string
		switch tc.Category {
		case "ISEMAIL_ERR":
			if err == nil {
				mismatch = fmt.Sprintf("accepted as %q", a.String())
			}
		case "ISEMAIL_VALID_CATEGORY", "ISEMAIL_DNSWARN":
			if err != nil {
				mismatch = fmt.Sprintf("rejected: %v", err)
			}
		default:
			verdict := "accepted"
			if err != nil {
				verdict = "rejected: " + err.Error()
			}
			details = append(details, fmt.Sprintf("#%s %s %q %s", tc.ID, tc.Diagnosis, in, verdict))
		}
		reason, listed := exceptions[tc.ID]
		switch {
		case mismatch != "" && !listed:
			t.Errorf("#%s %s %q: %s", tc.ID, tc.Diagnosis, in, mismatch)
		case mismatch == "" && listed:
			t.Errorf("#%s now agrees; remove it from the exceptions (%s)", tc.ID, reason)
		}
	}
	cats := make([]string, 0, len(byCat))
	for c := range byCat {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		t.Logf("isemail %-24s accepted %3d rejected %3d", c, byCat[c].accepted, byCat[c].rejected)
	}
	if testing.Verbose() {
		for _, d := range details {
			t.Log(d)
		}
	}
}
