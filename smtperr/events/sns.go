package events

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// maxCertBytes bounds a fetched SNS certificate; maxCerts bounds the cache.
const (
	maxCertBytes = 64 << 10
	maxCerts     = 32
)

// SNSVerifier checks the signatures of Amazon SNS messages (SignatureVersion
// 1, RSA with SHA-1, and 2, RSA with SHA-256) and caches the signing
// certificates it fetches. The certificate is fetched only when its URL is an
// https URL on an SNS host, sns.<region>.amazonaws.com (or .amazonaws.com.cn)
// with a path ending in .pem; a URL anywhere else in the payload is never
// fetched.
//
// The zero value fetches with an HTTPS GET; a *SNSVerifier is safe for
// concurrent use.
type SNSVerifier struct {
	// Fetch returns the PEM certificate at url, which has passed the host
	// check. Nil means an HTTPS GET with http.DefaultClient's transport, a
	// 10-second timeout and a 64 KiB limit. Tests and proxies replace it.
	Fetch func(ctx context.Context, url string) ([]byte, error)

	mu    sync.Mutex
	certs map[string]*x509.Certificate
}

// CertURLAllowed reports whether u is a signing-certificate URL on an
// Amazon SNS host, the only URLs an SNSVerifier fetches.
func CertURLAllowed(u string) bool {
	pu, ok := snsURL(u)
	if !ok || pu.RawQuery != "" {
		return false
	}
	return strings.HasSuffix(pu.Path, ".pem") && !strings.Contains(pu.Path, "..")
}

// snsURL parses u and reports whether it is an https URL on an SNS host,
// sns.<region>.amazonaws.com or .amazonaws.com.cn, on the default port and
// without user information or fragment.
func snsURL(u string) (*url.URL, bool) {
	pu, err := url.Parse(u)
	if err != nil || pu.Scheme != "https" || pu.User != nil || pu.Fragment != "" || pu.Opaque != "" {
		return nil, false
	}
	if p := pu.Port(); p != "" && p != "443" {
		return nil, false
	}
	return pu, snsHost(pu.Hostname())
}

