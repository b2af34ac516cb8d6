package queue

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// PageRoutes registers the booth screen; guard signs officers in (cookie).
// Every action is a plain form POST answered by a redirect back; the page's
// script only refreshes the waiting counts live.
func (q *Service) PageRoutes(r fiber.Router, guard fiber.Handler) {
	r.Get("/backoffice/queue", guard, mapped(q.boothPage))
	r.Post("/backoffice/queue/:booth/:action", guard, q.boothAction)
}

type serviceOption struct {
	Code, Label string
	Waiting     int
	Served      bool // the booth calls this group
}

type boothView struct {
	Office        string
	Booths        []Booth
	Booth         *Booth
	Current       TicketCall
	Recalls       int
	MaxRecalls    int
	Groups        []serviceOption
	WaitingHere   int
	Message       string
	Error         string
	ServiceLabels string
	Heading       string // "Loket 2", with the booth's name when it says more
	Serving       *Serving
}

func (q *Service) boothPage(c fiber.Ctx) error {
	return q.renderBooth(c, fiber.StatusOK, "")
}

func (q *Service) renderBooth(c fiber.Ctx, status int, errMsg string) error {
	ctx, p := c.Context(), auth.Get(c)
	cat, lang := q.Pages.Catalog(), httpx.Lang(c)
	booths, err := q.Booths(ctx, p.Office)
	if err != nil {
		return err
	}
	v := boothView{Office: p.Office, Booths: booths, MaxRecalls: MaxRecalls, Error: errMsg}
	n, _ := strconv.Atoi(queueFirst(c.Params("booth"), c.Query("booth")))
	for i := range booths {
		if booths[i].Number == n {
			v.Booth = &booths[i]
		}
	}
	if v.Booth == nil {
		return q.Pages.Render(c, status, "queue_booth", "queue.booth.title", v, false)
	}
	v.Heading = boothHeading(cat.T(lang, "queue.booth.heading", "booth", n), v.Booth.Name)
	st, err := q.State(ctx, p.Office)
	if err != nil {
		return err
	}
	var labels []string
	for _, svc := range civil.Services {
		served := slices.Contains(v.Booth.Services, svc)
		v.Groups = append(v.Groups, serviceOption{Code: svc, Label: cat.T(lang, "queue.service."+svc), Waiting: st.WaitingBy[svc], Served: served})
		if served {
			v.WaitingHere += st.WaitingBy[svc]
			labels = append(labels, cat.T(lang, "queue.service."+svc))
		}
	}
	v.ServiceLabels = strings.Join(labels, ", ")
	if v.Current, v.Recalls, err = q.Current(ctx, p.Office, n); err != nil {
		return err
	}
	if v.Current.Ticket != "" {
		if v.Serving, err = q.serving(ctx, p.Office, v.Current.Ticket); err != nil {
			return err
		}
	}
	if m := c.Query("done"); m != "" {
		v.Message = flash(q, lang, m, c.Query("ticket"), n)
	}
	return q.Pages.Render(c, status, "queue_booth", "queue.booth.title", v, false)
}

// boothHeading is "Loket 2", then the booth's own name unless it only says
// the same ("Loket 2 Loket 2" read twice).
func boothHeading(numbered, name string) string {
	name = strings.TrimSpace(name)
	if name == "" || strings.EqualFold(name, numbered) {
		return numbered
	}
	return numbered + " — " + name
}

// flash is the message after an action, from the redirect's query.
func flash(q *Service, lang, done, ticket string, booth int) string {
	cat := q.Pages.Catalog()
	switch done {
	case "called":
		return cat.T(lang, "queue.booth.called", "ticket", ticket, "booth", booth)
	case "recalled":
		return cat.T(lang, "queue.booth.recalled", "ticket", ticket)
	case "done", "no_show":
		return cat.T(lang, "queue.booth.finished", "ticket", ticket, "status", cat.T(lang, "queue.booth.status_"+done))
	case "transferred":
		return cat.T(lang, "queue.booth.transferred", "ticket", ticket)
	case "empty":
		return cat.T(lang, "queue.booth.nobody")
	}
	return ""
}

func (q *Service) boothAction(c fiber.Ctx) error {
	booth, err := boothParam(c)
	if err != nil {
		return err
	}
	p := auth.Get(c)
	ctx, actor := c.Context(), OfficerActor(p)
	var done, ticket string
	switch c.Params("action") {
	case "call-next":
		var call TicketCall
		var ok bool
		call, ok, err = q.CallNext(ctx, p.Office, booth, actor)
		done, ticket = "called", call.Ticket
		if !ok {
			done = "empty"
		}
	case "recall":
		var call TicketCall
		call, err = q.Recall(ctx, p.Office, booth, actor)
		done, ticket = "recalled", call.Ticket
	case "no-show":
		ticket, err = q.Finish(ctx, p.Office, booth, "no_show", actor)
		done = "no_show"
	case "complete":
		ticket, err = q.Finish(ctx, p.Office, booth, "done", actor)
		done = "done"
	case "transfer":
		to, _ := strconv.Atoi(c.FormValue("to_booth"))
		ticket, err = q.Transfer(ctx, p.Office, booth, to, c.FormValue("to_service"), actor)
		done = "transferred"
	default:
		return httpx.ErrNotFound
	}
	err = HTTPError(err)
	var he *httpx.Error
	if errors.As(err, &he) && he.Status < 500 {
		msg := q.Pages.Catalog().T(httpx.Lang(c), "err."+he.Code, he.Params...)
		for _, f := range he.Fields {
			msg += " " + q.Pages.Catalog().T(httpx.Lang(c), f.Key, f.Params...)
		}
		return q.renderBooth(c, he.Status, msg)
	}
	if err != nil {
		return err
	}
	return c.Redirect().Status(fiber.StatusSeeOther).To("/backoffice/queue?booth=" + strconv.Itoa(booth) +
		"&done=" + done + "&ticket=" + url.QueryEscape(ticket))
}

func queueFirst(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
