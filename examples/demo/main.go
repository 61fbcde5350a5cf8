// Command demo runs the whole sendcheck story offline, with nothing but Go:
//
//	go run ./examples/demo
//
// A mailer's customer sends through Amazon SES. The account has verified
// the domain shop.example, and someone now also sends as promo.example,
// which was set up for another provider years ago. The demo starts, in
// this process and on loopback only:
//
//   - a DNS server holding the two domains (shop.example healthy,
//     promo.example with SPF and DMARC mistakes), asked through dnsauth's
//     real client;
//   - an SMTP server that behaves like Amazon SES: STARTTLS with its own
//     certificate, AUTH for one account, mail accepted from the verified
//     domain and refused after DATA, with SES's own reply, from any other;
//   - an HTTP server that answers like the SES API v2 for the account, so
//     that the sender checks judge against the identities SES itself
//     lists (read by sender/identities through the AWS SDK), not a list
//     typed by hand.
//
// It then runs the preflight check for both senders (sender rules, DNS
// readiness, a live SMTP probe that sends nothing), sends one message from
// each as a mailer would, and prints what the user would see: verdicts,
// DNS findings with the records to publish, and the explanation of the
// rejection. Last, the provider accepts a message for an address that no
// longer exists and mails a bounce back later; the demo reads the bounce
// with smtperr/bounce and shows the same explanation smtperr gives for
// the reply at send time.
//
// -timeout bounds the whole demo (default 10s). The exit status is 0 when
// the story came out as it should (the healthy sender ready and delivered,
// the other refused and explained, the late bounce read and explained
// alike), 1 otherwise, 2 for bad usage, and 3 when the demo could not be
// completed: its DNS resolver did not answer or the deadline passed; one
// line on standard error then says so, naming the resolver.
package main

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/sendcheck/sendcheck/dnsauth"
	"github.com/sendcheck/sendcheck/dnsauth/dnsauthtest"
	"github.com/sendcheck/sendcheck/dnsauth/dnscheck"
	"github.com/sendcheck/sendcheck/examples/preflight/preflight"
	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/identities"
	"github.com/sendcheck/sendcheck/sender/provider"
	"github.com/sendcheck/sendcheck/smtperr"
	"github.com/sendcheck/sendcheck/smtperr/smtptest"
)

// sampleZone is the DNS data the in-process server answers from.
//
//go:embed sample.zone
var sampleZone string

