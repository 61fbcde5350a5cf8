package identities

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

func list(t *testing.T, p provider.ID, key string, opts *Options) (*Result, error) {
	t.Helper()
	l, err := New(p, NewSecret(key), opts)
	if err != nil {
		t.Fatalf("New(%s): %v", p, err)
	}
	return l.List(context.Background())
}

func mustList(t *testing.T, p provider.ID, key string, opts *Options) *Result {
	t.Helper()
	res, err := list(t, p, key, opts)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	if res.Source != sender.SourceProviderAPI || res.Provider != p || res.ScopeMissing {
		t.Fatalf("result header = %+v", res.IdentityList)
	}
	return res
}

func wantAPIError(t *testing.T, err error, kind ErrorKind, status int) *APIError {
	t.Helper()
	var e *APIError
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want *APIError", err, err)
	}
	if e.Kind != kind || e.StatusCode != status {
		t.Fatalf("err = %v: kind %s status %d, want %s %d", err, e.Kind, e.StatusCode, kind, status)
	}
	if e.Summary == "" || e.Action == "" || e.Party == "" {
		t.Errorf("unexplained error %+v", e)
	}
	return e
}

func checkBrief(t *testing.T, res *Result, want string) {
	t.Helper()
	if got := brief(res); got != want {
		t.Errorf("identities:\n%s\nwant:\n%s", got, want)
	}
}

// SendGrid: shapes from the "Get All Verified Senders" and "List all
// authenticated domains" pages of SendGrid's API reference.
func sendGridDouble(t *testing.T, key string, senders []map[string]any, domains []map[string]any) *Options {
	srv := double(t, bearer(key), map[string]route{
		"/v3/verified_senders": func(w http.ResponseWriter, r *http.Request) {
			last := int64(-1)
			if v := r.URL.Query().Get("lastSeenID"); v != "" {
				last, _ = strconv.ParseInt(v, 10, 64)
			}
			lim, _ := strconv.Atoi(r.URL.Query().Get("limit"))
			out := []map[string]any{}
			for _, s := range senders {
				if s["id"].(int64) > last && len(out) < lim {
					out = append(out, s)
				}
			}
			writeJSON(w, map[string]any{"results": out})
		},
		"/v3/whitelabel/domains": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, window(domains, r, "limit", "offset"))
		},
	})
	return &Options{BaseURL: srv.URL}
}

