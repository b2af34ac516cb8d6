// Package i18n looks up the messages a person reads. Bahasa Indonesia is the
// default; English is the second language. Messages live in locale files
// (locales/<lang>/*.json, flat key → text), never in code.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Languages SPPT speaks, default first.
var Languages = []string{"id", "en"}

// Default is the language used when none is asked for.
const Default = "id"

// Catalog holds every message of every language.
type Catalog struct {
	msgs map[string]map[string]string
}

// Load reads locales/<lang>/*.json from fsys. Every key must exist in every
// language, so no person ever sees a raw key.
func Load(fsys fs.FS) (*Catalog, error) {
	c := &Catalog{msgs: map[string]map[string]string{}}
	for _, lang := range Languages {
		c.msgs[lang] = map[string]string{}
		files, err := fs.Glob(fsys, path.Join("locales", lang, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			raw, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, err
			}
			var m map[string]string
			if err := json.Unmarshal(raw, &m); err != nil {
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			for k, v := range m {
				if _, dup := c.msgs[lang][k]; dup {
					return nil, fmt.Errorf("%s: key %q defined twice", f, k)
				}
				c.msgs[lang][k] = v
			}
		}
	}
	for k := range c.msgs[Default] {
		for _, lang := range Languages[1:] {
			if _, ok := c.msgs[lang][k]; !ok {
				return nil, fmt.Errorf("locale %s lacks key %q", lang, k)
			}
		}
	}
	for _, lang := range Languages[1:] {
		for k := range c.msgs[lang] {
			if _, ok := c.msgs[Default][k]; !ok {
				return nil, fmt.Errorf("locale %s lacks key %q", Default, k)
			}
		}
	}
	return c, nil
}

// Has reports whether key exists.
func (c *Catalog) Has(key string) bool {
	_, ok := c.msgs[Default][key]
	return ok
}

// T returns the message for key in lang with {name} placeholders replaced by
// pairs of params ("name", value, …). An unknown key is returned as itself.
func (c *Catalog) T(lang, key string, params ...any) string {
	m, ok := c.msgs[lang]
	if !ok {
		m = c.msgs[Default]
	}
	s, ok := m[key]
	if !ok {
		return key
	}
	for i := 0; i+1 < len(params); i += 2 {
		s = strings.ReplaceAll(s, "{"+fmt.Sprint(params[i])+"}", fmt.Sprint(params[i+1]))
	}
	return s
}

// Pick chooses a language from an explicit choice (query or cookie) and then
// an Accept-Language header; Indonesian unless English is preferred.
func Pick(explicit, acceptLanguage string) string {
	for _, l := range Languages {
		if explicit == l {
			return l
		}
	}
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			return "en"
		case tag == "id" || strings.HasPrefix(tag, "id-") || tag == "in":
			return "id"
		}
	}
	return Default
}
