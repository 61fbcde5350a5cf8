package dkim

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"
)

// testRSAKey returns the base64 SubjectPublicKeyInfo (or, with pkcs1, the
// PKCS #1 form) of an RSA public key whose modulus has the given bit length.
// Only the public half is needed, so the modulus is any odd number of that
// length.
func testRSAKey(tb testing.TB, bits int, pkcs1 bool) string {
	tb.Helper()
	n := new(big.Int).Lsh(big.NewInt(1), uint(bits-1))
	n.Add(n, big.NewInt(0x1f3))
	pub := &rsa.PublicKey{N: n, E: 65537}
	if pkcs1 {
		return base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(pub))
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		tb.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(der)
}

const testEd25519Key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=" // RFC 8463 appendix A.2

func TestParseDKIMKey(t *testing.T) {
	k2048 := testRSAKey(t, 2048, false)
	k1024 := testRSAKey(t, 1024, false)
	tests := []struct {
		name   string
		record string
		check  func(t *testing.T, k *Key)
	}{
		{"rsa 2048", "v=DKIM1; k=rsa; p=" + k2048, func(t *testing.T, k *Key) {
			if k.Bits != 2048 || k.KeyType != KeyTypeRSA || k.Version != "DKIM1" || k.Revoked {
				t.Errorf("%+v", k)
			}
			if k.String() != "v=DKIM1; p="+k2048 {
				t.Errorf("String() = %q", k.String())
			}
		}},
		{"default key type, pkcs1", "p=" + testRSAKey(t, 1024, true), func(t *testing.T, k *Key) {
			if k.Bits != 1024 || k.KeyType != KeyTypeRSA {
				t.Errorf("%+v", k)
			}
		}},
		{"folded base64", "v=DKIM1; p=" + k1024[:40] + " \t " + k1024[40:], func(t *testing.T, k *Key) {
			if k.Bits != 1024 {
				t.Errorf("bits = %d", k.Bits)
			}
		}},
		{"ed25519", "v=DKIM1; k=ed25519; p=" + testEd25519Key, func(t *testing.T, k *Key) {
			if k.Bits != 256 || k.KeyType != KeyTypeEd25519 || len(k.PublicKey) != 32 {
				t.Errorf("%+v", k)
			}
		}},
		{"revoked", "v=DKIM1; p=", func(t *testing.T, k *Key) {
			if !k.Revoked || k.Bits != 0 {
				t.Errorf("%+v", k)
			}
		}},
		{"testing strict", "v=DKIM1; t=y:s; p=" + k2048, func(t *testing.T, k *Key) {
			if !k.Testing() || !k.Strict() {
				t.Errorf("flags %q", k.Flags)
			}
		}},
		{"sha1 only", "v=DKIM1; h=sha1; p=" + k2048, func(t *testing.T, k *Key) {
			if !k.SHA1Only() || k.AllowsSHA256() {
				t.Errorf("hashes %q", k.Hashes)
			}
		}},
		{"sha1 and sha256", "h=sha1:SHA256; p=" + k2048, func(t *testing.T, k *Key) {
			if k.SHA1Only() || !k.AllowsSHA256() {
				t.Errorf("hashes %q", k.Hashes)
			}
		}},
		{"service not email", "s=tlsrpt; p=" + k2048, func(t *testing.T, k *Key) {
			if k.AllowsEmail() {
				t.Errorf("services %q", k.Services)
			}
		}},
		{"service star", "s=*; p=" + k2048, func(t *testing.T, k *Key) {
			if !k.AllowsEmail() {
				t.Errorf("services %q", k.Services)
			}
		}},
		{"unknown tags ignored", "v=DKIM1; g=*; foo=bar; n=hello; p=" + k2048 + ";", func(t *testing.T, k *Key) {
			if strings.Join(k.Unknown, ",") != "g,foo" || k.Notes != "hello" {
				t.Errorf("unknown %q notes %q", k.Unknown, k.Notes)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, err := ParseKey(tc.record)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, k)
		})
	}
}

func TestParseDKIMKeyErrors(t *testing.T) {
	k := testRSAKey(t, 2048, false)
	tests := []struct{ name, record, tag string }{
		{"no p", "v=DKIM1; k=rsa", "p"},
		{"v not first", "k=rsa; v=DKIM1; p=" + k, "v"},
		{"bad version", "v=DKIM2; p=" + k, "v"},
		{"duplicate", "p=" + k + "; p=" + k, "p"},
		{"unknown key type", "k=dsa; p=" + k, "k"},
		{"bad base64", "p=@@@", "p"},
		{"not a key", "p=" + base64.StdEncoding.EncodeToString([]byte("hello world")), "p"},
		{"short ed25519", "k=ed25519; p=" + base64.StdEncoding.EncodeToString(make([]byte, 31)), "p"},
		{"rsa key as ed25519", "k=ed25519; p=" + k, "p"},
		{"no hash known", "h=md5; p=" + k, "h"},
		{"not tag list", "hello world", ""},
		{"bad tag name", "v=DKIM1; 9=x; p=" + k, ""},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseKey(tc.record)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *DKIMSyntaxError", err)
			}
			if se.Tag != tc.tag {
				t.Errorf("tag = %q, want %q (%v)", se.Tag, tc.tag, err)
			}
			if !strings.HasPrefix(err.Error(), "dnsauth: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func FuzzParseDKIMKey(f *testing.F) {
	k := testRSAKey(f, 1024, false)
	for _, s := range []string{
		"v=DKIM1; k=rsa; p=" + k, "v=DKIM1; k=ed25519; p=" + testEd25519Key, "p=", "v=DKIM1; h=sha1; t=y:s; s=email; p=" + k,
		"p=" + testRSAKey(f, 512, true), "k=rsa; p=MIIB", "v=DKIM1;;p=", "n=a b c; p=" + k + ";",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key, err := ParseKey(s)
		if err != nil {
			var se *SyntaxError
			if key != nil || !errors.As(err, &se) {
				t.Fatalf("key %v with error %v", key, err)
			}
			return
		}
		if key.Revoked != (len(key.PublicKey) == 0) {
			t.Fatalf("revoked %v with %d key bytes", key.Revoked, len(key.PublicKey))
		}
		if !key.Revoked && key.Bits <= 0 {
			t.Fatalf("bits %d", key.Bits)
		}
		if key.KeyType != KeyTypeRSA && key.KeyType != KeyTypeEd25519 {
			t.Fatalf("key type %q", key.KeyType)
		}
		// The canonical form parses to the same key.
		canon := key.String()
		back, err := ParseKey(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q: %v", canon, s, err)
		}
		if back.String() != canon || back.Bits != key.Bits || back.Revoked != key.Revoked {
			t.Fatalf("canonical form %q reparses as %q (%d bits)", canon, back.String(), back.Bits)
		}
	})
}
