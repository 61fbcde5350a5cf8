package bounce

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHoldout measures generalization on bounce emails collected from other
// projects' test fixtures, labelled by hand before the reader ran on them
// and never used to write rules. It runs only when SENDCHECK_BOUNCE_HOLDOUT
// names a folder whose subfolders each hold emails and a labels.tsv (file,
// kind, recipient or -, status or -, causes separated by | or *).
func TestHoldout(t *testing.T) {
	root := os.Getenv("SENDCHECK_BOUNCE_HOLDOUT")
	if root == "" {
		t.Skip("SENDCHECK_BOUNCE_HOLDOUT is not set")
	}
	labels, err := filepath.Glob(filepath.Join(root, "*", "labels.tsv"))
	if err != nil || len(labels) == 0 {
		t.Fatalf("no labels.tsv under %s", root)
	}
	var n, kindOK, rcptN, rcptOK, statusN, statusOK, causeN, causeOK int
	for _, lf := range labels {
		dir := filepath.Dir(lf)
		f, err := os.Open(lf)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := sc.Text()
			if line == "" || line[0] == '#' {
				continue
			}
			c := strings.Split(line, "\t")
			if len(c) < 5 {
				t.Fatalf("%s: short line %q", lf, line)
			}
			name := filepath.Join(filepath.Base(dir), c[0])
			data, err := os.ReadFile(filepath.Join(dir, c[0]))
			if err != nil {
				t.Fatal(err)
			}
			n++
			rep, err := Read(strings.NewReader(string(data)), nil)
			if err != nil {
				t.Logf("miss %s: %v", name, err)
				rep = &Report{Kind: KindOther}
			}
			if string(rep.Kind) == c[1] {
				kindOK++
			} else {
				t.Logf("miss kind %s: want %s, got %s", name, c[1], rep.Kind)
			}
			var r *Record
			if len(rep.Records) > 0 {
				r = &rep.Records[0]
			}
			if c[2] != "-" {
				rcptN++
				if r != nil && (strings.EqualFold(r.Recipient, c[2]) || strings.EqualFold(r.OriginalRecipient, c[2])) {
					rcptOK++
				} else {
					got := "<none>"
					if r != nil {
						got = r.Recipient
					}
					t.Logf("miss recipient %s: want %s, got %s", name, c[2], got)
				}
			}
			if c[3] != "-" {
				statusN++
				if r != nil && r.Status == c[3] {
					statusOK++
				} else {
					got := "<none>"
					if r != nil {
						got = r.Status
					}
					t.Logf("miss status %s: want %s, got %s", name, c[3], got)
				}
			}
			if c[4] != "*" {
				causeN++
				got := "<none>"
				if r != nil && r.Explanation != nil {
					got = string(r.Explanation.Cause)
				}
				ok := false
				for _, w := range strings.Split(c[4], "|") {
					if w == got {
						ok = true
					}
				}
				if ok {
					causeOK++
				} else {
					d := ""
					if r != nil {
						d = r.Diagnostic
					}
					t.Logf("miss cause %s: want %s, got %s: %q", name, c[4], got, d)
				}
			}
		}
		f.Close()
	}
	t.Logf("held-out emails %d: kind %d (%.1f%%), recipient %d/%d (%.1f%%), status %d/%d, cause %d/%d (%.1f%%)",
		n, kindOK, pct(kindOK, n), rcptOK, rcptN, pct(rcptOK, rcptN), statusOK, statusN, causeOK, causeN, pct(causeOK, causeN))
}
