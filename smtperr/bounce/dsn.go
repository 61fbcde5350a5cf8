package bounce

import (
	"net/mail"
	"strings"
	"time"
)

// field is one header field of a delivery-status or feedback-report part.
type field struct{ key, value string }

// readFields reads the fields of an RFC 3464 or RFC 5965 machine-readable
// part: groups of header fields, separated by blank lines. Lines that are no
// field are skipped, so a sloppy part still yields what it says. Only the
// fields named in want (lower case) are kept; their keys are canonical
// ("Reporting-Mta").
func readFields(b []byte, maxFields int, want []string) []field {
	var fs []field
	scanFields(b, false, maxFields, func(key, value []byte) {
		for _, w := range want {
			if equalFold(key, w) {
				fs = append(fs, field{canonicalKey(key), unfold(value)})
				return
			}
		}
	})
	return fs
}

// dsnFields are the delivery-status fields parseDSN reads.
var dsnFields = []string{"reporting-mta", "arrival-date", "x-original-message-id", "original-envelope-id",
	"original-recipient", "final-recipient", "x-actual-recipient", "action", "status", "remote-mta",
	"diagnostic-code", "last-attempt-date"}

// dsnRecipient is one per-recipient group of a delivery-status part.
type dsnRecipient struct {
	final, original, action, status, remote, diag, diagType string
	// statusText is the comment after the status code ("4.0.0 (host
	// name lookup failure)").
	statusText  string
	lastAttempt time.Time
}

// complete reports whether a recipient group has its action or status, so
// that a recipient field that follows starts the next group.
func (r *dsnRecipient) complete() bool { return r.action != "" || r.status != "" }

// dsnMessage is what a delivery-status part says about the message.
type dsnMessage struct {
	reportingMTA string
	arrival      time.Time
	messageID    string
	recipients   []dsnRecipient
}

// parseDSN reads the fields of a delivery-status part. Fields of the
// per-recipient groups start a new recipient when they repeat, so a part
// without the blank lines between groups still reads right.
func parseDSN(b []byte) dsnMessage {
	var m dsnMessage
	var cur *dsnRecipient
	newRcpt := func() {
		if len(m.recipients) < maxRecords {
			m.recipients = append(m.recipients, dsnRecipient{})
		}
		cur = &m.recipients[len(m.recipients)-1]
	}
	for _, f := range readFields(b, 4*maxRecords, dsnFields) {
		v := f.value
		switch f.key {
		case "Reporting-Mta":
			m.reportingMTA = typedValue(v)
		case "Arrival-Date":
			m.arrival = parseDate(v)
		case "X-Original-Message-Id", "Original-Envelope-Id":
			if m.messageID == "" && strings.Contains(v, "@") {
				m.messageID = strings.Trim(strings.TrimSpace(v), "<>")
			}
		case "Original-Recipient":
			a := address(typedValue(v))
			if cur == nil || cur.original != "" || cur.final != "" && cur.complete() && !strings.EqualFold(cur.final, a) {
				newRcpt()
			}
			cur.original = a
		case "Final-Recipient", "X-Actual-Recipient":
			if f.key == "X-Actual-Recipient" && cur != nil {
				if cur.final == "" {
					cur.final = address(typedValue(v))
				}
				continue
			}
			// Some reporters write the status and diagnostic before the
			// recipient; those fields belong to the group still without one.
			a := address(typedValue(v))
			if cur == nil || cur.final != "" || cur.original != "" && cur.complete() && !strings.EqualFold(cur.original, a) {
				newRcpt()
			}
			cur.final = a
		case "Action":
			if cur == nil {
				newRcpt()
			}
			a, _, _ := strings.Cut(strings.TrimSpace(v), " ")
			cur.action = strings.ToLower(strings.Trim(a, "()"))
		case "Status":
			if cur == nil {
				newRcpt()
			}
			if c, ok := findStatus(v); ok {
				cur.status = c
				if _, after, ok := strings.Cut(v, c); ok {
					cur.statusText = strings.Trim(strings.TrimSpace(after), "()")
				}
			}
		case "Remote-Mta":
			if cur == nil {
				newRcpt()
			}
			cur.remote = typedValue(v)
		case "Diagnostic-Code":
			if cur == nil {
				newRcpt()
			}
			t, rest, ok := strings.Cut(v, ";")
			if ok && !strings.ContainsAny(t, " \t") && len(t) < 20 {
				cur.diagType = strings.ToLower(strings.TrimSpace(t))
				v = rest
			}
			if cur.diag == "" {
				cur.diag = strings.TrimSpace(v)
			} else {
				cur.diag += " " + strings.TrimSpace(v)
			}
		case "Last-Attempt-Date":
			if cur == nil {
				newRcpt()
			}
			cur.lastAttempt = parseDate(v)
		}
	}
	// Groups that name no recipient and say nothing are dropped.
	out := m.recipients[:0]
	for _, r := range m.recipients {
		if r.final == "" && r.original == "" && r.status == "" && r.diag == "" && r.action == "" {
			continue
		}
		out = append(out, r)
	}
	m.recipients = out
	return m
}

