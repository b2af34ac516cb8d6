package officeday

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// live is one applicant's day: book (online), arrive and take a number,
// then — once the desk, the station and adjudication have done their part —
// pay when the bill SMS comes, and come back for the passport when the
// "ready" SMS does. Each wait ends with the day.
func (d *day) live(ctx context.Context, a *applicant) {
	if !a.walkin && !d.book(ctx, a) {
		return
	}
	if a.stopAt == "booked" {
		return // booked, never came: stays queued... or no-show tomorrow
	}
	arrive := d.opens.Add(a.arrive)
	if a.stopAt == "queued" {
		arrive = d.closes.Add(-20 * time.Minute)
	}
	if !d.until(ctx, arrive) || !d.takeNumber(ctx, a) {
		return
	}
	code, ok := wait(ctx, d, a.bill)
	if !ok || a.stopAt == "billing" || !d.sleep(ctx, a.payAfter) || !d.pay(ctx, a, code) {
		return
	}
	if _, ok := wait(ctx, d, a.ready); !ok {
		return
	}
	a.readyAt = true
	if a.stopAt == "ready" || !d.sleep(ctx, a.backAfter) || !d.now().Before(d.closes.Add(-15*time.Minute)) {
		return // comes for it another day
	}
	if !d.pickupNumber(ctx, a) {
		return
	}
	select {
	case <-a.handed:
	case <-ctx.Done():
	case <-time.After(time.Duration(float64(d.end.Sub(d.now())) / d.cfg.Rate)):
	}
}

// wait takes one value from ch, or gives up when the day is over.
func wait[T any](ctx context.Context, d *day, ch chan T) (T, bool) {
	var zero T
	left := d.end.Sub(d.now())
	if left <= 0 {
		return zero, false
	}
	select {
	case v := <-ch:
		return v, true
	case <-ctx.Done():
		return zero, false
	case <-time.After(time.Duration(float64(left) / d.cfg.Rate)):
		return zero, false
	}
}

func (d *day) book(ctx context.Context, a *applicant) bool {
	select { // the morning's bookings come a few at a time, not all in one instant
	case d.booking <- struct{}{}:
		defer func() { <-d.booking }()
	case <-ctx.Done():
		return false
	}
	tok, err := d.op.CitizenToken(a.phone)
	if err != nil {
		d.c.log.add("citizen token: " + err.Error())
		return false
	}
	a.token = tok
	r, ok := d.c.expect(ctx, a.i, 201, "POST", "/api/v1/bookings", tok, map[string]string{"office": d.cfg.Office,
		"date": d.date.Format("2006-01-02"), "service": a.service, "nik": a.nik, "full_name": a.name, "birth_date": a.birth, "sex": a.sex})
	var b struct {
		Code string `json:"booking_code"`
	}
	if !ok || r.into(&b) != nil {
		return false
	}
	a.code = b.Code
	d.steps.done("booked")
	return true
}

// ticket is the kiosk's answer.
type ticket struct {
	Number        string     `json:"ticket"`
	Service       string     `json:"service"`
	ApplicationNo string     `json:"application_no"`
	IssuedAt      time.Time  `json:"issued_at"`
	Ahead         int        `json:"waiting_ahead"`
	ExpectedAt    *time.Time `json:"expected_call_at"`
}

// takeNumber is the first queue point: the kiosk's number, by check-in
// (booked) or as a walk-in.
func (d *day) takeNumber(ctx context.Context, a *applicant) bool {
	path, body := "/api/v1/kiosk/checkin", any(map[string]string{"booking_code": a.code, "nik": a.nik})
	if a.walkin {
		path, body = "/api/v1/kiosk/tickets", map[string]string{"service": a.service}
	}
	r, ok := d.c.expect(ctx, a.i, 201, "POST", path, d.kiosk, body)
	var t ticket
	if !ok || r.into(&t) != nil {
		return false
	}
	a.no = t.ApplicationNo
	d.holds(t, a)
	d.steps.done("number")
	return true
}

func (d *day) pickupNumber(ctx context.Context, a *applicant) bool {
	r, ok := d.c.expect(ctx, a.i, 201, "POST", "/api/v1/kiosk/tickets", d.kiosk, map[string]string{"service": "pickup"})
	var t ticket
	if !ok || r.into(&t) != nil {
		return false
	}
	d.holds(t, a)
	d.steps.done("pickup_number")
	return true
}

// holds remembers who holds ticket t, and the wait it predicted.
func (d *day) holds(t ticket, a *applicant) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tickets[t.Number] = a
	if a.points == 0 {
		a.points = 1 // the number is the first queue point; the pickup's number belongs to the pickup point
	}
	a.expected, a.issued = t.ExpectedAt, t.IssuedAt
	// The baseline a plain queue system prints: the people ahead times a
	// fixed time per head, shared over the group's booths.
	per, booths := naiveDesk, len(d.deskBooths)
	if t.Service == "pickup" {
		per, booths = naivePickup, len(d.counterBooths)
	}
	naive := t.IssuedAt.Add(time.Duration(t.Ahead) * per / time.Duration(max(1, booths)))
	a.naive = &naive
}

// The fixed times per head of the naive baseline: the queue's defaults
// before it has measured anything (backoffice/queue DefaultTurn).
const (
	naiveDesk   = 8 * time.Minute
	naivePickup = 3 * time.Minute
)

// pay settles the bill: most at a bank (its signed callback), some at the
// office's cashier.
func (d *day) pay(ctx context.Context, a *applicant, code string) bool {
	r, ok := d.off.expect(ctx, a.i, 200, "cashier", "GET", "/api/v1/backoffice/bills/"+code, nil)
	var bill struct {
		Amount int64 `json:"amount"`
	}
	if !ok || r.into(&bill) != nil {
		return false
	}
	now := d.now()
	body, _ := json.Marshal(map[string]any{"billing_code": code, "amount": bill.Amount, "paid_at": now.Format(time.RFC3339),
		"reference": fmt.Sprintf("SIM-%s-%d-%05d", d.date.Format("20060102"), d.cfg.Seed, a.i)})
	sig := d.op.SignBank(body, now)
	if a.i%4 == 3 || sig == "" {
		_, ok = d.off.expect(ctx, a.i, 200, "cashier", "POST", "/api/v1/backoffice/bills/"+code+"/cashier-payment",
			map[string]any{"amount": bill.Amount, "receipt_no": fmt.Sprintf("KAS-%s-%05d", d.date.Format("20060102"), a.i)})
	} else {
		_, ok = d.c.expect(ctx, a.i, 200, "POST", "/api/v1/payments/callback", "", body, "X-SPPT-Signature", sig)
	}
	if ok {
		d.steps.done("paid")
	}
	return ok
}
