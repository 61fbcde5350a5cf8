package smtperr

import (
	"errors"
	"strings"
	"testing"

	"github.com/sendcheck/sendcheck/sender/provider"
)

// TestExplainRealReplies pins the causes of common replies as providers and
// mail servers send them, multi-line where they are.
func TestExplainRealReplies(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		cause Cause
	}{
		// Submission: authentication and TLS.
		{"gmail web login required", "534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbs>\n534-5.7.14 Please log in via your web browser and then try again.\n534-5.7.14  Learn more at\n534 5.7.14  https://support.google.com/mail/answer/78754 t1sm2345wrb.3 - gsmtp", CauseAuthFailed},
		{"gmail app password", "534-5.7.9 Application-specific password required. For more information, go to\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor x - gsmtp", CauseAuthMethodRejected},
		{"gmail bad credentials", "535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials x - gsmtp", CauseAuthFailed},
		{"gmail auth required", "530-5.7.0 Authentication Required. Learn more at\n530 5.7.0  https://support.google.com/mail/?p=WantAuthError x - gsmtp", CauseAuthRequired},
		{"gmail starttls", "530 5.7.0 Must issue a STARTTLS command first. x - gsmtp", CauseTLSRequired},
		{"m365 auth unsuccessful", "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect. [LO4P123CA0001.GBRP123.PROD.OUTLOOK.COM]", CauseAuthFailed},
		{"m365 smtp auth disabled", "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.", CauseAuthMethodRejected},
		{"m365 not authenticated", "530 5.7.57 Client not authenticated to send mail. [DM6PR02CA0123.namprd02.prod.outlook.com]", CauseAuthRequired},
		{"rfc 4954 538", "538 5.7.11 Encryption required for requested authentication mechanism", CauseTLSRequired},
		{"538 text under 530", "530 5.7.0 Encryption required for requested authentication mechanism", CauseTLSRequired},
		{"postfix tls unavailable", "454 4.7.0 TLS not available due to local problem", CauseTLSFailed},
		{"exim auth", "535 Incorrect authentication data", CauseAuthFailed},
		{"ses credentials", "535 Authentication Credentials Invalid", CauseAuthFailed},
		{"unrecognized mechanism", "504 5.7.4 Unrecognized authentication type", CauseAuthMethodRejected},

		// Submission: sender identity and account.
		{"ses unverified", "554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: sender@example.com", CauseSenderNotVerified},
		{"sendgrid identity", "550 The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.", CauseSenderNotVerified},
		{"m365 send as", "554 5.2.252 SendAsDenied; bob@example.com not allowed to send as alice@example.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied", CauseSenderNotAllowed},
		{"zoho mail sender", "553 Sender is not allowed to relay emails", CauseSenderNotAllowed},
		{"zeptomail sender", "553 Relaying disallowed as a@example.com", CauseSenderNotAllowed},
		{"sparkpost domain", "550 5.7.1 Unconfigured Sending Domain <example.com>", CauseSenderDomainNotVerified},
		{"mailgun free account", "421 Domain example.com is not allowed to send: Free accounts are for test purposes only. Please upgrade or add the address to authorized recipients in Account Settings.", CauseSenderDomainNotVerified},
		{"ses header address", "554 Transaction failed: Missing final '@domain'", CauseNotCompliantRFC},
		{"ses throttling", "454 Throttling failure: Maximum sending rate exceeded.", CauseRateLimited},
		{"ses daily quota", "454 Throttling failure: Daily message quota exceeded.", CauseQuotaExceeded},
		{"exchange on-premises send as", "550 5.7.1 Client does not have permission to send as this sender", CauseSenderNotAllowed},
		{"exchange online send as", "550 5.7.60 SMTP; Client does not have permissions to send as this sender", CauseSenderNotAllowed},
		{"m365 restricted sender", "550 5.1.8 Access denied, bad outbound sender. AS(42004)", CauseAccountSuspended},
		{"yahoo from not verified", "553 From address not verified - see https://help.yahoo.com/kb/SLN5016.html", CauseSenderNotVerified},
		{"yahoo from email id", "550 5.7.0 From email ID not verified", CauseSenderNotVerified},
		{"postmark signature", "550 5.7.1 Sender Signature not found", CauseSenderNotVerified},
		{"m365 recipient limit", "550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients.", CauseQuotaExceeded},
		{"m365 spam abuse", "550 5.7.501 Access denied, spam abuse detected. To request removal from this list please forward this message to delist@microsoft.com.", CauseAccountSuspended},
		{"m365 group senders", "550 5.7.124 Sender not in allowed-senders list", CausePolicyViolation},
		{"m365 group auth", "550 5.7.133 RESOLVER.RST.SenderNotAuthenticatedForGroup; authentication required; Delivery restriction check failed as sender not authenticated", CausePolicyViolation},
		{"m365 forwarding", "550 5.7.520 Access denied, Your organization does not allow external forwarding. Please contact your administrator for further assistance. AS(7555)", CausePolicyViolation},
		{"ses iam policy", "554 Access denied: User `arn:aws:iam::123456789012:user/ses-smtp-user' is not authorized to perform `ses:SendRawEmail' on resource `arn:aws:ses:us-east-1:123456789012:identity/example.com'", CauseSenderNotAllowed},
		{"suspended for policy", "550 5.7.1 Your account has been suspended due to a policy violation", CauseAccountSuspended},
		{"daily sending limit", "550 5.7.1 Daily sending limit reached", CauseQuotaExceeded},
		{"reached daily sending limit", "421 4.7.0 You have reached your daily sending limit", CauseQuotaExceeded},
		{"zoho outgoing blocked", "554 5.1.8 Email Outgoing Blocked.", CauseAccountSuspended},
		{"zoho unusual activity", "550 5.4.6 Unusual sending activity detected. Please try after sometime.", CauseRateLimited},
		{"postfix not owned", "553 5.7.1 <a@example.com>: Sender address rejected: not owned by user b@example.com", CauseSenderNotAllowed},

		// Receivers: authentication and reputation.
		{"gmail unauthenticated 2024", "550-5.7.26 This mail is unauthenticated, which poses a security risk to the\n550-5.7.26 sender and Gmail users, and has been blocked. The sender must\n550-5.7.26 authenticate with at least one of SPF or DKIM. For this message,\n550-5.7.26 DKIM checks did not pass and SPF check for [example.com] did not pass\n550-5.7.26 with ip: [192.0.2.1]. To best protect our users from spam, the\n550-5.7.26 message has been blocked. For more information, go to\n550 5.7.26  https://support.google.com/mail/answer/81126#authentication x - gsmtp", CauseUnauthenticated},
		{"gmail unauthenticated 2022", "550-5.7.26 This mail has been blocked because the sender is\n550-5.7.26 unauthenticated. Gmail requires all senders to authenticate with\n550-5.7.26 either SPF or DKIM.\n550 5.7.26  https://support.google.com/mail/answer/81126#authentication x - gsmtp", CauseUnauthenticated},
		{"gmail dmarc", "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's\n550-5.7.26 DMARC policy. Please contact the administrator of example.com domain\n550 5.7.26  https://support.google.com/mail/answer/2451690 x - gsmtp", CauseDMARCFailed},
		{"gmail rate limit", "421-4.7.28 [192.0.2.1      15] Our system has detected an unusual rate of\n421-4.7.28 unsolicited mail originating from your IP address. To protect our\n421 4.7.28 users from spam, mail sent from your IP address has been temporarily rate limited.", CauseRateLimited},
		{"gmail alignment rate limit", "421-4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain. - gsmtp", CauseDMARCFailed},
		{"gmail unauthenticated domain", "550 5.7.1 Unauthenticated email is not accepted from this domain. - gsmtp", CauseUnauthenticated},
		{"gmail sending quota", "550 5.7.1 Email quota exceeded. - gsmtp", CauseQuotaExceeded},
		{"gmail ptr", "550-5.7.25 The IP address sending this message does not have a PTR record setup, or\n550 5.7.25 the corresponding forward DNS entry does not match the sending IP. x - gsmtp", CauseReverseDNS},
		{"postfix reverse hostname", "450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.1]", CauseReverseDNS},
		{"postfix helo fqdn", "504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname", CauseSyntaxError},
		{"postfix client access", "554 5.7.1 <unknown[192.0.2.1]>: Client host rejected: Access denied", CauseBlocked},
		{"postfix unlisted sender", "550 5.1.0 <a@example.com>: Sender address rejected: User unknown in local recipient table", CauseSenderAddressInvalid},
		{"postfix hostname", "550 5.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]", CauseReverseDNS},
		{"yahoo tss09", "553 5.7.2 [TSS09] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes", CauseBlocked},
		{"yahoo gl01", "421 4.7.0 [GL01] Message from (192.0.2.1) temporarily deferred - 4.16.50. Please refer to https://postmaster.yahooinc.com/error-codes", CauseRateLimited},
		{"yahoo ts01", "421 4.7.0 [TS01] Messages from 192.0.2.1 temporarily deferred due to excessive user complaints", CauseBadReputation},
		{"yahoo ts02", "421 4.7.0 [TS02] Messages from 192.0.2.1 temporarily deferred due to unexpected volume", CauseRateLimited},
		{"yahoo ts03", "421 4.7.0 [TS03] All messages from 192.0.2.1 will be permanently deferred; Retrying will NOT succeed.", CauseBlocked},
		{"yahoo tss11", "421 4.7.1 [TSS11] Excessive unknown recipients - possible Open Relay", CauseBadReputation},
		{"yahoo from domain", "451 Message temporarily deferred due to unresolvable RFC.5321 from domain", CauseSenderAddressInvalid},
		{"slow down", "421 4.7.0 Too many messages from this sender, slow down", CauseRateLimited},
		{"exim dnsbl", "550 Rejected because 192.0.2.1 is in a black list at b.barracudacentral.org", CauseBlocked},
		{"exim acl deny", "550 Administrative prohibition", CausePolicyViolation},
		{"exchange content filter", "550 5.7.1 Message rejected due to content restrictions", CauseContentRejected},
		{"spamhaus", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1", CauseBlocked},
		{"m365 banned ip", "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/", CauseBlocked},

		// Relaying.
		{"postfix relay", "554 5.7.1 <someone@example.org>: Relay access denied", CauseRelayDenied},
		{"qmail rcpthosts", "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", CauseRelayDenied},
		{"m365 relay", "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain", CauseRelayDenied},

		// Recipients.
		{"gmail no such user", "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser x - gsmtp", CauseRecipientUnknown},
		{"postfix user unknown", "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table", CauseRecipientUnknown},
		{"gmail mailbox full", "552-5.2.2 The recipient's inbox is out of storage space and inactive. Please\n552 5.2.2  https://support.google.com/mail/?p=OverQuotaPerm x - gsmtp", CauseMailboxFull},
		{"dovecot quota", "552 5.2.2 <a@example.com>: Recipient address rejected: Mailbox quota exceeded", CauseMailboxFull},
		{"greylisting", "451 4.7.1 Greylisting in action, please come back later", CauseGreylisted},
		{"postgrey", "450 4.2.0 <a@example.com>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.com.html", CauseGreylisted},
		{"message size", "552 5.3.4 Message size exceeds fixed maximum message size", CauseMessageTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := ExplainReply(tc.in)
			if e.Cause != tc.cause {
				t.Errorf("ExplainReply(%q) cause = %s (basis %s, matched %q), want %s",
					strings.ReplaceAll(tc.in, "\n", `\n`), e.Cause.String(), e.Basis, e.Matched, tc.cause.String())
			}
		})
	}
}

