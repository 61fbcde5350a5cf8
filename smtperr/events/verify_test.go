package events

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var testNow = time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

func sendgridKey(t testing.TB) (*ecdsa.PrivateKey, string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	return k, base64.StdEncoding.EncodeToString(der)
}

func signSendGrid(t testing.TB, k *ecdsa.PrivateKey, ts string, body []byte) http.Header {
	t.Helper()
	sum := sha256.Sum256(append([]byte(ts), body...))
	sig, err := ecdsa.SignASN1(rand.Reader, k, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("X-Twilio-Email-Event-Webhook-Signature", base64.StdEncoding.EncodeToString(sig))
	h.Set("X-Twilio-Email-Event-Webhook-Timestamp", ts)
	return h
}

func TestVerifySendGrid(t *testing.T) {
	k, pub := sendgridKey(t)
	key, err := ParseSendGridKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := "-----BEGIN PUBLIC KEY-----\n" + pub + "\n-----END PUBLIC KEY-----\n"
	if k2, err := ParseSendGridKey(pemKey); err != nil || !k2.Equal(key) {
		t.Fatalf("PEM key: %v", err)
	}
	body := readPayload(t, "sendgrid/doc-batch.json")
	ts := strconv.FormatInt(testNow.Unix(), 10)
	other, _ := sendgridKey(t)
	tests := []struct {
		name string
		h    http.Header
		body []byte
		want error
	}{
		{"good", signSendGrid(t, k, ts, body), body, nil},
		{"tampered body", signSendGrid(t, k, ts, body), append([]byte(" "), body...), ErrSignature},
		{"other key", signSendGrid(t, other, ts, body), body, ErrSignature},
		{"stale", signSendGrid(t, k, strconv.FormatInt(testNow.Add(-time.Hour).Unix(), 10), body), body, ErrStale},
		{"future", signSendGrid(t, k, strconv.FormatInt(testNow.Add(time.Hour).Unix(), 10), body), body, ErrStale},
		{"no headers", http.Header{}, body, ErrMissingSignature},
		{"garbage signature", http.Header{"X-Twilio-Email-Event-Webhook-Signature": {"%%%"}, "X-Twilio-Email-Event-Webhook-Timestamp": {ts}}, body, ErrSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Verifier{SendGridKey: key, Now: fixedNow}
			err := v.Verify(context.Background(), SendGrid, tt.h, tt.body)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
			if err == nil {
				if err := v.Verify(context.Background(), SendGrid, tt.h, tt.body); !errors.Is(err, ErrReplay) {
					t.Errorf("second Verify = %v, want ErrReplay", err)
				}
			}
		})
	}
	v := &Verifier{Now: fixedNow}
	if err := v.Verify(context.Background(), SendGrid, signSendGrid(t, k, ts, body), body); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("no key: %v", err)
	}
	if _, err := ParseSendGridKey("not base64!"); err == nil {
		t.Error("ParseSendGridKey accepted garbage")
	}
}

func mailgunBody(t testing.TB, key []byte, ts, token string, tamper bool) []byte {
	t.Helper()
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(ts + token))
	sig := hex.EncodeToString(mac.Sum(nil))
	var p map[string]any
	if err := json.Unmarshal(readPayload(t, "mailgun/built-permanent-bounce.json"), &p); err != nil {
		t.Fatal(err)
	}
	if tamper {
		token += "x"
	}
	p["signature"] = map[string]string{"timestamp": ts, "token": token, "signature": sig}
	b, _ := json.Marshal(p)
	return b
}

