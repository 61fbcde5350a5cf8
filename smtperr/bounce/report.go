package bounce

import (
	"strings"

	"github.com/sendcheck/sendcheck/smtperr"
)

// report builds the report from what the walk collected.
func (e *email) report(data []byte) *Report {
	rep := &Report{Format: FormatNone, Kind: KindOther}
	rep.Subject = e.header.Text("Subject")
	rep.From = headerAddress(e.header.Get("From"))
	rep.Date = parseDate(e.header.Get("Date"))

	text := strings.Join(e.texts, "\n")
	main, quoted := splitOriginal(text)
	for _, f := range []string{"\nreporting-mta:", "\nfinal-recipient:"} {
		// Delivery-status fields in the text are no human-readable text.
		if i := indexFold(main, f); i >= 0 {
			main = main[:i]
		}
	}
	if e.orig == nil && quoted != "" {
		e.setOriginal(trimQuoted(quoted))
	}
	rep.Original = e.original()

	switch {
	case e.feedback != nil:
		e.readARF(rep, main)
	case len(e.dsn) > 0:
		e.readDSN(rep, main)
	}
	if len(rep.Records) == 0 {
		switch {
		case e.complaintWithoutARF(rep, main):
		case e.readSESText(rep, text):
		case !bounceSignals(rep.From, rep.Subject) && e.header.Get("X-Failed-Recipients") == "" && isAutoReply(e.header, rep.Subject, main):
			rep.Format = FormatAutoReply
			rep.Records = []Record{{Kind: KindAutoReply, Recipient: rep.From, Diagnostic: clip(firstParagraph(main))}}
		default:
			e.readFreeText(rep, main)
		}
	}
	// Records name the message they are about.
	if rep.Original != nil {
		for i := range rep.Records {
			if rep.Records[i].MessageID == "" {
				rep.Records[i].MessageID = rep.Original.MessageID
			}
		}
	}
	rep.Kind = reportKind(rep.Records)
	return rep
}

// reportKind is the kind of the first failure record, or of the first
// record.
func reportKind(rs []Record) Kind {
	for _, r := range rs {
		switch r.Kind {
		case KindBounce, KindDelay, KindDropped, KindComplaint:
			return r.Kind
		}
	}
	if len(rs) > 0 {
		return rs[0].Kind
	}
	return KindOther
}

