// Command identities lists the sender identities (verified addresses and
// domains) that a provider's API reports for an account:
//
//	identities -provider P -key-env VAR [-region R] [-user U] [-base-url URL] [-timeout D] [-json]
//
// P is one of sendgrid, ses, mailgun, postmark, brevo, mailjet, sparkpost,
// resend, gmail (or google-workspace) and microsoft365 (or outlook). The
// key is read from the environment variable named by -key-env; it is
// never a flag, and never printed. Its form depends on the provider: an
// API key; "API_KEY:SECRET_KEY" for Mailjet;
// "ACCESS_KEY_ID:SECRET_ACCESS_KEY" for Amazon SES; an OAuth access token
// for Gmail and Microsoft 365; a Postmark account token.
//
// The report lists each identity with its status (verified, pending,
// failed), DKIM and return-path status where the provider reports them,
// then what the provider's list leaves out (sandbox, Send As rights). With
// -json it prints one JSON object per identity, with at least identity,
// kind (address, domain) and status.
//
// The exit status is 0 when every identity listed is verified, 1 when
// some are not, none are listed, or the key may not read them, 2 for bad
// usage, and 3 when the API could not be read (the message says why and
// what to do).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/identities"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the program; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("identities", flag.ContinueOnError)
	fs.SetOutput(stderr)
	prov := fs.String("provider", "", "provider: "+providerNames())
	keyEnv := fs.String("key-env", "", "name of the environment variable holding the API key or token")
	region := fs.String("region", "", "region: an AWS region for ses (default us-east-1); us or eu for mailgun, sparkpost and sendgrid")
	user := fs.String("user", "", "gmail and microsoft365: the user to read (default: the token's own user)")
	baseURL := fs.String("base-url", "", "API address instead of the provider's (a test double or a private endpoint; https, or http to loopback)")
	timeout := fs.Duration("timeout", 60*time.Second, "time allowed for the whole listing")
	asJSON := fs.Bool("json", false, "print one JSON object per identity")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: identities -provider P -key-env VAR [-region R] [-user U] [-base-url URL] [-timeout D] [-json]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "identities: "+format+"\n", a...)
		fs.Usage()
		return 2
	}
	switch {
	case fs.NArg() != 0:
		// Not echoed: one of them may be a key.
		return usage("unexpected arguments after the flags (the key is never an argument: put it in an environment variable and name it with -key-env)")
	case *prov == "":
		return usage("-provider is required")
	case *keyEnv == "":
		return usage("-key-env is required: the name of the environment variable that holds the key")
	case *timeout <= 0:
		return usage("-timeout must be positive")
	}
	key, ok := os.LookupEnv(*keyEnv)
	if !ok || strings.TrimSpace(key) == "" {
		return usage("environment variable %s is not set or empty", *keyEnv)
	}
	id, err := identities.ParseProvider(*prov)
	if err != nil {
		return usage("-provider %q: want one of %s", *prov, providerNames())
	}
	l, err := identities.New(id, identities.NewSecret(key), &identities.Options{BaseURL: *baseURL, Region: *region, User: *user})
	if err != nil {
		return usage("%v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	res, err := l.List(ctx)
	if err != nil {
		fmt.Fprintln(stderr, err)
		var e *identities.APIError
		if errors.As(err, &e) {
			fmt.Fprintf(stderr, "  %s\n  action: %s\n", e.Summary, e.Action)
		}
		return 3
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for _, li := range res.Identities {
			if err := enc.Encode(li); err != nil {
				fmt.Fprintln(stderr, "identities:", err)
				return 3
			}
		}
		if res.Sandbox {
			fmt.Fprintln(stderr, "note: the account is in the sandbox: every recipient must be verified too")
		}
		for _, n := range res.Notes {
			fmt.Fprintln(stderr, "note:", n)
		}
	} else {
		writeText(stdout, res)
	}
	if res.ScopeMissing || len(res.Identities) == 0 {
		return 1
	}
	for _, li := range res.Identities {
		if li.Status != sender.StatusVerified {
			return 1
		}
	}
	return 0
}

func providerNames() string {
	var names []string
	for _, p := range identities.Providers() {
		names = append(names, string(p))
	}
	return strings.Join(names, ", ")
}

// writeText writes the readable report.
func writeText(w io.Writer, res *identities.Result) {
	where := string(res.Provider)
	if res.Region != "" {
		where += " (" + res.Region + ")"
	}
	switch {
	case res.ScopeMissing:
		fmt.Fprintf(w, "%s: the key may not read the sender identities.\n", where)
	case len(res.Identities) == 0:
		fmt.Fprintf(w, "%s: no sender identities: nothing can be sent until one is verified.\n", where)
	default:
		fmt.Fprintf(w, "%s: %d sender identities\n", where, len(res.Identities))
		width := 0
		for _, li := range res.Identities {
			width = max(width, len(li.Identity))
		}
		for _, li := range res.Identities {
			fmt.Fprintf(w, "  %-*s  %-7s  %-8s", width, li.Identity, li.Kind, li.Status)
			if li.DKIM != "" {
				fmt.Fprintf(w, "  dkim=%s", li.DKIM)
			}
			if li.ReturnPath != "" {
				fmt.Fprintf(w, "  return-path=%s", li.ReturnPath)
			}
			if li.ProviderStatus != "" {
				fmt.Fprintf(w, "  (%s)", li.ProviderStatus)
			}
			fmt.Fprintln(w)
		}
	}
	if res.Sandbox {
		fmt.Fprintln(w, "sandbox: the account sends only to verified recipients: every recipient must be verified too")
	}
	if q := res.Quota; q != nil {
		fmt.Fprintf(w, "quota: %.0f per 24 hours (%.0f sent), %.0f per second\n", q.Max24Hour, q.SentLast24Hours, q.MaxPerSecond)
	}
	for _, n := range res.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}
