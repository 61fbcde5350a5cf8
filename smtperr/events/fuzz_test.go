package events

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// fuzzParser seeds a fuzz target with the provider's testdata and checks
// that Parse never panics, and that what it returns is whole and consistent.
func fuzzParser(f *testing.F, p Provider) {
	files, _ := filepath.Glob(filepath.Join("testdata", string(p), "*.json"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`[]`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := Parse(data, p, &Options{MaxRecords: 100})
		if err != nil {
			if recs != nil {
				t.Fatalf("records with an error: %v", err)
			}
			return
		}
		if len(recs) > 100 {
			t.Fatalf("%d records over the bound", len(recs))
		}
		for i, r := range recs {
			switch r.Kind {
			case bounce.KindBounce, bounce.KindDelay, bounce.KindDropped:
				if r.Explanation == nil || !r.Explanation.Cause.Valid() || r.Recipient == "" || r.Explanation.Confidence == "" {
					t.Fatalf("record %d: failure without explanation or recipient: %+v", i, r)
				}
				if r.Severity != bounce.Hard && r.Severity != bounce.Soft {
					t.Fatalf("record %d: failure with severity %q", i, r.Severity)
				}
			case bounce.KindComplaint, bounce.KindDelivered, bounce.KindOther, bounce.KindAutoReply:
				if r.Explanation != nil {
					t.Fatalf("record %d: %s with an explanation", i, r.Kind)
				}
			default:
				t.Fatalf("record %d: kind %q", i, r.Kind)
			}
			if r.Provider != string(p) {
				t.Fatalf("record %d: provider %q", i, r.Provider)
			}
		}
		// Detection never panics on what a provider's parser accepts.
		_, _ = Detect(data)
	})
}

func FuzzParseSES(f *testing.F)       { fuzzParser(f, SES) }
func FuzzParseSendGrid(f *testing.F)  { fuzzParser(f, SendGrid) }
func FuzzParseMailgun(f *testing.F)   { fuzzParser(f, Mailgun) }
func FuzzParsePostmark(f *testing.F)  { fuzzParser(f, Postmark) }
func FuzzParseSparkPost(f *testing.F) { fuzzParser(f, SparkPost) }
func FuzzParseMailjet(f *testing.F)   { fuzzParser(f, Mailjet) }
func FuzzParseBrevo(f *testing.F)     { fuzzParser(f, Brevo) }
func FuzzParseResend(f *testing.F)    { fuzzParser(f, Resend) }
