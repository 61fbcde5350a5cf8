package main

import (
	"regexp"
	"testing"

	"github.com/sendcheck/sendcheck/internal/golden"
)

// queriesField is the one part of the JSON report that may differ between
// runs: how many questions the look-ahead asked depends on which answers
// arrive first.
var queriesField = regexp.MustCompile(`"queries": \d+`)

// TestGolden pins the program's output for the example zone, text and
// JSON: a change in any finding, fix or proposed record shows as a diff.
// Run with -update to accept a change.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"ready.txt", []string{"-zone", zoneFile, "-smtp-host", "smtp.gmail.com", "-ip", "209.85.220.41", "ready.example"}},
		{"startup.txt", []string{"-zone", zoneFile, "-smtp-host", "smtp.gmail.com", "-selector", "default", "startup.example"}},
		{"startup.json", []string{"-zone", zoneFile, "-json", "-smtp-host", "smtp.gmail.com", "-selector", "default", "startup.example"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, out, errOut := runArgs(t, tc.args...)
			if errOut != "" {
				t.Fatalf("stderr: %s", errOut)
			}
			got := queriesField.ReplaceAllString(out, `"queries": 0`)
			golden.Check(t, tc.name, got)
		})
	}
}
