//go:build unix

package main

// A minimal Chrome DevTools Protocol client over a minimal WebSocket client
// (RFC 6455), both on the standard library only, so that the browser test
// can type into the page's forms and submit them like a person.

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// maxFrame bounds one WebSocket message from the browser.
const maxFrame = 32 << 20

// wsConn is a client WebSocket connection that sends and receives text
// messages.
type wsConn struct {
	conn net.Conn
	r    *bufio.Reader
}

// dialWS opens a WebSocket connection to a ws:// URL.
func dialWS(ctx context.Context, rawURL string) (*wsConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "ws" {
		return nil, fmt.Errorf("not a ws URL: %q", rawURL)
	}
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	var keyBytes [16]byte
	if _, err := rand.Read(keyBytes[:]); err != nil {
		conn.Close()
		return nil, err
	}
	key := base64.StdEncoding.EncodeToString(keyBytes[:])
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", u.RequestURI(), u.Host, key)
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	resp.Body.Close()
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if resp.StatusCode != http.StatusSwitchingProtocols || resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		conn.Close()
		return nil, fmt.Errorf("websocket handshake refused: %s", resp.Status)
	}
	return &wsConn{conn: conn, r: r}, nil
}

// write sends one masked frame.
func (c *wsConn) write(opcode byte, payload []byte) error {
	hdr := []byte{0x80 | opcode}
	switch n := len(payload); {
	case n < 126:
		hdr = append(hdr, 0x80|byte(n))
	case n <= 0xffff:
		hdr = append(hdr, 0x80|126, byte(n>>8), byte(n))
	default:
		hdr = append(hdr, 0x80|127)
		hdr = binary.BigEndian.AppendUint64(hdr, uint64(n))
	}
	var mask [4]byte
	if _, err := rand.Read(mask[:]); err != nil {
		return err
	}
	hdr = append(hdr, mask[:]...)
	masked := make([]byte, len(payload))
	for i, b := range payload {
		masked[i] = b ^ mask[i%4]
	}
	_, err := c.conn.Write(append(hdr, masked...))
	return err
}

