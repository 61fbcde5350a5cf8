// Package preflight checks an SMTP sending setup before mail goes out:
// whether the provider lets the account send as the From address
// (package sender), whether the From domain's SPF, DKIM and DMARC are ready
// for that provider (package dnsauth), and whether the server really
// accepts the account and the sender, in a live SMTP session that sends
// nothing unless asked (go-smtp, failures explained by package smtperr).
//
// It is the library behind the preflight and demo example programs.
package preflight

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/identities"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// Config describes the sending setup to check.
type Config struct {
	// Host and Port are the SMTP submission server; Port 0 means 587.
	// Host also selects the provider for the sender and DNS checks.
	Host string
	Port int
	// Connect, when set, is the "ip:port" to dial instead of Host:Port.
	Connect string
	// Username and Password are the SMTP AUTH credentials. The password
	// never appears in the report.
	Username string
	Password string
	// Token is an OAuth 2.0 access token, used with XOAUTH2 or
	// OAUTHBEARER when the server offers them (Microsoft 365 without basic
	// authentication). It never appears in the report.
	Token string
	// From is the From address as the user typed it (a display name is
	// allowed).
	From string
	// To is the recipient for RCPT TO (and of the test message); "" means
	// the From address itself.
	To string
	// Verified lists the identities verified at the provider.
	Verified []string
	// Identities, when set, reads the account's identities from the
	// provider's API (see sender/identities) before the sender check,
	// which then judges against the provider's list instead of Verified.
	Identities identities.Lister
	// Send makes the probe deliver a short test message.
	Send bool
	// TLS selects how the probe secures the connection.
	TLS TLSMode
	// RootCAs, when not nil, replaces the system roots for the server's
	// certificate.
	RootCAs *x509.CertPool
	// Resolver answers the DNS questions; nil means dnsauth's default
	// client on the system's resolvers.
	Resolver dnscheck.Resolver
	// Selectors are DKIM selectors known to be in use.
	Selectors []string
	// StepTimeout bounds each SMTP step; 0 means 20 seconds.
	StepTimeout time.Duration
	// Now returns the time for the test message's Date field and the
	// time a failure is stamped with; nil means time.Now.
	Now func() time.Time
}

// Verdict is the combined outcome.
type Verdict string

// Verdicts.
const (
	// VerdictReady: every check passed.
	VerdictReady Verdict = "ready"
	// VerdictWarnings: mail will go out, but something deserves attention
	// (an uncertain sender verdict, DNS warnings).
	VerdictWarnings Verdict = "warnings"
	// VerdictNotReady: mail will fail or be rejected until something is
	// fixed.
	VerdictNotReady Verdict = "not_ready"
)

// Status is the outcome of one check.
type Status string

// Check outcomes.
const (
	StatusOK      Status = "ok"
	StatusWarning Status = "warning"
	StatusFailed  Status = "failed"
	StatusSkipped Status = "skipped"
)

// Stage is the one-line result of one of the three checks.
type Stage struct {
	// Name is "sender", "domain" or "smtp".
	Name string `json:"name"`
	// Status is the outcome.
	Status Status `json:"status"`
	// Summary says why, in one line.
	Summary string `json:"summary"`
}

// Report is the result of [Run].
type Report struct {
	// Verdict is the combined outcome.
	Verdict Verdict `json:"verdict"`
	// Stages are the three checks, in order: sender, domain, smtp.
	Stages []Stage `json:"stages"`
	// Sender is the sender check.
	Sender *sender.Result `json:"sender"`
	// Domain is the DNS readiness report of the From domain, nil when the
	// check could not run (DomainError says why).
	Domain      *dnsauth.Report `json:"domain"`
	DomainError string          `json:"domain_error,omitempty"`
	// SMTP is the live probe.
	SMTP *ProbeResult `json:"smtp"`
	// Identities is the list read through Config.Identities, and
	// IdentitiesError why it could not be read (the sender check then
	// used Config.Verified).
	Identities      *identities.Result `json:"identities,omitempty"`
	IdentitiesError string             `json:"identities_error,omitempty"`

	domainErr error
}

