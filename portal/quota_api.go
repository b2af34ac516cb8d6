package portal

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/quota"
)

// MaxCalendarDays is the most days one quota request may ask for.
const MaxCalendarDays = 62

// dateLayout is CONTRACT.md's calendar day.
const dateLayout = "2006-01-02"

type onlineSeats struct {
	Capacity  int `json:"capacity"`
	Booked    int `json:"booked"`
	Remaining int `json:"remaining"`
}

type walkinSeats struct {
	Capacity  int `json:"capacity"`
	Issued    int `json:"issued"`
	Remaining int `json:"remaining"`
}

// dayJSON is one day of the quota calendar. reason, holiday_name,
// releases_at, in_draw and draw_closes_at go beyond CONTRACT.md's minimum.
type dayJSON struct {
	Date         string      `json:"date"`
	Open         bool        `json:"open"`
	Reason       string      `json:"reason,omitempty"`
	HolidayName  string      `json:"holiday_name,omitempty"`
	ReleasesAt   *time.Time  `json:"releases_at,omitempty"`
	InDraw       bool        `json:"in_draw,omitempty"`
	DrawClosesAt *time.Time  `json:"draw_closes_at,omitempty"`
	Online       onlineSeats `json:"online"`
	Walkin       walkinSeats `json:"walkin"`
}

type calendarResponse struct {
	Office string    `json:"office"`
	Days   []dayJSON `json:"days"`
}

func (s *Service) quotaRoutes(api httpx.API) {
	api.Get("/offices/:code/quota", httpx.Op{
		Summary: "An office's quota calendar", Tag: "public",
		Query: []httpx.Param{
			{Name: "from", Description: "first day, YYYY-MM-DD in the office's time zone (default today)"},
			{Name: "days", Description: "number of days, 1–62 (default 30)"},
		},
		Responses: map[int]any{200: calendarResponse{}, 404: nil, 422: nil},
	}, s.quotaCalendar)
}

func (s *Service) quotaCalendar(c fiber.Ctx) error {
	q, err := s.quotaService()
	if err != nil {
		return err
	}
	o, err := s.office(c.Context(), strings.ToUpper(c.Params("code"))) // "jks" is JKS
	if err != nil {
		return err
	}
	from, days, err := calendarRange(c.Query("from"), c.Query("days"), o.Day(s.Clock.Now()))
	if err != nil {
		return err
	}
	list, err := q.Calendar(c.Context(), o.Code, from, days)
	if err != nil {
		return err
	}
	out := calendarResponse{Office: o.Code, Days: make([]dayJSON, len(list))}
	for i, d := range list {
		out.Days[i] = dayToJSON(d)
	}
	return c.JSON(out)
}

// calendarRange validates ?from= and ?days=, naming the wrong field.
func calendarRange(fromS, daysS string, today time.Time) (time.Time, int, error) {
	bad := httpx.Invalid()
	from, days := today, 30
	if fromS != "" {
		t, err := time.Parse(dateLayout, fromS)
		if err != nil {
			bad.Field("from", "portal.field.date_format")
		}
		from = t
	}
	if daysS != "" {
		n, err := strconv.Atoi(daysS)
		if err != nil || n < 1 || n > MaxCalendarDays {
			bad.Field("days", "portal.field.days_range", "max", MaxCalendarDays)
		}
		days = n
	}
	return from, days, bad.OrNil()
}

func dayToJSON(d quota.DayStatus) dayJSON {
	return dayJSON{
		Date: d.Date.Format(dateLayout), Open: d.Open, Reason: d.Reason, HolidayName: d.HolidayName,
		ReleasesAt: timePtr(d.ReleasesAt), InDraw: d.InDraw, DrawClosesAt: timePtr(d.DrawClosesAt),
		Online: onlineSeats{Capacity: d.Online.Capacity, Booked: d.Online.Used, Remaining: d.Online.Remaining},
		Walkin: walkinSeats{Capacity: d.Walkin.Capacity, Issued: d.Walkin.Used, Remaining: d.Walkin.Remaining},
	}
}

// timePtr is nil for the zero time so JSON omits it.
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