// TestExplainClientErrors pins the causes of the plain errors Go's SMTP
// clients return before any reply explains anything.
func TestExplainClientErrors(t *testing.T) {
	tests := []struct {
		err   error
		cause Cause
	}{
		// go-smtp and net/smtp: EHLO listed no AUTH, nearly always
		// because the connection is not encrypted yet.
		{errors.New("smtp: server doesn't support AUTH"), CauseTLSRequired},
		// net/smtp's PlainAuth refuses to send the password in clear.
		{errors.New("unencrypted connection"), CauseTLSRequired},
		{errors.New("smtp: server doesn't support STARTTLS"), CauseTLSFailed}, // the client asked for TLS; the server has none
	}
	for _, tt := range tests {
		e := Explain(tt.err)
		if e.Cause != tt.cause {
			t.Errorf("Explain(%q) = %s (basis %s), want %s", tt.err, e.Cause.String(), e.Basis, tt.cause.String())
		}
		if e.Cause == CauseTLSRequired && !strings.Contains(e.Action, "STARTTLS") {
			t.Errorf("Explain(%q): action %q does not say how to encrypt", tt.err, e.Action)
		}
	}
}

// TestExplainPortIsNoReplyCode checks that a port number in an error text
// (":587", ":465") is not taken for a reply code: RFC 5321 reply codes have
// a second digit from 0 to 5.
func TestExplainPortIsNoReplyCode(t *testing.T) {
	for _, in := range []string{
		`Connection could not be established with host "smtp.example.com:587": stream_socket_client(): Unable to connect to smtp.example.com:587 (Connection refused)`,
		"dial tcp 192.0.2.1:465: connect: connection refused",
	} {
		e := ExplainReply(in)
		if e.Code != 0 || e.Cause != CauseNetworkError || !e.Temporary {
			t.Errorf("ExplainReply(%q) = code %d, %s, temporary %v; want code 0, network_error, temporary", in, e.Code, e.Cause.String(), e.Temporary)
		}
	}
	if e := ExplainReply("host mx.example.com said: 550 5.1.1 unknown user"); e.Code != 550 {
		t.Errorf("code %d, want 550", e.Code)
	}
}

