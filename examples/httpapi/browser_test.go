package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// chromiumPath is where Debian's chromium package installs the browser.
const chromiumPath = "/usr/bin/chromium"

// skipWithoutChromium skips t when Chromium is not installed, or fails it
// when SENDCHECK_REQUIRE_CHROMIUM is set (as CI does).
func skipWithoutChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("SENDCHECK_REQUIRE_CHROMIUM") != "" {
			t.Fatalf("SENDCHECK_REQUIRE_CHROMIUM is set but %s is missing: %v", chromiumPath, err)
		}
		t.Skipf("headless browser test skipped: %s not found (install Debian's chromium package: apt-get install -y chromium)", chromiumPath)
	}
}

// dumpDOM loads u in headless Chromium and returns the DOM after the page
// loaded, serialized. It skips the test when Chromium is not installed.
func dumpDOM(t *testing.T, u string) string {
	t.Helper()
	skipWithoutChromium(t)
	// A guard against a browser that hangs, not a measure of speed.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromiumPath,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--user-data-dir="+t.TempDir(),
		"--dump-dom", u)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	dom := stdout.String()
	if !strings.Contains(dom, "<html") {
		t.Fatalf("chromium printed no DOM:\n%s\n%s", dom, stderr.String())
	}
	return dom
}

// TestBrowserPage loads the page in a real browser: the empty page with its
// two forms, the answer for a pasted error (what submitting the first form
// requests), the answer for a domain, and an attempt to inject markup.
func TestBrowserPage(t *testing.T) {
	ts, _ := newTestServer(t, nil)

	t.Run("forms", func(t *testing.T) {
		dom := dumpDOM(t, ts.URL+"/")
		for _, want := range []string{`id="explain-form"`, `name="reply"`, `id="domain-form"`, `name="domain"`, `name="smtp_host"`} {
			if !strings.Contains(dom, want) {
				t.Errorf("DOM lacks %s", want)
			}
		}
		if strings.Contains(dom, `id="explanation"`) || strings.Contains(dom, `id="report"`) {
			t.Error("the empty page shows a result")
		}
	})

	t.Run("explain", func(t *testing.T) {
		dom := dumpDOM(t, ts.URL+"/?reply="+url.QueryEscape(sesReply))
		for _, want := range []string{`id="explanation"`, "sender_not_verified", "reply 554", "Amazon SES", "sender_account", "no: retrying will fail the same way"} {
			if !strings.Contains(dom, want) {
				t.Errorf("DOM lacks %q", want)
			}
		}
		// The pasted text stays in the box, as text.
		if !strings.Contains(dom, "Email address is not verified") {
			t.Error("the reply is not shown")
		}
	})

	t.Run("domain", func(t *testing.T) {
		dom := dumpDOM(t, ts.URL+"/?domain=broken.example&smtp_host=smtp.sendgrid.net")
		for _, want := range []string{`id="report"`, "Readiness of broken.example for SendGrid", "spf.missing", "dmarc.missing", "Publish: "} {
			if !strings.Contains(dom, want) {
				t.Errorf("DOM lacks %q", want)
			}
		}
	})

	t.Run("injection", func(t *testing.T) {
		attack := `550 <img id="pwned" src="x"><script id="pwned2">document.title="pwned"</script>`
		dom := dumpDOM(t, ts.URL+"/?reply="+url.QueryEscape(attack))
		if strings.Contains(dom, `<img id="pwned"`) || strings.Contains(dom, `<script id="pwned2"`) {
			t.Errorf("markup from the reply became part of the page:\n%s", dom)
		}
		if strings.Contains(dom, "<title>pwned</title>") {
			t.Error("a script from the reply ran")
		}
		if !strings.Contains(dom, "&lt;img id=") {
			t.Error("the reply is not shown as text")
		}
	})
}
