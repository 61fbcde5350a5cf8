package smtptest

import (
	"github.com/emersion/go-sasl"
)

// loginServer is the server side of the LOGIN mechanism
// (draft-murchison-sasl-login): the server asks for "Username:" then
// "Password:", each answered by one client response. go-sasl ships only
// the client side.
type loginServer struct {
	auth     func(username, password string) error
	username []byte
	step     int
}

// newLoginServer returns a LOGIN mechanism that calls auth once both
// answers are in.
func newLoginServer(auth func(username, password string) error) sasl.Server {
	return &loginServer{auth: auth}
}

// Next implements sasl.Server.
func (s *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch s.step {
	case 0:
		s.step = 1
		if response == nil {
			return []byte("Username:"), false, nil
		}
		// An initial response ("AUTH LOGIN dXNlcg==") is the user name.
		s.username = response
		s.step = 2
		return []byte("Password:"), false, nil
	case 1:
		s.username = response
		s.step = 2
		return []byte("Password:"), false, nil
	case 2:
		s.step = 3
		if err := s.auth(string(s.username), string(response)); err != nil {
			return nil, true, err
		}
		return nil, true, nil
	}
	return nil, true, sasl.ErrUnexpectedClientResponse
}
