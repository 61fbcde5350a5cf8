package identities

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/sendcheck/sendcheck/sender/provider"
)

// maxBody bounds one answer's body.
const maxBody = 4 << 20

// client calls one provider's JSON API.
type client struct {
	p        provider.ID
	name     string
	base     *url.URL
	hc       *http.Client
	secret   Secret
	auth     func(h http.Header) // sets the credentials on a request
	authForm []string            // the credential strings as sent, to scrub
	maxPages int
	now      func() time.Time
	// denied reports an error answer that means "this key may send but
	// not read identities".
	denied func(e *APIError) bool
}

func newClient(p provider.ID, name string, secret Secret, opts *Options, defBase string) (*client, error) {
	base, err := baseURL(p, opts, defBase)
	if err != nil {
		return nil, err
	}
	c := &client{p: p, name: name, base: base, secret: secret, maxPages: opts.maxPages(), now: time.Now}
	var hc http.Client
	if opts != nil && opts.Client != nil {
		hc = *opts.Client
	} else {
		hc.Timeout = 30 * time.Second
	}
	// A redirect could carry the credentials elsewhere: never follow one.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.hc = &hc
	if opts != nil && opts.Now != nil {
		c.now = opts.Now
	}
	return c, nil
}

// bearer sets "Authorization: Bearer <secret>".
func (c *client) bearer() {
	v := "Bearer " + c.secret.v
	c.auth = func(h http.Header) { h.Set("Authorization", v) }
	c.authForm = []string{v}
}

// basic sets HTTP Basic authorization with user and pass.
func (c *client) basic(user, pass string) {
	c.auth = func(h http.Header) {
		r := http.Request{Header: h}
		r.SetBasicAuth(user, pass)
	}
	c.authForm = []string{user + ":" + pass}
}

// header sets the credentials as header name.
func (c *client) header(name string) {
	v := c.secret.v
	c.auth = func(h http.Header) { h.Set(name, v) }
}

// get reads path?query as JSON into v. The error will be of type
// *APIError.
func (c *client) get(ctx context.Context, op, path string, query url.Values, v any) error {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawPath = ""
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return c.fail(op, ErrorRequest, 0, nil)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "sendcheck-identities")
	c.auth(req.Header)
	resp, err := c.hc.Do(req)
	if err != nil {
		return c.transportError(ctx, op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return c.transportError(ctx, op, err)
	}
	if len(body) > maxBody {
		e := c.fail(op, ErrorBadResponse, resp.StatusCode, nil)
		e.Message = fmt.Sprintf("answer larger than %d bytes", maxBody)
		return e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.statusError(op, resp, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		e := c.fail(op, ErrorBadResponse, resp.StatusCode, nil)
		e.Message = "the answer is not the documented JSON: " + c.clean(err.Error())
		return e
	}
	return nil
}

// fail builds an explained APIError.
func (c *client) fail(op string, kind ErrorKind, status int, err error) *APIError {
	e := &APIError{Provider: c.p, Op: op, Kind: kind, StatusCode: status, Err: err}
	return e.explain(c.name)
}

// shape reports an answer that parsed but lacks what the reference
// promises.
func (c *client) shape(op, what string) *APIError {
	e := c.fail(op, ErrorBadResponse, http.StatusOK, nil)
	e.Message = what
	return e
}

// transportError classifies an error with no HTTP answer.
func (c *client) transportError(ctx context.Context, op string, err error) *APIError {
	var ne net.Error
	kind := ErrorNetwork
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		kind = ErrorCanceled
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		kind = ErrorTimeout
	}
	e := c.fail(op, kind, 0, &cleanError{msg: c.clean(err.Error()), err: err})
	e.Message = c.clean(err.Error())
	return e
}

// cleanError carries a transport error under a text cleaned of secrets.
// It unwraps only to the context's errors, so that no text from outside
// reaches the caller uncleaned.
type cleanError struct {
	msg string
	err error
}

func (e *cleanError) Error() string { return e.msg }

func (e *cleanError) Unwrap() error {
	switch {
	case errors.Is(e.err, context.DeadlineExceeded):
		return context.DeadlineExceeded
	case errors.Is(e.err, context.Canceled):
		return context.Canceled
	}
	return nil
}

// statusError explains an HTTP error answer.
func (c *client) statusError(op string, resp *http.Response, body []byte) *APIError {
	var kind ErrorKind
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized:
		kind = ErrorUnauthorized
	case s == http.StatusForbidden:
		kind = ErrorForbidden
	case s == http.StatusNotFound:
		kind = ErrorNotFound
	case s == http.StatusTooManyRequests:
		kind = ErrorRateLimited
	case s >= 500:
		kind = ErrorServer
	case s >= 300 && s < 400:
		kind = ErrorBadResponse
	default:
		kind = ErrorRequest
	}
	e := &APIError{Provider: c.p, Op: op, Kind: kind, StatusCode: resp.StatusCode}
	code, msg := errorText(body)
	if msg == "" && kind == ErrorBadResponse {
		msg = "redirected to another location, which is not followed"
	}
	e.Code, e.Message = c.clean(code), c.clean(msg)
	if kind == ErrorRateLimited || kind == ErrorServer {
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), c.now())
	}
	return e.explain(c.name)
}

