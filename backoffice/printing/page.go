package printing

import (
	"fmt"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
)

// PageRoles open the blanks page: the office head (validator), the admin,
// the supervisor, and the printing room itself.
var PageRoles = []string{"validator", "admin", "supervisor", "printer"}

// PagePath is the blanks page.
const PagePath = "/backoffice/blanks"

// MenuPage is the blanks page's entry in the officers' menu.
var MenuPage = frontend.OfficerPage{Path: PagePath, LabelKey: "printing.nav.blanks", Roles: PageRoles}

type blanksRow struct {
	BookType    string
	Received    int
	States      []int // by BlankStates
	Unaccounted int
	Stock       Stock
	DaysLeft    string
	PerDay      string
}

type blanksView struct {
	Office string
	Date   string
	States []string
	Rows   []blanksRow
	Total  blanksRow
	Alerts []Stock // book types low or out today
}

// PageRoutes registers the blanks page behind guard.
func (s *Service) PageRoutes(r fiber.Router, guard func(roles ...string) fiber.Handler) {
	r.Get(PagePath, guard(PageRoles...), s.blanksPage)
}

// blanksPage accounts for every serial of the office by type and state,
// with today's stock level, use per day and days left.
func (s *Service) blanksPage(c fiber.Ctx) error {
	office := auth.Get(c).Office
	total, by, err := s.Ledger.Report(c.Context(), office)
	if err != nil {
		return err
	}
	day, err := officeDay(c.Context(), s.Pool, office, s.Clock.Now())
	if err != nil {
		return err
	}
	st, err := s.Ledger.Stocks(c.Context(), office, day)
	if err != nil {
		return err
	}
	v := blanksView{Office: office, Date: day.Format("2006-01-02"), States: BlankStates, Total: row("total", total, Stock{})}
	for _, x := range st {
		r := row(x.BookType, by[x.BookType], x)
		v.Rows = append(v.Rows, r)
		if x.Level != LevelOK && (x.InStock > 0 || x.PerDay > 0 || x.Waiting > 0 || by[x.BookType].Received > 0) {
			v.Alerts = append(v.Alerts, x)
		}
	}
	return s.Pages.Render(c, fiber.StatusOK, "printing_blanks", "printing.blanks.title", v, false)
}

func row(typ string, c Count, st Stock) blanksRow {
	r := blanksRow{BookType: typ, Received: c.Received, Unaccounted: c.Unaccounted, Stock: st, DaysLeft: "—",
		PerDay: fmt.Sprintf("%.1f", st.PerDay)}
	for _, s := range BlankStates {
		r.States = append(r.States, c.Of(s))
	}
	if st.DaysLeft >= 0 {
		r.DaysLeft = fmt.Sprintf("%.0f", st.DaysLeft)
	}
	return r
}
