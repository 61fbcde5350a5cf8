package sender

import (
	"errors"
	"testing"
)

// fuzzSeeds returns inputs from the tables of the tests, good and bad.
func fuzzSeeds() []string {
	return []string{
		"user@example.com", "  User@Example.COM.  ", "John Doe <john@example.com>",
		`"Doe, John" <john@example.com>`, `"say \"hi\"" <a@example.com>`,
		"=?utf-8?q?J=C3=B6rg?= <j@example.com>", "=?ISO-8859-1?Q?J=F6rg?= =?us-ascii?q?_M?= <j@example.com>",
		"=?utf-8?b?0JjQstCw0L0=?= <ivan@example.com>", "J. R. Smith <jr@example.com>", "<bare@example.com>",
		`"john doe"@example.com`, `"john.doe"@example.com`, "jörg@bücher.de", "info@xn--bcher-kva.de",
		"info@faß.de", "(comment) a (more) @ example.com (end)", "Name\r\n <folded@example.com>",
		"e\u0301@example.com", "\u226eme@example.com", "me\u037e@example.com", "user@\u2488x.com",
		"user\uff20example.com", `"a"b@example.com`, "Name <user@example.com", "a@[192.0.2.1]",
		"a@[IPv6:2001:db8::1]", "=?utf-8?q?a=E2=80=AEb?= <user@example.com>", "us\xffer@example.com",
		"Team: x@example.com, Y <y@example.com>;, z@example.com", `""@example.com`, "θσερ@εχαμπλε.ψομ",
		"my@twofwdots．．.com", "=?utf-8?b?PT94?= <a@example.com>", "a@ex\u200bample.com",
	}
}

func FuzzParseAddress(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is %T", err, err)
			}
			if pe.Offset < 0 || pe.Offset > len(s) {
				t.Fatalf("offset %d outside input of %d bytes", pe.Offset, len(s))
			}
			return
		}
		// Round trip: parse, format, parse again gives the same address.
		b, err := ParseAddress(a.String())
		if err != nil {
			t.Fatalf("%q parsed as %+v, whose String %q does not parse: %v", s, a, a.String(), err)
		}
		if *b != *a {
			t.Fatalf("%q: %+v formats as %q, which parses as %+v", s, a, a.String(), b)
		}
		// Normalization is idempotent: both forms normalize to themselves.
		for _, form := range []string{a.ASCII(), a.Unicode()} {
			c, err := ParseAddress(form)
			if err != nil {
				t.Fatalf("%q: normalized form %q does not parse: %v", s, form, err)
			}
			if c.Local != a.Local || c.Domain != a.Domain {
				t.Fatalf("%q: normalized form %q parses as %q@%q", s, form, c.Local, c.Domain.ASCII())
			}
		}
	})
}

func FuzzParseAddressList(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		list, err := ParseAddressList(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Offset < 0 || pe.Offset > len(s) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		for _, a := range list {
			b, err := ParseAddress(a.String())
			if err != nil || *b != *a {
				t.Fatalf("%q: element %+v formats as %q, which parses as %+v, %v", s, a, a.String(), b, err)
			}
		}
	})
}

func FuzzParseDomain(f *testing.F) {
	for _, s := range []string{"example.com", " Example.COM. ", "bücher.de", "XN--BCHER-KVA.de", "ＥＸＡＭＰＬＥ．com",
		"faß.de", "_dmarc.example.com", "s1._domainkey.bücher.de", "a..b", "xn--0.com", "例え.テスト", "\u0627\u0644a\u0628.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDomain(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Offset < 0 || pe.Offset > len(s) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		for _, form := range []string{d.ASCII(), d.Unicode()} {
			e, err := ParseDomain(form)
			if err != nil {
				t.Fatalf("%q: normalized form %q does not parse: %v", s, form, err)
			}
			if e != d {
				t.Fatalf("%q: normalized form %q gives %q/%q, want %q/%q", s, form, e.ASCII(), e.Unicode(), d.ASCII(), d.Unicode())
			}
		}
	})
}

func FuzzParseIdentity(f *testing.F) {
	for _, s := range []string{"a@example.com", "example.com", "@Example.com", "*@bücher.example", "Name <a@example.com>", "", "@", "*@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseIdentity(s)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is %T", err, err)
			}
			return
		}
		again, err := ParseIdentity(id.String())
		if err != nil || again.Domain != id.Domain || again.IsDomain() != id.IsDomain() ||
			!id.IsDomain() && again.Address.Local != id.Address.Local {
			t.Fatalf("%q: identity %q parses back as %q, %v", s, id.String(), again.String(), err)
		}
	})
}

// FuzzCheck feeds arbitrary From and envelope values (and one verified
// entry) through Check on a few profiles: it must never panic and always
// give a known verdict with a reason.
func FuzzCheck(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s, "", "example.com")
	}
	f.Add("a@example.com", "bounce@other.example", "a@example.com")
	f.Add("bi11ing@acme.example", "", "billing@acme.example")
	hosts := []string{"smtp.gmail.com", "email-smtp.eu-west-1.amazonaws.com", "smtp.mailgun.org", "smtp-relay.gmail.com", "smtp.sparkpostmail.com", "mail.example.net"}
	f.Fuzz(func(t *testing.T, from, envelope, verified string) {
		for _, h := range hosts {
			r := Check(Config{Host: h, Username: "user@example.com", Verified: []string{verified}}, from, envelope)
			switch r.Verdict {
			case VerdictAllowed, VerdictRewritten, VerdictRejected, VerdictUndeliverable, VerdictUnknown:
			default:
				t.Fatalf("verdict %q", r.Verdict)
			}
			switch {
			case r.Certainty != CertaintyHigh && r.Certainty != CertaintyMedium && r.Certainty != CertaintyLow:
				t.Fatalf("certainty %q", r.Certainty)
			case r.Verdict == VerdictUnknown && r.Certainty != CertaintyLow:
				t.Fatalf("certainty %s for an unknown verdict", r.Certainty)
			}
			if r.Reason == "" || r.Detail == "" || r.Verdict != VerdictAllowed && r.Suggestion == "" {
				t.Fatalf("incomplete result %+v", r)
			}
		}
	})
}
