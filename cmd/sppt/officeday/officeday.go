package officeday

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sppt/sppt/internal/clock"
)

// Config is one simulated day.
type Config struct {
	URLs       []string // the instances (requests are spread over them)
	Office     string
	Applicants int
	Seed       uint64
	Clock      clock.Clock // the server's clock
	Rate       float64     // simulated seconds per real second (clock.RateOf)
	Spread     bool        // leave people in every stage (make run's demo)
	Staff      Staff       // zero: sized for Applicants
	Progress   io.Writer   // a line now and then; nil for none
}

// Staff is how many booths, stations and officers work each step.
type Staff struct {
	Desks, Stations, Adjudicators, Printers, Counters int
}

// StaffFor is enough staff for n applicants in a day: each step's work
// (mean service time × n) spread over about six hours.
func StaffFor(n int) Staff {
	per := func(mean float64) int { return max(1, int(math.Ceil(float64(n)*mean/360))) }
	return Staff{Desks: per(4), Stations: per(2.5), Adjudicators: per(1.5), Printers: per(1.5), Counters: per(2)}
}

// Mean service times of each step, simulated.
const (
	deskTime     = 4 * time.Minute
	captureTime  = 150 * time.Second
	adjudicate   = 90 * time.Second
	printTime    = 90 * time.Second
	validateTime = 30 * time.Second // one office head validates
	pickupTime   = 2 * time.Minute
	idle         = 30 * time.Second // a booth or printer with nothing to do looks again after this
	spoilEvery   = 40               // one print in 40 fails QA and is reprinted on a new blank
)

// Result is what the day measured.
type Result struct {
	Applicants, TakenIn, Held, Ready, Issued int
	Wall                                     time.Duration
	SLAMetPct                                float64 // of those taken in, ready for pickup by the day's end (well inside the 3 working days)
	QueuePoints                              int     // the most queue points one applicant passed
	BlanksUnaccounted                        int
	AuditOK                                  bool
	WaitErrP90                               float64 // minutes, |predicted − actual| call time
	NaiveErrP90                              float64 // the same for "people ahead × a fixed time per head"
	Waits                                    int     // calls compared
	Errors                                   int     // unexpected answers
	Retried                                  int64   // 503s (database busy) sent again
	FirstErrors                              []string
}

// Line is the contract's last line.
func (r Result) Line() string {
	chain := "ok"
	if !r.AuditOK {
		chain = "broken"
	}
	return fmt.Sprintf("officeday: applicants=%d issued=%d wall_s=%.0f sla_met_pct=%.1f queue_points=%d blanks_unaccounted=%d audit_chain=%s wait_err_p90_min=%.1f",
		r.Applicants, r.Issued, r.Wall.Seconds(), r.SLAMetPct, r.QueuePoints, r.BlanksUnaccounted, chain, r.WaitErrP90)
}

// day is one run's shared state.
type day struct {
	cfg            Config
	op             Operator
	c              *client
	off            *officers
	loc            *time.Location
	date           time.Time // the office's calendar day
	opens, closes  time.Time
	end            time.Time // when the back office stops for the day
	people         []*applicant
	byPhone        map[string]*applicant
	mu             sync.Mutex
	tickets        map[string]*applicant // ticket number → holder
	waitErrs       []float64             // minutes
	naiveErrs      []float64             // minutes, the naive baseline's
	bio, adj       chan *applicant
	validated      map[string]bool // by the validator's loop only
	byNo           map[string]*applicant
	steps          steps
	worst          worst         // the predictions furthest off, for the progress lines
	booking        chan struct{} // bounds the bookings in flight
	serials        *serials
	kiosk, station string // device tokens
	printers       []string
	deskBooths     []int
	counterBooths  []int
}

// Run simulates one day at the office and returns what it measured.
func Run(ctx context.Context, cfg Config, op Operator) (Result, error) {
	began := time.Now()
	d, err := prepare(ctx, cfg, op)
	if err != nil {
		return Result{}, err
	}
	d.say("officeday: %s %s, %d applicants, staff %+v, %.0f× real time", d.cfg.Office, d.date.Format("2006-01-02"),
		d.cfg.Applicants, d.cfg.Staff, d.cfg.Rate)
	stations, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	d.startStaff(stations, &wg)
	var people sync.WaitGroup
	for _, a := range d.people {
		people.Add(1)
		go func() { defer people.Done(); d.live(ctx, a) }()
	}
	go d.phones(stations)
	people.Wait()
	stop()
	wg.Wait()
	if ctx.Err() != nil {
		return Result{}, ctx.Err()
	}
	d.say("officeday: steps done %s", d.steps.String())
	for _, w := range d.worst.list {
		d.say("officeday: off by %.0f min: ticket %s issued %s, predicted %s, called %s", w.off, w.ticket,
			w.issued.In(d.loc).Format("15:04"), w.expected.In(d.loc).Format("15:04"), w.called.In(d.loc).Format("15:04"))
	}
	return d.result(ctx, time.Since(began))
}

