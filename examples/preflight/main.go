// Command preflight checks an SMTP sending setup before mail goes out:
//
//	preflight -host H [-port P] -user U (-pass-env VAR | -token-env VAR) -from FROM [-to RCPT] [-verified LIST] [-send] [-json]
//	preflight ... -fetch-verified [-key-env VAR] [-region R] [-base-url URL]
//
// It runs three checks and combines them into one verdict (ready,
// warnings, not_ready):
//
//  1. sender: may this SMTP account send as FROM, under the provider's
//     rules and the identities verified there (-verified, or with
//     -fetch-verified the list the provider's own API returns)?
//  2. domain: are SPF, DKIM and DMARC of FROM's domain ready for the
//     provider the host belongs to?
//  3. smtp: a live session with the server: TLS (implicit on port 465,
//     STARTTLS otherwise), EHLO, AUTH, MAIL FROM, RCPT TO, then RSET and
//     QUIT, so that nothing is sent. With -send a short test message is
//     delivered to RCPT (default: FROM itself), since some providers refuse
//     an unverified sender only after DATA. Any failure is explained: its
//     cause, who must act and what to change.
//
// The password is read from the environment variable named by -pass-env,
// and an OAuth 2.0 access token (for XOAUTH2 or OAUTHBEARER, as Microsoft
// 365 requires once basic authentication is off) from the one named by
// -token-env. Neither is ever a flag, and neither is printed, logged or put
// in an error: not the value, and not the variable's name either, since
// the usual mistake is to pass the secret itself as the name. Everything
// the server says is scrubbed of every form of the credentials it could
// echo, and of control characters and escape sequences, before it is
// printed.
//
// -fetch-verified reads the identities with the API key in the variable
// named by -key-env. SendGrid's SMTP password is an API key and Mailjet's
// SMTP user name and password are its API key pair, so for those two
// -key-env may be left out and the SMTP credentials are used. -base-url
// points the API calls at a test double or a private endpoint.
//
// -dns-server names the DNS server to ask instead of those of
// /etc/resolv.conf. -timeout bounds the whole check (default 10s); each
// SMTP step has its own -step-timeout within it.
//
// The exit status is 0 when the verdict is ready or warnings, 1 when it is
// not_ready, 2 for bad usage, and 3 when the DNS check could not be
// completed: the resolver is unreachable or silent, or the deadline passed.
// The report is still printed, and one line on standard error says why,
// naming the resolver.
package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sendcheck/sendcheck/dnsauth"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/examples/preflight/preflight"
	"github.com/sendcheck/sendcheck/sender/identities"
	"github.com/sendcheck/sendcheck/sender/provider"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the program; it returns the exit status.
