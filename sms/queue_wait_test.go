package sms_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/internal/civil"
)

// ANTRIAN gives the expected wait of a new number, and ANTRIAN <office>
// <number> that number's expected call, in one segment.
func TestQueueReplyWithWait(t *testing.T) {
	t.Parallel()
	in := startInstance(t, nil)
	ctx := context.Background()
	day := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	if _, err := in.App.Quota.SetDay(ctx, "JKS", day, 120, 40, nil, "test"); err != nil {
		t.Fatal(err)
	}
	if err := in.App.Queue.SetBooth(ctx, "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices}, "test"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := in.App.Queue.Walkin(ctx, "JKS", "new", "test"); err != nil {
			t.Fatal(err)
		}
	}
	// One idle booth at the default 8-minute turn: A003 in 16 minutes
	// (09:16 WIB), a new number in 24.
	for body, want := range map[string]string{
		"ANTRIAN JKS":      "Nomor baru: sekitar 24 menit.",
		"ANTRIAN JKS A003": "nomor A003 diperkirakan dipanggil pukul 09:16 (sekitar 16 menit), 2 nomor di depan",
		"QUEUE JKS A003":   "number A003 is expected to be called at 09:16 (about 16 min), 2 ahead",
		"ANTRIAN JKS A999": "nomor A999 tidak sedang menunggu hari ini",
	} {
		got := text(t, in, "+6281234567890", body)
		if !strings.Contains(got, want) {
			t.Errorf("%s:\n  got  %q\n  want …%q…", body, got, want)
		}
	}
}
