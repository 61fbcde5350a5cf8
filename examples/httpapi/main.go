// Command httpapi serves sendcheck's three checks over HTTP as JSON, and a
// small page for people:
//
//	httpapi [-addr 127.0.0.1:8080] [-dns-server ADDR] [-timeout 15s] [-max-body 65536]
//	        [-max-event-body 4194304] [-sendgrid-key-env VAR] [-mailgun-key-env VAR]
//	        [-resend-secret-env VAR] [-webhook-auth-env VAR] [-sns-topic ARN]...
//
// Endpoints:
//
//	POST /v1/explain                      {"reply": "..."} or {"replies": ["...", ...]}
//	POST /v1/sender/check                 {"host", "port", "username", "verified", "from", "envelope"}
//	GET  /v1/domains/{domain}/readiness   ?smtp_host=&provider=&selector=&ip=&envelope_domain=
//	POST /v1/events/{provider}            a provider's event notification (JSON), as the provider sends it
//	GET  /                                a page to paste an error or a domain
//
// POST /v1/events/{provider} takes a payload of SES (SNS), SendGrid, Mailgun,
// Postmark, SparkPost, Mailjet, Brevo or Resend ({provider} is its name, or
// "auto" to tell it from the payload) and answers {"provider", "verified",
// "records"} with one explained record per event. When any webhook key is
// given (-sendgrid-key-env and the others), payloads must carry the
// provider's signature or credentials, SES notifications a valid SNS
// signature, and the endpoint can take the provider's webhook directly; with
// none, payloads are explained without a check and "verified" is false.
//
// Request bodies are limited in size and validated; errors are JSON,
// {"error": {"code": "...", "message": "..."}}, with a fitting status
// (400, 404, 405, 413, 415, 502, 504). Each request has a deadline.
//
// It stops when interrupted.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the program; it serves until ctx ends and returns the exit status.
func run(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("httpapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dnsServer := fs.String("dns-server", "", "DNS server (ip:port) for readiness checks instead of the system's resolvers")
	timeout := fs.Duration("timeout", defaultReqTimeout, "deadline of each request")
	maxBody := fs.Int64("max-body", defaultMaxBody, "largest request body in bytes")
	maxEventBody := fs.Int64("max-event-body", defaultMaxEventBody, "largest provider event payload in bytes")
	sendgridEnv := fs.String("sendgrid-key-env", "", "environment variable holding SendGrid's event webhook verification key")
	mailgunEnv := fs.String("mailgun-key-env", "", "environment variable holding Mailgun's webhook signing key")
	resendEnv := fs.String("resend-secret-env", "", "environment variable holding Resend's webhook signing secret (whsec_...)")
	basicEnv := fs.String("webhook-auth-env", "", "environment variable holding user:password that Postmark, Mailjet and Brevo send")
	var snsTopics topicList
	fs.Var(&snsTopics, "sns-topic", "SNS topic ARN whose SES notifications are accepted (repeatable)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 0 || *timeout <= 0 || *maxBody <= 0 || *maxEventBody <= 0 {
		fmt.Fprintln(stderr, "usage: httpapi [-addr HOST:PORT] [-dns-server ADDR] [-timeout D] [-max-body N] [-max-event-body N]")
		fmt.Fprintln(stderr, "               [-sendgrid-key-env VAR] [-mailgun-key-env VAR] [-resend-secret-env VAR] [-webhook-auth-env VAR] [-sns-topic ARN]...")
		return 2
	}
	verifier, err := webhookVerifier(*sendgridEnv, *mailgunEnv, *resendEnv, *basicEnv, snsTopics)
	if err != nil {
		fmt.Fprintln(stderr, "httpapi:", err)
		return 2
	}
	errLog := log.New(stderr, "", log.LstdFlags)
	cfg := apiConfig{Timeout: *timeout, MaxBody: *maxBody, MaxEventBody: *maxEventBody, Verifier: verifier, ErrorLog: errLog}
	if *dnsServer != "" {
		c, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{*dnsServer}})
		if err != nil {
			fmt.Fprintln(stderr, "httpapi: -dns-server:", err)
			return 2
		}
		cfg.Resolver = c
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "httpapi:", err)
		return 1
	}
	srv := &http.Server{
		Handler:           newHandler(cfg),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      *timeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          errLog,
	}
	fmt.Fprintf(stdout, "httpapi: listening on http://%s/\n", ln.Addr())

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintln(stderr, "httpapi:", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintln(stderr, "httpapi: shutdown:", err)
		return 1
	}
	<-done
	return 0
}