const (
	sesHost     = "email-smtp.us-east-1.amazonaws.com"
	sesUser     = "AKIAIOSFODNN7EXAMPLE" // an SES SMTP user name (the AWS documentation's example key id)
	verified    = "shop.example"
	dkimToken   = "x7kq2ho4vbn3"
	goodSender  = "Shop <orders@shop.example>"
	badSender   = "Promo <deals@promo.example>"
	customerRcp = "customer@example.net"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// outcome is what the demo found, for the JSON output and the exit status.
type outcome struct {
	Identities *identities.Result  `json:"identities"`
	Preflight  []*preflight.Report `json:"preflight"`
	Sends      []sendResult        `json:"sends"`
	Bounce     bounceResult        `json:"bounce"`
}

// sendResult is one message sent as a mailer would.
type sendResult struct {
	From        string               `json:"from"`
	Accepted    bool                 `json:"accepted"`
	Reply       string               `json:"reply,omitempty"`
	Explanation *smtperr.Explanation `json:"explanation,omitempty"`
}

// run is the program; it returns the exit status.
func run(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON document instead of the story")
	timeout := fs.Duration("timeout", 10*time.Second, "deadline of the whole demo")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 0 || *timeout <= 0 {
		fmt.Fprintln(stderr, "usage: demo [-json] [-timeout D]")
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	// The in-process DNS server and its client.
	dns, err := dnsauthtest.NewServer(sampleZone)
	if err != nil {
		fmt.Fprintln(stderr, "demo: starting the DNS server:", err)
		return 1
	}
	defer dns.Close()
	resolver, err := dnscheck.NewClient(&dnscheck.ClientOptions{Servers: []string{dns.Addr()}, Timeout: 5 * time.Second})
	if err != nil {
		fmt.Fprintln(stderr, "demo: DNS client:", err)
		return 1
	}

	// The in-process provider, with a password made for this run.
	password, err := newPassword()
	if err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	ses, err := smtptest.NewServer(&smtptest.Options{
		Domain:   sesHost,
		TLS:      smtptest.TLSStartTLS,
		Users:    []smtptest.User{{Username: sesUser, Password: password, Senders: []string{verified}}},
		Reject:   smtptest.RejectSES(),
		ErrorLog: log.New(stderr, "demo: smtp server: ", 0),
	})
	if err != nil {
		fmt.Fprintln(stderr, "demo: starting the SMTP server:", err)
		return 1
	}
	defer ses.Close()

	// The in-process SES API, read with an access key made for this run.
	keyID, secretKey, err := newAccessKey()
	if err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	api := newSESAPI(keyID)
	defer api.Close()
	lister, err := identities.New(provider.SES, identities.NewSecret(keyID+":"+secretKey), &identities.Options{BaseURL: api.URL(), Region: "us-east-1"})
	if err != nil {
		fmt.Fprintln(stderr, "demo: SES API client:", err)
		return 1
	}

	w := stdout
	if *asJSON {
		w = io.Discard
	}
	fmt.Fprintf(w, "sendcheck demo: a mailer whose customer sends through Amazon SES\n\n")
	fmt.Fprintf(w, "  DNS server   %s (in this process), zones shop.example and promo.example\n", dns.Addr())
	fmt.Fprintf(w, "  SMTP server  %s (in this process), playing %s with STARTTLS\n", ses.Addr(), sesHost)
	fmt.Fprintf(w, "  account      %s, password from this run (never printed)\n", sesUser)
	fmt.Fprintf(w, "  SES API      %s (in this process), read with an access key made for this run (never printed)\n", api.URL())

	var out outcome
	fmt.Fprintf(w, "\n== 0. The sender identities, read from the provider's API\n\n")
	out.Identities = listIdentities(ctx, w, lister)

	for i, from := range []string{goodSender, badSender} {
		fmt.Fprintf(w, "\n== %d. Preflight for %s\n\n", i+1, from)
		rep := preflight.Run(ctx, &preflight.Config{
			Host: sesHost, Port: 587, Connect: ses.Addr(),
			Username: sesUser, Password: password,
			From: from, To: customerRcp, Identities: lister,
			RootCAs: ses.CertPool(), Resolver: resolver, Selectors: []string{dkimToken},
			StepTimeout: 10 * time.Second,
		})
		preflight.WriteText(w, rep)
		out.Preflight = append(out.Preflight, rep)
	}

	fmt.Fprintf(w, "\n== 3. Sending one message from each, as the mailer does\n")
	for _, from := range []string{goodSender, badSender} {
		res := send(ctx, ses, password, from)
		out.Sends = append(out.Sends, res)
		if res.Accepted {
			fmt.Fprintf(w, "\n  %s: accepted (%s)\n", from, res.Reply)
			continue
		}
		fmt.Fprintf(w, "\n  %s: REFUSED\n", from)
		fmt.Fprintf(w, "    the provider said: %s\n", res.Reply)
		preflight.WriteExplanation(w, "    ", res.Explanation)
	}

	out.Bounce = lateBounce(ctx, w, ses, password)

	problems := append(check(&out), checkBounce(out.Bounce)...)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "demo:", err)
			return 1
		}
	} else {
		fmt.Fprintf(w, "\n== Summary\n\n")
		fmt.Fprintf(w, "  %s: preflight %s, message %s\n", goodSender, out.Preflight[0].Verdict, acceptedWord(out.Sends[0]))
		fmt.Fprintf(w, "  %s: preflight %s, message %s\n", badSender, out.Preflight[1].Verdict, acceptedWord(out.Sends[1]))
		if e := out.Sends[1].Explanation; e != nil {
			fmt.Fprintf(w, "  what to tell the user: %s %s\n", e.Summary, e.Action)
		}
		if r := out.Bounce.Report; r != nil && len(r.Records) > 0 && r.Records[0].Explanation != nil {
			fmt.Fprintf(w, "  %s: bounced later (%s), the same answer as at send time\n", goneRcpt, string(r.Records[0].Explanation.Cause))
		}
	}
	if line := incomplete(ctx, out.Preflight, *timeout, dns.Addr()); line != "" {
		fmt.Fprintln(stderr, line)
		return 3
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, "demo: unexpected:", p)
		}
		return 1
	}
	return 0
}

// incomplete returns the one line that says why the demo could not be
// completed (a DNS check that got no answer from the resolver, or the
// deadline passed), or "" when it was.
func incomplete(ctx context.Context, reps []*preflight.Report, timeout time.Duration, resolver string) string {
	for _, rep := range reps {
		var re *dnsauth.ResolverError
		if err := rep.DomainErr(); errors.As(err, &re) {
			return fmt.Sprintf("demo: could not complete the check: the DNS resolver %s did not answer (%s)", re.Resolver, re.Detail)
		}
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Sprintf("demo: could not complete the demo within %v (DNS resolver %s)", timeout, resolver)
	}
	return ""
}

