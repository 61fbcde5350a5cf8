// Command sendercheck tells whether a From address may be used with an SMTP
// account, before anything is sent.
//
//	sendercheck -host H -user U [-verified a@x.com,x.org] [-envelope ADDR] [-json] FROM
//	sendercheck -host H -user U -fetch-verified -key-env VAR [-region R] [-base-url URL] [-timeout D] [-json] FROM
//
// With -fetch-verified the verified identities are read from the
// provider's own API (the provider and region follow from -host) with the
// key in the environment variable named by -key-env, instead of being
// typed with -verified; the verdict then rests on the provider's list. A
// key that may send but not read the list falls back to -verified, and
// says so.
//
// It prints the verdict (allowed, rewritten, rejected, undeliverable or unknown), the
// reason code, the matched identity and a suggestion. With -json it prints
// one JSON object. FROM "-" reads one From per line from standard input
// (one result, or one JSON object, per line). The exit status is 0 when
// every From is allowed, 1 otherwise, 2 for bad usage, and 3 when the
// provider's API could not be read.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/identities"
	"github.com/sendcheck/sendcheck/sender/provider"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the program; it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sendercheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "", "SMTP submission host (selects the provider)")
	port := fs.Int("port", 587, "SMTP port")
	user := fs.String("user", "", "SMTP AUTH username")
	verified := fs.String("verified", "", "comma-separated identities verified at the provider (addresses, domains, *@domain)")
	envelope := fs.String("envelope", "", "envelope sender (MAIL FROM), if it differs from the From")
	asJSON := fs.Bool("json", false, "print JSON")
	fetch := fs.Bool("fetch-verified", false, "read the verified identities from the provider's API (needs -key-env)")
	keyEnv := fs.String("key-env", "", "with -fetch-verified: the environment variable holding the provider's API key or token")
	region := fs.String("region", "", "with -fetch-verified: the provider's region, when the host does not say")
	baseURL := fs.String("base-url", "", "with -fetch-verified: the API address instead of the provider's (a test double; https, or http to loopback)")
	timeout := fs.Duration("timeout", 30*time.Second, "with -fetch-verified: time allowed to read the identities")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sendercheck -host H [-user U] [-verified LIST] [-envelope ADDR] [-json] FROM")
		fmt.Fprintln(stderr, "       sendercheck -host H [-user U] -fetch-verified -key-env VAR [-region R] [-base-url URL] [-timeout D] [-json] FROM")
		fmt.Fprintln(stderr, "       FROM \"-\" reads one From per line from standard input")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 1 || strings.TrimSpace(*host) == "" {
		if strings.TrimSpace(*host) == "" {
			fmt.Fprintln(stderr, "sendercheck: -host is required")
		} else {
			fmt.Fprintf(stderr, "sendercheck: want exactly one FROM argument, got %d\n", fs.NArg())
		}
		fs.Usage()
		return 2
	}
	if *port <= 0 || *port > 65535 {
		fmt.Fprintf(stderr, "sendercheck: -port %d out of range\n", *port)
		return 2
	}
	cfg := sender.Config{Host: *host, Port: *port, Username: *user}
	for _, v := range strings.Split(*verified, ",") {
		if v = strings.TrimSpace(v); v != "" {
			cfg.Verified = append(cfg.Verified, v)
		}
	}
	if *fetch {
		if code := fetchVerified(ctx, &cfg, *keyEnv, &identities.Options{Region: *region, BaseURL: *baseURL}, *timeout, stderr); code != 0 {
			if code == 2 {
				fs.Usage()
			}
			return code
		}
	} else if *keyEnv != "" {
		fmt.Fprintln(stderr, "sendercheck: -key-env is used only with -fetch-verified")
		fs.Usage()
		return 2
	}

	var froms []string
	if fs.Arg(0) == "-" {
		sc := bufio.NewScanner(stdin)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			if err := ctx.Err(); err != nil {
				fmt.Fprintln(stderr, "sendercheck:", err)
				return 1
			}
			if line := strings.TrimSpace(sc.Text()); line != "" {
				froms = append(froms, line)
			}
		}
		if err := sc.Err(); err != nil {
			fmt.Fprintln(stderr, "sendercheck: reading standard input:", err)
			return 2
		}
		if len(froms) == 0 {
			fmt.Fprintln(stderr, "sendercheck: no From on standard input")
			return 2
		}
	} else {
		froms = []string{fs.Arg(0)}
	}

	status := 0
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for i, from := range froms {
		r := sender.Check(cfg, from, *envelope)
		if r.Verdict != sender.VerdictAllowed {
			status = 1
		}
		if *asJSON {
			if err := enc.Encode(r); err != nil {
				fmt.Fprintln(stderr, "sendercheck:", err)
				return 1
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		printText(stdout, r)
	}
	return status
}

// fetchVerified reads the account's identities from the provider's API
// into cfg.Listed. It returns 0, or the exit status: 2 for bad usage, 3
// when the API could not be read.
func fetchVerified(ctx context.Context, cfg *sender.Config, keyEnv string, opts *identities.Options, timeout time.Duration, stderr io.Writer) int {
	if keyEnv == "" {
		fmt.Fprintln(stderr, "sendercheck: -fetch-verified needs -key-env, the environment variable holding the API key")
		return 2
	}
	if timeout <= 0 {
		fmt.Fprintln(stderr, "sendercheck: -timeout must be positive")
		return 2
	}
	key, ok := os.LookupEnv(keyEnv)
	if !ok || strings.TrimSpace(key) == "" {
		fmt.Fprintf(stderr, "sendercheck: environment variable %s is not set or empty\n", keyEnv)
		return 2
	}
	l, err := identities.NewForHost(cfg.Host, identities.NewSecret(key), opts)
	if err != nil {
		fmt.Fprintln(stderr, "sendercheck:", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	res, err := l.List(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "sendercheck:", err)
		var e *identities.APIError
		if errors.As(err, &e) {
			fmt.Fprintf(stderr, "  %s\n  action: %s\n", e.Summary, e.Action)
		}
		return 3
	}
	if res.ScopeMissing {
		for _, n := range res.Notes {
			fmt.Fprintln(stderr, "sendercheck: note:", n)
		}
	}
	cfg.Listed = &res.IdentityList
	return 0
}

// printText writes the readable report.
func printText(w io.Writer, r *sender.Result) {
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-11s %s\n", k+":", v)
		}
	}
	line("verdict", string(r.Verdict))
	line("reason", string(r.Reason))
	line("provider", fmt.Sprintf("%s (%s)", r.ProviderName, r.Provider))
	line("from", r.From)
	line("envelope", r.Envelope)
	line("judged", r.Judged)
	line("identities", string(r.IdentitySource))
	matched := r.Matched
	if matched == "" {
		matched = "(none)"
	}
	line("matched", matched)
	if len(r.Relaxed) > 0 {
		parts := make([]string, len(r.Relaxed))
		for i, x := range r.Relaxed {
			parts[i] = string(x)
		}
		line("relaxed", strings.Join(parts, ", "))
	}
	line("certainty", certaintyText(r))
	line("rules from", rulesSource(r.Confidence))
	line("detail", r.Detail)
	line("suggestion", r.Suggestion)
	for _, wn := range r.Warnings {
		line("warning", fmt.Sprintf("%s: %s", wn.Code, wn.Message))
	}
	for _, u := range r.Unverified {
		line("unverified", u)
	}
}

