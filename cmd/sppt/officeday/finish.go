package officeday

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"regexp"
	"time"
)

// print is passport printer w: claim the oldest job, print it on the next
// blank, and report; a QA failure spoils the blank and the job is printed
// again on another.
func (d *day) print(ctx context.Context, w int, rng *rand.Rand) {
	token := d.printers[w]
	for ctx.Err() == nil {
		if d.cfg.Spread && !d.now().Before(d.closes.Add(-90*time.Minute)) {
			return // the demo leaves the afternoon's jobs waiting
		}
		r := d.c.do(ctx, w, "POST", "/api/v1/devices/print-jobs/claim", token, nil)
		var job struct {
			ID       string `json:"job_id"`
			BookType string `json:"book_type"`
		}
		if r.status != 200 || r.into(&job) != nil {
			if r.status != 204 && ctx.Err() == nil {
				d.c.log.add(fmt.Sprintf("print-jobs/claim: %d %.200s", r.status, r.body))
			}
			d.sleep(ctx, idle)
			continue
		}
		if !d.sleep(ctx, serviceTime(rng, printTime)) {
			return
		}
		serial, err := d.serials.take(ctx, job.BookType)
		if err != nil {
			d.c.log.add("blanks: " + err.Error())
			continue
		}
		result := map[string]string{"serial": serial, "result": "printed"}
		if rng.IntN(spoilEvery) == 0 {
			result = map[string]string{"serial": serial, "result": "spoiled", "reason": "QA: laminasi bergelembung / laminate bubbled"}
		}
		if _, ok := d.c.expect(ctx, w, 200, "POST", "/api/v1/devices/print-jobs/"+job.ID+"/result", token, result); ok {
			d.steps.done(result["result"])
		}
	}
}

// validate is the office head's inbox, read every few minutes; the demo
// leaves some data pages unvalidated.
func (d *day) validate(ctx context.Context, w int, rng *rand.Rand) {
	for ctx.Err() == nil {
		r, _ := d.off.expect(ctx, w, 200, "validator", "GET", "/api/v1/backoffice/validations", nil)
		var inbox struct {
			Applications []struct {
				No string `json:"application_no"`
			} `json:"applications"`
		}
		_ = r.into(&inbox)
		for _, it := range inbox.Applications {
			if d.validated[it.No] || d.stopsAt(it.No) == "validation" {
				continue
			}
			if !d.sleep(ctx, serviceTime(rng, validateTime)) {
				return
			}
			if _, ok := d.off.expect(ctx, w, 200, "validator", "POST", "/api/v1/backoffice/validations/"+it.No+"/approve", nil); ok {
				d.validated[it.No] = true
				d.steps.done("validated")
			}
		}
		d.sleep(ctx, 3*time.Minute)
	}
}

func (d *day) stopsAt(no string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if a := d.byNo[no]; a != nil {
		return a.stopAt
	}
	return ""
}

// counter is pickup counter w: call the E number, the counter camera's
// face check, the handover, feedback.
func (d *day) counter(ctx context.Context, w int, rng *rand.Rand) {
	booth := d.counterBooths[w]
	for ctx.Err() == nil {
		a := d.callNext(ctx, w, "pickup", booth)
		if a == nil {
			continue
		}
		if d.sleep(ctx, serviceTime(rng, pickupTime)/2) {
			d.handOver(ctx, w, rng, a)
		}
		d.off.do(ctx, w, "pickup", "POST", fmt.Sprintf("/api/v1/backoffice/booths/%d/complete", booth), nil)
	}
}

func (d *day) handOver(ctx context.Context, w int, rng *rand.Rand, a *applicant) {
	r, ok := d.c.expect(ctx, w, 200, "POST", "/api/v1/devices/verifications", d.station,
		map[string]any{"application_no": a.no, "face": map[string]any{"embedding": a.face}})
	if !ok || !bytes.Contains(r.body, []byte(`"match":true`)) {
		return
	}
	if _, ok := d.off.expect(ctx, w, 200, "pickup", "POST", "/api/v1/backoffice/pickups/"+a.no+"/handover", nil); !ok {
		return
	}
	close(a.handed)
	d.steps.done("issued")
	if w%2 == 0 {
		d.off.expect(ctx, w, 201, "pickup", "POST", "/api/v1/backoffice/applications/"+a.no+"/feedback",
			map[string]any{"point": "pickup", "score": 3 + rng.IntN(3)})
	}
}

var billCode = regexp.MustCompile(`\b\d{15}\b`)

// phones reads every message sent to the day's applicants and hands the
// bill's code and the "ready" notice to their holders.
func (d *day) phones(ctx context.Context) {
	var after int64
	for d.sleep(ctx, 20*time.Second) {
		ms, err := d.op.Messages(ctx, after)
		if err != nil {
			continue
		}
		for _, m := range ms {
			after = m.ID
			a := d.byPhone[m.Phone]
			if a == nil {
				continue
			}
			switch m.Kind {
			case "bill_issued":
				if code := billCode.FindString(m.Body); code != "" {
					offer(a.bill, code)
				}
			case "ready_for_pickup":
				offer(a.ready, struct{}{})
			}
		}
	}
}

func offer[T any](ch chan T, v T) {
	select {
	case ch <- v:
	default:
	}
}

var portrait, signature = blank(false, 300, 400), blank(true, 200, 60)

func blank(isPNG bool, w, h int) string {
	var b bytes.Buffer
	m := image.NewGray(image.Rect(0, 0, w, h))
	if isPNG {
		_ = png.Encode(&b, m)
	} else {
		_ = jpeg.Encode(&b, m, nil)
	}
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

// captureBody is a station's capture of a: face, ten good fingers, signature.
func captureBody(a *applicant) map[string]any {
	fingers := make([]map[string]any, 10)
	for n := range fingers {
		fingers[n] = map[string]any{"finger": n + 1, "quality": 80,
			"template": base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "sim-%d-%d", a.i, n+1))}
	}
	return map[string]any{"application_no": a.no, "face": map[string]any{"image": portrait, "embedding": a.face},
		"fingerprints": fingers, "signature": signature}
}
