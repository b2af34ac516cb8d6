package intake

import (
	"errors"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// PageRoutes registers the desk screens behind guard (officer sign-in,
// role desk, CSRF on every POST). Every action is a plain form POST
// answered by a redirect, so the screens work without JavaScript.
func (s *Service) PageRoutes(r fiber.Router, guard fiber.Handler) {
	r.Get("/backoffice/desk", guard, s.startPage)
	r.Post("/backoffice/desk/take-in", guard, s.takeInSubmit)
	r.Get("/backoffice/desk/:no", guard, s.deskPage)
	r.Post("/backoffice/desk/:no", guard, s.saveSubmit)
	r.Post("/backoffice/desk/:no/scans", guard, s.scanSubmit)
	r.Get("/backoffice/desk/:no/scans/:id", guard, s.scanView)
	r.Post("/backoffice/desk/:no/handover", guard, s.handoverSubmit)
	r.Get("/backoffice/desk/:no/receipt", guard, s.receiptPage)
}

// enrolForm is the enrolment fields' data (partials/intake_enrolment.html).
type enrolForm struct {
	Lang   string
	Errors map[string]string
	Values EnrolmentInput
}

type startView struct {
	Form    enrolForm
	Booth   int
	Ticket  *Ticket
	AtDesk  []application.Application
	Walkin  EnrolmentInput
	Errors  map[string]string
	Message string
}

func (s *Service) startPage(c fiber.Ctx) error {
	booth, _ := strconv.Atoi(c.Query("booth"))
	return s.renderStart(c, fiber.StatusOK, startView{Booth: booth})
}

func (s *Service) renderStart(c fiber.Ctx, status int, v startView) error {
	ctx, office := c.Context(), auth.Get(c).Office
	if v.Booth > 0 {
		t, err := s.Tickets.AtBooth(ctx, office, v.Booth)
		if err == nil {
			v.Ticket = &t
		} else if !errors.Is(err, ErrNoTicket) {
			return err
		}
	}
	v.Form = enrolForm{Lang: httpx.Lang(c), Errors: v.Errors, Values: v.Walkin}
	var err error
	if v.AtDesk, err = s.Stages.InStage(ctx, office, civil.StageDesk, 50); err != nil {
		return err
	}
	return s.Pages.Render(c, status, "intake_start", "intake.start.title", v, false)
}

func (s *Service) takeInSubmit(c fiber.Ctx) error {
	booth, _ := strconv.Atoi(c.FormValue("booth"))
	var walkin *EnrolmentInput
	if c.FormValue("walkin") == "1" {
		walkin = &EnrolmentInput{NIK: c.FormValue("nik"), FullName: c.FormValue("full_name"), BirthDate: c.FormValue("birth_date"),
			Sex: c.FormValue("sex"), Phone: c.FormValue("phone")}
	}
	no, err := s.TakeIn(c.Context(), application.OfficerActor(c), booth, walkin)
	if msg, fields, ok := s.userError(c, err); ok {
		v := startView{Booth: booth, Errors: fields, Message: msg}
		if walkin != nil {
			v.Walkin = *walkin
		}
		return s.renderStart(c, fiber.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/desk/" + url.PathEscape(no) + "?done=taken_in")
}

// userError is err as a page shows it: the message and the fields' own
// messages, for a refusal (4xx); ok false for success or a server error.
func (s *Service) userError(c fiber.Ctx, err error) (string, map[string]string, bool) {
	he, ok := httpx.As(HTTPError(err))
	if !ok || he.Status >= 500 {
		return "", nil, false
	}
	cat, lang := s.Pages.Catalog(), httpx.Lang(c)
	fields := map[string]string{}
	for name, f := range he.Fields {
		fields[name] = cat.T(lang, f.Key, f.Params...)
	}
	return cat.T(lang, "err."+he.Code, he.Params...), fields, true
}

type deskView struct {
	Desk
	Form      enrolForm
	Reasons   []string
	Errors    map[string]string
	Error     string
	Message   string
	Findings  []string // what the checks found, in the officer's language
	Edit      bool     // the application is at the desk: the forms are open
	MaxScanKB int
	Posted    *EnrolmentInput // what the officer typed, shown again after a refusal
}

func (s *Service) deskPage(c fiber.Ctx) error {
	v := deskView{}
	if d := c.Query("done"); d != "" {
		v.Message = s.Pages.Catalog().T(httpx.Lang(c), "intake.done."+d)
	}
	return s.renderDesk(c, fiber.StatusOK, v)
}

func (s *Service) renderDesk(c fiber.Ctx, status int, v deskView) error {
	no := strings.ToUpper(c.Params("no"))
	d, err := s.Desk(c.Context(), auth.Get(c).Office, no)
	if errors.Is(err, application.ErrNotFound) || errors.Is(err, ErrNoRecord) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return err
	}
	v.Desk, v.Reasons, v.Edit, v.MaxScanKB = d, Reasons, d.Applicant.Stage == civil.StageDesk, MaxScan>>10
	a := d.Applicant
	v.Form = enrolForm{Lang: httpx.Lang(c), Errors: v.Errors, Values: EnrolmentInput{NIK: a.NIK, FullName: a.FullName,
		BirthDate: a.BirthDate, Sex: a.Sex, Phone: a.Phone}}
	if v.Posted != nil {
		v.Form.Values = *v.Posted
	}
	return s.Pages.Render(c, status, "intake_desk", "intake.desk.title", v, false)
}

func (s *Service) saveSubmit(c fiber.Ctx) error {
	no := strings.ToUpper(c.Params("no"))
	u := Update{Checklist: map[string]bool{}, Reason: c.FormValue("replacement_reason"), Notes: c.FormValue("notes"),
		Married: c.FormValue("married") == "1", Electronic: c.FormValue("electronic") == "1",
		Enrolment: &EnrolmentInput{NIK: c.FormValue("nik"), FullName: c.FormValue("full_name"), BirthDate: c.FormValue("birth_date"),
			Sex: c.FormValue("sex"), Phone: c.FormValue("phone")}}
	for _, doc := range ScanKinds {
		if c.FormValue("doc_"+doc) == "1" {
			u.Checklist[doc] = true
		}
	}
	_, err := s.Save(c.Context(), application.OfficerActor(c), no, u)
	if msg, fields, ok := s.userError(c, err); ok {
		return s.renderDesk(c, fiber.StatusUnprocessableEntity, deskView{Error: msg, Errors: fields, Posted: u.Enrolment})
	}
	if err != nil {
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/desk/" + url.PathEscape(no) + "?done=saved")
}

func (s *Service) scanSubmit(c fiber.Ctx) error {
	no := strings.ToUpper(c.Params("no"))
	data, err := formFile(c, "file")
	if err == nil {
		_, err = s.AddScan(c.Context(), application.OfficerActor(c), no, c.FormValue("kind"), data, c.FormValue("sha256"))
	}
	if msg, fields, ok := s.userError(c, err); ok {
		return s.renderDesk(c, fiber.StatusUnprocessableEntity, deskView{Error: msg, Errors: fields})
	}
	if err != nil {
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/desk/" + url.PathEscape(no) + "?done=scanned#scans")
}

// formFile reads an uploaded file, at most one byte over MaxScan (the rest
// is not needed to refuse it).
func formFile(c fiber.Ctx, name string) ([]byte, error) {
	fh, err := c.FormFile(name)
	if err != nil {
		return nil, httpx.Invalid().Field(name, "intake.field.scan_empty")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxScan+1))
}

func (s *Service) scanView(c fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return httpx.ErrNotFound
	}
	data, sc, err := s.ReadScan(c.Context(), application.OfficerActor(c), strings.ToUpper(c.Params("no")), id)
	if errors.Is(err, ErrNoScan) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, sc.ContentType)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Content-Disposition", "inline")
	return c.Send(data)
}

func (s *Service) handoverSubmit(c fiber.Ctx) error {
	no := strings.ToUpper(c.Params("no"))
	out, err := s.Handover(c.Context(), application.OfficerActor(c), no)
	if msg, fields, ok := s.userError(c, err); ok {
		return s.renderDesk(c, fiber.StatusUnprocessableEntity, deskView{Error: msg, Errors: fields})
	}
	if err != nil {
		return err
	}
	if out.Stage == civil.StageOnHold {
		cat, lang := s.Pages.Catalog(), httpx.Lang(c)
		v := deskView{Error: cat.T(lang, "intake.done.on_hold")}
		for _, f := range out.Findings {
			v.Findings = append(v.Findings, cat.T(lang, f.Key, f.Params...))
		}
		return s.renderDesk(c, fiber.StatusOK, v)
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/desk/" + url.PathEscape(no) + "/receipt")
}

type receiptView struct {
	Receipt
	Thanks bool
	Return string
}

func (s *Service) receiptPage(c fiber.Ctx) error {
	no := strings.ToUpper(c.Params("no"))
	r, err := s.Receipt(c.Context(), auth.Get(c).Office, no)
	if errors.Is(err, application.ErrNotFound) || errors.Is(err, ErrNoRecord) {
		return httpx.ErrNotFound
	}
	if errors.Is(err, ErrNotHandedOver) {
		return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/desk/" + url.PathEscape(no))
	}
	if err != nil {
		return err
	}
	v := receiptView{Receipt: r, Thanks: c.Query("done") == "1", Return: "/backoffice/desk/" + url.PathEscape(no) + "/receipt"}
	return s.Pages.Render(c, fiber.StatusOK, "intake_receipt", "intake.receipt.title", v, false)
}
