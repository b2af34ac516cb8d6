package devices

import (
	"encoding/base64"
	"errors"
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// KioskCookie keeps the kiosk's device token in the kiosk's browser
// (HttpOnly: no script can read it; SameSite=Strict: no other site can use it).
const KioskCookie = "sppt_kiosk"

type kioskView struct {
	Office      string
	OfficeName  string
	Services    []serviceCount
	WalkinLeft  int
	HasQuota    bool
	Error       string
	FieldErrors map[string]string
	Code, NIK   string
	WalkinKey   string // the walk-in form's idempotency key (kiosk_walkin.go)
	Ticket      *Ticket
	TicketLabel string
	QR          template.URL // data: URL of a PNG
	IssuedAt    string
	Expected    string // the forecast's words (kiosk_near.go)
	// Notice is a confirmation shown on the start screen.
	Notice     string
	SetupError string
	// Closed is the notice shown instead of the forms outside opening hours.
	Closed string
	// IdleSeconds: the page returns to the start screen after this long untouched.
	IdleSeconds int
	Hours       string // "08:00–16:00 WIB"
	// The on-screen keypad's keys.
	Digits, Letters []string
}

var (
	keypadDigits  = strings.Split("1234567890", "")
	keypadLetters = strings.Split("QWERTYUIOPASDFGHJKLZXCVBNM", "")
)

// kioskDevice is the kiosk signed in by cookie (nil: show the setup form).
func (s *Service) kioskDevice(c fiber.Ctx) *auth.Claims {
	tok := c.Cookies(KioskCookie)
	if tok == "" {
		return nil
	}
	claims, err := s.Registry.Check(c.Context(), tok, "kiosk")
	if err != nil {
		return nil
	}
	return claims
}

func (s *Service) kioskPage(c fiber.Ctx) error {
	d := s.kioskDevice(c)
	if d == nil {
		return s.Pages.Render(c, fiber.StatusOK, "kiosk_setup", "queue.kiosk.title", kioskView{}, false)
	}
	v := kioskView{}
	if err := s.requireOpen(c.Context(), d.Office); err != nil {
		he, ok := httpx.As(err)
		if !ok {
			return err
		}
		v.Closed = s.Pages.Catalog().T(httpx.Lang(c), "err."+he.Code, he.Params...)
	}
	return s.renderKiosk(c, fiber.StatusOK, d, v)
}

func (s *Service) renderKiosk(c fiber.Ctx, status int, d *auth.Claims, v kioskView) error {
	st, err := s.Queue.State(c.Context(), d.Office)
	if err != nil {
		return err
	}
	v.Office, v.OfficeName = st.Office, st.OfficeName
	v.WalkinKey = newWalkinKey() // fresh on every render: one key, one ticket
	v.IdleSeconds = s.idleSeconds()
	v.Digits, v.Letters = keypadDigits, keypadLetters
	if h, err := s.officeHours(c.Context(), d.Office); err == nil && s.Offices != nil {
		v.Hours = h.Opens + "–" + h.Closes + " " + zoneAbbrev(h.Timezone)
	}
	// Not kept for Back: a restored form would carry the last person's key.
	c.Set(fiber.HeaderCacheControl, "no-store")
	if q, ok := quotaOf(st.Quota); ok {
		v.HasQuota, v.WalkinLeft = true, q.Walkin.Remaining
	}
	cat, lang := s.Pages.Catalog(), httpx.Lang(c)
	for _, svc := range displayServices {
		v.Services = append(v.Services, serviceCount{Code: svc, Label: cat.T(lang, "queue.service."+svc)})
	}
	return s.Pages.Render(c, status, "kiosk_home", "queue.kiosk.title", v, false)
}

// idleSeconds is how long a kiosk waits untouched before it starts over.
func (s *Service) idleSeconds() int {
	if s.KioskIdle <= 0 {
		return 60
	}
	return max(1, int(s.KioskIdle/time.Second))
}

func (s *Service) kioskSetup(c fiber.Ctx) error {
	tok, _, err := s.setupDevice(c, "kiosk")
	if err != nil {
		status, msg, err := s.setupError(c, err)
		if err != nil {
			return err
		}
		return s.Pages.Render(c, status, "kiosk_setup", "queue.kiosk.title", kioskView{SetupError: msg}, false)
	}
	s.setDeviceCookie(c, KioskCookie, "/kiosk", tok)
	return c.Redirect().Status(fiber.StatusSeeOther).To("/kiosk")
}

func (s *Service) kioskCheckin(c fiber.Ctx) error {
	d := s.kioskDevice(c)
	if d == nil {
		return c.Redirect().Status(fiber.StatusSeeOther).To("/kiosk")
	}
	code, nik, err := normalizeCheckin(c.FormValue("booking_code"), c.FormValue("nik"))
	if err == nil {
		err = s.requireOpen(c.Context(), d.Office)
	}
	if err == nil {
		var t Ticket
		t, err = s.Queue.CheckIn(c.Context(), d.Office, code, nik, "device:"+d.Subject)
		if err == nil {
			return s.renderTicket(c, t)
		}
	}
	return s.kioskError(c, d, err, kioskView{Code: c.FormValue("booking_code")})
}

func (s *Service) kioskWalkin(c fiber.Ctx) error {
	d := s.kioskDevice(c)
	if d == nil {
		return c.Redirect().Status(fiber.StatusSeeOther).To("/kiosk")
	}
	if err := s.requireOpen(c.Context(), d.Office); err != nil {
		return s.kioskError(c, d, err, kioskView{})
	}
	// The form's key makes a refresh or a double tap show the same ticket.
	t, err := s.walkinOnce(c.Context(), d, c.FormValue("service"), c.FormValue("key"))
	if err != nil {
		return s.kioskError(c, d, err, kioskView{})
	}
	return s.renderTicket(c, t)
}

// kioskError shows the kiosk again with what to do; never the NIK typed.
func (s *Service) kioskError(c fiber.Ctx, d *auth.Claims, err error, v kioskView) error {
	var he *httpx.Error
	if !errors.As(err, &he) || he.Status >= 500 {
		return err
	}
	cat, lang := s.Pages.Catalog(), httpx.Lang(c)
	v.Error = cat.T(lang, "err."+he.Code, he.Params...)
	if len(he.Fields) > 0 {
		v.FieldErrors = map[string]string{}
		for name, f := range he.Fields {
			v.FieldErrors[name] = cat.T(lang, f.Key, f.Params...)
		}
	}
	return s.renderKiosk(c, he.Status, d, v)
}

func (s *Service) renderTicket(c fiber.Ctx, t Ticket) error {
	png, err := qrcode.Encode(t.Office+" "+t.Date+" "+t.Number, qrcode.Medium, 256)
	if err != nil {
		return err
	}
	v := kioskView{Office: t.Office, Ticket: &t, QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
		TicketLabel: s.Pages.Catalog().T(httpx.Lang(c), "queue.service."+t.Service)}
	st, err := s.Queue.State(c.Context(), t.Office)
	if err != nil {
		return err
	}
	v.OfficeName = st.OfficeName
	v.IssuedAt = t.IssuedAt.In(officeZone(st)).Format("02-01-2006 15:04") + " " + zoneAbbrev(st.Timezone)
	v.Expected = s.expectedText(httpx.Lang(c), t, officeZone(st))
	v.IdleSeconds = s.idleSeconds()
	return s.Pages.Render(c, fiber.StatusCreated, "kiosk_ticket", "queue.kiosk.ticket_heading", v, false)
}