// rulesSource says in words where the provider rule behind the verdict
// comes from.
func rulesSource(c provider.Confidence) string {
	switch c {
	case provider.ConfidenceDoc:
		return "the provider's own documentation"
	case provider.ConfidenceObs:
		return "replies seen from the provider"
	case provider.Confidence3P:
		return "a third-party guide"
	case provider.ConfidenceUnverified:
		return "an unconfirmed rule"
	}
	return "no provider rule"
}

// certaintyText says how sure the verdict is and why, in words.
func certaintyText(r *sender.Result) string {
	why := ""
	switch {
	case r.Verdict == sender.VerdictUnknown:
		why = "the verdict is unknown"
	case r.Certainty == sender.CertaintyLow:
		why = "it rests on an unconfirmed rule"
	case r.IdentitySource == sender.SourceProviderAPI:
		why = "judged against " + r.ProviderName + "'s own list of identities"
	case r.Certainty == sender.CertaintyMedium && r.IdentitySource == sender.SourceCaller:
		why = "judged against the identities given by hand, which may differ from " + r.ProviderName + "'s list"
	case r.Certainty == sender.CertaintyMedium:
		why = "the rule behind it is known only from third-party guides"
	}
	if why == "" {
		return string(r.Certainty)
	}
	return string(r.Certainty) + " (" + why + ")"
}
