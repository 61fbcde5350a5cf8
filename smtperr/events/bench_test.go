package events

import (
	"testing"
)

// BenchmarkParse parses every testdata payload once per iteration, stating
// no provider (detection included); payloads/s is reported.
func BenchmarkParse(b *testing.B) {
	cases := loadCases(b)
	var payloads [][]byte
	for _, tc := range cases {
		if tc.Records != nil {
			payloads = append(payloads, readPayload(b, tc.File))
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range payloads {
			if _, err := Parse(p, "", nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(payloads))/b.Elapsed().Seconds(), "payloads/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(payloads)), "ns/payload")
}

// BenchmarkParseSendGridBatch parses one SendGrid batch of 1,000 events.
func BenchmarkParseSendGridBatch(b *testing.B) {
	ev := `{"email":"user@example.com","timestamp":1513299569,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","event":"bounce","sg_event_id":"x","sg_message_id":"y","reason":"550 5.1.1 The email account that you tried to reach does not exist","status":"5.1.1","type":"bounce"}`
	data := make([]byte, 0, 1000*(len(ev)+1)+2)
	data = append(data, '[')
	for i := 0; i < 1000; i++ {
		if i > 0 {
			data = append(data, ',')
		}
		data = append(data, ev...)
	}
	data = append(data, ']')
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, SendGrid, nil); err != nil {
			b.Fatal(err)
		}
	}
}
