package devices

import (
	"context"
	"regexp"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// PrintJobs is what a passport printer's endpoints need of the pipeline
// (backoffice/printing implements it). Devices parse and authenticate; the
// ledger, the register and the stage move are decided there. Errors are
// *httpx.Error for the caller; another office's job is 404.
type PrintJobs interface {
	Claim(ctx context.Context, office, device string) (civil.PrintJob, bool, error)
	Result(ctx context.Context, office, device, jobID string, r civil.PrintResult) (civil.PrintOutcome, error)
}

var jobIDRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func (s *Service) printRoutes(api httpx.API) {
	printer := s.Registry.Require("printer")
	api.Post("/devices/print-jobs/claim", httpx.Op{Summary: "A passport printer takes the office's oldest waiting print job: " +
		"the data page and its two MRZ lines; 204 when none waits (or no blank of its book type is in stock)",
		Tag: "devices", Auth: auth.Device,
		Responses: map[int]any{200: civil.PrintJob{}, 204: nil, 401: nil, 403: nil, 503: nil}}, printer, s.apiClaim)
	api.Post("/devices/print-jobs/:job_id/result", httpx.Op{Summary: "The printer reports the blank serial it used and QA's " +
		"verdict: printed (the passport is registered, the application moves to validation) or spoiled with a reason (the blank " +
		"is spoiled and the job waits for a new blank)", Tag: "devices", Auth: auth.Device, Body: civil.PrintResult{},
		Responses: map[int]any{200: civil.PrintOutcome{}, 401: nil, 403: nil, 404: nil,
			409: "print_job_not_claimed (claim it first) or print_job_done (printed on another blank)", 422: nil, 503: nil}},
		printer, s.apiPrintResult)
}

func (s *Service) apiClaim(c fiber.Ctx) error {
	if s.PrintJobs == nil {
		return httpx.New(fiber.StatusServiceUnavailable, "unavailable")
	}
	p := auth.Get(c)
	job, ok, err := s.PrintJobs.Claim(c.Context(), p.Office, p.Subject)
	if err != nil {
		return err
	}
	if !ok {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.JSON(job)
}

func (s *Service) apiPrintResult(c fiber.Ctx) error {
	id := c.Params("job_id")
	if !jobIDRe.MatchString(id) {
		return httpx.New(fiber.StatusNotFound, "print_job_not_found")
	}
	var in civil.PrintResult
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	if s.PrintJobs == nil {
		return httpx.New(fiber.StatusServiceUnavailable, "unavailable")
	}
	p := auth.Get(c)
	out, err := s.PrintJobs.Result(c.Context(), p.Office, p.Subject, id, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}
