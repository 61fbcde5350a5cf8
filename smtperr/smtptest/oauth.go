package smtptest

import (
	"bytes"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// mechXOAUTH2 is the SASL mechanism Google and Microsoft use for OAuth
// 2.0 access tokens; OAUTHBEARER (RFC 7628) is its standard successor.
const mechXOAUTH2 = "XOAUTH2"

// oauthServer is the server side of XOAUTH2 and OAUTHBEARER: the client's
// initial response carries the user and "auth=Bearer <token>". A refused
// token gets a JSON error as a challenge (RFC 7628 section 3.2.2); the
// client answers it with an empty response or %x01, and the server then
// sends its final 535 reply.
type oauthServer struct {
	mech   string
	check  func(username, token string) bool
	failed bool
	done   bool
}

func newOAuthServer(mech string, check func(username, token string) bool) sasl.Server {
	return &oauthServer{mech: mech, check: check}
}

// Next implements sasl.Server.
func (s *oauthServer) Next(response []byte) ([]byte, bool, error) {
	switch {
	case s.done:
		return nil, true, sasl.ErrUnexpectedClientResponse
	case s.failed:
		s.done = true
		return nil, true, replyTokenRefused()
	case response == nil:
		// No initial response: ask for it with an empty challenge.
		return []byte{}, false, nil
	}
	user, token, ok := parseOAuthResponse(s.mech, response)
	if ok && s.check(user, token) {
		s.done = true
		return nil, true, nil
	}
	s.failed = true
	return []byte(`{"status":"invalid_token","schemes":"bearer"}`), false, nil
}

// parseOAuthResponse reads the user and the bearer token of an initial
// response: "user=U\x01auth=Bearer T\x01\x01" (XOAUTH2) or
// "n,a=U,\x01host=H\x01port=P\x01auth=Bearer T\x01\x01" (OAUTHBEARER).
func parseOAuthResponse(mech string, b []byte) (user, token string, ok bool) {
	fields := bytes.Split(b, []byte{1})
	if mech == sasl.OAuthBearer {
		gs2, _, found := bytes.Cut(fields[0], []byte{','})
		if !found || string(gs2) != "n" {
			return "", "", false
		}
		parts := bytes.SplitN(fields[0], []byte{','}, 3)
		if len(parts) < 2 || !bytes.HasPrefix(parts[1], []byte("a=")) {
			return "", "", false
		}
		user = strings.NewReplacer("=2C", ",", "=3D", "=").Replace(string(parts[1][2:]))
	}
	for _, f := range fields {
		k, v, found := bytes.Cut(f, []byte{'='})
		if !found {
			continue
		}
		switch string(k) {
		case "user":
			if mech == mechXOAUTH2 {
				user = string(v)
			}
		case "auth":
			scheme, t, found := bytes.Cut(v, []byte{' '})
			if found && strings.EqualFold(string(scheme), "bearer") {
				token = string(t)
			}
		}
	}
	return user, token, user != "" && token != ""
}

// replyTokenRefused is Exchange Online refusing a sign-in, as reported in
// github.com/mageplaza/magento-2-smtp issue 108.
func replyTokenRefused() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 3}, Message: "Authentication unsuccessful [DB6P18901CA0015.EURP189.PROD.OUTLOOK.COM]"}
}

// AuthRefusal is the reply of a provider that refuses basic
// authentication (a password with PLAIN or LOGIN) whatever the password.
type AuthRefusal struct {
	// Name identifies the preset.
	Name string
	// Code, EnhancedCode and Text make the reply.
	Code         int
	EnhancedCode smtp.EnhancedCode
	Text         string
}

func (r AuthRefusal) reply() *smtp.SMTPError {
	return &smtp.SMTPError{Code: r.Code, EnhancedCode: r.EnhancedCode, Message: r.Text}
}

// RefuseSMTPAuthDisabled is Exchange Online with SMTP AUTH disabled for the
// tenant, as reported in github.com/simonrob/email-oauth2-proxy issue 193.
func RefuseSMTPAuthDisabled() AuthRefusal {
	return AuthRefusal{
		Name: "smtp_auth_disabled", Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139},
		Text: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]",
	}
}

// RefuseBasicAuthDisabled is Exchange Online with basic authentication
// blocked (security defaults), as reported in
// github.com/nodemailer/nodemailer issue 1714.
func RefuseBasicAuthDisabled() AuthRefusal {
	return AuthRefusal{
		Name: "basic_auth_disabled", Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139},
		Text: "Authentication unsuccessful, basic authentication is disabled. [PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]",
	}
}

// RefuseBasicAuthNotSupported is Exchange Online once basic authentication
// for SMTP AUTH is retired, as Microsoft announced it (quoted in the
// University of Toronto's notice to its mailbox owners, 2025).
func RefuseBasicAuthNotSupported() AuthRefusal {
	return AuthRefusal{
		Name: "basic_auth_not_supported", Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 30},
		Text: "Basic authentication is not supported for Client Submission.",
	}
}
