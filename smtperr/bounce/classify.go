package bounce

import (
	"strings"

	"github.com/emersion/go-smtp"
	"golang.org/x/net/html"

	"github.com/sendcheck/sendcheck/smtperr"
)

// finish sets a record's kind, explanation and severity from its action,
// status and diagnostic.
func finish(r *Record) {
	r.Kind = recordKind(r)
	if r.Kind != KindBounce && r.Kind != KindDelay {
		return
	}
	e := explainRecord(r.Diagnostic, r.Status)
	r.Explanation = e
	if d, ok := failureStatus(r.Diagnostic); ok && (r.Status == "" || d[0] == r.Status[0] && !(genericStatus(d) && !genericStatus(r.Status))) {
		// The remote server's own code is more precise than the reporter's
		// summary of it (5.0.0, or 4.4.7 for a message that expired).
		r.Status = d
	} else if r.Status == "" && !e.Enhanced.IsZero() {
		r.Status = e.Enhanced.String()
	}
	switch {
	case r.Kind == KindBounce && e.Cause == smtperr.CauseUnknown && gaveUp(r):
		// The reply says nothing the explainer knows, but the report says
		// the reporter retried until it gave up.
		expired(e, r.Status)
	case e.Cause == smtperr.CauseNetworkError && strings.Contains(strings.ToLower(r.Diagnostic), "timed out"):
		// A live client's timeout is one failed attempt; in a report the
		// reporting server kept trying, and the message waited in its
		// queue until the report was written.
		expired(e, r.Status)
	case r.DiagnosticType == "x-unix" && vague(e):
		// A local delivery program (a pipe, procmail, a mailbox writer)
		// failed, and its exit says no more.
		setCause(e, smtperr.CauseMailerError, smtperr.ConfidenceMedium)
	}
	r.Severity = Soft
	if r.Kind == KindBounce && hardCause(e.Cause) {
		r.Severity = Hard
	}
}

// genericStatus reports whether a status code is an "other or undefined"
// one (X.0.0), which says nothing beyond its class.
func genericStatus(s string) bool { return strings.HasSuffix(s, ".0.0") }

// recordKind reads the kind from the RFC 3464 action, or from the class of
// the status code when there is no action.
func recordKind(r *Record) Kind {
	switch r.Action {
	case "failed":
		return KindBounce
	case "delayed":
		return KindDelay
	case "delivered", "relayed", "expanded":
		return KindDelivered
	}
	switch {
	case strings.HasPrefix(r.Status, "2."):
		return KindDelivered
	case strings.HasPrefix(r.Status, "4."):
		return KindDelay
	}
	return KindBounce
}

// explainRecord explains a diagnostic with the status code of its report.
// The status counts as evidence when the diagnostic carries no enhanced
// code, or only a generic one (X.0.0) and the status is specific.
func explainRecord(diag, status string) *smtperr.Explanation {
	if i := indexFold(diag, "(delivery attempts: 0)"); i >= 0 {
		// The reporter's count of attempts (Amazon SES writes one): none
		// were retried, so the words say nothing about expiry.
		diag = strings.TrimSpace(diag[:i] + diag[i+len("(delivery attempts: 0)"):])
	}
	e := smtperr.ExplainReply(diag)
	st, err := smtperr.ParseEnhancedCode(status)
	if err != nil || st.IsZero() || st == e.Enhanced {
		return e
	}
	if e.Enhanced.IsZero() || (e.Enhanced[1] == 0 && e.Enhanced[2] == 0 && (st[1] != 0 || st[2] != 0)) {
		code := e.Code
		if code != 0 && code/100 != st[0] {
			code = 0
		}
		return smtperr.Explain(&smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode(st), Message: diag})
	}
	return e
}

// hardCause reports whether a cause says the address itself is bad, so
// that sending to it again fails whatever the sender changes.
func hardCause(c smtperr.Cause) bool {
	switch c {
	case smtperr.CauseRecipientUnknown, smtperr.CauseRecipientDomainUnknown,
		smtperr.CauseRecipientNotAccepting, smtperr.CauseMailboxMoved:
		return true
	}
	return false
}