func TestSendGrid(t *testing.T) {
	const key = "SG.test-key.0123456789"
	t.Run("paged", func(t *testing.T) {
		var senders []map[string]any
		for i := range 101 {
			senders = append(senders, map[string]any{"id": int64(i + 1), "from_email": fmt.Sprintf("s%03d@shop.example", i), "verified": true, "locked": false})
		}
		senders = append(senders,
			map[string]any{"id": int64(500), "nickname": "new", "from_email": "new@shop.example", "verified": false, "locked": false},
			map[string]any{"id": int64(501), "from_email": "old@shop.example", "verified": true, "locked": true})
		domains := []map[string]any{
			{"id": 1, "domain": "shop.example", "subdomain": "em123", "valid": true, "dns": map[string]any{
				"mail_cname": map[string]any{"valid": true, "type": "cname", "host": "em123.shop.example", "data": "u1.wl.sendgrid.net"},
				"dkim1":      map[string]any{"valid": true, "type": "cname", "host": "s1._domainkey.shop.example"},
				"dkim2":      map[string]any{"valid": true, "type": "cname", "host": "s2._domainkey.shop.example"}}},
			{"id": 2, "domain": "promo.example", "valid": false, "dns": map[string]any{
				"mail_cname": map[string]any{"valid": true},
				"dkim1":      map[string]any{"valid": false}}},
		}
		res := mustList(t, provider.SendGrid, key, sendGridDouble(t, key, senders, domains))
		if len(res.Identities) != 105 {
			t.Fatalf("%d identities, want 105 (two pages of senders)", len(res.Identities))
		}
		res.Identities = res.Identities[100:]
		checkBrief(t, res, `s100@shop.example address verified
new@shop.example address pending
old@shop.example address failed
shop.example domain verified dkim=verified rp=verified
promo.example domain pending dkim=pending rp=verified
`)
	})
	t.Run("empty", func(t *testing.T) {
		res := mustList(t, provider.SendGrid, key, sendGridDouble(t, key, nil, nil))
		if len(res.Identities) != 0 || res.Identities == nil {
			t.Errorf("identities = %#v, want an empty list", res.Identities)
		}
	})
	t.Run("mail send only key", func(t *testing.T) {
		srv := double(t, bearer(key), map[string]route{
			"/v3/verified_senders": raw(403, `{"errors":[{"field":null,"message":"access forbidden"}]}`),
		})
		res, err := list(t, provider.SendGrid, key, &Options{BaseURL: srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		if !res.ScopeMissing || res.Source != sender.SourceNone || len(res.Identities) != 0 || len(res.Notes) == 0 {
			t.Errorf("result = %+v, want ScopeMissing with a note", res)
		}
	})
	t.Run("wrong key", func(t *testing.T) {
		srv := double(t, nil, map[string]route{
			"/v3/verified_senders": raw(401, `{"errors":[{"field":null,"message":"authorization required"}]}`),
		})
		_, err := list(t, provider.SendGrid, key, &Options{BaseURL: srv.URL})
		e := wantAPIError(t, err, ErrorUnauthorized, 401)
		if e.Message != "authorization required" {
			t.Errorf("message %q", e.Message)
		}
	})
	t.Run("missing field", func(t *testing.T) {
		srv := double(t, nil, map[string]route{
			"/v3/verified_senders": raw(200, `{"results":[{"id":1,"from_email":"a@shop.example"}]}`),
		})
		_, err := list(t, provider.SendGrid, key, &Options{BaseURL: srv.URL})
		wantAPIError(t, err, ErrorBadResponse, 200)
	})
}

// Mailgun: the shape of GET /v4/domains in Mailgun's API reference.
func TestMailgun(t *testing.T) {
	const key = "key-0123456789abcdef"
	var items []map[string]any
	for i := range 1000 {
		items = append(items, map[string]any{"name": fmt.Sprintf("d%04d.example", i), "state": "active", "type": "custom", "is_disabled": false})
	}
	items = append(items,
		map[string]any{"name": "new.example", "state": "unverified", "type": "custom"},
		map[string]any{"name": "off.example", "state": "disabled", "type": "custom", "is_disabled": true},
		map[string]any{"name": "sandbox123.mailgun.org", "state": "active", "type": "sandbox"})
	srv := double(t, basicAuth("api", key), map[string]route{
		"/v4/domains": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"total_count": len(items), "items": window(items, r, "limit", "skip")})
		},
	})
	res := mustList(t, provider.Mailgun, key, &Options{BaseURL: srv.URL, Region: "EU"})
	if len(res.Identities) != 1003 || res.Region != "eu" {
		t.Fatalf("%d identities in %q, want 1003 in eu", len(res.Identities), res.Region)
	}
	res.Identities = res.Identities[1000:]
	checkBrief(t, res, `new.example domain pending region=eu
off.example domain failed region=eu
sandbox123.mailgun.org domain verified region=eu
`)
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "authorized recipients") {
		t.Errorf("notes = %q", res.Notes)
	}
	t.Run("empty", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/v4/domains": raw(200, `{"total_count":0,"items":[]}`)})
		if res := mustList(t, provider.Mailgun, key, &Options{BaseURL: srv.URL}); len(res.Identities) != 0 {
			t.Errorf("%d identities", len(res.Identities))
		}
	})
	t.Run("short of total", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/v4/domains": raw(200, `{"total_count":5,"items":[{"name":"a.example","state":"active"}]}`)})
		_, err := list(t, provider.Mailgun, key, &Options{BaseURL: srv.URL})
		wantAPIError(t, err, ErrorBadResponse, 200)
	})
	t.Run("invalid key", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/v4/domains": raw(401, `{"message":"Invalid private key"}`)})
		_, err := list(t, provider.Mailgun, key, &Options{BaseURL: srv.URL})
		wantAPIError(t, err, ErrorUnauthorized, 401)
	})
	t.Run("bad region", func(t *testing.T) {
		if _, err := New(provider.Mailgun, NewSecret(key), &Options{Region: "ap"}); err == nil {
			t.Error("region ap accepted")
		}
	})
}

