package bounce

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-message"
)

// Format names the structure a report was recognised by.
type Format string

// The formats of a report.
const (
	// FormatDSN is an RFC 3464 multipart/report with a
	// message/delivery-status part.
	FormatDSN Format = "rfc3464"
	// FormatGlobalDSN is an RFC 6533 message/global-delivery-status part.
	FormatGlobalDSN Format = "rfc6533"
	// FormatARF is an RFC 5965 abuse feedback report.
	FormatARF Format = "rfc5965"
	// FormatAutoReply is an automatic reply recognised by its RFC 3834
	// header fields, its subject or its text.
	FormatAutoReply Format = "rfc3834"
	// FormatText is a report in free text, without a machine-readable part,
	// as qmail, Exim, older Sendmail and many providers write them.
	FormatText Format = "text"
	// FormatProviderJSON is a provider's notification sent by email as JSON,
	// such as Amazon SES's through an SNS email subscription.
	FormatProviderJSON Format = "provider-json"
	// FormatNone is an email that is no report.
	FormatNone Format = "none"
)

// Report is what one email says.
type Report struct {
	// Kind is what the email is as a whole: the kind of its first failure
	// record, or of its first record when none failed, or [KindOther].
	Kind Kind `json:"kind"`
	// Format is the structure the report was recognised by.
	Format Format `json:"format"`
	// MTA names the family of mail software or provider whose wording was
	// recognised in a free-text report ("qmail", "exim", "sendmail",
	// "exchange", ...), or "" when none was.
	MTA string `json:"mta,omitempty"`
	// ReportingMTA is the host that wrote the report, when it says.
	ReportingMTA string `json:"reporting_mta,omitempty"`
	// Subject and From are the report email's own decoded header fields.
	Subject string `json:"subject,omitempty"`
	From    string `json:"from,omitempty"`
	// Date is the report email's date, or zero.
	Date time.Time `json:"date,omitzero"`
	// Records holds one record per recipient the report is about.
	Records []Record `json:"records"`
	// Original is what the report shows of the message it is about, or nil
	// when it shows nothing.
	Original *Original `json:"original,omitempty"`
}

// Failed reports whether any record is a failure the sender must act on:
// a bounce, a delay, a dropped message or a complaint.
func (r *Report) Failed() bool {
	for i := range r.Records {
		switch r.Records[i].Kind {
		case KindBounce, KindDelay, KindDropped, KindComplaint:
			return true
		}
	}
	return false
}

// Options bounds the work [Read] does on one email. A nil *Options, or a zero
// field, means the default.
type Options struct {
	// MaxSize is the largest email read, in bytes (default 10 MiB).
	MaxSize int64
	// MaxDepth is how deeply MIME parts may nest (default 12).
	MaxDepth int
	// MaxParts is how many MIME parts are read in all (default 200).
	MaxParts int
	// MaxHeaderBytes is the largest header block of the email or of one
	// part, in bytes (default 256 KiB).
	MaxHeaderBytes int
}

const (
	defaultMaxSize        = 10 << 20
	defaultMaxDepth       = 12
	defaultMaxParts       = 200
	defaultMaxHeaderBytes = 256 << 10
	maxTextBytes          = 1 << 20 // text kept for reading free-text reports
	maxRecords            = 1000
)

func (o *Options) limits() Options {
	var l Options
	if o != nil {
		l = *o
	}
	if l.MaxSize <= 0 {
		l.MaxSize = defaultMaxSize
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = defaultMaxDepth
	}
	if l.MaxParts <= 0 {
		l.MaxParts = defaultMaxParts
	}
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = defaultMaxHeaderBytes
	}
	return l
}

// LimitError reports an email over one of the limits of [Options].
type LimitError struct {
	// Limit names the limit: "size", "depth", "parts" or "header".
	Limit string
	// Max is the limit's value.
	Max int64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("bounce: email over the %s limit of %d", e.Limit, e.Max)
}

// ErrNotEmail is returned, wrapped in a *SyntaxError, when the input has no
// header at all.
var ErrNotEmail = errors.New("no email header")

