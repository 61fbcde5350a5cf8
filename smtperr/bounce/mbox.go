package bounce

import (
	"bytes"
	"strings"
)

// SplitMbox splits an mbox (RFC 4155: emails each starting with a "From "
// envelope line after a blank line) into its emails, undoing the ">From "
// quoting of body lines. Input that does not start with a "From " line, or
// holds only one email, is returned as one email. The emails share data's
// memory except where quoting was undone.
func SplitMbox(data []byte) [][]byte {
	if !bytes.HasPrefix(data, []byte("From ")) || nextEnvelope(data[1:]) < 0 {
		return [][]byte{data}
	}
	var out [][]byte
	rest := data
	for len(rest) > 0 {
		i := nextEnvelope(rest[1:])
		var m []byte
		if i < 0 {
			m, rest = rest, nil
		} else {
			m, rest = rest[:i+1], rest[i+1:]
		}
		if bytes.Contains(m, []byte("\n>From ")) {
			m = bytes.ReplaceAll(m, []byte("\n>From "), []byte("\nFrom "))
		}
		out = append(out, m)
	}
	return out
}

// nextEnvelope returns the offset of the next "From " line in b that
// follows a blank line, or that reads as an envelope line even without the
// blank line before it (some writers omit it), or -1.
func nextEnvelope(b []byte) int {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte("\nFrom "))
		if i < 0 {
			return -1
		}
		i += off
		if i > 0 && b[i-1] == '\n' || i > 1 && b[i-1] == '\r' && b[i-2] == '\n' || isEnvelopeLine(b[i+1:]) {
			return i + 1
		}
		off = i + 1
	}
}

// isEnvelopeLine reports whether b starts with an mbox envelope line: "From ",
// a sender without spaces, and an asctime date ("Thu Jul  2 12:05:05 2020").
func isEnvelopeLine(b []byte) bool {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := bytes.Fields(line)
	if len(f) < 7 || string(f[0]) != "From" {
		return false
	}
	day, mon := string(f[2]), string(f[3])
	if len(day) != 3 || !strings.Contains("MonTueWedThuFriSatSun", day) ||
		len(mon) != 3 || !strings.Contains("JanFebMarAprMayJunJulAugSepOctNovDec", mon) {
		return false
	}
	clock := f[5]
	return len(clock) == 8 && clock[2] == ':' && clock[5] == ':'
}