// Postmark: the shapes of the Sender signatures and Domains APIs.
func TestPostmark(t *testing.T) {
	const key = "pm-account-token-0000"
	var sigs []map[string]any
	for i := range 501 {
		sigs = append(sigs, map[string]any{"Domain": "shop.example", "EmailAddress": fmt.Sprintf("s%03d@shop.example", i), "Name": "Shop", "Confirmed": i != 500, "ID": i})
	}
	doms := []map[string]any{
		{"Name": "shop.example", "SPFVerified": true, "DKIMVerified": true, "WeakDKIM": false, "ReturnPathDomainVerified": false, "ID": 1},
		{"Name": "promo.example", "SPFVerified": false, "DKIMVerified": false, "WeakDKIM": false, "ReturnPathDomainVerified": false, "ID": 2},
	}
	srv := double(t, hdr("X-Postmark-Account-Token", key), map[string]route{
		"/senders": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"TotalCount": len(sigs), "SenderSignatures": window(sigs, r, "count", "offset")})
		},
		"/domains": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"TotalCount": len(doms), "Domains": window(doms, r, "count", "offset")})
		},
	})
	res := mustList(t, provider.Postmark, key, &Options{BaseURL: srv.URL})
	if len(res.Identities) != 503 {
		t.Fatalf("%d identities, want 503", len(res.Identities))
	}
	res.Identities = res.Identities[499:]
	checkBrief(t, res, `s499@shop.example address verified
s500@shop.example address pending
shop.example domain verified dkim=verified rp=pending
promo.example domain pending dkim=pending rp=pending
`)
	t.Run("short pages", func(t *testing.T) {
		srv := double(t, nil, map[string]route{
			"/senders": raw(200, `{"TotalCount":3,"SenderSignatures":[]}`),
		})
		_, err := list(t, provider.Postmark, key, &Options{BaseURL: srv.URL})
		wantAPIError(t, err, ErrorBadResponse, 200)
	})
	t.Run("no token", func(t *testing.T) {
		srv := double(t, nil, map[string]route{
			"/senders": raw(401, `{"ErrorCode":10,"Message":"No Account or Server API tokens were supplied in the HTTP headers."}`),
		})
		_, err := list(t, provider.Postmark, key, &Options{BaseURL: srv.URL})
		if e := wantAPIError(t, err, ErrorUnauthorized, 401); e.Code != "10" {
			t.Errorf("code %q", e.Code)
		}
	})
}

// Brevo: the shapes of GET /v3/senders and GET /v3/senders/domains.
func TestBrevo(t *testing.T) {
	const key = "xkeysib-0123456789"
	srv := double(t, hdr("api-key", key), map[string]route{
		"/v3/senders":         raw(200, `{"senders":[{"id":1,"name":"Shop","email":"orders@shop.example","active":true,"ips":[]},{"id":2,"name":"New","email":"new@promo.example","active":false}]}`),
		"/v3/senders/domains": raw(200, `{"domains":[{"id":1,"domain_name":"shop.example","authenticated":true,"verified":true,"ip":null},{"id":2,"domain_name":"promo.example","authenticated":false,"verified":false}]}`),
	})
	res := mustList(t, provider.Brevo, key, &Options{BaseURL: srv.URL})
	checkBrief(t, res, `orders@shop.example address verified
new@promo.example address pending
shop.example domain verified dkim=verified
promo.example domain pending dkim=pending
`)
	t.Run("empty", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/v3/senders": raw(200, `{"senders":[]}`), "/v3/senders/domains": raw(200, `{"domains":[]}`)})
		if res := mustList(t, provider.Brevo, key, &Options{BaseURL: srv.URL}); len(res.Identities) != 0 {
			t.Errorf("%d identities", len(res.Identities))
		}
	})
	t.Run("key not found", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/v3/senders": raw(401, `{"code":"unauthorized","message":"Key not found"}`)})
		_, err := list(t, provider.Brevo, key, &Options{BaseURL: srv.URL})
		if e := wantAPIError(t, err, ErrorUnauthorized, 401); e.Code != "unauthorized" || e.Message != "Key not found" {
			t.Errorf("code %q message %q", e.Code, e.Message)
		}
	})
	t.Run("SMTP key", func(t *testing.T) {
		var ce *ConfigError
		if _, err := New(provider.Brevo, NewSecret("xsmtpsib-abc"), nil); !errors.As(err, &ce) {
			t.Errorf("err = %v, want *ConfigError", err)
		}
	})
}

