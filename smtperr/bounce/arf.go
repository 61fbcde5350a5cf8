package bounce

import (
	"strings"

	_ "github.com/emersion/go-message/charset" // registers the character sets of text parts and encoded words
)

// arfFields are the feedback-report fields readARF reads.
var arfFields = []string{"feedback-type", "original-rcpt-to", "removal-recipient", "arrival-date", "received-date", "reporting-mta"}

// readARF reads an RFC 5965 feedback report: one complaint record per
// original recipient it names.
func (e *email) readARF(rep *Report, main string) {
	rep.Format = FormatARF
	var ftype, arrival, reporting string
	var rcpts []string
	for _, f := range readFields(e.feedback, 200, arfFields) {
		switch f.key {
		case "Feedback-Type":
			ftype = strings.ToLower(strings.TrimSpace(f.value))
		case "Original-Rcpt-To", "Removal-Recipient":
			if a := address(f.value); strings.Contains(a, "@") {
				rcpts = append(rcpts, a)
			}
		case "Arrival-Date", "Received-Date":
			if arrival == "" {
				arrival = f.value
			}
		case "Reporting-Mta":
			reporting = typedValue(f.value)
		}
	}
	if len(rcpts) == 0 && rep.Original != nil {
		rcpts = originalRecipients(e, rep)
	}
	if len(rcpts) == 0 {
		rcpts = []string{""}
	}
	if ftype == "" {
		ftype = "other"
	}
	rep.ReportingMTA = reporting
	arr := parseDate(arrival)
	for _, a := range rcpts {
		if len(rep.Records) >= maxRecords {
			break
		}
		rep.Records = append(rep.Records, Record{
			Kind:         KindComplaint,
			Recipient:    a,
			FeedbackType: ftype,
			ReportingMTA: reporting,
			ArrivalDate:  arr,
			Diagnostic:   clip(firstParagraph(main)),
		})
	}
}

// originalRecipients returns the recipients of the returned message: the
// field a feedback loop adds for them, or its To field.
func originalRecipients(e *email, rep *Report) []string {
	if e.orig != nil {
		for _, k := range []string{"X-Hmxmroriginalrecipient", "X-Original-To", "Delivered-To"} {
			if v := e.orig.Get(k); v != "" {
				if a := address(v); strings.Contains(a, "@") {
					return []string{a}
				}
			}
		}
	}
	if rep.Original != nil {
		return parseAddressList(rep.Original.To)
	}
	return nil
}

// complaintWithoutARF recognises complaints sent without a feedback-report
// part: a feedback loop that returns the message with a field naming its
// recipient (Microsoft's JMRP adds X-HmXmrOriginalRecipient), and a mail
// client's unsubscribe request (Apple Mail marks it X-Apple-Unsubscribe).
func (e *email) complaintWithoutARF(rep *Report, main string) bool {
	switch {
	case e.orig != nil && e.orig.Get("X-Hmxmroriginalrecipient") != "":
		rep.Format = FormatARF
		rep.Records = []Record{{
			Kind:         KindComplaint,
			Recipient:    address(e.orig.Get("X-Hmxmroriginalrecipient")),
			FeedbackType: "abuse",
			Diagnostic:   clip(firstParagraph(main)),
		}}
		return true
	case strings.EqualFold(strings.TrimSpace(e.header.Get("X-Apple-Unsubscribe")), "true"):
		rep.Format = FormatARF
		rep.Records = []Record{{
			Kind:         KindComplaint,
			Recipient:    rep.From,
			FeedbackType: "opt-out",
			Diagnostic:   clip(firstParagraph(main)),
		}}
		return true
	}
	return false
}
