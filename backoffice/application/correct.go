package application

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
)

// Enrolment is the applicant's data as the desk confirms it against the
// documents: what the booking (or the walk-in's form) said, corrected.
type Enrolment struct {
	NIK       string
	FullName  string
	BirthDate time.Time
	Sex       string
	Phone     string // E.164 or ""
}

// Correct stores the desk's corrections of an application at the desk
// inside the caller's transaction, with an audit entry naming the fields
// changed (never their values: they are personal data). It returns the
// fields changed; an application outside the desk is a TransitionError.
func Correct(ctx context.Context, tx pgx.Tx, no string, e Enrolment, actor Actor, now time.Time) ([]string, error) {
	a, _, err := lockScoped(ctx, tx, no, actor)
	if err != nil {
		return nil, err
	}
	if a.Stage != civil.StageDesk {
		return nil, &TransitionError{From: a.Stage, To: civil.StageDesk}
	}
	var changed []string
	for _, f := range []struct {
		name     string
		old, new string
	}{{"nik", a.NIK, e.NIK}, {"full_name", a.FullName, e.FullName}, {"birth_date", civil.Date(a.BirthDate), civil.Date(e.BirthDate)},
		{"sex", a.Sex, e.Sex}, {"phone", a.Phone, e.Phone}} {
		if f.old != f.new {
			changed = append(changed, f.name)
		}
	}
	if len(changed) == 0 {
		return nil, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE applications SET nik = $2, full_name = $3, birth_date = $4, sex = $5, phone = $6, updated_at = $7
		WHERE id = $1`, a.ID, e.NIK, e.FullName, e.BirthDate, e.Sex, nullable(e.Phone), now); err != nil {
		return nil, err
	}
	return changed, audit.Append(ctx, tx, audit.Entry{Office: a.Office, At: now, Actor: actor.String(),
		Action: "application.correct", Subject: "application:" + a.No, Data: map[string]any{"fields": changed}})
}
