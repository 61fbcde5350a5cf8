// Package testshared finds the public test data (conformance suites, bounce
// corpora, address vectors) that lives in a folder beside the checkout rather
// than in the repository.
//
// The folder is named by the SENDCHECK_SHARED environment variable; when it
// is unset, the folder "shared" next to the module root is used. A test that
// asks for a file that is not there is skipped when the variable is unset
// (a developer without the data) and fails when it is set (CI, where a
// missing file must not pass silently).
package testshared

import (
	"os"
	"path/filepath"
	"testing"
)

// EnvVar is the environment variable that names the shared folder.
const EnvVar = "SENDCHECK_SHARED"

// Path returns the path of rel (slash-separated, relative to the shared
// folder). It skips tb when the file is absent and EnvVar is unset, and fails
// tb when the file is absent and EnvVar is set.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	dir, fromEnv := dir()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		if fromEnv {
			tb.Fatalf("shared test data %s missing (%s=%s): %v", rel, EnvVar, dir, err)
		}
		tb.Skipf("shared test data %s not found; set %s to the shared folder to run this test", rel, EnvVar)
	}
	return p
}

// ReadFile returns the contents of rel in the shared folder, with the skip
// and failure rules of [Path].
func ReadFile(tb testing.TB, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(Path(tb, rel))
	if err != nil {
		tb.Fatalf("reading shared test data %s: %v", rel, err)
	}
	return b
}

// dir returns the shared folder and whether it came from EnvVar.
func dir() (string, bool) {
	if d := os.Getenv(EnvVar); d != "" {
		return d, true
	}
	wd, err := os.Getwd()
	if err != nil {
		return "shared", false
	}
	for d := wd; ; {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(d), "shared"), false
		}
		parent := filepath.Dir(d)
		if parent == d {
			return filepath.Join(wd, "..", "shared"), false
		}
		d = parent
	}
}
