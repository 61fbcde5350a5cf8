package identities

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/sender"
)

// bodyTransport answers every request with one status and body, without a
// network.
type bodyTransport struct {
	status int
	body   string
}

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: b.status, Status: http.StatusText(b.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"application/json"}, "Retry-After": {"7"}},
		Body:    io.NopCloser(strings.NewReader(b.body)),
		Request: r,
	}, nil
}

// FuzzList feeds any answer to every provider's decoder: no panic, an
// error or a whole list, and never the key in the output.
func FuzzList(f *testing.F) {
	seeds := []string{
		`{"results":[{"id":1,"from_email":"a@b.example","verified":true}]}`,
		`[{"id":1,"domain":"b.example","valid":true,"dns":{"dkim1":{"valid":false}}}]`,
		`{"total_count":1,"items":[{"name":"b.example","state":"active"}]}`,
		`{"TotalCount":1,"SenderSignatures":[{"EmailAddress":"a@b.example","Confirmed":true}],"Domains":[]}`,
		`{"senders":[{"email":"a@b.example","active":true}],"domains":[]}`,
		`{"Count":1,"Total":1,"Data":[{"Email":"*@b.example","Status":"Active"}]}`,
		`{"results":[{"domain":"b.example","status":{"ownership_verified":true,"compliance_status":"valid"}}]}`,
		`{"object":"list","has_more":false,"data":[{"id":"x","name":"b.example","status":"verified"}]}`,
		`{"sendAs":[{"sendAsEmail":"a@b.example","isPrimary":true}]}`,
		`{"mail":"a@b.example","proxyAddresses":["SMTP:a@b.example"]}`,
		`{"SendQuota":{"Max24HourSend":1},"EmailIdentities":[{"IdentityName":"b.example","VerificationStatus":"SUCCESS"}]}`,
		`{"error":{"code":403,"message":"insufficient scope","status":"PERMISSION_DENIED"}}`,
		`{"errors":[{"message":"x","code":7}]}`, `null`, `[]`, `{}`, `<html>`, "",
	}
	for i, s := range seeds {
		f.Add(uint8(i), uint16(200), s)
		f.Add(uint8(i), uint16(403), s)
	}
	const key = "fuzzkey0001:fuzzsecret0002"
	f.Fuzz(func(t *testing.T, which uint8, status uint16, body string) {
		ps := Providers()
		p := ps[int(which)%len(ps)]
		st := 100 + int(status)%500
		if st < 200 {
			st += 100
		}
		l, err := New(p, NewSecret(key), &Options{Client: &http.Client{Transport: bodyTransport{st, body}}, MaxPages: 3})
		if err != nil {
			t.Fatal(err)
		}
		res, err := l.List(context.Background())
		out := fmt.Sprintf("%v %+v", err, res)
		for _, part := range []string{key, "fuzzkey0001", "fuzzsecret0002"} {
			if strings.Contains(out, part) {
				t.Fatalf("key in output: %s", out)
			}
		}
		switch {
		case err != nil:
			var e *APIError
			if !errors.As(err, &e) || res != nil {
				t.Fatalf("err %v (%T) res %+v", err, err, res)
			}
		case res.ScopeMissing:
			if res.Source != sender.SourceNone || len(res.Identities) != 0 {
				t.Fatalf("scope-missing result with a list: %+v", res)
			}
		default:
			if res.Source != sender.SourceProviderAPI || res.Identities == nil {
				t.Fatalf("result %+v", res)
			}
			for _, li := range res.Identities {
				if li.Identity == "" || (li.Kind != sender.KindAddress && li.Kind != sender.KindDomain) ||
					(li.Status != sender.StatusVerified && li.Status != sender.StatusPending && li.Status != sender.StatusFailed) {
					t.Fatalf("identity %+v", li)
				}
			}
		}
	})
}

// FuzzErrorText: any error body gives a code and message without panic.
func FuzzErrorText(f *testing.F) {
	for _, s := range []string{
		`{"errors":[{"field":null,"message":"access forbidden"}]}`, `{"ErrorCode":10,"Message":"x"}`,
		`{"error":{"code":401,"message":"m","status":"UNAUTHENTICATED"}}`, `{"error":"invalid_token","error_description":"d"}`,
		`{"statusCode":401,"name":"restricted_api_key","message":"m"}`, "plain\ntext", `{"errors":"x"}`, `{"error":{"code":["x"]}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		c := &client{secret: NewSecret("k3y-secret")}
		code, msg := errorText([]byte(body))
		if cm := c.clean(msg); len(cm) > 305 || strings.Contains(cm, "k3y-secret") {
			t.Fatalf("clean(%q) = %q", msg, cm)
		}
		_ = code
	})
}
