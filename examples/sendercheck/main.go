// Command sendercheck tells whether a From address may be used with an SMTP
// account, before anything is sent.
//
//	sendercheck -host H -user U [-verified a@x.com,x.org] [-envelope ADDR] [-json] FROM
//
// It prints the verdict (allowed, rewritten, rejected, undeliverable or unknown), the
// reason code, the matched identity and a suggestion. With -json it prints
// one JSON object. FROM "-" reads one From per line from standard input
// (one result, or one JSON object, per line). The exit status is 0 when
// every From is allowed, 1 otherwise, and 2 for bad usage.
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

	"github.com/sendcheck/sendcheck/sender"
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
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: sendercheck -host H [-user U] [-verified LIST] [-envelope ADDR] [-json] FROM")
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
	line("confidence", string(r.Confidence))
	line("detail", r.Detail)
	line("suggestion", r.Suggestion)
	for _, wn := range r.Warnings {
		line("warning", fmt.Sprintf("%s: %s", wn.Code, wn.Message))
	}
	for _, u := range r.Unverified {
		line("unverified", u)
	}
}
