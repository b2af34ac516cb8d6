package sms

import "context"

// Feed runs one drain step of broadcast id (tests only).
func (o *Outbox) Feed(ctx context.Context, id int64) (fed int, done bool, err error) {
	return o.feed(ctx, id)
}
