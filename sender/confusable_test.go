package sender

import (
	"reflect"
	"testing"
)

func TestSkeletonLookAlike(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"paypal.com", "pаypal.com", true}, // Cyrillic а
		{"apple.com", "аррӏе.com", true},   // all Cyrillic
		{"google.com", "g00gle.com", true}, // zeros
		{"paypal.com", "paypa1.com", true}, // one for l
		{"modern.com", "modem.com", true},  // rn for m
		{"billing@acme.com", "bi11ing@acme.com", true},
		{"ceo@bank.com", "сео@bank.com", true},   // Cyrillic с, е, о
		{"opa@greek.com", "οpα@greek.com", true}, // Greek ο, α
		{"wave.com", "vvave.com", true},
		{"ＰＡＹＰＡＬ.com", "paypal.com", true},  // full-width
		{"Paypal.com", "paypal.com", false}, // only case differs
		{"paypal.com", "paypal.com", false}, // same
		{"paypal.com", "paypol.com", false}, // really different
		{"example.com", "exarnple.com", true},
	}
	for _, tt := range tests {
		if got := LookAlike(tt.a, tt.b); got != tt.want {
			t.Errorf("LookAlike(%q, %q) = %v (skeletons %q, %q), want %v", tt.a, tt.b, got, Skeleton(tt.a), Skeleton(tt.b), tt.want)
		}
	}
}

func TestMixedScript(t *testing.T) {
	tests := []struct {
		domain string
		want   []MixedLabel
	}{
		{"paypal.com", nil},
		{"pаypal.com", []MixedLabel{{"pаypal", []Script{ScriptLatin, ScriptCyrillic}}}},
		{"аррӏе.com", nil}, // whole-script Cyrillic: a look-alike, but not mixed
		{"bücher.de", nil},
		{"εχαμπλε.ψομ", nil},
		{"micrοsoft.com", []MixedLabel{{"micrοsoft", []Script{ScriptLatin, ScriptGreek}}}},
		{"日本go.jp", nil},
		{"пример-βeta.com", []MixedLabel{{"пример-βeta", []Script{ScriptLatin, ScriptCyrillic, ScriptGreek}}}},
	}
	for _, tt := range tests {
		d, err := ParseDomain(tt.domain)
		if err != nil {
			t.Fatalf("ParseDomain(%q): %v", tt.domain, err)
		}
		if got := MixedScript(d); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("MixedScript(%q) = %v, want %v", tt.domain, got, tt.want)
		}
	}
}
