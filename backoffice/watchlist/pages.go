package watchlist

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/httpx"
)

// The page's roles. The supervisor (Wasdakim, the section that examines
// hits and writes their BAP) keeps the list: adds, edits, lifts, imports.
// The office head and the regional head, who recommend and decide on hits,
// read it and check names. The admin runs accounts and devices and has no
// say over who is barred; the desk never sees the list (intake checks it
// without showing it, so an applicant cannot be tipped off).
var (
	ReadRoles  = []string{"supervisor", "validator", "regional_head"}
	WriteRoles = []string{"supervisor"}
)

// PagePath is the list's page.
const PagePath = "/backoffice/watchlist"

// MenuPage is the page's entry in the officers' menu.
var MenuPage = frontend.OfficerPage{Path: PagePath, LabelKey: "watchlist.nav", Roles: ReadRoles}

// MaxUpload bounds an uploaded import file: the server's request limit
// (cmd/sppt/app BodyLimit, about 10,000 lines); a national list of a million
// lines is the CLI's job.
const MaxUpload = 1 << 20

// Pages serves the watchlist page.
type Pages struct {
	List  *List
	Pages *frontend.Renderer
	Clock clock.Clock
}

// PageRoutes registers the page; guard(roles...) is the officer page guard.
func (p *Pages) PageRoutes(r fiber.Router, guard func(roles ...string) fiber.Handler) {
	r.Get(PagePath, guard(ReadRoles...), p.listPage)
	r.Get(PagePath+"/check", guard(ReadRoles...), p.checkPage)
	r.Get(PagePath+"/new", guard(WriteRoles...), p.newPage)
	r.Post(PagePath, guard(WriteRoles...), p.saveSubmit)
	r.Post(PagePath+"/import", guard(WriteRoles...), p.importSubmit)
	r.Get(PagePath+"/:id<int>", guard(ReadRoles...), p.entryPage)
	r.Post(PagePath+"/:id<int>", guard(WriteRoles...), p.saveSubmit)
	r.Post(PagePath+"/:id<int>/lift", guard(WriteRoles...), p.liftSubmit)
}

type listView struct {
	Q       string
	Entries []Listed
	Today   time.Time
	Limit   int
	CanEdit bool
	Import  *importView
}

type importView struct {
	Added, Updated, Unchanged int
	Refused                   []refusalView
	Error                     string
}

type refusalView struct {
	Line           int
	Field, Message string
}

func canEdit(c fiber.Ctx) bool { return auth.Get(c).HasRole(WriteRoles...) }

func (p *Pages) listPage(c fiber.Ctx) error {
	return p.renderList(c, fiber.StatusOK, nil)
}

func (p *Pages) renderList(c fiber.Ctx, status int, imp *importView) error {
	q := c.Query("q")
	entries, err := p.List.Search(c.Context(), q)
	if err != nil {
		return err
	}
	v := listView{Q: q, Entries: entries, Today: p.Clock.Now(), Limit: SearchLimit, CanEdit: canEdit(c), Import: imp}
	return p.Pages.Render(c, status, "watchlist_list", "watchlist.page.title", v, false)
}

type entryView struct {
	ID      int64
	Entry   *Listed
	Form    map[string]string
	Errors  map[string]string
	Kinds   []string
	CanEdit bool
	Today   time.Time
	Done    string
}

var formKinds = []string{KindTravelBan, KindEntryBan, KindWanted}

func formOf(e Listed) map[string]string {
	f := map[string]string{"nik": e.NIK, "full_name": e.FullName, "kind": e.Kind, "reason": e.Reason, "authority": e.Authority,
		"valid_from": e.ValidFrom.Format(time.DateOnly)}
	if e.HasBirth {
		f["birth_date"] = e.BirthDate.Format(time.DateOnly)
	}
	if !e.ValidTo.IsZero() {
		f["valid_to"] = e.ValidTo.Format(time.DateOnly)
	}
	return f
}

func (p *Pages) newPage(c fiber.Ctx) error {
	v := entryView{Form: map[string]string{"valid_from": p.Clock.Now().Format(time.DateOnly)}, Errors: map[string]string{},
		Kinds: formKinds, CanEdit: true, Today: p.Clock.Now()}
	return p.Pages.Render(c, fiber.StatusOK, "watchlist_entry", "watchlist.form.title_new", v, false)
}

func (p *Pages) entry(ctx context.Context, c fiber.Ctx) (entryView, error) {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	e, err := p.List.Get(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return entryView{}, httpx.ErrNotFound
	}
	return entryView{ID: id, Entry: &e, Form: formOf(e), Errors: map[string]string{}, Kinds: formKinds,
		CanEdit: canEdit(c) && e.LiftedAt.IsZero(), Today: p.Clock.Now(), Done: c.Query("done")}, err
}

func (p *Pages) entryPage(c fiber.Ctx) error {
	v, err := p.entry(c.Context(), c)
	if err != nil {
		return err
	}
	return p.Pages.Render(c, fiber.StatusOK, "watchlist_entry", "watchlist.form.title_edit", v, false)
}