// typedValue strips the type of a typed DSN field ("rfc822; a@b" → "a@b").
func typedValue(v string) string {
	if t, rest, ok := strings.Cut(v, ";"); ok && !strings.ContainsAny(strings.TrimSpace(t), " \t@") {
		v = rest
	}
	return strings.TrimSpace(v)
}

// address cleans an address taken from a field or a text: angle brackets,
// quotes and a trailing dot or colon go; a mailto: prefix too.
func address(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			s = s[i+1 : i+j]
		}
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "mailto:"), "MAILTO:")
	s = strings.Trim(s, "<>\"'()[]:;,. \t")
	if f := strings.Fields(s); len(f) > 0 {
		s = f[0]
	}
	return s
}

// parseDate reads an RFC 5322 date, as net/mail does, or returns zero.
func parseDate(v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	// The common form first: net/mail tries many layouts, each failure
	// costing an error value.
	fast := v
	if i := strings.IndexByte(fast, '('); i > 0 {
		fast = strings.TrimSpace(fast[:i])
	}
	if strings.Contains(fast, "  ") {
		fast = strings.Join(strings.Fields(fast), " ")
	}
	layout := "Mon, 2 Jan 2006 15:04:05 -0700"
	if fast != "" && isDigit(fast[0]) {
		layout = "2 Jan 2006 15:04:05 -0700" // no day of the week
	}
	if t, err := time.Parse(layout, fast); err == nil {
		return t
	}
	t, err := mail.ParseDate(v)
	if err != nil {
		// Some reporters add a comment or a zone name after the date.
		if i := strings.LastIndexByte(v, '('); i > 0 {
			t, err = mail.ParseDate(strings.TrimSpace(v[:i]))
		}
		if err != nil {
			return time.Time{}
		}
	}
	return t
}

// findStatus finds the first RFC 3463 status code (class 2, 4 or 5) in s.
func findStatus(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '2' && c != '4' && c != '5' {
			continue
		}
		if i > 0 && (isDigit(s[i-1]) || s[i-1] == '.') {
			continue
		}
		j := i + 1
		if j >= len(s) || s[j] != '.' {
			continue
		}
		j++
		k := j
		for k < len(s) && isDigit(s[k]) && k-j < 3 {
			k++
		}
		if k == j || k >= len(s) || s[k] != '.' {
			continue
		}
		k++
		l := k
		for l < len(s) && isDigit(s[l]) && l-k < 3 {
			l++
		}
		if l == k || (l < len(s) && (isDigit(s[l]) || (s[l] == '.' && l+1 < len(s) && isDigit(s[l+1])))) {
			continue
		}
		return s[i:l], true
	}
	return "", false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// embeddedDSN returns the delivery-status fields written into a text part
// (by reporters that send no message/delivery-status part, or whose MIME
// structure is broken): the text from the first Reporting-MTA or
// Final-Recipient line up to the copy of the returned message.
func embeddedDSN(texts []string) []byte {
	for _, t := range texts {
		i := indexFold(t, "\nfinal-recipient:")
		if i < 0 {
			continue
		}
		if j := indexFold(t, "\nreporting-mta:"); j >= 0 && j < i {
			i = j
		}
		rest := t[i+1:]
		if k, _ := splitOriginal(rest); len(k) < len(rest) {
			rest = k
		}
		return []byte(rest)
	}
	return nil
}

// indexFold is strings.Index ignoring ASCII case of sub, which is lower case.
// It jumps from one occurrence of sub's first byte, in either case, to the
// next, in time linear in len(s).
func indexFold(s, sub string) int {
	n := len(sub)
	if n == 0 {
		return 0
	}
	end := len(s) - n + 1 // the last start, exclusive
	if end <= 0 {
		return -1
	}
	c0, u0 := sub[0], sub[0]
	if c0 >= 'a' && c0 <= 'z' {
		u0 = c0 - ('a' - 'A')
	}
	next := func(c byte, from int) int {
		if k := strings.IndexByte(s[from:end], c); k >= 0 {
			return from + k
		}
		return end
	}
	nl, nu := -1, -1
	if u0 == c0 {
		nu = end // one case only
	}
	for i := 0; i < end; {
		if nl < i {
			nl = next(c0, i)
		}
		if nu < i {
			nu = next(u0, i)
		}
		j := min(nl, nu)
		if j >= end {
			return -1
		}
		if strings.EqualFold(s[j:j+n], sub) {
			return j
		}
		i = j + 1
	}
	return -1
}
