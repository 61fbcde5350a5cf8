package sender

import (
	"errors"
	"mime"
	"strings"
	"testing"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in                  string
		name, local         string
		ascii, unicode, str string
		smtputf8            bool
	}{
		{in: "user@example.com", local: "user", ascii: "user@example.com", unicode: "user@example.com", str: "user@example.com"},
		{in: "  User@Example.COM.  ", local: "User", ascii: "User@example.com", unicode: "User@example.com", str: "User@example.com"},
		{in: "John Doe <john@example.com>", name: "John Doe", local: "john", ascii: "john@example.com", unicode: "john@example.com", str: "John Doe <john@example.com>"},
		{in: `"Doe, John" <john@example.com>`, name: "Doe, John", local: "john", ascii: "john@example.com", unicode: "john@example.com", str: `"Doe, John" <john@example.com>`},
		{in: `"say \"hi\"" <a@example.com>`, name: `say "hi"`, local: "a", ascii: "a@example.com", unicode: "a@example.com", str: `"say \"hi\"" <a@example.com>`},
		{in: "=?utf-8?q?J=C3=B6rg?= <j@example.com>", name: "Jörg", local: "j", ascii: "j@example.com", unicode: "j@example.com", str: "=?utf-8?b?SsO2cmc=?= <j@example.com>"},
		{in: "=?ISO-8859-1?Q?J=F6rg?= =?us-ascii?q?_M?= <j@example.com>", name: "Jörg M", local: "j", ascii: "j@example.com", unicode: "j@example.com", str: "=?utf-8?b?SsO2cmcgTQ==?= <j@example.com>"},
		{in: "=?utf-8?b?0JjQstCw0L0=?= <ivan@example.com>", name: "Иван", local: "ivan", ascii: "ivan@example.com", unicode: "ivan@example.com", str: "=?utf-8?b?0JjQstCw0L0=?= <ivan@example.com>"},
		{in: "=?windows-1252?q?=93Caf=E9=94?= <cafe@example.com>", name: "\u201cCafé\u201d", local: "cafe", ascii: "cafe@example.com", unicode: "cafe@example.com", str: "=?utf-8?b?4oCcQ2Fmw6nigJ0=?= <cafe@example.com>"},
		{in: "=?KOI8-R?B?6dfBzg==?= <ivan@example.com>", name: "Иван", local: "ivan", ascii: "ivan@example.com", unicode: "ivan@example.com", str: "=?utf-8?b?0JjQstCw0L0=?= <ivan@example.com>"},
		{in: "J. R. Smith <jr@example.com>", name: "J. R. Smith", local: "jr", ascii: "jr@example.com", unicode: "jr@example.com", str: `"J. R. Smith" <jr@example.com>`},
		{in: "<bare@example.com>", local: "bare", ascii: "bare@example.com", unicode: "bare@example.com", str: "bare@example.com"},
		{in: `"john doe"@example.com`, local: "john doe", ascii: `"john doe"@example.com`, unicode: `"john doe"@example.com`, str: `"john doe"@example.com`},
		{in: `"john.doe"@example.com`, local: "john.doe", ascii: "john.doe@example.com", unicode: "john.doe@example.com", str: "john.doe@example.com"},
		{in: "jörg@bücher.de", local: "jörg", ascii: "jörg@xn--bcher-kva.de", unicode: "jörg@bücher.de", str: "jörg@bücher.de", smtputf8: true},
		{in: "info@BÜCHER.de", local: "info", ascii: "info@xn--bcher-kva.de", unicode: "info@bücher.de", str: "info@xn--bcher-kva.de"},
		{in: "info@xn--bcher-kva.de", local: "info", ascii: "info@xn--bcher-kva.de", unicode: "info@bücher.de", str: "info@xn--bcher-kva.de"},
		{in: "info@faß.de", local: "info", ascii: "info@xn--fa-hia.de", unicode: "info@faß.de", str: "info@xn--fa-hia.de"},
		{in: "(comment) a (more) @ example.com (end)", local: "a", ascii: "a@example.com", unicode: "a@example.com", str: "a@example.com"},
		{in: "Name\r\n <folded@example.com>", name: "Name", local: "folded", ascii: "folded@example.com", unicode: "folded@example.com", str: "Name <folded@example.com>"},
		{in: "PostMaster@example.com", local: "postmaster", ascii: "postmaster@example.com", unicode: "postmaster@example.com", str: "postmaster@example.com"},
		{in: "a+tag@example.com", local: "a+tag", ascii: "a+tag@example.com", unicode: "a+tag@example.com", str: "a+tag@example.com"},
		{in: "x@sub.example.co.uk", local: "x", ascii: "x@sub.example.co.uk", unicode: "x@sub.example.co.uk", str: "x@sub.example.co.uk"},
		// NFC: "e" + U+0301 becomes U+00E9.
		{in: "e\u0301@example.com", local: "\u00e9", ascii: "\u00e9@example.com", unicode: "\u00e9@example.com", str: "\u00e9@example.com", smtputf8: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a, err := ParseAddress(tt.in)
			if err != nil {
				t.Fatalf("ParseAddress(%q) error: %v", tt.in, err)
			}
			if a.Name != tt.name || a.Local != tt.local {
				t.Errorf("name, local = %q, %q; want %q, %q", a.Name, a.Local, tt.name, tt.local)
			}
			if got := a.ASCII(); got != tt.ascii {
				t.Errorf("ASCII() = %q, want %q", got, tt.ascii)
			}
			if got := a.Unicode(); got != tt.unicode {
				t.Errorf("Unicode() = %q, want %q", got, tt.unicode)
			}
			if got := a.String(); got != tt.str {
				t.Errorf("String() = %q, want %q", got, tt.str)
			}
			if got := a.NeedsSMTPUTF8(); got != tt.smtputf8 {
				t.Errorf("NeedsSMTPUTF8() = %v, want %v", got, tt.smtputf8)
			}
			b, err := ParseAddress(a.String())
			if err != nil || *b != *a {
				t.Errorf("round trip through %q: %+v, %v", a.String(), b, err)
			}
		})
	}
}

