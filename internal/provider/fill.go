package provider

import (
	"net"
	"strings"
)

// Values are what the placeholders in the provider table's texts stand
// for. An empty value leaves the words in Fill's fallbacks.
type Values struct {
	From    string // the refused From address: <from>, <identities>
	Account string // the SMTP account: <account>
	Domain  string // the customer's domain: <domain>
	Region  string // the cloud region, lower case ("eu-west-1"): <region>, <REGION>
}

// Fill returns text, a MismatchReply or ReturnPathSetup from the provider
// table, with its placeholders replaced by v. A placeholder whose value is
// unknown becomes words a reader understands rather than a template
// leftover; a domain falls back to example.com and a region to us-east-1,
// so a host name stays a real example.
func Fill(text string, v Values) string {
	if !strings.Contains(text, "<") {
		return text
	}
	or := func(s, fallback string) string {
		if s == "" {
			return fallback
		}
		return s
	}
	region := or(v.Region, "us-east-1")
	return strings.NewReplacer(
		"<from>", or(v.From, "the From address"),
		"<identities>", or(v.From, "the From address"),
		"<account>", or(v.Account, "the account"),
		"<domain>", or(v.Domain, "example.com"),
		"<region>", region,
		"<REGION>", strings.ToUpper(region),
	).Replace(text)
}

// Region returns the cloud region named in an SMTP host of the form
// email-smtp.REGION.amazonaws.com (Amazon SES, FIPS endpoints too), or ""
// for any other host. A port is ignored.
func Region(host string) string {
	h := strings.TrimSpace(host)
	if name, _, err := net.SplitHostPort(h); err == nil {
		h = name
	}
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	labels := strings.Split(h, ".")
	if len(labels) != 4 || labels[2] != "amazonaws" || labels[3] != "com" {
		return ""
	}
	if labels[0] != "email-smtp" && labels[0] != "email-smtp-fips" || labels[1] == "" {
		return ""
	}
	return labels[1]
}
