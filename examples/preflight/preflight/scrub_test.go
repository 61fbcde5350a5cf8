package preflight

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"testing"
	"unicode/utf8"
)

// echoForm is one way a server may echo the AUTH exchange: lines of reply
// text built from the base64 blob as received, the blob decoded and the
// secret found in it. needles are the strings that must not survive: each
// reveals the secret (or a run of the blob touching it).
type echoForm struct {
	name  string
	lines func(b64 string, blob []byte, secret string) []string
	// needles returns what must not appear in the output (compared
	// without regard to ASCII case and white space).
	needles func(b64 string, blob []byte, secret string) []string
	// short is true when the form is unambiguous even for a secret of 1
	// to 3 characters.
	short bool
}

// tailRun returns the last n characters of the base64 blob: those that
// carry the secret.
func tailRun(b64 string, n int) string {
	b64 = strings.TrimRight(b64, "=")
	if n > len(b64) {
		n = len(b64)
	}
	return b64[len(b64)-n:]
}

func echoForms() []echoForm {
	same := func(f func(b64 string, blob []byte, secret string) []string) func(string, []byte, string) []string {
		return f
	}
	return []echoForm{
		{name: "plain", lines: same(func(_ string, _ []byte, s string) []string {
			return []string{"bad credentials " + s + " for you"}
		}), needles: func(_ string, _ []byte, s string) []string { return []string{s} }},
		{name: "quoted blob", lines: same(func(_ string, blob []byte, _ string) []string {
			return []string{fmt.Sprintf("got %q", blob)}
		}), needles: func(_ string, _ []byte, s string) []string { return []string{s} }},
		{name: "base64 blob", short: true, lines: same(func(b string, _ []byte, _ string) []string {
			return []string{"you sent " + b}
		}), needles: func(b string, _ []byte, _ string) []string { return []string{b, tailRun(b, 4)} }},
		{name: "truncated base64", short: true, lines: same(func(b string, _ []byte, _ string) []string {
			t := strings.TrimRight(b, "=")
			return []string{"you sent " + t[:len(t)-1] + "...", "middle " + t[len(t)/3:max(len(t)/3, len(t)-3)]}
		}), needles: func(b string, _ []byte, _ string) []string {
			t := strings.TrimRight(b, "=")
			if len(t) <= 6 {
				return nil // a run of three characters or fewer is ambiguous
			}
			return []string{t[len(t)-6 : len(t)-1]}
		}},
		{name: "upper case", short: true, lines: same(func(b string, _ []byte, s string) []string {
			return []string{"RECEIVED " + strings.ToUpper(b), "PASS " + strings.ToUpper(s)}
		}), needles: func(b string, _ []byte, s string) []string { return []string{tailRun(b, 4), s} }},
		{name: "hex", short: true, lines: same(func(_ string, blob []byte, s string) []string {
			return []string{"blob " + hex.EncodeToString(blob), "BLOB " + strings.ToUpper(hex.EncodeToString(blob)), "secret " + hex.EncodeToString([]byte(s))}
		}), needles: func(_ string, blob []byte, s string) []string {
			h := hex.EncodeToString(blob)
			if len(h) < minHexRun {
				return []string{hex.EncodeToString([]byte(s))}
			}
			return []string{h[len(h)-8:], hex.EncodeToString([]byte(s))}
		}},
		{name: "split over lines", short: true, lines: same(func(b string, _ []byte, s string) []string {
			h := len(b) / 2
			return []string{"first half " + b[:h], b[h:] + " second half", "pw " + s[:len(s)/2], s[len(s)/2:] + " end"}
		}), needles: func(b string, _ []byte, s string) []string { return []string{b, s} }},
		{name: "invisible and ANSI inside", short: true, lines: same(func(b string, _ []byte, s string) []string {
			mid := len(b) / 2
			r, _ := utf8.DecodeRuneInString(s)
			n := utf8.RuneLen(r)
			return []string{
				"zw " + b[:mid] + "\u200b" + b[mid:],
				"ansi " + b[:mid] + "\x1b[31m" + b[mid:] + "\x1b[0m",
				"c1 " + b[:mid] + "\u009b1m" + b[mid:],
				"pw " + s[:n] + "\u2060\x1b]0;title\x07" + s[n:],
			}
		}), needles: func(b string, _ []byte, s string) []string { return []string{b, s} }},
		{name: "terminal escapes", short: true, lines: same(func(string, []byte, string) []string {
			return []string{"\x1b[2J\x1b[H cleared \x1b]8;;http://evil.test/\x1b\\link\x1b]8;;\x1b\\ \x07 bell \x00 nul"}
		}), needles: func(string, []byte, string) []string { return []string{"\x1b", "\x07", "\x00", "\u009b"} }},
	}
}

