package intake

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"testing"

	"github.com/sppt/sppt/internal/httpx"
)

func TestChecklistPerService(t *testing.T) {
	for _, c := range []struct {
		service, reason string
		want            []string
	}{
		{"new", "", []string{DocKTP, DocFamilyCard, DocBirth}},
		{"priority", "", []string{DocKTP, DocFamilyCard, DocBirth}},
		{"renewal", "", []string{DocKTP, DocFamilyCard, DocOldPassport}},
		{"replacement", "", []string{DocKTP, DocFamilyCard}},
		{"replacement", ReasonLost, []string{DocKTP, DocFamilyCard, DocBirth, DocPoliceReport}},
		{"replacement", ReasonDamaged, []string{DocKTP, DocFamilyCard, DocOldPassport}},
		{"replacement", ReasonSPLP, []string{DocKTP, DocFamilyCard, DocBirth, DocSPLP}},
		{"data_change", "", []string{DocKTP, DocFamilyCard, DocOldPassport, DocSupporting}},
	} {
		if got := Checklist(c.service, c.reason); !slices.Equal(got, c.want) {
			t.Errorf("%s/%s: %v, want %v", c.service, c.reason, got, c.want)
		}
	}
	if m := Missing("renewal", "", map[string]bool{DocKTP: true, DocBirth: true}); !slices.Equal(m, []string{DocFamilyCard, DocOldPassport}) {
		t.Errorf("missing: %v", m)
	}
}

func fields(err error) []string {
	e, ok := httpx.As(err)
	if !ok {
		return nil
	}
	var out []string
	for f := range e.Fields {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

func TestValidateScan(t *testing.T) {
	pdf := []byte("%PDF-1.7\n...")
	sum := sha256.Sum256(pdf)
	for _, c := range []struct {
		name, kind string
		data       []byte
		sum        string
		want       []string
		ctype      string
	}{
		{"pdf", DocKTP, pdf, "", nil, "application/pdf"},
		{"pdf with checksum", DocKTP, pdf, hex.EncodeToString(sum[:]), nil, "application/pdf"},
		{"upper-case checksum", DocKTP, pdf, string(bytes.ToUpper([]byte(hex.EncodeToString(sum[:])))), nil, "application/pdf"},
		{"jpeg", DocKTP, []byte{0xFF, 0xD8, 0xFF, 0xDB, 1, 2}, "", nil, "image/jpeg"},
		{"png", DocKTP, []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0}, "", nil, "image/png"},
		{"gif is refused", DocKTP, []byte("GIF89a...."), "", []string{"file"}, ""},
		{"html named .pdf is refused", DocKTP, []byte("<html>%PDF-"), "", []string{"file"}, ""},
		{"empty", DocKTP, nil, "", []string{"file"}, ""},
		{"too large", DocKTP, append([]byte("%PDF-"), make([]byte, MaxScan)...), "", []string{"file"}, ""},
		{"bad kind", "selfie", pdf, "", []string{"kind"}, "application/pdf"},
		{"wrong checksum", DocKTP, pdf, "ab", []string{"sha256"}, "application/pdf"},
	} {
		ct, digest, err := Validate(c.kind, c.data, c.sum)
		if got := fields(err); !slices.Equal(got, c.want) {
			t.Errorf("%s: fields %v, want %v (%v)", c.name, got, c.want, err)
		}
		if ct != c.ctype {
			t.Errorf("%s: type %q, want %q", c.name, ct, c.ctype)
		}
		if h := sha256.Sum256(c.data); digest != hex.EncodeToString(h[:]) {
			t.Errorf("%s: digest %s", c.name, digest)
		}
	}
}

func FuzzValidate(f *testing.F) {
	f.Add("ktp", []byte("%PDF-1.4"), "")
	f.Add("other", []byte{0xFF, 0xD8, 0xFF}, "00")
	f.Fuzz(func(t *testing.T, kind string, data []byte, sum string) {
		ct, _, err := Validate(kind, data, sum)
		if err == nil && ct == "" {
			t.Fatalf("accepted a scan of no known type")
		}
	})
}