// TestExplainReplyClientLogLines pins the causes of the error lines mail
// libraries write to logs (Go, PHPMailer, Nodemailer, Python, Java) when no
// reply explains the failure: ExplainReply on a logged error must agree
// with Explain on the error itself.
func TestExplainReplyClientLogLines(t *testing.T) {
	tests := []struct {
		in    string
		cause Cause
	}{
		{"x509: certificate signed by unknown authority", CauseTLSFailed},
		{"tls: handshake failure", CauseTLSFailed},
		{"dial tcp: lookup smtp.example.com: no such host", CauseNetworkError},
		{"connect: network is unreachable", CauseNetworkError},
		{"SMTP Error: Could not authenticate.", CauseAuthFailed},
		{"SMTP Error: Could not connect to SMTP host.", CauseNetworkError},
		{"SMTP connect() failed. https://github.com/PHPMailer/PHPMailer/wiki/Troubleshooting", CauseNetworkError},
		{"Error: Greeting never received", CauseNetworkError},
		{"Error: self signed certificate in certificate chain", CauseTLSFailed},
		{"Error: self-signed certificate", CauseTLSFailed},
		{"Error: unable to verify the first certificate", CauseTLSFailed},
		{"Error: certificate has expired", CauseTLSFailed},
		{"Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: smtp.example.com. is not in the cert's altnames: DNS:mail.example.net", CauseTLSFailed},
		{"Error: 140266178438016:error:1408F10B:SSL routines:ssl3_get_record:wrong version number", CauseTLSFailed},
		{"ssl.SSLError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1129)", CauseTLSFailed},
		{"ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1131)", CauseTLSFailed},
		{"javax.mail.MessagingException: Could not convert socket to TLS", CauseTLSFailed},
		{"sun.security.validator.ValidatorException: PKIX path building failed", CauseTLSFailed},
		{"smtplib.SMTPNotSupportedError: SMTP AUTH extension not supported by server.", CauseTLSRequired},
		{"smtplib.SMTPServerDisconnected: Connection unexpectedly closed", CauseNetworkError},
	}
	for _, tt := range tests {
		if e := ExplainReply(tt.in); e.Cause != tt.cause {
			t.Errorf("ExplainReply(%q) = %s, want %s", tt.in, e.Cause.String(), tt.cause.String())
		}
	}
}