// echoServer is an SMTP double that offers mechs and answers any AUTH
// with a 535 reply echoing the exchange in form f.
func echoServer(t *testing.T, mechs string, f echoForm) string {
	return scripted(t, func(c net.Conn) {
		r := bufio.NewReader(c)
		fmt.Fprintf(c, "220 echo.test ESMTP\r\n")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			switch {
			case strings.HasPrefix(line, "EHLO"):
				fmt.Fprintf(c, "250-echo.test\r\n250 AUTH %s\r\n", mechs)
			case strings.HasPrefix(line, "AUTH "):
				fields := strings.Fields(line)
				var b64, secret string
				var blob []byte
				if strings.EqualFold(fields[1], "LOGIN") {
					if len(fields) < 3 {
						fmt.Fprintf(c, "334 VXNlcm5hbWU6\r\n")
						if _, err := r.ReadString('\n'); err != nil {
							return
						}
					}
					fmt.Fprintf(c, "334 UGFzc3dvcmQ6\r\n")
					l, err := r.ReadString('\n')
					if err != nil {
						return
					}
					b64 = strings.TrimSpace(l)
					blob, _ = base64.StdEncoding.DecodeString(b64)
					secret = string(blob)
				} else {
					b64 = fields[2]
					blob, _ = base64.StdEncoding.DecodeString(b64)
					secret = secretOf(blob)
				}
				lines := f.lines(b64, blob, secret)
				var out bytes.Buffer
				for i, l := range lines {
					sep := "-"
					if i == len(lines)-1 {
						sep = " "
					}
					fmt.Fprintf(&out, "535%s5.7.8 %s\r\n", sep, l)
				}
				c.Write(out.Bytes())
			case line == "QUIT":
				fmt.Fprintf(c, "221 bye\r\n")
				return
			default:
				fmt.Fprintf(c, "502 5.5.2 what\r\n")
			}
		}
	})
}

// secretOf finds the secret in a decoded AUTH blob: PLAIN's password after
// the last NUL, the bearer token of XOAUTH2 and OAUTHBEARER.
func secretOf(blob []byte) string {
	s := string(blob)
	if i := strings.Index(s, "auth=Bearer "); i >= 0 {
		s = s[i+len("auth=Bearer "):]
		if j := strings.IndexByte(s, 1); j >= 0 {
			s = s[:j]
		}
		return s
	}
	if i := strings.LastIndexByte(s, 0); i >= 0 {
		return s[i+1:]
	}
	return s
}

// fold removes white space and C0 controls and lower-cases ASCII, the way
// an echo's secret would still be read by a person.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// assertNoEcho fails when out still holds a needle (escape bytes compared
// as they are, the rest folded).
func assertNoEcho(t *testing.T, out string, needles []string) {
	t.Helper()
	folded := fold(strings.NewReplacer("535-5.7.8", "", "535 5.7.8", "", "5.7.8", "").Replace(out))
	for _, n := range needles {
		if n == "" {
			continue
		}
		if strings.ContainsAny(n, "\x00\x07\x1b\u009b") {
			if strings.Contains(out, n) {
				t.Errorf("output holds %q:\n%s", n, out)
			}
			continue
		}
		if strings.Contains(folded, fold(n)) {
			t.Errorf("output holds %q:\n%s", n, out)
		}
	}
	for _, bad := range []string{"\x1b", "\u009b", "\x07", "\x00", "\u200b", "\u2060"} {
		if strings.Contains(out, bad) {
			t.Errorf("output holds the control or invisible character %q:\n%s", bad, out)
		}
	}
}

