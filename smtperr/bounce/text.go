package bounce

import (
	"bytes"
	"strings"
)

// Free-text reports have no fixed shape, but the families of mail software
// write them alike: a preamble ("I'm afraid I wasn't able to deliver your
// message", "The following address(es) failed"), each failed address on a
// line of its own or at the start of a line, the remote server's reply
// beside it or in the lines that follow, and then a separator line before
// a copy of the returned message. The reader below follows that structure;
// it does not know individual messages.

// splitOriginal cuts text at the line that introduces the copy of the
// returned message, and returns the text before it and the copy. When no
// such line exists, it looks for the start of a header block (a Received or
// Return-Path line) after the report text.
func splitOriginal(text string) (main, orig string) {
	off := 0
	for off < len(text) {
		end := strings.IndexByte(text[off:], '\n')
		var line string
		next := len(text)
		if end < 0 {
			line = text[off:]
		} else {
			line = text[off : off+end]
			next = off + end + 1
		}
		if isOriginalSeparator(line) {
			return text[:off], text[next:]
		}
		off = next
	}
	// No separator: a header block of the returned message, if any.
	for _, k := range []string{"\nReturn-Path:", "\nReceived:", "\nReturn-path:"} {
		if i := strings.Index(text, k); i > 0 {
			return text[:i], text[i+1:]
		}
	}
	return text, ""
}

// isOriginalSeparator reports whether a line introduces the copy of the
// returned message or its header.
func isOriginalSeparator(line string) bool {
	t := strings.TrimSpace(line)
	if len(t) < 10 || len(t) > 200 {
		return false
	}
	marked := strings.HasPrefix(t, "---") || strings.HasPrefix(t, "===") || strings.HasPrefix(t, "***") ||
		strings.HasPrefix(t, "___") || strings.HasSuffix(t, "---") || strings.HasSuffix(t, ":")
	if !marked {
		return false
	}
	// Lines are mostly ASCII: lower-cased into a small buffer, they are
	// searched for the ASCII words directly.
	var buf [200]byte
	low := buf[:len(t)]
	ascii := true
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= 0x80 {
			ascii = false
			break
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		low[i] = c
	}
	for i, w := range originalWords {
		if ascii {
			if originalWordsASCII[i] != nil && bytes.Contains(low, originalWordsASCII[i]) {
				return true
			}
			continue
		}
		if indexFold(t, w) >= 0 {
			return true
		}
	}
	return false
}

// originalWordsASCII holds the words of originalWords written in ASCII, as
// bytes, and nil for the others, which an ASCII line cannot hold.
var originalWordsASCII = func() [][]byte {
	m := make([][]byte, len(originalWords))
	for i, w := range originalWords {
		if !strings.ContainsFunc(w, func(r rune) bool { return r >= 0x80 }) {
			m[i] = []byte(w)
		}
	}
	return m
}()

// originalWords are phrases of the line before a returned message, in the
// wordings of qmail, Exim, Sendmail, Postfix, Gmail, Exchange and others.
var originalWords = []string{
	"original message", "copy of the message", "copy of your message", "below this line",
	"returned message", "message headers follow", "original headers", "headers of the original",
	"unsent message", "original mail", "returned mail", "message follows", "the message you sent",
	"message header", "undelivered message", "rejected message", "content of the message",
	"original text", "début du message", "ursprüngliche nachricht", "mensaje original",
	"mensagem original", "messaggio originale", "元のメッセージ", "原始邮件", "исходное сообщение",
}