// snsHost reports whether host is an SNS endpoint host.
func snsHost(host string) bool {
	host = strings.ToLower(host)
	rest, ok := strings.CutPrefix(host, "sns.")
	if !ok {
		return false
	}
	region, ok := strings.CutSuffix(rest, ".amazonaws.com")
	if !ok {
		if region, ok = strings.CutSuffix(rest, ".amazonaws.com.cn"); !ok {
			return false
		}
	}
	if len(region) < 3 || len(region) > 32 {
		return false
	}
	for _, c := range region {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// certificate returns the certificate at u, from the cache or fetched.
func (s *SNSVerifier) certificate(ctx context.Context, u string) (*x509.Certificate, error) {
	s.mu.Lock()
	c := s.certs[u]
	s.mu.Unlock()
	if c != nil {
		return c, nil
	}
	fetch := s.Fetch
	if fetch == nil {
		fetch = fetchHTTPS
	}
	b, err := fetch(ctx, u)
	if err != nil {
		return nil, err
	}
	if len(b) > maxCertBytes {
		return nil, fmt.Errorf("certificate of %d bytes", len(b))
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE" {
		return nil, errors.New("no PEM certificate")
	}
	c, err = x509.ParseCertificate(blk.Bytes)
	if err != nil {
		return nil, err
	}
	if _, ok := c.PublicKey.(*rsa.PublicKey); !ok {
		return nil, errors.New("certificate key is not RSA")
	}
	s.mu.Lock()
	if s.certs == nil {
		s.certs = make(map[string]*x509.Certificate)
	}
	if len(s.certs) >= maxCerts {
		for k := range s.certs {
			delete(s.certs, k)
			break
		}
	}
	s.certs[u] = c
	s.mu.Unlock()
	return c, nil
}

// fetchHTTPS is the default certificate fetcher.
func fetchHTTPS(ctx context.Context, u string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	client := &http.Client{
		// Never follow a redirect away from the checked host.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, maxCertBytes+1))
}

// snsSigned is the envelope with Subject's presence kept, as the signing
// string needs.
type snsSigned struct {
	snsEnvelope
	SubjectPtr *string `json:"Subject"`
}

// stringToSign builds the text SNS signs: name and value lines of the
// message's fields in a fixed order.
func (e *snsSigned) stringToSign() (string, error) {
	var b strings.Builder
	add := func(k, v string) {
		b.WriteString(k)
		b.WriteByte('\n')
		b.WriteString(v)
		b.WriteByte('\n')
	}
	switch e.Type {
	case "Notification":
		add("Message", e.Message)
		add("MessageId", e.MessageID)
		if e.SubjectPtr != nil {
			add("Subject", *e.SubjectPtr)
		}
		add("Timestamp", e.Timestamp)
		add("TopicArn", e.TopicArn)
		add("Type", e.Type)
	case "SubscriptionConfirmation", "UnsubscribeConfirmation":
		add("Message", e.Message)
		add("MessageId", e.MessageID)
		add("SubscribeURL", e.SubscribeURL)
		add("Timestamp", e.Timestamp)
		add("Token", e.Token)
		add("TopicArn", e.TopicArn)
		add("Type", e.Type)
	default:
		return "", fmt.Errorf("SNS message type %s is not signed", quote(e.Type))
	}
	return b.String(), nil
}

// checkSNS verifies an SNS envelope's signature, topic and timestamp.
func (v *Verifier) checkSNS(ctx context.Context, body []byte) (string, error) {
	fail := func(cond, cause error, format string, args ...any) (string, error) {
		return "", &VerifyError{Provider: SES, Reason: fmt.Sprintf(format, args...), Err: cond, Cause: cause}
	}
	var e snsSigned
	if err := json.Unmarshal(body, &e); err != nil || e.Type == "" {
		return fail(ErrMissingSignature, nil, "not an SNS message: SES notifications are verified through their SNS envelope")
	}
	if e.Signature == "" || e.certURL() == "" {
		return fail(ErrMissingSignature, nil, "SNS message without Signature or SigningCertURL")
	}
	if len(v.SNSTopics) > 0 {
		ok := false
		for _, t := range v.SNSTopics {
			ok = ok || t == e.TopicArn
		}
		if !ok {
			return fail(ErrTopic, nil, "topic %s is not accepted", quote(e.TopicArn))
		}
	}
	var h crypto.Hash
	switch e.SignatureVersion {
	case "1":
		h = crypto.SHA1
	case "2":
		h = crypto.SHA256
	default:
		return fail(ErrSignature, nil, "unknown SignatureVersion %s", quote(e.SignatureVersion))
	}
	ts, err := time.Parse(time.RFC3339Nano, e.Timestamp)
	if err != nil {
		return fail(ErrStale, nil, "Timestamp %s is not RFC 3339", quote(e.Timestamp))
	}
	if err := v.freshTime(SES, ts); err != nil {
		return "", err
	}
	if !CertURLAllowed(e.certURL()) {
		return fail(ErrCertURL, nil, "SigningCertURL %s is not on an SNS host; not fetched", quote(e.certURL()))
	}
	text, err := e.stringToSign()
	if err != nil {
		return fail(ErrSignature, nil, "%v", err)
	}
	sig, err := base64.StdEncoding.DecodeString(e.Signature)
	if err != nil {
		return fail(ErrSignature, nil, "Signature is not base64")
	}
	sv := v.snsVerifier()
	cert, err := sv.certificate(ctx, e.certURL())
	if err != nil {
		return fail(ErrCertificate, err, "signing certificate %s", quote(e.certURL()))
	}
	if now := v.now(); now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return fail(ErrCertificate, nil, "signing certificate not valid at %s", now.UTC().Format(time.RFC3339))
	}
	var digest []byte
	if h == crypto.SHA1 {
		d := sha1.Sum([]byte(text))
		digest = d[:]
	} else {
		d := sha256.Sum256([]byte(text))
		digest = d[:]
	}
	if err := rsa.VerifyPKCS1v15(cert.PublicKey.(*rsa.PublicKey), h, digest, sig); err != nil {
		return fail(ErrSignature, nil, "RSA signature does not match the message")
	}
	return "sns:" + e.MessageID, nil
}

func (v *Verifier) snsVerifier() *SNSVerifier {
	if v.SNS != nil {
		return v.SNS
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.sns == nil {
		v.sns = &SNSVerifier{}
	}
	return v.sns
}