func TestVerifyMailgun(t *testing.T) {
	key := []byte("key-3ax6xnjp29jd6fds4gc373sgvjxteol0")
	ts := strconv.FormatInt(testNow.Unix(), 10)
	tests := []struct {
		name string
		body []byte
		key  []byte
		want error
	}{
		{"good", mailgunBody(t, key, ts, "tok1", false), key, nil},
		{"tampered token", mailgunBody(t, key, ts, "tok2", true), key, ErrSignature},
		{"wrong key", mailgunBody(t, []byte("other"), ts, "tok3", false), key, ErrSignature},
		{"stale", mailgunBody(t, key, strconv.FormatInt(testNow.Add(-20*time.Minute).Unix(), 10), "tok4", false), key, ErrStale},
		{"no signature", readPayload(t, "mailgun/doc-opened.json")[:10], key, ErrMissingSignature},
		{"no key", mailgunBody(t, key, ts, "tok5", false), nil, ErrNoCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &Verifier{MailgunKey: tt.key, Now: fixedNow}
			err := v.Verify(context.Background(), Mailgun, nil, tt.body)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
	// The same token twice is a replay.
	v := &Verifier{MailgunKey: key, Now: fixedNow}
	b := mailgunBody(t, key, ts, "tok6", false)
	if err := v.Verify(context.Background(), Mailgun, nil, b); err != nil {
		t.Fatal(err)
	}
	if err := v.Verify(context.Background(), Mailgun, nil, b); !errors.Is(err, ErrReplay) {
		t.Errorf("replay: %v", err)
	}
}

func TestVerifyBasic(t *testing.T) {
	v := &Verifier{Basic: map[Provider]Credentials{Postmark: {"hook", "s3cret"}}}
	req := func(u, p string) http.Header {
		r, _ := http.NewRequest("POST", "/", nil)
		r.SetBasicAuth(u, p)
		return r.Header
	}
	body := readPayload(t, "postmark/doc-bounce.json")
	if err := v.Verify(context.Background(), Postmark, req("hook", "s3cret"), body); err != nil {
		t.Errorf("good credentials: %v", err)
	}
	if err := v.Verify(context.Background(), Postmark, req("hook", "s3cre"), body); !errors.Is(err, ErrSignature) {
		t.Errorf("wrong password: %v", err)
	}
	if err := v.Verify(context.Background(), Postmark, http.Header{}, body); !errors.Is(err, ErrMissingSignature) {
		t.Errorf("no header: %v", err)
	}
	if err := v.Verify(context.Background(), Mailjet, req("hook", "s3cret"), body); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("provider without credentials: %v", err)
	}
}

func TestVerifyResend(t *testing.T) {
	secret := []byte("a test signing secret of 32 byte")
	v := &Verifier{ResendSecret: "whsec_" + base64.StdEncoding.EncodeToString(secret), Now: fixedNow}
	body := readPayload(t, "resend/doc-bounced.json")
	sign := func(id string, ts time.Time, b []byte) http.Header {
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(id + "." + strconv.FormatInt(ts.Unix(), 10) + "."))
		mac.Write(b)
		h := http.Header{}
		h.Set("svix-id", id)
		h.Set("svix-timestamp", strconv.FormatInt(ts.Unix(), 10))
		h.Set("svix-signature", "v1,bm90IGl0 v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
		return h
	}
	if err := v.Verify(context.Background(), Resend, sign("msg_1", testNow, body), body); err != nil {
		t.Errorf("good: %v", err)
	}
	if err := v.Verify(context.Background(), Resend, sign("msg_1", testNow, body), body); !errors.Is(err, ErrReplay) {
		t.Errorf("replay: %v", err)
	}
	if err := v.Verify(context.Background(), Resend, sign("msg_2", testNow, body), body[1:]); !errors.Is(err, ErrSignature) {
		t.Errorf("tampered: %v", err)
	}
	if err := v.Verify(context.Background(), Resend, sign("msg_3", testNow.Add(-time.Hour), body), body); !errors.Is(err, ErrStale) {
		t.Errorf("stale: %v", err)
	}
}

// snsFixture is a signing certificate served by an httptest TLS server, and
// a fetcher that sends SNS-host URLs there.
type snsFixture struct {
	key     *rsa.PrivateKey
	srv     *httptest.Server
	fetches atomic.Int32
	sns     *SNSVerifier
}

func newSNSFixture(t *testing.T) *snsFixture {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "sns.amazonaws.com"},
		NotBefore:    testNow.Add(-24 * time.Hour),
		NotAfter:     testNow.Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	f := &snsFixture{key: key}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/SimpleNotificationService-test.pem" {
			http.NotFound(w, r)
			return
		}
		f.fetches.Add(1)
		w.Write(certPEM)
	}))
	t.Cleanup(f.srv.Close)
	client := f.srv.Client()
	f.sns = &SNSVerifier{Fetch: func(ctx context.Context, u string) ([]byte, error) {
		pu, err := url.Parse(u)
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequestWithContext(ctx, "GET", f.srv.URL+pu.Path, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return nil, errors.New(resp.Status)
		}
		return io.ReadAll(resp.Body)
	}}
	return f
}

