package queue_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
)

// 09:00 WIB on Monday 2 March 2026.
var monday = apptest.Monday

func setQuota(t *testing.T, in *apptest.Instance, office string, day time.Time, walkin, priority int) {
	in.SetQuota(t, office, day, walkin, priority)
}

func setBooths(t *testing.T, q *queue.Service, office string, booths ...queue.Booth) {
	t.Helper()
	for _, b := range booths {
		if err := q.SetBooth(context.Background(), office, b, "test"); err != nil {
			t.Fatal(err)
		}
	}
}

func walkin(t *testing.T, q *queue.Service, office, service string) queue.Ticket {
	t.Helper()
	tk, err := q.Walkin(context.Background(), office, service, "test")
	if err != nil {
		t.Fatalf("walk-in %s: %v", service, err)
	}
	return tk
}

// Two instances, 8 booths calling at once through the API: every ticket is
// called exactly once, and priority tickets go before the others.
func TestCallNextTwoInstancesEightBooths(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(monday)
	dbURL := apptest.DB(t)
	in1 := apptest.Start(t, dbURL, apptest.Options{Clock: clk})
	in2 := apptest.Start(t, dbURL, apptest.Options{Clock: clk})
	q := in1.App.Queue
	var booths []queue.Booth
	for i := 1; i <= 8; i++ {
		booths = append(booths, queue.Booth{Number: i, Services: civil.OSSBoothServices})
	}
	setBooths(t, q, "JKS", booths...)
	setQuota(t, in1, "JKS", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), 400, 100)
	services := []string{"new", "renewal", "priority", "replacement", "data_change", "new", "priority"}
	issued := map[string]string{}
	for i := 0; i < 140; i++ {
		tk := walkin(t, q, "JKS", services[i%len(services)])
		issued[tk.Number] = tk.Service
		clk.Advance(time.Second)
	}
	tokens := []string{in1.OfficerToken(t, "JKS", "jks.desk1", "desk")}
	r := in2.Do(t, "POST", "/api/v1/backoffice/login", "", map[string]string{"username": "jks.desk1", "password": "correct-horse-battery"})
	var login struct{ Token string }
	r.JSON(t, &login)
	tokens = append(tokens, login.Token)

	var mu sync.Mutex
	calledBy := map[string]int{}
	sequence := map[int][]string{}
	var dup []string
	var wg sync.WaitGroup
	for b := 1; b <= 8; b++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := []*apptest.Instance{in1, in2}[b%2]
			for {
				r := in.Do(t, "POST", fmt.Sprintf("/api/v1/backoffice/booths/%d/call-next", b), tokens[b%2], nil)
				if r.Status == 204 {
					return
				}
				if r.Status != 200 {
					t.Errorf("booth %d: %d %s", b, r.Status, r.Body)
					return
				}
				var c queue.TicketCall
				r.JSON(t, &c)
				mu.Lock()
				if _, ok := calledBy[c.Ticket]; ok {
					dup = append(dup, c.Ticket)
				}
				calledBy[c.Ticket] = b
				sequence[b] = append(sequence[b], c.Ticket)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(dup) > 0 {
		t.Fatalf("tickets called twice: %v", dup)
	}
	if len(calledBy) != len(issued) {
		t.Fatalf("called %d tickets, issued %d", len(calledBy), len(issued))
	}
	// Each booth calls one ticket at a time. A booth that got a non-priority
	// ticket while a priority ticket was still waiting unclaimed would break
	// "priority first"; since no ticket is issued meanwhile, that shows as a
	// booth getting a D ticket after another one.
	for b, seq := range sequence {
		seenOther := false
		for _, n := range seq {
			if !strings.HasPrefix(n, "D") {
				seenOther = true
			} else if seenOther {
				t.Fatalf("booth %d called %s after a non-priority ticket: %v", b, n, seq)
			}
		}
	}
	var n int
	if err := in1.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE office = 'JKS' AND action = 'queue.call'`).Scan(&n); err != nil || n != len(issued) {
		t.Fatalf("%d call audits for %d tickets (%v)", n, len(issued), err)
	}
}

// After three priority calls in a row a booth serves a non-priority ticket
// that has waited ten minutes or more.
func TestPriorityAntiStarvation(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(monday)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	q := in.App.Queue
	setBooths(t, q, "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices})
	setQuota(t, in, "JKS", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), 50, 20)
	walkin(t, q, "JKS", "new")     // A001, will have waited 11 minutes
	walkin(t, q, "JKS", "renewal") // B001
	clk.Advance(11 * time.Minute)
	for i := 0; i < 5; i++ {
		walkin(t, q, "JKS", "priority")
	}
	var got []string
	for {
		c, ok, err := q.CallNext(context.Background(), "JKS", 1, "test")
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		got = append(got, c.Ticket)
	}
	want := "D001 D002 D003 A001 D004 D005 B001"
	if strings.Join(got, " ") != want {
		t.Fatalf("call order %v, want %s", got, want)
	}
	// Without the wait, priority simply goes first.
	walkin(t, q, "JKS", "new")
	for i := 0; i < 4; i++ {
		walkin(t, q, "JKS", "priority")
	}
	got = got[:0]
	for {
		c, ok, _ := q.CallNext(context.Background(), "JKS", 1, "test")
		if !ok {
			break
		}
		got = append(got, c.Ticket)
	}
	if strings.Join(got, " ") != "D006 D007 D008 D009 A002" {
		t.Fatalf("fresh tickets: %v", got)
	}
}

// Recall is limited, no-show and complete end a ticket, transfer sends it to
// another booth keeping its place; booths only call what they serve.
func TestBoothActions(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(monday)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	q := in.App.Queue
	setBooths(t, q, "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices},
		queue.Booth{Number: 2, Services: civil.OSSBoothServices},
		queue.Booth{Number: 7, Services: civil.PickupBoothServices})
	setQuota(t, in, "JKS", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), 50, 5)
	tok := in.OfficerToken(t, "JKS", "jks.desk", "desk")
	other := in.OfficerToken(t, "DPS", "dps.desk", "desk")
	bio := in.OfficerToken(t, "JKS", "jks.bio", "biometric")
	walkin(t, q, "JKS", "new")
	walkin(t, q, "JKS", "renewal")
	walkin(t, q, "JKS", "pickup")
	post := func(tok, path string, body any) apptest.Response {
		return in.Do(t, "POST", "/api/v1/backoffice/booths/"+path, tok, body)
	}

	if r := post(bio, "1/call-next", nil); r.Status != 403 {
		t.Fatalf("biometric officer calling: %d", r.Status)
	}
	if r := post(other, "1/call-next", nil); r.Status != 404 || r.ErrorCode() != "booth_not_found" {
		t.Fatalf("other office's officer: %d %s", r.Status, r.Body)
	}
	if r := post(tok, "1/recall", nil); r.Status != 409 || r.ErrorCode() != "no_current_ticket" {
		t.Fatalf("recall with nothing called: %d %s", r.Status, r.Body)
	}
	r := post(tok, "1/call-next", nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), `"ticket":"A001"`) || !strings.Contains(string(r.Body), `"booth":1`) {
		t.Fatalf("call-next: %d %s", r.Status, r.Body)
	}
	for i := 0; i < 3; i++ {
		if r := post(tok, "1/recall", nil); r.Status != 200 {
			t.Fatalf("recall %d: %d %s", i+1, r.Status, r.Body)
		}
	}
	if r := post(tok, "1/recall", nil); r.Status != 409 || r.ErrorCode() != "recall_limit" {
		t.Fatalf("4th recall: %d %s", r.Status, r.Body)
	}
	// Transfer A001 to booth 2: booth 1 then gets B001, booth 2 gets A001 back.
	if r := post(tok, "1/transfer", map[string]any{"booth": 7}); r.Status != 422 {
		t.Fatalf("transfer to a booth that does not serve it: %d %s", r.Status, r.Body)
	}
	if r := post(tok, "1/transfer", map[string]any{"booth": 2}); r.Status != 200 {
		t.Fatalf("transfer: %d %s", r.Status, r.Body)
	}
	if r := post(tok, "1/call-next", nil); !strings.Contains(string(r.Body), `"ticket":"B001"`) {
		t.Fatalf("booth 1 after transfer: %d %s", r.Status, r.Body)
	}
	if r := post(tok, "2/call-next", nil); !strings.Contains(string(r.Body), `"ticket":"A001"`) {
		t.Fatalf("booth 2 after transfer: %d %s", r.Status, r.Body)
	}
	if r := post(tok, "2/no-show", nil); r.Status != 200 || !strings.Contains(string(r.Body), `"no_show"`) {
		t.Fatalf("no-show: %d %s", r.Status, r.Body)
	}
	if r := post(tok, "1/complete", nil); r.Status != 200 {
		t.Fatalf("complete: %d %s", r.Status, r.Body)
	}
	if r := post(tok, "1/call-next", nil); r.Status != 204 {
		t.Fatalf("OSS booth with only a pickup waiting: %d %s", r.Status, r.Body)
	}
	if r := post(tok, "7/call-next", nil); !strings.Contains(string(r.Body), `"ticket":"E001"`) {
		t.Fatalf("pickup counter: %d %s", r.Status, r.Body)
	}
	var actions []string
	rows, _ := in.Pool.Query(context.Background(), `SELECT action FROM audit_log WHERE office = 'JKS' AND action LIKE 'queue.%' ORDER BY seq`)
	for rows.Next() {
		var a string
		_ = rows.Scan(&a)
		actions = append(actions, a)
	}
	sort.Strings(actions)
	got := strings.Join(actions, ",")
	for _, want := range []string{"queue.call", "queue.recall", "queue.no_show", "queue.done", "queue.transferred", "queue.walkin"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %s audit entry in %s", want, got)
		}
	}
}

// Calls that land in one group: an unknown booth fails alone, a booth called
// twice at once gets two tickets one after the other (the first finished),
// and every call is audited.
func TestCallNextGroupMixedCalls(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(monday)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	q := in.App.Queue
	setBooths(t, q, "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices},
		queue.Booth{Number: 2, Services: civil.OSSBoothServices})
	setQuota(t, in, "JKS", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), 50, 20)
	for i := 0; i < 4; i++ {
		walkin(t, q, "JKS", "new")
		walkin(t, q, "JKS", "priority")
	}
	booths := []int{1, 99, 1, 2, 99, 2}
	errs := make([]error, len(booths))
	calls := make([]queue.TicketCall, len(booths))
	var wg sync.WaitGroup
	for i, b := range booths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			calls[i], _, errs[i] = q.CallNext(context.Background(), "JKS", b, "test")
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, b := range booths {
		if b == 99 {
			if errs[i] != queue.ErrBoothNotFound {
				t.Errorf("call %d of unknown booth: %v", i, errs[i])
			}
			continue
		}
		if errs[i] != nil || calls[i].Ticket == "" || seen[calls[i].Ticket] {
			t.Errorf("call %d of booth %d: %+v %v", i, b, calls[i], errs[i])
		}
		seen[calls[i].Ticket] = true
	}
	var called, done, audited int
	err := in.Pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE status = 'called'), count(*) FILTER (WHERE status = 'done'),
		(SELECT count(*) FROM audit_log WHERE action = 'queue.call') FROM queue_tickets`).Scan(&called, &done, &audited)
	if err != nil || called != 2 || done != 2 || audited != 4 {
		t.Fatalf("called %d done %d audited %d (%v), want 2 2 4", called, done, audited, err)
	}
}