// listIdentities reads and prints the account's identities as the SES
// API lists them; nil when it could not.
func listIdentities(ctx context.Context, w io.Writer, l identities.Lister) *identities.Result {
	res, err := l.List(ctx)
	if err != nil {
		fmt.Fprintf(w, "  could not read them: %v\n", err)
		return nil
	}
	for _, li := range res.Identities {
		fmt.Fprintf(w, "  %-14s %-7s %-9s dkim=%s mail-from=%s\n", li.Identity, li.Kind, li.Status, li.DKIM, li.ReturnPath)
	}
	if q := res.Quota; q != nil {
		fmt.Fprintf(w, "  sandbox: %t; quota %.0f a day, %.0f sent\n", res.Sandbox, q.Max24Hour, q.SentLast24Hours)
	}
	fmt.Fprintf(w, "  The sender checks below judge against this list, not one typed by hand.\n")
	return res
}

func acceptedWord(s sendResult) string {
	if s.Accepted {
		return "delivered to the provider"
	}
	return "refused (" + string(s.Explanation.Cause) + ")"
}

// check compares the outcome with the story and lists what differs.
func check(out *outcome) []string {
	var p []string
	if out.Identities == nil || len(out.Identities.Identities) != len(sesIdentities) {
		p = append(p, "the identities were not read from the SES API")
	}
	for i, rep := range out.Preflight {
		if rep.Sender.IdentitySource != sender.SourceProviderAPI {
			p = append(p, fmt.Sprintf("preflight %d judged against identities from %s", i+1, rep.Sender.IdentitySource))
		}
	}
	if v := out.Preflight[0].Verdict; v == preflight.VerdictNotReady {
		p = append(p, fmt.Sprintf("the verified sender's preflight is %s", v))
	}
	if v := out.Preflight[1].Verdict; v != preflight.VerdictNotReady {
		p = append(p, fmt.Sprintf("the unverified sender's preflight is %s", v))
	}
	if !out.Sends[0].Accepted {
		p = append(p, "the verified sender's message was refused: "+out.Sends[0].Reply)
	}
	if out.Sends[1].Accepted {
		p = append(p, "the unverified sender's message was accepted")
	} else if c := out.Sends[1].Explanation.Cause; c != smtperr.CauseSenderNotVerified {
		p = append(p, "the rejection was explained as "+string(c))
	}
	return p
}

// send delivers one message the way a mailer's send handler does, and
// explains a failure with smtperr.
func send(ctx context.Context, ses *smtptest.Server, password, from string) sendResult {
	res := sendResult{From: from}
	addr := from[strings.IndexByte(from, '<')+1 : strings.IndexByte(from, '>')]
	err := deliver(ctx, ses, password, addr, from)
	if err == nil {
		res.Accepted = true
		res.Reply = "250 OK: queued"
		return res
	}
	res.Explanation = smtperr.Explain(err)
	res.Reply = err.Error()
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		res.Reply = fmt.Sprintf("%d %s", se.Code, se.Message)
	}
	return res
}

func deliver(ctx context.Context, ses *smtptest.Server, password, envelope, from string) error {
	msg := "From: " + from + "\r\nTo: " + customerRcp + "\r\nSubject: Your order has shipped\r\n" +
		"Date: " + time.Now().Format(time.RFC1123Z) + "\r\n\r\nYour order is on its way.\r\n"
	return sendVia(ctx, ses, password, envelope, customerRcp, msg)
}

// sendVia signs in to the SES double over STARTTLS and sends msg from
// envelope to rcpt, as the mailer's send handler does.
func sendVia(ctx context.Context, ses *smtptest.Server, password, envelope, rcpt, msg string) error {
	tlsConfig := ses.ClientTLSConfig()
	tlsConfig.ServerName = sesHost
	c, err := smtp.DialStartTLS(ses.Addr(), tlsConfig)
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	c.CommandTimeout = 10 * time.Second
	c.SubmissionTimeout = 10 * time.Second
	if err := c.Auth(sasl.NewPlainClient("", sesUser, password)); err != nil {
		return err
	}
	if err := c.SendMail(envelope, []string{rcpt}, strings.NewReader(msg)); err != nil {
		return err
	}
	return c.Quit()
}

// random is where the demo's access key and password come from; a test
// may set a fixed source to make runs repeatable.
var random io.Reader = rand.Reader

// newAccessKey makes an access key id and secret for the SES API stand-in.
func newAccessKey() (id, secret string, err error) {
	var b [30]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return "", "", fmt.Errorf("making an access key: %w", err)
	}
	return "AKIA" + strings.ToUpper(hex.EncodeToString(b[:8])), base64.RawURLEncoding.EncodeToString(b[8:]), nil
}

func newPassword() (string, error) {
	var b [18]byte
	if _, err := io.ReadFull(random, b[:]); err != nil {
		return "", fmt.Errorf("making a password: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
