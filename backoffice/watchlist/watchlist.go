// Package watchlist owns the cekal list (table watchlist_entries): people an
// authority has barred from leaving the country (travel_ban), from entering
// it (entry_ban), or who are wanted (wanted). It imports the authorities'
// lists and answers the question intake asks before anyone pays: is this
// applicant on it?
//
// A query hits an entry valid on the check date when
//   - the NIK is the same (score 1), or
//   - the birth date is the same and the names' keys (idn.WatchlistKey) have a
//     trigram similarity of at least Config.Name, or
//   - the entry has no birth date (some lists have none) and the similarity
//     is at least Config.NameOnly, a stricter threshold: the name is all
//     there is to go on.
//
// The thresholds were chosen from the name-pair table in match_test.go
// (README, "Watchlist (cekal) matching").
package watchlist

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Kinds of entries. Lists written in Indonesian may use the aliases
// (cegah, tangkal, dpo); they are stored as these codes.
const (
	KindTravelBan = "travel_ban" // pencegahan: may not leave Indonesia
	KindEntryBan  = "entry_ban"  // penangkalan: may not enter Indonesia
	KindWanted    = "wanted"     // DPO, daftar pencarian orang
)

var kindAliases = map[string]string{
	KindTravelBan: KindTravelBan, "cegah": KindTravelBan, "cekal": KindTravelBan, "pencegahan": KindTravelBan,
	KindEntryBan: KindEntryBan, "tangkal": KindEntryBan, "penangkalan": KindEntryBan,
	KindWanted: KindWanted, "dpo": KindWanted,
}

// Entry is one listed person.
type Entry struct {
	ID        int64
	NIK       string // "" when the list has none
	FullName  string // as the authority wrote it
	NameKey   string // idn.WatchlistKey(FullName)
	BirthDate time.Time
	HasBirth  bool
	Kind      string
	Reason    string
	Authority string
	ValidFrom time.Time
	ValidTo   time.Time // zero: until lifted
}

// Config holds the match thresholds (trigram similarity, 0–1).
type Config struct {
	Name     float64 // with an equal birth date
	NameOnly float64 // against an entry that has no birth date
}

// DefaultConfig is what the pair table measured (match_test.go).
func DefaultConfig() Config { return Config{Name: 0.61, NameOnly: 0.80} }

// DB is where the list lives: a pool, or a transaction of the caller (intake
// checks inside its own transition). pgxpool.Pool and pgx.Tx both qualify.
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// List reads and writes the watchlist.
type List struct {
	db  DB
	cfg Config
}

// New returns the watchlist over db with cfg's thresholds.
func New(db DB, cfg Config) *List { return &List{db: db, cfg: cfg} }

// ConfigFrom reads WATCHLIST_NAME_THRESHOLD and WATCHLIST_NAME_ONLY_THRESHOLD
// through getenv (os.Getenv), each a similarity in (0, 1]; unset keeps the
// default.
func ConfigFrom(getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	for name, dst := range map[string]*float64{"WATCHLIST_NAME_THRESHOLD": &c.Name, "WATCHLIST_NAME_ONLY_THRESHOLD": &c.NameOnly} {
		v := getenv(name)
		if v == "" {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f <= 0 || f > 1 {
			return c, fmt.Errorf("%s=%q: want a similarity between 0 and 1, e.g. 0.6", name, v)
		}
		*dst = f
	}
	return c, nil
}