// bounceSignals reports how strongly the report's own header says it is a
// failure report: the sender is a mailer daemon or postmaster, or the subject
// reads like one.
func bounceSignals(from, subject string) bool {
	f := strings.ToLower(from)
	for _, w := range []string{"mailer-daemon", "postmaster", "post_master", "mail delivery", "mail-daemon", "maildaemon",
		"mailer daemon", "bounce", "mail administrator", "mail system", "mdaemon", "noreply-dmarc"} {
		if strings.Contains(f, w) {
			return true
		}
	}
	s := strings.ToLower(subject)
	for _, w := range bounceSubjectWords {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// bounceSubjectWords are words of the subjects of failure reports, in
// several languages.
var bounceSubjectWords = []string{
	"undeliver", "undelivered", "delivery status", "delivery failure", "delivery failed",
	"failure notice", "failed delivery", "delivery notification", "returned mail", "returned to sender",
	"mail delivery failed", "could not be delivered", "not delivered", "nondeliverable", "non-deliverable",
	"delivery problem", "delivery has failed", "delivery delayed", "delayed mail", "warning: could not send",
	"message status", "mail system error", "bounce", "rejected", "delivery report", "non remis",
	"non délivré", "échec", "unzustellbar", "nicht zustellbar", "fehlgeschlagen", "no entregado",
	"no se puede entregar", "no se pudo entregar", "não entregue", "não foi possível entregar", "falha na entrega",
	"non recapitabile", "mancato recapito", "errore di consegna", "配信", "送信できません", "エラー", "未送达",
	"退信", "无法投递", "投递失败", "退回", "не доставлено", "недоставленное", "не может быть доставлено",
	"ошибка доставки",
}

// addrSpan is an address found in a text, with the line it is on.
type addrSpan struct {
	addr string
	line int
}

// findAddresses returns the addresses in lines, in order.
func findAddresses(lines []string, max int) []addrSpan {
	var out []addrSpan
	for i, l := range lines {
		for off := 0; off < len(l) && len(out) < max; {
			at := strings.IndexByte(l[off:], '@')
			if at < 0 {
				break
			}
			at += off
			s := at
			for s > 0 && isAddrByte(l[s-1]) {
				s--
			}
			e := at + 1
			for e < len(l) && isAddrByte(l[e]) {
				e++
			}
			off = e
			if s == at || e == at+1 {
				continue
			}
			local, domain := l[s:at], strings.TrimRight(l[at+1:e], ".-")
			if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.Contains(domain, "..") {
				continue
			}
			if s >= 1 && l[s-1] == '/' || s >= 7 && strings.EqualFold(l[s-7:s], "mailto:") && strings.Contains(l[:s], "://") {
				continue // part of a URL
			}
			local = strings.TrimLeft(local, ".")
			if local == "" {
				continue
			}
			out = append(out, addrSpan{addr: local + "@" + domain, line: i})
		}
	}
	return out
}

func isAddrByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		strings.IndexByte(".-_+=%&'*!#$^`{|}~/", c) >= 0 || c >= 0x80
}

// isServiceAddress reports whether an address is a mail system's own
// (postmaster, mailer-daemon, a mailing list's -request address) rather
// than a person's.
func isServiceAddress(a string) bool {
	l, _, _ := strings.Cut(strings.ToLower(a), "@")
	switch l {
	case "postmaster", "mailer-daemon", "mailer_daemon", "maildaemon", "mail-daemon", "abuse", "root",
		"noreply", "no-reply", "do-not-reply", "donotreply", "bounce", "bounces":
		return true
	}
	if strings.HasPrefix(l, "mailer-daemon") || strings.HasPrefix(l, "postmaster") || strings.HasPrefix(l, "owner-") {
		return true
	}
	// A mailing list's control addresses.
	for _, suf := range [...]string{"-request", "-owner", "-ctl", "-subscribe", "-unsubscribe", "-bounces"} {
		if strings.HasSuffix(l, suf) {
			return true
		}
	}
	return false
}

// hasReplyCode reports whether a line carries an SMTP reply code (a
// three-digit 4xx or 5xx number standing alone) or an enhanced status code.
func hasReplyCode(line string) bool {
	return hasEnhancedFailure(line) || hasBasicCode(line)
}

// hasEnhancedFailure reports whether a line carries a 4.x.x or 5.x.x
// enhanced status code.
func hasEnhancedFailure(line string) bool {
	c, ok := failureStatus(line)
	return ok && c[0] != '2'
}

// hasBasicCode reports whether a line carries a three-digit 4xx or 5xx
// reply code standing alone.
func hasBasicCode(line string) bool {
	for i := 0; i+3 <= len(line); i++ {
		c := line[i]
		if c != '4' && c != '5' {
			continue
		}
		if i > 0 && (isDigit(line[i-1]) || line[i-1] == '.' || line[i-1] == '#' || line[i-1] == ':' && i > 1 && isDigit(line[i-2])) {
			continue
		}
		if !isDigit(line[i+1]) || !isDigit(line[i+2]) || line[i+1] > '5' {
			continue
		}
		if i+3 < len(line) && line[i+3] != ' ' && line[i+3] != '-' && line[i+3] != '\t' && line[i+3] != ',' && line[i+3] != ')' {
			continue
		}
		return true
	}
	return false
}

// textRecord is a recipient and its diagnostic read from a free-text report.
type textRecord struct {
	addr string
	diag string
}

// readText reads the failed recipients of a free-text report. skip holds
// addresses that are not recipients (the report's own From and To, the
// envelope sender of the returned message). failed holds recipients the
// report's header names (X-Failed-Recipients).
func readText(main string, skip map[string]bool, failed []string) []textRecord {
	lines := strings.Split(main, "\n")
	if len(lines) > 2000 {
		lines = lines[:2000]
	}
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, "\r \t")
	}
	spans := findAddresses(lines, 4*maxRecords)

	// The candidates: addresses that are not the sender's, not in a MAIL
	// FROM command, in order of first appearance. Service addresses
	// (postmaster) and addresses on lines that quote the returned
	// message's header ("To: ...") are weak: they count only when no other
	// address is found.
	type cand struct {
		addr  string
		first int
	}
	var cands, weak []cand
	seen := map[string]bool{}
	for _, s := range spans {
		k := strings.ToLower(s.addr)
		if seen[k] || skip[k] || inMailFrom(lines[s.line], s.addr) {
			continue
		}
		seen[k] = true
		if isServiceAddress(k) || quotesHeader(lines[s.line]) {
			weak = append(weak, cand{s.addr, s.line})
			continue
		}
		cands = append(cands, cand{s.addr, s.line})
	}
	if len(cands) == 0 {
		cands = weak
	}
	if len(failed) > 0 {
		// The header names the recipients; find each one's place.
		var fc []cand
		for _, f := range failed {
			line := -1
			for _, s := range spans {
				if strings.EqualFold(s.addr, f) {
					line = s.line
					break
				}
			}
			fc = append(fc, cand{f, line})
		}
		cands = fc
	}
	if len(cands) > maxRecords {
		cands = cands[:maxRecords]
	}

	var out []textRecord
	for i, c := range cands {
		end := len(lines)
		for _, d := range cands[i+1:] {
			if d.first > c.first {
				end = d.first
				break
			}
		}
		diag := ""
		if c.first >= 0 {
			diag = diagnosticIn(lines, c.first, end, c.addr)
		}
		out = append(out, textRecord{addr: c.addr, diag: diag})
	}
	// A recipient listed without its own text shares the one of the next
	// recipient that has text, as when several addresses precede one reply.
	for i := len(out) - 2; i >= 0; i-- {
		if out[i].diag == "" {
			out[i].diag = out[i+1].diag
		}
	}
	return out
}

