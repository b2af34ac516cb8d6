package i18n_test

import (
	"testing"
	"testing/fstest"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/i18n"
)

func TestShippedLocalesLoad(t *testing.T) {
	c, err := i18n.Load(frontend.FS)
	if err != nil {
		t.Fatal(err)
	}
	if c.T("en", "err.not_found") == c.T("id", "err.not_found") {
		t.Error("English and Indonesian not_found messages are identical")
	}
}

func TestMissingTranslationRefused(t *testing.T) {
	fs := fstest.MapFS{
		"locales/id/a.json": {Data: []byte(`{"x": "satu", "y": "dua {n}"}`)},
		"locales/en/a.json": {Data: []byte(`{"x": "one"}`)},
	}
	if _, err := i18n.Load(fs); err == nil {
		t.Fatal("catalog with a key missing in en loaded")
	}
	fs["locales/en/a.json"] = &fstest.MapFile{Data: []byte(`{"x": "one", "y": "two {n}"}`)}
	c, err := i18n.Load(fs)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.T("en", "y", "n", 3); got != "two 3" {
		t.Fatalf("T = %q", got)
	}
}

func TestPick(t *testing.T) {
	for _, tc := range []struct{ explicit, header, want string }{
		{"", "", "id"}, {"", "en-US,en;q=0.9", "en"}, {"", "id-ID,en;q=0.5", "id"},
		{"id", "en", "id"}, {"en", "", "en"}, {"fr", "fr-FR", "id"},
	} {
		if got := i18n.Pick(tc.explicit, tc.header); got != tc.want {
			t.Errorf("Pick(%q, %q) = %q, want %q", tc.explicit, tc.header, got, tc.want)
		}
	}
}
