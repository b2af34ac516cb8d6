package officeday

import (
	"context"
	"time"
)

// Operator does what the simulation needs beyond the HTTP API.
type Operator interface {
	// Office is the office's time zone and opening hours.
	Office(ctx context.Context, code string) (loc *time.Location, opens, closes time.Duration, err error)
	// OpenDay sets day's capacities (as `sppt quota set`).
	OpenDay(ctx context.Context, office string, day time.Time, online, walkin int) error
	// Booths lays out desks One Stop Service booths and counters pickup
	// counters and returns their numbers.
	Booths(ctx context.Context, office string, desks, counters int) (desk, pickup []int, err error)
	// Device enrols a device of kind and returns its token (`sppt device add`).
	Device(ctx context.Context, office, kind, name string) (string, error)
	// ReceiveBlanks records a batch of count blank booklets of bookType and
	// returns its first serial (`sppt blanks receive`).
	ReceiveBlanks(ctx context.Context, office, bookType string, count int) (string, error)
	// BookType is the booklet the server prints on (PRINT_BOOK_TYPE).
	BookType() string
	// CitizenToken stands in for a phone's OTP sign-in (`sppt token citizen`).
	CitizenToken(phone string) (string, error)
	// Messages is what the phones received after message id after.
	Messages(ctx context.Context, after int64) ([]Message, error)
	// SignBank signs a payment callback body as the bank does.
	SignBank(body []byte, at time.Time) string
	// Officer is the demo officer's username and password for role at office.
	Officer(office, role string) (username, password string)
	// BlanksUnaccounted is `sppt blanks report`'s unaccounted count.
	BlanksUnaccounted(ctx context.Context, office string) (int, error)
	// AuditOK is `sppt audit verify`.
	AuditOK(ctx context.Context) (bool, error)
}

// Message is one SMS as its phone shows it.
type Message struct {
	ID    int64
	Phone string
	Kind  string
	Body  string
}
