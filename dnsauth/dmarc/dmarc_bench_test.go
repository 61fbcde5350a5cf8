package dmarc

import (
	"testing"

	msgauth "github.com/emersion/go-msgauth/dmarc"
)

// benchRecords are typical published policy records: a minimal one, a
// fully specified one with two report destinations and a size limit, and
// a trial one with RFC 7489 tags.
var benchRecords = []string{
	"v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
	"v=DMARC1; p=quarantine; sp=none; adkim=s; aspf=r; fo=1; rua=mailto:a@example.com,mailto:b@reports.example.net!10m; ruf=mailto:f@example.com",
	"v=DMARC1; p=none; pct=50; rf=afrf; ri=86400",
}

// BenchmarkParse parses the same records with this package's Parse and
// with go-msgauth's dmarc.Parse in one run, so their ns/op and allocs/op
// compare directly.
func BenchmarkParse(b *testing.B) {
	for _, rec := range benchRecords {
		if _, err := Parse(rec, ""); err != nil {
			b.Fatalf("Parse(%q): %v", rec, err)
		}
		if _, err := msgauth.Parse(rec); err != nil {
			b.Fatalf("go-msgauth Parse(%q): %v", rec, err)
		}
	}
	b.Run("sendcheck", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := Parse(benchRecords[i%len(benchRecords)], ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sendcheck-rfc7489", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := Parse(benchRecords[i%len(benchRecords)], ModePublicSuffix); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("go-msgauth", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := msgauth.Parse(benchRecords[i%len(benchRecords)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
