package sender

import (
	"net/mail"
	"testing"
)

// The benchmarks parse the same inputs with ParseAddress and with
// net/mail.ParseAddress, so one run shows both. ParseAddress does more
// (IDNA, NFC, unsafe-character checks) but must not be slower on plain
// ASCII addresses.
var benchInputs = []struct{ name, in string }{
	{"ASCII", "john.doe@example.com"},
	{"DisplayName", `"Doe, John" <john.doe@example.com>`},
	{"IDN", "info@bücher.example.de"},
}

func BenchmarkParseAddress(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseAddress(in.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNetMailParseAddress(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := mail.ParseAddress(in.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseDomain(b *testing.B) {
	for _, in := range []string{"example.com", "bücher.example.de"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseDomain(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