// readDSN reads the records of RFC 3464 and RFC 6533 parts.
func (e *email) readDSN(rep *Report, main string) {
	rep.Format = FormatDSN
	if e.global {
		rep.Format = FormatGlobalDSN
	}
	var texts []textRecord
	textRead := false
	for _, part := range e.dsn {
		m := parseDSN(part)
		if rep.ReportingMTA == "" {
			rep.ReportingMTA = m.reportingMTA
		}
		for _, d := range m.recipients {
			if len(rep.Records) >= maxRecords {
				break
			}
			r := Record{
				Recipient:         d.final,
				OriginalRecipient: d.original,
				Action:            d.action,
				Status:            d.status,
				RemoteMTA:         d.remote,
				ReportingMTA:      m.reportingMTA,
				Diagnostic:        clip(oneLine(completeReply(d.diag, main))),
				DiagnosticType:    d.diagType,
				ArrivalDate:       m.arrival,
				LastAttempt:       d.lastAttempt,
				MessageID:         m.messageID,
			}
			if r.Diagnostic == "" && hasWords(d.statusText) {
				// A reporter that writes its reason beside the status code
				// only.
				r.Diagnostic = clip(oneLine(d.statusText))
			}
			if r.Recipient == "" {
				r.Recipient = r.OriginalRecipient
			}
			if r.Recipient != "" && !strings.Contains(r.Recipient, "@") {
				// A pipe or file an alias led to (Exim's "pipe to |/bin/x",
				// "save to /var/mail/x"): the text names the address that
				// generated it, which is the one the sender wrote to.
				if a, para := generatedBy(main, r.Recipient); a != "" {
					if r.Diagnostic == "" {
						r.Diagnostic = clip(para)
					}
					if r.OriginalRecipient == "" {
						r.OriginalRecipient = r.Recipient
					}
					r.Recipient = a
				}
			}
			if strings.EqualFold(r.OriginalRecipient, r.Recipient) {
				r.OriginalRecipient = ""
			}
			// The human-readable part often carries the server's reply
			// that the machine-readable one leaves out, or the same reply
			// with the step it answered ("host mx.example.org said: ...
			// (in reply to MAIL FROM command)", "SMTP error from remote mail
			// server after EHLO").
			weak := r.Diagnostic == "" || !hasReplyCode(r.Diagnostic) && !hasWords(r.Diagnostic)
			td := ""
			if weak || r.Recipient != "" && containsFold(main, r.Recipient) {
				// The text is read once, and only when it can help: the
				// diagnostic says little, or the text names the recipient.
				if !textRead {
					texts = readText(main, e.skipAddresses(rep), nil)
					textRead = true
				}
				for _, t := range texts {
					if strings.EqualFold(t.addr, r.Recipient) && t.diag != "" {
						td = oneLine(t.diag)
						break
					}
				}
			}
			switch {
			case weak && td != "":
				r.Diagnostic = td
			case weak && len(m.recipients) == 1 && len(e.dsn) == 1:
				// One recipient: the report's reply paragraph is about it.
				if p := oneLine(firstReplyParagraph(main)); hasReplyCode(p) {
					r.Diagnostic = p
				}
			case td != "" && len(td) > len(r.Diagnostic) && containsFold(td, r.Diagnostic) && sameStatus(td, r.Diagnostic):
				r.Diagnostic = clip(td)
			}
			if r.Recipient == "" {
				continue
			}
			finish(&r)
			rep.Records = append(rep.Records, r)
		}
	}
	if len(rep.Records) == 0 {
		// A report part that names no recipient: read the text instead.
		e.readFreeText(rep, main)
		if len(rep.Records) > 0 {
			rep.Format = FormatDSN
			if e.global {
				rep.Format = FormatGlobalDSN
			}
		}
	}
}

// sameStatus reports whether two texts of one reply name the same failure
// status: a longer text that quotes a transcript with other replies ("503
// 5.0.0 Need RCPT") is no better reading of the reply.
func sameStatus(a, b string) bool {
	sa, _ := failureStatus(a)
	sb, _ := failureStatus(b)
	return sa == sb
}

// generatedBy finds the paragraph of text that names target, a pipe or a
// file, and returns the address it says "generated by" and the paragraph
// without that clause.
func generatedBy(text, target string) (addr, para string) {
	i := strings.Index(text, target)
	if i < 0 {
		return "", ""
	}
	start := strings.LastIndexByte(text[:i], '\n') + 1
	end := strings.Index(text[i:], "\n\n")
	if end < 0 {
		end = len(text)
	} else {
		end += i
	}
	p := oneLine(text[start:min(end, start+2048)])
	g := indexFold(p, "generated by ")
	if g < 0 {
		return "", ""
	}
	rest := p[g+len("generated by "):]
	a, after, _ := strings.Cut(rest, " ")
	a = address(a)
	if !strings.Contains(a, "@") {
		return "", ""
	}
	return a, strings.TrimSpace(p[:g] + after)
}

