package dmarc

import "testing"

// BenchmarkParse parses typical published policy records (measured alone;
// go-msgauth's parser was not measured beside it in this module).
func BenchmarkParse(b *testing.B) {
	records := []string{
		"v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
		"v=DMARC1; p=quarantine; sp=none; adkim=s; aspf=r; fo=1; rua=mailto:a@example.com,mailto:b@reports.example.net!10m; ruf=mailto:f@example.com",
		"v=DMARC1; p=none; pct=50; rf=afrf; ri=86400",
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := Parse(records[i%len(records)], ""); err != nil {
			b.Fatal(err)
		}
	}
}
