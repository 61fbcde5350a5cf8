package smtperr

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// traceCases are real replies (sources beside them) and the identifiers a
// support team asks for.
var traceCases = []struct {
	name  string
	reply string
	want  []Identifier
}{
	{
		// simonrob/email-oauth2-proxy issue 193
		name:  "Microsoft 365 SMTP AUTH disabled",
		reply: "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]",
		want: []Identifier{
			{IdentifierServer, "MN2PR05CA0004.namprd05.prod.outlook.com"},
			{IdentifierTimestamp, "2023-09-12T20:59:57.214Z"},
			{IdentifierTransaction, "08DBB276B7E699C4"},
		},
	},
	{
		// nodemailer/nodemailer issue 1714
		name:  "Microsoft 365 basic authentication disabled",
		reply: "535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]",
		want: []Identifier{
			{IdentifierServer, "PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM"},
			{IdentifierTimestamp, "2025-01-26T18:54:30.055Z"},
			{IdentifierTransaction, "08DD3DD7D75D7743"},
		},
	},
	{
		// zone-eu/zone-mta pull request 214
		name:  "Exchange Online Protection server",
		reply: "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [PR2FRA01FT009.eop-fra01.prod.protection.outlook.com]",
		want:  []Identifier{{IdentifierServer, "PR2FRA01FT009.eop-fra01.prod.protection.outlook.com"}},
	},
	{
		// bruceg/ezmlm-idx issue 11
		name:  "Gmail DMARC refusal",
		reply: "550-5.7.1 Unauthenticated email from example.no is not accepted due to\n550-5.7.1 domain's DMARC policy. Please contact the administrator of\n550-5.7.1 example.no domain if this was a legitimate mail. Please visit\n550-5.7.1  https://support.google.com/mail/answer/2451690 to learn about the\n550 5.7.1 DMARC initiative. r75si5694561wmf.156 - gsmtp",
		want:  []Identifier{{IdentifierTransaction, "r75si5694561wmf.156"}},
	},
	{
		// corpus/provider-replies.jsonl (Gmail, the IP it saw)
		name:  "Gmail direct-to-MX refusal",
		reply: "550-5.7.1 [59.177.124.28] The IP you're using to send mail is not authorized to 550-5.7.1 send email directly to our servers. Please use the SMTP relay at your 550-5.7.1 service provider instead. Learn more at 550 5.7.1 https://support.google.com/mail/answer/10336 f20si20142483pfd.230 - gsmtp",
		want:  []Identifier{{IdentifierIP, "59.177.124.28"}, {IdentifierTransaction, "f20si20142483pfd.230"}},
	},
	{
		// dwlistore.dwli.org knowledge base 444 (Mimecast greylisting)
		name:  "Mimecast reference",
		reply: "451 Internal resource is temporarily unavailable - https://community.mimecast.com/docs/DOC-1369#451 [Aj3QXapeMpqZYaeFwWhjzw.us32]",
		want:  []Identifier{{IdentifierReference, "Aj3QXapeMpqZYaeFwWhjzw.us32"}},
	},
	{
		// LukeSmithxyz/emailwiz issue 233 (Proofpoint)
		name:  "Proofpoint host and blocked IP",
		reply: "host mxb-001.gslb.pphosted.com[10.11.20.40] said: 550 5.7.0 Blocked - see https://ipcheck.proofpoint.com/?ip=149.28.244.134",
		want:  []Identifier{{IdentifierServer, "mxb-001.gslb.pphosted.com"}, {IdentifierIP, "10.11.20.40"}, {IdentifierIP, "149.28.244.134"}},
	},
	{
		name:  "Amazon SES region",
		reply: "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: ops@example.com",
		want:  []Identifier{{IdentifierRegion, "us-east-1"}},
	},
	{
		name:  "Amazon SES message id and host",
		reply: "250 Ok 0100018e5b2c3d4e-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d-000000 via email-smtp.eu-west-1.amazonaws.com",
		want:  []Identifier{{IdentifierMessage, "0100018e5b2c3d4e-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d-000000"}, {IdentifierRegion, "eu-west-1"}},
	},
	{
		name:  "Microsoft Entra sign-in error",
		reply: "535 5.7.3 AADSTS50126: Error validating credentials due to invalid username or password. Trace ID: 0b5b7a4e-8c21-4a55-9f1d-2c3e4f5a6b7c Correlation ID: 9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a Timestamp: 2026-11-02 10:11:12Z",
		want: []Identifier{
			{IdentifierRequest, "0b5b7a4e-8c21-4a55-9f1d-2c3e4f5a6b7c"},
			{IdentifierCorrelation, "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"},
		},
	},
	{
		name:  "Postfix queue id",
		reply: "250 2.0.0 Ok: queued as 4Fq3Xk1Z2Qz9vW",
		want:  []Identifier{{IdentifierQueue, "4Fq3Xk1Z2Qz9vW"}},
	},
	{
		name:  "Exim ids",
		reply: "250 OK id=1kXyZa-0003Mn-Kx and 1rAbCd-00000000AbC-ABCD",
		want:  []Identifier{{IdentifierQueue, "1kXyZa-0003Mn-Kx"}, {IdentifierQueue, "1rAbCd-00000000AbC-ABCD"}},
	},
	{
		name:  "Microsoft Hostname form",
		reply: "550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP. [Hostname=DM6PR12MB1234.namprd12.prod.outlook.com]",
		want:  []Identifier{{IdentifierServer, "DM6PR12MB1234.namprd12.prod.outlook.com"}},
	},
	{
		name:  "nothing to take",
		reply: "550 5.1.1 <user@example.com>: Recipient address rejected: User unknown in virtual mailbox table (cross-border-ok 1234567 of 2026-11-02)",
	},
}

