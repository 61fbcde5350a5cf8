package examples

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/sendcheck/sendcheck"

// copyModule writes a new module in a temporary directory, with another
// module path, that requires this module through a replace directive to the
// checkout and the checkout's own requirements and go.sum, so it builds
// offline from the module cache.
func copyModule(t *testing.T) (dir, root string) {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	moduleLine := regexp.MustCompile(`(?m)^module\s+\S+\s*$`)
	if !moduleLine.Match(gomod) {
		t.Fatal("go.mod has no module line")
	}
	mod := moduleLine.ReplaceAll(gomod, []byte("module example.org/copied"))
	mod = append(mod, "\nrequire "+module+" v0.0.0-00010101000000-000000000000\n\nreplace "+module+" => "+strconv.Quote(root)+"\n"...)
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), mod, 0o644); err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, root
}

// goBuild builds pkgs in dir offline and returns the output.
func goBuild(t *testing.T, dir string, pkgs ...string) ([]byte, error) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	cmd := exec.Command("go", append([]string{"build"}, pkgs...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	return cmd.CombinedOutput()
}

// programs returns the directories below examples that hold a main package.
func programs(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "testdata" {
			continue
		}
		isMain, err := holdsMain(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if isMain {
			out = append(out, e.Name())
		}
	}
	return out
}

// holdsMain reports whether a non-test Go file in dir declares package main.
func holdsMain(dir string) (bool, error) {
	files, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	fset := token.NewFileSet()
	for _, f := range files {
		name := f.Name()
		if !f.Type().IsRegular() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.PackageClauseOnly)
		if err != nil {
			return false, err
		}
		if file.Name.Name == "main" {
			return true, nil
		}
	}
	return false, nil
}

// copyProgram copies the files of the program in src (not its tests, not
// its subdirectories) to dst.
func copyProgram(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestProgramsBuildInAnotherModule copies every example program into a
// separate module and builds it there, offline. A program that imports an
// internal package of this module does not build: Go forbids it outside
// the module.
func TestProgramsBuildInAnotherModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every example program; skipped with -short")
	}
	progs := programs(t)
	if len(progs) < 6 {
		t.Fatalf("found example programs %q; want at least the six of the README", progs)
	}
	dir, _ := copyModule(t)
	for _, p := range progs {
		copyProgram(t, p, filepath.Join(dir, p))
	}
	if out, err := goBuild(t, dir, "./..."); err != nil {
		t.Fatalf("example programs copied into another module do not build: %v\n%s", err, out)
	}
	t.Logf("built %d programs from a copy: %s", len(progs), strings.Join(progs, ", "))
}

// TestCopiedProgramUsingInternalFails makes sure the build above can fail:
// a program that imports an internal package does not build from a copy.
func TestCopiedProgramUsingInternalFails(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command; skipped with -short")
	}
	dir, _ := copyModule(t)
	src := "package main\n\nimport _ \"" + module + "/internal/testshared\"\n\nfunc main() {}\n"
	if err := os.MkdirAll(filepath.Join(dir, "bad"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad", "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := goBuild(t, dir, "./bad")
	if err == nil || !bytes.Contains(out, []byte("use of internal package")) {
		t.Fatalf("a copied program importing an internal package: err %v, output %s; want a build failure", err, out)
	}
}

// TestExampleFunctionsArePublic checks every file of the module that holds
// Example functions: it must import no internal package and be an external
// test package (package x_test), so its code compiles when pasted into
// another module. The README examples of examples/demo, package main, are
// the one allowed exception to the second rule.
func TestExampleFunctionsArePublic(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		hasExample := false
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Example") {
				hasExample = true
			}
		}
		if !hasExample {
			return nil
		}
		files++
		rel, _ := filepath.Rel(root, path)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, module+"/") && strings.Contains(p+"/", "/internal/") {
				t.Errorf("%s: Example functions import %s", rel, p)
			}
		}
		if name := f.Name.Name; !strings.HasSuffix(name, "_test") && !(name == "main" && strings.HasPrefix(filepath.ToSlash(rel), "examples/")) {
			t.Errorf("%s: Example functions in package %s, not an external test package", rel, name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Errorf("found Example functions in %d files; the walk is missing some", files)
	}
}