func run(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("preflight", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "", "SMTP submission host (selects the provider)")
	port := fs.Int("port", 587, "SMTP port (465 means implicit TLS)")
	user := fs.String("user", "", "SMTP AUTH username")
	passEnv := fs.String("pass-env", "", "name of the environment variable holding the SMTP password")
	tokenEnv := fs.String("token-env", "", "name of the environment variable holding an OAuth 2.0 access token (XOAUTH2, OAUTHBEARER)")
	from := fs.String("from", "", "From address to check, as the user typed it")
	to := fs.String("to", "", "recipient for RCPT TO and the test message (default: the From address)")
	verified := fs.String("verified", "", "comma-separated identities verified at the provider (addresses, domains, *@domain)")
	send := fs.Bool("send", false, "deliver a short test message (default: probe only, nothing is sent)")
	asJSON := fs.Bool("json", false, "print one JSON document")
	// For offline use and tests.
	connect := fs.String("connect", "", "dial this ip:port instead of host:port (the certificate is still checked for -host)")
	tlsMode := fs.String("tls", "auto", "TLS: auto (implicit on 465, else STARTTLS), implicit or starttls")
	caFile := fs.String("ca", "", "PEM file of certificates to trust instead of the system roots")
	dnsServer := fs.String("dns-server", "", "DNS server (ip:port) to ask instead of the system's resolvers")
	selectors := fs.String("selector", "", "comma-separated DKIM selectors in use")
	timeout := fs.Duration("timeout", 10*time.Second, "deadline of the whole check")
	stepTimeout := fs.Duration("step-timeout", 20*time.Second, "time allowed for each SMTP step")
	fetch := fs.Bool("fetch-verified", false, "read the verified identities from the provider's API")
	keyEnv := fs.String("key-env", "", "with -fetch-verified: the environment variable holding the API key (default for SendGrid and Mailjet: the SMTP credentials)")
	region := fs.String("region", "", "with -fetch-verified: the provider's region, when the host does not say")
	baseURL := fs.String("base-url", "", "with -fetch-verified: the API address instead of the provider's (https, or http to loopback)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: preflight -host H [-port P] -user U (-pass-env VAR | -token-env VAR) -from FROM [-to RCPT] [-verified LIST] [-send] [-json]")
		fmt.Fprintln(stderr, "                 [-fetch-verified [-key-env VAR] [-region R] [-base-url URL]]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "preflight: "+format+"\n", a...)
		fs.Usage()
		return 2
	}
	if fs.NArg() != 0 {
		// The arguments are not echoed: one of them may be a password.
		return usage("unexpected arguments after the flags (the password is never an argument: put it in an environment variable and name it with -pass-env)")
	}
	switch {
	case strings.TrimSpace(*host) == "":
		return usage("-host is required")
	case strings.TrimSpace(*user) == "":
		return usage("-user is required")
	case strings.TrimSpace(*from) == "":
		return usage("-from is required")
	case *passEnv == "" && *tokenEnv == "":
		return usage("-pass-env or -token-env is required: the name of the environment variable that holds the password or the OAuth access token")
	case *port <= 0 || *port > 65535:
		return usage("-port %d out of range", *port)
	case *timeout <= 0 || *stepTimeout <= 0:
		return usage("-timeout and -step-timeout must be positive")
	}
	// The variable's name is not echoed: the usual mistake is to give the
	// secret itself as the name.
	var password, token string
	if *passEnv != "" {
		if password = os.Getenv(*passEnv); password == "" {
			return usage("the environment variable named by -pass-env is not set or empty (give the name of the variable that holds the password, not the password itself)")
		}
	}
	if *tokenEnv != "" {
		if token = os.Getenv(*tokenEnv); token == "" {
			return usage("the environment variable named by -token-env is not set or empty (give the name of the variable that holds the token, not the token itself)")
		}
	}
	mode, err := preflight.ParseTLSMode(*tlsMode)
	if err != nil {
		return usage("%v", err)
	}

	cfg := &preflight.Config{
		Host: strings.TrimSpace(*host), Port: *port, Connect: *connect,
		Username: *user, Password: password, Token: token,
		From: *from, To: *to, Verified: splitList(*verified),
		Send: *send, TLS: mode, Selectors: splitList(*selectors),
		StepTimeout: *stepTimeout,
	}
	if *fetch {
		key, err := apiKey(cfg, *keyEnv)
		if err != nil {
			return usage("%v", err)
		}
		l, err := identities.NewForHost(cfg.Host, key, &identities.Options{Region: *region, BaseURL: *baseURL})
		if err != nil {
			return usage("-fetch-verified: %v", err)
		}
		cfg.Identities = l
	} else if *keyEnv != "" || *baseURL != "" {
		return usage("-key-env and -base-url are used only with -fetch-verified")
	}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return usage("reading -ca: %v", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return usage("-ca %s holds no PEM certificate", *caFile)
		}
		cfg.RootCAs = pool
	}
	var copts *dnscheck.ClientOptions
	if *dnsServer != "" {
		copts = &dnscheck.ClientOptions{Servers: []string{*dnsServer}}
	}
	client, err := dnscheck.NewClient(copts)
	if err != nil {
		if *dnsServer != "" {
			return usage("-dns-server: %v", err)
		}
		fmt.Fprintln(stderr, "preflight: could not complete the check: no DNS resolver:", err)
		return 3
	}
	cfg.Resolver = client

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	rep := preflight.Run(ctx, cfg)

	if *asJSON {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(stderr, "preflight:", err)
			return 1
		}
		stdout.Write(terminalSafeJSON(buf.Bytes()))
	} else {
		preflight.WriteText(stdout, rep)
	}
	// An interrupt (a cancelled context) is not a resolver's failure: the
	// report says what was left undone, and the status stays 1.
	if err := rep.DomainErr(); err != nil && !isUsage(err) && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, incompleteLine(err, *timeout, strings.Join(client.Servers(), ", ")))
		return 3
	}
	if !rep.OK() {
		return 1
	}
	return 0
}

// isUsage reports whether err from the DNS check is about its input, not
// about the resolver: then the report's domain stage says what is wrong.
func isUsage(err error) bool {
	var (
		de *dnscheck.DomainError
		oe *dnsauth.OptionsError
	)
	return errors.As(err, &de) || errors.As(err, &oe)
}

// incompleteLine says in one line why the DNS check did not complete,
// naming the resolver.
func incompleteLine(err error, timeout time.Duration, resolver string) string {
	var re *dnsauth.ResolverError
	switch {
	case errors.As(err, &re):
		return fmt.Sprintf("preflight: could not complete the check: the DNS resolver %s did not answer (%s)", re.Resolver, re.Detail)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("preflight: could not complete the check within %v: the DNS resolver %s answered too slowly", timeout, resolver)
	}
	return fmt.Sprintf("preflight: could not complete the check (DNS resolver %s): %s", resolver, oneLine(err.Error()))
}

// oneLine folds s onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// apiKey returns the key for the provider's identity API: the variable
// named by keyEnv, or the SMTP credentials where they are an API key.
func apiKey(cfg *preflight.Config, keyEnv string) (identities.Secret, error) {
	if keyEnv != "" {
		// As for -pass-env, the name is not echoed.
		v := os.Getenv(keyEnv)
		if strings.TrimSpace(v) == "" {
			return identities.Secret{}, errors.New("the environment variable named by -key-env is not set or empty")
		}
		return identities.NewSecret(v), nil
	}
	id, _, _ := identities.ForHost(cfg.Host)
	switch {
	case id == provider.SendGrid && cfg.Password != "":
		return identities.NewSecret(cfg.Password), nil
	case id == provider.Mailjet && cfg.Password != "":
		return identities.NewSecret(cfg.Username + ":" + cfg.Password), nil
	}
	return identities.Secret{}, errors.New("-fetch-verified needs -key-env for this provider: its SMTP password cannot call its API")
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// terminalSafeJSON escapes, in JSON text, the characters encoding/json
// writes as they are but a terminal may act on or hide: C1 controls (0x9b
// starts an escape sequence on some terminals) and invisible format
// characters. The JSON means the same; only its spelling changes.
func terminalSafeJSON(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if (r >= 0x80 && r < 0xa0) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) {
			if r > 0xffff {
				r1, r2 := utf16.EncodeRune(r)
				out = fmt.Appendf(out, "\\u%04x\\u%04x", r1, r2)
			} else {
				out = fmt.Appendf(out, "\\u%04x", r)
			}
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}
