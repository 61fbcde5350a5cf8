package smtperr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
)

func TestConfidence(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Confidence
	}{
		{"provider text", "554 5.2.252 SendAsDenied; a@example.com not allowed to send as b@example.com", ConfidenceHigh},
		{"unambiguous phrase", "550 5.7.1 <a@example.com>: Sender address rejected: not owned by user b@example.com", ConfidenceHigh},
		{"specific enhanced code", "550 5.1.1 <x@example.org>", ConfidenceMedium},
		{"generic enhanced code", "550 5.7.1 go away", ConfidenceLow},
		{"vague word", "550 5.7.1 Denied by policy", ConfidenceLow},
		{"bare reply code", "552 Requested mail action aborted", ConfidenceLow},
		{"unknown", "554 something odd happened", ConfidenceLow},
		{"empty", "", ConfidenceLow},
		{"not a failure", "250 2.0.0 OK queued", ConfidenceLow},
		{"moved by MAIL FROM context", "host mx.example.net said: 550 5.1.1 <s@example.com>: user unknown (in reply to MAIL FROM command)", ConfidenceMedium},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ExplainReply(tt.in)
			if e.Confidence != tt.want {
				t.Errorf("confidence %s, want %s (cause %s, basis %s %q)", e.Confidence, tt.want, e.Cause, e.Basis, e.Matched)
			}
		})
	}
}

func TestConfidenceGoErrors(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want Confidence
	}{
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, ConfidenceHigh},
		{"deadline", fmt.Errorf("send: %w", context.DeadlineExceeded), ConfidenceHigh},
		{"cancelled is unknown", context.Canceled, ConfidenceLow},
		{"tls by text only", errors.New("tls: unexpected message"), ConfidenceMedium},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Explain(tt.err).Confidence; got != tt.want {
				t.Errorf("confidence %s, want %s", got, tt.want)
			}
		})
	}
}

// TestConfidenceInvariants checks over every corpus reply that an unknown
// cause and a decision by the bare reply code are never more than low, and
// that every explanation has one of the three confidences.
func TestConfidenceInvariants(t *testing.T) {
	for _, r := range readJSONL[struct {
		Reply string `json:"reply"`
	}](t, "corpus/provider-replies.jsonl") {
		e := ExplainReply(r.Reply)
		switch {
		case e.Confidence.rank() == 0:
			t.Errorf("%q: confidence %q", r.Reply, e.Confidence)
		case (e.Cause == CauseUnknown || e.Basis == BasisReplyCode || e.Basis == BasisWeakText || e.Basis == BasisNone) && e.Confidence != ConfidenceLow:
			t.Errorf("%q: %s by %s has confidence %s", r.Reply, e.Cause, e.Basis, e.Confidence)
		}
	}
}

func TestConfidenceJSON(t *testing.T) {
	b, err := json.Marshal(ExplainReply("550 5.1.1 <x@example.org>"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"confidence":"medium"`) {
		t.Errorf("JSON %s lacks the confidence", b)
	}
}
