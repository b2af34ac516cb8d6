package printing

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// MaxSpoilReason bounds a spoiled blank's reason (the column's CHECK).
const MaxSpoilReason = 200

type job struct {
	id, applicationNo, passportNo, bookType, status, claimedBy, serial string
	issuedOn, expiresOn                                                time.Time
	mrz                                                                []string
}

// Result records a printer's report on the job it claimed. printed: the
// blank in_stock → assigned → printed, the passport written to the register
// (status printed), the number on the application, the application moved
// printing → validation by the device. spoiled: the blank in_stock →
// assigned → spoiled with the reason, the job back in the queue for a new
// blank. One transaction each. The same printed report again gets the same
// answer. Errors are *httpx.Error for the device.
func (s *Service) Result(ctx context.Context, office, device, jobID string, in civil.PrintResult) (civil.PrintOutcome, error) {
	in.Serial = strings.ToUpper(strings.TrimSpace(in.Serial))
	in.Reason = strings.TrimSpace(in.Reason)
	if err := checkResult(in); err != nil {
		return civil.PrintOutcome{}, err
	}
	var out civil.PrintOutcome
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		j, err := lockJob(ctx, tx, office, jobID)
		if err != nil {
			return err
		}
		out = civil.PrintOutcome{JobID: j.id, ApplicationNo: j.applicationNo, PassportNo: j.passportNo, Serial: in.Serial,
			Result: in.Result, Status: j.status}
		switch {
		case j.status == "printed" && in.Result == civil.PrintPrinted && in.Serial == j.serial:
			return nil // the printer's retry: already recorded
		case j.status == "printed":
			return httpx.New(http.StatusConflict, "print_job_done")
		case j.status != "claimed" || j.claimedBy != device:
			return httpx.New(http.StatusConflict, "print_job_not_claimed")
		}
		now := s.Clock.Now()
		if err := s.takeBlank(ctx, tx, office, j, in.Serial, "device:"+device, now); err != nil {
			return err
		}
		if in.Result == civil.PrintSpoiled {
			out.Status = "queued"
			return s.spoiled(ctx, tx, office, j, in, device, now)
		}
		out.Status = "printed"
		return s.printed(ctx, tx, office, j, in.Serial, device, now)
	})
	return out, err
}

func checkResult(in civil.PrintResult) error {
	bad := httpx.Invalid()
	switch {
	case in.Serial == "":
		bad.Field("serial", "field.required")
	case !ValidSerial(in.Serial):
		bad.Field("serial", "printing.field.serial")
	}
	switch in.Result {
	case civil.PrintPrinted:
	case civil.PrintSpoiled:
		if in.Reason == "" {
			bad.Field("reason", "printing.field.reason_required")
		} else if utf8.RuneCountInString(in.Reason) > MaxSpoilReason {
			bad.Field("reason", "printing.field.reason_long", "max", MaxSpoilReason)
		}
	default:
		bad.Field("result", "printing.field.result")
	}
	return bad.OrNil()
}

func lockJob(ctx context.Context, tx pgx.Tx, office, id string) (job, error) {
	var j job
	var claimedBy, serial *string
	var issued, expires *time.Time
	err := tx.QueryRow(ctx, `SELECT id, application_no, passport_no, book_type, status, claimed_by, serial, issued_on, expires_on,
			coalesce(mrz, '{}') FROM print_jobs WHERE id::text = $1 AND office = $2 FOR UPDATE`, id, office).
		Scan(&j.id, &j.applicationNo, &j.passportNo, &j.bookType, &j.status, &claimedBy, &serial, &issued, &expires, &j.mrz)
	if errors.Is(err, pgx.ErrNoRows) {
		return j, httpx.New(http.StatusNotFound, "print_job_not_found")
	}
	if claimedBy != nil {
		j.claimedBy = *claimedBy
	}
	if serial != nil {
		j.serial = *serial
	}
	if issued != nil {
		j.issuedOn, j.expiresOn = *issued, *expires
	}
	return j, err
}

