package sms_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/sms"
)

// A sign-in code waiting behind a large batch (a broadcast, or a flood of
// other messages) would arrive after it expired: the sender takes OTP
// messages first, whatever was queued before them.
func TestOTPSentAheadOfBroadcasts(t *testing.T) {
	t.Parallel()
	in, fake := twilioInstance(t, 100)
	ctx := context.Background()
	const batch = 300
	otpPhone := "+6281299999999"
	err := pgx.BeginFunc(ctx, in.Pool, func(tx pgx.Tx) error {
		ms := make([]sms.Message, 0, batch+1)
		for i := range batch {
			ms = append(ms, sms.Message{To: phoneN(i + 1), Kind: "broadcast", Office: "JKS", Body: "Kuota JKS", Key: fmt.Sprintf("test:bc:%d", i)})
		}
		if err := in.App.Outbox.EnqueueMany(ctx, tx, ms); err != nil {
			return err
		}
		// Queued last, in the same commit: nothing about the order of arrival favours it.
		_, err := in.App.Outbox.Enqueue(ctx, tx, sms.Message{To: otpPhone, Kind: sms.NoticeOTP, Body: "Kode 123456", Key: "test:otp:1"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	waitSettled(t, in, 2*time.Minute)
	msgs := fake.Accepted()
	if len(msgs) != batch+1 {
		t.Fatalf("%d messages sent, want %d", len(msgs), batch+1)
	}
	sort.Slice(msgs, func(i, j int) bool { return msgs[i].At.Before(msgs[j].At) })
	for i, m := range msgs {
		if m.To != otpPhone {
			continue
		}
		// 50 send workers take their first jobs together; the OTP must be among them.
		if i >= 60 {
			t.Errorf("the OTP left as message %d of %d, %s after the first: behind the batch", i+1, len(msgs), m.At.Sub(msgs[0].At))
		}
		return
	}
	t.Fatal("the OTP was not sent")
}