func TestParseAddressErrors(t *testing.T) {
	tests := []struct {
		in     string
		kind   ErrorKind
		offset int
	}{
		{"", KindEmpty, 0},
		{"   ", KindEmpty, 0},
		{"user.example.com", KindMissingAt, 16},
		{"@example.com", KindEmptyLocal, 0},
		{"user@", KindEmptyDomain, 5},
		{"us er@example.com", KindLocalInvalidChar, 2},
		{".user@example.com", KindLocalDot, 0},
		{"us..er@example.com", KindLocalDot, 3},
		{"user.@example.com", KindLocalDot, 4},
		{"user@exa mple.com", KindDomainNoDot, 5},
		{"user@example.com x", KindTextAfterAddress, 17},
		{"user@exam!ple.com", KindDomainInvalidChar, 9},
		{"user@.example.com", KindDomainDot, 5},
		{"user@example..com", KindDomainDot, 13},
		{"user@-example.com", KindDomainHyphen, 5},
		{"user@example-.com", KindDomainHyphen, 12},
		{"user@localhost", KindDomainNoDot, 5},
		{"user@host.localhost", KindSpecialUseDomain, 5},
		{"user@example.test", KindSpecialUseDomain, 5},
		{"user@example.123", KindDomainInvalidTLD, 5},
		{"user@ab--cd.com", KindDomainReservedLDH, 5},
		{"user@xn--0.com", KindDomainIDNA, 5},
		{"user@[192.0.2.1]", KindDomainLiteralNotAllowed, 5},
		{"user@" + strings.Repeat("a", 64) + ".com", KindLabelTooLong, 5},
		{"user@" + strings.Repeat("abcdefghi.", 26) + "com", KindDomainTooLong, 5},
		{strings.Repeat("a", 200) + "@" + strings.Repeat("b", 60) + ".com", KindAddressTooLong, 0},
		{"us\x00er@example.com", KindUnsafeChar, 2},
		{"user\r\n@example.com", KindUnsafeChar, 4},
		{"user@exa\u202emple.com", KindUnsafeChar, 8},
		{"us\u200ber@example.com", KindUnsafeChar, 2},
		{"user\u00a0@example.com", KindUnsafeChar, 4},
		{"user\uff20example.com", KindFullWidthAt, 4},
		{"user\ufe6bexample.com", KindFullWidthAt, 4},
		{"us\xffer@example.com", KindInvalidUTF8, 2},
		{`"unclosed@example.com`, KindUnclosedQuote, 0},
		{`"a"b@example.com`, KindTextAfterQuotedLocal, 3},
		{`"a\` + "\x01" + `"@example.com`, KindUnsafeChar, 3},
		{"Name <user@example.com", KindUnclosedAngle, 0},
		{"Name <user@example.com> x", KindTextAfterAddress, 24},
		{"a@example.com, b@example.com", KindTextAfterAddress, 13},
		{"Na@me <user@example.com>", KindDisplayNameInvalid, 2},
		{"=?x-unknown?q?abc?= <user@example.com>", KindEncodedWord, 0},
		{"=?utf-8?q?a=E2=80=AEb?= <user@example.com>", KindUnsafeChar, 24},
		{"\u226eme@example.com", KindLocalNormalization, 0},
		{"me\u037e@example.com", KindLocalNormalization, 0},
		{"user@\u2488x.com", KindDomainInvalidChar, 5},
		{"\u0300a@example.com", KindUnsafeChar, 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			a, err := ParseAddress(tt.in)
			if err == nil {
				t.Fatalf("ParseAddress(%q) = %q, want error %s", tt.in, a.String(), tt.kind)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is %T, not *ParseError", err, err)
			}
			if pe.Kind != tt.kind || pe.Offset != tt.offset {
				t.Errorf("error %v: kind %s at %d, want %s at %d", err, pe.Kind, pe.Offset, tt.kind, tt.offset)
			}
			if !strings.HasPrefix(err.Error(), "sender: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestParserOptions(t *testing.T) {
	tests := []struct {
		p    Parser
		in   string
		want ErrorKind // "" for success
	}{
		{Parser{Strict: true}, strings.Repeat("a", 64) + "@example.com", ""},
		{Parser{Strict: true}, strings.Repeat("a", 65) + "@example.com", KindLocalTooLong},
		{Parser{}, strings.Repeat("a", 65) + "@example.com", ""},
		{Parser{AddrSpecOnly: true}, "Name <a@example.com>", KindDisplayNameNotAllowed},
		{Parser{NoQuotedLocal: true}, `"a b"@example.com`, KindQuotedLocalNotAllowed},
		{Parser{AllowDomainLiteral: true}, "a@[192.0.2.1]", ""},
		{Parser{AllowDomainLiteral: true}, "a@[IPv6:2001:db8::1]", ""},
		{Parser{AllowDomainLiteral: true}, "a@[192.0.2.300]", KindInvalidDomainLiteral},
		{Parser{AllowDomainLiteral: true}, "a@[tag:x]", KindInvalidDomainLiteral},
		{Parser{AllowEmptyLocal: true}, `""@example.com`, ""},
		{Parser{}, `""@example.com`, KindEmptyLocal},
		{Parser{ASCIIOnly: true}, "jörg@example.com", KindSMTPUTF8NotAllowed},
		{Parser{ASCIIOnly: true}, "info@bücher.de", ""},
		{Parser{AllowTestDomains: true}, "a@example.test", ""},
		{Parser{AllowTestDomains: true}, "a@test", ""},
		{Parser{AllowTestDomains: true}, "a@example.invalid", KindSpecialUseDomain},
		{Parser{Exact: true}, " a@example.com", KindLocalInvalidChar},
		{Parser{Exact: true}, "a@example.com.", KindDomainDot},
		{Parser{Exact: true}, "(c)a@example.com", KindLocalInvalidChar},
		{Parser{WordDecoder: &mime.WordDecoder{}}, "=?utf-8?q?x?= <a@example.com>", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := tt.p.Parse(tt.in)
			var pe *ParseError
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Parse(%q) error %v, want success", tt.in, err)
			case tt.want != "" && !errors.As(err, &pe):
				t.Errorf("Parse(%q) error %v, want %s", tt.in, err, tt.want)
			case tt.want != "" && pe.Kind != tt.want:
				t.Errorf("Parse(%q) kind %s, want %s", tt.in, pe.Kind, tt.want)
			}
		})
	}
}

func TestParseAddressList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a@example.com", []string{"a@example.com"}},
		{"a@example.com, B <b@example.org>", []string{"a@example.com", "B <b@example.org>"}},
		{`"Doe, J" <j@example.com>,, k@example.com,`, []string{`"Doe, J" <j@example.com>`, "k@example.com"}},
		{"Team: x@example.com, Y <y@example.com>;, z@example.com", []string{"x@example.com", "Y <y@example.com>", "z@example.com"}},
		{"undisclosed-recipients:;, z@example.com", []string{"z@example.com"}},
	}
	for _, tt := range tests {
		got, err := ParseAddressList(tt.in)
		if err != nil {
			t.Errorf("ParseAddressList(%q) error %v", tt.in, err)
			continue
		}
		var strs []string
		for _, a := range got {
			strs = append(strs, a.String())
		}
		if strings.Join(strs, "|") != strings.Join(tt.want, "|") {
			t.Errorf("ParseAddressList(%q) = %q, want %q", tt.in, strs, tt.want)
		}
	}
	for _, bad := range []string{"", " , ", "a@example.com b@example.com", "Team: a@example.com", "a@example.com, @x"} {
		if _, err := ParseAddressList(bad); err == nil {
			t.Errorf("ParseAddressList(%q) succeeded, want error", bad)
		}
	}
	if _, err := ParseAddressList(strings.Repeat("a@example.com,", MaxListLength+1)); err == nil {
		t.Errorf("list over MaxListLength accepted")
	}
	group := "g: " + strings.TrimSuffix(strings.Repeat("a@example.com,", 600), ",") + ";"
	if _, err := ParseAddressList(group + "," + group); err == nil {
		t.Errorf("groups over MaxListLength accepted")
	}
	if l, err := ParseAddressList(strings.Repeat("a@example.com,", MaxListLength)); err != nil || len(l) != MaxListLength {
		t.Errorf("list of MaxListLength: %d, %v", len(l), err)
	}
}

