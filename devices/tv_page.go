package devices

import (
	"encoding/json"
	"html/template"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// tvView is what the TV page renders; the script keeps it live from the feed.
type tvView struct {
	State    State
	Current  *Call
	Earlier  []Call
	Services []serviceCount
	Ticker   string
	Enrolled bool // opened by an enrolled display: sound without a click
	// Config is JSON for the page's script: labels and templates in the page's language.
	Config template.JS
}

type serviceCount struct {
	Code, Label string
	Waiting     int
	Next        []string
	Waits       map[string]int // number → expected minutes
	NewWait     *int           // a number issued now: expected minutes
}

// displayServices is the order of groups on displays (prefix order).
var displayServices = civil.Services

func (s *Service) tvPage(c fiber.Ctx) error {
	if to, ok := canonicalTVPath(c); ok {
		return c.Redirect().Status(fiber.StatusMovedPermanently).To(to)
	}
	office := officeParam(c)
	st, err := s.Queue.State(c.Context(), office)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	cat := s.Pages.Catalog()
	v := tvView{State: st, Ticker: s.runningLine(lang, st), Enrolled: s.displayDevice(c) != nil}
	next, err := s.next(c.Context(), office)
	if err != nil {
		return err
	}
	if len(st.Serving) > 0 {
		v.Current, v.Earlier = &st.Serving[0], st.Serving[1:]
	}
	waits, fresh := map[string]int{}, map[string]int{}
	if s.Upcoming != nil {
		if waits, fresh, err = s.waits(c.Context(), office, next); err != nil {
			return err
		}
	}
	labels := map[string]string{}
	for _, svc := range displayServices {
		labels[svc] = cat.T(lang, "queue.service."+svc)
		sc := serviceCount{Code: svc, Label: labels[svc], Waiting: st.WaitingBy[svc], Next: next[svc], Waits: waits}
		if w, ok := fresh[svc]; ok {
			sc.NewWait = &w
		}
		v.Services = append(v.Services, sc)
	}
	cfg, err := json.Marshal(map[string]any{
		"office": office, "feed": "/api/v1/offices/" + office + "/feed", "services": labels,
		"boothN": cat.T(lang, "queue.tv.booth_n"),
		"live":   cat.T(lang, "queue.tv.live"), "offline": cat.T(lang, "queue.tv.offline"),
		"soundOn": cat.T(lang, "queue.tv.sound_on"), "soundOff": cat.T(lang, "queue.tv.sound_off"),
		"rtOnline": cat.T(lang, "queue.rt.online"), "rtWalkin": cat.T(lang, "queue.rt.walkin"),
		"name": st.Office + " " + st.OfficeName,
		"next": "/api/v1/offices/" + office + "/next", "enrolled": v.Enrolled, "lang": lang,
		"spoken": cat.T(lang, "devices.tv.spoken"), "soundAuto": cat.T(lang, "devices.tv.sound_auto"),
		"noNext": cat.T(lang, "devices.tv.no_next"), "minutes": cat.T(lang, "devices.tv.minutes"),
		"newWait": cat.T(lang, "devices.tv.new_wait"),
	})
	if err != nil {
		return err
	}
	v.Config = template.JS(cfg)
	return s.Pages.Render(c, fiber.StatusOK, "tv_display", "queue.tv.title", v, false)
}

// officeZone is the office's time zone for showing times (UTC if unknown).
func officeZone(st State) *time.Location {
	return civil.ZoneOr(st.Timezone, time.UTC)
}
