package bounce

import (
	"bytes"
	nettextproto "net/textproto"
	"strings"

	"github.com/emersion/go-message"

	"github.com/emersion/go-message/textproto"
)

// The machine-readable parts of a report (RFC 3464 delivery-status, RFC 5965
// feedback-report) and the header of the returned message are read for a
// few fields only. They are scanned here, line by line, without building a
// full header: the returned message's header holds dozens of Received and
// signature fields nobody reads. Values are unfolded but not decoded; the
// fields that need decoding (an encoded-word Subject) go through go-message.

// scanFields calls fn for each field ("Key: value", with continuation lines)
// of b, with the value as it stands, folded (unfold gives it on one line).
// A blank line ends the header when stopAtBlank is set (the header of a
// message) and separates groups otherwise (the groups of a delivery-status
// part, which are read as one sequence of fields). A line that is no field
// ends the header when stopAtBlank is set, and is skipped otherwise. At most
// max fields are read. scanFields returns the offset in b after the header,
// and whether the header ended there (by a blank line or a line that is no
// field) rather than at the end of b or of max fields.
func scanFields(b []byte, stopAtBlank bool, max int, fn func(key, raw []byte)) (int, bool) {
	var key []byte
	vs, ve := 0, 0 // the value's start and end in b
	n := 0
	flush := func() {
		if key != nil {
			fn(key, b[vs:ve])
			key = nil
			n++
		}
	}
	off := 0
	for off < len(b) && n < max {
		end := bytes.IndexByte(b[off:], '\n')
		next := len(b)
		if end >= 0 {
			end += off
			next = end + 1
		} else {
			end = len(b)
		}
		line := b[off:end]
		switch {
		case blank(line):
			flush()
			if stopAtBlank {
				return next, true
			}
		case line[0] == ' ' || line[0] == '\t':
			if key != nil {
				ve = end
			}
			// else a stray continuation line
		default:
			flush()
			i := bytes.IndexByte(line, ':')
			var k []byte
			if i > 0 {
				k = bytes.TrimRight(line[:i], " \t")
			}
			if i <= 0 || !isFieldName(k) {
				if stopAtBlank {
					return off, true
				}
				break
			}
			key = k
			vs, ve = off+i+1, end
		}
		off = next
	}
	flush()
	return off, false
}

// blank reports whether a line holds only white space.
func blank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// unfold returns a field's value on one line: its lines trimmed and joined
// with single spaces.
func unfold(raw []byte) string {
	if bytes.IndexByte(raw, '\n') < 0 {
		return string(bytes.TrimSpace(raw))
	}
	var sb strings.Builder
	sb.Grow(len(raw))
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		if t := bytes.TrimSpace(line); len(t) > 0 {
			if sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			sb.Write(t)
		}
	}
	return sb.String()
}

