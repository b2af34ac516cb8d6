package exception

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// InboxPath is the cases page; a case is InboxPath/{application_no}.
const InboxPath = "/backoffice/exceptions"

// MenuPage is the cases page's entry in the officers' menu.
var MenuPage = frontend.OfficerPage{Path: InboxPath, LabelKey: "exception.nav", Roles: PageRoles}

// PageRoutes registers the inbox, the case page (BAP form, recommendation,
// decision: each for the role it belongs to), its form posts and the
// printable BAP; guard(roles...) is the officer page guard.
func (s *Service) PageRoutes(r fiber.Router, guard func(roles ...string) fiber.Handler) {
	r.Get(InboxPath, guard(PageRoles...), s.inboxPage)
	r.Get(InboxPath+"/:no", guard(PageRoles...), s.casePage)
	r.Get(InboxPath+"/:no/print", guard(PageRoles...), s.printPage)
	r.Post(InboxPath+"/:no/bap", guard(WriterRoles...), s.bapSubmit)
	r.Post(InboxPath+"/:no/recommendation", guard(RecommendRoles...), s.recommendSubmit)
	r.Post(InboxPath+"/:no/decision", guard(DeciderRoles...), s.decideSubmit)
}

type inboxLine struct {
	No, Kind, Status, Office string
	Opened                   time.Time
	Mine                     bool // waits for the viewer's role
}

type inboxView struct {
	Office, Region string
	Lines          []inboxLine
}

func (s *Service) inboxPage(c fiber.Ctx) error {
	o := OfficerOf(c)
	cases, err := s.Open(c.Context(), o.scope(), "")
	if err != nil {
		return err
	}
	v := inboxView{Office: o.Office, Region: o.Region}
	for _, k := range cases {
		loc, err := s.Zone(c.Context(), k.Office)
		if err != nil {
			return err
		}
		v.Lines = append(v.Lines, inboxLine{No: k.ApplicationNo, Kind: k.Kind, Status: k.Status, Office: k.Office,
			Opened: k.OpenedAt.In(loc), Mine: waitsFor(k, o.Roles)})
	}
	return s.Pages.Render(c, fiber.StatusOK, "exception_inbox", "exception.inbox.title", v, false)
}

// waitsFor: the case's next step is for one of roles.
func waitsFor(k Case, roles []string) bool {
	switch k.Status {
	case StatusBAP:
		return slices.Contains(roles, "supervisor")
	case StatusRecommend:
		return slices.Contains(roles, "validator")
	case StatusDecision:
		return slices.Contains(roles, k.DeciderRole)
	}
	return false
}

type fieldView struct {
	Field
	Value, Error string
}

type caseView struct {
	Case
	Applicant                         application.Application
	Loc                               *time.Location
	Fields                            []fieldView
	Form                              BAP
	Errors                            map[string]string
	CanWrite, CanRecommend, CanDecide bool
	Outcomes                          []civil.Stage
	RecOutcomes                       []string
	Withheld                          int
	Lang                              string
	Done, Alert                       string
	Rec, DecForm                      map[string]string // re-shown form values
}

// view is the case page's data for officer o; ErrNotFound outside scope.
func (s *Service) view(c fiber.Ctx, o Officer) (*caseView, error) {
	k, err := s.Get(c.Context(), o.scope(), c.Params("no"))
	if err != nil {
		return nil, err
	}
	a, err := s.Apps.Get(c.Context(), k.ApplicationNo)
	if err != nil {
		return nil, err
	}
	loc, err := s.Zone(c.Context(), k.Office)
	if err != nil {
		return nil, err
	}
	v := &caseView{Case: k, Applicant: a, Loc: loc, Errors: map[string]string{}, Outcomes: Outcomes, RecOutcomes: RecommendOutcomes,
		Lang: httpx.Lang(c), Done: c.Query("done"), Rec: map[string]string{}, DecForm: map[string]string{}}
	open := k.Decision == nil
	v.CanWrite = open && k.Recommendation == nil && slices.Contains(o.Roles, "supervisor")
	v.CanRecommend = open && k.Status == StatusRecommend && slices.Contains(o.Roles, "validator")
	v.CanDecide = open && k.Status == StatusDecision && slices.Contains(o.Roles, k.DeciderRole)
	if k.BAP != nil {
		v.Form = *k.BAP
		v.Withheld = Withheld(k.Kind, k.BAP.Fields)
	} else {
		v.Form.Fields = prefill(k)
	}
	v.fill()
	return v, nil
}