// completeReply completes the first line of a multi-line reply ("550-5.7.1
// Unauthenticated email from example.com is not accepted due to domain's"),
// as some reporters write it in the Diagnostic-Code field, with the lines
// that follow it in the session transcript of the text.
func completeReply(diag, text string) string {
	d := strings.TrimSpace(diag)
	if len(d) < 8 || !isDigit(d[0]) || !isDigit(d[1]) || !isDigit(d[2]) || d[3] != '-' || strings.ContainsAny(d, "\r\n") {
		return diag
	}
	code := d[:3]
	// The line may be quoted more than once ("(reason: 550-...)" before
	// the transcript); the first quote followed by continuation lines is
	// used.
	for off, tries := 0, 0; tries < 8; tries++ {
		i := strings.Index(text[off:], d)
		if i < 0 {
			break
		}
		off += i + len(d)
		var b strings.Builder
		b.WriteString(d)
		rest := text[off:]
		for n := 0; n < 20 && b.Len() < maxDiag; n++ {
			_, rest, _ = strings.Cut(rest, "\n")
			line, _, _ := strings.Cut(rest, "\n")
			t := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), "<"))
			if len(t) < 4 || t[:3] != code || t[3] != '-' && t[3] != ' ' {
				break
			}
			b.WriteByte(' ')
			b.WriteString(t)
			if t[3] == ' ' {
				break
			}
		}
		if b.Len() > len(d) {
			return b.String()
		}
	}
	return diag
}

// containsFold reports whether s contains sub, ignoring ASCII case.
func containsFold(s, sub string) bool {
	if sub == "" || len(sub) > len(s) {
		return sub == ""
	}
	return indexFold(s, strings.ToLower(sub)) >= 0
}

// hasWords reports whether a diagnostic says more than a code or a word.
func hasWords(s string) bool { return len(strings.Fields(s)) >= 3 }

// readFreeText reads a report in free text.
func (e *email) readFreeText(rep *Report, main string) {
	failedHdr := e.header.Get("X-Failed-Recipients")
	signals := bounceSignals(rep.From, rep.Subject) || failedHdr != ""
	low := lowerText(main)
	if !signals && !textLooksLikeBounce(low) {
		return
	}
	var failed []string
	for _, f := range strings.Split(failedHdr, ",") {
		if a := address(f); strings.Contains(a, "@") && len(failed) < maxRecords {
			failed = append(failed, a)
		}
	}
	trs := readText(main, e.skipAddresses(rep), failed)
	if len(trs) == 0 {
		// The report's own addresses were the only ones: a message sent to
		// oneself, or a report to the failed recipient's own address.
		trs = readText(main, nil, failed)
	}
	if len(trs) == 0 && rep.Original != nil {
		// No address in the text: the returned message's recipients.
		d := ""
		for _, a := range parseAddressList(rep.Original.To) {
			if d == "" {
				d = firstReplyParagraph(main)
			}
			trs = append(trs, textRecord{addr: a, diag: d})
		}
	}
	if len(trs) == 0 {
		return
	}
	rep.Format = FormatText
	rep.MTA = mtaFamily(rep, low)
	delay := isDelayText(low, rep.Subject)
	general, generalDone := "", false
	gaveUp, gaveUpDone := false, false
	for _, t := range trs {
		r := Record{Recipient: t.addr, Diagnostic: oneLine(t.diag)}
		if r.Diagnostic == "" || !hasReplyCode(r.Diagnostic) {
			if !generalDone {
				general, generalDone = clip(oneLine(firstReplyParagraph(main))), true
			}
			// Text near the address without a reply code loses to the
			// server's reply written elsewhere in the report (often
			// before the list of recipients).
			if r.Diagnostic == "" || hasReplyCode(general) {
				r.Diagnostic = general
			}
		}
		if st, ok := failureStatus(r.Diagnostic); ok {
			r.Status = st
		}
		if delay {
			r.Action = "delayed"
		} else {
			r.Action = "failed"
		}
		finish(&r)
		if r.Kind == KindBounce && r.Explanation.Cause == smtperr.CauseUnknown {
			if !gaveUpDone {
				gaveUp, gaveUpDone = textGaveUp(low), true
			}
			if gaveUp {
				// The report says, away from the recipient's lines, that
				// the reporter gave up after retrying.
				expired(r.Explanation, r.Status)
			}
		}
		rep.Records = append(rep.Records, r)
	}
}

