package portal

import (
	"net/http"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
)

type statusView struct {
	view
	ApplicationNo string
	BirthDate     string
	Result        *statusResponse
	Updated       string
}

func (s *Service) statusPage(c fiber.Ctx) error {
	return s.render(c, http.StatusOK, "portal_status", "portal.status.title", statusView{view: s.newView(c)})
}

// statusLookup is a POST so the birth date stays out of URLs and history.
func (s *Service) statusLookup(c fiber.Ctx) error {
	v := statusView{view: s.newView(c), ApplicationNo: c.FormValue("application_no"), BirthDate: dateInputValue(c.FormValue("birth_date"))}
	st, err := s.lookupStatus(c.Context(), v.ApplicationNo, v.BirthDate, v.Lang, httpx.ClientKey(c))
	if err != nil {
		if err := s.addError(c, &v.view, err, "application_no", "birth_date"); err != nil {
			return err
		}
		return s.render(c, statusOf(err), "portal_status", "portal.status.title", v)
	}
	v.Result = &st
	v.Updated = s.cat().T(v.Lang, "portal.status.updated", "when", localStamp(st.UpdatedAt, jakarta))
	return s.render(c, http.StatusOK, "portal_status", "portal.status.title", v)
}
