package clock

import (
	"testing"
	"time"
)

func TestFromEnv(t *testing.T) {
	c, err := FromEnv("2026-03-02T08:00:00+07:00", "development")
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Now().Sub(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)); d < 0 || d > time.Second {
		t.Fatalf("clock off by %v", d)
	}
	if _, err := FromEnv("2026-03-02T08:00:00+07:00", "production"); err == nil {
		t.Fatal("SPPT_NOW accepted in production")
	}
	if _, err := FromEnv("yesterday", ""); err == nil {
		t.Fatal("bad SPPT_NOW accepted")
	}
	if c, _ := FromEnv("", "production"); c == nil {
		t.Fatal("no clock without SPPT_NOW")
	}
}
