package printing

import (
	"context"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
)

// Stock levels a book type can be at on a day.
const (
	LevelOK  = "ok"
	LevelLow = "low" // fewer blanks than LowDays of measured use
	LevelOut = "out" // none left for that day's applicants
)

// LowDays: a stock that lasts fewer working days than this is low. Two
// weeks is how long a delivery from the central warehouse takes to arrive
// (an assumption; the office head sees the figures and can order sooner).
const LowDays = 10

// UsageWindow is how far back daily use is measured.
const UsageWindow = 28

// Stock is one book type at an office: what the capacity planner needs.
type Stock struct {
	BookType string  `json:"book_type"`
	InStock  int     `json:"in_stock"`
	Waiting  int     `json:"waiting"`   // print jobs queued or claimed that will each take one
	PerDay   float64 `json:"per_day"`   // blanks taken out of the vault per day with any use, last UsageWindow days
	DaysLeft float64 `json:"days_left"` // (InStock - Waiting) / PerDay; +Inf when nothing is used
	Level    string  `json:"level"`     // today's level
}

// Stocks is every book type's stock at the office, on day today (the
// office's calendar day).
func (l *Ledger) Stocks(ctx context.Context, office string, today time.Time) ([]Stock, error) {
	return stocks(ctx, l.Pool, office, today)
}

// Queryer is a pool or a transaction.
type Queryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func stocks(ctx context.Context, q Queryer, office string, today time.Time) ([]Stock, error) {
	rows, err := q.Query(ctx, `WITH t(book_type) AS (SELECT unnest($2::text[])),
		s AS (SELECT book_type, count(*)::int n FROM blanks WHERE office = $1 AND state = 'in_stock' GROUP BY 1),
		w AS (SELECT book_type, count(*)::int n FROM print_jobs WHERE office = $1 AND status <> 'printed' GROUP BY 1),
		u AS (SELECT b.book_type, count(*)::int n, count(DISTINCT (h.at AT TIME ZONE o.timezone)::date)::int days
			FROM blank_history h JOIN blanks b ON b.serial = h.serial JOIN offices o ON o.code = b.office
			WHERE b.office = $1 AND h.from_state = 'in_stock' AND h.to_state IN ('assigned', 'spoiled')
			  AND (h.at AT TIME ZONE o.timezone)::date > $3::date - $4::int GROUP BY 1)
		SELECT t.book_type, coalesce(s.n, 0), coalesce(w.n, 0), coalesce(u.n, 0), coalesce(u.days, 0)
		FROM t LEFT JOIN s USING (book_type) LEFT JOIN w USING (book_type) LEFT JOIN u USING (book_type)
		ORDER BY t.book_type`, office, BookTypes, today, UsageWindow)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Stock, error) {
		var s Stock
		var used, days int
		if err := r.Scan(&s.BookType, &s.InStock, &s.Waiting, &used, &days); err != nil {
			return s, err
		}
		if days > 0 {
			s.PerDay = float64(used) / float64(days)
		}
		s.DaysLeft = -1
		if s.PerDay > 0 {
			s.DaysLeft = math.Max(0, float64(s.InStock-s.Waiting)/s.PerDay)
		}
		s.Level = s.levelAfter(0)
		return s, nil
	})
}

// levelAfter is the level the stock will be at n working days from today,
// used at the measured rate.
func (s Stock) levelAfter(n int) string {
	free := s.InStock - s.Waiting
	if free <= 0 {
		return LevelOut
	}
	left := float64(free) - s.PerDay*float64(n)
	switch {
	case left <= 0:
		return LevelOut
	case s.PerDay > 0 && left < s.PerDay*LowDays:
		return LevelLow
	}
	return LevelOK
}

// DayOutlook is a book type that runs low or out on a day.
type DayOutlook struct {
	Date     time.Time
	BookType string
	Level    string
}

// Outlook says, for each of days (office calendar days, today first or
// later), which book types run low or out by then: what the portal shows on
// those days instead of silently refusing them. The use measured per
// working day is projected over calendar days, which errs towards warning
// early (weekends use nothing).
func (l *Ledger) Outlook(ctx context.Context, office string, today time.Time, days []time.Time) ([]DayOutlook, error) {
	stocks, err := l.Stocks(ctx, office, today)
	if err != nil {
		return nil, err
	}
	var out []DayOutlook
	for _, d := range days {
		n := 0
		if d.After(today) {
			n = int(d.Sub(today).Hours() / 24)
		}
		for _, s := range stocks {
			if s.InStock == 0 && s.PerDay == 0 && s.Waiting == 0 {
				continue // a type this office never stocks is not "out"
			}
			if lv := s.levelAfter(n); lv != LevelOK {
				out = append(out, DayOutlook{Date: d, BookType: s.BookType, Level: lv})
			}
		}
	}
	return out, nil
}

// DayUse is one office day's use of one book type.
type DayUse struct {
	Date     time.Time `json:"date"`
	BookType string    `json:"book_type"`
	Printed  int       `json:"printed"`
	Spoiled  int       `json:"spoiled"`
}

// Usage is the office's blanks used per day and type over [from, to]
// (office calendar days): printed and spoiled, for reports and the planner.
func (l *Ledger) Usage(ctx context.Context, office string, from, to time.Time) ([]DayUse, error) {
	rows, err := l.Pool.Query(ctx, `SELECT (h.at AT TIME ZONE o.timezone)::date d, b.book_type,
			count(*) FILTER (WHERE h.to_state = 'printed')::int, count(*) FILTER (WHERE h.to_state = 'spoiled')::int
		FROM blank_history h JOIN blanks b ON b.serial = h.serial JOIN offices o ON o.code = b.office
		WHERE b.office = $1 AND h.to_state IN ('printed', 'spoiled')
		  AND (h.at AT TIME ZONE o.timezone)::date BETWEEN $2::date AND $3::date
		GROUP BY 1, 2 ORDER BY 1, 2`, office, from, to)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DayUse, error) {
		var u DayUse
		err := r.Scan(&u.Date, &u.BookType, &u.Printed, &u.Spoiled)
		return u, err
	})
}
