package bounce

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

func TestScanFields(t *testing.T) {
	in := "Subject: a\r\n folded\r\n\tline\r\nX-Id:  7 \r\nnot a field\r\nTo: b@example.org\r\n\r\nbody\r\n"
	var got []string
	end, ended := scanFields([]byte(in), true, 100, func(k, v []byte) {
		got = append(got, string(k)+"="+unfold(v))
	})
	if want := "Subject=a folded line|X-Id=7"; strings.Join(got, "|") != want || !ended || in[end:] != "not a field\r\nTo: b@example.org\r\n\r\nbody\r\n" {
		t.Errorf("message header: %q, ended %v, rest %q", got, ended, in[end:])
	}

	// A delivery-status part: groups, and lines that are no field skipped.
	got = nil
	scanFields([]byte("Reporting-MTA: dns; a\n\nbroken line\nFinal-Recipient: rfc822; b@example.org\n  \nStatus: 5.1.1"), false, 100, func(k, v []byte) {
		got = append(got, canonicalKey(k)+"="+unfold(v))
	})
	if want := "Reporting-Mta=dns; a|Final-Recipient=rfc822; b@example.org|Status=5.1.1"; strings.Join(got, "|") != want {
		t.Errorf("delivery-status fields: %q, want %q", got, want)
	}
}

func TestTopHeader(t *testing.T) {
	mh, h, body, fields, tooLong := topHeader([]byte("Received: from a\n by b\nSubject: hi\nContent-Type: text/plain\n\nbody"), 1000)
	if tooLong || fields != 3 || h.Get("Subject") != "hi" || mh.Get("Content-Type") != "text/plain" || h.Get("Received") != "" || body != 61 {
		t.Errorf("fields %d, subject %q, type %q, received %q, body at %d, too long %v", fields, h.Get("Subject"), mh.Get("Content-Type"), h.Get("Received"), body, tooLong)
	}
	if _, _, _, _, tooLong := topHeader([]byte("Subject: "+strings.Repeat("x", 100)+"\n\nbody"), 50); !tooLong {
		t.Error("a header longer than the limit is not too long")
	}
}

func TestIndexFold(t *testing.T) {
	for _, tc := range []struct {
		s, sub string
		want   int
	}{
		{"", "a", -1}, {"abc", "", 0}, {"ab", "abc", -1},
		{"xx\nReporting-MTA: dns", "\nreporting-mta:", 2},
		{"RRRR reporting", "reporting", 5},
		{"rrrr REPORTING", "reporting", 5},
		{"a FiNaL-rEcIpIeNt", "final-recipient", 2},
		{"final", "final-recipient", -1},
		{"x-y", "y", 2},
	} {
		if got := indexFold(tc.s, tc.sub); got != tc.want {
			t.Errorf("indexFold(%q, %q) = %d, want %d", tc.s, tc.sub, got, tc.want)
		}
	}
}

func TestReadHeaderPart(t *testing.T) {
	body := strings.Repeat("x", 100000)
	for _, in := range []string{
		"\r\n\r\nSubject: a\r\nTo: b@example.org\r\n\r\n" + body,
		"Subject: a\nTo: b@example.org\n\n" + body,
	} {
		var buf bytes.Buffer
		if err := readHeaderPart(&buf, iotest.OneByteReader(strings.NewReader(in)), 1<<20); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "To: b@example.org") || buf.Len() > 200 {
			t.Errorf("read %d bytes: %.80q", buf.Len(), buf.String())
		}
	}
	// No blank line: the limit bounds the read.
	var buf bytes.Buffer
	if err := readHeaderPart(&buf, strings.NewReader("Subject: "+body), 10000); err != nil || buf.Len() > 10000+4096 {
		t.Errorf("read %d bytes, err %v", buf.Len(), err)
	}
}

func TestParseDateForms(t *testing.T) {
	want := time.Date(2020, 7, 2, 12, 5, 5, 0, time.FixedZone("", -4*3600))
	for _, v := range []string{
		"Thu, 2 Jul 2020 12:05:05 -0400",
		"Thu,  2 Jul 2020 12:05:05 -0400 (EDT)",
		"2 Jul 2020 12:05:05 -0400",
		"Thu, 02 Jul 2020 12:05:05 -0400",
	} {
		if got := parseDate(v); !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v, want %v", v, got, want)
		}
	}
	if got := parseDate("yesterday"); !got.IsZero() {
		t.Errorf("parseDate(yesterday) = %v", got)
	}
}

func TestIsOriginalSeparator(t *testing.T) {
	for line, want := range map[string]bool{
		"--- Below this line is a copy of the message.":                           true,
		"------ This is a copy of the message, including all the headers. ------": true,
		"----- URSPRÜNGLICHE NACHRICHT -----":                                     true,
		"-----元のメッセージ-----":                                                       true,
		"host mx.example.org said:":                                               false,
		"The original message was received at Thu, 29 Apr 2010":                   false,
	} {
		if got := isOriginalSeparator(line); got != want {
			t.Errorf("isOriginalSeparator(%q) = %v, want %v", line, got, want)
		}
	}
}