// TestScrubEveryEcho runs the probe against a double that echoes the
// credentials in every form, for passwords of every length and for OAuth
// tokens, and checks the result and its text form.
func TestScrubEveryEcho(t *testing.T) {
	type cred struct {
		name, mechs, password, token string
	}
	creds := []cred{
		{"1-char password PLAIN", "PLAIN", "q", ""},
		{"2-char password PLAIN", "PLAIN", "q7", ""},
		{"3-char password PLAIN", "PLAIN", "q7!", ""},
		{"3-char password LOGIN", "LOGIN", "Zx9", ""},
		{"16-char password PLAIN", "PLAIN", "Pr0be-Secret-xyz", ""},
		{"15-char password LOGIN", "LOGIN", "correct-horse-9", ""},
		{"non-ASCII password", "PLAIN", "pässwörd-ünïcode", ""},
		{"XOAUTH2 token", "LOGIN XOAUTH2", "", "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlLmNvbSJ9.c2lnbmF0dXJl"},
		{"OAUTHBEARER token", "OAUTHBEARER", "", "ya29.a0AfH6SMBx-preflight-token_42"},
	}
	for _, cr := range creds {
		for _, f := range echoForms() {
			secret := cr.password + cr.token
			t.Run(cr.name+"/"+f.name, func(t *testing.T) {
				addr := echoServer(t, cr.mechs, f)
				r := Probe(context.Background(), &ProbeConfig{
					Host: "127.0.0.1", Connect: addr, Username: probeUser,
					Password: cr.password, Token: cr.token,
					From: "ops@good.example", To: "a@b.example",
				})
				if r.FailedStep != "auth" {
					t.Fatalf("got %s: %s", stepNames(r), stepErrors(r))
				}
				var b64 string
				blob := []byte(secret)
				switch r.Auth {
				case "PLAIN":
					blob = []byte("\x00" + probeUser + "\x00" + secret)
				case mechXOAUTH2:
					blob = []byte(xoauth2Prefix(probeUser) + secret + "\x01\x01")
				case mechOAuthBearer:
					blob = []byte(oauthBearerPrefix(probeUser, "127.0.0.1", 587) + secret + "\x01\x01")
				}
				b64 = base64.StdEncoding.EncodeToString(blob)
				needles := f.needles(b64, blob, secret)
				if len(secret) < minRawSecret && !f.short {
					t.Skip("a secret this short is too common a string to remove as typed")
				}
				if len(secret) < minRawSecret {
					// As typed or as its own hex, a 1-3 character secret is
					// ambiguous: only the forms that carry more are checked.
					var keep []string
					for _, n := range needles {
						if n != secret && n != hex.EncodeToString([]byte(secret)) {
							keep = append(keep, n)
						}
					}
					needles = keep
				}
				var text strings.Builder
				WriteText(&text, &Report{Verdict: VerdictNotReady, SMTP: r})
				out := mustJSON(t, r) + "\n" + text.String()
				// JSON escapes C0 controls but not C1 ones; decode none of
				// it: the escaped forms must not be there either.
				assertNoEcho(t, out, needles)
				assertNoEcho(t, strings.NewReplacer(`\u001b`, "\x1b", `\u0007`, "\x07", `\u0000`, "\x00").Replace(out), nil)
				if !strings.Contains(out, "5.7.8") {
					t.Errorf("the reply itself is gone: %s", out)
				}
			})
		}
	}
}

