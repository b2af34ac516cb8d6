// Package callnext measures booths calling tickets through the HTTP API
// against a bare FOR UPDATE SKIP LOCKED loop doing the same claims.
package callnext

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
)

const (
	booths  = 50
	tickets = 20000
)

// TestBenchCallNext: 50 booths call concurrently over HTTP until 20,000
// tickets are served; baseline: the same claims as bare SQL transactions.
func TestBenchCallNext(t *testing.T) {
	if os.Getenv("SPPT_BENCH") != "1" {
		t.Skip("set SPPT_BENCH=1 to run benchmarks")
	}
	in := apptest.Start(t, apptest.DB(t), apptest.Options{})
	ctx := context.Background()
	office := "JKS"
	day, err := in.App.Queue.Day(ctx, office, in.App.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	for b := 1; b <= booths; b++ {
		if err := in.App.Queue.SetBooth(ctx, office, queue.Booth{Number: b, Services: civil.OSSBoothServices}, "bench"); err != nil {
			t.Fatal(err)
		}
	}
	seed(t, in.Pool, office, day)
	token := in.OfficerToken(t, office, "bench.desk", "desk")

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: booths * 2, MaxConnsPerHost: booths * 2}}
	var mu sync.Mutex
	seen := make(map[string]bool, tickets)
	duplicates, served := 0, 0
	start := time.Now()
	var wg sync.WaitGroup
	for b := 1; b <= booths; b++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			url := fmt.Sprintf("%s/api/v1/backoffice/booths/%d/call-next", in.URL, b)
			for {
				req, _ := http.NewRequest("POST", url, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				var call queue.TicketCall
				status := resp.StatusCode
				if status == 200 {
					err = jsonDecode(resp, &call)
				}
				resp.Body.Close()
				if status == 204 {
					return
				}
				if status != 200 || err != nil {
					t.Errorf("booth %d: %d %v", b, status, err)
					return
				}
				mu.Lock()
				if seen[call.Ticket] {
					duplicates++
				}
				seen[call.Ticket] = true
				served++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	httpDur := time.Since(start)
	if served != tickets {
		t.Fatalf("served %d of %d tickets", served, tickets)
	}

	// Baseline: the same claims, bare SQL, on a pool of the same size.
	if _, err := in.Pool.Exec(ctx, `UPDATE queue_tickets SET status = 'waiting', booth = NULL, called_at = NULL, finished_at = NULL`); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Pool.Exec(ctx, `VACUUM ANALYZE queue_tickets`); err != nil {
		t.Fatal(err)
	}
	var claimed atomic.Int64
	start = time.Now()
	for b := 1; b <= booths; b++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got := false
				err := pgx.BeginFunc(ctx, in.Pool, func(tx pgx.Tx) error {
					var id int64
					err := tx.QueryRow(ctx, `SELECT id FROM queue_tickets WHERE office = $1 AND day = $2 AND status = 'waiting'
						ORDER BY issued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`, office, day).Scan(&id)
					if err == pgx.ErrNoRows {
						return nil
					}
					if err != nil {
						return err
					}
					got = true
					_, err = tx.Exec(ctx, `UPDATE queue_tickets SET status = 'called', booth = $2, called_at = $3 WHERE id = $1`, id, b, time.Now())
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
				if !got {
					return
				}
				claimed.Add(1)
			}
		}()
	}
	wg.Wait()
	sqlDur := time.Since(start)
	if claimed.Load() != tickets {
		t.Fatalf("baseline claimed %d of %d", claimed.Load(), tickets)
	}
	perS := float64(tickets) / httpDur.Seconds()
	basePerS := float64(tickets) / sqlDur.Seconds()
	fmt.Printf("callnext: calls_per_s=%.0f duplicates=%d baseline_sql_per_s=%.0f ratio=%.2f\n", perS, duplicates, basePerS, perS/basePerS)
}

// seed inserts waiting tickets of the OSS groups in issue order (with SQL:
// walk-in seats and kiosks are not what is measured here).
func seed(t *testing.T, pool *pgxpool.Pool, office string, day time.Time) {
	t.Helper()
	_, err := pool.Exec(context.Background(), `INSERT INTO queue_tickets (office, day, number, service, walkin, issued_at)
		SELECT $1, $2, (ARRAY['A','B','C','F','D'])[i % 5 + 1] || lpad((i / 5 + 1)::text, 4, '0'),
			(ARRAY['new','renewal','replacement','data_change','priority'])[i % 5 + 1], true,
			$3::timestamptz + i * interval '1 millisecond'
		FROM generate_series(0, $4 - 1) AS i`, office, day, time.Now().Add(-time.Hour), tickets)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(context.Background(), `VACUUM ANALYZE queue_tickets`); err != nil {
		t.Fatal(err)
	}
}

func jsonDecode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }
