package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"time"
)

// TLSMode says how the server offers TLS.
type TLSMode string

// TLS modes.
const (
	// TLSNone: plain text only; AUTH is offered without TLS.
	TLSNone TLSMode = "none"
	// TLSStartTLS: plain text greeting, STARTTLS offered, AUTH only after it
	// (like port 587).
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit: TLS from the first byte (like port 465).
	TLSImplicit TLSMode = "implicit"
)

// certificate is a self-signed server certificate made in memory.
type certificate struct {
	tls  tls.Certificate
	leaf *x509.Certificate
	pem  []byte
}

// newCertificate makes a self-signed ECDSA P-256 certificate valid for
// host, "localhost", 127.0.0.1 and ::1, from an hour before now to a day
// after it.
func newCertificate(host string, now time.Time) (*certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("smtptest: generating key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, fmt.Errorf("smtptest: generating serial: %w", err)
	}
	names := []string{"localhost"}
	if host != "" && host != "localhost" && net.ParseIP(host) == nil {
		names = append(names, host)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: names[len(names)-1], Organization: []string{"sendcheck test provider"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              names,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("smtptest: creating certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("smtptest: parsing certificate: %w", err)
	}
	return &certificate{
		tls:  tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf},
		leaf: leaf,
		pem:  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
	}, nil
}