// OK reports whether nothing stops mail from going out.
func (r *Report) OK() bool { return r.Verdict != VerdictNotReady }

// DomainErr returns the error that kept the DNS check of the From domain
// from completing, as [dnsauth.Check] returned it (so that errors.As finds
// a *dnsauth.ResolverError and errors.Is finds the context's error), or nil
// when the check completed or was skipped because From does not parse.
func (r *Report) DomainErr() error { return r.domainErr }

// Run runs the three checks and combines them. It never returns nil.
func Run(ctx context.Context, cfg *Config) *Report {
	rep := &Report{}
	port := cfg.Port
	if port == 0 {
		port = 587
	}

	// 1. Sender, against the provider's own list when it can be read.
	scfg := sender.Config{Host: cfg.Host, Port: port, Username: cfg.Username, Verified: cfg.Verified}
	if cfg.Identities != nil {
		res, err := cfg.Identities.List(ctx)
		var ae *identities.APIError
		switch {
		case errors.As(err, &ae):
			rep.IdentitiesError = ae.Error() + " " + ae.Action
		case err != nil:
			rep.IdentitiesError = err.Error()
		default:
			rep.Identities = res
			scfg.Listed = &res.IdentityList
		}
	}
	rep.Sender = sender.Check(scfg, cfg.From, "")
	sst := senderStage(rep.Sender)
	if rep.IdentitiesError != "" {
		sst.Summary += "; the provider's identities could not be read"
		if sst.Status == StatusOK {
			sst.Status = StatusWarning
		}
	}
	rep.Stages = append(rep.Stages, sst)

	from, fromErr := sender.ParseAddress(cfg.From)

	// 2. Domain, while the SMTP probe runs: both wait on the network.
	domainDone := make(chan Stage, 1)
	go func() {
		if fromErr != nil {
			rep.DomainError = "the From address does not parse: " + fromErr.Error()
			domainDone <- Stage{Name: "domain", Status: StatusSkipped, Summary: rep.DomainError}
			return
		}
		opts := &dnsauth.Options{Resolver: cfg.Resolver, SMTPHost: cfg.Host, Selectors: cfg.Selectors}
		if rep.Sender.Provider != "" && rep.Sender.Provider != provider.Generic {
			opts.Provider = rep.Sender.Provider
		}
		dr, err := dnsauth.Check(ctx, from.Domain.ASCII(), opts)
		if err != nil {
			rep.domainErr = err
			rep.DomainError = err.Error()
			domainDone <- Stage{Name: "domain", Status: StatusFailed, Summary: "the DNS check could not run: " + err.Error()}
			return
		}
		rep.Domain = dr
		domainDone <- domainStage(dr)
	}()

	// 3. SMTP.
	envelope := strings.TrimSpace(cfg.From)
	headerFrom := envelope
	domain := "localhost"
	if fromErr == nil {
		envelope = from.ASCII()
		if from.NeedsSMTPUTF8() {
			envelope = from.Unicode()
		}
		headerFrom = from.String()
		domain = from.Domain.ASCII()
	}
	to := strings.TrimSpace(cfg.To)
	if to == "" {
		to = envelope
	}
	pc := &ProbeConfig{
		Host: cfg.Host, Port: port, Connect: cfg.Connect,
		Username: cfg.Username, Password: cfg.Password, Token: cfg.Token,
		From: envelope, To: to,
		TLS: cfg.TLS, RootCAs: cfg.RootCAs, StepTimeout: cfg.StepTimeout,
		Now: cfg.Now,
	}
	if cfg.Send {
		now := time.Now
		if cfg.Now != nil {
			now = cfg.Now
		}
		pc.Message = testMessage(headerFrom, to, domain, now())
	}
	probe := Probe(ctx, pc)
	st := smtpStage(probe, cfg.Send)
	if st.Status == StatusOK && !cfg.Send && rep.Sender.Verdict == sender.VerdictRejected {
		st.Summary += "; many providers refuse an unverified sender only after DATA, so a probe that sends nothing cannot show it (send a test message to be sure)"
	}
	// The domain goroutine writes rep.Domain and rep.DomainError; read
	// them only after it has finished.
	rep.Stages = append(rep.Stages, <-domainDone, st)
	rep.SMTP = probe

	rep.Verdict = VerdictReady
	for _, st := range rep.Stages {
		switch st.Status {
		case StatusFailed:
			rep.Verdict = VerdictNotReady
		case StatusWarning, StatusSkipped:
			if rep.Verdict == VerdictReady {
				rep.Verdict = VerdictWarnings
			}
		}
	}
	return rep
}

