package bounce

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sendcheck/sendcheck/internal/testshared"
)

// BenchmarkSetOfEmails reads every email of the set once per iteration and
// reports emails/s and allocations per email.
func BenchmarkSetOfEmails(b *testing.B) {
	dir := testshared.Path(b, "corpus/set-of-emails/maildir/bsd")
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no emails in %s: %v", dir, err)
	}
	var emails [][]byte
	var size int64
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		emails = append(emails, data)
		size += int64(len(data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	b.ResetTimer()
	for b.Loop() {
		for _, e := range emails {
			if _, err := Read(bytes.NewReader(e), nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&m1)
	n := float64(b.N) * float64(len(emails))
	b.ReportMetric(n/b.Elapsed().Seconds(), "emails/s")
	b.ReportMetric(float64(m1.Mallocs-m0.Mallocs)/n, "allocs/email")
}