// SyntaxError reports input that cannot be read as an email.
type SyntaxError struct {
	// Err is the underlying error.
	Err error
}

func (e *SyntaxError) Error() string { return "bounce: unreadable email: " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// Read reads one email from r and says what it reports. An email that is no
// report gives a [Report] of kind [KindOther] with no records and a nil
// error. Read reads at most opts.MaxSize bytes; a longer email gives a
// *[LimitError], and so does one with deeper nesting, more parts or a longer
// header than opts allows. Input with no email header gives a
// *[SyntaxError]. Malformed parts deeper in the email do not stop reading:
// what was read is used, and records say only what the email supports.
func Read(r io.Reader, opts *Options) (*Report, error) {
	lim := opts.limits()
	var data []byte
	if l, ok := r.(interface{ Len() int }); ok && int64(l.Len()) <= lim.MaxSize {
		// A reader that knows its length (bytes.Reader, strings.Reader,
		// bytes.Buffer) is read in one allocation of that length.
		data = make([]byte, l.Len())
		n, err := io.ReadFull(r, data)
		data = data[:n]
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return nil, fmt.Errorf("bounce: reading email: %w", err)
		}
		if err == nil {
			// Anything beyond the announced length still counts.
			var more [1]byte
			if m, _ := io.ReadFull(r, more[:]); m > 0 {
				rest, err := io.ReadAll(io.LimitReader(r, lim.MaxSize-int64(len(data))))
				if err != nil {
					return nil, fmt.Errorf("bounce: reading email: %w", err)
				}
				data = append(append(data, more[0]), rest...)
			}
		}
	} else {
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(io.LimitReader(r, lim.MaxSize+1)); err != nil {
			return nil, fmt.Errorf("bounce: reading email: %w", err)
		}
		data = buf.Bytes()
	}
	if int64(len(data)) > lim.MaxSize {
		return nil, &LimitError{Limit: "size", Max: lim.MaxSize}
	}
	return readBytes(data, &lim)
}

// email is what the MIME walk collects.
type email struct {
	lim    *Options
	header fieldList
	parts  int
	// texts are the decoded text parts before the returned message.
	texts []string
	// textBytes counts the bytes in texts.
	textBytes int
	// dsn holds the delivery-status parts; global is true when one was an
	// RFC 6533 part.
	dsn    [][]byte
	global bool
	// feedback is the RFC 5965 feedback-report part.
	feedback []byte
	// orig is the header of the returned message, when a part carries it.
	orig fieldList
	// buf is reused to read each part's body.
	buf bytes.Buffer
	// body reads the email's body; it is reused from email to email.
	body bytes.Reader
	// html holds the HTML parts, read when there is no plain text.
	html [][]byte
	// inner is a report attached whole to the email (a bounce forwarded by
	// a relay or a mail filter).
	inner []byte
}

func readBytes(data []byte, lim *Options) (*Report, error) {
	return readEmail(data, lim, true)
}

// readEmail reads one email; when nested is true and the email holds no
// report but forwards one as an attachment, the attached report is read
// instead (one level only).
func readEmail(data []byte, lim *Options, nested bool) (*Report, error) {
	e := emailPool.Get().(*email)
	defer e.release()
	e.lim = lim
	if bytes.HasPrefix(data, []byte("From ")) {
		// The envelope line of an mbox.
		_, data = cutLine(data)
	}
	// The header is scanned here; go-message reads the entity from it
	// (content type, transfer encoding, charset, parts). A header line that
	// is no field ends the header, and the rest is read as the body.
	h, other, off, fields, tooLong := topHeader(data, lim.MaxHeaderBytes)
	if tooLong {
		return nil, &LimitError{Limit: "header", Max: int64(lim.MaxHeaderBytes)}
	}
	if fields == 0 {
		return nil, &SyntaxError{Err: ErrNotEmail}
	}
	e.body.Reset(data[off:])
	ent, _ := message.New(message.Header{Header: h}, &e.body)
	e.header = other
	if err := e.walk(ent, 0); err != nil {
		return nil, err
	}
	if nested && e.inner != nil && len(e.dsn) == 0 && e.feedback == nil {
		if rep, err := readEmail(e.inner, lim, false); err == nil && len(rep.Records) > 0 && rep.Format != FormatNone {
			return rep, nil
		}
	}
	if len(e.texts) == 0 {
		for _, h := range e.html {
			e.addText(htmlText(string(h)))
		}
	}
	if len(e.texts) == 0 && len(e.dsn) == 0 && e.feedback == nil {
		// A multipart email whose boundaries are missing or wrong: its body
		// is read as text.
		if i := bytes.Index(data, []byte("\n\n")); i >= 0 {
			e.addText(string(data[i+2:]))
		} else if i := bytes.Index(data, []byte("\r\n\r\n")); i >= 0 {
			e.addText(string(data[i+4:]))
		}
	}
	if len(e.dsn) == 0 && e.feedback == nil {
		// Delivery-status fields written into the text.
		if b := embeddedDSN(e.texts); b != nil {
			e.dsn = append(e.dsn, b)
		}
	}
	return e.report(data), nil
}

