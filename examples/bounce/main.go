// Command bounce reads bounce emails, delay notices, complaints and
// auto-replies, and explains each failed recipient the way smtperr explains
// an SMTP error at send time.
//
//	bounce [-json] [FILE|DIR|-]...
//
// Each FILE is one email (.eml), an mbox, or a provider's event notification
// (JSON from SES, SendGrid, Mailgun, Postmark, SparkPost, Mailjet, Brevo or
// Resend, told apart by content); each DIR is a maildir (its cur and new
// folders) or a folder of such files; "-", or no argument, reads standard
// input. With -json it prints one JSON object per record (one per
// recipient of a report, one for an email that is no report) with at least
// file, kind, recipient, status, cause, confidence, party, summary, action
// and message_id.
//
// The exit status is 0 when no failure was found, 1 when a bounce, delay
// or complaint was, and 2 for bad usage or an input that cannot be read.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sendcheck/sendcheck/smtperr/bounce"
	"github.com/sendcheck/sendcheck/smtperr/events"
)

// maxInput bounds one input file or standard input (an mbox may hold many
// emails; each email is further bounded by bounce.Options).
const maxInput = 256 << 20

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// line is one JSON output object.
type line struct {
	File         string    `json:"file"`
	Kind         string    `json:"kind"`
	Format       string    `json:"format,omitempty"`
	Recipient    string    `json:"recipient"`
	Status       string    `json:"status"`
	Cause        string    `json:"cause"`
	Confidence   string    `json:"confidence"`
	Party        string    `json:"party"`
	Severity     string    `json:"severity,omitempty"`
	Summary      string    `json:"summary"`
	Action       string    `json:"action"`
	MessageID    string    `json:"message_id"`
	DSNAction    string    `json:"dsn_action,omitempty"`
	Diagnostic   string    `json:"diagnostic,omitempty"`
	FeedbackType string    `json:"feedback_type,omitempty"`
	RemoteMTA    string    `json:"remote_mta,omitempty"`
	ReportingMTA string    `json:"reporting_mta,omitempty"`
	LastAttempt  time.Time `json:"last_attempt,omitzero"`
	Subject      string    `json:"original_subject,omitempty"`
	// The provider fields, for records read from provider event payloads.
	Provider          string    `json:"provider,omitempty"`
	ProviderType      string    `json:"provider_type,omitempty"`
	ProviderSubtype   string    `json:"provider_subtype,omitempty"`
	ProviderMessageID string    `json:"provider_message_id,omitempty"`
	Timestamp         time.Time `json:"timestamp,omitzero"`
}

// item is one record, or one email without records, ready to print.
type item struct {
	file string
	rep  *bounce.Report
	rec  *bounce.Record
}

// reader turns one input's bytes into items. readEmails handles emails
// and mboxes; other readers (provider event payloads) can be chosen by
// sniff from the content.
type reader func(name string, data []byte) ([]item, []error)

// sniff chooses the reader for an input from its content: a JSON object or
// array is a provider event payload (no email starts with "{" or "["),
// anything else an email or an mbox.
func sniff(data []byte) reader {
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return readEvents
	}
	return readEmails
}

// readEvents reads one provider event payload (SES, SendGrid, Mailgun,
// Postmark, SparkPost, Mailjet, Brevo, Resend), telling the provider from the
// payload; every event becomes one item, or the payload is refused whole.
func readEvents(name string, data []byte) ([]item, []error) {
	data = bytes.TrimPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("\ufeff"))
	recs, err := events.Parse(data, "", nil)
	if err != nil {
		return nil, []error{fmt.Errorf("%s: %w", name, err)}
	}
	items := make([]item, len(recs))
	for i := range recs {
		file := name
		if len(recs) > 1 {
			file = fmt.Sprintf("%s#%d", name, i+1)
		}
		rep := &bounce.Report{Kind: recs[i].Kind, Format: "provider_event"}
		items[i] = item{file: file, rep: rep, rec: &recs[i]}
	}
	return items, nil
}

// run is the program; it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("bounce", flag.ContinueOnError)
	fl.SetOutput(stderr)
	asJSON := fl.Bool("json", false, "print one JSON object per record")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: bounce [-json] [FILE|DIR|-]...")
		fmt.Fprintln(stderr, "       FILE is an email or an mbox, DIR a maildir or a folder of emails, - standard input")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	inputs := fl.Args()
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	status := 0
	bad := false
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, in := range inputs {
		files, err := expand(in)
		if err != nil {
			fmt.Fprintf(stderr, "bounce: %v\n", err)
			bad = true
			continue
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				fmt.Fprintf(stderr, "bounce: %v\n", err)
				return 2
			}
			data, err := readInput(f, stdin)
			if err != nil {
				fmt.Fprintf(stderr, "bounce: %v\n", err)
				bad = true
				continue
			}
			items, errs := sniff(data)(f, data)
			for _, err := range errs {
				fmt.Fprintf(stderr, "bounce: %v\n", err)
				bad = true
			}
			for _, it := range items {
				if it.rec != nil && failure(it.rec.Kind) {
					status = 1
				}
				if *asJSON {
					if err := enc.Encode(toLine(it)); err != nil {
						fmt.Fprintf(stderr, "bounce: %v\n", err)
						return 2
					}
				} else {
					printItem(stdout, it)
				}
			}
		}
	}
	if bad {
		return 2
	}
	return status
}

