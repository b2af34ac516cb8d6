package intake

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// TakeInBody takes the booth's called applicant in; a walk-in needs their data.
type TakeInBody struct {
	Booth  int             `json:"booth"`
	Walkin *EnrolmentInput `json:"walkin,omitempty"`
}

// TakeInResponse is the application the desk now holds.
type TakeInResponse struct {
	ApplicationNo string `json:"application_no"`
	Stage         string `json:"stage"`
}

// ScanBody is one scan: the file's bytes in base64 and, optionally, the
// SHA-256 the scanner computed (hex), which must match.
type ScanBody struct {
	Kind   string `json:"kind"`
	Data   string `json:"data"`
	SHA256 string `json:"sha256,omitempty"`
}

// Routes registers the desk's API (officer token, role desk, own office).
func (s *Service) Routes(api httpx.API) {
	guard := []any{auth.Require(s.Tokens, auth.Officer), auth.RequireRole(Roles...)}
	op := func(summary string, body, ok any, errs ...int) httpx.Op {
		res := map[int]any{200: ok, 401: nil, 403: nil, 404: nil}
		for _, c := range errs {
			res[c] = nil
		}
		return httpx.Op{Summary: summary, Tag: "intake", Auth: auth.Officer, Body: body, Responses: res}
	}
	with := func(h fiber.Handler) []any { return append(append([]any{}, guard...), h) }
	api.Post("/backoffice/intake/take-in", op("Take the booth's called applicant in at the OSS desk (queued → desk); "+
		"a walk-in's application is created and numbered here from the data given", TakeInBody{}, TakeInResponse{}, 409, 422),
		with(s.apiTakeIn)...)
	api.Get("/backoffice/intake/:application_no", op("The desk's view of one applicant: data, checklist, notes, scans", nil, Desk{}),
		with(s.apiDesk)...)
	api.Put("/backoffice/intake/:application_no", op("Save the checklist, replacement reason, interview notes and the "+
		"enrolment data as corrected against the documents", Update{}, Record{}, 409, 422), with(s.apiSave)...)
	api.Post("/backoffice/intake/:application_no/scans", op("Store a document scan (PDF, JPEG or PNG by its bytes, at most 700 KiB; "+
		"sha256 checked when given), sealed", ScanBody{}, Scan{}, 422, 503), with(s.apiAddScan)...)
	read := op("One scan's content (the read is audited)", nil, nil, 503)
	read.Produces = "application/octet-stream"
	api.Get("/backoffice/intake/:application_no/scans/:id", read, with(s.apiReadScan)...)
	api.Post("/backoffice/intake/:application_no/handover", op("Run the intake checks and hand over: to biometric, or on_hold "+
		"with the finding (existing valid passport, watchlist hit, lost passport)", nil, Outcome{}, 409, 422), with(s.apiHandover)...)
	api.Get("/backoffice/intake/:application_no/receipt", op("The receipt (tanda terima) with the expected ready date", nil, Receipt{}, 409),
		with(s.apiReceipt)...)
}

func appNo(c fiber.Ctx) string { return strings.ToUpper(c.Params("application_no")) }

func (s *Service) apiTakeIn(c fiber.Ctx) error {
	var in TakeInBody
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	if in.Booth <= 0 {
		return httpx.Invalid().Field("booth", "intake.field.booth")
	}
	no, err := s.TakeIn(c.Context(), application.OfficerActor(c), in.Booth, in.Walkin)
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(TakeInResponse{ApplicationNo: no, Stage: "desk"})
}

func (s *Service) apiDesk(c fiber.Ctx) error {
	d, err := s.Desk(c.Context(), auth.Get(c).Office, appNo(c))
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(d)
}

func (s *Service) apiSave(c fiber.Ctx) error {
	var in Update
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	r, err := s.Save(c.Context(), application.OfficerActor(c), appNo(c), in)
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(r)
}

func (s *Service) apiAddScan(c fiber.Ctx) error {
	var in ScanBody
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	data, err := base64.StdEncoding.DecodeString(in.Data)
	if err != nil {
		return httpx.Invalid().Field("data", "intake.field.scan_base64")
	}
	sc, err := s.AddScan(c.Context(), application.OfficerActor(c), appNo(c), in.Kind, data, in.SHA256)
	if err != nil {
		return HTTPError(err)
	}
	return c.Status(fiber.StatusCreated).JSON(sc)
}

func (s *Service) apiReadScan(c fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return httpx.New(fiber.StatusNotFound, "scan_not_found")
	}
	data, sc, err := s.ReadScan(c.Context(), application.OfficerActor(c), appNo(c), id)
	if err != nil {
		return HTTPError(err)
	}
	c.Set(fiber.HeaderContentType, sc.ContentType)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(data)
}

func (s *Service) apiHandover(c fiber.Ctx) error {
	out, err := s.Handover(c.Context(), application.OfficerActor(c), appNo(c))
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(out)
}

func (s *Service) apiReceipt(c fiber.Ctx) error {
	r, err := s.Receipt(c.Context(), auth.Get(c).Office, appNo(c))
	if err != nil {
		return HTTPError(err)
	}
	return c.JSON(r)
}