// Mailjet: the shapes of /v3/REST/sender and /v3/REST/dns.
func TestMailjet(t *testing.T) {
	const apiKey, secretKey = "mjapikey0001", "mjsecret0002"
	var senders []map[string]any
	for i := range 1000 {
		senders = append(senders, map[string]any{"ID": i, "Email": fmt.Sprintf("s%04d@shop.example", i), "Status": "Active", "EmailType": "transactional"})
	}
	senders = append(senders,
		map[string]any{"ID": 1001, "Email": "*@shop.example", "Status": "Active", "EmailType": "unknown", "IsDefaultSender": false},
		map[string]any{"ID": 1002, "Email": "new@promo.example", "Status": "Inactive"},
		map[string]any{"ID": 1003, "Email": "gone@promo.example", "Status": "Deleted"})
	dns := []map[string]any{
		{"Domain": "shop.example", "DKIMStatus": "OK", "SPFStatus": "OK", "IsCheckPending": false},
		{"Domain": "promo.example", "DKIMStatus": "Not checked", "SPFStatus": "Error"},
	}
	srv := double(t, basicAuth(apiKey, secretKey), map[string]route{
		"/v3/REST/sender": func(w http.ResponseWriter, r *http.Request) {
			page := window(senders, r, "Limit", "Offset")
			writeJSON(w, map[string]any{"Count": len(page), "Data": page, "Total": len(senders)})
		},
		"/v3/REST/dns": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{"Count": len(dns), "Data": window(dns, r, "Limit", "Offset"), "Total": len(dns)})
		},
	})
	res := mustList(t, provider.Mailjet, apiKey+":"+secretKey, &Options{BaseURL: srv.URL})
	if len(res.Identities) != 1002 {
		t.Fatalf("%d identities, want 1002 (deleted dropped)", len(res.Identities))
	}
	res.Identities = res.Identities[999:]
	checkBrief(t, res, `s0999@shop.example address verified dkim=verified
shop.example domain verified dkim=verified
new@promo.example address pending dkim=pending
`)
	t.Run("auth failure", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/v3/REST/sender": raw(401, `{"ErrorInfo":"","ErrorMessage":"API key authentication/authorization failure.","StatusCode":401}`)})
		_, err := list(t, provider.Mailjet, apiKey+":"+secretKey, &Options{BaseURL: srv.URL})
		wantAPIError(t, err, ErrorUnauthorized, 401)
	})
	t.Run("one part", func(t *testing.T) {
		if _, err := New(provider.Mailjet, NewSecret(apiKey), nil); err == nil {
			t.Error("a key without its secret accepted")
		}
	})
}

// SparkPost: the shape of GET /api/v1/sending-domains.
func TestSparkPost(t *testing.T) {
	const key = "sparkpost-key-0001"
	srv := double(t, hdr("Authorization", key), map[string]route{
		"/api/v1/sending-domains": raw(200, `{"results":[
 {"domain":"shop.example","tracking_domain":"click.shop.example","status":{"ownership_verified":true,"spf_status":"unverified","abuse_at_status":"unverified","dkim_status":"valid","cname_status":"valid","mx_status":"unverified","compliance_status":"valid","postmaster_at_status":"unverified","verification_mailbox_status":"unverified"},"shared_with_subaccounts":false,"is_default_bounce_domain":false},
 {"domain":"promo.example","status":{"ownership_verified":false,"dkim_status":"unverified","cname_status":"pending","compliance_status":"pending"}},
 {"domain":"bad.example","status":{"ownership_verified":true,"dkim_status":"invalid","cname_status":"invalid","compliance_status":"blocked"}}]}`),
	})
	res := mustList(t, provider.SparkPost, key, &Options{BaseURL: srv.URL})
	checkBrief(t, res, `shop.example domain verified dkim=verified rp=verified region=us
promo.example domain pending dkim=pending rp=pending region=us
bad.example domain failed dkim=failed rp=failed region=us
`)
	t.Run("no permission", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/api/v1/sending-domains": raw(403, `{"errors":[{"message":"Forbidden."}]}`)})
		res, err := list(t, provider.SparkPost, key, &Options{BaseURL: srv.URL})
		if err != nil || !res.ScopeMissing {
			t.Errorf("res %+v err %v, want ScopeMissing", res, err)
		}
	})
	t.Run("unauthorized", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/api/v1/sending-domains": raw(401, `{"errors":[{"message":"Unauthorized.","description":"Unable to authenticate","code":"1000"}]}`)})
		_, err := list(t, provider.SparkPost, key, &Options{BaseURL: srv.URL})
		if e := wantAPIError(t, err, ErrorUnauthorized, 401); e.Code != "1000" {
			t.Errorf("code %q", e.Code)
		}
	})
}

