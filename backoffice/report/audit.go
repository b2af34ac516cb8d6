package report

import (
	"encoding/hex"
	"regexp"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/internal/idn"
)

// AuditPageSize is how many entries one page of the viewer shows.
const AuditPageSize = 50

// auditPage is one page of the office's audit log.
type auditPage struct {
	Office  string     `json:"office"`
	Entries []auditRow `json:"entries"`
	// Before is the cursor of the next (older) page; 0 when this is the last.
	Before int64  `json:"next_before"`
	From   string `json:"-"`
	To     string `json:"-"`
	Action string `json:"-"`
	Subj   string `json:"-"`
	zone   *time.Location
}

type auditRow struct {
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Subject string    `json:"subject"`
	Data    string    `json:"data"`
	Hash    string    `json:"hash"`
}

// When is t on the office's clock.
func (p auditPage) When(t time.Time) string { return t.In(p.zone).Format("2006-01-02 15:04:05") }

// Entries never hold PII in clear (audit.Entry's rule); the viewer masks
// anything shaped like a NIK or a phone number all the same, in case a
// free-text field (a reason, a running text) carried one in.
var (
	nikLike   = regexp.MustCompile(`(^|[^0-9])([0-9]{16})([^0-9]|$)`)
	phoneLike = regexp.MustCompile(`(\+62|\b0)8[0-9]{7,11}\b`)
)

func mask(s string) string {
	s = nikLike.ReplaceAllStringFunc(s, func(m string) string {
		sub := nikLike.FindStringSubmatch(m)
		return sub[1] + idn.MaskNIK(sub[2]) + sub[3]
	})
	return phoneLike.ReplaceAllStringFunc(s, idn.MaskPhone)
}

// readAudit is the office's entries under the request's filters.
func (s *Service) readAudit(c fiber.Ctx) (auditPage, error) {
	p := auth.Get(c)
	office := p.Office
	loc, err := s.Zone(c.Context(), office)
	if err != nil {
		return auditPage{}, err
	}
	pg := auditPage{Office: office, From: c.Query("from"), To: c.Query("to"), Action: c.Query("action"), Subj: c.Query("subject"),
		zone: loc, Entries: []auditRow{}}
	f := audit.Filter{Office: office, Action: pg.Action, Subject: pg.Subj, Limit: AuditPageSize + 1}
	bad := httpx.Invalid()
	if pg.From != "" {
		d, err := civil.ParseDate(pg.From)
		if err != nil {
			bad.Field("from", "report.field.date")
		}
		f.From = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	}
	if pg.To != "" {
		d, err := civil.ParseDate(pg.To)
		if err != nil {
			bad.Field("to", "report.field.date")
		}
		f.To = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc)
	}
	if b := c.Query("before"); b != "" {
		if f.Before, err = strconv.ParseInt(b, 10, 64); err != nil || f.Before < 1 {
			bad.Field("before", "report.field.before")
		}
	}
	if len(pg.Action) > 80 || len(pg.Subj) > 120 {
		bad.Field("action", "report.field.too_long")
	}
	if bad.HasFields() {
		return pg, bad
	}
	rows, err := audit.List(c.Context(), s.Pool, f)
	if err != nil {
		return pg, err
	}
	if len(rows) > AuditPageSize {
		rows = rows[:AuditPageSize]
		pg.Before = rows[len(rows)-1].Seq
	}
	for _, r := range rows {
		pg.Entries = append(pg.Entries, auditRow{Seq: r.Seq, At: r.At, Actor: mask(r.Actor), Action: r.Action,
			Subject: mask(r.Subject), Data: mask(r.Data), Hash: hex.EncodeToString(r.Hash)[:16]})
	}
	return pg, nil
}

func (s *Service) apiAudit(c fiber.Ctx) error {
	pg, err := s.readAudit(c)
	if err != nil {
		return err
	}
	return c.JSON(pg)
}

func (s *Service) auditPage(c fiber.Ctx) error {
	pg, err := s.readAudit(c)
	if err != nil {
		return err
	}
	return s.Pages.Render(c, fiber.StatusOK, "report_audit", "report.audit.title", pg, false)
}
