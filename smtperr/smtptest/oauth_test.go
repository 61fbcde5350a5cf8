package smtptest

import (
	"testing"

	"github.com/emersion/go-sasl"
)

func TestParseOAuthResponse(t *testing.T) {
	for _, tc := range []struct {
		mech, in, user, token string
		ok                    bool
	}{
		{mechXOAUTH2, "user=a@example.com\x01auth=Bearer tok123\x01\x01", "a@example.com", "tok123", true},
		{sasl.OAuthBearer, "n,a=a@example.com,\x01host=smtp.example.com\x01port=587\x01auth=Bearer tok123\x01\x01", "a@example.com", "tok123", true},
		{sasl.OAuthBearer, "n,a=we=2Cird=3D,\x01auth=bearer t\x01\x01", "we,ird=", "t", true},
		{mechXOAUTH2, "user=a@example.com\x01auth=Basic dXNlcg==\x01\x01", "a@example.com", "", false},
		{sasl.OAuthBearer, "y,a=a,\x01auth=Bearer t\x01\x01", "", "", false},
		{sasl.OAuthBearer, "n,,\x01auth=Bearer t\x01\x01", "", "", false},
		{mechXOAUTH2, "", "", "", false},
	} {
		user, token, ok := parseOAuthResponse(tc.mech, []byte(tc.in))
		if user != tc.user || token != tc.token || ok != tc.ok {
			t.Errorf("parseOAuthResponse(%s, %q) = %q, %q, %v; want %q, %q, %v", tc.mech, tc.in, user, token, ok, tc.user, tc.token, tc.ok)
		}
	}
}

func FuzzParseOAuthResponse(f *testing.F) {
	f.Add(true, "user=a@example.com\x01auth=Bearer tok123\x01\x01")
	f.Add(false, "n,a=a@example.com,\x01host=h\x01port=587\x01auth=Bearer t\x01\x01")
	f.Add(false, "n,a=,")
	f.Fuzz(func(t *testing.T, xoauth2 bool, in string) {
		mech := sasl.OAuthBearer
		if xoauth2 {
			mech = mechXOAUTH2
		}
		user, token, ok := parseOAuthResponse(mech, []byte(in))
		if ok && (user == "" || token == "") {
			t.Fatalf("ok with user %q token %q", user, token)
		}
		s := newOAuthServer(mech, func(u, tk string) bool { return u == "x" && tk == "y" })
		for i, resp := range [][]byte{[]byte(in), {1}, nil} {
			if _, done, _ := s.Next(resp); done {
				break
			}
			if i == 2 {
				t.Fatal("the exchange never ends")
			}
		}
	})
}
