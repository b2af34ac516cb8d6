package attacks

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/backoffice/exception"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/app/apptest"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/quota"
)

// seq numbers the world's applications, NIKs and passports apart.
var seq = 0

func next() int { seq++; return seq }

// applicant is a new application of office A (not yet recorded).
func (w *world) applicant() application.New {
	n := next()
	return application.New{No: fmt.Sprintf("%s-20260304-A%03d", officeA, n), Office: officeA, Service: civil.ServiceNew,
		NIK: apptest.NIK("1990-10-20", true, 5000+n), FullName: "Siti Aminah", BirthDate: apptest.Day("1990-10-20"), Sex: "F",
		Phone: ownerPhone}
}

// app records an application of office A at stage and returns its number.
func (w *world) app(stage civil.Stage) string {
	n := w.applicant()
	w.in.AddApplicant(w.t, n, stage, w.clk.Now())
	return n.No
}

// move moves application no as actor would (through the stage machine).
func (w *world) move(no string, to civil.Stage, who application.Actor) {
	w.t.Helper()
	if _, err := w.in.App.Backoffice.Stages.Move(w.ctx, application.Request{No: no, To: to, Actor: who}); err != nil {
		w.t.Fatalf("%s to %s: %v", no, to, err)
	}
}

func officerActor(role string) application.Actor {
	return application.Actor{Kind: application.KindOfficer, ID: "test." + role, Office: officeA, Roles: []string{role}}
}

// billed is an application approved by the adjudicator: its bill's code.
func (w *world) billed() string {
	no := w.app(civil.StageAdjudication)
	w.move(no, civil.StageBilling, officerActor("adjudicator"))
	var code string
	if err := w.in.Pool.QueryRow(w.ctx, `SELECT billing_code FROM bills WHERE application_no = $1`, no).Scan(&code); err != nil {
		w.t.Fatalf("no bill for %s: %v", no, err)
	}
	return code
}

// printed is an application at stage with a printed passport on it.
func (w *world) printed(stage civil.Stage) string {
	n := w.applicant()
	w.in.AddApplicant(w.t, n, stage, w.clk.Now())
	w.in.Printed(w.t, n, fmt.Sprintf("X%07d", 3000000+next()))
	return n.No
}