func (p *Pages) saveSubmit(c fiber.Ctx) error {
	rec := make([]string, len(Columns))
	form := map[string]string{}
	for i, col := range Columns {
		rec[i] = c.FormValue(col)
		form[col] = rec[i]
	}
	var id int64
	if c.Params("id") != "" {
		id, _ = strconv.ParseInt(c.Params("id"), 10, 64)
	}
	saved, bad, err := p.List.Save(c.Context(), id, rec, "officer:"+auth.Get(c).Subject, p.Clock.Now())
	if errors.Is(err, ErrNotFound) {
		return httpx.ErrNotFound
	}
	if err != nil {
		return err
	}
	if bad == nil {
		return c.Redirect().Status(fiber.StatusSeeOther).To(PagePath + "/" + strconv.FormatInt(saved, 10) + "?done=saved")
	}
	v := entryView{ID: id, Form: form, Kinds: formKinds, CanEdit: true, Today: p.Clock.Now(),
		Errors: map[string]string{bad.Field: p.Pages.Catalog().T(httpx.Lang(c), bad.Key, bad.Params...)}}
	if id != 0 {
		e, err := p.List.Get(c.Context(), id)
		if errors.Is(err, ErrNotFound) { // a wrong form for an id that is not there
			return httpx.ErrNotFound
		}
		if err != nil {
			return err
		}
		v.Entry = &e
	}
	return p.Pages.Render(c, fiber.StatusUnprocessableEntity, "watchlist_entry", "watchlist.form.title_edit", v, false)
}

func (p *Pages) liftSubmit(c fiber.Ctx) error {
	v, err := p.entry(c.Context(), c)
	if err != nil {
		return err
	}
	err = p.List.Lift(c.Context(), v.ID, c.FormValue("lift_reason"), "officer:"+auth.Get(c).Subject, p.Clock.Now())
	var bad *Refusal
	switch {
	case err == nil:
		return c.Redirect().Status(fiber.StatusSeeOther).To(PagePath + "/" + c.Params("id") + "?done=lifted")
	case errors.As(err, &bad):
		v.Errors["lift_reason"] = p.Pages.Catalog().T(httpx.Lang(c), bad.Key)
		return p.Pages.Render(c, fiber.StatusUnprocessableEntity, "watchlist_entry", "watchlist.form.title_edit", v, false)
	case errors.Is(err, ErrLifted):
		return c.Redirect().Status(fiber.StatusSeeOther).To(PagePath + "/" + c.Params("id"))
	}
	return err
}

// importSubmit takes an uploaded CSV (the CLI's columns) and shows the
// list with what happened, each refused line with its reason.
func (p *Pages) importSubmit(c fiber.Ctx) error {
	lang := httpx.Lang(c)
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		return p.renderList(c, fiber.StatusUnprocessableEntity, &importView{Error: p.Pages.Catalog().T(lang, "watchlist.upload.missing")})
	}
	if fh.Size > MaxUpload {
		return p.renderList(c, fiber.StatusRequestEntityTooLarge, &importView{Error: p.Pages.Catalog().T(lang, "watchlist.upload.too_large")})
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := p.List.Import(c.Context(), io.LimitReader(f, MaxUpload), "officer:"+auth.Get(c).Subject, p.Clock.Now())
	if err != nil {
		return err
	}
	v := &importView{Added: len(res.Added), Updated: len(res.Updated), Unchanged: len(res.Unchanged)}
	for _, r := range res.Refused {
		v.Refused = append(v.Refused, refusalView{Line: r.Line, Field: r.Field, Message: p.Pages.Catalog().T(lang, r.Key, r.Params...)})
	}
	status := fiber.StatusOK
	if len(v.Refused) > 0 {
		status = fiber.StatusUnprocessableEntity
	}
	return p.renderList(c, status, v)
}

type checkView struct {
	Name, BirthDate, NIK string
	Asked                bool
	Hits                 []Hit
	Errors               map[string]string
}

// checkPage is what the intake check would find for a name and birth date.
func (p *Pages) checkPage(c fiber.Ctx) error {
	v := checkView{Name: strings.TrimSpace(c.Query("name")), BirthDate: c.Query("birth_date"), NIK: strings.TrimSpace(c.Query("nik")),
		Errors: map[string]string{}}
	lang := httpx.Lang(c)
	if c.Query("name") == "" && c.Query("nik") == "" && c.Query("birth_date") == "" {
		return p.Pages.Render(c, fiber.StatusOK, "watchlist_check", "watchlist.check.title", v, false)
	}
	b, err := time.Parse(time.DateOnly, v.BirthDate)
	if err != nil {
		v.Errors["birth_date"] = p.Pages.Catalog().T(lang, "watchlist.check.birth_date")
	}
	if v.Name == "" {
		v.Errors["name"] = p.Pages.Catalog().T(lang, "watchlist.check.name")
	}
	if v.NIK != "" && (len(v.NIK) != 16 || strings.Trim(v.NIK, "0123456789") != "") {
		v.Errors["nik"] = p.Pages.Catalog().T(lang, "watchlist.import.nik")
	}
	if len(v.Errors) > 0 {
		return p.Pages.Render(c, fiber.StatusUnprocessableEntity, "watchlist_check", "watchlist.check.title", v, false)
	}
	v.Hits, err = p.List.Check(c.Context(), Query{NIK: v.NIK, FullName: v.Name, BirthDate: b, On: p.Clock.Now()})
	if err != nil {
		return err
	}
	v.Asked = true
	return p.Pages.Render(c, fiber.StatusOK, "watchlist_check", "watchlist.check.title", v, false)
}