// emailPool holds the state of a read, with its buffers, for the next one.
var emailPool = sync.Pool{New: func() any {
	return &email{}
}}

// release clears e, keeping its buffers, and returns it to the pool.
func (e *email) release() {
	if e.buf.Cap() > 1<<20 {
		// A buffer grown by a large part is not kept.
		e.buf = bytes.Buffer{}
	}
	e.buf.Reset()
	clear(e.texts) // the texts of this email are not kept alive by the pool
	*e = email{buf: e.buf, texts: e.texts[:0]}
	emailPool.Put(e)
}

func cutLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return bytes.TrimRight(b, "\r"), nil
	}
	return bytes.TrimRight(b[:i], "\r"), b[i+1:]
}

// walk visits an entity and its parts.
func (e *email) walk(ent *message.Entity, depth int) error {
	if depth > e.lim.MaxDepth {
		return &LimitError{Limit: "depth", Max: int64(e.lim.MaxDepth)}
	}
	e.parts++
	if e.parts > e.lim.MaxParts {
		return &LimitError{Limit: "parts", Max: int64(e.lim.MaxParts)}
	}
	mt := mediaType(ent.Header)
	if mr := ent.MultipartReader(); mr != nil {
		for {
			p, err := mr.NextPart()
			if p == nil {
				// An unreadable part (a bad boundary, a bad header) ends
				// the walk; what was read so far is used.
				return nil
			}
			_ = err // unknown charsets and encodings still give a readable part
			if err := e.walk(p, depth+1); err != nil {
				return err
			}
		}
	}
	switch mt {
	case "message/delivery-status", "message/global-delivery-status", "message/feedback-report",
		"message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers",
		"message/rfc822-headers", "message/partial", "text/plain", "text/html", "":
	default:
		return nil // attachments and images say nothing here
	}
	if mt == "text/html" && (len(e.texts) > 0 || len(e.html) >= 8) {
		// HTML is read only when the email has no plain text: most
		// reports carry the same words in both.
		return nil
	}
	// Part bodies are read into one buffer reused for every part; what is
	// kept is copied.
	e.buf.Reset()
	var err error
	if strings.HasPrefix(mt, "message/rfc822") || mt == "message/global" || mt == "message/partial" {
		// Only the header of the returned message is used.
		err = readHeaderPart(&e.buf, ent.Body, e.lim.MaxHeaderBytes)
	} else {
		_, err = e.buf.ReadFrom(io.LimitReader(ent.Body, e.lim.MaxSize))
	}
	body := e.buf.Bytes()
	if err != nil && len(body) == 0 {
		return nil
	}
	switch mt {
	case "message/delivery-status":
		e.dsn = append(e.dsn, bytes.Clone(body))
	case "message/global-delivery-status":
		e.dsn = append(e.dsn, bytes.Clone(body))
		e.global = true
	case "message/feedback-report":
		e.feedback = bytes.Clone(body)
	case "text/plain", "text/html", "":
		if e.orig == nil && ent.Header.Has("Content-Disposition") && looksLikeHeader(body) && attachment(ent.Header) {
			// Some systems attach the returned message as text.
			e.setOriginal(body)
			return nil
		}
		if mt == "text/html" {
			e.html = append(e.html, bytes.Clone(body))
			return nil
		}
		e.addText(string(body))
	default:
		if e.orig == nil {
			e.setOriginal(body)
		}
		if e.inner == nil && len(e.dsn) == 0 && e.feedback == nil && isReport(body, e.lim.MaxHeaderBytes) {
			// A report forwarded as an attachment: it is kept whole, to be
			// read when the outer email holds no report of its own.
			inner := bytes.Clone(body)
			var rest bytes.Buffer
			if _, err := rest.ReadFrom(io.LimitReader(ent.Body, e.lim.MaxSize-int64(len(inner)))); err == nil {
				e.inner = append(inner, rest.Bytes()...)
			}
		}
	}
	return nil
}

