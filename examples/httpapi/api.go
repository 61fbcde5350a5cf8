package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/events"
)

// Limits on requests.
const (
	defaultMaxBody    = 64 << 10 // bytes of a request body
	maxReplies        = 100      // replies in one /v1/explain request
	maxReplyBytes     = 8 << 10  // bytes of one reply text
	maxVerified       = 200      // identities in one sender check
	maxSelectors      = 20       // DKIM selectors in one readiness check
	maxIPs            = 10       // sending IPs in one readiness check
	defaultReqTimeout = 15 * time.Second
)

// apiConfig configures the handlers.
type apiConfig struct {
	// Resolver answers the readiness checks' DNS questions; nil means
	// dnsauth's default client.
	Resolver dnscheck.Resolver
	// Timeout is each request's deadline.
	Timeout time.Duration
	// MaxBody limits request bodies.
	MaxBody int64
	// ErrorLog receives handler failures (never request bodies).
	ErrorLog *log.Logger
	// MaxEventBody limits the body of POST /v1/events/{provider}.
	MaxEventBody int64
	// Verifier checks the signatures of provider event payloads; nil
	// explains payloads without checking who sent them.
	Verifier *events.Verifier
}

// api holds the handlers.
type api struct {
	cfg  apiConfig
	page *pageRenderer
}

// newHandler returns the HTTP handler of the whole service.
func newHandler(cfg apiConfig) http.Handler {
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultReqTimeout
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = defaultMaxBody
	}
	if cfg.MaxEventBody <= 0 {
		cfg.MaxEventBody = defaultMaxEventBody
	}
	if cfg.ErrorLog == nil {
		cfg.ErrorLog = log.New(io.Discard, "", 0)
	}
	a := &api{cfg: cfg, page: newPageRenderer()}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/explain", a.explain)
	mux.HandleFunc("/v1/explain", methodNotAllowed(http.MethodPost))
	mux.HandleFunc("POST /v1/sender/check", a.senderCheck)
	mux.HandleFunc("/v1/sender/check", methodNotAllowed(http.MethodPost))
	mux.HandleFunc("POST /v1/events/{provider}", a.events)
	mux.HandleFunc("/v1/events/{provider}", methodNotAllowed(http.MethodPost))
	mux.HandleFunc("GET /v1/domains/{domain}/readiness", a.readiness)
	mux.HandleFunc("/v1/domains/{domain}/readiness", methodNotAllowed(http.MethodGet))
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such endpoint: "+r.URL.Path)
	})
	mux.HandleFunc("GET /{$}", a.index)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	})
	return a.middleware(mux)
}

// middleware gives each request its deadline, sets headers every answer
// needs, and turns a panic into a JSON 500.
func (a *api) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), a.cfg.Timeout)
		defer cancel()
		w.Header().Set("X-Content-Type-Options", "nosniff")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.cfg.ErrorLog.Printf("httpapi: panic serving %s %s: %v", r.Method, r.URL.Path, v)
				writeError(w, http.StatusInternalServerError, "internal", "internal error")
			}
		}()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// apiError is the body of every error response.
type apiError struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	// Code is a stable snake_case identifier.
	Code string `json:"code"`
	// Message says what is wrong, for a person.
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the status is sent; a write error means the client left
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, apiError{Error: errorBody{Code: code, Message: msg}})
}

func methodNotAllowed(allowed string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allowed)
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", fmt.Sprintf("%s is not allowed here; use %s", r.Method, allowed))
	}
}

// requestError is a problem with the request, with its status.
type requestError struct {
	status int
	code   string
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(code, format string, a ...any) *requestError {
	return &requestError{status: http.StatusBadRequest, code: code, msg: fmt.Sprintf(format, a...)}
}

// decodeJSON reads exactly one JSON object of at most MaxBody bytes into v,
// refusing unknown fields.
func (a *api) decodeJSON(w http.ResponseWriter, r *http.Request, v any) *requestError {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return &requestError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type", msg: "send application/json"}
		}
	}
	body := http.MaxBytesReader(w, r.Body, a.cfg.MaxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, a.cfg.MaxBody)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return jsonError(err, a.cfg.MaxBody)
		}
		return badRequest("invalid_json", "the body must hold one JSON object and nothing after it")
	}
	return nil
}