// textGaveUp reports whether the text of a free-text report, in lower
// case, says the reporter retried until it gave up ("was aborted after 5.0 hour(s)",
// "this message has been in the queue too long").
func textGaveUp(low string) bool {
	t := low[:min(len(low), 8192)]
	for _, w := range []string{"aborted after", "in the queue too long", "giving up", "gave up", "could not be delivered for",
		"retry timeout exceeded", "retry time exceeded", "not delivered within"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// skipAddresses are the addresses in a report that are not failed
// recipients: the report's own From and To, and the returned message's
// sender.
func (e *email) skipAddresses(rep *Report) map[string]bool {
	m := map[string]bool{}
	add := func(a string) {
		if a != "" {
			m[strings.ToLower(a)] = true
		}
	}
	add(rep.From)
	for _, a := range parseAddressList(e.header.Get("To")) {
		add(a)
	}
	add(address(e.header.Get("Return-Path")))
	if rep.Original != nil {
		for _, a := range parseAddressList(rep.Original.From) {
			add(a)
		}
	}
	// A recipient of the report that is also the returned message's
	// recipient stays a candidate.
	if rep.Original != nil {
		for _, a := range parseAddressList(rep.Original.To) {
			delete(m, strings.ToLower(a))
		}
	}
	return m
}

// oneLine joins the lines of s with single spaces.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") && !strings.Contains(s, "  ") {
		return strings.TrimSpace(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// firstParagraph returns the first paragraph of s that has text.
func firstParagraph(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			if b.Len() > 0 {
				break
			}
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
		if b.Len() > 500 {
			break
		}
	}
	return b.String()
}

// headerAddress returns the address of a header field's value, or the
// value itself when it holds no parsable address.
func headerAddress(v string) string {
	if v == "" {
		return ""
	}
	if as := parseAddressList(v); len(as) > 0 {
		return as[0]
	}
	return address(v)
}

// parseAddressList returns the addresses of an address-list field.
func parseAddressList(v string) []string {
	if v == "" {
		return nil
	}
	var out []string
	for _, s := range findAddresses([]string{v}, 100) {
		out = append(out, s.addr)
	}
	return out
}

// original builds the link back to the returned message.
func (e *email) original() *Original {
	if e.orig == nil {
		return nil
	}
	h := e.orig
	o := &Original{
		MessageID: strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>"),
		Date:      parseDate(h.Get("Date")),
		Subject:   h.Text("Subject"),
		From:      h.Text("From"),
		To:        h.Text("To"),
	}
	for _, f := range h {
		if len(f.key) < 3 || f.key[0] != 'X' || f.key[1] != '-' {
			continue
		}
		if o.Headers == nil {
			o.Headers = map[string][]string{}
		}
		if _, ok := o.Headers[f.key]; ok || len(o.Headers) < 100 {
			o.Headers[f.key] = append(o.Headers[f.key], f.value)
		}
	}
	if o.MessageID == "" && o.Subject == "" && o.From == "" && o.To == "" && len(o.Headers) == 0 {
		return nil
	}
	return o
}

// trimQuoted returns the header block of a returned message quoted in a
// text: from its first header line to the blank line after it, with quoting
// indentation removed.
func trimQuoted(s string) []byte {
	// The first header line, within the first 60 lines.
	start := -1
	for off, n := 0, 0; off < len(s) && n <= 60; n++ {
		l, _, _ := strings.Cut(s[off:], "\n")
		t := strings.TrimLeft(l, " \t>")
		if k, _, ok := strings.Cut(t, ":"); ok && k != "" && !strings.ContainsAny(k, " \t") && len(k) < 40 {
			start = off
			break
		}
		off += len(l) + 1
	}
	if start < 0 {
		return nil
	}
	// The indentation of the first line is the quoting of every line.
	first, _, _ := strings.Cut(s[start:], "\n")
	ind := first[:len(first)-len(strings.TrimLeft(first, " \t>"))]
	var b []byte
	for rest := s[start:]; rest != "" && len(b) <= 64<<10; {
		l, after, found := strings.Cut(rest, "\n")
		rest = after
		l = strings.TrimPrefix(l, ind)
		b = append(b, l...)
		if found {
			b = append(b, '\n')
		}
		if strings.TrimSpace(l) == "" {
			break // the end of the header
		}
	}
	return b
}
