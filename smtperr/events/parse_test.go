package events

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/bounce"
)

// wantRecord is what one record of a testdata payload must hold; empty
// fields are not checked, except that cause "" on a failure means unchecked
// and a record that is no failure must have no explanation.
type wantRecord struct {
	Kind      bounce.Kind     `json:"kind"`
	Recipient string          `json:"recipient"`
	Cause     smtperr.Cause   `json:"cause"`
	Severity  bounce.Severity `json:"severity"`
	Status    string          `json:"status"`
	Subtype   *string         `json:"subtype"`
}

type testCase struct {
	File     string       `json:"file"`
	Provider Provider     `json:"provider"`
	Source   string       `json:"source"`
	Records  []wantRecord `json:"records"`
}

func loadCases(t testing.TB) []testCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []testCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

func readPayload(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(file)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func isFailure(k bounce.Kind) bool {
	switch k {
	case bounce.KindBounce, bounce.KindDelay, bounce.KindDropped:
		return true
	}
	return false
}

// TestTestdata parses every payload in testdata twice, with the provider
// stated and detected, and checks each record against cases.json.
func TestTestdata(t *testing.T) {
	cases := loadCases(t)
	seen := map[Provider]int{}
	for _, tc := range cases {
		t.Run(tc.File, func(t *testing.T) {
			if tc.Source == "" {
				t.Error("case without a source")
			}
			data := readPayload(t, tc.File)
			got, err := Detect(data)
			if err != nil || got != tc.Provider {
				t.Fatalf("Detect = %q, %v; want %q", got, err, tc.Provider)
			}
			if tc.Records == nil {
				_, err := Parse(data, tc.Provider, nil)
				var ce *ConfirmationError
				if !errors.As(err, &ce) || ce.SubscribeURL == "" {
					t.Fatalf("Parse error = %v, want a *ConfirmationError with a SubscribeURL", err)
				}
				return
			}
			recs, err := Parse(data, tc.Provider, nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			recs2, err := Parse(data, "", nil)
			if err != nil || len(recs2) != len(recs) {
				t.Fatalf("Parse with detection: %d records, %v; want %d", len(recs2), err, len(recs))
			}
			if len(recs) != len(tc.Records) {
				t.Fatalf("got %d records, want %d", len(recs), len(tc.Records))
			}
			for i, w := range tc.Records {
				checkRecord(t, i, recs[i], w, tc.Provider)
			}
			seen[tc.Provider]++
		})
	}
	for _, p := range Providers() {
		if seen[p] < 3 {
			t.Errorf("provider %s has %d payloads in testdata, want at least 3", p, seen[p])
		}
	}
}

func checkRecord(t *testing.T, i int, r bounce.Record, w wantRecord, p Provider) {
	t.Helper()
	if r.Kind != w.Kind {
		t.Errorf("record %d: kind %q, want %q", i, r.Kind, w.Kind)
	}
	if r.Recipient != w.Recipient {
		t.Errorf("record %d: recipient %q, want %q", i, r.Recipient, w.Recipient)
	}
	if r.Provider != string(p) {
		t.Errorf("record %d: provider %q, want %q", i, r.Provider, p)
	}
	if r.Severity != w.Severity {
		t.Errorf("record %d: severity %q, want %q", i, r.Severity, w.Severity)
	}
	if w.Status != "" && r.Status != w.Status {
		t.Errorf("record %d: status %q, want %q", i, r.Status, w.Status)
	}
	if w.Subtype != nil && r.ProviderSubtype != *w.Subtype {
		t.Errorf("record %d: provider subtype %q, want %q", i, r.ProviderSubtype, *w.Subtype)
	}
	if r.Timestamp.IsZero() {
		t.Errorf("record %d: no timestamp", i)
	}
	if r.ProviderType == "" {
		t.Errorf("record %d: no provider type", i)
	}
	if isFailure(r.Kind) {
		if r.Explanation == nil {
			t.Fatalf("record %d: failure without explanation", i)
		}
		if w.Cause != "" && r.Explanation.Cause != w.Cause {
			t.Errorf("record %d: cause %q (basis %s, matched %q, text %q), want %q", i, r.Explanation.Cause, r.Explanation.Basis, r.Explanation.Matched, r.Diagnostic, w.Cause)
		}
		if r.Explanation.Party != r.Explanation.Cause.Party() {
			t.Errorf("record %d: party %q does not belong to cause %q", i, r.Explanation.Party, r.Explanation.Cause)
		}
	} else if r.Explanation != nil {
		t.Errorf("record %d: %s record with an explanation", i, r.Kind)
	}
}

// TestProviderClassDecides pins the rule of evidence: a decisive provider
// class beats contradicting text, a hint does not.
func TestProviderClassDecides(t *testing.T) {
	text := "smtp; 550 5.1.1 <a@example.com>: Recipient address rejected: User unknown"
	tests := []struct {
		name     string
		cause    smtperr.Cause
		decisive bool
		want     smtperr.Cause
		basis    smtperr.Basis
		conf     smtperr.Confidence
	}{
		{"decisive beats text", smtperr.CauseSuppressed, true, smtperr.CauseSuppressed, smtperr.BasisProviderText, smtperr.ConfidenceHigh},
		{"hint yields to text", smtperr.CauseMailboxFull, false, smtperr.CauseRecipientUnknown, "", ""},
		{"no class", "", false, smtperr.CauseRecipientUnknown, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Explain(SES, text, "5.1.1", tt.cause, tt.decisive)
			if e.Cause != tt.want {
				t.Errorf("cause %q, want %q", e.Cause, tt.want)
			}
			if tt.basis != "" && e.Basis != tt.basis {
				t.Errorf("basis %q, want %q", e.Basis, tt.basis)
			}
			if tt.conf != "" && e.Confidence != tt.conf {
				t.Errorf("confidence %q, want %q", e.Confidence, tt.conf)
			}
			if e.Code != 550 || e.Enhanced.String() != "5.1.1" {
				t.Errorf("codes %d %s, want 550 5.1.1 kept from the text", e.Code, e.Enhanced)
			}
		})
	}
	// A hint decides when the text says nothing specific.
	e := Explain(SparkPost, "550 rejected", "", smtperr.CauseMailboxFull, false)
	if e.Cause != smtperr.CauseMailboxFull || !strings.Contains(e.Matched, "sparkpost") || e.Confidence != smtperr.ConfidenceMedium {
		t.Errorf("vague text with a hint: cause %q matched %q confidence %q, want mailbox_full from sparkpost, medium", e.Cause, e.Matched, e.Confidence)
	}
	// No text at all and a decisive class: the provider's statement, high.
	e = Explain(SES, "", "", smtperr.CauseSuppressed, true)
	if e.Cause != smtperr.CauseSuppressed || e.Confidence != smtperr.ConfidenceHigh || e.Provider != "ses" {
		t.Errorf("decisive class alone: %+v", e)
	}
}

func TestParseErrors(t *testing.T) {
	big := "[" + strings.Repeat(`{"event":"open","email":"a@example.com","sg_event_id":"x","timestamp":1},`, 20)
	big = big[:len(big)-1] + "]"
	tests := []struct {
		name string
		p    Provider
		data string
		want error
	}{
		{"empty", "", "", ErrUnknownShape},
		{"not json", "", "{nope", ErrSyntax},
		{"not json stated", SendGrid, "[{nope", ErrSyntax},
		{"unknown object", "", `{"hello":"world"}`, ErrUnknownShape},
		{"scalar", "", `42`, ErrUnknownShape},
		{"empty batch undetected", "", `[]`, ErrUnknownShape},
		{"unknown provider", "acme", `{}`, ErrUnknownProvider},
		{"sendgrid object not batch", SendGrid, `{"event":"bounce"}`, ErrUnknownShape},
		{"sendgrid event without name", SendGrid, `[{"email":"a@example.com"}]`, ErrUnknownShape},
		{"sendgrid bounce without recipient", SendGrid, `[{"event":"bounce","timestamp":1}]`, ErrMissingField},
		{"sendgrid bad recipient", SendGrid, `[{"event":"bounce","email":"no at sign","timestamp":1}]`, ErrBadValue},
		{"sendgrid control char", SendGrid, `[{"event":"bounce","email":"a\u0000@example.com","timestamp":1}]`, ErrBadValue},
		{"sendgrid bad timestamp", SendGrid, `[{"event":"bounce","email":"a@example.com","timestamp":"soon"}]`, ErrBadValue},
		{"sendgrid element not object", SendGrid, `[1]`, ErrUnknownShape},
		{"sendgrid second event bad", SendGrid, `[{"event":"open","email":"a@example.com"},{"event":"bounce"}]`, ErrMissingField},
		{"too many", SendGrid, big, ErrTooManyEvents},
		{"ses no mail", SES, `{"notificationType":"Bounce"}`, ErrUnknownShape},
		{"ses bounce no recipients", SES, `{"notificationType":"Bounce","mail":{},"bounce":{"bounceType":"Permanent"}}`, ErrMissingField},
		{"sns message not json", SES, `{"Type":"Notification","TopicArn":"t","Message":"hello"}`, ErrSyntax},
		{"sns unknown type", SES, `{"Type":"Weird","TopicArn":"t","Message":"{}"}`, ErrUnknownShape},
		{"mailgun no event-data", Mailgun, `{"signature":{}}`, ErrUnknownShape},
		{"postmark no record type", Postmark, `{"Type":"HardBounce"}`, ErrUnknownShape},
		{"postmark bounce no type", Postmark, `{"RecordType":"Bounce","Email":"a@example.com"}`, ErrMissingField},
		{"sparkpost no msys", SparkPost, `[{"foo":{}}]`, ErrUnknownShape},
		{"sparkpost two events", SparkPost, `[{"msys":{"a":{"type":"open"},"b":{"type":"open"}}}]`, ErrUnknownShape},
		{"resend no to", Resend, `{"type":"email.bounced","data":{"bounce":{}}}`, ErrMissingField},
		{"resend bounced without bounce", Resend, `{"type":"email.bounced","data":{"to":["a@example.com"]}}`, ErrMissingField},
		{"mailjet nested object in id", Mailjet, `{"event":"bounce","email":"a@example.com","MessageID":{"x":1}}`, ErrBadValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := Parse([]byte(tt.data), tt.p, &Options{MaxRecords: 10})
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if recs != nil {
				t.Errorf("records returned with an error: %d", len(recs))
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %T is not a *ParseError", err)
			}
			if !strings.HasPrefix(err.Error(), "events: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

// TestUnknownEventIsOther: an event name a provider adds later is kept as
// other, not refused, so a batch is never lost to a new event type.
func TestUnknownEventIsOther(t *testing.T) {
	recs, err := Parse([]byte(`[{"event":"machine_opened","email":"a@example.com","sg_event_id":"1","timestamp":1700000000}]`), "", nil)
	if err != nil || len(recs) != 1 || recs[0].Kind != bounce.KindOther || recs[0].ProviderType != "machine_opened" {
		t.Fatalf("got %+v, %v", recs, err)
	}
}

func TestParseProvider(t *testing.T) {
	for _, p := range Providers() {
		got, err := ParseProvider(strings.ToUpper(string(p)))
		if err != nil || got != p {
			t.Errorf("ParseProvider(%q) = %q, %v", p, got, err)
		}
	}
	if _, err := ParseProvider("acme"); !errors.Is(err, ErrUnknownProvider) {
		t.Errorf("ParseProvider(acme) error %v", err)
	}
}

func TestRecordFields(t *testing.T) {
	recs, err := Parse(readPayload(t, "ses/doc-bounce-dsn.json"), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	r := recs[0]
	if r.MessageID != "custom-message-ID@example.com" || r.ProviderMessageID == "" || r.ReportingMTA != "email.example.com" ||
		r.RemoteMTA != "127.0.2.0" || r.Action != "failed" || r.ArrivalDate.IsZero() || r.ProviderType != "Permanent" {
		t.Errorf("record fields: %+v", r)
	}
	b, err := json.Marshal(r)
	if err != nil || !strings.Contains(string(b), `"cause":"recipient_unknown"`) {
		t.Errorf("JSON %s, %v", b, err)
	}
}

// TestFieldsCleaned: text fields from a payload reach logs and terminals
// without control characters.
func TestFieldsCleaned(t *testing.T) {
	in := `[{"event":"open\u001b[31m\r\nX","email":"a@example.com","sg_event_id":"1","sg_message_id":"m\u0007","timestamp":1700000000},
	 {"event":"bounce","email":"b@example.com","timestamp":1700000000,"reason":"550 5.1.1 no\u0000such\nuser","status":"5.1.1\r\n"}]`
	recs, err := Parse([]byte(in), SendGrid, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		msg := ""
		if r.Explanation != nil {
			msg = r.Explanation.Message
		}
		for _, s := range []string{r.ProviderType, r.ProviderMessageID, r.Diagnostic, r.Status, msg} {
			if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
				t.Errorf("control character in %q", s)
			}
		}
	}
}

// TestBrevoSpellings: Brevo's payload versions spell events and the message
// id differently.
func TestBrevoSpellings(t *testing.T) {
	in := `[{"event":"hardBounce","email":"a@example.com","messageId":"<m1@relay>","ts_epoch":1604933654000,"ts":1604933654,"reason":"550 5.1.1 user unknown"},
	 {"event":"softBounce","email":"b@example.com","ts":1604933654},
	 {"event":"invalid","email":"c@example.com","ts":1604933654}]`
	recs, err := Parse([]byte(in), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []bounce.Kind{bounce.KindBounce, bounce.KindBounce, bounce.KindDropped}
	for i, r := range recs {
		if r.Provider != "brevo" || r.Kind != want[i] {
			t.Errorf("record %d: %s %s, want brevo %s", i, r.Provider, r.Kind, want[i])
		}
	}
	if recs[0].MessageID != "m1@relay" || recs[0].Explanation.Cause != smtperr.CauseRecipientUnknown {
		t.Errorf("first record: %+v", recs[0])
	}
}

func TestResendFailReasons(t *testing.T) {
	for reason, want := range map[string]smtperr.Cause{
		"reached_daily_quota":   smtperr.CauseQuotaExceeded,
		"reached_monthly_limit": smtperr.CauseQuotaExceeded,
		"invalid_api_key":       smtperr.CauseAuthFailed,
		"domain_not_verified":   smtperr.CauseSenderDomainNotVerified,
		"invalid_recipient":     smtperr.CauseRecipientUnknown,
		"something_new":         smtperr.CauseUnknown,
	} {
		in := `{"type":"email.failed","created_at":"2024-11-22T23:41:12.126Z","data":{"email_id":"e","to":["a@example.com"],"failed":{"reason":"` + reason + `"}}}`
		recs, err := Parse([]byte(in), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := recs[0].Explanation.Cause; got != want || recs[0].Kind != bounce.KindDropped {
			t.Errorf("%s: %s %s, want dropped %s", reason, recs[0].Kind, got, want)
		}
	}
}
