package report

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
)

// pageView is the recap page: the figures, the stages that have any
// application (the table's columns), and the query string the chart and the
// CSV link repeat.
type pageView struct {
	View
	Date        string
	Query       string
	Stages      []string
	PickOffice  bool // regional head and admin may pick an office
	PickRegion  bool // admin may pick a region
	OfficeParam string
	RegionParam string
}

func (s *Service) page(c fiber.Ctx) error {
	v, err := s.build(c)
	if err != nil {
		return err
	}
	p := auth.Get(c)
	q := url.Values{}
	q.Set("date", civil.Date(v.Scope.Day))
	if v.Scope.Region != "" {
		q.Set("region", v.Scope.Region)
	} else {
		q.Set("office", v.Scope.Office)
	}
	pv := pageView{View: v, Date: civil.Date(v.Scope.Day), Query: q.Encode(), Stages: stagesIn(v.recaps()),
		PickOffice: p.HasRole("admin", "regional_head"), PickRegion: p.HasRole("admin"),
		OfficeParam: c.Query("office"), RegionParam: c.Query("region")}
	return s.Pages.Render(c, fiber.StatusOK, "report_daily", "report.title", pv, false)
}

// stagesIn is the stages, in pipeline order, that hold any of the day's applications.
func stagesIn(rs []Recap) []string {
	var out []string
	for _, st := range Stages {
		for _, r := range rs {
			if has(r, string(st)) {
				out = append(out, string(st))
				break
			}
		}
	}
	return out
}

func has(r Recap, st string) bool {
	for _, row := range r.ByService {
		if row.Stages[st] > 0 {
			return true
		}
	}
	return false
}

// Rupiah writes an amount the Indonesian way: Rp 1.250.000.
func (pageView) Rupiah(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return "Rp " + b.String()
}

// Pct is a percentage with one decimal, or "n/a".
func (pageView) Pct(p float64) string { return pct(p) }

// Mean is a satisfaction mean with two decimals, or "n/a" without responses.
func (pageView) Mean(s *SatisfactionIndex) string { return mean(s) }

// Cell is row's count in stage st, "" for none (so the table reads).
func (pageView) Cell(row ServiceRow, st string) int { return row.Stages[st] }

// RowData is one line of the region table (the "report_row" template).
type RowData struct {
	Lang  string
	View  pageView
	Recap Recap
	Total bool
}

// Row is the data of one region table line.
func (v pageView) Row(lang string, r Recap, total bool) RowData {
	return RowData{Lang: lang, View: v, Recap: r, Total: total}
}