func TestParseDomain(t *testing.T) {
	tests := []struct {
		in, ascii, unicode string
	}{
		{"example.com", "example.com", "example.com"},
		{" Example.COM. ", "example.com", "example.com"},
		{"bücher.de", "xn--bcher-kva.de", "bücher.de"},
		{"XN--BCHER-KVA.de", "xn--bcher-kva.de", "bücher.de"},
		{"ＥＸＡＭＰＬＥ．com", "example.com", "example.com"},
		{"faß.de", "xn--fa-hia.de", "faß.de"},
		{"_dmarc.example.com", "_dmarc.example.com", "_dmarc.example.com"},
		{"s1._domainkey.bücher.de", "s1._domainkey.xn--bcher-kva.de", "s1._domainkey.bücher.de"},
		{"localhost", "localhost", "localhost"},
		{"例え.テスト", "xn--r8jz45g.xn--zckzah", "例え.テスト"},
	}
	for _, tt := range tests {
		d, err := ParseDomain(tt.in)
		if err != nil {
			t.Errorf("ParseDomain(%q) error %v", tt.in, err)
			continue
		}
		if d.ASCII() != tt.ascii || d.Unicode() != tt.unicode {
			t.Errorf("ParseDomain(%q) = %q, %q; want %q, %q", tt.in, d.ASCII(), d.Unicode(), tt.ascii, tt.unicode)
		}
		if d.IsIDN() != (tt.ascii != tt.unicode) {
			t.Errorf("ParseDomain(%q).IsIDN() = %v", tt.in, d.IsIDN())
		}
	}
	bad := map[string]ErrorKind{
		"":                         KindEmpty,
		"a..b":                     KindDomainDot,
		".a":                       KindDomainDot,
		"a-.com":                   KindDomainHyphen,
		"ex ample.com":             KindDomainInvalidChar,
		"xn--0.com":                KindDomainIDNA,
		strings.Repeat("a", 64):    KindLabelTooLong,
		strings.Repeat("abc.", 64): KindDomainTooLong,
		"exa\u200bmple.com":        KindUnsafeChar,
		"\u0627\u0644a\u0628.com":  KindDomainIDNA,
	}
	for in, kind := range bad {
		_, err := ParseDomain(in)
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Kind != kind {
			t.Errorf("ParseDomain(%q) error %v, want kind %s", in, err, kind)
		}
	}
}

func TestDomainRelations(t *testing.T) {
	mk := func(s string) Domain {
		d, err := ParseDomain(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if !mk("a.b.example.com").IsSubdomainOf(mk("Example.com")) {
		t.Error("a.b.example.com not a subdomain of example.com")
	}
	for _, pair := range [][2]string{{"example.com", "example.com"}, {"badexample.com", "example.com"}, {"example.com", "a.example.com"}} {
		if mk(pair[0]).IsSubdomainOf(mk(pair[1])) {
			t.Errorf("%s reported a subdomain of %s", pair[0], pair[1])
		}
	}
	if mk("BÜCHER.de") != mk("xn--bcher-kva.de") {
		t.Error("the two forms of one IDN differ")
	}
	if (Domain{}).IsZero() != true || mk("a.b").IsZero() {
		t.Error("IsZero wrong")
	}
}
