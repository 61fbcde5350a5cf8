package dmarc

import (
	"strings"
	"testing"
)

// FuzzRepairPolicyTag: a repair never panics and only ever writes a valid
// policy.
func FuzzRepairPolicyTag(f *testing.F) {
	f.Add("v=DMARC1; p=rejcet; rua=mailto:a@example.com", "p")
	f.Add("v=DMARC1; sp=qurantine", "sp")
	f.Add("v=DMARC1;;p=;", "p")
	f.Fuzz(func(t *testing.T, raw, tag string) {
		fixed, ok := repairPolicyTag(raw, tag)
		if !ok {
			return
		}
		v, found := tagValue(fixed, strings.ToLower(tag))
		if !found {
			t.Fatalf("repair of %q lost tag %s: %q", raw, tag, fixed)
		}
		if _, ok := parsePolicy(v); !ok {
			t.Fatalf("repair of %q wrote %s=%q", raw, tag, v)
		}
	})
}
