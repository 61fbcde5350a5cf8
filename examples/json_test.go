package examples

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJSONKeepsMarkup checks the source of every example program: each
// json.Encoder it makes calls SetEscapeHTML(false) in the same function, and
// no program calls json.Marshal or json.MarshalIndent, which always escape.
// Replies, addresses and records are full of <, > and &; escaped as \u003c,
// they are unreadable to the people the JSON is for.
func TestJSONKeepsMarkup(t *testing.T) {
	encoders := 0
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			encoders += checkJSON(t, path, fn)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if encoders < 5 {
		t.Errorf("found %d JSON encoders in the example programs; the walk is missing some", encoders)
	}
}

// checkJSON reports the JSON encoding calls of fn that escape markup and
// returns how many encoders it made.
func checkJSON(t *testing.T, path string, fn *ast.FuncDecl) int {
	made := map[string]bool{}      // encoder variables made in fn
	unescaped := map[string]bool{} // ... that call SetEscapeHTML(false)
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, rhs := range n.Rhs {
				if isCall(rhs, "json", "NewEncoder") && i < len(n.Lhs) {
					if id, ok := n.Lhs[i].(*ast.Ident); ok {
						made[id.Name] = true
					}
				}
			}
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok {
				switch {
				case x.Name == "json" && (sel.Sel.Name == "Marshal" || sel.Sel.Name == "MarshalIndent"):
					t.Errorf("%s: %s calls json.%s, which escapes <, > and &; use an Encoder with SetEscapeHTML(false)", path, fn.Name.Name, sel.Sel.Name)
				case sel.Sel.Name == "SetEscapeHTML" && len(n.Args) == 1:
					if b, ok := n.Args[0].(*ast.Ident); ok && b.Name == "false" {
						unescaped[x.Name] = true
					}
				}
			}
			if isCall(sel.X, "json", "NewEncoder") && sel.Sel.Name == "Encode" {
				t.Errorf("%s: %s encodes with a json.NewEncoder made inline, which escapes <, > and &", path, fn.Name.Name)
			}
		}
		return true
	})
	for v := range made {
		if !unescaped[v] {
			t.Errorf("%s: %s makes the JSON encoder %s without SetEscapeHTML(false)", path, fn.Name.Name, v)
		}
	}
	return len(made)
}

// isCall reports whether e calls pkg.name.
func isCall(e ast.Expr, pkg, name string) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == pkg && sel.Sel.Name == name
}
