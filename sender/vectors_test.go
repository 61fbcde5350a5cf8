package sender

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/internal/testshared"
)

// evVector is one record of email-validator-vectors.jsonl.
type evVector struct {
	Input       string          `json:"input"`
	Valid       bool            `json:"valid"`
	Normalized  *string         `json:"normalized"`
	ASCIIDomain *string         `json:"ascii_domain"`
	SMTPUTF8    *bool           `json:"smtputf8"`
	Error       *string         `json:"error"`
	DisplayName *string         `json:"display_name"`
	Options     map[string]bool `json:"options"`
}

// parserFor maps email-validator's options onto a Parser. email-validator
// never trims or forgives, so Exact is always set.
func parserFor(opts map[string]bool) *Parser {
	p := &Parser{Exact: true, AddrSpecOnly: true, NoQuotedLocal: true}
	for k, v := range opts {
		switch k {
		case "allow_display_name":
			p.AddrSpecOnly = !v
		case "allow_quoted_local":
			p.NoQuotedLocal = !v
		case "allow_domain_literal":
			p.AllowDomainLiteral = v
		case "allow_empty_local":
			p.AllowEmptyLocal = v
		case "allow_smtputf8":
			p.ASCIIOnly = !v
		case "strict":
			p.Strict = v
		case "test_environment":
			p.AllowTestDomains = v
		}
	}
	return p
}

func vectorKey(v evVector) string {
	keys := make([]string, 0, len(v.Options))
	for k, on := range v.Options {
		keys = append(keys, fmt.Sprintf("%s=%v", k, on))
	}
	sort.Strings(keys)
	return fmt.Sprintf("%q [%s]", v.Input, strings.Join(keys, ","))
}

// knownDifferences lists every vector on which this package and
// email-validator disagree, with the reason. The test fails when a listed
// case starts agreeing or an unlisted one disagrees.
var knownDifferences = map[string]string{
	`"＠@fullwidth.at" [allow_display_name=true]`: "we refuse U+FF20 FULLWIDTH COMMERCIAL AT anywhere: " +
		"in a sender it only serves to imitate a second @ (email-validator accepts it in the local part)",
	`"@test" [allow_empty_local=true,test_environment=true]`: "we write an empty local part as \"\" (the only " +
		"RFC 5322 form that parses back); email-validator writes nothing",
	`"\"\"@test" [allow_empty_local=true,allow_quoted_local=true,test_environment=true]`: "same: we keep the " +
		"quotes of an empty local part so the normalized form parses back",
}

func loadVectors(t *testing.T) []evVector {
	t.Helper()
	data := testshared.ReadFile(t, "testdata/address/email-validator-vectors.jsonl")
	var out []evVector
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var v evVector
		if err := json.Unmarshal(line, &v); err != nil {
			t.Fatalf("bad vector line %q: %v", line, err)
		}
		// encoding/json turns a lone surrogate escape into U+FFFD; rebuild
		// the ill-formed bytes the vector means.
		if bytes.Contains(bytes.ToLower(line), []byte(`\ud800`)) {
			v.Input = strings.ReplaceAll(v.Input, "\uFFFD", "\xed\xa0\x80")
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// compareVector returns "" when the parser agrees with the vector, or a
// description of the difference.
func compareVector(v evVector) string {
	a, err := parserFor(v.Options).Parse(v.Input)
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			return fmt.Sprintf("error of type %T", err)
		}
		if v.Valid {
			return fmt.Sprintf("rejected (%s: %v), want valid %q", pe.Kind, err, deref(v.Normalized))
		}
		return ""
	}
	if !v.Valid {
		return fmt.Sprintf("accepted as %q, want invalid (%s)", a.Unicode(), deref(v.Error))
	}
	var diffs []string
	if got, want := a.Unicode(), deref(v.Normalized); got != want {
		diffs = append(diffs, fmt.Sprintf("normalized %q, want %q", got, want))
	}
	if got, want := a.Domain.ASCII(), deref(v.ASCIIDomain); got != want {
		diffs = append(diffs, fmt.Sprintf("ascii domain %q, want %q", got, want))
	}
	if v.SMTPUTF8 != nil && a.NeedsSMTPUTF8() != *v.SMTPUTF8 {
		diffs = append(diffs, fmt.Sprintf("smtputf8 %v, want %v", a.NeedsSMTPUTF8(), *v.SMTPUTF8))
	}
	if v.DisplayName != nil && a.Name != *v.DisplayName {
		diffs = append(diffs, fmt.Sprintf("display name %q, want %q", a.Name, *v.DisplayName))
	}
	return strings.Join(diffs, "; ")
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func TestEmailValidatorVectors(t *testing.T) {
	vectors := loadVectors(t)
	if len(vectors) != 358 {
		t.Fatalf("read %d vectors, want 358", len(vectors))
	}
	agree := 0
	seen := map[string]bool{}
	for _, v := range vectors {
		key := vectorKey(v)
		diff := compareVector(v)
		reason, listed := knownDifferences[key]
		switch {
		case diff == "":
			agree++
			if listed {
				t.Errorf("%s now agrees; remove it from knownDifferences (%s)", key, reason)
			}
		case !listed:
			t.Errorf("%s: %s", key, diff)
		default:
			seen[key] = true
		}
	}
	for key := range knownDifferences {
		if !seen[key] {
			if _, ok := findVector(vectors, key); !ok {
				t.Errorf("knownDifferences has %s, which is not a vector", key)
			}
		}
	}
	pct := 100 * float64(agree) / float64(len(vectors))
	t.Logf("email-validator vectors: %d/%d agree (%.1f%%), %d listed differences", agree, len(vectors), pct, len(knownDifferences))
	if pct < 97 {
		t.Errorf("agreement %.1f%% is under 97%%", pct)
	}
}

func findVector(vs []evVector, key string) (evVector, bool) {
	for _, v := range vs {
		if vectorKey(v) == key {
			return v, true
		}
	}
	return evVector{}, false
}