// inMailFrom reports whether addr appears on line as the argument of a MAIL
// FROM command or as the envelope sender.
func inMailFrom(line, addr string) bool {
	i := strings.Index(line, addr)
	if i < 0 {
		return false
	}
	before := strings.ToLower(strings.TrimRight(line[max(0, i-40):i], "< "))
	if strings.HasSuffix(before, "mail from:") || strings.HasSuffix(before, "envelope-from") {
		return true
	}
	// "From: a@b" quoting the sender, but not Sendmail's "(expanded from:
	// <a@b>)", which names the recipient an alias came from.
	return strings.HasSuffix(before, "from:") && !strings.HasSuffix(before, "expanded from:")
}

// quotesHeader reports whether a line quotes a header field of the
// returned message ("  To: a@example.org", "From: ...", a Message-ID).
func quotesHeader(line string) bool {
	t := strings.TrimLeft(line, " \t>")
	t = strings.ToLower(t[:min(len(t), 20)])
	for _, k := range []string{"to:", "cc:", "from:", "reply-to:", "sender:", "return-path:", "envelope-from", "original sender", "sender address",
		"message-id:", "references:", "in-reply-to:", "resent-message-id:"} {
		if strings.HasPrefix(t, k) {
			return true
		}
	}
	return false
}

// diagnosticIn returns the diagnostic text for the address at lines[first]:
// the reply-bearing paragraph in lines[first:end], or else the address's
// line without the address and the lines after it.
func diagnosticIn(lines []string, first, end int, addr string) string {
	if end-first > 25 {
		end = first + 25
	}
	for i := first; i < end; i++ {
		if isOriginalSeparator(lines[i]) {
			end = i
			break
		}
	}
	// A line with the server's reply code wins over one that only names
	// an enhanced code ("see DSN 5.1.10 Errors in Exchange Online").
	at := -1
	for i := first; i < end && at < 0; i++ {
		if hasBasicCode(lines[i]) {
			at = i
		}
	}
	for i := first; i < end && at < 0; i++ {
		if hasEnhancedFailure(lines[i]) {
			at = i
		}
	}
	if at >= 0 {
		i := at
		// The paragraph from the reply-bearing line on, with the line
		// before it when that one introduces it ("... said:", "SMTP error
		// from remote mail server after RCPT TO:").
		// The lines between the address and the reply, in the same
		// paragraph, say at which step the reply came ("Connected to
		// 192.0.2.1 but sender was rejected.", "SMTP error from remote mail
		// server after EHLO").
		start := i
		for start > first && i-start < 4 && strings.TrimSpace(lines[start-1]) != "" {
			start--
		}
		if start == i && i > first && strings.HasSuffix(strings.TrimSpace(lines[i-1]), ":") {
			start = i - 1
		}
		last := start + 12
		if i == first {
			// Sendmail's transcript: the command and the server's reply
			// (">>> MAIL From:<a@b>", "<<< 550 ...") come before the
			// line that names the recipient, and are what failed.
			// Sendmail's own lines about other hosts ("421 mx.example.org
			// (smtp)... Deferred: ...") may stand between them.
			t := first
			for k := first; k > 0 && first-k < 8; k-- {
				if isTranscriptLine(lines[k-1]) {
					t = k - 1
				} else if !isHostStatusLine(lines[k-1]) {
					break
				}
			}
			if t < first {
				start = t
				// The recipient's line and what follows it up to the
				// next reply, which is about another host or recipient.
				last = first + 1
				for last < end && last < first+6 && !hasBasicCode(lines[last]) && !isTranscriptLine(lines[last]) {
					last++
				}
			}
		}
		var b strings.Builder
		for j := start; j < end && j < last && b.Len() < maxDiag; j++ {
			t := strings.TrimSpace(lines[j])
			if j < first && isHostStatusLine(t) {
				continue
			}
			if j == first && addr != "" {
				t = withoutLabel(t, addr)
			}
			if t == "" {
				if j == start {
					continue
				}
				break
			}
			t = t[:min(len(t), maxDiag)]
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(t)
		}
		return clip(b.String())
	}
	// No reply code: the address's line without the address, and the
	// lines that follow it, across blank lines, up to the next address.
	var b strings.Builder
	if first < len(lines) {
		l := lines[first]
		if i := indexAddr(l, addr); i >= 0 && addr != "" {
			l = l[:i] + " " + l[i+len(addr):]
		}
		l = strings.Trim(l, "<>:;,()\"'*-• \t")
		b.WriteString(l[:min(len(l), maxDiag)])
	}
	n := 0
	for j := first + 1; j < end && n < 8 && b.Len() < maxDiag; j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" {
			continue
		}
		if isRule(t) {
			if b.Len() > 0 {
				break
			}
			// A rule between a list of addresses and its "details"
			// section.
			continue
		}
		t = t[:min(len(t), maxDiag)]
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
		n++
	}
	return clip(b.String())
}

