package sealed

import (
	"bytes"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	b := Random()
	plain := []byte("face template bytes")
	s1, s2 := b.Seal(plain, []byte("face_templates:A")), b.Seal(plain, []byte("face_templates:A"))
	if bytes.Equal(s1, s2) {
		t.Fatal("two seals of the same value are identical: the nonce is not random")
	}
	if bytes.Contains(s1, plain) {
		t.Fatal("the sealed value contains the plain text")
	}
	got, err := b.Open(s1, []byte("face_templates:A"))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q, %v", got, err)
	}
	if got, err := b.Open(b.Seal(nil, nil), nil); err != nil || len(got) != 0 {
		t.Fatalf("empty value: %q, %v", got, err)
	}
}

func TestWrongKeyTamperAndAADFail(t *testing.T) {
	b := Random()
	s := b.Seal([]byte("secret"), []byte("face_templates:A"))
	if _, err := Random().Open(s, []byte("face_templates:A")); !errors.Is(err, ErrOpen) {
		t.Fatalf("wrong key: %v", err)
	}
	if _, err := b.Open(s, []byte("face_templates:B")); !errors.Is(err, ErrOpen) {
		t.Fatalf("value moved to another row: %v", err)
	}
	for i := range s {
		bad := bytes.Clone(s)
		bad[i] ^= 0x01
		if _, err := b.Open(bad, []byte("face_templates:A")); !errors.Is(err, ErrOpen) {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
	if _, err := b.Open(s[:10], nil); !errors.Is(err, ErrOpen) {
		t.Fatalf("truncated: %v", err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	key := randomBytes(KeySize)
	enc := base64.StdEncoding.EncodeToString(key)

	fromEnv, src, err := Load(enc, "", true)
	if err != nil || src != "DATA_KEY" {
		t.Fatalf("DATA_KEY: %v %q", err, src)
	}
	sealed := fromEnv.Seal([]byte("x"), nil)

	path := filepath.Join(dir, "key")
	os.WriteFile(path, []byte(enc+"\n"), 0o600)
	fromFile, src, err := Load("", path, true)
	if err != nil || src != "DATA_KEY_FILE" {
		t.Fatalf("DATA_KEY_FILE: %v %q", err, src)
	}
	if _, err := fromFile.Open(sealed, nil); err != nil {
		t.Fatalf("the same key from a file does not open: %v", err)
	}
	os.WriteFile(path, key, 0o600) // raw bytes work too
	if b, _, err := Load("", path, true); err != nil {
		t.Fatal(err)
	} else if _, err := b.Open(sealed, nil); err != nil {
		t.Fatalf("raw key file: %v", err)
	}

	if _, _, err := Load("c2hvcnQ=", "", false); err == nil {
		t.Fatal("a short DATA_KEY was accepted")
	}
	if _, _, err := Load("", "", true); err == nil {
		t.Fatal("production started without a key")
	}

	dev, src, err := Load("", "", false)
	if err != nil || src != DevKeyFile {
		t.Fatalf("development key: %v %q", err, src)
	}
	st, err := os.Stat(DevKeyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("dev key file: %v %v", st.Mode(), err)
	}
	again, _, _ := Load("", "", false)
	if _, err := again.Open(dev.Seal([]byte("x"), nil), nil); err != nil {
		t.Fatal("the development key changed between two starts")
	}
}