func jsonError(err error, limit int64) *requestError {
	var tooBig *http.MaxBytesError
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &tooBig):
		return &requestError{status: http.StatusRequestEntityTooLarge, code: "body_too_large", msg: fmt.Sprintf("the body is over %d bytes", limit)}
	case errors.Is(err, io.EOF):
		return badRequest("invalid_json", "the body is empty")
	case errors.As(err, &syntax):
		return badRequest("invalid_json", "the body is not valid JSON (at byte %d)", syntax.Offset)
	case errors.As(err, &typ):
		return badRequest("invalid_json", "field %q must be %s", typ.Field, typ.Type)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return badRequest("unknown_field", "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	return badRequest("invalid_json", "the body is not valid JSON")
}

// explainRequest is the body of POST /v1/explain: one reply or a list.
type explainRequest struct {
	Reply   *string  `json:"reply"`
	Replies []string `json:"replies"`
}

// explainResponse answers with the same shape as the request.
type explainResponse struct {
	Explanation  *smtperr.Explanation   `json:"explanation,omitempty"`
	Explanations []*smtperr.Explanation `json:"explanations,omitempty"`
	// SupportSummary is the single reply's explanation as plain text for
	// a ticket with the provider's support.
	SupportSummary string `json:"support_summary,omitempty"`
}

// supportSummary is the plain-text summary of a pasted reply for the
// provider's support. When the failure happened is not known here.
func supportSummary(reply string, e *smtperr.Explanation) string {
	t := &smtperr.Ticket{Step: smtperr.StepOf(reply, e), Reply: reply, Explanation: e}
	return t.String()
}

func (a *api) explain(w http.ResponseWriter, r *http.Request) {
	var req explainRequest
	if e := a.decodeJSON(w, r, &req); e != nil {
		writeError(w, e.status, e.code, e.msg)
		return
	}
	switch {
	case req.Reply != nil && req.Replies != nil:
		writeError(w, http.StatusBadRequest, "invalid_request", `give either "reply" or "replies", not both`)
		return
	case req.Reply != nil:
		if e := validReply(*req.Reply, "reply"); e != nil {
			writeError(w, e.status, e.code, e.msg)
			return
		}
		e := smtperr.ExplainReply(*req.Reply)
		writeJSON(w, http.StatusOK, explainResponse{Explanation: e, SupportSummary: supportSummary(*req.Reply, e)})
	case req.Replies != nil:
		if len(req.Replies) == 0 || len(req.Replies) > maxReplies {
			writeError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf(`"replies" must hold 1 to %d replies`, maxReplies))
			return
		}
		out := make([]*smtperr.Explanation, len(req.Replies))
		for i, reply := range req.Replies {
			if e := validReply(reply, fmt.Sprintf("replies[%d]", i)); e != nil {
				writeError(w, e.status, e.code, e.msg)
				return
			}
			out[i] = smtperr.ExplainReply(reply)
		}
		writeJSON(w, http.StatusOK, explainResponse{Explanations: out})
	default:
		writeError(w, http.StatusBadRequest, "invalid_request", `give "reply" (a string) or "replies" (a list of strings)`)
	}
}

func validReply(s, field string) *requestError {
	switch {
	case strings.TrimSpace(s) == "":
		return badRequest("invalid_request", "%s is empty", field)
	case len(s) > maxReplyBytes:
		return badRequest("invalid_request", "%s is over %d bytes", field, maxReplyBytes)
	}
	return nil
}

// senderRequest is the body of POST /v1/sender/check.
type senderRequest struct {
	Host     string   `json:"host"`
	Port     int      `json:"port"`
	Username string   `json:"username"`
	Verified []string `json:"verified"`
	From     string   `json:"from"`
	Envelope string   `json:"envelope"`
}

func (a *api) senderCheck(w http.ResponseWriter, r *http.Request) {
	var req senderRequest
	if e := a.decodeJSON(w, r, &req); e != nil {
		writeError(w, e.status, e.code, e.msg)
		return
	}
	switch {
	case strings.TrimSpace(req.Host) == "":
		writeError(w, http.StatusBadRequest, "invalid_request", `"host" is required`)
		return
	case strings.TrimSpace(req.From) == "":
		writeError(w, http.StatusBadRequest, "invalid_request", `"from" is required`)
		return
	case req.Port < 0 || req.Port > 65535:
		writeError(w, http.StatusBadRequest, "invalid_request", `"port" must be 0 to 65535`)
		return
	case len(req.Verified) > maxVerified:
		writeError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf(`"verified" holds more than %d identities`, maxVerified))
		return
	}
	res := sender.Check(sender.Config{Host: req.Host, Port: req.Port, Username: req.Username, Verified: req.Verified}, req.From, req.Envelope)
	writeJSON(w, http.StatusOK, res)
}