// isAutoReply reports whether an email is an automatic reply: by its RFC
// 3834 Auto-Submitted field or the fields vacation programs add, by its
// subject, or, for a short email, by the wording of its text.
func isAutoReply(h fieldList, subject, text string) bool {
	as := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted")))
	if strings.HasPrefix(as, "auto-replied") {
		return true
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply", "X-Vacation"} {
		if v := strings.ToLower(strings.TrimSpace(h.Get(k))); v != "" && v != "no" && v != "false" {
			return true
		}
	}
	for _, k := range []string{"Precedence", "X-Precedence"} {
		if strings.EqualFold(strings.TrimSpace(h.Get(k)), "auto_reply") {
			return true
		}
	}
	s := strings.ToLower(subject)
	for _, w := range autoReplySubject {
		if strings.Contains(s, w) {
			return true
		}
	}
	if len(text) < 4096 {
		t := strings.ToLower(text)
		for _, w := range autoReplyText {
			if strings.Contains(t, w) {
				return true
			}
		}
	}
	return false
}

// autoReplySubject are subject words of automatic replies in several
// languages.
var autoReplySubject = []string{
	"auto:", "automatic reply", "auto reply", "auto-reply", "autoreply", "autorespon", "auto response",
	"auto-response", "out of office", "out of the office", "away until", "on vacation", "on leave",
	"abwesenheit", "automatische antwort", "réponse automatique", "reponse automatique", "absence du bureau",
	"respuesta automática", "respuesta automatica", "fuera de la oficina", "resposta automática",
	"resposta automatica", "ausência", "risposta automatica", "fuori sede", "fuori ufficio",
	"自動応答", "自動返信", "不在", "自动回复", "自動回覆", "автоответ", "автоматический ответ", "вне офиса",
}

// autoReplyText are phrases of out-of-office texts in several languages.
var autoReplyText = []string{
	"out of the office", "out of office", "i am currently away", "i'm currently away", "i am away",
	"i will be away", "on vacation", "on holiday", "on annual leave", "limited access to email",
	"upon my return", "when i return", "bin ich nicht im büro", "abwesend", "je suis absent",
	"en congés", "estoy fuera", "estaré fuera", "estou fora", "estarei ausente", "sono assente",
	"fuori ufficio", "不在にしております", "休暇", "我正在休假", "不在办公室", "я в отпуске", "нахожусь в отпуске",
}

// lowerText returns the start of a report's text in lower case, as the
// phrase tests below take it.
func lowerText(text string) string { return strings.ToLower(text[:min(len(text), 64<<10)]) }

// textLooksLikeBounce reports whether a text without header signals reads
// like a failure report; t is the text in lower case.
func textLooksLikeBounce(t string) bool {
	for _, w := range bounceTextWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// bounceTextWords are phrases of failure reports' texts.
var bounceTextWords = []string{
	"could not be delivered", "couldn't be delivered", "undeliverable", "delivery has failed",
	"permanent error", "wasn't able to deliver", "was not able to deliver", "was not delivered",
	"delivery to the following recipient", "failed permanently", "following address(es) failed",
	"following addresses had permanent", "returned to sender", "delivery failed", "unable to deliver",
	"not be delivered", "message not delivered", "did not reach", "has not been delivered",
	"has not yet been delivered", "delivery attempts", "could not deliver", "rejected by",
	"nicht zugestellt", "unzustellbar", "n'a pas pu être", "non remis", "no se ha podido entregar",
	"no pudo ser entregado", "não pôde ser entregue", "não foi entregue", "non è stato possibile recapitare",
	"配信できません", "送信できませんでした", "未能送达", "无法送达", "не может быть доставлено", "не удалось доставить",
	// Mailing-list managers (fml, Mailman, ezmlm, Sympa) refusing a posting
	// or stopping a loop.
	"not a member of this mailing list", "not a member of this list", "not a member of the list",
	"only members can post", "only members may post", "not allowed to post to this",
	"not a subscriber of", "posting to this list is restricted", "duplicated message-id", "mail loop detected",
}

// isDelayText reports whether a free-text report says the message is still
// being retried rather than given up; t is the text in lower case.
func isDelayText(t, subject string) bool {
	for _, w := range []string{"giving up", "given up", "gave up", "not going to try", "too long",
		"permanent", "failed permanently", "will not be retried", "no further"} {
		if strings.Contains(t, w) {
			return false
		}
	}
	s := strings.ToLower(subject)
	for _, w := range []string{"delay", "warning", "verzögert", "retard", "retras", "atras", "ritard"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	for _, w := range []string{"will continue to try", "will keep trying", "still trying", "not yet been delivered",
		"will be retried", "will retry", "retry for", "has been delayed", "was delayed", "is delayed",
		"wird weiter versucht", "continuerons", "seguiremos intentando"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// mtaFamily names the mail software whose wording a free-text report
// shows; low is the text in lower case.
func mtaFamily(rep *Report, low string) string {
	t := low[:min(len(low), 8192)]
	from := strings.ToLower(rep.From)
	for _, f := range []struct{ phrase, name string }{
		{"qmail-send program", "qmail"},
		{"created automatically by mail delivery software", "exim"},
		{"this is the mail system at host", "postfix"},
		{"permanent fatal errors", "sendmail"},
		{"transcript of session follows", "sendmail"},
		{"courier mail server", "courier"},
		{"google tried to deliver", "gmail"},
		{"delivery to the following recipient", "gmail"},
		{"google groups", "google groups"},
		{"did not reach some or all", "exchange"},
		{"delivery has failed to these recipients", "exchange"},
		{"microsoft exchange", "exchange"},
		{"yahoo", "yahoo"},
		{"dragonfly mail agent", "dma"},
		{"opensmtpd", "opensmtpd"},
		{"amazon ses", "ses"},
	} {
		if strings.Contains(t, f.phrase) {
			return f.name
		}
	}
	switch {
	case strings.Contains(from, "googlemail.com") || strings.Contains(from, "google.com"):
		return "gmail"
	case strings.Contains(from, "yahoo"):
		return "yahoo"
	case strings.Contains(from, "outlook.com") || strings.Contains(from, "hotmail.com"):
		return "outlook"
	}
	return ""
}

// htmlText returns the text of an HTML part, one line per block.
func htmlText(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for n := 0; n < 1<<20; n++ {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "title":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "table", "td":
				b.WriteByte('\n')
			}
		}
	}
	return b.String()
}

// failureStatus finds the last status code of the first failure class in a
// diagnostic, or else its first status code: a transcript shows the
// successes before the failure.
func failureStatus(s string) (string, bool) {
	first, ok := "", false
	fail := ""
	for rest := s; len(rest) > 0; {
		c, found := findStatus(rest)
		if !found {
			break
		}
		if !ok {
			first, ok = c, true
		}
		if c[0] != '2' {
			if fail != "" && c[0] != fail[0] {
				break
			}
			// A reporter that quotes the remote server's reply after its
			// own summary ("5.1.0 Unknown address error 550-'5.7.1 ...'",
			// "4.4.7 Message expired <421 4.4.2 Connection timed out>"):
			// the quoted code, of the same class, is the precise one.
			fail = c
		}
		i := strings.Index(rest, c)
		rest = rest[i+len(c):]
	}
	if fail != "" {
		return fail, true
	}
	return first, ok
}

// gaveUp reports whether a failed record says its message was retried
// until the reporter gave up: a transient status on a failure, or the
// wording of an expired message.
func gaveUp(r *Record) bool {
	if strings.HasPrefix(r.Status, "4.") {
		return true
	}
	d := strings.ToLower(r.Diagnostic)
	if strings.Contains(d, "attempts: 0") || strings.Contains(d, "attempts:0") {
		return false // refused at the first attempt
	}
	for _, w := range []string{"giving up", "gave up", "given up", "too long", "retry timeout exceeded",
		"could not deliver for", "could not be delivered for", "not delivered within", "delivery attempts",
		" attempts", "expired", "delivery time", "retry time"} {
		if strings.Contains(d, w) {
			return true
		}
	}
	return false
}

// expired turns an explanation into that of a message whose retries ran
// out.
func expired(e *smtperr.Explanation, status string) {
	setCause(e, smtperr.CauseExpired, smtperr.ConfidenceMedium)
	e.Temporary = false
	e.Basis = smtperr.BasisWeakText
	if strings.HasPrefix(status, "4.") {
		e.Basis = smtperr.BasisEnhancedCode
	}
}

// setCause gives an explanation another cause, read from the report
// rather than from the reply.
func setCause(e *smtperr.Explanation, c smtperr.Cause, conf smtperr.Confidence) {
	e.Cause = c
	e.Party = c.Party()
	e.Summary = c.Summary()
	e.Action = c.Action()
	e.Confidence = conf
}

// vague reports whether an explanation rests on no more than a vague
// phrase, a generic code or the bare reply code.
func vague(e *smtperr.Explanation) bool {
	switch e.Basis {
	case smtperr.BasisNone, smtperr.BasisReplyCode, smtperr.BasisWeakText:
		return true
	case smtperr.BasisEnhancedCode:
		return e.Enhanced[1] == 0 && e.Enhanced[2] == 0
	}
	return false
}
