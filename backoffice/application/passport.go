package application

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SetPassportNo records on application no the passport printed for it,
// inside the printing step's transaction (the move on to validation follows
// in the same one). A different number already recorded is an error: an
// application has one passport.
func SetPassportNo(ctx context.Context, tx pgx.Tx, no, passportNo string) error {
	tag, err := tx.Exec(ctx, `UPDATE applications SET passport_no = $2
		WHERE application_no = $1 AND (passport_no IS NULL OR passport_no = $2)`, no, passportNo)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("application %s: no such application, or it has another passport number", no)
	}
	return nil
}

// AssignPassport is SetPassportNo (the name the pickup fixtures use).
func AssignPassport(ctx context.Context, tx pgx.Tx, no, passportNo string) error {
	return SetPassportNo(ctx, tx, no, passportNo)
}