// readinessQuery is what GET /v1/domains/{domain}/readiness reads from the
// query string.
type readinessQuery struct {
	domain string
	opts   dnsauth.Options
}

func parseReadiness(r *http.Request) (*readinessQuery, *requestError) {
	q := &readinessQuery{domain: r.PathValue("domain")}
	if _, err := sender.ParseDomain(q.domain); err != nil || !strings.Contains(q.domain, ".") {
		return nil, badRequest("invalid_domain", "%q is not a domain name", q.domain)
	}
	v := r.URL.Query()
	for key := range v {
		switch key {
		case "smtp_host", "provider", "selector", "ip", "envelope_domain":
		default:
			return nil, badRequest("unknown_parameter", "unknown query parameter %q", key)
		}
	}
	q.opts.SMTPHost = strings.TrimSpace(v.Get("smtp_host"))
	q.opts.EnvelopeDomain = strings.TrimSpace(v.Get("envelope_domain"))
	if p := strings.TrimSpace(v.Get("provider")); p != "" {
		if _, ok := provider.Get(provider.ID(p)); !ok {
			return nil, badRequest("unknown_provider", "unknown provider %q", p)
		}
		q.opts.Provider = provider.ID(p)
	}
	for _, s := range splitValues(v["selector"]) {
		if !dnscheck.ValidName(s + "._domainkey.example") {
			return nil, badRequest("invalid_selector", "%q is not a DKIM selector", s)
		}
		q.opts.Selectors = append(q.opts.Selectors, s)
	}
	if len(q.opts.Selectors) > maxSelectors {
		return nil, badRequest("invalid_selector", "more than %d selectors", maxSelectors)
	}
	for _, s := range splitValues(v["ip"]) {
		ip, err := netip.ParseAddr(s)
		if err != nil {
			return nil, badRequest("invalid_ip", "%q is not an IP address", s)
		}
		q.opts.IPs = append(q.opts.IPs, ip)
	}
	if len(q.opts.IPs) > maxIPs {
		return nil, badRequest("invalid_ip", "more than %d IP addresses", maxIPs)
	}
	return q, nil
}

// splitValues flattens repeated and comma-separated query values.
func splitValues(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (a *api) readiness(w http.ResponseWriter, r *http.Request) {
	q, e := parseReadiness(r)
	if e != nil {
		writeError(w, e.status, e.code, e.msg)
		return
	}
	rep, err := a.checkDomain(r.Context(), q)
	if err != nil {
		e := a.checkError(r, err)
		writeError(w, e.status, e.code, e.msg)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (a *api) checkDomain(ctx context.Context, q *readinessQuery) (*dnsauth.Report, error) {
	opts := q.opts
	opts.Resolver = a.cfg.Resolver
	// Check reports a deadline that passed during the check as an error
	// wrapping context.DeadlineExceeded, never as timeouts in the report.
	return dnsauth.Check(ctx, q.domain, &opts)
}

// checkError maps a readiness failure to a status: the caller's mistake,
// the deadline, or DNS that could not be reached.
func (a *api) checkError(r *http.Request, err error) *requestError {
	var (
		de *dnscheck.DomainError
		oe *dnsauth.OptionsError
		re *dnsauth.ResolverError
	)
	switch {
	case errors.As(err, &de):
		return badRequest("invalid_domain", "%s", de.Error())
	case errors.As(err, &oe):
		return badRequest("invalid_options", "%s", oe.Error())
	case errors.As(err, &re):
		return &requestError{status: http.StatusBadGateway, code: "dns_unavailable", msg: "the DNS resolver " + re.Resolver + " did not answer, so the check could not be completed"}
	case errors.Is(err, context.DeadlineExceeded):
		return &requestError{status: http.StatusGatewayTimeout, code: "timeout", msg: "the DNS checks did not finish within " + a.cfg.Timeout.String()}
	case errors.Is(err, context.Canceled):
		return &requestError{status: http.StatusServiceUnavailable, code: "canceled", msg: "the request was cancelled"}
	}
	a.cfg.ErrorLog.Printf("httpapi: readiness check of %s: %v", strconv.Quote(r.PathValue("domain")), err)
	return &requestError{status: http.StatusBadGateway, code: "dns_unavailable", msg: "the DNS check could not run"}
}
