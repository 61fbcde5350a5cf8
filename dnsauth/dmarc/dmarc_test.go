package dmarc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/internal/testshared"
)

type dmarcVector struct {
	Record       string `json:"record"`
	Valid        bool   `json:"valid"`
	ValidRFC7489 bool   `json:"valid_rfc7489"`
	Note         string `json:"note"`
}

func readDMARCVectors(tb testing.TB) []dmarcVector {
	tb.Helper()
	data := testshared.ReadFile(tb, "testdata/dmarc/vectors.jsonl")
	var out []dmarcVector
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var v dmarcVector
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			tb.Fatalf("vector %q: %v", sc.Text(), err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestDMARCVectors checks every shared vector in both modes: the record is
// valid exactly when the vector says so.
func TestDMARCVectors(t *testing.T) {
	vectors := readDMARCVectors(t)
	if len(vectors) == 0 {
		t.Fatal("no vectors")
	}
	agree := 0
	for _, v := range vectors {
		for _, m := range []struct {
			mode Mode
			want bool
		}{{ModeTreeWalk, v.Valid}, {ModePublicSuffix, v.ValidRFC7489}} {
			rec, err := Parse(v.Record, m.mode)
			got := err == nil
			if got != m.want {
				t.Errorf("ParseDMARC(%q, %s): valid = %v (err %v), want %v (%s)", v.Record, m.mode, got, err, m.want, v.Note)
				continue
			}
			if err != nil {
				var se *SyntaxError
				if !errors.As(err, &se) || len(se.Problems) == 0 {
					t.Errorf("ParseDMARC(%q, %s): error %v is not a *DMARCSyntaxError with problems", v.Record, m.mode, err)
				}
			}
			if rec != nil && rec.Valid() != got {
				t.Errorf("ParseDMARC(%q, %s): Valid() = %v, error = %v", v.Record, m.mode, rec.Valid(), err)
			}
			agree++
		}
	}
	t.Logf("DMARC vectors: %d of %d verdicts agree (%d records, 2 modes)", agree, 2*len(vectors), len(vectors))
}

func TestParseDMARCFields(t *testing.T) {
	rec, err := Parse("v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=n; adkim=s; aspf=r; "+
		"rua=mailto:agg@example.com,mailto:agg@example.net!10m; ruf=mailto:fail@Example.COM; fo=1:d", ModeTreeWalk)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Policy != PolicyReject || rec.SubdomainPolicy != PolicyQuarantine || rec.NonexistentPolicy != PolicyReject {
		t.Errorf("policies = %q %q %q", rec.Policy, rec.SubdomainPolicy, rec.NonexistentPolicy)
	}
	if rec.PSD != "n" || rec.Test != "n" || rec.Testing() {
		t.Errorf("psd=%q t=%q", rec.PSD, rec.Test)
	}
	if rec.DKIMAlignment() != AlignmentStrict || rec.SPFAlignment() != AlignmentRelaxed {
		t.Errorf("alignment = %q %q", rec.DKIMAlignment(), rec.SPFAlignment())
	}
	if len(rec.RUA) != 2 || rec.RUA[1].Domain != "example.net" || rec.RUA[1].Limit != "10m" {
		t.Errorf("rua = %+v", rec.RUA)
	}
	if len(rec.RUF) != 1 || rec.RUF[0].Address != "fail@example.com" {
		t.Errorf("ruf = %+v", rec.RUF)
	}
	if !slices.Equal(rec.FailureOptions, []string{"1", "d"}) {
		t.Errorf("fo = %q", rec.FailureOptions)
	}
	if rec.Subdomain() != PolicyQuarantine || rec.Nonexistent() != PolicyReject || rec.Applied() != PolicyReject {
		t.Errorf("applied %q sub %q nx %q", rec.Applied(), rec.Subdomain(), rec.Nonexistent())
	}
	const canon = "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=n; adkim=s; aspf=r; fo=1:d; " +
		"rua=mailto:agg@example.com,mailto:agg@example.net!10m; ruf=mailto:fail@Example.COM"
	if got := rec.String(); got != canon {
		t.Errorf("String() = %q, want %q", got, canon)
	}
}

func TestParseDMARCProblems(t *testing.T) {
	tests := []struct {
		name    string
		record  string
		mode    Mode
		wantErr bool
		code    dnscheck.Code     // a problem with this code must be present ("" for none)
		sev     dnscheck.Severity // of that problem
		applied Policy
	}{
		{"deprecated pct", "v=DMARC1; p=reject; pct=50", ModeTreeWalk, false, dnscheck.CodeDMARCDeprecatedTag, dnscheck.SeverityWarning, PolicyReject},
		{"pct sampling legacy", "v=DMARC1; p=reject; pct=50", ModePublicSuffix, false, dnscheck.CodeDMARCPolicyNone, dnscheck.SeverityWarning, PolicyReject},
		{"deprecated ri", "v=DMARC1; p=none; ri=3600", ModeTreeWalk, false, dnscheck.CodeDMARCDeprecatedTag, dnscheck.SeverityWarning, PolicyNone},
		{"bad ri legacy", "v=DMARC1; p=none; ri=x", ModePublicSuffix, true, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, PolicyNone},
		{"testing", "v=DMARC1; p=reject; t=y", ModeTreeWalk, false, dnscheck.CodeDMARCPolicyNone, dnscheck.SeverityWarning, PolicyReject},
		{"unknown tag", "v=DMARC1; p=reject; zz=1", ModeTreeWalk, false, dnscheck.CodeDMARCSyntax, dnscheck.SeverityInfo, PolicyReject},
		{"missing p with rua", "v=DMARC1; rua=mailto:a@example.com", ModeTreeWalk, false, dnscheck.CodeDMARCSyntax, dnscheck.SeverityWarning, PolicyNone},
		{"invalid p with rua", "v=DMARC1; p=bogus; rua=mailto:a@example.com", ModeTreeWalk, true, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, PolicyNone},
		{"invalid p no rua", "v=DMARC1; p=bogus", ModeTreeWalk, true, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, ""},
		{"https rua", "v=DMARC1; p=none; rua=https://example.com/r", ModeTreeWalk, false, dnscheck.CodeDMARCSyntax, dnscheck.SeverityWarning, PolicyNone},
		{"bad size", "v=DMARC1; p=none; rua=mailto:a@example.com!big", ModeTreeWalk, true, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, PolicyNone},
		{"bad mailto domain", "v=DMARC1; p=none; rua=mailto:a@exa..mple", ModeTreeWalk, true, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, PolicyNone},
		{"bad tag name", "v=DMARC1; p=none; 1x=2", ModeTreeWalk, true, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, ""},
		{"no equals", "v=DMARC1; p=none; rua", ModeTreeWalk, true, dnscheck.CodeDMARCSyntax, dnscheck.SeverityError, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := Parse(tc.record, tc.mode)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if rec == nil {
				t.Fatal("nil record")
			}
			found := false
			for _, p := range rec.Problems {
				if p.Code == tc.code && p.Severity == tc.sev {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s %s problem in %+v", tc.sev, tc.code, rec.Problems)
			}
			if got := rec.Applied(); got != tc.applied {
				t.Errorf("Applied() = %q, want %q", got, tc.applied)
			}
		})
	}
}

func TestParseDMARCIgnored(t *testing.T) {
	for _, tc := range []struct {
		record   string
		notDMARC bool
	}{
		{"v=spf1 -all", true},
		{"", true},
		{"v=dmarc1; p=none", false},
		{" v=DMARC1; p=none", false},
		{"v=DMARC1 p=none", false},
		{"v=DMARC1", false},
		{"v=DMARC2; p=none", false},
		{"p=none; v=DMARC1", true},
	} {
		rec, err := Parse(tc.record, "")
		var se *SyntaxError
		if rec != nil || !errors.As(err, &se) || !se.Ignored || se.NotDMARC != tc.notDMARC {
			t.Errorf("ParseDMARC(%q) = %v, %#v; want ignored, NotDMARC %v", tc.record, rec, err, tc.notDMARC)
		}
	}
}

func FuzzParseDMARC(f *testing.F) {
	for _, s := range []string{
		"v=DMARC1; p=none", "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=y; t=y; adkim=s; aspf=s; fo=0:1:d:s",
		"v=DMARC1; p=reject; rua=mailto:a@example.com!10m,https://x.example/; ruf=mailto:%61@example.com",
		"v=DMARC1; p=reject; pct=50; rf=afrf; ri=86400", "v=DMARC1;;", "V = DMARC1 ;\tP = reject", "v=DMARC1; rua=mailto:a@b",
		"v=spf1 -all", " v=DMARC1", "v=DMARC1; p=none; rua=mailto:?subject=x",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, legacy bool) {
		mode := ModeTreeWalk
		if legacy {
			mode = ModePublicSuffix
		}
		rec, err := Parse(s, mode)
		if rec == nil {
			var se *SyntaxError
			if !errors.As(err, &se) || !se.Ignored {
				t.Fatalf("nil record with error %v", err)
			}
			return
		}
		if rec.Valid() != (err == nil) {
			t.Fatalf("Valid() = %v with error %v", rec.Valid(), err)
		}
		for _, p := range []Policy{rec.Applied(), rec.Subdomain(), rec.Nonexistent()} {
			if _, ok := parsePolicy(string(p)); !ok && p != "" {
				t.Fatalf("policy %q", p)
			}
		}
		// The canonical form parses to the same tags.
		if rec.Policy != "" || !legacy && len(rec.RUA) > 0 {
			canon := rec.String()
			back, err := Parse(canon, mode)
			if back == nil {
				t.Fatalf("canonical form %q of %q: %v", canon, s, err)
			}
			if back.String() != canon {
				t.Fatalf("canonical form %q reparses as %q", canon, back.String())
			}
			if rec.Valid() && !back.Valid() {
				t.Fatalf("canonical form %q of valid %q is invalid: %v", canon, s, err)
			}
		}
		// Parsing is deterministic.
		rec2, _ := Parse(s, mode)
		b1, _ := json.Marshal(rec)
		b2, _ := json.Marshal(rec2)
		if !bytes.Equal(b1, b2) {
			t.Fatalf("two parses differ:\n%s\n%s", b1, b2)
		}
	})
}