// TestExplainProviderMismatchReplies checks that the reply each provider's
// sender rules tell users to expect for a From it does not allow (what
// sender.Check quotes) explains as a sender-identity cause.
func TestExplainProviderMismatchReplies(t *testing.T) {
	fill := strings.NewReplacer("<account>", "bob@example.com", "<from>", "alice@example.com", "<domain>", "example.com",
		"<REGION>", "US-EAST-1", "<identities>", "alice@example.com", "<emailaddress>", "alice@example.com")
	n := 0
	for _, p := range provider.All() {
		rules, ok := provider.SenderRulesFor(p.ID)
		if !ok || rules.MismatchReply == "" {
			continue
		}
		n++
		reply := fill.Replace(rules.MismatchReply)
		switch e := ExplainReply(reply); e.Cause {
		case CauseSenderNotVerified, CauseSenderNotAllowed, CauseSenderDomainNotVerified:
		default:
			t.Errorf("%s: ExplainReply(%q) = %s (basis %s), want a sender identity cause", p.ID, reply, e.Cause.String(), e.Basis)
		}
	}
	if n < 8 {
		t.Errorf("only %d providers have a mismatch reply", n)
	}
}

// TestExplainProviderNotFromAddresses checks that an address in a reply,
// the sender's or a recipient's, never names the provider that produced
// it: only the server's own markers (host names outside addresses, vendor
// codes and phrases) do. A recipient at a typo domain is not its
// look-alike's customer.
func TestExplainProviderNotFromAddresses(t *testing.T) {
	tests := []struct {
		in   string
		want provider.ID
	}{
		{"554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: someone@yahoo.com", provider.SES},
		{"553 5.7.1 <a@icloud.com>: Sender address rejected: not owned by user b@example.com", provider.Postfix},
		{"550 The from address does not match a verified Sender Identity: me@hotmail.com", provider.SendGrid},
		{"554 5.2.252 SendAsDenied; me@outlook.com not allowed to send as boss@aol.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied", provider.Microsoft365},
		// Recipient side: only a host name of the server shows who
		// answered.
		{"550 5.1.1 <example@icloud.com>: user does not exist", ""},
		{"550 5.1.1 <someone@yahooo.com>: Recipient address rejected: User unknown in virtual mailbox table", provider.Postfix},
		{"554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0] - mta1061.mail.ne1.yahoo.com", provider.Yahoo},
	}
	for _, tt := range tests {
		if e := ExplainReply(tt.in); e.Provider != tt.want {
			t.Errorf("ExplainReply(%q): provider %q (%s), want %q", tt.in, e.Provider, e.Cause.String(), tt.want)
		}
	}
}

