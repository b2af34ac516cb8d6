package httpx_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/i18n"
)

// Every field message a person reads is translated text: each message key
// the code passes as a literal to Error.Field (or in a FieldMsg) exists in
// the locale files. (A missing one used to reach clients as the raw key,
// "field.invalid_type".)
func TestFieldMessageKeysExist(t *testing.T) {
	cat, err := i18n.Load(frontend.FS)
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	checked := 0
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var lit ast.Expr
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Field" && len(n.Args) >= 2 {
					lit = n.Args[1]
				}
			case *ast.CompositeLit:
				if !isFieldMsg(n.Type) {
					return true
				}
				for _, e := range n.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Key" {
							lit = kv.Value
						}
					}
				}
			}
			bl, ok := lit.(*ast.BasicLit)
			if !ok || bl.Kind != token.STRING {
				return true
			}
			key, _ := strconv.Unquote(bl.Value)
			checked++
			if !cat.Has(key) {
				t.Errorf("%s: message key %q is in no locale file", fset.Position(bl.Pos()), key)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("only %d field message keys found: the scan is broken", checked)
	}
}

// isFieldMsg reports whether a composite literal's type is (httpx.)FieldMsg.
func isFieldMsg(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "FieldMsg"
	case *ast.SelectorExpr:
		return e.Sel.Name == "FieldMsg"
	}
	return false
}

// A field message whose key is missing all the same (built at run time)
// reaches the client as the generic field text, never as the key.
func TestMissingFieldKeyFallsBackToText(t *testing.T) {
	cat, err := i18n.Load(frontend.FS)
	if err != nil {
		t.Fatal(err)
	}
	f := fiber.New(fiber.Config{ErrorHandler: httpx.ErrorHandler(cat, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)})
	f.Get("/api/x", func(c fiber.Ctx) error { return httpx.Invalid().Field("nik", "no.such.key") })
	resp, err := f.Test(httptest.NewRequest("GET", "/api/x", nil))
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Error struct{ Fields map[string]string } `json:"error"`
	}
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &body)
	if got, want := body.Error.Fields["nik"], cat.T("id", "field.invalid"); got != want {
		t.Errorf("fields.nik = %q, want %q", got, want)
	}
}