// sign returns the SNS envelope of message, signed with version ver.
func (f *snsFixture) sign(t testing.TB, message, ver, certURL string, ts time.Time, id string) []byte {
	t.Helper()
	e := &snsSigned{snsEnvelope: snsEnvelope{Type: "Notification", MessageID: id,
		TopicArn: "arn:aws:sns:us-east-1:123456789012:ses", Message: message,
		Timestamp: ts.UTC().Format("2006-01-02T15:04:05.000Z"), SignatureVersion: ver, SigningCertURL: certURL}}
	text, err := e.stringToSign()
	if err != nil {
		t.Fatal(err)
	}
	var sig []byte
	if ver == "1" {
		d := sha1.Sum([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA1, d[:])
	} else {
		d := sha256.Sum256([]byte(text))
		sig, err = rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA256, d[:])
	}
	if err != nil {
		t.Fatal(err)
	}
	// Marshal only the fields SNS sends: no Subject, so none is signed.
	b, _ := json.Marshal(map[string]string{"Type": e.Type, "MessageId": e.MessageID, "TopicArn": e.TopicArn,
		"Message": e.Message, "Timestamp": e.Timestamp, "SignatureVersion": ver,
		"Signature": base64.StdEncoding.EncodeToString(sig), "SigningCertURL": certURL})
	return b
}

const goodCertURL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem"

func sesMessage(t testing.TB) string {
	var env snsEnvelope
	if err := json.Unmarshal(readPayload(t, "ses/doc-bounce-dsn.json"), &env); err != nil {
		t.Fatal(err)
	}
	return env.Message
}

func TestVerifySNS(t *testing.T) {
	f := newSNSFixture(t)
	msg := sesMessage(t)
	v := &Verifier{SNS: f.sns, Now: fixedNow, SNSTopics: []string{"arn:aws:sns:us-east-1:123456789012:ses"}}
	ctx := context.Background()
	for i, ver := range []string{"1", "2"} {
		body := f.sign(t, msg, ver, goodCertURL, testNow, "id-"+ver)
		if err := v.Verify(ctx, SES, nil, body); err != nil {
			t.Fatalf("SignatureVersion %s: %v", ver, err)
		}
		if err := v.Verify(ctx, SES, nil, body); !errors.Is(err, ErrReplay) {
			t.Errorf("SignatureVersion %s replay: %v", ver, err)
		}
		_ = i
	}
	if n := f.fetches.Load(); n != 1 {
		t.Errorf("certificate fetched %d times, want 1 (cached)", n)
	}
	// A tampered message.
	body := f.sign(t, msg, "2", goodCertURL, testNow, "id-3")
	var env map[string]any
	json.Unmarshal(body, &env)
	env["Message"] = msg[:len(msg)-1] + " }"
	tampered, _ := json.Marshal(env)
	if err := v.Verify(ctx, SES, nil, tampered); !errors.Is(err, ErrSignature) {
		t.Errorf("tampered: %v", err)
	}
	// Stale.
	if err := v.Verify(ctx, SES, nil, f.sign(t, msg, "1", goodCertURL, testNow.Add(-time.Hour), "id-4")); !errors.Is(err, ErrStale) {
		t.Errorf("stale: %v", err)
	}
	// Another topic.
	v2 := &Verifier{SNS: f.sns, Now: fixedNow, SNSTopics: []string{"arn:aws:sns:us-east-1:123456789012:other"}}
	if err := v2.Verify(ctx, SES, nil, f.sign(t, msg, "1", goodCertURL, testNow, "id-5")); !errors.Is(err, ErrTopic) {
		t.Errorf("topic: %v", err)
	}
	// A certificate URL off the SNS hosts is refused before any fetch.
	before := f.fetches.Load()
	for _, u := range []string{
		f.srv.URL + "/SimpleNotificationService-test.pem",
		"https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-test.pem",
		"http://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem",
		"https://evil.example/?sns.us-east-1.amazonaws.com/x.pem",
		"https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-test.pem",
		"https://user@sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem",
		"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem?x=1",
	} {
		err := v.Verify(ctx, SES, nil, f.sign(t, msg, "1", u, testNow, "id-url-"+u))
		if !errors.Is(err, ErrCertURL) {
			t.Errorf("cert URL %s: %v, want ErrCertURL", u, err)
		}
	}
	if f.fetches.Load() != before {
		t.Error("a certificate was fetched from a refused URL")
	}
	// A certificate that cannot be fetched is ErrCertificate (answered 503).
	v3 := &Verifier{SNS: f.sns, Now: fixedNow}
	err := v3.Verify(ctx, SES, nil, f.sign(t, msg, "1", "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-missing.pem", testNow, "id-6"))
	if !errors.Is(err, ErrCertificate) {
		t.Errorf("missing certificate: %v", err)
	}
	if s, _ := ErrorStatus(err); s != http.StatusServiceUnavailable {
		t.Errorf("missing certificate status %d", s)
	}
	// The bare SES record has no signature to check.
	if err := v.Verify(ctx, SES, nil, readPayload(t, "ses/doc-bounce-nodsn.json")); !errors.Is(err, ErrMissingSignature) {
		t.Errorf("bare record: %v", err)
	}
}