// TestExplainAuthReplyCodeBeatsGenericEnhanced checks that the AUTH reply
// codes of RFC 4954 (534, 535, 538), which name their cause outright, are
// not overruled by a generic enhanced code such as 5.7.0.
func TestExplainAuthReplyCodeBeatsGenericEnhanced(t *testing.T) {
	tests := []struct {
		in    string
		cause Cause
	}{
		{"535 5.7.0 Mailgun is not loving your login or password", CauseAuthFailed},
		{"535 5.7.0 Error: invalid user", CauseAuthFailed},
		{"535 5.7.1 Nope", CauseAuthFailed},
		{"534 5.7.0 Please use OAuth", CauseAuthMethodRejected},
		{"538 5.7.0 Use a secure channel", CauseTLSRequired},
		// A specific enhanced code still wins over the reply code.
		{"535 5.7.139 Authentication unsuccessful, basic authentication is disabled.", CauseAuthMethodRejected},
	}
	for _, tt := range tests {
		if e := ExplainReply(tt.in); e.Cause != tt.cause {
			t.Errorf("ExplainReply(%q) = %s (basis %s), want %s", tt.in, e.Cause.String(), e.Basis, tt.cause.String())
		}
	}
}

// TestExplainTimeoutAttemptOrQueue checks that a timeout a client library
// reports is one attempt's network error, while a delay or failure notice
// naming the host its server kept trying is about a message that waited in
// the queue.
func TestExplainTimeoutAttemptOrQueue(t *testing.T) {
	tests := []struct {
		in    string
		cause Cause
	}{
		{"java.net.ConnectException: Connection timed out: connect", CauseNetworkError},
		{"stream_socket_client(): unable to connect to ssl://smtp.gmail.com:465 (Connection timed out)", CauseNetworkError},
		{"[Errno 110] Connection timed out", CauseNetworkError},
		{"dial tcp [2001:db8::1]:587: connect: connection timed out", CauseNetworkError},
		{"connect to mx.example.org[192.0.2.1]:25: Connection timed out", CauseExpired},
		{"connect to example.com[192.0.2.7]: Connection timed out", CauseExpired},
		{"421 example.com (smtp)... Deferred: Connection timed out during user open with example.com", CauseExpired},
	}
	for _, tt := range tests {
		if e := ExplainReply(tt.in); e.Cause != tt.cause {
			t.Errorf("ExplainReply(%q) = %s (%s %q), want %s", tt.in, e.Cause.String(), e.Basis, e.Matched, tt.cause.String())
		}
	}
}