// prefill puts what the check found into the BAP's fields.
func prefill(k Case) map[string]string {
	f := map[string]string{}
	switch {
	case k.Finding.WatchlistEntryID != 0:
		f["watchlist_entry"] = "#" + itoa(k.Finding.WatchlistEntryID)
	case k.Finding.Subject != "":
		f["matched_identity"] = k.Finding.Subject
	case k.Finding.PassportNo != "":
		f["passport_no"] = k.Finding.PassportNo
	}
	return f
}

func (v *caseView) fill() {
	v.Fields = v.Fields[:0]
	for _, f := range FieldsOf(v.Kind) {
		v.Fields = append(v.Fields, fieldView{Field: f, Value: v.Form.Fields[f.Name], Error: v.Errors[f.Name]})
	}
}

func (s *Service) casePage(c fiber.Ctx) error {
	v, err := s.view(c, OfficerOf(c))
	if err != nil {
		return pageError(err)
	}
	return s.Pages.Render(c, fiber.StatusOK, "exception_case", "exception.case.title", v, false)
}

func (s *Service) printPage(c fiber.Ctx) error {
	v, err := s.view(c, OfficerOf(c))
	if err != nil {
		return pageError(err)
	}
	if v.BAP == nil {
		return httpx.New(fiber.StatusConflict, "bap_missing")
	}
	return s.Pages.Render(c, fiber.StatusOK, "exception_print", "exception.print.title", v, false)
}

// pageError: outside the scope is 404, as if the application did not exist.
func pageError(err error) error {
	if errors.Is(err, application.ErrNotFound) {
		return httpx.ErrNotFound
	}
	return HTTPError(err)
}

// answer sends the officer back to the case page after a form post: done on
// success, the page again with the fields marked (422) or the refusal said.
func (s *Service) answer(c fiber.Ctx, o Officer, err error, done string, keep func(v *caseView)) error {
	if err == nil {
		return c.Redirect().Status(fiber.StatusSeeOther).To(InboxPath + "/" + c.Params("no") + "?done=" + done)
	}
	var ie *InputError
	var he *httpx.Error
	status := fiber.StatusUnprocessableEntity
	if !errors.As(err, &ie) {
		if !errors.As(HTTPError(err), &he) || he.Status == fiber.StatusNotFound {
			return pageError(err)
		}
		status = he.Status
	}
	v, verr := s.view(c, o)
	if verr != nil {
		return pageError(verr)
	}
	lang := httpx.Lang(c)
	if ie != nil {
		v.Errors = map[string]string{}
		for f, p := range ie.Fields {
			v.Errors[f] = s.Pages.Catalog().T(lang, "exception.problem."+p)
		}
		v.Alert = s.Pages.Catalog().T(lang, "err.validation_failed")
	} else {
		v.Alert = s.Pages.Catalog().T(lang, "err."+he.Code)
	}
	keep(v)
	v.fill()
	return s.Pages.Render(c, status, "exception_case", "exception.case.title", v, false)
}

func (s *Service) bapSubmit(c fiber.Ctx) error {
	o := OfficerOf(c)
	b := BAP{Statement: c.FormValue("statement"), Findings: c.FormValue("findings"), ExaminerName: c.FormValue("examiner_name"),
		Fields: map[string]string{}}
	k, err := s.Get(c.Context(), o.scope(), c.Params("no"))
	if err != nil {
		return pageError(err)
	}
	for _, f := range FieldsOf(k.Kind) {
		b.Fields[f.Name] = c.FormValue("f_" + f.Name)
	}
	form := b
	form.Fields = maps.Clone(b.Fields)
	_, err = s.WriteBAP(c.Context(), o, k.ApplicationNo, b)
	return s.answer(c, o, err, "bap", func(v *caseView) { v.Form = form })
}

func (s *Service) recommendSubmit(c fiber.Ctx) error {
	o := OfficerOf(c)
	vals := map[string]string{"outcome": c.FormValue("outcome"), "text": c.FormValue("text")}
	_, err := s.Recommend(c.Context(), o, c.Params("no"), vals["outcome"], vals["text"])
	return s.answer(c, o, err, "recommendation", func(v *caseView) { v.Rec = vals })
}

func (s *Service) decideSubmit(c fiber.Ctx) error {
	o := OfficerOf(c)
	vals := map[string]string{"outcome": c.FormValue("outcome"), "reason": c.FormValue("reason")}
	_, err := s.Decide(c.Context(), o, c.Params("no"), civil.Stage(vals["outcome"]), vals["reason"])
	return s.answer(c, o, err, "decision", func(v *caseView) { v.DecForm = vals })
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
