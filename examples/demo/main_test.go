package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func runDemo(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	// The demo's per-run password is 18 random bytes in hex; nothing of
	// that shape may be printed.
	passwordShape := regexp.MustCompile(`[0-9a-f]{36}|AKIA[0-9A-F]{16}`)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
	if passwordShape.MatchString(stdout.String()) || passwordShape.MatchString(stderr.String()) {
		t.Errorf("something shaped like the password was printed:\n%s\n%s", stdout.String(), stderr.String())
	}
	return code, stdout.String(), stderr.String()
}

func TestDemoStory(t *testing.T) {
	code, out, errOut := runDemo(t)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"== 0. The sender identities, read from the provider's API",
		"shop.example   domain  verified  dkim=verified mail-from=verified",
		"promo.example  domain  failed    dkim=failed mail-from=pending",
		"identities: provider_api",
		"identity_not_ready: Amazon SES lists promo.example, but its verification status is failed",
		"== 1. Preflight for Shop <orders@shop.example>",
		"verdict: ready",
		"== 2. Preflight for Promo <deals@promo.example>",
		"verdict: not_ready",
		"rejected (not_verified)",
		"spf.include_missing",
		"spf.permissive_all",
		"dmarc.policy_none",
		"dmarc.no_rua",
		"record: v=spf1 include:sendgrid.net ~all",
		"Shop <orders@shop.example>: accepted",
		"Promo <deals@promo.example>: REFUSED",
		"554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: deals@promo.example",
		"cause:   sender_not_verified [554] from ses, permanent",
		"== 4. A bounce that arrives later",
		"former.customer@example.net: accepted by the provider",
		"bounce (rfc3464) for former.customer@example.net, status 5.1.1, hard bounce",
		"cause:   recipient_unknown [550 5.1.1]",
		"the message: <order-1042@shop.example> \"Your order has shipped\", X-Shop-Order 1042",
		"at send time the same reply explains as: recipient_unknown",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

func TestDemoJSON(t *testing.T) {
	code, out, errOut := runDemo(t, "-json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var got struct {
		Preflight []struct {
			Verdict string `json:"verdict"`
			Sender  struct {
				Verdict string `json:"verdict"`
			} `json:"sender"`
			Domain struct {
				Findings []struct {
					Code     string `json:"code"`
					Severity string `json:"severity"`
				} `json:"findings"`
			} `json:"domain"`
			SMTP struct {
				OK bool `json:"ok"`
			} `json:"smtp"`
		} `json:"preflight"`
		Sends []struct {
			From        string `json:"from"`
			Accepted    bool   `json:"accepted"`
			Explanation *struct {
				Cause    string `json:"cause"`
				Provider string `json:"provider"`
			} `json:"explanation"`
		} `json:"sends"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(got.Preflight) != 2 || len(got.Sends) != 2 {
		t.Fatalf("got %d reports and %d sends", len(got.Preflight), len(got.Sends))
	}
	good, bad := got.Preflight[0], got.Preflight[1]
	if good.Verdict != "ready" || good.Sender.Verdict != "allowed" || !good.SMTP.OK {
		t.Errorf("healthy sender: %+v", good)
	}
	for _, f := range good.Domain.Findings {
		if f.Severity != "info" {
			t.Errorf("healthy domain has finding %s (%s)", f.Code, f.Severity)
		}
	}
	if bad.Verdict != "not_ready" || bad.Sender.Verdict != "rejected" {
		t.Errorf("broken sender: %+v", bad)
	}
	if !got.Sends[0].Accepted || got.Sends[1].Accepted {
		t.Errorf("sends: %+v", got.Sends)
	}
	if e := got.Sends[1].Explanation; e == nil || e.Cause != "sender_not_verified" || e.Provider != "ses" {
		t.Errorf("explanation: %+v", e)
	}
}

func TestDemoUsage(t *testing.T) {
	if code, _, _ := runDemo(t, "extra"); code != 2 {
		t.Errorf("exit %d for an argument, want 2", code)
	}
	if code, _, _ := runDemo(t, "-nope"); code != 2 {
		t.Errorf("exit %d for an unknown flag, want 2", code)
	}
}

func TestDemoCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	if code := run(ctx, nil, strings.NewReader(""), &stdout, &stderr); code != 1 {
		t.Errorf("exit %d with a cancelled context, want 1", code)
	}
	if !strings.Contains(stderr.String(), "unexpected") {
		t.Errorf("stderr does not say what went wrong:\n%s", stderr.String())
	}
}

// TestDemoDeadline: a deadline that passes before the demo is done is exit
// status 3 with one line on stderr naming the DNS resolver.
func TestDemoDeadline(t *testing.T) {
	code, _, errOut := runDemo(t, "-timeout", "1ns")
	if code != 3 {
		t.Fatalf("exit %d, want 3\n%s", code, errOut)
	}
	if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "could not complete") || !strings.Contains(errOut, "DNS resolver 127.0.0.1:") {
		t.Errorf("stderr %q is not one line naming the resolver", errOut)
	}
}
