package sender

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/sender/provider"
)

func TestProfileFor(t *testing.T) {
	tests := []struct {
		host, user string
		want       provider.ID
	}{
		{"smtp.gmail.com", "john@gmail.com", provider.Gmail},
		{"smtp.gmail.com", "John@GoogleMail.com", provider.Gmail},
		{"smtp.gmail.com", "", provider.Gmail},
		{"smtp.gmail.com", "john@acme.example", provider.GoogleWorkspace},
		{"SMTP.GMAIL.COM.", "john@acme.example", provider.GoogleWorkspace},
		{"smtp-relay.gmail.com", "john@acme.example", provider.GoogleRelay},
		{"smtp.office365.com", "a@contoso.example", provider.Microsoft365},
		{"smtp-mail.outlook.com", "a@outlook.com", provider.Outlook},
		{"email-smtp.us-east-1.amazonaws.com", "AKIAEXAMPLE", provider.SES},
		{"email-smtp.ap-southeast-2.amazonaws.com", "", provider.SES},
		{"smtp.sendgrid.net", "apikey", provider.SendGrid},
		{"smtp.mailgun.org", "postmaster@mg.example.com", provider.Mailgun},
		{"smtp.eu.mailgun.org", "postmaster@mg.example.com", provider.Mailgun},
		{"smtp.postmarkapp.com", "token", provider.Postmark},
		{"smtp.sparkpostmail.com", "SMTP_Injection", provider.SparkPost},
		{"smtp.eu.sparkpostmail.com", "SMTP_Injection", provider.SparkPost},
		{"smtp.zoho.eu", "a@zoho.eu", provider.Zoho},
		{"smtppro.zoho.com", "a@acme.example", provider.Zoho},
		{"smtp.zeptomail.com", "emailapikey", provider.ZeptoMail},
		{"smtp-relay.brevo.com", "login@smtp-brevo.com", provider.Brevo},
		{"in-v3.mailjet.com", "key", provider.Mailjet},
		{"smtp.mail.yahoo.com", "a@yahoo.com", provider.Yahoo},
		{"smtp.mail.me.com", "a@icloud.com", provider.ICloud},
		{"smtp.fastmail.com", "a@fastmail.com", provider.Fastmail},
		{"mail.example.net", "a@example.net", provider.Generic},
		{"", "", provider.Generic},
	}
	for _, tt := range tests {
		p := ProfileFor(tt.host, tt.user)
		if p == nil || p.Provider != tt.want {
			t.Errorf("ProfileFor(%q, %q) = %v, want %s", tt.host, tt.user, p, tt.want)
			continue
		}
		if p.Name == "" || p.VerifyAt == "" {
			t.Errorf("ProfileFor(%q, %q): incomplete profile %+v", tt.host, tt.user, p)
		}
	}
}

