package preflight

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/emersion/go-sasl"
)

// SASL mechanisms for OAuth 2.0 bearer tokens.
const (
	// mechXOAUTH2 is the mechanism Google and Microsoft introduced before
	// RFC 7628; Exchange Online offers only this one.
	mechXOAUTH2 = "XOAUTH2"
	// mechOAuthBearer is RFC 7628's mechanism.
	mechOAuthBearer = sasl.OAuthBearer
)

// xoauth2Prefix is what XOAUTH2's initial response puts before the token.
func xoauth2Prefix(user string) string {
	return "user=" + user + "\x01auth=Bearer "
}

// oauthBearerPrefix is what OAUTHBEARER's initial response (RFC 7628,
// section 3.1) puts before the token: the GS2 header naming the user, then
// the host and port key-value pairs.
func oauthBearerPrefix(user, host string, port int) string {
	s := "n,a=" + saslName(user) + ","
	if host != "" {
		s += "\x01host=" + host
	}
	if port != 0 {
		s += "\x01port=" + strconv.Itoa(port)
	}
	return s + "\x01auth=Bearer "
}

// saslName escapes "," and "=" in a GS2 authzid (RFC 5801, section 4).
func saslName(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',':
			out = append(out, "=2C"...)
		case '=':
			out = append(out, "=3D"...)
		default:
			out = append(out, s[i])
		}
	}
	return string(out)
}

// oauthClient is the client side of XOAUTH2 and OAUTHBEARER. Both send
// the token in the initial response; a server that refuses it sends a
// JSON error as a challenge, which the client answers with an empty
// response (XOAUTH2) or a lone %x01 (RFC 7628, section 3.2.3) so that the
// server sends its final reply, which is what gets explained.
type oauthClient struct {
	mech    string
	initial string
	// status is the "status" of the server's JSON error, when it sent one.
	status string
	// challenges counts the server's challenges: one is an error report,
	// more is a broken server.
	challenges int
}

func newOAuthClient(mech, user, token, host string, port int) *oauthClient {
	c := &oauthClient{mech: mech}
	if mech == mechXOAUTH2 {
		c.initial = xoauth2Prefix(user) + token + "\x01\x01"
	} else {
		c.initial = oauthBearerPrefix(user, host, port) + token + "\x01\x01"
	}
	return c
}

// Start implements sasl.Client.
func (c *oauthClient) Start() (string, []byte, error) {
	return c.mech, []byte(c.initial), nil
}

// Next implements sasl.Client.
func (c *oauthClient) Next(challenge []byte) ([]byte, error) {
	c.challenges++
	if c.challenges > 1 {
		return nil, errors.New("the server sent a second " + c.mech + " challenge after refusing the token")
	}
	var e struct {
		Status string `json:"status"`
	}
	if json.Unmarshal(challenge, &e) == nil && len(e.Status) <= 100 {
		c.status = e.Status
	}
	if c.mech == mechXOAUTH2 {
		return []byte{}, nil
	}
	return []byte{0x01}, nil
}
