package office

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

type holidaysView struct {
	Year, Prev, Next int
	Holidays         []Holiday
	Form             Holiday
	Errors           []field
	Saved, Removed   bool
	MissingYear      int
	Kinds            []string
}

var kinds = []string{"national", "collective_leave", "office"}

func (s *Service) year(c fiber.Ctx) int {
	y, err := strconv.Atoi(c.Query("year", c.FormValue("year")))
	if err != nil || y < 2000 || y > 2100 {
		return s.Year()
	}
	return y
}

func (s *Service) holidaysPage(c fiber.Ctx) error {
	return s.renderHolidays(c, fiber.StatusOK, s.year(c), Holiday{Kind: "national"}, nil, c.Query("saved") == "1", c.Query("removed") == "1")
}

func (s *Service) renderHolidays(c fiber.Ctx, status, year int, form Holiday, errs Invalid, saved, removed bool) error {
	hs, err := s.Dir.Holidays(c.Context(), year)
	if err != nil {
		return err
	}
	v := holidaysView{Year: year, Prev: year - 1, Next: year + 1, Holidays: hs, Form: form, Saved: saved, Removed: removed, Kinds: kinds}
	cat, lang := s.Pages.Catalog(), httpx.Lang(c)
	for _, e := range errs {
		v.Errors = append(v.Errors, field{Name: e.Field, Error: cat.T(lang, "offices.err."+e.Key)})
	}
	if v.MissingYear, err = s.notice(c); err != nil {
		return err
	}
	return s.Pages.Render(c, status, "office_holidays", "offices.holidays.title", v, false)
}

func (s *Service) holidayAdd(c fiber.Ctx) error {
	h := Holiday{Day: strings.TrimSpace(c.FormValue("day")), Kind: c.FormValue("kind"), Name: strings.TrimSpace(c.FormValue("name")),
		Office: strings.ToUpper(strings.TrimSpace(c.FormValue("office")))}
	err := s.Dir.AddHoliday(c.Context(), h, actor(auth.Get(c)))
	var inv Invalid
	if errors.As(err, &inv) {
		return s.renderHolidays(c, fiber.StatusUnprocessableEntity, s.year(c), h, inv, false, false)
	}
	if err != nil {
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(HolidaysPath + "?year=" + h.Day[:4] + "&saved=1")
}

func (s *Service) holidayRemove(c fiber.Ctx) error {
	day, office := c.FormValue("day"), strings.ToUpper(c.FormValue("office"))
	ok, err := s.Dir.RemoveHoliday(c.Context(), day, office, actor(auth.Get(c)))
	var inv Invalid
	if errors.As(err, &inv) || err == nil && !ok {
		return httpx.ErrNotFound
	}
	if err != nil {
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To(HolidaysPath + "?year=" + strconv.Itoa(s.year(c)) + "&removed=1")
}
