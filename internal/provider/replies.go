package provider

// ReplyMarker is a piece of reply text that shows which provider or mail
// system produced a reply: a host name in the text, a vendor error token, a
// help URL, or a stock phrase only that software uses.
type ReplyMarker struct {
	// Text is the marker, lower case; it matches anywhere in the lower-cased
	// reply.
	Text string
	// ID is the provider or software the marker shows.
	ID ID
	// Software is true for markers of mail software (Postfix, Exim, ...)
	// rather than of a service. A service marker outranks a software marker
	// and outranks the provider a reply-text rule suggests; a software
	// marker only names the provider when nothing else does.
	Software bool
}

// replyMarkers is the marker table, in priority order: the first marker
// found in a reply wins. It is never written.
var replyMarkers = [...]ReplyMarker{
	// Google. The relay's replies mention the relay service.
	{Text: "smtp relay service", ID: GoogleRelay},
	{Text: "smtp relay limit", ID: GoogleRelay},
	{Text: "smtp relay sending limit", ID: GoogleRelay},
	{Text: "g suite smtp relay", ID: GoogleRelay},
	{Text: "workspace smtp relay", ID: GoogleRelay},
	{Text: "gsmtp", ID: Gmail},
	{Text: "google.com", ID: Gmail},
	{Text: "gmail requires", ID: Gmail},
	{Text: "gmail has detected", ID: Gmail},
	{Text: "google's", ID: Gmail},
	{Text: "gmail sending limits", ID: Gmail},
	{Text: "gmail-smtp-in", ID: Gmail},
	// Microsoft: consumer Outlook.com before Exchange Online.
	{Text: "by outlook.com", ID: Outlook},
	{Text: "outlook.com server", ID: Outlook},
	{Text: "postmaster.live.com", ID: Outlook},
	{Text: "hotmail.com", ID: Outlook},
	{Text: "outlook.com", ID: Microsoft365},
	{Text: "office365", ID: Microsoft365},
	{Text: "aka.ms/", ID: Microsoft365},
	{Text: "sender.office.com", ID: Microsoft365},
	{Text: "go.microsoft.com", ID: Microsoft365},
	// Yahoo and AOL.
	{Text: "yahoo", ID: Yahoo},
	{Text: "verizonmedia", ID: Yahoo},
	{Text: "aol.com", ID: Yahoo},
	// Apple.
	{Text: "icloud", ID: ICloud},
	{Text: "support.apple.com", ID: ICloud},
	{Text: ".me.com", ID: ICloud},
	{Text: "me.com error", ID: ICloud},
	// Sending services.
	{Text: "amazonses", ID: SES},
	{Text: "email-smtp.", ID: SES},
	{Text: "amazon ses", ID: SES},
	{Text: "sendgrid", ID: SendGrid},
	{Text: "mailgun", ID: Mailgun},
	{Text: "postmarkapp", ID: Postmark},
	{Text: "sender signature", ID: Postmark},
	{Text: "sparkpost", ID: SparkPost},
	{Text: "zeptomail", ID: ZeptoMail},
	{Text: "zoho", ID: Zoho},
	{Text: "sendinblue", ID: Brevo},
	{Text: "brevo", ID: Brevo},
	{Text: "mailjet", ID: Mailjet},
	{Text: "mandrill", ID: Mandrill},
	{Text: "fastmail", ID: Fastmail},
	{Text: "messagingengine", ID: Fastmail},
	{Text: "protonmail", ID: ProtonMail},
	// Filtering gateways.
	{Text: "proofpoint", ID: Proofpoint},
	{Text: "pphosted", ID: Proofpoint},
	{Text: "mimecast", ID: Mimecast},
	{Text: "barracuda", ID: Barracuda},
	{Text: "cuda_nsu", ID: Barracuda},
	// Mail software, by stock texts.
	{Text: "storedrv", ID: Exchange, Software: true},
	{Text: "resolver.adr.", ID: Exchange, Software: true},
	{Text: "resolver.rst.", ID: Exchange, Software: true},
	{Text: "mapiexception", ID: Exchange, Software: true},
	{Text: "recipient address rejected:", ID: Postfix, Software: true},
	{Text: "sender address rejected:", ID: Postfix, Software: true},
	{Text: "client host rejected:", ID: Postfix, Software: true},
	{Text: "helo command rejected:", ID: Postfix, Software: true},
	{Text: "relay access denied", ID: Postfix, Software: true},
	{Text: "sender verify failed", ID: Exim, Software: true},
	{Text: "incorrect authentication data", ID: Exim, Software: true},
	{Text: "unrouteable address", ID: Exim, Software: true},
	{Text: "without authentication", ID: Exim, Software: true},
	{Text: "sorry, no mailbox here by that name", ID: Qmail, Software: true},
	{Text: "i'm not going to try again", ID: Qmail, Software: true},
	{Text: "list of allowed rcpthosts", ID: Qmail, Software: true},
	{Text: ">... user unknown", ID: Sendmail, Software: true},
	{Text: ">... mailbox full", ID: Sendmail, Software: true},
	{Text: "relaying denied. proper authentication required", ID: Sendmail, Software: true},
}

// NumReplyMarkers returns the number of reply markers.
func NumReplyMarkers() int { return len(replyMarkers) }

// ReplyMarkerAt returns the i-th reply marker in priority order, for
// 0 <= i < NumReplyMarkers(). It returns a copy, so the table stays
// read-only, without allocating.
func ReplyMarkerAt(i int) ReplyMarker { return replyMarkers[i] }