// clean removes the secret from a text from outside, drops control
// characters and shortens it.
func (c *client) clean(s string) string {
	s = c.secret.scrub(s, c.authForm...)
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	const max = 300
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// retryAfter parses a Retry-After value: seconds or an HTTP date. It
// returns 0 for anything else, and caps the wait at a day.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > 86400 {
			n = 86400
		}
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now).Round(time.Second)
		if d <= 0 {
			return 0
		}
	}
	return min(d, 24*time.Hour)
}

// errorText finds the provider's error code and message in an error body,
// whichever of the documented shapes it has:
//
//	{"errors":[{"message":"...","field":null}]}               SendGrid, SparkPost
//	{"message":"..."}                                          Mailgun, Brevo, Resend
//	{"code":"unauthorized","message":"..."}                    Brevo
//	{"ErrorCode":10,"Message":"..."}                           Postmark
//	{"ErrorMessage":"...","StatusCode":401}                    Mailjet
//	{"error":{"code":401,"message":"...","status":"..."}}      Gmail, Graph
//	{"statusCode":401,"name":"restricted_api_key","message":...} Resend
//
// Anything else gives its first line as the message.
func errorText(body []byte) (code, msg string) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return "", ""
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		line, _, _ := strings.Cut(string(body), "\n")
		return "", line
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			raw, ok := m[k]
			if !ok {
				continue
			}
			var s string
			if json.Unmarshal(raw, &s) == nil && s != "" {
				return s
			}
			var n json.Number
			if json.Unmarshal(raw, &n) == nil {
				return n.String()
			}
		}
		return ""
	}
	code = str("name", "code", "ErrorCode", "error_code")
	msg = str("message", "Message", "ErrorMessage", "error_description", "error", "description")
	if raw, ok := m["error"]; ok {
		var inner struct {
			Code    json.RawMessage `json:"code"`
			Message string          `json:"message"`
			Status  string          `json:"status"`
		}
		if json.Unmarshal(raw, &inner) == nil && inner.Message != "" {
			msg = inner.Message
			switch {
			case inner.Status != "":
				code = inner.Status
			case len(inner.Code) > 0:
				var s string
				if json.Unmarshal(inner.Code, &s) == nil {
					code = s
				}
			}
		}
	}
	if raw, ok := m["errors"]; ok && msg == "" {
		var list []struct {
			Message     string          `json:"message"`
			Description string          `json:"description"`
			Code        json.RawMessage `json:"code"`
		}
		if json.Unmarshal(raw, &list) == nil && len(list) > 0 {
			msg = list[0].Message
			if list[0].Description != "" {
				msg += " " + list[0].Description
			}
			var s string
			if json.Unmarshal(list[0].Code, &s) == nil && code == "" {
				code = s
			}
		}
	}
	return code, msg
}

// pages guards a pagination loop: it returns an error when page n (from
// 1) exceeds the bound.
func (c *client) pages(op string, n int) error {
	if n > c.maxPages {
		e := c.fail(op, ErrorTooManyPages, 0, nil)
		e.Message = fmt.Sprintf("more than %d pages", c.maxPages)
		return e
	}
	return nil
}

// readable runs one listing call; a denial that means "may send but not
// read" is reported by ok=false and a nil error.
func (c *client) readable(err error) (ok bool, _ error) {
	if err == nil {
		return true, nil
	}
	var e *APIError
	if c.denied != nil && errors.As(err, &e) && c.denied(e) {
		return false, nil
	}
	return false, err
}

// paging describes a list paged by limit and offset that reports its
// total: {"<totalKey>":N,"<listKey>":[...]}.
type paging struct {
	limitKey, offsetKey string
	size                int
	totalKey, listKey   string
}

// offsetPages reads every page of such a list; add appends one page's
// items and returns their number. A list that ends before its total is an
// error, not a shorter list.
func (c *client) offsetPages(ctx context.Context, op, path string, pg paging, add func(jsonRaw) (int, error)) error {
	seen := 0
	for page := 1; ; page++ {
		if err := c.pages(op, page); err != nil {
			return err
		}
		q := url.Values{pg.limitKey: {strconv.Itoa(pg.size)}, pg.offsetKey: {strconv.Itoa(seen)}}
		var resp map[string]jsonRaw
		if err := c.get(ctx, op, path, q, &resp); err != nil {
			return err
		}
		var total int
		if err := unmarshalField(resp, pg.totalKey, &total); err != nil || total < 0 {
			return c.shape(op, `no "`+pg.totalKey+`" count`)
		}
		raw, ok := resp[pg.listKey]
		if !ok {
			return c.shape(op, `no "`+pg.listKey+`" list`)
		}
		n, err := add(raw)
		if err != nil {
			return c.shape(op, `"`+pg.listKey+`" is not a list of the documented items`)
		}
		seen += n
		switch {
		case seen >= total:
			return nil
		case n == 0:
			return c.shape(op, "the pages end before the total count")
		}
	}
}
