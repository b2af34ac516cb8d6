package queue

import (
	"context"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// Booth is a counter (loket) and the services it calls.
type Booth struct {
	Number   int      `json:"number"`
	Name     string   `json:"name"`
	Services []string `json:"services"`
}

// SetBooth creates or reconfigures a booth, audited.
func (q *Service) SetBooth(ctx context.Context, office string, b Booth, actor string) error {
	if err := checkBooth(b); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, q.Pool, func(tx pgx.Tx) error { return q.setBoothTx(ctx, tx, office, b, actor) })
}

// SetBoothsTx creates or reconfigures booths inside the caller's
// transaction (an offices import writes an office and its booths at once),
// each audited; booths not listed stay as they are.
func (q *Service) SetBoothsTx(ctx context.Context, tx pgx.Tx, office string, booths []Booth, actor string) error {
	for _, b := range booths {
		if err := checkBooth(b); err != nil {
			return err
		}
		if err := q.setBoothTx(ctx, tx, office, b, actor); err != nil {
			return err
		}
	}
	return nil
}

func checkBooth(b Booth) error {
	v := httpx.Invalid()
	if b.Number < 1 || b.Number > 999 {
		v.Field("number", "queue.field.booth_number")
	}
	if len(b.Services) == 0 {
		v.Field("services", "queue.field.services")
	}
	for _, s := range b.Services {
		if !slices.Contains(civil.Services, s) {
			v.Field("services", "queue.field.services")
		}
	}
	if len(b.Name) > 60 {
		v.Field("name", "queue.field.booth_name")
	}
	return v.OrNil()
}

func (q *Service) setBoothTx(ctx context.Context, tx pgx.Tx, office string, b Booth, actor string) error {
	now := q.Clock.Now()
	if _, err := tx.Exec(ctx, `INSERT INTO booths (office, number, name, services, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (office, number) DO UPDATE SET name = excluded.name, services = excluded.services`,
		office, b.Number, b.Name, b.Services, now); err != nil {
		return err
	}
	return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "booth.set",
		Subject: "booth:" + office + ":" + strconv.Itoa(b.Number), Data: b})
}

// Booths lists an office's booths by number.
func (q *Service) Booths(ctx context.Context, office string) ([]Booth, error) {
	rows, err := q.Pool.Query(ctx, `SELECT number, name, services FROM booths WHERE office = $1 ORDER BY number`, office)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Booth, error) {
		var b Booth
		err := r.Scan(&b.Number, &b.Name, &b.Services)
		return b, err
	})
}

// DefaultBooths is a new office's layout: six One Stop Service booths and
// two pickup counters.
func DefaultBooths() []Booth {
	var out []Booth
	for i := 1; i <= 6; i++ {
		out = append(out, Booth{Number: i, Name: "Loket " + strconv.Itoa(i), Services: civil.OSSBoothServices})
	}
	for i := 7; i <= 8; i++ {
		out = append(out, Booth{Number: i, Name: "Loket " + strconv.Itoa(i) + " (pengambilan)", Services: civil.PickupBoothServices})
	}
	return out
}

// SeedBooths gives office the default booths unless it has some already.
func (q *Service) SeedBooths(ctx context.Context, office, actor string) (bool, error) {
	existing, err := q.Booths(ctx, office)
	if err != nil || len(existing) > 0 {
		return false, err
	}
	for _, b := range DefaultBooths() {
		if err := q.SetBooth(ctx, office, b, actor); err != nil {
			return false, err
		}
	}
	return true, nil
}
