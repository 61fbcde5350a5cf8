package publicapi

import (
	"bufio"
	"bytes"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/sendcheck/sendcheck"

// pkgInfo is what go list says about one package.
type pkgInfo struct {
	path, name, export string
	standard           bool
}

// listPackages runs go list over the module and returns every package the
// module's packages need, with the file holding its compiled export data.
func listPackages(t *testing.T) map[string]pkgInfo {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH")
	}
	root := moduleRoot(t)
	cmd := exec.Command("go", "list", "-export", "-deps",
		"-f", "{{.ImportPath}}\t{{.Name}}\t{{.Export}}\t{{.Standard}}", "./...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	pkgs := map[string]pkgInfo{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 4 {
			t.Fatalf("go list: unexpected line %q", sc.Text())
		}
		pkgs[f[0]] = pkgInfo{path: f[0], name: f[1], export: f[2], standard: f[3] == "true"}
	}
	return pkgs
}

// moduleRoot finds the directory of go.mod above the working directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

func isInternal(path string) bool {
	return strings.Contains("/"+path+"/", "/internal/")
}

// newImporter returns an importer that reads go list's export data.
func newImporter(pkgs map[string]pkgInfo) types.Importer {
	lookup := func(path string) (io.ReadCloser, error) {
		p, ok := pkgs[path]
		if !ok || p.export == "" {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(p.export)
	}
	return importer.ForCompiler(token.NewFileSet(), "gc", lookup)
}

// walker visits every type reachable from a package's exported API and
// records each use of a type declared in an internal package.
type walker struct {
	pkg     string // the package being checked
	seen    map[types.Type]bool
	where   []string
	reports []string
}

func (w *walker) at(name string, f func()) {
	w.where = append(w.where, name)
	f()
	w.where = w.where[:len(w.where)-1]
}

func (w *walker) typ(t types.Type) {
	if t == nil || w.seen[t] {
		return
	}
	w.seen[t] = true
	switch t := t.(type) {
	case *types.Alias:
		w.typ(types.Unalias(t))
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() != nil && isInternal(obj.Pkg().Path()) {
			w.reports = append(w.reports, fmt.Sprintf("%s: %s.%s (from %s)",
				strings.Join(w.where, "."), obj.Pkg().Name(), obj.Name(), obj.Pkg().Path()))
			return
		}
		if targs := t.TypeArgs(); targs != nil {
			for i := range targs.Len() {
				w.typ(targs.At(i))
			}
		}
		// Types of other modules are theirs to keep public; types of
		// this module are walked into, exported or not, because an
		// unexported type's exported fields and methods are reachable.
		if obj.Pkg() == nil || !strings.HasPrefix(obj.Pkg().Path(), module) {
			return
		}
		w.at(obj.Name(), func() {
			w.typ(t.Underlying())
			for _, recv := range []types.Type{t, types.NewPointer(t)} {
				ms := types.NewMethodSet(recv)
				for i := range ms.Len() {
					m := ms.At(i).Obj()
					if m.Exported() {
						w.at(m.Name(), func() { w.typ(m.Type()) })
					}
				}
			}
		})
	case *types.Pointer:
		w.typ(t.Elem())
	case *types.Slice:
		w.typ(t.Elem())
	case *types.Array:
		w.typ(t.Elem())
	case *types.Chan:
		w.typ(t.Elem())
	case *types.Map:
		w.typ(t.Key())
		w.typ(t.Elem())
	case *types.Tuple:
		for i := range t.Len() {
			w.typ(t.At(i).Type())
		}
	case *types.Signature:
		if tps := t.TypeParams(); tps != nil {
			for i := range tps.Len() {
				w.typ(tps.At(i).Constraint())
			}
		}
		w.typ(t.Params())
		w.typ(t.Results())
	case *types.Struct:
		for i := range t.NumFields() {
			f := t.Field(i)
			if f.Exported() || f.Embedded() {
				w.at(f.Name(), func() { w.typ(f.Type()) })
			}
		}
	case *types.Interface:
		for i := range t.NumEmbeddeds() {
			w.typ(t.EmbeddedType(i))
		}
		for i := range t.NumExplicitMethods() {
			m := t.ExplicitMethod(i)
			if m.Exported() {
				w.at(m.Name(), func() { w.typ(m.Type()) })
			}
		}
	case *types.TypeParam:
		w.typ(t.Constraint())
	case *types.Union:
		for i := range t.Len() {
			w.typ(t.Term(i).Type())
		}
	}
}

// check walks the exported names of pkg and returns the internal types they
// expose.
func check(pkg *types.Package) []string {
	w := &walker{pkg: pkg.Path(), seen: map[types.Type]bool{}}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		if tn, ok := obj.(*types.TypeName); ok {
			// A named type adds its own name to the path as it is walked.
			w.at(pkg.Name(), func() { w.typ(types.Unalias(tn.Type())) })
			continue
		}
		w.at(pkg.Name()+"."+name, func() { w.typ(obj.Type()) })
	}
	slices.Sort(w.reports)
	return slices.Compact(w.reports)
}

// TestNoInternalTypesInPublicAPI fails when an exported name of a public
// package has a type from an internal package anywhere in its signature,
// fields or methods.
func TestNoInternalTypesInPublicAPI(t *testing.T) {
	pkgs := listPackages(t)
	imp := newImporter(pkgs)
	var checked []string
	for _, p := range pkgs {
		if p.standard || !strings.HasPrefix(p.path, module) || isInternal(p.path) || p.name == "main" {
			continue
		}
		tp, err := imp.Import(p.path)
		if err != nil {
			t.Fatalf("import %s: %v", p.path, err)
		}
		for _, r := range check(tp) {
			t.Errorf("%s exposes an internal type: %s", p.path, r)
		}
		checked = append(checked, p.path)
	}
	// The check must have seen the packages users import.
	for _, want := range []string{"sender", "sender/provider", "smtperr", "dnsauth", "dnsauth/dnsauthtest", "smtperr/smtptest"} {
		if !slices.Contains(checked, module+"/"+want) {
			t.Errorf("package %s was not checked", want)
		}
	}
}

// TestWalkerFindsInternalTypes makes sure the check can fail: an internal
// package's own exported API names internal types.
func TestWalkerFindsInternalTypes(t *testing.T) {
	pkgs := listPackages(t)
	tp, err := newImporter(pkgs).Import(module + "/internal/provider")
	if err != nil {
		t.Fatal(err)
	}
	got := check(tp)
	if !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "provider.ReplyMarker") }) {
		t.Errorf("the walk of internal/provider found %q; want provider.ReplyMarkerAt's result", got)
	}
}