func TestProfileMatch(t *testing.T) {
	addr := func(s string) *Address {
		a, err := ParseAddress(s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	id := func(s string) Identity {
		i, err := ParseIdentity(s)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	tests := []struct {
		host, user, from, id string
		ok                   bool
		relaxed              []Relaxation
	}{
		// Gmail consumer: dots and case ignored on gmail.com only.
		{"smtp.gmail.com", "j@gmail.com", "John.Doe@gmail.com", "johndoe@gmail.com", true, []Relaxation{RelaxCase, RelaxDots}},
		{"smtp.gmail.com", "j@gmail.com", "john.doe@googlemail.com", "johndoe@googlemail.com", true, []Relaxation{RelaxDots}},
		{"smtp.gmail.com", "j@gmail.com", "john.doe@acme.example", "johndoe@acme.example", false, nil},
		{"smtp.gmail.com", "j@gmail.com", "john+news@gmail.com", "john@gmail.com", false, nil},
		// Workspace: dots count.
		{"smtp.gmail.com", "j@acme.example", "john.doe@acme.example", "johndoe@acme.example", false, nil},
		// SES: case-sensitive addresses, +tag documented, subdomains covered.
		{"email-smtp.eu-west-1.amazonaws.com", "", "Sender@example.com", "sender@example.com", false, nil},
		{"email-smtp.eu-west-1.amazonaws.com", "", "sender+x@example.com", "sender@example.com", true, []Relaxation{RelaxPlusTag}},
		{"email-smtp.eu-west-1.amazonaws.com", "", "a@b.c.example.com", "EXAMPLE.com", true, []Relaxation{RelaxSubdomain}},
		{"email-smtp.eu-west-1.amazonaws.com", "", "a@example.com", "EXAMPLE.com", true, nil},
		{"email-smtp.eu-west-1.amazonaws.com", "", "a@badexample.com", "example.com", false, nil},
		// SendGrid: no documented subdomain inheritance, no +tag.
		{"smtp.sendgrid.net", "apikey", "a@mail.example.com", "example.com", false, nil},
		{"smtp.sendgrid.net", "apikey", "a+x@example.com", "a@example.com", false, nil},
		// SparkPost: addresses stand for their domain.
		{"smtp.sparkpostmail.com", "SMTP_Injection", "other@example.com", "a@example.com", true, nil},
		// Mailgun: the parent of the sending domain aligns.
		{"smtp.mailgun.org", "postmaster@mg.example.com", "a@example.com", "mg.example.com", true, []Relaxation{RelaxParentDomain}},
		// IDN domains compare as A-labels.
		{"smtp.sendgrid.net", "apikey", "a@BÜCHER.example", "xn--bcher-kva.example", true, nil},
	}
	for _, tt := range tests {
		p := ProfileFor(tt.host, tt.user)
		ok, relaxed := p.Match(addr(tt.from), id(tt.id))
		if ok != tt.ok || !slices.Equal(relaxed, tt.relaxed) {
			t.Errorf("%s: Match(%q, %q) = %v %v, want %v %v", p.Provider, tt.from, tt.id, ok, relaxed, tt.ok, tt.relaxed)
		}
	}
}

func TestCheck(t *testing.T) {
	const (
		gmail    = "smtp.gmail.com"
		ses      = "email-smtp.eu-west-1.amazonaws.com"
		sendgrid = "smtp.sendgrid.net"
	)
	tests := []struct {
		name       string
		cfg        Config
		from, env  string
		verdict    Verdict
		reason     Reason
		matched    string
		suggestion string // substring
		warning    WarningCode
		conf       provider.Confidence
	}{
		{name: "gmail account", cfg: Config{Host: gmail, Username: "john.doe@gmail.com"}, from: "John Doe <john.doe@gmail.com>",
			verdict: VerdictAllowed, reason: ReasonMatchedAccount, matched: "john.doe@gmail.com", conf: provider.Confidence3P},
		{name: "gmail dots", cfg: Config{Host: gmail, Username: "john.doe@gmail.com"}, from: "JohnDoe@gmail.com",
			verdict: VerdictAllowed, reason: ReasonMatchedAccount, matched: "john.doe@gmail.com"},
		{name: "gmail other rewritten", cfg: Config{Host: gmail, Username: "john.doe@gmail.com"}, from: "ceo@acme.example",
			verdict: VerdictRewritten, reason: ReasonNotAccountIdentity, suggestion: "Send as john.doe@gmail.com"},
		{name: "gmail send-as alias", cfg: Config{Host: gmail, Username: "john.doe@gmail.com", Verified: []string{"ceo@acme.example"}}, from: "ceo@acme.example",
			verdict: VerdictAllowed, reason: ReasonMatchedAddress, matched: "ceo@acme.example"},
		{name: "gmail plus tag unverified", cfg: Config{Host: gmail, Username: "john@gmail.com"}, from: "john+news@gmail.com",
			verdict: VerdictRewritten, reason: ReasonNotAccountIdentity},
		{name: "workspace dots count", cfg: Config{Host: gmail, Username: "john.doe@acme.example"}, from: "johndoe@acme.example",
			verdict: VerdictRewritten, reason: ReasonNotAccountIdentity, conf: provider.ConfidenceUnverified},
		{name: "workspace case unverified", cfg: Config{Host: gmail, Username: "john@acme.example"}, from: "John@acme.example",
			verdict: VerdictUnknown, reason: ReasonUnverifiedRule, matched: "john@acme.example", conf: provider.ConfidenceUnverified},
		{name: "gmail no username", cfg: Config{Host: gmail}, from: "a@acme.example",
			verdict: VerdictUnknown, reason: ReasonNoUsername},
		{name: "m365 account", cfg: Config{Host: "smtp.office365.com", Username: "ann@contoso.example"}, from: "ann@contoso.example",
			verdict: VerdictAllowed, reason: ReasonMatchedAccount},
		{name: "m365 send as denied", cfg: Config{Host: "smtp.office365.com", Username: "ann@contoso.example"}, from: "sales@contoso.example",
			verdict: VerdictRejected, reason: ReasonNotAccountIdentity, suggestion: "Send As"},
		{name: "m365 alias warning", cfg: Config{Host: "smtp.office365.com", Username: "ann@contoso.example", Verified: []string{"sales@contoso.example"}}, from: "sales@contoso.example",
			verdict: VerdictAllowed, reason: ReasonMatchedAddress, warning: WarnAliasRewrite},
		{name: "ses exact", cfg: Config{Host: ses, Verified: []string{"Sender@example.com"}}, from: "Sender@example.com",
			verdict: VerdictAllowed, reason: ReasonMatchedAddress, matched: "Sender@example.com", conf: provider.ConfidenceDoc},
		{name: "ses case", cfg: Config{Host: ses, Verified: []string{"Sender@example.com"}}, from: "sender@example.com",
			verdict: VerdictRejected, reason: ReasonCaseMismatch, suggestion: "Use Sender@example.com exactly"},
		// SES: "if you verify sender@example.com, you cannot send emails
		// from sender@EXAMPLE.com"; only domain identities ignore case.
		{name: "ses address domain case-sensitive", cfg: Config{Host: ses, Verified: []string{"sender@EXAMPLE.com"}}, from: "sender@example.COM",
			verdict: VerdictRejected, reason: ReasonCaseMismatch, suggestion: "Use sender@EXAMPLE.com exactly"},
		{name: "ses domain identity case-insensitive", cfg: Config{Host: ses, Verified: []string{"EXAMPLE.com"}}, from: "sender@example.COM",
			verdict: VerdictAllowed, reason: ReasonMatchedDomain},
		{name: "ses subdomain", cfg: Config{Host: ses, Verified: []string{"example.com"}}, from: "a@mail.example.com",
			verdict: VerdictAllowed, reason: ReasonMatchedDomain, matched: "example.com"},
		{name: "ses plus tag", cfg: Config{Host: ses, Verified: []string{"sender@example.com"}}, from: "sender+receipts@example.com",
			verdict: VerdictAllowed, reason: ReasonMatchedAddress},
		{name: "ses not verified", cfg: Config{Host: ses, Verified: []string{"example.com"}}, from: "a@other.example",
			verdict: VerdictRejected, reason: ReasonNotVerified, suggestion: "send from a@example.com"},
		{name: "ses no list", cfg: Config{Host: ses, Username: "AKIAEXAMPLE"}, from: "a@example.com",
			verdict: VerdictUnknown, reason: ReasonNoVerifiedList},
		{name: "ses envelope", cfg: Config{Host: ses, Verified: []string{"example.com"}}, from: "a@example.com", env: "bounce@other.example",
			verdict: VerdictRejected, reason: ReasonEnvelopeNotAllowed, warning: WarnEnvelopeMismatch},
		{name: "ses envelope subdomain", cfg: Config{Host: ses, Verified: []string{"example.com"}}, from: "a@example.com", env: "bounce@mail.example.com",
			verdict: VerdictAllowed, reason: ReasonMatchedDomain, warning: WarnEnvelopeDiffers},
		{name: "sendgrid subdomain", cfg: Config{Host: sendgrid, Username: "apikey", Verified: []string{"example.com"}}, from: "a@mail.example.com",
			verdict: VerdictUnknown, reason: ReasonSubdomainNotCovered, conf: provider.ConfidenceUnverified},
		{name: "sendgrid single sender", cfg: Config{Host: sendgrid, Username: "apikey", Verified: []string{"a@example.com"}}, from: "b@example.com",
			verdict: VerdictRejected, reason: ReasonNotVerified},
		{name: "sendgrid username", cfg: Config{Host: sendgrid, Username: "me@example.com", Verified: []string{"example.com"}}, from: "a@example.com",
			verdict: VerdictAllowed, reason: ReasonMatchedDomain, warning: WarnUsernameForm},
		{name: "sparkpost domain", cfg: Config{Host: "smtp.sparkpostmail.com", Username: "SMTP_Injection", Verified: []string{"example.com"}}, from: "x@other.example",
			verdict: VerdictRejected, reason: ReasonDomainNotVerified, suggestion: "Add and verify other.example"},
		{name: "postmark", cfg: Config{Host: "smtp.postmarkapp.com", Username: "tok", Verified: []string{"a@example.com"}}, from: "b@example.com",
			verdict: VerdictRejected, reason: ReasonNotVerified},
		{name: "mailgun sending domain", cfg: Config{Host: "smtp.mailgun.org", Username: "postmaster@mg.example.com"}, from: "a@mg.example.com",
			verdict: VerdictAllowed, reason: ReasonMatchedDomain},
		{name: "mailgun parent", cfg: Config{Host: "smtp.mailgun.org", Username: "postmaster@mg.example.com"}, from: "a@example.com",
			verdict: VerdictAllowed, reason: ReasonMatchedDomain, warning: WarnDMARCAlignment},
		{name: "mailgun outside", cfg: Config{Host: "smtp.mailgun.org", Username: "postmaster@mg.example.com"}, from: "a@other.example",
			verdict: VerdictUnknown, reason: ReasonOutsideSendingDomain, conf: provider.ConfidenceUnverified},
		{name: "relay user", cfg: Config{Host: "smtp-relay.gmail.com", Username: "app@corp.example"}, from: "app@corp.example",
			verdict: VerdictAllowed, reason: ReasonMatchedAccount},
		{name: "relay domain", cfg: Config{Host: "smtp-relay.gmail.com", Username: "app@corp.example"}, from: "noreply@corp.example",
			verdict: VerdictUnknown, reason: ReasonRelayPolicy},
		{name: "relay judges envelope", cfg: Config{Host: "smtp-relay.gmail.com", Username: "app@corp.example"}, from: "x@other.example", env: "app@corp.example",
			verdict: VerdictAllowed, reason: ReasonMatchedAccount, warning: WarnEnvelopeMismatch},
		{name: "relay outside", cfg: Config{Host: "smtp-relay.gmail.com", Username: "app@corp.example"}, from: "x@other.example",
			verdict: VerdictRejected, reason: ReasonNotVerified},
		{name: "fastmail wildcard", cfg: Config{Host: "smtp.fastmail.com", Username: "me@fastmail.com", Verified: []string{"*@mine.example"}}, from: "anything@mine.example",
			verdict: VerdictAllowed, reason: ReasonMatchedDomain},
		{name: "zoho other", cfg: Config{Host: "smtp.zoho.com", Username: "me@zoho.com"}, from: "you@zoho.com",
			verdict: VerdictRejected, reason: ReasonNotAccountIdentity, conf: provider.ConfidenceUnverified},
		{name: "generic account", cfg: Config{Host: "mail.example.net", Username: "me@example.net"}, from: "me@example.net",
			verdict: VerdictAllowed, reason: ReasonMatchedAccount, conf: provider.ConfidenceUnverified},
		{name: "generic other", cfg: Config{Host: "mail.example.net", Username: "me@example.net"}, from: "you@example.net",
			verdict: VerdictUnknown, reason: ReasonUnknownPolicy},
		{name: "look-alike address", cfg: Config{Host: sendgrid, Username: "apikey", Verified: []string{"billing@acme.example"}}, from: "bi11ing@acme.example",
			verdict: VerdictRejected, reason: ReasonLookAlike, warning: WarnLookAlike},
		{name: "look-alike domain", cfg: Config{Host: gmail, Username: "boss@paypal.com"}, from: "boss@pаypal.com",
			verdict: VerdictRewritten, reason: ReasonLookAlike, warning: WarnMixedScript},
		{name: "invalid from", cfg: Config{Host: gmail, Username: "a@gmail.com"}, from: "not an address",
			verdict: VerdictRejected, reason: ReasonInvalidFrom},
		{name: "invalid envelope", cfg: Config{Host: gmail, Username: "a@gmail.com"}, from: "a@gmail.com", env: "bad@",
			verdict: VerdictRejected, reason: ReasonInvalidEnvelope},
		{name: "invalid verified entry", cfg: Config{Host: ses, Verified: []string{"exa mple.com", "example.com"}}, from: "a@example.com",
			verdict: VerdictAllowed, reason: ReasonMatchedDomain, warning: WarnInvalidIdentity},
		{name: "smtputf8", cfg: Config{Host: ses, Verified: []string{"bücher.example"}}, from: "jörg@xn--bcher-kva.example",
			verdict: VerdictAllowed, reason: ReasonMatchedDomain, warning: WarnSMTPUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Check(tt.cfg, tt.from, tt.env)
			if r.Verdict != tt.verdict || r.Reason != tt.reason {
				t.Fatalf("Check = %s/%s, want %s/%s\n%s", r.Verdict, r.Reason, tt.verdict, tt.reason, r)
			}
			if tt.matched != "" && r.Matched != tt.matched {
				t.Errorf("matched %q, want %q", r.Matched, tt.matched)
			}
			if tt.suggestion != "" && !strings.Contains(r.Suggestion, tt.suggestion) {
				t.Errorf("suggestion %q lacks %q", r.Suggestion, tt.suggestion)
			}
			if r.Verdict != VerdictAllowed && r.Suggestion == "" {
				t.Errorf("no suggestion for verdict %s", r.Verdict)
			}
			if tt.warning != "" && !slices.ContainsFunc(r.Warnings, func(w Warning) bool { return w.Code == tt.warning }) {
				t.Errorf("warnings %v lack %s", r.Warnings, tt.warning)
			}
			if tt.conf != "" && r.Confidence != tt.conf {
				t.Errorf("confidence %s, want %s", r.Confidence, tt.conf)
			}
			if r.Confidence == provider.ConfidenceUnverified && len(r.Unverified) == 0 {
				t.Errorf("unverified confidence without naming the rule")
			}
			if r.Detail == "" {
				t.Error("no detail")
			}
		})
	}
}

func TestResultJSON(t *testing.T) {
	r := Check(Config{Host: "smtp.gmail.com", Username: "a@gmail.com"}, "B <b@example.com>", "")
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"verdict", "reason", "provider", "from", "matched", "suggestion", "confidence"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	if m["verdict"] != "rewritten" || m["provider"] != "gmail" || m["from"] != "b@example.com" {
		t.Errorf("unexpected JSON %s", b)
	}
}

func TestParseIdentity(t *testing.T) {
	tests := []struct {
		in, want string
		domain   bool
	}{
		{"a@Example.com", "a@example.com", false},
		{"Name <a@example.com>", "a@example.com", false},
		{"example.com", "example.com", true},
		{"@Example.com", "example.com", true},
		{"*@bücher.example", "bücher.example", true},
	}
	for _, tt := range tests {
		id, err := ParseIdentity(tt.in)
		if err != nil {
			t.Errorf("ParseIdentity(%q): %v", tt.in, err)
			continue
		}
		if id.String() != tt.want || id.IsDomain() != tt.domain {
			t.Errorf("ParseIdentity(%q) = %q (domain %v), want %q (%v)", tt.in, id.String(), id.IsDomain(), tt.want, tt.domain)
		}
	}
	for _, bad := range []string{"", "exa mple.com", "a@", "localhost", "@"} {
		if _, err := ParseIdentity(bad); err == nil {
			t.Errorf("ParseIdentity(%q) succeeded", bad)
		}
	}
}
