package worklist

import (
	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
)

// regionStages are the columns of the region page: the stages where work waits.
var regionStages = []civil.Stage{civil.StageQueued, civil.StageDesk, civil.StageBiometric, civil.StageAdjudication,
	civil.StageOnHold, civil.StageBilling, civil.StagePrinting, civil.StageValidation, civil.StageReady}

type regionRow struct {
	Code, Name string
	Counts     []int // by regionStages
	Total      int
}

type regionView struct {
	Region  string
	Stages  []string
	Offices []regionRow
}

// regionPage is the regional head's offices with their applications per stage.
func (s *Service) regionPage(c fiber.Ctx) error {
	p := auth.Get(c)
	offices, err := s.Apps.RegionCounts(c.Context(), p.Region)
	if err != nil {
		return err
	}
	v := regionView{Region: p.Region}
	for _, st := range regionStages {
		v.Stages = append(v.Stages, string(st))
	}
	for _, o := range offices {
		v.Offices = append(v.Offices, row(o))
	}
	return s.Pages.Render(c, fiber.StatusOK, "worklist_region", "officer.region.title", v, false)
}

func row(o application.OfficeCount) regionRow {
	r := regionRow{Code: o.Code, Name: o.Name, Total: o.Total}
	for _, st := range regionStages {
		r.Counts = append(r.Counts, o.ByStage[st])
	}
	return r
}