func TestIdentifiers(t *testing.T) {
	for _, tc := range traceCases {
		t.Run(tc.name, func(t *testing.T) {
			got := ExplainReply(tc.reply).Trace
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Trace\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestTraceJSON(t *testing.T) {
	b, err := json.Marshal(ExplainReply(traceCases[0].reply))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"trace":[{"kind":"server","value":"MN2PR05CA0004.namprd05.prod.outlook.com"}`) {
		t.Errorf("JSON lacks the trace: %s", b)
	}
	b, _ = json.Marshal(ExplainReply("550 5.1.1 no such user"))
	if strings.Contains(string(b), `"trace"`) {
		t.Errorf("an empty trace is written: %s", b)
	}
}

// FuzzIdentifiers checks that any text gives at most maxIdentifiers
// identifiers, each a non-empty substring of the text (a region is lower
// cased), and never panics.
func FuzzIdentifiers(f *testing.F) {
	for _, tc := range traceCases {
		f.Add(tc.reply)
	}
	f.Add("[ ]")
	f.Add("- gsmtp")
	f.Add("Trace ID:")
	f.Add("[2023-09-12T20:59:57.214Z 08DBB276B7E699C4")
	f.Fuzz(func(t *testing.T, text string) {
		ids := Identifiers(text)
		if len(ids) > maxIdentifiers {
			t.Fatalf("%d identifiers", len(ids))
		}
		lower := strings.ToLower(text)
		for _, id := range ids {
			if id.Value == "" || !utf8.ValidString(id.Value) && utf8.ValidString(text) {
				t.Fatalf("bad value %q from %q", id.Value, text)
			}
			if !strings.Contains(text, id.Value) && !strings.Contains(lower, id.Value) {
				t.Fatalf("%v is not in %q", id, text)
			}
		}
	})
}

func BenchmarkIdentifiers(b *testing.B) {
	for _, tc := range traceCases[:4] {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Identifiers(tc.reply)
			}
		})
	}
}

// BenchmarkIdentifiersCorpus reads the identifiers of every reply of the
// corpora once per iteration, to set beside BenchmarkExplainReply (which
// includes it).
func BenchmarkIdentifiersCorpus(b *testing.B) {
	replies := corpusReplies(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, r := range replies {
			Identifiers(r)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(replies)), "ns/reply")
}

// scanWords is the word-by-word scan that scan replaced, kept to check
// it: scan walks the words of text (runs between white space) and reads each
// in the light of the words before it.
func (t *tracer) scanWords(text string) {
	var prev [3]string // the last three words, most recent first
	inBracket := false // inside "[ ... ]" that started on an earlier word
	bracketTS := false // a timestamp was seen in the current bracket
	for i := 0; i < len(text); {
		for i < len(text) && traceSpace(text[i]) {
			i++
		}
		j := i
		digit := false
		for j < len(text) && !traceSpace(text[j]) {
			digit = digit || text[j]-'0' < 10
			j++
		}
		if i == j {
			break
		}
		w := text[i:j]
		i = j

		opens := w[0] == '['
		closes := w[len(w)-1] == ']'
		if opens {
			inBracket, bracketTS = true, false
		}
		// Every identifier has a digit; a word without one matters only
		// as the context of the next ("Trace ID:", "- gsmtp").
		switch {
		case w == "gsmtp":
			if prev[0] == "-" && traceIDToken(prev[1]) {
				t.add(IdentifierTransaction, prev[1])
			}
		case digit:
			t.word(w, traceTrim(w), prev, inBracket, opens && closes, &bracketTS)
		}
		if closes {
			inBracket = false
		}
		prev[2], prev[1], prev[0] = prev[1], prev[0], w
	}
}

// identifiersByWord is Identifiers with scanWords.
func identifiersByWord(text string) []Identifier {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	var t tracer
	t.scanWords(text)
	return append([]Identifier(nil), t.found()...)
}

// TestScanSkipsOnlyIdleWords checks that scan finds what the word-by-word
// scan finds, over the corpora and the trace cases.
func TestScanSkipsOnlyIdleWords(t *testing.T) {
	texts := corpusReplies(t)
	for _, c := range traceCases {
		texts = append(texts, c.reply)
	}
	texts = append(texts, scanCases...)
	for _, s := range texts {
		checkScan(t, s)
	}
}

func checkScan(t *testing.T, s string) {
	t.Helper()
	got, want := Identifiers(s), identifiersByWord(s)
	if len(got) != len(want) || len(got) > 0 && !reflect.DeepEqual(got, want) {
		t.Errorf("Identifiers(%q) = %v, the word-by-word scan finds %v", s, got, want)
	}
}

// scanCases are texts whose brackets open or close on words without a
// digit, and Gmail ids next to other words.
var scanCases = []string{
	"[a 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]",
	"[a 2023-09-12T20:59:57.214Z] 08DBB276B7E699C4",
	"[a 2023-09-12T20:59:57.214Z ] 08DBB276B7E699C4 [b 08DBB276B7E699C5]",
	"x[ 2023-09-12T20:59:57.214Z ]y [ 08DBB276B7E699C4 ]",
	"[a 2023-09-12T20:59:57.214Z b] [c 08DBB276B7E699C4",
	"r75si5694561wmf.156 - gsmtp gsmtp x - gsmtp 1.2.3.4 - gsmtpx gsmtp",
	"Trace ID: 0123456789ab Correlation ID: 0123456789ac queued as 4Fq3Xk1Z2Qz9vW",
}

// FuzzScan checks that scan finds what the word-by-word scan finds.
func FuzzScan(f *testing.F) {
	for _, c := range traceCases {
		f.Add(c.reply)
	}
	for _, s := range scanCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkScan(t, s)
	})
}

// traceIndexFoldRef is traceIndexFold by its definition.
func traceIndexFoldRef(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// traceEximIDRef is traceEximID without its test of the shape.
func traceEximIDRef(s string) bool {
	a, rest, ok1 := strings.Cut(s, "-")
	b, c, ok2 := strings.Cut(rest, "-")
	if !ok1 || !ok2 || len(a) != 6 {
		return false
	}
	if !(len(b) == 6 && len(c) == 2) && !(len(b) == 11 && len(c) == 4) {
		return false
	}
	digits := 0
	for _, part := range []string{a, b, c} {
		for i := 0; i < len(part); i++ {
			if !isAlnum(part[i]) {
				return false
			}
			if part[i] <= '9' {
				digits++
			}
		}
	}
	return digits >= 2
}

func checkTraceHelpers(t *testing.T, s string) {
	t.Helper()
	for _, sub := range []string{"outlook.com", ".pphosted.com", ".amazonaws.com", "k", "s"} {
		if got, want := traceIndexFold(s, sub), traceIndexFoldRef(s, sub); got != want {
			t.Errorf("traceIndexFold(%q, %q) = %d, want %d", s, sub, got, want)
		}
	}
	if got, want := traceEximID(s), traceEximIDRef(s); got != want {
		t.Errorf("traceEximID(%q) = %v, want %v", s, got, want)
	}
}

// TestTraceHelpers checks the case-blind search and the Exim id test
// against their definitions, with characters that fold to ASCII (the
// Kelvin sign, the long s).
func TestTraceHelpers(t *testing.T) {
	for _, s := range []string{
		"", "OUTLOOK.COM", "x.Outlook.Com]", "outloo\u212a.com", "outlook.com\u017f", "mx1.PPHOSTED.COM", "\u017f",
		"1kXyZa-0003Mn-Kx", "1kXyZa-0003Mn0003M-Kx12", "1kXyZa-00-3Mn-Kx", "cross-border-ok", "abcdef-ghijkl-mn",
	} {
		checkTraceHelpers(t, s)
	}
	for _, s := range corpusReplies(t) {
		for _, w := range strings.Fields(s) {
			checkTraceHelpers(t, w)
		}
	}
}

// FuzzTraceHelpers checks the case-blind search and the Exim id test
// against their definitions.
func FuzzTraceHelpers(f *testing.F) {
	f.Add("x.OUTLOO\u212a.com")
	f.Add("1kXyZa-0003Mn-Kx")
	f.Fuzz(func(t *testing.T, s string) {
		checkTraceHelpers(t, s)
	})
}

// TestContextWordsFoldCase checks that context words match without regard
// to case as strings.EqualFold has it, long s and Kelvin sign included.
func TestContextWordsFoldCase(t *testing.T) {
	for _, s := range []string{
		"queued AS 4Fq3Xk1Z2Qz9vW",
		"queued a\u017f 4Fq3Xk1Z2Qz9vW",
		"Request-Id: 0123456789ab",
		"reque\u017ft id: 0123456789ab",
	} {
		if got := Identifiers(s); len(got) != 1 {
			t.Errorf("Identifiers(%q) = %v, want one identifier", s, got)
		}
	}
}
