package dkim

import (
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/sendcheck/sendcheck/dnsauth/internal/syntax"
)

// KeyType is the k= tag of a DKIM key record: the signing algorithm
// family the key belongs to.
type KeyType string

// DKIM key types.
const (
	KeyTypeRSA     KeyType = "rsa"     // RFC 6376, the default when k= is absent
	KeyTypeEd25519 KeyType = "ed25519" // RFC 8463
)

// Key is a parsed DKIM public key record, the TXT record published at
// <selector>._domainkey.<domain> (RFC 6376 section 3.6.1, RFC 8463).
type Key struct {
	// Version is the v= tag ("DKIM1"), empty when absent.
	Version string `json:"version,omitempty"`
	// KeyType is the k= tag, lower case; [KeyTypeRSA] when absent.
	KeyType KeyType `json:"key_type"`
	// Hashes lists the h= tag's hash algorithms, lower case; empty means
	// every algorithm is allowed.
	Hashes []string `json:"hashes,omitempty"`
	// Services lists the s= tag's service types, lower case; empty means
	// "*" (every service).
	Services []string `json:"services,omitempty"`
	// Flags lists the t= tag's flags, lower case ("y" testing, "s" strict).
	Flags []string `json:"flags,omitempty"`
	// Notes is the n= tag.
	Notes string `json:"notes,omitempty"`
	// PublicKey is the decoded p= tag: a DER SubjectPublicKeyInfo (or
	// PKCS #1 RSAPublicKey) for RSA, the raw 32 bytes for Ed25519. It is
	// empty when the key is revoked.
	PublicKey []byte `json:"-"`
	// Bits is the key size: the RSA modulus length, 256 for Ed25519, 0
	// when revoked.
	Bits int `json:"bits,omitempty"`
	// Revoked is true when p= is empty (RFC 6376 section 3.6.1).
	Revoked bool `json:"revoked,omitempty"`
	// Unknown lists tag names the parser ignored, as RFC 6376 requires.
	Unknown []string `json:"unknown_tags,omitempty"`
}

// Testing reports whether the t= flags include "y": the domain is testing
// DKIM and verifiers must not treat signed mail differently from unsigned.
func (k *Key) Testing() bool { return listHas(k.Flags, "y") }

// Strict reports whether the t= flags include "s": the i= domain of a
// signature must equal d=, not be a subdomain of it.
func (k *Key) Strict() bool { return listHas(k.Flags, "s") }

// AllowsEmail reports whether the s= tag allows the key for email ("*" or
// "email", or no s= tag at all).
func (k *Key) AllowsEmail() bool {
	return len(k.Services) == 0 || listHas(k.Services, "*") || listHas(k.Services, "email")
}

// SHA1Only reports whether the h= tag allows sha1 and no stronger hash
// that verifiers accept (RFC 8301 forbids sha1 signatures).
func (k *Key) SHA1Only() bool {
	return len(k.Hashes) > 0 && listHas(k.Hashes, "sha1") && !listHas(k.Hashes, "sha256")
}

// AllowsSHA256 reports whether the h= tag allows sha256 (or is absent).
func (k *Key) AllowsSHA256() bool { return len(k.Hashes) == 0 || listHas(k.Hashes, "sha256") }

