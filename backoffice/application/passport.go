package application

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// AssignPassport records the passport number printed for application no
// inside the caller's transaction (the printing step calls it when a data
// page is printed; the column is applications.passport_no, this package's).
func AssignPassport(ctx context.Context, tx pgx.Tx, no, passportNo string) error {
	tag, err := tx.Exec(ctx, `UPDATE applications SET passport_no = $2 WHERE application_no = $1`, no, passportNo)
	if err != nil {
		return fmt.Errorf("assign passport: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}