func failure(k bounce.Kind) bool {
	switch k {
	case bounce.KindBounce, bounce.KindDelay, bounce.KindDropped, bounce.KindComplaint:
		return true
	}
	return false
}

// expand turns an argument into the files to read: "-" stays, a maildir
// gives its cur and new files, a folder its files in name order.
func expand(in string) ([]string, error) {
	if in == "-" {
		return []string{"-"}, nil
	}
	st, err := os.Stat(in)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{in}, nil
	}
	var dirs []string
	for _, sub := range []string{"cur", "new"} {
		if s, err := os.Stat(filepath.Join(in, sub)); err == nil && s.IsDir() {
			dirs = append(dirs, filepath.Join(in, sub))
		}
	}
	if len(dirs) == 0 {
		dirs = []string{in}
	}
	var files []string
	for _, d := range dirs {
		err := filepath.WalkDir(d, func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(de.Name(), ".") && p != d {
				if de.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if de.Type().IsRegular() {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(files)
	return files, nil
}

// readInput reads a file, or standard input for "-", up to maxInput bytes.
func readInput(name string, stdin io.Reader) ([]byte, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > maxInput {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxInput)
	}
	return data, nil
}

// readEmails reads one email, or each email of an mbox.
func readEmails(name string, data []byte) ([]item, []error) {
	msgs := bounce.SplitMbox(data)
	var items []item
	var errs []error
	for i, m := range msgs {
		file := name
		if len(msgs) > 1 {
			file = fmt.Sprintf("%s#%d", name, i+1)
		}
		rep, err := bounce.Read(bytes.NewReader(m), nil)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", file, err))
			continue
		}
		if len(rep.Records) == 0 {
			items = append(items, item{file: file, rep: rep})
			continue
		}
		for j := range rep.Records {
			items = append(items, item{file: file, rep: rep, rec: &rep.Records[j]})
		}
	}
	return items, errs
}

func toLine(it item) line {
	l := line{File: it.file, Kind: string(it.rep.Kind), Format: string(it.rep.Format)}
	if it.rep.Original != nil {
		l.MessageID = it.rep.Original.MessageID
		l.Subject = it.rep.Original.Subject
	}
	r := it.rec
	if r == nil {
		return l
	}
	l.Kind = string(r.Kind)
	l.Recipient = r.Recipient
	l.Status = r.Status
	l.Severity = string(r.Severity)
	l.DSNAction = r.Action
	l.Diagnostic = r.Diagnostic
	l.FeedbackType = r.FeedbackType
	l.RemoteMTA = r.RemoteMTA
	l.ReportingMTA = r.ReportingMTA
	l.LastAttempt = r.LastAttempt
	l.Provider = r.Provider
	l.ProviderType = r.ProviderType
	l.ProviderSubtype = r.ProviderSubtype
	l.ProviderMessageID = r.ProviderMessageID
	l.Timestamp = r.Timestamp
	if r.MessageID != "" {
		l.MessageID = r.MessageID
	}
	if e := r.Explanation; e != nil {
		l.Cause = string(e.Cause)
		l.Confidence = string(e.Confidence)
		l.Party = string(e.Party)
		l.Summary = e.Summary
		l.Action = e.Action
	}
	return l
}

func printItem(w io.Writer, it item) {
	l := toLine(it)
	if it.rec == nil {
		fmt.Fprintf(w, "%s: %s, no failure report (%s)\n", l.File, l.Kind, l.Format)
		return
	}
	fmt.Fprintf(w, "%s: %s for %s", l.File, l.Kind, orDash(l.Recipient))
	if l.Status != "" {
		fmt.Fprintf(w, " (%s)", l.Status)
	}
	if l.Provider != "" {
		fmt.Fprintf(w, ", %s %s", l.Provider, strings.TrimSuffix(l.ProviderType+"/"+l.ProviderSubtype, "/"))
	}
	if l.FeedbackType != "" {
		fmt.Fprintf(w, ", feedback type %s", l.FeedbackType)
	}
	fmt.Fprintln(w)
	if l.Cause != "" {
		fmt.Fprintf(w, "  cause:      %s (%s confidence), %s must act", l.Cause, l.Confidence, l.Party)
		if l.Severity != "" {
			fmt.Fprintf(w, ", %s", l.Severity)
		}
		fmt.Fprintln(w)
		fmt.Fprintf(w, "  summary:    %s\n", l.Summary)
		fmt.Fprintf(w, "  action:     %s\n", l.Action)
	}
	if l.Diagnostic != "" {
		fmt.Fprintf(w, "  diagnostic: %s\n", l.Diagnostic)
	}
	switch {
	case l.MessageID != "":
		fmt.Fprintf(w, "  message:    <%s> %q\n", l.MessageID, l.Subject)
	case l.Subject != "":
		fmt.Fprintf(w, "  message:    %q\n", l.Subject)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
