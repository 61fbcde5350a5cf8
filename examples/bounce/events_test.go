package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func eventsTestdata(name string) string {
	return filepath.Join("..", "..", "smtperr", "events", "testdata", filepath.FromSlash(name))
}

// TestEventPayloads: JSON payloads are read as provider events, one JSON
// line per event, beside emails in the same run.
func TestEventPayloads(t *testing.T) {
	code, out, errs := runProg(t, "", "-json", eventsTestdata("ses/doc-bounce-dsn.json"), eventsTestdata("sendgrid/built-dropped-reasons.json"))
	if code != 1 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1+7 {
		t.Fatalf("%d lines, want 8:\n%s", len(lines), out)
	}
	var first, drop line
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Kind != "bounce" || first.Recipient != "jane@example.com" || first.Cause != "recipient_unknown" ||
		first.Provider != "ses" || first.ProviderType != "Permanent" || first.MessageID != "custom-message-ID@example.com" ||
		first.Confidence == "" || first.Party != "recipient" || first.Summary == "" || first.Action == "" || first.Timestamp.IsZero() {
		t.Errorf("SES record: %+v", first)
	}
	if err := json.Unmarshal([]byte(lines[1]), &drop); err != nil {
		t.Fatal(err)
	}
	if drop.Kind != "dropped" || drop.Cause != "suppressed" || drop.Confidence != "high" || drop.Provider != "sendgrid" {
		t.Errorf("SendGrid drop: %+v", drop)
	}
}

func TestEventPayloadStdinAndText(t *testing.T) {
	in := `{"RecordType":"Open","Recipient":"john@example.com","MessageID":"m1","ReceivedAt":"2019-11-05T16:33:54Z"}`
	code, out, errs := runProg(t, in)
	if code != 0 || errs != "" || !strings.Contains(out, "other for john@example.com, postmark Open") {
		t.Fatalf("exit %d, out %q, stderr %q", code, out, errs)
	}
}

func TestEventPayloadRefused(t *testing.T) {
	code, out, errs := runProg(t, `[{"event":"bounce","sg_event_id":"1"}]`, "-json")
	if code != 2 || out != "" || !strings.Contains(errs, "sendgrid: event 0") {
		t.Fatalf("exit %d, out %q, stderr %q", code, out, errs)
	}
}