// steps counts each step done, for the progress lines.
type steps struct {
	mu sync.Mutex
	n  map[string]int
}

func (s *steps) done(step string) {
	s.mu.Lock()
	if s.n == nil {
		s.n = map[string]int{}
	}
	s.n[step]++
	s.mu.Unlock()
}

func (s *steps) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, k := range []string{"booked", "number", "called", "taken_in", "handed_over", "captured", "approved", "paid", "printed", "spoiled", "validated", "pickup_number", "issued"} {
		fmt.Fprintf(&b, "%s=%d ", k, s.n[k])
	}
	return strings.TrimSpace(b.String())
}

func prepare(ctx context.Context, cfg Config, op Operator) (*day, error) {
	if cfg.Rate <= 0 {
		cfg.Rate = 1
	}
	if cfg.Staff == (Staff{}) {
		cfg.Staff = StaffFor(cfg.Applicants)
	}
	cfg.Office = strings.ToUpper(cfg.Office)
	log := &errorLog{}
	d := &day{cfg: cfg, op: op, c: newClient(cfg.URLs, log), tickets: map[string]*applicant{}, byPhone: map[string]*applicant{},
		bio: make(chan *applicant, cfg.Applicants), adj: make(chan *applicant, cfg.Applicants), validated: map[string]bool{}, byNo: map[string]*applicant{},
		booking: make(chan struct{}, 8)}
	d.off = &officers{c: d.c, op: op, office: cfg.Office, tokens: map[string]string{}}
	if err := d.openDay(ctx); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(d.date.Unix())))
	span := min(5*time.Hour, d.closes.Sub(d.opens)-45*time.Minute)
	d.people = people(rng, cfg.Applicants, span, cfg.Spread, d.date)
	for _, a := range d.people {
		d.byPhone[a.phone] = a
	}
	if err := d.enrol(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// openDay finds today at the office, waits for the morning if it is early,
// and opens its quota for the day's applicants.
func (d *day) openDay(ctx context.Context) error {
	loc, opens, closes, err := d.op.Office(ctx, d.cfg.Office)
	if err != nil {
		return err
	}
	now := d.cfg.Clock.Now().In(loc)
	d.loc, d.date = loc, time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	d.opens, d.closes = midnight.Add(opens), midnight.Add(closes)
	d.end = d.closes.Add(45 * time.Minute)
	if !now.Before(d.closes.Add(-2 * time.Hour)) {
		return fmt.Errorf("the office's day is nearly over (%s, closes %s): start the server with SPPT_NOW set to a working morning, e.g. SPPT_NOW=%s",
			now.Format("15:04"), d.closes.Format("15:04"), midnight.AddDate(0, 0, 1).Add(opens-30*time.Minute).Format(time.RFC3339))
	}
	if err := d.op.OpenDay(ctx, d.cfg.Office, d.date, d.cfg.Applicants+10, d.cfg.Applicants/2+10); err != nil {
		return fmt.Errorf("opening %s for the day: %w", d.date.Format("2006-01-02"), err)
	}
	return nil
}

// enrol lays out the booths and enrols the day's devices.
func (d *day) enrol(ctx context.Context) error {
	s := d.cfg.Staff
	desks, counters, err := d.op.Booths(ctx, d.cfg.Office, s.Desks, s.Counters)
	if err != nil {
		return err
	}
	d.deskBooths, d.counterBooths = desks, counters
	tag := fmt.Sprintf("%d-%d", d.cfg.Seed, time.Now().UnixMilli()%1_000_000)
	if d.kiosk, err = d.op.Device(ctx, d.cfg.Office, "kiosk", "Simulasi kios "+tag); err != nil {
		return err
	}
	if d.station, err = d.op.Device(ctx, d.cfg.Office, "biometric", "Simulasi biometrik "+tag); err != nil {
		return err
	}
	for i := range s.Printers {
		tok, err := d.op.Device(ctx, d.cfg.Office, "printer", fmt.Sprintf("Simulasi printer %d %s", i+1, tag))
		if err != nil {
			return err
		}
		d.printers = append(d.printers, tok)
	}
	d.serials = &serials{op: d.op, office: d.cfg.Office, lot: max(50, d.cfg.Applicants/2), next: map[string][]string{}}
	return d.serials.stock(ctx, d.op.BookType()) // a printer takes jobs only with blanks in the vault
}

// sleep waits dur of simulated time; false when ctx ends first.
func (d *day) sleep(ctx context.Context, dur time.Duration) bool {
	if dur <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(time.Duration(float64(dur) / d.cfg.Rate))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// until waits for simulated instant at.
func (d *day) until(ctx context.Context, at time.Time) bool {
	return d.sleep(ctx, at.Sub(d.cfg.Clock.Now()))
}

func (d *day) now() time.Time { return d.cfg.Clock.Now() }

func (d *day) say(format string, args ...any) {
	if d.cfg.Progress != nil {
		fmt.Fprintf(d.cfg.Progress, format+"\n", args...)
	}
}

func (d *day) result(ctx context.Context, wall time.Duration) (Result, error) {
	r := Result{Applicants: len(d.people), Wall: wall}
	for _, a := range d.people {
		r.QueuePoints = max(r.QueuePoints, a.points)
		if a.tookIn {
			r.TakenIn++
		}
		if a.readyAt {
			r.Ready++
		}
		select {
		case <-a.handed:
			r.Issued++
		default:
		}
	}
	if r.TakenIn > 0 {
		r.SLAMetPct = 100 * float64(r.Ready) / float64(r.TakenIn)
	}
	r.Waits, r.WaitErrP90, r.NaiveErrP90 = len(d.waitErrs), p90(d.waitErrs), p90(d.naiveErrs)
	r.Errors, r.FirstErrors = d.c.log.count()
	r.Retried = d.c.retried.Load()
	var err error
	if r.BlanksUnaccounted, err = d.op.BlanksUnaccounted(ctx, d.cfg.Office); err != nil {
		return r, err
	}
	r.AuditOK, err = d.op.AuditOK(ctx)
	return r, err
}

// worst keeps the five predictions furthest from the call; d.mu is held.
type worst struct {
	list []worstCall
}

type worstCall struct {
	ticket                   string
	issued, expected, called time.Time
	off                      float64
}

func (w *worst) add(ticket string, issued, expected, called time.Time) {
	off := math.Abs(called.Sub(expected).Minutes())
	w.list = append(w.list, worstCall{ticket, issued, expected, called, off})
	slices.SortFunc(w.list, func(a, b worstCall) int { return cmp.Compare(b.off, a.off) })
	if len(w.list) > 5 {
		w.list = w.list[:5]
	}
}

// p90 is the 90th percentile (nearest rank) of xs, sorted in place.
func p90(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[int(math.Ceil(0.9*float64(len(xs))))-1]
}

// serials hands out the simulation's blank booklets, receiving another
// batch when one runs out, as the vault would.
type serials struct {
	op     Operator
	office string
	lot    int
	mu     sync.Mutex
	next   map[string][]string
}

func (s *serials) take(ctx context.Context, bookType string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.next[bookType]) == 0 {
		if err := s.receive(ctx, bookType); err != nil {
			return "", err
		}
	}
	out := s.next[bookType][0]
	s.next[bookType] = s.next[bookType][1:]
	if len(s.next[bookType]) == 0 { // the vault restocks before it is empty: printers take no job without a blank
		return out, s.receive(ctx, bookType)
	}
	return out, nil
}

func (s *serials) stock(ctx context.Context, bookType string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.receive(ctx, bookType)
}

func (s *serials) receive(ctx context.Context, bookType string) error {
	first, err := s.op.ReceiveBlanks(ctx, s.office, bookType, s.lot)
	if err != nil {
		return fmt.Errorf("receiving blanks: %w", err)
	}
	s.next[bookType] = append(s.next[bookType], countUp(first, s.lot)...)
	return nil
}

// countUp is n serials from first (a capital letter and 7 digits).
func countUp(first string, n int) []string {
	var num int
	fmt.Sscanf(first[1:], "%d", &num)
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%07d", first[:1], num+i)
	}
	return out
}

var errDayOver = errors.New("the day is over")
