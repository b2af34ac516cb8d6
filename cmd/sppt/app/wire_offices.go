package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/quota"
)

// boothWriter gives quota's offices import the queue's booths, in the
// import's transaction.
type boothWriter struct{ a *App }

func (b boothWriter) SetBoothsTx(ctx context.Context, tx pgx.Tx, office string, booths []quota.BoothSpec, actor string) error {
	out := make([]queue.Booth, len(booths))
	for i, bs := range booths {
		out[i] = queue.Booth{Number: bs.Number, Name: bs.Name, Services: bs.Services}
	}
	return b.a.Queue.SetBoothsTx(ctx, tx, office, out, actor)
}