// Tickets an office day left waiting or called are closed as expired once the
// day has ended in the office's zone, with one audit entry per office day;
// today's tickets and finished ones are left alone, and a second run is a no-op.
func TestCloseEndedDays(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(monday)
	in := apptest.Start(t, apptest.DB(t), apptest.Options{Clock: clk})
	q := in.App.Queue
	ctx := context.Background()
	setQuota(t, in, "JKS", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), 10, 2)
	setBooths(t, q, "JKS", queue.Booth{Number: 1, Services: civil.OSSBoothServices})
	called := walkin(t, q, "JKS", "new")
	waiting := walkin(t, q, "JKS", "renewal")
	served := walkin(t, q, "JKS", "new")
	if _, err := in.Pool.Exec(ctx, `UPDATE queue_tickets SET status = 'done', booth = 1, finished_at = $2 WHERE number = $1`, served.Number, monday); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := q.CallNext(ctx, "JKS", 1, "officer:1"); err != nil || !ok {
		t.Fatalf("call: %v %v", ok, err)
	}
	// 23:59 WIB the same day: the day has not ended.
	if n, err := q.CloseEndedDays(ctx, time.Date(2026, 3, 2, 16, 59, 0, 0, time.UTC)); err != nil || n != 0 {
		t.Fatalf("before midnight: closed %d, %v", n, err)
	}
	// 00:05 WIB the next day: tomorrow's walk-in stays waiting.
	clk.Set(time.Date(2026, 3, 2, 17, 5, 0, 0, time.UTC))
	setQuota(t, in, "JKS", time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), 10, 2)
	tomorrow := walkin(t, q, "JKS", "new")
	n, err := q.CloseEndedDays(ctx, clk.Now())
	if err != nil || n != 2 {
		t.Fatalf("after midnight: closed %d, %v", n, err)
	}
	status := func(number string, day string) string {
		var s string
		if err := in.Pool.QueryRow(ctx, `SELECT status FROM queue_tickets WHERE number = $1 AND day = $2`, number, day).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for number, want := range map[string]string{called.Number: "expired", waiting.Number: "expired", served.Number: "done"} {
		if got := status(number, "2026-03-02"); got != want {
			t.Errorf("ticket %s: %s, want %s", number, got, want)
		}
	}
	if got := status(tomorrow.Number, "2026-03-03"); got != "waiting" {
		t.Errorf("tomorrow's ticket: %s", got)
	}
	var data string
	if err := in.Pool.QueryRow(ctx, `SELECT data FROM audit_log WHERE action = 'queue.close_day' AND subject = 'queue:JKS:2026-03-02'`).Scan(&data); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(data, `"called":1`) || !strings.Contains(data, `"waiting":1`) {
		t.Errorf("audit data %s", data)
	}
	if n, err := q.CloseEndedDays(ctx, clk.Now()); err != nil || n != 0 {
		t.Fatalf("second run: closed %d, %v", n, err)
	}
}
