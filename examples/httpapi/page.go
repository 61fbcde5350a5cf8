package main

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"

	"github.com/sendcheck/sendcheck/dnsauth"
	"github.com/sendcheck/sendcheck/smtperr"
)

// pageHTML is the one page of the service. html/template escapes every
// value by its context, so reply text and DNS data show as text.
const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sendcheck</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
textarea, input[type=text] { width: 100%; box-sizing: border-box; font-family: ui-monospace, monospace; }
textarea { height: 6rem; }
form { margin: 1rem 0 1.5rem; }
button { margin-top: .4rem; }
section { border: 1px solid #ccc; border-radius: 6px; padding: 0 1rem 1rem; margin: 1rem 0; }
dt { font-weight: bold; margin-top: .5rem; }
table { border-collapse: collapse; width: 100%; }
td, th { text-align: left; vertical-align: top; padding: .3rem; border-bottom: 1px solid #eee; }
.error { color: #a00; }
.warning { color: #a60; }
code { word-break: break-all; }
</style>
</head>
<body>
<h1>sendcheck</h1>
<p>Paste an SMTP error to learn what it means, or enter a domain to see whether its SPF, DKIM and DMARC are ready.</p>

<form id="explain-form" method="get" action="/">
<label for="reply">SMTP error or reply text</label>
<textarea id="reply" name="reply" maxlength="{{.MaxReply}}" placeholder="554 Message rejected: Email address is not verified. ...">{{.Reply}}</textarea>
<button type="submit">Explain</button>
</form>

<form id="domain-form" method="get" action="/">
<label for="domain">Domain</label>
<input type="text" id="domain" name="domain" value="{{.Domain}}" placeholder="example.com">
<label for="smtp_host">SMTP host it sends through (optional)</label>
<input type="text" id="smtp_host" name="smtp_host" value="{{.SMTPHost}}" placeholder="smtp.sendgrid.net">
<button type="submit">Check domain</button>
</form>

{{with .Error}}<p id="error" class="error">{{.}}</p>{{end}}

{{with .Explanation}}
<section id="explanation">
<h2>What the error means</h2>
<dl>
<dt>Cause</dt><dd id="cause"><code>{{.Cause.String}}</code>{{if .Code}} (reply {{.Code}}{{with .Enhanced.String}}, {{.}}{{end}}){{end}}</dd>
<dt>Confidence</dt><dd id="confidence">{{.Confidence}}{{if eq (print .Confidence) "low"}}: a guess; read the server's words below{{else if eq (print .Confidence) "medium"}}: likely; the server's words below confirm it{{end}}</dd>
<dt>What happened</dt><dd id="summary">{{.Summary}}</dd>
<dt>What to do</dt><dd id="action">{{.Action}}</dd>
<dt>Who must act</dt><dd id="party">{{.Party}}</dd>
{{with .Provider}}<dt>Provider</dt><dd id="provider">{{.}}</dd>{{end}}
<dt>Temporary</dt><dd id="temporary">{{if .Temporary}}yes: retrying later can work{{else}}no: retrying will fail the same way{{end}}</dd>
<dt>The server said</dt><dd id="message"><code>{{.Message}}</code></dd>
</dl>
</section>
{{end}}

{{with .Support}}
<section id="support">
<h2>For the provider's support</h2>
<p>Paste this into a ticket with the provider; add the time the message failed if it is not there.</p>
<pre id="support-summary">{{.}}</pre>
</section>
{{end}}

{{with .Report}}
<section id="report">
<h2>Readiness of {{.Domain}}{{with .ProviderName}} for {{.}}{{end}}</h2>
<p id="report-status">{{if .OK}}No errors.{{else}}Mail from this domain will fail or be rejected until the errors below are fixed.{{end}}</p>
{{if .Findings}}
<table id="findings">
<tr><th>Severity</th><th>Problem</th><th>Fix</th></tr>
{{range .Findings}}
<tr class="{{.Severity}}"><td>{{.Severity}}</td><td><code>{{.Code}}</code>{{with .Name}} at <code>{{.}}</code>{{end}}: {{.Message}}</td><td>{{.Fix}}{{with .Record}}<br>Publish: <code>{{.}}</code>{{end}}</td></tr>
{{end}}
</table>
{{else}}<p>No findings.</p>{{end}}
</section>
{{end}}
</body>
</html>
`

// pageData is what the page shows.
type pageData struct {
	MaxReply    int
	Reply       string
	Domain      string
	SMTPHost    string
	Error       string
	Explanation *smtperr.Explanation
	// Support is the explanation as a summary for the provider's support.
	Support string
	Report  *dnsauth.Report
}

// pageRenderer renders the page.
type pageRenderer struct {
	tmpl *template.Template
}

func newPageRenderer() *pageRenderer {
	return &pageRenderer{tmpl: template.Must(template.New("page").Parse(pageHTML))}
}

// index serves the page; with ?reply= it explains the reply, with ?domain=
// it checks the domain.
func (a *api) index(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	data := pageData{MaxReply: maxReplyBytes, Reply: q.Get("reply"), Domain: strings.TrimSpace(q.Get("domain")), SMTPHost: strings.TrimSpace(q.Get("smtp_host"))}
	status := http.StatusOK
	switch {
	case data.Reply != "":
		if e := validReply(data.Reply, "the reply"); e != nil {
			data.Error, status = e.msg, e.status
			data.Reply = ""
			break
		}
		data.Explanation = smtperr.ExplainReply(data.Reply)
		data.Support = supportSummary(data.Reply, data.Explanation)
	case data.Domain != "":
		r.SetPathValue("domain", data.Domain)
		rq := &readinessQuery{domain: data.Domain}
		rq.opts.SMTPHost = data.SMTPHost
		rep, err := a.checkDomain(r.Context(), rq)
		if err != nil {
			e := a.checkError(r, err)
			data.Error, status = e.msg, e.status
			break
		}
		data.Report = rep
	}
	var buf bytes.Buffer
	if err := a.page.tmpl.Execute(&buf, data); err != nil {
		a.cfg.ErrorLog.Printf("httpapi: rendering the page: %v", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