// isFieldName reports whether b is a header field name: printable ASCII
// without spaces or colons (RFC 5322 section 2.2).
func isFieldName(b []byte) bool {
	if len(b) == 0 || len(b) > 76 {
		return false
	}
	for _, c := range b {
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// canonicalKey returns key in the canonical form of
// textproto.CanonicalMIMEHeaderKey ("reporting-mta" → "Reporting-Mta"),
// without allocating for the fields reports use.
func canonicalKey(key []byte) string {
	var buf [80]byte
	if len(key) > len(buf) {
		return nettextproto.CanonicalMIMEHeaderKey(string(key))
	}
	k := buf[:len(key)]
	upper := true
	for i, c := range key {
		switch {
		case upper && c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case !upper && c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		k[i] = c
		upper = c == '-'
	}
	switch string(k) {
	case "Reporting-Mta":
		return "Reporting-Mta"
	case "Arrival-Date":
		return "Arrival-Date"
	case "Final-Recipient":
		return "Final-Recipient"
	case "Original-Recipient":
		return "Original-Recipient"
	case "Action":
		return "Action"
	case "Status":
		return "Status"
	case "Remote-Mta":
		return "Remote-Mta"
	case "Diagnostic-Code":
		return "Diagnostic-Code"
	case "Last-Attempt-Date":
		return "Last-Attempt-Date"
	case "Received-From-Mta":
		return "Received-From-Mta"
	case "Will-Retry-Until":
		return "Will-Retry-Until"
	case "X-Actual-Recipient":
		return "X-Actual-Recipient"
	case "Feedback-Type":
		return "Feedback-Type"
	case "User-Agent":
		return "User-Agent"
	case "Version":
		return "Version"
	case "Original-Rcpt-To":
		return "Original-Rcpt-To"
	case "Original-Mail-From":
		return "Original-Mail-From"
	case "Source-Ip":
		return "Source-Ip"
	case "Received":
		return "Received"
	case "Message-Id":
		return "Message-Id"
	case "Date":
		return "Date"
	case "Subject":
		return "Subject"
	case "From":
		return "From"
	case "To":
		return "To"
	case "Content-Type":
		return "Content-Type"
	case "Delivered-To":
		return "Delivered-To"
	case "Content-Transfer-Encoding":
		return "Content-Transfer-Encoding"
	case "Content-Disposition":
		return "Content-Disposition"
	case "Content-Description":
		return "Content-Description"
	case "Mime-Version":
		return "Mime-Version"
	case "Return-Path":
		return "Return-Path"
	case "Auto-Submitted":
		return "Auto-Submitted"
	case "Precedence":
		return "Precedence"
	case "X-Failed-Recipients":
		return "X-Failed-Recipients"
	case "X-Mailer":
		return "X-Mailer"
	case "X-Original-To":
		return "X-Original-To"
	case "X-Original-Message-Id":
		return "X-Original-Message-Id"
	case "Original-Envelope-Id":
		return "Original-Envelope-Id"
	case "Removal-Recipient":
		return "Removal-Recipient"
	case "Received-Date":
		return "Received-Date"
	}
	return string(k)
}

// headerOf reads the header at the start of b (a returned message), keeping
// the fields a report uses: Message-ID, Date, Subject, From, To,
// Delivered-To and the X- fields. It returns them and the offset after the
// header.
func headerOf(b []byte, max int) (fieldList, int) {
	var l fieldList
	if len(b) > max {
		b = b[:max]
	}
	end, _ := scanFields(b, true, 1000, func(key, value []byte) {
		if len(key) > 2 && key[1] == '-' && (key[0] == 'X' || key[0] == 'x') || keptField(key) {
			l = append(l, field{canonicalKey(key), unfold(value)})
		}
	})
	return l, end
}

// keptField reports whether a field of a returned message's header, other
// than an X- field, is one a report uses.
func keptField(key []byte) bool {
	for _, k := range [...]string{"message-id", "date", "subject", "from", "to", "delivered-to"} {
		if equalFold(key, k) {
			return true
		}
	}
	return false
}

// equalFold reports whether b equals s, a lower-case ASCII string,
// ignoring ASCII case.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// contentType returns the Content-Type field at the start of b, a message.
func contentType(b []byte, max int) string {
	if len(b) > max {
		b = b[:max]
	}
	ct := ""
	scanFields(b, true, 1000, func(key, value []byte) {
		if ct == "" && equalFold(key, "content-type") {
			ct = unfold(value)
		}
	})
	return ct
}

// fieldList is header fields kept in order, read by canonical key.
type fieldList []field

// Get returns the first value of the field key, given in canonical form.
func (l fieldList) Get(key string) string {
	for _, f := range l {
		if f.key == key {
			return f.value
		}
	}
	return ""
}

// Text returns the value of the field key with its RFC 2047 encoded words
// decoded (by go-message, with its character sets).
func (l fieldList) Text(key string) string {
	v := l.Get(key)
	if !strings.Contains(v, "=?") {
		return v
	}
	var h textproto.Header
	h.Set(key, v)
	mh := message.Header{Header: h}
	t, _ := mh.Text(key)
	return t
}

// topHeader reads the header of the email itself, of at most max bytes.
// It returns the MIME fields (Content-*, MIME-Version) as a go-message
// header, from which go-message reads the entity; the fields the report is
// read from (topField) as a list; and the offset of the body. A bounce's
// header is mostly trace and signature fields, which are not kept. A header
// that does not end within max bytes gives tooLong. fields counts the
// fields read, kept or not.
func topHeader(data []byte, max int) (mh textproto.Header, other fieldList, body, fields int, tooLong bool) {
	b := data
	if len(b) > max {
		b = b[:max]
	}
	end, ended := scanFields(b, true, 10000, func(key, value []byte) {
		fields++
		switch {
		case len(key) > 8 && equalFold(key[:8], "content-") || equalFold(key, "mime-version"):
			mh.Add(canonicalKey(key), unfold(value))
		case topField(key):
			other = append(other, field{canonicalKey(key), unfold(value)})
		}
	})
	return mh, other, end, fields, !ended && len(data) > len(b)
}

// topField reports whether a field of the email's own header is one the
// report is read from: sender, subject, date, the automatic-reply markers
// of isAutoReply, X-Failed-Recipients and X-Apple-Unsubscribe.
func topField(key []byte) bool {
	for _, k := range [...]string{"subject", "from", "to", "date", "return-path", "message-id",
		"x-failed-recipients", "auto-submitted", "x-autoreply", "x-autorespond", "x-autoresponder",
		"x-auto-reply", "x-vacation", "precedence", "x-precedence", "x-apple-unsubscribe"} {
		if equalFold(key, k) {
			return true
		}
	}
	return false
}