func TestCertURLAllowed(t *testing.T) {
	for u, want := range map[string]bool{
		"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem":      true,
		"https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem":  true,
		"https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem":  true,
		"https://SNS.US-EAST-1.AMAZONAWS.COM/SimpleNotificationService-abc.pem":      true,
		"https://sns.amazonaws.com/SimpleNotificationService-abc.pem":                false,
		"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.txt":      false,
		"https://sns.us_east.amazonaws.com/x.pem":                                    false,
		"https://s3.amazonaws.com/sns.us-east-1.amazonaws.com/x.pem":                 false,
		"https://sns.us-east-1.amazonaws.com/../x.pem":                               false,
		"https://sns.us-east-1.amazonaws.com/x.pem#frag":                             false,
		"ftp://sns.us-east-1.amazonaws.com/x.pem":                                    false,
		"https://sns.us-east-1.amazonaws.com@evil.example/x.pem":                     false,
		"https://sns.x.amazonaws.com/x.pem":                                          false,
		"https://sns.us-east-1.amazonaws.com\\@evil.example/x.pem":                   false,
		"https://sns.us-east-1.amazonaws.com%2F@evil.example/SimpleNotification.pem": false,
		"https://sns.us-east-1.amazonaws.com.evil.com/x.pem":                         false,
		"https://sns.us-east-1.amazonaws.com%2Eevil.com/x.pem":                       false,
		"https://sns.us-east-1.amazonaws.com./x.pem":                                 false,
		"https://sns.evil.com.us-east-1.amazonaws.com/x.pem":                         false,
		"https://sns.us-east-1.amazonaws.com/%2e%2e/x.pem":                           false,
		"https:sns.us-east-1.amazonaws.com/x.pem":                                    false,
		"//sns.us-east-1.amazonaws.com/x.pem":                                        false,
		"https://[::1]/sns.us-east-1.amazonaws.com.pem":                              false,
		"https://sns.us-east-1.amazonaws.com:443/SimpleNotificationService-abc.pem":  true,
	} {
		if got := CertURLAllowed(u); got != want {
			t.Errorf("CertURLAllowed(%q) = %v, want %v", u, got, want)
		}
	}
}

// TestVerifySNSSubject: a Subject, when the message has one, is part of the
// signed text; a message without one signs none.
func TestVerifySNSSubject(t *testing.T) {
	f := newSNSFixture(t)
	subject := "Amazon SES Email Event Notification"
	e := &snsSigned{snsEnvelope: snsEnvelope{Type: "Notification", MessageID: "subj-1",
		TopicArn: "arn:aws:sns:us-east-1:123456789012:ses", Message: sesMessage(t),
		Timestamp: testNow.Format("2006-01-02T15:04:05.000Z"), SignatureVersion: "2", SigningCertURL: goodCertURL},
		SubjectPtr: &subject}
	text, err := e.stringToSign()
	if err != nil || !strings.Contains(text, "\nSubject\n"+subject+"\n") {
		t.Fatalf("string to sign lacks the subject: %q, %v", text, err)
	}
	d := sha256.Sum256([]byte(text))
	sig, err := rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA256, d[:])
	if err != nil {
		t.Fatal(err)
	}
	msg := map[string]string{"Type": e.Type, "MessageId": e.MessageID, "TopicArn": e.TopicArn, "Subject": subject,
		"Message": e.Message, "Timestamp": e.Timestamp, "SignatureVersion": "2",
		"Signature": base64.StdEncoding.EncodeToString(sig), "SigningCertURL": goodCertURL}
	body, _ := json.Marshal(msg)
	v := &Verifier{SNS: f.sns, Now: fixedNow}
	if err := v.Verify(context.Background(), SES, nil, body); err != nil {
		t.Fatalf("with subject: %v", err)
	}
	msg["Subject"] = "Another subject"
	body, _ = json.Marshal(msg)
	if err := v.Verify(context.Background(), SES, nil, body); !errors.Is(err, ErrSignature) {
		t.Fatalf("changed subject: %v", err)
	}
}

