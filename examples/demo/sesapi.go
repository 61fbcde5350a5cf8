package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
)

// sesAPI is an in-process stand-in for the Amazon SES API v2 of one
// account, on loopback: GetAccount, ListEmailIdentities and
// GetEmailIdentity answer with the shapes of the SES API reference, for
// requests signed with the access key id made for this run. The account
// has left the sandbox; shop.example is verified, promo.example was set up
// years ago for another provider and its verification failed.
type sesAPI struct {
	srv   *httptest.Server
	keyID string
}

// sesIdentity is one identity of the stand-in account.
type sesIdentity struct {
	Name, Status, DKIM, MailFrom string
}

var sesIdentities = []sesIdentity{
	{Name: verified, Status: "SUCCESS", DKIM: "SUCCESS", MailFrom: "SUCCESS"},
	{Name: "promo.example", Status: "FAILED", DKIM: "FAILED", MailFrom: "NOT_STARTED"},
}

func newSESAPI(keyID string) *sesAPI {
	a := &sesAPI{keyID: keyID}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	return a
}

// URL is the base URL to give the SES client.
func (a *sesAPI) URL() string { return a.srv.URL }

// Close stops the server.
func (a *sesAPI) Close() { a.srv.Close() }

func (a *sesAPI) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if !strings.Contains(r.Header.Get("Authorization"), "Credential="+a.keyID+"/") {
		w.Header().Set("x-amzn-ErrorType", "UnrecognizedClientException")
		w.WriteHeader(http.StatusForbidden)
		enc.Encode(map[string]string{"message": "The security token included in the request is invalid."})
		return
	}
	switch path := r.URL.Path; {
	case path == "/v2/email/account":
		enc.Encode(map[string]any{
			"ProductionAccessEnabled": true, "SendingEnabled": true, "EnforcementStatus": "HEALTHY",
			"SendQuota": map[string]float64{"Max24HourSend": 50000, "MaxSendRate": 14, "SentLast24Hours": 1042},
		})
	case path == "/v2/email/list-identities":
		var list []map[string]any
		for _, id := range sesIdentities {
			list = append(list, map[string]any{"IdentityType": "DOMAIN", "IdentityName": id.Name, "SendingEnabled": id.Status == "SUCCESS", "VerificationStatus": id.Status})
		}
		enc.Encode(map[string]any{"EmailIdentities": list})
	case strings.HasPrefix(path, "/v2/email/identities/"):
		name := strings.TrimPrefix(path, "/v2/email/identities/")
		for _, id := range sesIdentities {
			if id.Name == name {
				enc.Encode(map[string]any{
					"IdentityType": "DOMAIN", "VerificationStatus": id.Status, "VerifiedForSendingStatus": id.Status == "SUCCESS",
					"DkimAttributes":     map[string]any{"SigningEnabled": true, "Status": id.DKIM},
					"MailFromAttributes": map[string]any{"MailFromDomain": "bounce." + id.Name, "MailFromDomainStatus": id.MailFrom},
				})
				return
			}
		}
		w.Header().Set("x-amzn-ErrorType", "NotFoundException")
		w.WriteHeader(http.StatusNotFound)
		enc.Encode(map[string]string{"message": "Email identity " + name + " does not exist."})
	default:
		w.WriteHeader(http.StatusNotFound)
		enc.Encode(map[string]string{"message": "no such operation"})
	}
}
