// Package frontend holds SPPT's pages: html/template layouts and pages,
// static assets and the locale files, all embedded in the binary. It renders;
// it decides nothing.
package frontend

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/i18n"
)

//go:embed templates static locales
var FS embed.FS

// Static is the static assets folder (served under /static).
func Static() fs.FS {
	sub, _ := fs.Sub(FS, "static")
	return sub
}

// Page is what every page template receives.
type Page struct {
	Lang    string
	Title   string
	Path    string
	Citizen bool
	Officer *OfficerNav // backoffice pages: the officer's menu (SetOfficerNav)
	CSRF    string      // the token for the layout's own forms (SetCSRF)
	Data    any
}

// OfficerLayout is the template name of the officer layout
// (templates/partials/officer_layout.html). A page template under
// templates/ defines "content" (and optionally "head"); rendered behind the
// officer guard it gets this layout with the officer's name, office and menu.
const OfficerLayout = "officer_layout"

// Renderer renders pages: each page template is parsed together with the layout.
type Renderer struct {
	cat   *i18n.Catalog
	pages map[string]*template.Template
}

// NewRenderer parses every page under templates/ with templates/layout.html
// (and any templates/partials/*.html).
func NewRenderer(cat *i18n.Catalog) (*Renderer, error) {
	funcs := template.FuncMap{
		"t":    func(lang, key string) string { return cat.T(lang, key) },
		"tf":   func(lang, key string, params ...any) string { return cat.T(lang, key, params...) },
		"add":  func(a, b int) int { return a + b },
		"join": strings.Join,
	}
	r := &Renderer{cat: cat, pages: map[string]*template.Template{}}
	files, err := fs.Glob(FS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	partials, _ := fs.Glob(FS, "templates/partials/*.html")
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(FS, append([]string{"templates/layout.html", f}, partials...)...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

// Catalog is the message catalog pages use.
func (r *Renderer) Catalog() *i18n.Catalog { return r.cat }

// Render writes page with status; titleKey is a locale key. The layout
// named "layout" is executed unless the page defines "standalone"; after the
// officer page guard (SetOfficerNav) it is "officer_layout" instead, so
// every backoffice page, and the error page an officer gets, wears the
// officer layout without asking for it.
func (r *Renderer) Render(c fiber.Ctx, status int, page, titleKey string, data any, citizen bool) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	lang := httpx.Lang(c)
	if q := c.Query("lang"); q == lang {
		c.Cookie(&fiber.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: "Lax"})
	}
	p := Page{Lang: lang, Title: r.cat.T(lang, titleKey), Path: c.Path(), Citizen: citizen, Officer: officerNav(c), CSRF: csrfOf(c), Data: data}
	root := "layout"
	if p.Officer != nil {
		root = OfficerLayout
	}
	if t.Lookup("standalone") != nil {
		root = "standalone"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, root, p); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// ErrorPage is the httpx.PageErrorFunc for browser routes.
func (r *Renderer) ErrorPage(c fiber.Ctx, status int, message string) error {
	return r.Render(c, status, "error", "error.title", map[string]any{"Status": status, "Message": message}, false)
}
