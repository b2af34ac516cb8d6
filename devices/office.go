package devices

import (
	"context"
	"net/http"
	"time"

	"github.com/sppt/sppt/internal/httpx"
)

// OfficeHours is an office's time zone and opening hours ("08:00", "16:00").
type OfficeHours struct {
	Timezone      string
	Opens, Closes string
}

// Offices is what devices need of the office calendar; cmd/sppt wires quota's.
type Offices interface {
	Hours(ctx context.Context, office string) (OfficeHours, error)
}

// Location is the office's zone (UTC if unknown: shown, never computed on).
func (h OfficeHours) Location() *time.Location {
	if loc, err := time.LoadLocation(h.Timezone); err == nil && h.Timezone != "" {
		return loc
	}
	return time.UTC
}

// Open reports whether now falls within the opening hours of now's office day.
func (h OfficeHours) Open(now time.Time) bool {
	local := now.In(h.Location()).Format("15:04")
	return local >= h.Opens && local < h.Closes
}

// zoneAbbrev is how Indonesians name the three zones.
func zoneAbbrev(tz string) string {
	switch tz {
	case "Asia/Jakarta":
		return "WIB"
	case "Asia/Makassar":
		return "WITA"
	case "Asia/Jayapura":
		return "WIT"
	}
	return tz
}

// officeHours is the office's hours; the zero value (always open, UTC) when
// no calendar is wired (tests of other packages building a bare Service).
func (s *Service) officeHours(ctx context.Context, office string) (OfficeHours, error) {
	if s.Offices == nil {
		return OfficeHours{Opens: "00:00", Closes: "24:00"}, nil
	}
	return s.Offices.Hours(ctx, office)
}

// requireOpen refuses a ticket outside the office's opening hours
// (409 office_closed, naming the hours).
func (s *Service) requireOpen(ctx context.Context, office string) error {
	h, err := s.officeHours(ctx, office)
	if err != nil {
		return err
	}
	if h.Open(s.Clock.Now()) {
		return nil
	}
	return httpx.New(http.StatusConflict, "office_closed", "opens", h.Opens, "closes", h.Closes, "zone", zoneAbbrev(h.Timezone)).
		With("opens_at", h.Opens).With("closes_at", h.Closes).With("timezone", h.Timezone)
}
