package provider

import "testing"

func TestByHost(t *testing.T) {
	tests := []struct {
		host string
		want ID
		ok   bool
	}{
		{"smtp.gmail.com", Gmail, true},
		{"SMTP.Gmail.com.", Gmail, true},
		{"smtp-relay.gmail.com", GoogleRelay, true},
		{"email-smtp.eu-west-1.amazonaws.com", SES, true},
		{"email-smtp.amazonaws.com", "", false},
		{"email-smtp.a.b.amazonaws.com", "", false},
		{"contoso-com.mail.protection.outlook.com", Microsoft365, true},
		{"smtp.eu.mailgun.org", Mailgun, true},
		{"smtppro.zoho.eu", Zoho, true},
		{"mail.example.com", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		p, ok := ByHost(tt.host)
		if ok != tt.ok || p.ID != tt.want {
			t.Errorf("ByHost(%q) = %q, %v; want %q, %v", tt.host, p.ID, ok, tt.want, tt.ok)
		}
	}
}

func TestMatchHost(t *testing.T) {
	tests := []struct {
		pattern, host string
		want          bool
	}{
		{"a.b", "a.b", true},
		{"*.b", "a.b", true},
		{"*.b", "b", false},
		{"*.b", ".b", false},
		{"a.*.c", "a.x.c", true},
		{"a.*.c", "a.x.y.c", false},
		{"a.b", "a.b.c", false},
	}
	for _, tt := range tests {
		if got := MatchHost(tt.pattern, tt.host); got != tt.want {
			t.Errorf("MatchHost(%q, %q) = %v, want %v", tt.pattern, tt.host, got, tt.want)
		}
	}
}

func TestTableConsistent(t *testing.T) {
	seen := map[ID]bool{}
	for _, p := range All() {
		if p.ID == "" || p.Name == "" {
			t.Errorf("provider %+v lacks an ID or name", p)
		}
		if seen[p.ID] {
			t.Errorf("duplicate provider ID %q", p.ID)
		}
		seen[p.ID] = true
		switch p.ReturnPath {
		case ReturnPathSender, ReturnPathProvider, ReturnPathDelegated:
		default:
			t.Errorf("%s: return-path mode %q", p.ID, p.ReturnPath)
		}
		for _, inc := range p.SPFIncludes {
			// Providers of one family (Gmail and Workspace) share an
			// include; ByInclude names the first of them.
			q, ok := ByInclude(inc)
			if !ok || !contains(q.SPFIncludes, inc) {
				t.Errorf("ByInclude(%q) = %q, %v", inc, q.ID, ok)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestByHostWithPort(t *testing.T) {
	for _, host := range []string{"smtp.sendgrid.net:587", " smtp.sendgrid.net:2525 ", "[smtp.sendgrid.net]:465"} {
		if p, ok := ByHost(host); !ok || p.ID != SendGrid {
			t.Errorf("ByHost(%q) = %q, %v; want %q", host, p.ID, ok, SendGrid)
		}
	}
}