// onHold is an application on hold with a watchlist finding: a case the
// supervisor writes, the office head recommends and the regional head decides.
func (w *world) onHold() string {
	no := w.app(civil.StageDesk)
	err := pgx.BeginFunc(w.ctx, w.in.Pool, func(tx pgx.Tx) error {
		_, err := w.in.App.Backoffice.Stages.MoveTx(w.ctx, tx, application.Request{No: no, To: civil.StageOnHold,
			Actor: application.Actor{Kind: application.KindSystem}, Hold: application.HoldWatchlist, Reason: "watchlist"})
		if err != nil {
			return err
		}
		return w.in.App.Exception.Found(w.ctx, tx, no, exception.Finding{Source: "watchlist", WatchlistEntryID: 1, Score: 0.82, Authority: "KPK"})
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return no
}

// printJob is a claimed print job of office A: its id (A's printer holds it).
func (w *world) printJob() string {
	if _, err := w.in.App.Ledger.Receive(w.ctx, officeA, "ordinary_48", "A0000001", 3, "test", w.clk.Now()); err != nil {
		w.t.Fatal(err)
	}
	no := w.app(civil.StageBilling)
	w.move(no, civil.StagePrinting, application.Actor{Kind: application.KindPayment, ID: "bank"})
	var job struct {
		JobID string `json:"job_id"`
	}
	r := w.in.Do(w.t, "POST", "/api/v1/devices/print-jobs/claim", w.device[officeA]["printer"], nil)
	if r.Status != 200 {
		w.t.Fatalf("claim: %d %s", r.Status, r.Body)
	}
	r.JSON(w.t, &job)
	return job.JobID
}

// takenIn checks booking in at office A's kiosk, calls it to OSS booth 1
// and takes it in at the desk: the application number, at the desk.
func (w *world) takenIn(code, nik string) string {
	w.t.Helper()
	if err := w.in.App.Queue.SetBooth(w.ctx, officeA, queue.Booth{Number: 1, Services: civil.OSSBoothServices}, "test"); err != nil {
		w.t.Fatal(err)
	}
	desk := w.officer[officeA]["desk"]
	steps := []struct {
		path string
		body any
		tok  string
	}{
		{"/api/v1/kiosk/checkin", map[string]string{"booking_code": code, "nik": nik}, w.device[officeA]["kiosk"]},
		{"/api/v1/backoffice/booths/1/call-next", nil, desk},
		{"/api/v1/backoffice/intake/take-in", map[string]any{"booth": 1}, desk},
	}
	var r apptest.Response
	for _, s := range steps {
		if r = w.in.Do(w.t, "POST", s.path, s.tok, s.body); r.Status != 200 && r.Status != 201 {
			w.t.Fatalf("%s: %d %s", s.path, r.Status, r.Body)
		}
	}
	var took struct {
		ApplicationNo string `json:"application_no"`
	}
	r.JSON(w.t, &took)
	return took.ApplicationNo
}

// booths is office A's booths as its supervisor reads them: what a call
// from another office at a booth number must leave alone.
func (w *world) booths() string {
	return string(w.in.Do(w.t, "GET", "/api/v1/backoffice/booths", w.officer[officeA]["supervisor"], nil).Body)
}

// scan is a document scan on application no (at the desk): its id.
func (w *world) scan(no string) string {
	png := append([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, []byte("IHDR scan of an e-KTP")...)
	r := w.in.Do(w.t, "POST", "/api/v1/backoffice/intake/"+no+"/scans", w.officer[officeA]["desk"],
		map[string]string{"kind": "ktp", "data": b64(png)})
	if r.Status != 201 && r.Status != 200 {
		w.t.Fatalf("scan: %d %s", r.Status, r.Body)
	}
	var s struct{ ID int64 }
	r.JSON(w.t, &s)
	return strconv.FormatInt(s.ID, 10)
}

// booth sets up booth number in office A only, serving pickup (so calls at
// it never take the walk-in ticket the kiosk route asks about).
func (w *world) booth(number int) string {
	b := queue.Booth{Number: number, Services: []string{civil.ServicePickup}}
	if err := w.in.App.Queue.SetBooth(context.Background(), officeA, b, "test"); err != nil {
		w.t.Fatal(err)
	}
	return strconv.Itoa(number)
}

// walkin is a waiting walk-in ticket of office A: its number.
func (w *world) walkin() string {
	r := w.in.Do(w.t, "POST", "/api/v1/kiosk/tickets", w.device[officeA]["kiosk"], map[string]string{"service": civil.ServiceNew})
	if r.Status != 201 {
		w.t.Fatalf("walk-in: %d %s", r.Status, r.Body)
	}
	var tk struct{ Ticket string }
	r.JSON(w.t, &tk)
	return tk.Ticket
}

// deviceID enrols one more device of office A: its id.
func (w *world) deviceID(name string) string {
	id, _, err := w.in.App.Devices.Add(w.ctx, officeA, "display", name, "test", w.clk.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	return id.String()
}

// booking books a seat of office A on the office day for a phone of its
// own (a phone holds few active bookings): its code, the owner's phone and
// the applicant's NIK.
func (w *world) booking() (code, phone, nik string) {
	w.t.Helper()
	n := w.applicant()
	phone = fmt.Sprintf("+62812345%05d", next())
	b, err := w.in.App.Quota.Book(w.ctx, quota.BookingRequest{Office: officeA, Date: apptest.Day(day), Service: civil.ServiceNew,
		NIK: n.NIK, FullName: n.FullName, BirthDate: n.BirthDate, Sex: n.Sex, Phone: phone})
	if err != nil || b.Status != quota.StatusBooked {
		w.t.Fatalf("book: %v %+v", err, b)
	}
	return b.Code, phone, n.NIK
}
