package officeday

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// startStaff puts every booth, station, printer and officer to work until
// ctx ends.
func (d *day) startStaff(ctx context.Context, wg *sync.WaitGroup) {
	s := d.cfg.Staff
	run := func(n int, f func(ctx context.Context, w int, rng *rand.Rand)) {
		for w := range n {
			wg.Add(1)
			rng := rand.New(rand.NewPCG(d.cfg.Seed, uint64(len(d.printers)*1000+w)^uint64(time.Now().UnixNano())))
			go func() { defer wg.Done(); f(ctx, w, rng) }()
		}
	}
	run(len(d.deskBooths), d.desk)
	run(s.Stations, d.capture)
	run(s.Adjudicators, d.adjudicate)
	run(len(d.printers), d.print)
	run(1, d.validate) // the office head
	run(len(d.counterBooths), d.counter)
}

// call is a booth's call of its next number.
type call struct {
	Ticket   string    `json:"ticket"`
	CalledAt time.Time `json:"called_at"`
}

// callNext calls booth's next number as role and finds who holds it; nil
// when nobody waits (after idling a while).
func (d *day) callNext(ctx context.Context, w int, role string, booth int) *applicant {
	r := d.off.do(ctx, w, role, "POST", fmt.Sprintf("/api/v1/backoffice/booths/%d/call-next", booth), nil)
	var c call
	if r.status != 200 || r.into(&c) != nil {
		if r.status != 204 && ctx.Err() == nil {
			d.c.log.add(fmt.Sprintf("call-next booth %d: %d %.200s", booth, r.status, r.body))
		}
		d.sleep(ctx, idle)
		return nil
	}
	// A booth may call a number before its holder has read the kiosk's
	// answer (and so before the simulation knows who holds it): look again.
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.tickets[c.Ticket]
	for try := 0; a == nil && try < 40; try++ {
		d.mu.Unlock()
		time.Sleep(50 * time.Millisecond)
		d.mu.Lock()
		a = d.tickets[c.Ticket]
	}
	if a == nil {
		d.c.log.add("booth called a ticket nobody of the simulation holds: " + c.Ticket)
		return nil
	}
	if a.expected != nil {
		d.waitErrs = append(d.waitErrs, math.Abs(c.CalledAt.Sub(*a.expected).Minutes()))
		d.worst.add(c.Ticket, a.issued, *a.expected, c.CalledAt)
		d.naiveErrs = append(d.naiveErrs, math.Abs(c.CalledAt.Sub(*a.naive).Minutes()))
	}
	a.points++
	d.steps.done("called")
	return a
}

// desk is One Stop Service booth w: call, take in (a walk-in's identity is
// entered here), tick the checklist, hand over to the captures.
func (d *day) desk(ctx context.Context, w int, rng *rand.Rand) {
	booth := d.deskBooths[w]
	for ctx.Err() == nil {
		if d.cfg.Spread && !d.now().Before(d.closes) {
			return // the demo leaves the last numbers waiting
		}
		a := d.callNext(ctx, w, "desk", booth)
		if a == nil {
			continue
		}
		d.serve(ctx, w, rng, booth, a)
		d.off.do(ctx, w, "desk", "POST", fmt.Sprintf("/api/v1/backoffice/booths/%d/complete", booth), nil)
	}
}

func (d *day) serve(ctx context.Context, w int, rng *rand.Rand, booth int, a *applicant) {
	in := map[string]any{"booth": booth}
	if a.walkin {
		in["walkin"] = map[string]string{"nik": a.nik, "full_name": a.name, "birth_date": a.birth, "sex": a.sex, "phone": a.phone}
	}
	r, ok := d.off.expect(ctx, w, 200, "desk", "POST", "/api/v1/backoffice/intake/take-in", in)
	var took struct {
		No string `json:"application_no"`
	}
	if !ok || r.into(&took) != nil {
		return
	}
	d.mu.Lock()
	a.no, a.tookIn = took.No, true
	d.byNo[a.no] = a
	d.mu.Unlock()
	d.steps.done("taken_in")
	docs := map[string]bool{"ktp": true, "family_card": true, "birth_certificate": true}
	if a.service == "renewal" {
		docs = map[string]bool{"ktp": true, "family_card": true, "old_passport": true}
	}
	if _, ok := d.off.expect(ctx, w, 200, "desk", "PUT", "/api/v1/backoffice/intake/"+a.no, map[string]any{"checklist": docs}); !ok {
		return
	}
	if !d.sleep(ctx, serviceTime(rng, deskTime)) || a.stopAt == "desk" {
		return
	}
	r, ok = d.off.expect(ctx, w, 200, "desk", "POST", "/api/v1/backoffice/intake/"+a.no+"/handover", nil)
	var out struct {
		Stage string `json:"stage"`
	}
	if !ok || r.into(&out) != nil {
		return
	}
	d.steps.done("handed_over")
	if w%3 == 0 {
		d.off.expect(ctx, w, 201, "desk", "POST", "/api/v1/backoffice/applications/"+a.no+"/feedback",
			map[string]any{"point": "desk", "score": 3 + rng.IntN(3)})
	}
	if out.Stage == "biometric" {
		d.bio <- a
	}
}

// capture is biometric station w: face, ten fingers and a signature.
func (d *day) capture(ctx context.Context, w int, rng *rand.Rand) {
	for {
		var a *applicant
		select {
		case <-ctx.Done():
			return
		case a = <-d.bio:
		}
		if a.stopAt == "biometric" || !d.sleep(ctx, serviceTime(rng, captureTime)) {
			continue
		}
		r, ok := d.c.expect(ctx, w, 201, "POST", "/api/v1/devices/captures", d.station, captureBody(a))
		if ok && strings.Contains(string(r.body), `"accepted":true`) {
			d.steps.done("captured")
			d.adj <- a
		}
	}
}

// adjudicate is adjudicator w approving the clean cases.
func (d *day) adjudicate(ctx context.Context, w int, rng *rand.Rand) {
	for {
		var a *applicant
		select {
		case <-ctx.Done():
			return
		case a = <-d.adj:
		}
		if a.stopAt == "adjudication" || !d.sleep(ctx, serviceTime(rng, adjudicate)) {
			continue
		}
		if _, ok := d.off.expect(ctx, w, 200, "adjudicator", "POST", "/api/v1/backoffice/adjudication/"+a.no+"/approve",
			map[string]string{"reason": "dokumen dan biometrik sesuai"}); ok {
			d.steps.done("approved")
		}
	}
}