// isTranscriptLine reports whether a line is a command or a reply of an
// SMTP session transcript (">>> RCPT To:<a@b>", "<<< 550 ...").
func isTranscriptLine(l string) bool {
	t := strings.TrimSpace(l)
	return strings.HasPrefix(t, ">>> ") || strings.HasPrefix(t, "<<< ")
}

// isHostStatusLine reports whether a line is Sendmail's status of a
// host rather than of a recipient ("421 mx.example.org (smtp)... Deferred:
// Connection reset by peer").
func isHostStatusLine(l string) bool {
	t := strings.TrimSpace(l)
	if len(t) < 5 || !isDigit(t[0]) || !isDigit(t[1]) || !isDigit(t[2]) || t[3] != ' ' {
		return false
	}
	host, rest, ok := strings.Cut(t[4:], " ")
	return ok && !strings.ContainsAny(host, "<@") && strings.HasPrefix(rest, "(smtp)...")
}

// isRule reports whether a line is a horizontal rule ("-----", "=====")
// that closes a section of a report.
func isRule(t string) bool {
	if len(t) < 5 {
		return false
	}
	c := t[0]
	if c != '-' && c != '=' && c != '_' && c != '*' && c != '#' {
		return false
	}
	for i := 1; i < len(t); i++ {
		if t[i] != c && t[i] != ' ' {
			return false
		}
	}
	return true
}

// withoutLabel removes a recipient address that labels a line
// ("<a@example.org>: host ... said: 550 ...", "  a@example.org").
func withoutLabel(line, addr string) string {
	t := strings.TrimPrefix(line, "<")
	if len(t) < len(addr) || !strings.EqualFold(t[:len(addr)], addr) {
		return line
	}
	t = strings.TrimPrefix(t[len(addr):], ">")
	return strings.TrimLeft(t, ": \t")
}

// maxDiag is the longest diagnostic kept, in bytes.
const maxDiag = 2048

// clip keeps a diagnostic to a bounded length on a rune boundary.
func clip(s string) string {
	if len(s) <= maxDiag {
		return s
	}
	return strings.ToValidUTF8(s[:maxDiag], "")
}

// firstReplyParagraph returns the first paragraph of text that carries an
// SMTP reply code, or else the whole text, for reports that name no
// recipient beside the reason.
func firstReplyParagraph(text string) string {
	lines := strings.Split(text, "\n")
	if len(lines) > 2000 {
		lines = lines[:2000]
	}
	for i, l := range lines {
		if hasReplyCode(l) {
			return diagnosticIn(lines, i, len(lines), "")
		}
	}
	return clip(oneLine(text))
}

// indexAddr finds addr in line, ignoring case when the exact spelling is
// not there (an address taken from a header field).
func indexAddr(line, addr string) int {
	if i := strings.Index(line, addr); i >= 0 {
		return i
	}
	if len(line) > 4096 {
		return -1
	}
	return strings.Index(strings.ToLower(line), strings.ToLower(addr))
}