func TestScrubKeepsOrdinaryText(t *testing.T) {
	s := newScrubber("ops@good.example", "Pr0be-Secret-xyz", "", "smtp.example.com", 587)
	for _, text := range []string{
		"535 5.7.8 Username and Password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials 5b1f17b1804b1-4a5 - gsmtp",
		"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [BN8NAM12FT041.eop-nam12.prod.protection.outlook.com 2026-11-29T19:00:00.000Z 08DD0A1B2C3D4E5F]",
	} {
		if got := s.Replace(text); got != text {
			t.Errorf("Replace(%q) = %q", text, got)
		}
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":                       "plain text",
		"a\x1b[31mred\x1b[0m b":            "ared b",
		"t\x1b]0;title\x07x":               "tx",
		"t\x1b]8;;http://x/\x1b\\link":     "tlink",
		"c1\u009b2Jx":                      "c1x",
		"zero\u200bwidth\u00adsoft\ufeff":  "zerowidthsoft",
		"bidi \u202eevil\u202c":            "bidi evil",
		"nul\x00del\x7fbell\x07cr\r\nnext": "nuldelbellcr\nnext",
		"bad \xff byte":                    "bad \ufffd byte",
		"tab\tkept, é kept":                "tab\tkept, é kept",
		"esc at end \x1b":                  "esc at end ",
		"unterminated \x1b]0;title\nnext":  "unterminated next",
		"variation\ufe0fselector":          "variationselector",
		"tag\U000E0041char":                "tagchar",
	} {
		if got := cleanText(in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzScrub checks that after scrubbing no text holds the password, the
// token or their base64 AUTH blobs, whatever the secrets and the text
// around them, and that no control or escape byte survives.
func FuzzScrub(f *testing.F) {
	f.Add("apikey", "Pr0be-Secret-xyz", "", "535 5.7.8 bad credentials ", " for you")
	f.Add("u", "word", "", "[secret", " removed]")
	f.Add("u", "ed]Z", "", "abc", "Z")
	f.Add("u", "with", "tok", "text ", "held")
	f.Add("user@example.com", "pässwörd", "", "", "")
	f.Add("u", "p", "ya29.token", "\x1b[31m", "\u009b")
	f.Fuzz(func(t *testing.T, user, password, token, before, after string) {
		if len(user)+len(password)+len(token)+len(before)+len(after) > 2000 {
			return
		}
		s := newScrubber(user, password, token, "smtp.example.com", 587)
		plainBlob := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + password))
		var forms []string
		if password != "" {
			forms = append(forms, plainBlob, strings.ToUpper(plainBlob))
		}
		if token != "" {
			forms = append(forms, base64.StdEncoding.EncodeToString([]byte(xoauth2Prefix(user)+token+"\x01\x01")))
		}
		for _, sec := range []string{password, token} {
			if len(foldSecret(sec)) >= minRawSecret {
				forms = append(forms, sec)
			}
		}
		for _, form := range append(forms, "") {
			text := before + form + after
			out := s.Replace(text)
			if strings.ContainsAny(out, "\x1b\x00\x07\u009b") {
				t.Fatalf("Replace(%q) = %q keeps a control byte", text, out)
			}
			v := string(newView(out).b)
			for _, sec := range forms {
				if fs := string(newView(cleanText(sec)).b); fs != "" && strings.Contains(v, fs) {
					t.Fatalf("Replace(%q) = %q, which still holds %q", text, out, sec)
				}
			}
		}
	})
}

// TestScrubShortRunInWord checks that four characters of the AUTH PLAIN
// blob inside a longer word of a reply are left alone, while the same four
// characters standing as a token of their own, and longer runs anywhere,
// are masked.
func TestScrubShortRunInWord(t *testing.T) {
	const user, password = "apikey", "Sx7-kQ2p-Lm9v-Tz4w"
	s := newScrubber(user, password, "", "smtp.example.com", 587)
	blob := base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + password))
	run := blob[12:16] // carries bits of the password
	for _, tc := range []struct {
		text   string
		masked bool
	}{
		{"250-AUTH PLAIN Q" + run + "Q", false},
		{"535 5.7.8 echo " + run + " refused", true},
		{"535 5.7.8 echo x" + blob[8:20] + "x refused", true},
	} {
		out := s.Replace(tc.text)
		if got := out != tc.text; got != tc.masked {
			t.Errorf("Replace(%q) = %q, masked %v, want %v", tc.text, out, got, tc.masked)
		}
	}
}
