package network

import (
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
)

// Totals adds the offices' figures up (late only when known).
type Totals struct {
	Offices                                       int
	Quota, Booked, Walkins, Waiting, Served, Late int
	LateKnown                                     bool
}

func totals(rows []Row) Totals {
	t := Totals{Offices: len(rows), LateKnown: len(rows) > 0}
	for _, r := range rows {
		t.Quota += r.Quota
		t.Booked += r.Booked
		t.Walkins += r.Walkins
		t.Waiting += r.Waiting
		t.Served += r.Served
		t.Late += r.Late
		t.LateKnown = t.LateKnown && r.LateKnown
	}
	return t
}

type pageView struct {
	Region  string // "" for the whole country
	Rows    []Row
	Totals  Totals
	CSVPath string
}

func (s *Service) page(c fiber.Ctx) error {
	region := scopeRegion(c)
	rows, err := s.Rows(c.Context(), region)
	if err != nil {
		return err
	}
	return s.Pages.Render(c, fiber.StatusOK, "network", "admin.network.title", pageView{Region: region, Rows: rows, Totals: totals(rows), CSVPath: CSVPath}, false)
}

// csvHeader is the CSV's first line; late is empty while unknown.
var csvHeader = []string{"office", "name", "region", "day", "quota", "booked", "walkins", "waiting", "served", "late"}

func (s *Service) csv(c fiber.Ctx) error {
	rows, err := s.Rows(c.Context(), scopeRegion(c))
	if err != nil {
		return err
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(csvHeader)
	for _, r := range rows {
		late := ""
		if r.LateKnown {
			late = strconv.Itoa(r.Late)
		}
		_ = w.Write([]string{r.Code, r.Name, r.Region, r.Day.Format("2006-01-02"), strconv.Itoa(r.Quota), strconv.Itoa(r.Booked),
			strconv.Itoa(r.Walkins), strconv.Itoa(r.Waiting), strconv.Itoa(r.Served), late})
	}
	w.Flush()
	name := "sppt-network"
	if p := auth.Get(c); !p.HasRole("national_admin") {
		name += "-" + strings.ToLower(strings.ReplaceAll(p.Region, " ", "-"))
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+safeName(name)+`.csv"`)
	return c.SendString(b.String())
}

// safeName keeps a file name to letters, digits and hyphens.
func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return -1
	}, s)
}

// drillStages are the drill-down's application counts, in pipeline order.
var drillStages = []civil.Stage{civil.StageQueued, civil.StageDesk, civil.StageBiometric, civil.StageAdjudication,
	civil.StageOnHold, civil.StageBilling, civil.StagePrinting, civil.StageValidation, civil.StageReady}

type stageCount struct {
	Stage string
	Count int
}

type officeView struct {
	Row
	Stages   []stageCount
	Officers string // the officers page of this office
}

func (s *Service) officePage(c fiber.Ctx) error {
	o, err := s.inScope(c, strings.ToUpper(strings.Clone(c.Params("office"))))
	if err != nil {
		return err
	}
	rows, err := s.rowsOf(c.Context(), []Office{o})
	if err != nil {
		return err
	}
	counts, err := s.Apps.StageCounts(c.Context(), o.Code)
	if err != nil {
		return err
	}
	v := officeView{Row: rows[0], Officers: "/backoffice/officers?office=" + o.Code}
	for _, st := range drillStages {
		v.Stages = append(v.Stages, stageCount{Stage: string(st), Count: counts[st]})
	}
	return s.Pages.Render(c, fiber.StatusOK, "network_office", "admin.network.office_title", v, false)
}
