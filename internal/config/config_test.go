package config

import (
	"strings"
	"testing"
)

func TestFaceSettings(t *testing.T) {
	for _, tc := range []struct{ driver, url, threshold, wantErr string }{
		{"", "", "", ""},
		{"http", "http://abis.local", "0.35", ""},
		{"http", "", "", "ABIS_URL"},
		{"cloud", "", "", "ABIS_DRIVER"},
		{"", "", "1.5", "FACE_MATCH_THRESHOLD"},
		{"", "", "x", "FACE_MATCH_THRESHOLD"},
	} {
		t.Setenv("ABIS_DRIVER", tc.driver)
		t.Setenv("ABIS_URL", tc.url)
		t.Setenv("FACE_MATCH_THRESHOLD", tc.threshold)
		c, err := FromEnv()
		if tc.wantErr == "" {
			if err != nil {
				t.Errorf("%+v: %v", tc, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%+v: error %v, want one naming %s", tc, err, tc.wantErr)
		}
		_ = c
	}
	t.Setenv("ABIS_DRIVER", "")
	t.Setenv("FACE_MATCH_THRESHOLD", "0.35")
	if c, _ := FromEnv(); c.FaceMatchThreshold != 0.35 || c.ABISDriver != "builtin" {
		t.Fatalf("%v %q", c.FaceMatchThreshold, c.ABISDriver)
	}
}