func senderStage(r *sender.Result) Stage {
	st := Stage{Name: "sender"}
	switch r.Verdict {
	case sender.VerdictAllowed:
		st.Status = StatusOK
	case sender.VerdictRejected, sender.VerdictUndeliverable:
		st.Status = StatusFailed
	default:
		st.Status = StatusWarning
	}
	st.Summary = fmt.Sprintf("%s (%s)", r.Verdict, r.Reason)
	if r.Matched != "" {
		st.Summary += ": matches " + r.Matched
	} else if r.Detail != "" {
		st.Summary += ": " + r.Detail
	}
	return st
}

func domainStage(r *dnsauth.Report) Stage {
	st := Stage{Name: "domain", Status: StatusOK}
	errs, warns := r.Count(dnscheck.SeverityError), r.Count(dnscheck.SeverityWarning)
	switch {
	case errs > 0:
		st.Status = StatusFailed
	case warns > 0:
		st.Status = StatusWarning
	}
	var codes []string
	for _, f := range r.Findings {
		if f.Severity == dnscheck.SeverityError || f.Severity == dnscheck.SeverityWarning {
			codes = append(codes, string(f.Code))
		}
	}
	st.Summary = fmt.Sprintf("%s: %s, %s", r.Domain, plural(errs, "error"), plural(warns, "warning"))
	if len(codes) > 0 {
		st.Summary += " (" + strings.Join(dedupe(codes), ", ") + ")"
	}
	return st
}

func smtpStage(p *ProbeResult, send bool) Stage {
	st := Stage{Name: "smtp", Status: StatusOK}
	if !p.OK {
		st.Status = StatusFailed
		st.Summary = p.FailedStep + " failed"
		if e := p.Explanation; e != nil {
			st.Summary += ": " + string(e.Cause) + ": " + e.Summary
		}
		return st
	}
	if send {
		st.Summary = "test message accepted"
	} else {
		st.Summary = "account and sender accepted; nothing sent"
	}
	st.Summary += fmt.Sprintf(" (TLS %s, AUTH %s)", p.TLS, p.Auth)
	return st
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// testMessage builds the short message sent with Config.Send.
func testMessage(from, to, domain string, now time.Time) []byte {
	oneLine := strings.NewReplacer("\r", " ", "\n", " ")
	from, to = oneLine.Replace(from), oneLine.Replace(to)
	var b strings.Builder
	b.WriteString("From: " + from + "\r\n")
	b.WriteString("To: " + to + "\r\n")
	b.WriteString("Subject: sendcheck preflight test\r\n")
	b.WriteString("Date: " + now.Format(time.RFC1123Z) + "\r\n")
	b.WriteString("Message-ID: " + newMessageID(domain) + "\r\n")
	b.WriteString("MIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: text/plain; charset=utf-8\r\n")
	b.WriteString("\r\n")
	b.WriteString("This is a test message sent by the sendcheck preflight check\r\n")
	b.WriteString("to confirm that this account may send as " + from + ".\r\n")
	return []byte(b.String())
}
