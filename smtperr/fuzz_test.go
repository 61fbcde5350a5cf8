package smtperr

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-smtp"
)

// fuzzSeeds are reply shapes the parser must handle, plus every rule
// pattern of the tables behind a reply code.
func fuzzSeeds(f *testing.F) {
	for _, s := range []string{
		"550 5.1.1 User unknown",
		"550-5.7.1 first\r\n550-5.7.1 second\r\n550 5.7.1 last",
		"5.7.0 Mail relay denied",
		"host mx.example.com[192.0.2.1] said: 550 5.1.1 <a@example.com>: Recipient address rejected (in reply to RCPT TO command)",
		"Diagnostic-Code: smtp; 552 5.2.2 Mailbox full",
		"Sorry, no mailbox here by that name. (#5.1.1)",
		"#550 5.2.2 STOREDRV.Deliver: mailbox full ##",
		"Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'",
		"550-5.7.1 [192.0.2.1] The IP you're using is not authorized to 550-5.7.1 send email",
		"421",
		"",
		"4.16.55.1 2606:2800:220:6d::1 554.30",
		"550 \x00\x1b\u202e\xff",
		"Erreur SMTP\u202f: échec de l’authentification.",
		"退信原因:收件人邮件地址不存在,邮件无法送达。",
		"550 ＳＰＡＭ ｄｅｔｅｃｔｅｄ",
		"550 Ошибка: пользователь не найден",
		"550 5.7.1 dmarc=pass spf=pass; not spam; spamcop",
	} {
		f.Add(s)
	}
	for _, r := range strongRules {
		f.Add("550 5.7.1 " + r.pat + " " + r.and)
	}
	for _, r := range weakRules {
		f.Add("451 4.3.0 " + r.pat)
	}
}

// FuzzParseReply checks that ParseReply never panics and that a reply with
// a code survives String and a second parse with the same codes.
func FuzzParseReply(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		r := ParseReply(s)
		if len(r.Lines) == 0 || len(r.Lines) > maxLines {
			t.Fatalf("%d lines", len(r.Lines))
		}
		if r.Code != 0 && (r.Code < 200 || r.Code > 599) {
			t.Fatalf("code %d", r.Code)
		}
		if r.Code == 0 {
			return
		}
		for _, l := range r.Lines {
			if strings.ContainsAny(l, "\r\n") {
				return // not a wire-form line; String cannot round-trip it
			}
		}
		r2 := ParseReply(r.String())
		if r2.Code != r.Code || r2.Enhanced != r.Enhanced {
			t.Fatalf("round trip of %q: %d %v, then %q: %d %v", s, r.Code, r.Enhanced, r.String(), r2.Code, r2.Enhanced)
		}
	})
}

// FuzzExplainReply checks that ExplainReply never panics, always returns a
// valid cause, and produces a message that is valid UTF-8, bounded, and
// free of control and format characters.
func FuzzExplainReply(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		e := ExplainReply(s)
		if e == nil || !e.Cause.Valid() || e.Summary == "" || e.Action == "" {
			t.Fatalf("bad explanation %+v", e)
		}
		if e.Confidence.rank() == 0 || (e.Cause == CauseUnknown || e.Basis == BasisReplyCode || e.Basis == BasisNone) && e.Confidence != ConfidenceLow {
			t.Fatalf("confidence %q for %s by %s", e.Confidence, e.Cause, e.Basis)
		}
		if !utf8.ValidString(e.Message) || len(e.Message) > maxMessageBytes+len("…") {
			t.Fatalf("message %q", e.Message)
		}
		for _, r := range e.Message {
			if r != ' ' && isSpaceOrControl(r) {
				t.Fatalf("message %q holds %U", e.Message, r)
			}
		}
		if e.Code != 0 && e.Temporary != (e.Code/100 == 4) {
			t.Fatalf("temporary %v for code %d", e.Temporary, e.Code)
		}
	})
}

// FuzzExplainSMTPError feeds arbitrary go-smtp errors, including codes out
// of range and negative enhanced codes, to Explain.
func FuzzExplainSMTPError(f *testing.F) {
	f.Add(550, 5, 1, 1, "User unknown")
	f.Add(554, 0, 0, 0, "5.2.252 SendAsDenied")
	f.Add(-1, -1, -1, -1, "")
	f.Add(999, 9, 1000, 7, "x\n5.7.1 y")
	f.Fuzz(func(t *testing.T, code, class, subject, detail int, msg string) {
		err := fmt.Errorf("send: %w", &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{class, subject, detail}, Message: msg})
		e := Explain(err)
		if e == nil || !e.Cause.Valid() {
			t.Fatalf("bad explanation %+v", e)
		}
		if e.Code != 0 && (e.Code < 200 || e.Code > 599) {
			t.Fatalf("code %d", e.Code)
		}
		if w := Wrap(err); !errors.Is(w, e.Cause) {
			t.Fatalf("wrapped error does not match its cause")
		}
	})
}

// FuzzElideAddresses checks that removing addresses from folded text never
// lengthens it and keeps every trigram of the result in the trigram set.
func FuzzElideAddresses(f *testing.F) {
	for _, s := range []string{
		"550 user <a@example.com> unknown",
		"a@b@c@d", "@@@", "x@.", "<a@b.c>", "'a@b' \"c@d\" (e@f) [g@h]",
		"to=<bob@example.com>, relay=none", "a @ b", "é@ü.de ok",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var sc scanner
		dst := make([]byte, len(s)+1)
		fo := folder{dst: dst, grams: &sc.grams}
		fo.add(s)
		n := fo.n
		out := elideAddresses(dst[:n], &sc.grams)
		if len(out) > n {
			t.Fatalf("elided text is longer: %d > %d", len(out), n)
		}
		for i := 0; i+3 <= len(out); i++ {
			h := trigram(out[i], out[i+1], out[i+2])
			if sc.grams[h>>6]&(1<<(h&63)) == 0 {
				t.Fatalf("%q: trigram %q missing from the set", out, out[i:i+3])
			}
		}
	})
}
