package identities

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/sender/provider"
)

// sesDouble answers like the SES API v2 (REST-JSON): GetAccount,
// ListEmailIdentities with NextToken pages, GetEmailIdentity; shapes from
// the API reference pages cited in ses.go. Errors carry the
// x-amzn-ErrorType header and {"message":...}.
func sesDouble(t *testing.T, keyID string, identities []string, sandbox bool) *Options {
	t.Helper()
	mux := map[string]route{
		"/v2/email/account": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{
				"DedicatedIpAutoWarmupEnabled": false, "EnforcementStatus": "HEALTHY",
				"ProductionAccessEnabled": !sandbox, "SendingEnabled": true,
				"SendQuota": map[string]any{"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 12.0},
			})
		},
		"/v2/email/list-identities": func(w http.ResponseWriter, r *http.Request) {
			const page = 2
			var req struct {
				NextToken string
				PageSize  int
			}
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil || r.Method != http.MethodPost || req.PageSize != sesPage {
				t.Errorf("ListEmailIdentities request %s %+v: %v", r.Method, req, err)
			}
			start := 0
			if req.NextToken != "" {
				fmt.Sscanf(req.NextToken, "tok-%d", &start)
			}
			var out []map[string]any
			for _, s := range identities[start:min(start+page, len(identities))] {
				name, status, _ := strings.Cut(s, " ")
				typ := "DOMAIN"
				if strings.Contains(name, "@") {
					typ = "EMAIL_ADDRESS"
				}
				out = append(out, map[string]any{"IdentityName": name, "IdentityType": typ, "SendingEnabled": !strings.HasPrefix(status, "PAUSED"), "VerificationStatus": strings.TrimPrefix(status, "PAUSED")})
			}
			resp := map[string]any{"EmailIdentities": out}
			if start+page < len(identities) {
				resp["NextToken"] = fmt.Sprintf("tok-%d", start+page)
			}
			writeJSON(w, resp)
		},
	}
	for _, s := range identities {
		name, _, _ := strings.Cut(s, " ")
		if strings.Contains(name, "@") {
			continue
		}
		dkim, mf := "SUCCESS", "SUCCESS"
		if strings.HasPrefix(name, "promo") {
			dkim, mf = "PENDING", "FAILED"
		}
		mux["/v2/email/identities/"+name] = func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, map[string]any{
				"IdentityType": "DOMAIN", "VerifiedForSendingStatus": dkim == "SUCCESS",
				"DkimAttributes":     map[string]any{"SigningEnabled": true, "Status": dkim, "Tokens": []string{"a", "b", "c"}},
				"MailFromAttributes": map[string]any{"MailFromDomain": "bounce." + name, "MailFromDomainStatus": mf, "BehaviorOnMxFailure": "USE_DEFAULT_VALUE"},
			})
		}
	}
	srv := double(t, func(r *http.Request) bool {
		return strings.Contains(r.Header.Get("Authorization"), "Credential="+keyID+"/") &&
			strings.Contains(r.Header.Get("Authorization"), "/eu-west-1/ses/aws4_request")
	}, mux)
	return &Options{BaseURL: srv.URL, Region: "eu-west-1"}
}

func TestSES(t *testing.T) {
	const keyID, secretKey = "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	ids := []string{"shop.example SUCCESS", "orders@shop.example SUCCESS", "promo.example PENDING", "Sender@other.example FAILED", "paused.example PAUSEDSUCCESS"}
	res := mustList(t, provider.SES, keyID+":"+secretKey, sesDouble(t, keyID, ids, true))
	checkBrief(t, res, `shop.example domain verified dkim=verified rp=verified region=eu-west-1
orders@shop.example address verified region=eu-west-1
promo.example domain pending dkim=pending rp=failed region=eu-west-1
Sender@other.example address failed region=eu-west-1
paused.example domain failed dkim=verified rp=verified region=eu-west-1
`)
	if !res.Sandbox || res.Region != "eu-west-1" || res.Quota == nil || res.Quota.Max24Hour != 200 || !res.Quota.SendingEnabled {
		t.Errorf("sandbox %v region %q quota %+v", res.Sandbox, res.Region, res.Quota)
	}
	if len(res.Notes) != 0 {
		t.Errorf("notes %q, want none (the sandbox is a field)", res.Notes)
	}
	t.Run("empty production account", func(t *testing.T) {
		res := mustList(t, provider.SES, keyID+":"+secretKey, sesDouble(t, keyID, nil, false))
		if len(res.Identities) != 0 || res.Sandbox || len(res.Notes) != 0 {
			t.Errorf("result %+v", res)
		}
	})
	errCase := func(status int, typ, msg string) *Options {
		srv := double(t, nil, map[string]route{"/v2/email/account": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("x-amzn-ErrorType", typ)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"message":%q}`, msg)
		}})
		return &Options{BaseURL: srv.URL, Region: "eu-west-1"}
	}
	t.Run("unknown key", func(t *testing.T) {
		_, err := list(t, provider.SES, keyID+":"+secretKey, errCase(403, "UnrecognizedClientException", "The security token included in the request is invalid."))
		e := wantAPIError(t, err, ErrorUnauthorized, 403)
		if e.Code != "UnrecognizedClientException" {
			t.Errorf("code %q", e.Code)
		}
	})
	t.Run("no IAM permission", func(t *testing.T) {
		res, err := list(t, provider.SES, keyID+":"+secretKey, errCase(403, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/ses-smtp is not authorized to perform: ses:GetAccount"))
		if err != nil || !res.ScopeMissing {
			t.Errorf("res %+v err %v, want ScopeMissing", res, err)
		}
	})
	t.Run("throttled", func(t *testing.T) {
		_, err := list(t, provider.SES, keyID+":"+secretKey, errCase(429, "TooManyRequestsException", "Too many requests."))
		wantAPIError(t, err, ErrorRateLimited, 429)
	})
	t.Run("SMTP password", func(t *testing.T) {
		if _, err := New(provider.SES, NewSecret("BJwL3SMTPpassword"), nil); err == nil {
			t.Error("a lone SMTP password accepted")
		}
	})
	t.Run("bad region", func(t *testing.T) {
		if _, err := New(provider.SES, NewSecret(keyID+":"+secretKey), &Options{Region: "evil.example/"}); err == nil {
			t.Error("bad region accepted")
		}
	})
}
