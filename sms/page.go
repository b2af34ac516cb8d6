package sms

import (
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// PageRoles may open the backoffice SMS page.
var PageRoles = []string{"admin", "supervisor"}

// PagePath is the backoffice SMS page; FiguresPath is the JSON its script
// polls to keep the numbers current without a reload.
const (
	PagePath    = "/backoffice/sms"
	FiguresPath = PagePath + "/figures"
)

// PageRoutes registers the backoffice SMS page and its figures; guard signs
// officers in (the backoffice's page cookie) and checks PageRoles. The
// figures sit beside the page rather than under /api/v1 because the page's
// script has only the HttpOnly cookie, never a bearer token.
func (s *Service) PageRoutes(r fiber.Router, guard fiber.Handler) {
	r.Get(PagePath, guard, s.page)
	r.Get(FiguresPath, guard, s.figures)
}

// pageView is the report, when it was read (office time) and the outbox's
// message kinds in the reader's words.
type pageView struct {
	Report
	ReadAt string
	Kinds  map[string]string
}

// page shows the officer's own office only: the office comes from the
// sign-in, never from the request.
func (s *Service) page(c fiber.Ctx) error {
	r, err := s.Report(c.Context(), auth.Get(c).Office)
	if err != nil {
		return err
	}
	v := pageView{Report: r, ReadAt: s.Clock.Now().In(r.Office.Location).Format(time.TimeOnly), Kinds: map[string]string{}}
	for _, m := range r.Outbox {
		v.Kinds[m.Kind] = s.kindLabel(httpx.Lang(c), m.Kind)
	}
	return s.Pages.Render(c, fiber.StatusOK, "sms_backoffice", "sms.page.title", v, false)
}

// Figures are the page's numbers: per-day counts and broadcast progress,
// with the sentences that carry them already in the reader's language.
type Figures struct {
	Days       []DayFigures  `json:"days"`
	Broadcasts []CastFigures `json:"broadcasts"`
	Updated    string        `json:"updated"` // "Figures as of 10:15:30", office time
}

// DayFigures is one row of the per-day table.
type DayFigures struct {
	Day    string `json:"day"` // YYYY-MM-DD, office calendar
	Sent   int    `json:"sent"`
	Failed int    `json:"failed"`
	Queued int    `json:"queued"`
}

// CastFigures is one broadcast's progress.
type CastFigures struct {
	ID      int64  `json:"id"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	Percent int    `json:"percent"`
	Label   string `json:"label"`
	Detail  string `json:"detail"`
}

func (s *Service) figures(c fiber.Ctx) error {
	r, err := s.Report(c.Context(), auth.Get(c).Office)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	f := Figures{Days: []DayFigures{}, Broadcasts: []CastFigures{},
		Updated: s.Catalog.T(lang, "sms.page.updated", "time", s.Clock.Now().In(r.Office.Location).Format(time.TimeOnly))}
	for _, d := range r.Days {
		f.Days = append(f.Days, DayFigures{Day: d.Day.Format(time.DateOnly), Sent: d.Sent, Failed: d.Failed, Queued: d.Queued})
	}
	for _, b := range r.Casts {
		f.Broadcasts = append(f.Broadcasts, CastFigures{ID: b.ID, Done: b.Done(), Total: b.Total, Percent: b.Percent(),
			Label: s.Catalog.T(lang, "sms.page.cast_label", "kind", s.Catalog.T(lang, "sms.page.kind."+b.Kind),
				"date", b.Day.Format("02-01-2006"), "done", b.Done(), "total", b.Total, "percent", b.Percent()),
			Detail: s.Catalog.T(lang, "sms.page.cast_detail", "sent", b.Sent, "failed", b.Failed, "queued", b.Queue)})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(f)
}

// kindLabel names a message kind for people; a kind without a label (added
// without its locale entry) shows as it is rather than as a missing key.
func (s *Service) kindLabel(lang, kind string) string {
	key := "sms.page.message_kind." + kind
	if !s.Catalog.Has(key) {
		return kind
	}
	return s.Catalog.T(lang, key)
}
