package smtperr

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/internal/testshared"
)

// TestRegistryMatchesIANA checks the registry table against the IANA
// registry copy in corpus/enhanced-status-codes.tsv, both ways.
func TestRegistryMatchesIANA(t *testing.T) {
	data := string(testshared.ReadFile(t, "corpus/enhanced-status-codes.tsv"))
	seen := map[[2]int]bool{}
	for i, line := range strings.Split(data, "\n") {
		if i == 0 || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			t.Fatalf("line %d: %q", i+1, line)
		}
		code, err := ParseEnhancedCode("5" + strings.TrimPrefix(f[0], "X"))
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		seen[[2]int{code[1], code[2]}] = true
		info, ok := LookupStatus(code)
		if !ok {
			t.Errorf("%s missing from the registry table", f[0])
			continue
		}
		if info.Name != f[1] {
			t.Errorf("%s: name %q, IANA says %q", f[0], info.Name, f[1])
		}
		if !strings.HasPrefix(f[2], "IANA") && info.Reference != f[2] {
			t.Errorf("%s: reference %q, IANA says %q", f[0], info.Reference, f[2])
		}
	}
	for _, e := range registry {
		if !seen[[2]int{e.subject, e.detail}] {
			t.Errorf("X.%d.%d is in the table but not in the IANA registry", e.subject, e.detail)
		}
		if !e.cause.Valid() || e.cause4 != "" && !e.cause4.Valid() {
			t.Errorf("X.%d.%d: invalid cause", e.subject, e.detail)
		}
	}
	if len(seen) != len(registry) {
		t.Errorf("registry has %d codes, IANA file %d", len(registry), len(seen))
	}
}

func TestRegistryIndex(t *testing.T) {
	for i, e := range registry {
		if got := lookupRegistry(e.subject, e.detail); got != &registry[i] {
			t.Errorf("X.%d.%d: lookup found the wrong row", e.subject, e.detail)
		}
		if i > 0 && (e.subject < registry[i-1].subject || e.subject == registry[i-1].subject && e.detail != registry[i-1].detail+1) {
			t.Errorf("X.%d.%d: registry not in order", e.subject, e.detail)
		}
	}
	for _, c := range [][2]int{{1, 11}, {8, 0}, {-1, 0}, {7, 31}, {0, 1}, {3, -1}} {
		if lookupRegistry(c[0], c[1]) != nil {
			t.Errorf("X.%d.%d found", c[0], c[1])
		}
	}
	for i := 1; i < len(replyCodes); i++ {
		if replyCodes[i].code <= replyCodes[i-1].code {
			t.Errorf("reply codes not sorted at %d", replyCodes[i].code)
		}
	}
	for _, rc := range replyCodes {
		if lookupReply(rc.code) == nil {
			t.Errorf("lookupReply(%d) failed", rc.code)
		}
	}
}

func TestLookupStatus(t *testing.T) {
	tests := []struct {
		code EnhancedCode
		name string
		ok   bool
	}{
		{EnhancedCode{5, 1, 1}, "Bad destination mailbox address", true},
		{EnhancedCode{4, 7, 1}, "Delivery not authorized, message refused", true},
		{EnhancedCode{2, 0, 0}, "Other undefined Status", true},
		{EnhancedCode{5, 7, 139}, "", false},
		{EnhancedCode{3, 1, 1}, "", false},
	}
	for _, tt := range tests {
		info, ok := LookupStatus(tt.code)
		if ok != tt.ok || info.Name != tt.name {
			t.Errorf("LookupStatus(%v) = %q, %v; want %q, %v", tt.code, info.Name, ok, tt.name, tt.ok)
		}
	}
}

func TestReplyCodeText(t *testing.T) {
	for _, rc := range replyCodes {
		if rc.text == "" || !rc.cause.Valid() {
			t.Errorf("reply code %d: empty text or invalid cause", rc.code)
		}
	}
	for _, code := range []int{421, 450, 451, 452, 500, 501, 502, 503, 504, 550, 551, 552, 553, 554, 555, 530, 535, 521, 556} {
		if ReplyCodeText(code) == "" {
			t.Errorf("ReplyCodeText(%d) is empty", code)
		}
	}
	if ReplyCodeText(599) != "" {
		t.Error("ReplyCodeText(599) is not empty")
	}
}

func TestEnhancedCodeText(t *testing.T) {
	tests := []struct {
		in   string
		want EnhancedCode
		err  bool
	}{
		{"5.7.1", EnhancedCode{5, 7, 1}, false},
		{"4.7.650", EnhancedCode{4, 7, 650}, false},
		{"2.0.0", EnhancedCode{2, 0, 0}, false},
		{"5.7.1000", EnhancedCode{}, true},
		{"3.1.1", EnhancedCode{}, true},
		{"5.7", EnhancedCode{}, true},
		{"5.7.1.2", EnhancedCode{}, true},
		{"", EnhancedCode{}, true},
		{" 5.1.1", EnhancedCode{}, true},
	}
	for _, tt := range tests {
		got, err := ParseEnhancedCode(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseEnhancedCode(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.err)
		}
		if err == nil && got.String() != tt.in {
			t.Errorf("String() = %q, want %q", got.String(), tt.in)
		}
	}
	b, err := json.Marshal(struct{ A, B EnhancedCode }{EnhancedCode{5, 1, 1}, EnhancedCode{}})
	if err != nil || string(b) != `{"A":"5.1.1","B":""}` {
		t.Errorf("json = %s, %v", b, err)
	}
	var v struct{ A, B EnhancedCode }
	if err := json.Unmarshal(b, &v); err != nil || v.A != (EnhancedCode{5, 1, 1}) || !v.B.IsZero() {
		t.Errorf("unmarshal = %+v, %v", v, err)
	}
	if err := json.Unmarshal([]byte(`{"A":"x"}`), &v); err == nil {
		t.Error("unmarshal of x succeeded")
	}
}

func TestCauseTable(t *testing.T) {
	seen := map[Cause]bool{}
	for _, c := range causes {
		if seen[c.cause] {
			t.Errorf("%s listed twice", c.cause)
		}
		seen[c.cause] = true
		if c.summary == "" || c.action == "" || c.party == "" {
			t.Errorf("%s: empty summary, action or party", c.cause)
		}
	}
	if got := len(Causes()); got != 45 {
		t.Errorf("%d causes, DESIGN lists 45 (44 plus unknown)", got)
	}
	if Cause("nope").Valid() || Cause("nope").info().cause != CauseUnknown {
		t.Error("unknown cause string handled wrong")
	}
	if CauseAuthFailed.Error() != "smtperr: auth_failed" {
		t.Error(CauseAuthFailed.Error())
	}
}