// TestSNSSignedMessageOnly checks that a body passing the SNS check is read
// through its signed Message only: the envelope's names spelled in another
// case still verify (encoding/json folds case), and unsigned SES fields put
// beside them must not become records.
func TestSNSSignedMessageOnly(t *testing.T) {
	f := newSNSFixture(t)
	v := &Verifier{SNS: f.sns, Now: fixedNow, SNSTopics: []string{"arn:aws:sns:us-east-1:123456789012:ses"}}
	var env map[string]any
	if err := json.Unmarshal(f.sign(t, sesMessage(t), "2", goodCertURL, testNow, "id-case"), &env); err != nil {
		t.Fatal(err)
	}
	forged := map[string]any{}
	for k, val := range env {
		forged[strings.ToLower(k)] = val
	}
	forged["notificationType"] = "Bounce"
	forged["mail"] = map[string]any{"timestamp": "2024-05-01T10:00:00.000Z", "messageId": "forged"}
	forged["bounce"] = map[string]any{"bounceType": "Permanent", "bounceSubType": "General",
		"bouncedRecipients": []any{map[string]any{"emailAddress": "forged@example.com"}}}
	body, _ := json.Marshal(forged)
	verr := v.Verify(context.Background(), SES, nil, body)
	recs, perr := Parse(body, SES, nil)
	if verr != nil {
		return // refusing the body is as good as reading it right
	}
	if perr != nil {
		t.Fatalf("verified body not parsed: %v", perr)
	}
	for _, r := range recs {
		if r.Recipient == "forged@example.com" || r.ProviderMessageID == "forged" {
			t.Fatalf("unsigned fields became a record: %+v", r)
		}
	}
	if len(recs) == 0 {
		t.Fatal("no records from the signed Message")
	}
}

// TestVerifySendGridMalleable checks that the twin (r, n-s) of a SendGrid
// signature, which verifies as well, is refused as a replay.
func TestVerifySendGridMalleable(t *testing.T) {
	k, pub := sendgridKey(t)
	key, err := ParseSendGridKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	body := readPayload(t, "sendgrid/doc-batch.json")
	ts := strconv.FormatInt(testNow.Unix(), 10)
	h := signSendGrid(t, k, ts, body)
	der, _ := base64.StdEncoding.DecodeString(h.Get("X-Twilio-Email-Event-Webhook-Signature"))
	var sig struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &sig); err != nil {
		t.Fatal(err)
	}
	sig.S = new(big.Int).Sub(elliptic.P256().Params().N, sig.S)
	twin, err := asn1.Marshal(sig)
	if err != nil {
		t.Fatal(err)
	}
	h2 := http.Header{}
	h2.Set("X-Twilio-Email-Event-Webhook-Signature", base64.StdEncoding.EncodeToString(twin))
	h2.Set("X-Twilio-Email-Event-Webhook-Timestamp", ts)
	v := &Verifier{SendGridKey: key, Now: fixedNow}
	if err := v.Verify(context.Background(), SendGrid, h, body); err != nil {
		t.Fatal(err)
	}
	if !ecdsa.VerifyASN1(&k.PublicKey, func() []byte { s := sha256.Sum256(append([]byte(ts), body...)); return s[:] }(), twin) {
		t.Fatal("twin signature does not verify; test is wrong")
	}
	if err := v.Verify(context.Background(), SendGrid, h2, body); !errors.Is(err, ErrReplay) {
		t.Fatalf("twin signature: %v, want ErrReplay", err)
	}
}
