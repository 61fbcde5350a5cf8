// Command explain explains SMTP replies: the cause, who must act, whether a
// retry can help, and what to change, next to the server's own words.
//
//	explain [-json] [REPLY ...]
//
// Each argument is one reply. With no arguments, replies are read from
// standard input, one per line; RFC 5321 continuation lines ("550-...")
// are joined with the lines that follow, up to the final "550 ..." line,
// into one reply. With -json it prints one JSON object per reply.
//
// The exit status is 0 when every reply is a success (2xx or 3xx), 1 when
// at least one reply is a failure (an explained failure is still a
// problem the user must see), and 2 for bad usage or unreadable input.
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

	"github.com/sendcheck/sendcheck/sender/provider"
	"github.com/sendcheck/sendcheck/smtperr"
)

// maxLine bounds one input line.
const maxLine = 1 << 20

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the program; it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per reply")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: explain [-json] [REPLY ...]")
		fmt.Fprintln(stderr, "       with no REPLY, reads replies from standard input, one per line;")
		fmt.Fprintln(stderr, "       continuation lines (550-...) are joined into one reply")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	replies := fs.Args()
	if len(replies) == 0 {
		var err error
		replies, err = readReplies(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "explain: reading standard input: %v\n", err)
			return 2
		}
		if len(replies) == 0 {
			fmt.Fprintln(stderr, "explain: no replies given")
			fs.Usage()
			return 2
		}
	}
	status := 0
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for i, reply := range replies {
		if err := ctx.Err(); err != nil {
			fmt.Fprintf(stderr, "explain: %v\n", err)
			return 2
		}
		e := smtperr.ExplainReply(reply)
		if !e.OK() {
			status = 1
		}
		if *asJSON {
			if err := enc.Encode(e); err != nil {
				fmt.Fprintf(stderr, "explain: %v\n", err)
				return 2
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		report(stdout, e)
	}
	return status
}

// report prints one explanation for people.
func report(w io.Writer, e *smtperr.Explanation) {
	codes := strings.TrimSpace(fmt.Sprintf("%s %s", code(e.Code), e.Enhanced))
	if codes == "" {
		codes = "no code"
	}
	if e.OK() {
		fmt.Fprintf(w, "%s: not a failure\n", codes)
		fmt.Fprintf(w, "  Server said:   %s\n", e.Message)
		return
	}
	kind := "permanent"
	if e.Temporary {
		kind = "temporary"
	}
	from := ""
	if e.Provider != "" {
		from = provider.Name(e.Provider) + ", "
	}
	fmt.Fprintf(w, "%s: %s (%s%s)\n", codes, e.Cause.String(), from, kind)
	fmt.Fprintf(w, "  Confidence:    %s\n", confidenceText(e.Confidence))
	fmt.Fprintf(w, "  What happened: %s\n", e.Summary)
	fmt.Fprintf(w, "  Who must act:  %s\n", partyText(e.Party))
	fmt.Fprintf(w, "  What to do:    %s\n", e.Action)
	if e.Temporary || e.Cause.Retryable() {
		fmt.Fprintln(w, "  Retry:         a later retry can succeed")
	} else {
		fmt.Fprintln(w, "  Retry:         not until something is changed")
	}
	fmt.Fprintf(w, "  Server said:   %s\n", e.Message)
}

// confidenceText says how far to trust an explanation.
func confidenceText(c smtperr.Confidence) string {
	switch c {
	case smtperr.ConfidenceHigh:
		return "high (the server's words name the cause)"
	case smtperr.ConfidenceMedium:
		return "medium (likely; read the server's words to confirm)"
	}
	return "low (a guess from weak evidence; read the server's words)"
}

// code formats a reply code, empty for none.
func code(c int) string {
	if c == 0 {
		return ""
	}
	return fmt.Sprint(c)
}

// partyText describes a party in words.
func partyText(p smtperr.Party) string {
	switch p {
	case smtperr.PartySenderAccount:
		return "the sender, in its SMTP provider account or settings"
	case smtperr.PartySenderDNS:
		return "the sender, in its domain's DNS records"
	case smtperr.PartySenderServer:
		return "whoever runs the sending server (the SMTP provider, or you for your own server)"
	case smtperr.PartyContent:
		return "the sender, by changing the message"
	case smtperr.PartySoftware:
		return "the sending software"
	case smtperr.PartyRecipient:
		return "the recipient (the address or its mailbox)"
	case smtperr.PartyReceiver:
		return "the receiving mail system's administrators"
	case smtperr.PartyNetwork:
		return "the network or server configuration between sender and server"
	case smtperr.PartyNobody:
		return "nobody: it clears by itself"
	}
	return "unknown"
}

// readReplies reads one reply per line, joining RFC 5321 continuation
// lines ("250-...") with the following lines up to the last line of the
// reply. Blank lines are skipped.
func readReplies(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var out []string
	var cur []string // lines of an unfinished multi-line reply
	curCode := ""
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\r\n"))
			cur, curCode = nil, ""
		}
	}
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		c, sep := replyPrefix(line)
		switch {
		case sep == '-' && (curCode == "" || c == curCode):
			cur = append(cur, line)
			curCode = c
		case curCode != "" && c == curCode:
			cur = append(cur, line)
			flush()
		default:
			flush()
			if sep == '-' {
				cur, curCode = []string{line}, c
				continue
			}
			out = append(out, line)
		}
	}
	flush()
	return out, sc.Err()
}

// replyPrefix returns the three-digit code at the start of line and the
// byte after it ('-', ' ' or 0 at the end of the line); sep is 0 and the
// code empty when the line does not start with a code.
func replyPrefix(line string) (code string, sep byte) {
	if len(line) < 3 || line[0] < '2' || line[0] > '5' || !isDigit(line[1]) || !isDigit(line[2]) {
		return "", 0
	}
	if len(line) == 3 {
		return line[:3], ' '
	}
	if line[3] == '-' || line[3] == ' ' {
		return line[:3], line[3]
	}
	return "", 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
