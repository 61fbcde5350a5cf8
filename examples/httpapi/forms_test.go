package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// newBrowser starts headless Chromium under chromedp with a fresh profile
// and returns a context bound to its first tab. The browser ends when the
// test does, before its profile directory is removed. It skips the test
// when Chromium is not installed.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	skipWithoutChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	// A guard against a browser that hangs, not a measure of speed.
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 2*time.Minute)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc() // waits for the browser process to exit
		cancelTimeout()
	})
	// Start the browser now, so that a failure to start reads as such.
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return browserCtx
}

// TestBrowserForms types into the page's forms in a real browser and
// submits them, as a person would.
func TestBrowserForms(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	ctx := newBrowser(t)

	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	open := func() {
		t.Helper()
		run("opening the page",
			chromedp.Navigate(ts.URL+"/"),
			chromedp.WaitVisible(chromedp.ID("explain-form")),
			chromedp.WaitVisible(chromedp.ID("domain-form")),
		)
	}
	// submit types value into the field and presses the form's button,
	// returning once the answer page has loaded.
	submit := func(field, formID, value string) {
		t.Helper()
		run("typing into "+field, chromedp.SendKeys(chromedp.ID(field), value))
		resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#"+formID+" button")))
		if err != nil {
			t.Fatalf("submitting %s: %v", formID, err)
		}
		if resp.Status != http.StatusOK {
			t.Fatalf("submitting %s: status %d", formID, resp.Status)
		}
	}
	evalString := func(expr string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluating %s: %v", expr, err)
		}
		return s
	}
	text := func(id string) string {
		t.Helper()
		return evalString(`(document.getElementById("` + id + `") || {textContent: ""}).textContent`)
	}

	open()
	submit("reply", "explain-form", m365)
	if got := text("cause"); !strings.HasPrefix(got, "sender_not_allowed (reply 554, 5.2.252)") {
		t.Errorf("cause shown: %q", got)
	}
	if got := text("action"); got == "" {
		t.Error("no action shown")
	}
	if got := text("confidence"); got != "high" {
		t.Errorf("confidence shown: %q, want high", got)
	}
	if reply := evalString(`document.getElementById("reply").value`); reply != m365 {
		t.Errorf("the textarea holds %q after submitting", reply)
	}

	open()
	run("typing into smtp_host", chromedp.SendKeys(chromedp.ID("smtp_host"), "smtp.sendgrid.net"))
	submit("domain", "domain-form", "broken.example")
	if got := text("report"); !strings.Contains(got, "spf.missing") || !strings.Contains(got, "for SendGrid") {
		t.Errorf("report shown: %q", got)
	}

	open()
	submit("reply", "explain-form", `550 <img id="pwned" src="x" onerror="document.title='pwned'"><b id="bold">x</b>`)
	noMarkup, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("pwned") === null && document.getElementById("bold") === null`))
	if err != nil {
		t.Fatal(err)
	}
	if !noMarkup {
		t.Error("markup from the pasted reply became part of the page")
	}
	if title := evalString(`document.title`); title != "sendcheck" {
		t.Errorf("page title %q: a script from the reply ran", title)
	}
	if got := text("message"); !strings.Contains(got, `<img id="pwned"`) {
		t.Errorf("the reply is not shown as text: %q", got)
	}
}
