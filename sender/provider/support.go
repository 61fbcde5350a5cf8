package provider

// This file holds two kinds of facts per provider: how an account signs in
// to the submission host (a password, an app password, or an OAuth 2.0
// access token), and where its customers find delivery logs and support.

// SMTPAuth is how accounts of a provider sign in to its submission host.
type SMTPAuth struct {
	// OAuth is true when the host accepts an OAuth 2.0 access token with
	// the XOAUTH2 or OAUTHBEARER SASL mechanism (RFC 7628).
	OAuth bool
	// OAuthScope is the scope the access token must carry.
	OAuthScope string
	// PasswordRefused lists the setups in which the host refuses a
	// password (basic authentication), so that OAuth, an app password or
	// another way of sending is needed. Empty when a password always works.
	PasswordRefused []string
	// Fix says what to do in those setups.
	Fix string
	// Conf is how well the facts are sourced.
	Conf Confidence
}

// SMTPAuthFor returns how accounts of the provider sign in. It reports
// false for providers whose facts are not recorded (where a password or
// API key simply works, or nothing is known).
func SMTPAuthFor(id ID) (SMTPAuth, bool) {
	var a SMTPAuth
	switch id {
	case Microsoft365:
		// Microsoft's "Enable or disable SMTP AUTH in Exchange Online"
		// and Message center post MC786329 (updated January 27, 2026).
		a = SMTPAuth{
			OAuth:      true,
			OAuthScope: "https://outlook.office.com/SMTP.Send",
			PasswordRefused: []string{
				"SMTP AUTH is disabled for the tenant or the mailbox (the default for tenants created since January 2020): 5.7.139 SmtpClientAuthentication is disabled",
				"security defaults or a Conditional Access policy block legacy (basic) authentication: 5.7.139 basic authentication is disabled",
				"basic authentication for SMTP AUTH is turned off: off by default for existing tenants from the end of December 2026 (an admin can turn it back on until Microsoft removes it) and unavailable for tenants created after that; 5.7.30 Basic authentication is not supported for Client Submission",
				"the account requires multi-factor authentication",
			},
			Fix:  "sign in with OAuth 2.0 (XOAUTH2 with an access token for the SMTP.Send scope), or have the admin enable SMTP AUTH for the mailbox (Set-CASMailbox -SmtpClientAuthenticationDisabled $false) while basic authentication is still allowed, or send through an Exchange connector or a sending service instead",
			Conf: ConfidenceDoc,
		}
	case Outlook:
		a = SMTPAuth{
			OAuth:           true,
			OAuthScope:      "https://outlook.office.com/SMTP.Send",
			PasswordRefused: []string{"Outlook.com consumer accounts: Microsoft has ended basic authentication for them"},
			Fix:             "sign in with OAuth 2.0 (XOAUTH2) from an app registered with Microsoft",
			Conf:            Confidence3P,
		}
	case Gmail, GoogleWorkspace:
		a = SMTPAuth{
			OAuth:           true,
			OAuthScope:      "https://mail.google.com/",
			PasswordRefused: []string{"the account password is always refused: Google accepts only an app password (with 2-Step Verification on) or OAuth 2.0"},
			Fix:             "create an app password in the Google Account's security settings, or sign in with OAuth 2.0 (XOAUTH2 or OAUTHBEARER)",
			Conf:            ConfidenceDoc,
		}
	default:
		return SMTPAuth{}, false
	}
	return a, true
}

// Support is where a provider's customers read delivery logs and ask its
// support.
type Support struct {
	// URL is the support or log page.
	URL string
	// Logs says where the delivery logs are, in the provider's words.
	Logs string
}

// SupportFor returns where the provider's customers find delivery logs and
// support. It reports false for providers with no page recorded,
// including [Generic].
func SupportFor(id ID) (Support, bool) {
	var s Support
	switch id {
	case Gmail:
		s = Support{URL: "https://support.google.com/mail/", Logs: "Gmail keeps no delivery logs for consumer accounts; quote the id before \"gsmtp\""}
	case GoogleWorkspace, GoogleRelay:
		s = Support{URL: "https://admin.google.com/", Logs: "Admin console, Reporting, Email Log Search"}
	case Microsoft365:
		s = Support{URL: "https://admin.exchange.microsoft.com/#/messagetrace", Logs: "Exchange admin center, Mail flow, Message trace"}
	case Outlook:
		s = Support{URL: "https://support.microsoft.com/contactus", Logs: "no delivery logs for consumer accounts"}
	case SES:
		s = Support{URL: "https://console.aws.amazon.com/support/home", Logs: "SES event publishing or notifications (SNS, CloudWatch) for the region; AWS Support Center for cases"}
	case SendGrid:
		s = Support{URL: "https://app.sendgrid.com/email_activity", Logs: "SendGrid Activity Feed"}
	case Mailgun:
		s = Support{URL: "https://app.mailgun.com/", Logs: "Mailgun control panel, Sending, Logs"}
	case Postmark:
		s = Support{URL: "https://account.postmarkapp.com/", Logs: "Postmark server, Activity"}
	case SparkPost:
		s = Support{URL: "https://app.sparkpost.com/", Logs: "SparkPost Events search"}
	case Zoho:
		s = Support{URL: "https://mail.zoho.com/", Logs: "Zoho Mail admin console, Mail log search"}
	case ZeptoMail:
		s = Support{URL: "https://zeptomail.zoho.com/", Logs: "ZeptoMail processed emails"}
	case Brevo:
		s = Support{URL: "https://app.brevo.com/", Logs: "Brevo Transactional, Logs"}
	case Mailjet:
		s = Support{URL: "https://app.mailjet.com/", Logs: "Mailjet statistics, message events"}
	case Yahoo:
		s = Support{URL: "https://help.yahoo.com/", Logs: "no delivery logs for consumer accounts"}
	case ICloud:
		s = Support{URL: "https://support.apple.com/mail", Logs: "no delivery logs for consumer accounts"}
	case Fastmail:
		s = Support{URL: "https://www.fastmail.help/", Logs: "Fastmail support ticket, quoting the reply"}
	case Mandrill:
		s = Support{URL: "https://mandrillapp.com/activity", Logs: "Mandrill Outbound, Activity"}
	case ProtonMail:
		s = Support{URL: "https://proton.me/support", Logs: "Proton support form, quoting the reply"}
	default:
		return Support{}, false
	}
	return s, true
}
