package bounce

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/internal/testshared"
)

// FuzzRead reads arbitrary input as an email: it must return a report or a
// typed error, never panic, and give records that marshal and carry valid
// text.
func FuzzRead(f *testing.F) {
	for _, s := range unitEmails {
		f.Add([]byte(s.email))
	}
	if os.Getenv(testshared.EnvVar) != "" {
		dir := testshared.Path(f, "corpus/set-of-emails/maildir/bsd")
		files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	opts := &Options{MaxSize: 1 << 20, MaxParts: 50, MaxDepth: 8}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Read(bytes.NewReader(data), opts)
		if err != nil {
			var le *LimitError
			var se *SyntaxError
			if !errors.As(err, &le) && !errors.As(err, &se) && !strings.HasPrefix(err.Error(), "bounce: ") {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if rep != nil {
				t.Fatal("a report with an error")
			}
			return
		}
		if len(rep.Records) > maxRecords {
			t.Fatalf("%d records", len(rep.Records))
		}
		for _, r := range rep.Records {
			if len(r.Diagnostic) > maxDiag {
				t.Fatalf("diagnostic of %d bytes", len(r.Diagnostic))
			}
			if r.Kind == "" {
				t.Fatal("record without kind")
			}
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatal(err)
		}
	})
}
