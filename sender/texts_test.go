package sender_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/sender"
	"github.com/sendcheck/sendcheck/sender/provider"
)

// TestTextsHaveNoTemplateLeftovers runs Check over every provider's hosts
// and a spread of accounts, identities and senders, and reads every text of
// every result: none may keep a placeholder of the provider table
// (<REGION>, <from>), and none may use the display name of the unknown
// provider ("Other SMTP server") as the subject of a sentence.
func TestTextsHaveNoTemplateLeftovers(t *testing.T) {
	placeholder := regexp.MustCompile(`<[A-Za-z][A-Za-z _-]*>`)
	generic := provider.Name(provider.Generic)
	hosts := []string{"mail.example.net"}
	for _, p := range provider.All() {
		for _, h := range p.SMTPHosts {
			hosts = append(hosts, strings.ReplaceAll(h, "*", "eu-west-1"))
		}
	}
	users := []string{"", "me@shop.example", "apikey", "postmaster@mg.shop.example", "not an address"}
	verified := [][]string{nil, {"shop.example"}, {"orders@shop.example"}}
	froms := []string{"Promo <deals@promo.example>", "me@shop.example", "x@sub.shop.example", "ME@shop.example", "orders@mg.shop.example"}
	envelopes := []string{"", "bounce@other.example"}
	results := 0
	for _, host := range hosts {
		for _, user := range users {
			for _, ver := range verified {
				for _, from := range froms {
					for _, env := range envelopes {
						r := sender.Check(sender.Config{Host: host, Username: user, Verified: ver}, from, env)
						results++
						texts := []string{r.Detail, r.Suggestion}
						for _, w := range r.Warnings {
							texts = append(texts, w.Message)
						}
						texts = append(texts, r.Unverified...)
						for _, s := range texts {
							if m := placeholder.FindString(s); m != "" && !strings.Contains(from, m) {
								t.Errorf("host %s user %q from %q: %q keeps the placeholder %s", host, user, from, s, m)
							}
							if strings.Contains(s, generic) {
								t.Errorf("host %s user %q from %q: %q puts the display name %q in a sentence", host, user, from, s, generic)
							}
						}
					}
				}
			}
		}
	}
	if results < 1000 {
		t.Errorf("checked %d results; the matrix lost its hosts", results)
	}
}