// Resend: the shape of GET /domains with cursor pagination.
func resendDouble(t *testing.T, key string, n int) *Options {
	type dom struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Status string `json:"status"`
		Region string `json:"region"`
	}
	var doms []dom
	states := []string{"verified", "pending", "failed", "not_started", "temporary_failure"}
	for i := range n {
		doms = append(doms, dom{ID: fmt.Sprintf("id-%04d", i), Name: fmt.Sprintf("d%04d.example", i), Status: states[i%len(states)], Region: "us-east-1"})
	}
	srv := double(t, bearer(key), map[string]route{
		"/domains": func(w http.ResponseWriter, r *http.Request) {
			lim, _ := strconv.Atoi(r.URL.Query().Get("limit"))
			start := 0
			if after := r.URL.Query().Get("after"); after != "" {
				for i, d := range doms {
					if d.ID == after {
						start = i + 1
					}
				}
			}
			end := min(start+lim, len(doms))
			writeJSON(w, map[string]any{"object": "list", "has_more": end < len(doms), "data": append([]dom{}, doms[start:end]...)})
		},
	})
	return &Options{BaseURL: srv.URL}
}

func TestResend(t *testing.T) {
	const key = "re_0123456789"
	res := mustList(t, Resend, key, resendDouble(t, key, 205))
	if len(res.Identities) != 205 {
		t.Fatalf("%d identities, want 205", len(res.Identities))
	}
	res.Identities = res.Identities[200:]
	checkBrief(t, res, `d0200.example domain verified region=us-east-1
d0201.example domain pending region=us-east-1
d0202.example domain failed region=us-east-1
d0203.example domain pending region=us-east-1
d0204.example domain pending region=us-east-1
`)
	t.Run("empty", func(t *testing.T) {
		if res := mustList(t, Resend, key, resendDouble(t, key, 0)); len(res.Identities) != 0 {
			t.Errorf("%d identities", len(res.Identities))
		}
	})
	t.Run("sending-only key", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/domains": raw(401, `{"statusCode":401,"message":"This API key is restricted to only send emails","name":"restricted_api_key"}`)})
		res, err := list(t, Resend, key, &Options{BaseURL: srv.URL})
		if err != nil || !res.ScopeMissing || res.Source != sender.SourceNone {
			t.Errorf("res %+v err %v, want ScopeMissing", res, err)
		}
	})
	t.Run("invalid key", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/domains": raw(400, `{"statusCode":400,"message":"API key is invalid","name":"validation_error"}`)})
		_, err := list(t, Resend, key, &Options{BaseURL: srv.URL})
		wantAPIError(t, err, ErrorRequest, 400)
	})
}

// Gmail: the shape of users.settings.sendAs.list.
func TestGmail(t *testing.T) {
	const token = "ya29.token-0001"
	srv := double(t, bearer(token), map[string]route{
		"/gmail/v1/users/me/settings/sendAs": raw(200, `{"sendAs":[
 {"sendAsEmail":"ann@gmail.com","displayName":"Ann","replyToAddress":"","signature":"","isPrimary":true,"isDefault":true},
 {"sendAsEmail":"ann@shop.example","displayName":"Ann","isPrimary":false,"treatAsAlias":false,"verificationStatus":"accepted","smtpMsa":{"host":"smtp.shop.example","port":587}},
 {"sendAsEmail":"ann@promo.example","isPrimary":false,"verificationStatus":"pending"}]}`),
		"/gmail/v1/users/bob@shop.example/settings/sendAs": raw(403, `{"error":{"code":403,"message":"Request had insufficient authentication scopes.","status":"PERMISSION_DENIED"}}`),
	})
	res := mustList(t, provider.Gmail, token, &Options{BaseURL: srv.URL})
	checkBrief(t, res, `ann@gmail.com address verified
ann@shop.example address verified
ann@promo.example address pending
`)
	t.Run("scope", func(t *testing.T) {
		res, err := list(t, provider.Gmail, token, &Options{BaseURL: srv.URL, User: "bob@shop.example"})
		if err != nil || !res.ScopeMissing {
			t.Errorf("res %+v err %v, want ScopeMissing", res, err)
		}
	})
	t.Run("expired", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/gmail/v1/users/me/settings/sendAs": raw(401, `{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}`)})
		_, err := list(t, provider.Gmail, token, &Options{BaseURL: srv.URL})
		if e := wantAPIError(t, err, ErrorUnauthorized, 401); e.Code != "UNAUTHENTICATED" {
			t.Errorf("code %q", e.Code)
		}
	})
}

