// Package provider holds the reply-text markers that tell which provider or
// mail software wrote an SMTP reply. The provider facts themselves, and the
// ID type the markers use, are public in package sender/provider; this
// package gives that package's names to the marker table by alias, so the
// table reads the same in both places.
package provider

import "github.com/sendcheck/sendcheck/sender/provider"

// ID is the public provider ID.
type ID = provider.ID

// The IDs the marker table names.
const (
	Gmail           = provider.Gmail
	GoogleWorkspace = provider.GoogleWorkspace
	GoogleRelay     = provider.GoogleRelay
	Microsoft365    = provider.Microsoft365
	Outlook         = provider.Outlook
	SES             = provider.SES
	SendGrid        = provider.SendGrid
	Mailgun         = provider.Mailgun
	Postmark        = provider.Postmark
	SparkPost       = provider.SparkPost
	Zoho            = provider.Zoho
	ZeptoMail       = provider.ZeptoMail
	Brevo           = provider.Brevo
	Mailjet         = provider.Mailjet
	Yahoo           = provider.Yahoo
	ICloud          = provider.ICloud
	Fastmail        = provider.Fastmail
	Mandrill        = provider.Mandrill
	Mailchimp       = provider.Mailchimp
	ProtonMail      = provider.ProtonMail
	Generic         = provider.Generic

	Postfix    = provider.Postfix
	Exim       = provider.Exim
	Sendmail   = provider.Sendmail
	Qmail      = provider.Qmail
	Exchange   = provider.Exchange
	Proofpoint = provider.Proofpoint
	Mimecast   = provider.Mimecast
	Barracuda  = provider.Barracuda
)