// readMessage returns the next text message, answering pings and joining
// fragments.
func (c *wsConn) readMessage() ([]byte, error) {
	var msg []byte
	for {
		var h [2]byte
		if _, err := io.ReadFull(c.r, h[:]); err != nil {
			return nil, err
		}
		fin, opcode := h[0]&0x80 != 0, h[0]&0x0f
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var b [2]byte
			if _, err := io.ReadFull(c.r, b[:]); err != nil {
				return nil, err
			}
			n = uint64(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			if _, err := io.ReadFull(c.r, b[:]); err != nil {
				return nil, err
			}
			n = binary.BigEndian.Uint64(b[:])
		}
		if h[1]&0x80 != 0 {
			return nil, errors.New("websocket: masked frame from the server")
		}
		if n > maxFrame || uint64(len(msg))+n > maxFrame {
			return nil, errors.New("websocket: message too large")
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(c.r, payload); err != nil {
			return nil, err
		}
		switch opcode {
		case 0x8:
			return nil, io.EOF
		case 0x9:
			if err := c.write(0xA, payload); err != nil {
				return nil, err
			}
			continue
		case 0xA:
			continue
		}
		msg = append(msg, payload...)
		if fin {
			return msg, nil
		}
	}
}

func (c *wsConn) Close() error {
	_ = c.write(0x8, nil)
	return c.conn.Close()
}

// cdp is a DevTools session with one page.
type cdp struct {
	t      *testing.T
	ws     *wsConn
	nextID int
	events []cdpMessage
}

type cdpMessage struct {
	ID     int             `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// call sends a command and returns its result, keeping events that arrive
// meanwhile.
func (c *cdp) call(method string, params any) json.RawMessage {
	c.t.Helper()
	c.nextID++
	id := c.nextID
	b, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		c.t.Fatal(err)
	}
	if err := c.ws.write(0x1, b); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	for {
		m := c.read()
		if m.ID == id {
			if m.Error != nil {
				c.t.Fatalf("%s: %s", method, m.Error.Message)
			}
			return m.Result
		}
		if m.Method != "" {
			c.events = append(c.events, m)
		}
	}
}

func (c *cdp) read() cdpMessage {
	c.t.Helper()
	raw, err := c.ws.readMessage()
	if err != nil {
		c.t.Fatalf("reading from the browser: %v", err)
	}
	var m cdpMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		c.t.Fatalf("browser message %q: %v", raw, err)
	}
	return m
}

// waitEvent returns when the event arrives (or has arrived since the last
// wait).
func (c *cdp) waitEvent(method string) {
	c.t.Helper()
	for i, m := range c.events {
		if m.Method == method {
			c.events = append(c.events[:i:i], c.events[i+1:]...)
			return
		}
	}
	for {
		m := c.read()
		if m.Method == method {
			return
		}
		if m.Method != "" {
			c.events = append(c.events, m)
		}
	}
}

// eval evaluates a JavaScript expression in the page and returns its value.
func (c *cdp) eval(expr string) any {
	c.t.Helper()
	res := c.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true})
	var out struct {
		Result struct {
			Value any `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(res, &out); err != nil {
		c.t.Fatal(err)
	}
	if out.ExceptionDetails != nil {
		c.t.Fatalf("evaluating %s: %s", expr, out.ExceptionDetails.Text)
	}
	return out.Result.Value
}

// startBrowser starts headless Chromium with the DevTools protocol on a
// loopback port and returns a session with its first page.
func startBrowser(t *testing.T, ctx context.Context) *cdp {
	t.Helper()
	skipWithoutChromium(t)
	cmd := exec.CommandContext(ctx, chromiumPath,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--user-data-dir="+t.TempDir(),
		"--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
		"about:blank")
	// Its own process group, so that stopping it stops its helper
	// processes too (they write to the profile directory until they exit).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	t.Cleanup(func() { stopGroup(cmd) })
	// Chromium announces its DevTools endpoint on stderr.
	sc := bufio.NewScanner(stderr)
	var browserWS string
	var seen []string
	for sc.Scan() {
		line := sc.Text()
		if _, after, ok := strings.Cut(line, "DevTools listening on "); ok {
			browserWS = strings.TrimSpace(after)
			break
		}
		if len(seen) < 20 {
			seen = append(seen, line)
		}
	}
	if browserWS == "" {
		t.Fatalf("chromium did not announce a DevTools endpoint:\n%s", strings.Join(seen, "\n"))
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()
	u, err := url.Parse(browserWS)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+u.Host+"/json/list", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("listing browser targets: %v", err)
	}
	defer resp.Body.Close()
	var targets []struct {
		Type string `json:"type"`
		WS   string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&targets); err != nil {
		t.Fatal(err)
	}
	pageWS := ""
	for _, tg := range targets {
		if tg.Type == "page" {
			pageWS = tg.WS
			break
		}
	}
	if pageWS == "" {
		t.Fatalf("no page target among %+v", targets)
	}
	ws, err := dialWS(ctx, pageWS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	c := &cdp{t: t, ws: ws}
	c.call("Page.enable", map[string]any{})
	c.call("Runtime.enable", map[string]any{})
	return c
}

// stopGroup asks the browser's process group to end, then forces it, and
// waits for the browser.
func stopGroup(cmd *exec.Cmd) {
	pgid := cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
	// Helpers that outlive the browser get the same treatment; an error
	// here only means none are left.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// TestBrowserForms types into the page's forms in a real browser and
// submits them, as a person would.
func TestBrowserForms(t *testing.T) {
	ts, _ := newTestServer(t, nil)
	// A guard against a browser that hangs, not a measure of speed.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b := startBrowser(t, ctx)

	open := func() {
		t.Helper()
		b.call("Page.navigate", map[string]any{"url": ts.URL + "/"})
		b.waitEvent("Page.loadEventFired")
	}
	submit := func(field, formID, value string) {
		t.Helper()
		v, _ := json.Marshal(value)
		b.eval(fmt.Sprintf(`document.getElementById(%q).value = %s; document.querySelector("#%s button").click(); true`, field, v, formID))
		b.waitEvent("Page.loadEventFired")
	}
	text := func(id string) string {
		t.Helper()
		v, _ := b.eval(fmt.Sprintf(`(document.getElementById(%q) || {textContent: ""}).textContent`, id)).(string)
		return v
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
	if got := b.eval(`document.getElementById("reply").value`); got != m365 {
		t.Errorf("the textarea holds %q after submitting", got)
	}

	open()
	b.eval(`document.getElementById("smtp_host").value = "smtp.sendgrid.net"; true`)
	submit("domain", "domain-form", "broken.example")
	if got := text("report"); !strings.Contains(got, "spf.missing") || !strings.Contains(got, "for SendGrid") {
		t.Errorf("report shown: %q", got)
	}

	open()
	submit("reply", "explain-form", `550 <img id="pwned" src="x" onerror="document.title='pwned'"><b id="bold">x</b>`)
	if got := b.eval(`document.getElementById("pwned") === null && document.getElementById("bold") === null`); got != true {
		t.Error("markup from the pasted reply became part of the page")
	}
	if got := b.eval(`document.title`); got != "sendcheck" {
		t.Errorf("page title %q: a script from the reply ran", got)
	}
	if got := text("message"); !strings.Contains(got, `<img id="pwned"`) {
		t.Errorf("the reply is not shown as text: %q", got)
	}
}