func listHas(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// SyntaxError reports a DKIM key record that verifiers cannot use.
type SyntaxError struct {
	Record string // the record as published
	Tag    string // the tag at fault, "" for the record's structure
	Detail string // what is wrong
}

// Error implements error.
func (e *SyntaxError) Error() string {
	if e.Tag == "" {
		return "dnsauth: DKIM key record: " + e.Detail
	}
	return fmt.Sprintf("dnsauth: DKIM key record tag %s: %s", e.Tag, e.Detail)
}

// maxDKIMRSABits bounds the RSA keys the parser accepts; larger keys are
// reported as syntax errors (verifiers cap them too, typically at 4096 or
// 8192 bits).
const maxDKIMRSABits = 16384

// ParseKey parses a DKIM key record (RFC 6376 section 3.6.1) with the
// Ed25519 key type of RFC 8463. Unknown tags are ignored and listed in
// [Key.Unknown]; an empty p= gives a revoked key, not an error. For RSA
// the key size comes from the decoded key (SubjectPublicKeyInfo, or a bare
// PKCS #1 key as some publishers use); an Ed25519 key must be 32 bytes.
//
// The error will be of type [*SyntaxError] when the record does not
// follow the tag-list grammar, repeats a tag, has a v= other than DKIM1 or
// not first, lacks p=, names a key type this package does not know, or
// holds a key that does not decode.
func ParseKey(record string) (*Key, error) {
	synErr := func(tag, format string, args ...any) error {
		return &SyntaxError{Record: record, Tag: tag, Detail: fmt.Sprintf(format, args...)}
	}
	tags, err := syntax.SplitTagList(record, " \t\r\n")
	if err != nil {
		return nil, synErr("", "%s", err.Error())
	}
	k := &Key{KeyType: KeyTypeRSA}
	seen := map[string]bool{}
	var p string
	haveP := false
	for i, t := range tags {
		if t.Name == "" {
			continue // an empty tag-spec between separators; verifiers skip it
		}
		if seen[t.Name] {
			return nil, synErr(t.Name, "tag appears more than once")
		}
		seen[t.Name] = true
		switch t.Name {
		case "v":
			if i != 0 {
				return nil, synErr("v", "v= must be the first tag")
			}
			if t.Value != "DKIM1" {
				return nil, synErr("v", "version %q is not DKIM1", t.Value)
			}
			k.Version = t.Value
		case "h":
			k.Hashes = syntax.SplitTagValues(t.Value, ':')
			if len(k.Hashes) == 0 {
				return nil, synErr("h", "empty hash list")
			}
		case "k":
			k.KeyType = KeyType(strings.ToLower(t.Value))
		case "n":
			k.Notes = t.Value
		case "p":
			p, haveP = t.Value, true
		case "s":
			k.Services = syntax.SplitTagValues(t.Value, ':')
			if len(k.Services) == 0 {
				return nil, synErr("s", "empty service type list")
			}
		case "t":
			k.Flags = syntax.SplitTagValues(t.Value, ':')
		default:
			k.Unknown = append(k.Unknown, t.Name)
		}
	}
	if !haveP {
		return nil, synErr("p", "the required p= tag is missing")
	}
	if k.KeyType != KeyTypeRSA && k.KeyType != KeyTypeEd25519 {
		return nil, synErr("k", "unknown key type %q", k.KeyType)
	}
	if len(k.Hashes) > 0 && !listHas(k.Hashes, "sha1") && !listHas(k.Hashes, "sha256") {
		return nil, synErr("h", "no known hash algorithm in %q", strings.Join(k.Hashes, ":"))
	}
	b64 := syntax.RemoveFWS(p)
	if b64 == "" {
		k.Revoked = true
		return k, nil
	}
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, synErr("p", "public key is not valid base64: %v", err)
	}
	k.PublicKey = der
	switch k.KeyType {
	case KeyTypeEd25519:
		if len(der) != ed25519.PublicKeySize {
			return nil, synErr("p", "Ed25519 key is %d bytes, want %d", len(der), ed25519.PublicKeySize)
		}
		k.Bits = 8 * ed25519.PublicKeySize
	case KeyTypeRSA:
		bits, err := rsaBits(der)
		if err != nil {
			return nil, synErr("p", "%v", err)
		}
		k.Bits = bits
	}
	return k, nil
}

// rsaBits decodes an RSA public key in SubjectPublicKeyInfo or PKCS #1
// form and returns its modulus size.
func rsaBits(der []byte) (int, error) {
	if pub, err := x509.ParsePKIXPublicKey(der); err == nil {
		rk, ok := pub.(*rsa.PublicKey)
		if !ok {
			return 0, fmt.Errorf("k=rsa but the key is a %T", pub)
		}
		return checkRSABits(rk)
	}
	if rk, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return checkRSABits(rk)
	}
	return 0, fmt.Errorf("public key is neither a SubjectPublicKeyInfo nor a PKCS #1 RSA key")
}

func checkRSABits(k *rsa.PublicKey) (int, error) {
	bits := k.N.BitLen()
	if bits > maxDKIMRSABits {
		return 0, fmt.Errorf("RSA key of %d bits is larger than verifiers accept", bits)
	}
	return bits, nil
}

// String returns the key record in canonical form: v=DKIM1 first, then the
// tags that were set, lower case, and p= in unfolded base64. Unknown tags
// are dropped. Parsing the result gives the same key.
func (k *Key) String() string {
	parts := []string{"v=DKIM1"}
	if k.KeyType != "" && k.KeyType != KeyTypeRSA {
		parts = append(parts, "k="+string(k.KeyType))
	}
	if len(k.Hashes) > 0 {
		parts = append(parts, "h="+strings.Join(k.Hashes, ":"))
	}
	if len(k.Services) > 0 {
		parts = append(parts, "s="+strings.Join(k.Services, ":"))
	}
	if len(k.Flags) > 0 {
		parts = append(parts, "t="+strings.Join(k.Flags, ":"))
	}
	if k.Notes != "" {
		parts = append(parts, "n="+k.Notes)
	}
	parts = append(parts, "p="+base64.StdEncoding.EncodeToString(k.PublicKey))
	return strings.Join(parts, "; ")
}