// readHeaderPart reads from r into buf up to the end of the header that
// starts it (its first blank line, after any leading blank lines), and at
// most limit bytes and a little more.
func readHeaderPart(buf *bytes.Buffer, r io.Reader, limit int) error {
	start := -1  // offset of the header's first byte, once known
	scanned := 0 // where the search for the blank line goes on
	for buf.Len() <= limit {
		// Read straight into the buffer's free space.
		buf.Grow(4096)
		free := buf.AvailableBuffer()
		n, err := r.Read(free[:min(cap(free), 4096)])
		buf.Write(free[:n])
		b := buf.Bytes()
		if start < 0 {
			if t := len(b) - len(bytes.TrimLeft(b, "\r\n\t ")); t < len(b) {
				start, scanned = t, t
			}
		}
		if start >= 0 {
			w := b[max(scanned-3, start):]
			if bytes.Contains(w, []byte("\n\n")) || bytes.Contains(w, []byte("\n\r\n")) {
				return nil
			}
			scanned = len(b)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// isReport reports whether b starts with the header of a multipart/report
// email.
func isReport(b []byte, max int) bool {
	ct := contentType(bytes.TrimLeft(b, "\r\n\t "), max)
	if len(ct) < len("multipart/report") || !strings.EqualFold(ct[:len("multipart/report")], "multipart/report") {
		return false
	}
	mt, params, err := mime.ParseMediaType(ct)
	return err == nil && mt == "multipart/report" && params["report-type"] != ""
}

func (e *email) addText(s string) {
	if e.textBytes >= maxTextBytes {
		return
	}
	if len(s) > maxTextBytes-e.textBytes {
		s = s[:maxTextBytes-e.textBytes]
	}
	e.textBytes += len(s)
	e.texts = append(e.texts, s)
}

// setOriginal reads the header (and, for a plain-text message, the start of
// the body) of the returned message.
func (e *email) setOriginal(b []byte) {
	b = bytes.TrimLeft(b, "\r\n\t ")
	h, _ := headerOf(b, e.lim.MaxHeaderBytes)
	if len(h) == 0 {
		return
	}
	e.orig = h
}

// looksLikeHeader reports whether b starts with a header field commonly
// found at the top of a message.
func looksLikeHeader(b []byte) bool {
	line, _ := cutLine(bytes.TrimLeft(b, "\r\n\t "))
	k, _, ok := bytes.Cut(line, []byte(":"))
	if !ok {
		return false
	}
	switch strings.ToLower(string(k)) {
	case "received", "return-path", "from", "to", "message-id", "date", "subject", "mime-version", "dkim-signature", "x-mailer", "delivered-to":
		return true
	}
	return false
}

// attachment reports whether a part is marked as an attachment.
func attachment(h message.Header) bool {
	disp, _, _ := h.ContentDisposition()
	return disp == "attachment"
}

// mediaType returns the media type of a part, lower case: what its
// Content-Type field says before any parameter. go-message parses the
// parameters where it needs them (boundary, charset).
func mediaType(h message.Header) string {
	v := h.Get("Content-Type")
	if i := strings.IndexAny(v, "; \t("); i >= 0 {
		v = v[:i]
	}
	return strings.ToLower(strings.TrimSpace(v))
}