// takeBlank binds the serial the printer used to the job: it must be one of
// this office's blanks of the job's book type, still in the vault.
func (s *Service) takeBlank(ctx context.Context, tx pgx.Tx, office string, j job, serial, actor string, now time.Time) error {
	var state, typ string
	err := tx.QueryRow(ctx, `SELECT state, book_type FROM blanks WHERE serial = $1 AND office = $2 FOR UPDATE`, serial, office).
		Scan(&state, &typ)
	if errors.Is(err, pgx.ErrNoRows) {
		return httpx.Invalid().Field("serial", "printing.field.serial_unknown", "serial", serial)
	}
	if err != nil {
		return err
	}
	switch {
	case state != BlankInStock:
		return httpx.Invalid().Field("serial", "printing.field.serial_used", "serial", serial, "state", state)
	case typ != j.bookType:
		return httpx.Invalid().Field("serial", "printing.field.serial_type", "serial", serial, "book_type", j.bookType)
	}
	return move(ctx, tx, serial, BlankAssigned, j.applicationNo, j.passportNo, "", actor, now)
}

func (s *Service) printed(ctx context.Context, tx pgx.Tx, office string, j job, serial, device string, now time.Time) error {
	actor := "device:" + device
	if err := move(ctx, tx, serial, BlankPrinted, j.applicationNo, j.passportNo, "", actor, now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO passports (passport_no, nik, application_no, office, book_type, status, issued_on,
			expires_on, serial, issued_at, mrz, created_at, updated_at)
		SELECT $1, nik, application_no, office, $2, 'printed', $3, $4, $5, $6, $7, $6, $6 FROM applications WHERE application_no = $8`,
		j.passportNo, j.bookType, j.issuedOn, j.expiresOn, serial, now, j.mrz, j.applicationNo); err != nil {
		return err
	}
	if err := application.SetPassportNo(ctx, tx, j.applicationNo, j.passportNo); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE print_jobs SET status = 'printed', serial = $2, done_at = $3 WHERE id = $1`,
		j.id, serial, now); err != nil {
		return err
	}
	if err := audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "print.printed",
		Subject: "application:" + j.applicationNo, Data: map[string]any{"job_id": j.id, "serial": serial,
			"passport_no": j.passportNo}}); err != nil {
		return err
	}
	if _, err := s.Stages.MoveTx(ctx, tx, application.Request{No: j.applicationNo, To: civil.StageValidation,
		Actor: application.Actor{Kind: application.KindDevice, ID: device, Office: office}}); err != nil {
		return err
	}
	return alertLow(ctx, tx, office, j.bookType, actor, now)
}

func (s *Service) spoiled(ctx context.Context, tx pgx.Tx, office string, j job, in civil.PrintResult, device string, now time.Time) error {
	actor := "device:" + device
	if err := move(ctx, tx, in.Serial, BlankSpoiled, j.applicationNo, j.passportNo, in.Reason, actor, now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE print_jobs SET status = 'queued', claimed_by = NULL, claimed_at = NULL,
		spoiled = spoiled + 1 WHERE id = $1`, j.id); err != nil {
		return err
	}
	if err := audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "print.spoiled",
		Subject: "application:" + j.applicationNo, Data: map[string]any{"job_id": j.id, "serial": in.Serial,
			"reason": in.Reason}}); err != nil {
		return err
	}
	return alertLow(ctx, tx, office, j.bookType, actor, now)
}

// alertLow tells the office head, once per crossing, that a blank just
// taken left the book type's stock low or out: an audit entry the blanks
// page shows at its top (the page also shows the live level every time).
func alertLow(ctx context.Context, tx pgx.Tx, office, bookType, actor string, now time.Time) error {
	day, err := officeDay(ctx, tx, office, now)
	if err != nil {
		return err
	}
	all, err := stocks(ctx, tx, office, day)
	if err != nil {
		return err
	}
	for _, st := range all {
		if st.BookType != bookType {
			continue
		}
		after := st.levelAfter(0)
		st.InStock++ // the stock before this blank was taken
		if before := st.levelAfter(0); before == after || after == LevelOK {
			return nil
		}
		return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: AlertAction,
			Subject: "blanks:" + bookType, Data: map[string]any{"book_type": bookType, "level": after,
				"in_stock": st.InStock - 1, "per_day": st.PerDay}})
	}
	return nil
}

// AlertAction is the audit action of a low-stock alert.
const AlertAction = "blanks.low_stock"