// Microsoft Graph: the shape of GET /me with proxyAddresses.
func TestGraph(t *testing.T) {
	const token = "eyJ0eXAi.graph.token"
	srv := double(t, bearer(token), map[string]route{
		"/v1.0/me": func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("$select") != "mail,proxyAddresses" {
				t.Errorf("$select = %q", r.URL.Query().Get("$select"))
			}
			raw(200, `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users(mail,proxyAddresses)/$entity","mail":"ann@shop.example","proxyAddresses":["smtp:ann.alias@shop.example","SMTP:ann@shop.example","SIP:ann@shop.example","smtp:ann@shop.onmicrosoft.com"]}`)(w, r)
		},
		"/v1.0/users/bob@shop.example": raw(403, `{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`),
	})
	res := mustList(t, provider.Microsoft365, token, &Options{BaseURL: srv.URL})
	checkBrief(t, res, `ann@shop.example address verified
ann.alias@shop.example address verified
ann@shop.onmicrosoft.com address verified
`)
	if !res.Incomplete || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "Send As") {
		t.Errorf("incomplete %v notes %q: want the Send As note", res.Incomplete, res.Notes)
	}
	t.Run("denied", func(t *testing.T) {
		res, err := list(t, provider.Microsoft365, token, &Options{BaseURL: srv.URL, User: "bob@shop.example"})
		if err != nil || !res.ScopeMissing {
			t.Errorf("res %+v err %v, want ScopeMissing", res, err)
		}
	})
	t.Run("invalid token", func(t *testing.T) {
		srv := double(t, nil, map[string]route{"/v1.0/me": raw(401, `{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid."}}`)})
		_, err := list(t, provider.Microsoft365, token, &Options{BaseURL: srv.URL})
		if e := wantAPIError(t, err, ErrorUnauthorized, 401); e.Code != "InvalidAuthenticationToken" {
			t.Errorf("code %q", e.Code)
		}
	})
}

// TestEmptyAccounts: an account without identities is an empty list, not
// an error and not a missing one (shapes as in the tests above).
func TestEmptyAccounts(t *testing.T) {
	cases := []struct {
		p      provider.ID
		key    string
		routes map[string]route
	}{
		{provider.Postmark, "pm", map[string]route{
			"/senders": raw(200, `{"TotalCount":0,"SenderSignatures":[]}`),
			"/domains": raw(200, `{"TotalCount":0,"Domains":[]}`)}},
		{provider.Mailjet, "k:s", map[string]route{
			"/v3/REST/sender": raw(200, `{"Count":0,"Data":[],"Total":0}`),
			"/v3/REST/dns":    raw(200, `{"Count":0,"Data":[],"Total":0}`)}},
		{provider.SparkPost, "sp", map[string]route{"/api/v1/sending-domains": raw(200, `{"results":[]}`)}},
		{provider.Gmail, "ya29", map[string]route{"/gmail/v1/users/me/settings/sendAs": raw(200, `{"sendAs":[]}`)}},
		{provider.Microsoft365, "eyJ", map[string]route{"/v1.0/me": raw(200, `{"mail":null,"proxyAddresses":[]}`)}},
	}
	for _, c := range cases {
		t.Run(string(c.p), func(t *testing.T) {
			srv := double(t, nil, c.routes)
			res := mustList(t, c.p, c.key, &Options{BaseURL: srv.URL})
			if res.Identities == nil || len(res.Identities) != 0 {
				t.Errorf("identities %#v, want an empty list", res.Identities)
			}
		})
	}
}
