package queue

import (
	"strconv"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// Roles may operate booths; AdminRoles configure booths and the running text.
var (
	Roles      = []string{"desk", "pickup", "supervisor"}
	AdminRoles = []string{"supervisor", "admin"}
	// TextRoles set the office's running text: the office head (validator)
	// with the booth administrators.
	TextRoles = []string{"validator", "supervisor", "admin"}
)

// Pages are the queue's entries in the officers' menu.
var Pages = []frontend.OfficerPage{{Path: "/backoffice/queue", LabelKey: "queue.nav.queue", Roles: Roles}}

// TextPages is the running-text page's menu entry; the backoffice puts it
// after the other packages' pages, so an admin still lands on the devices.
var TextPages = []frontend.OfficerPage{{Path: TextPath, LabelKey: "officer.nav.running_text", Roles: TextRoles},
	{Path: CapacityPath, LabelKey: "queue.capacity.nav", Roles: CapacityRoles}}

type transferRequest struct {
	Booth   int    `json:"booth,omitempty"`
	Service string `json:"service,omitempty"`
}

type ticketActionResponse struct {
	Ticket string `json:"ticket"`
	Status string `json:"status"`
}

type runningTextRequest struct {
	Text string `json:"text"`
}

type boothsResponse struct {
	Booths []Booth `json:"booths"`
}

// Routes registers the officer queue API under /api/v1.
func (q *Service) Routes(api httpx.API) {
	officer := auth.Require(q.Tokens, auth.Officer)
	desk := auth.RequireRole(Roles...)
	admin := auth.RequireRole(AdminRoles...)
	op := func(summary string, body any, res map[int]any) httpx.Op {
		return httpx.Op{Summary: summary, Tag: "queue", Auth: auth.Officer, Body: body, Responses: res}
	}
	errs := map[int]any{401: nil, 403: nil, 404: nil}
	with := func(m map[int]any) map[int]any {
		for k, v := range errs {
			m[k] = v
		}
		return m
	}
	api.Post("/backoffice/booths/:booth/call-next", op("Call the next ticket to a booth (204 when nobody waits)", nil,
		with(map[int]any{200: TicketCall{}, 204: nil})), officer, desk, mapped(q.apiCallNext))
	api.Post("/backoffice/booths/:booth/recall", op("Call the booth's current ticket again (at most 3 times)", nil,
		with(map[int]any{200: TicketCall{}, 409: nil})), officer, desk, mapped(q.apiRecall))
	api.Post("/backoffice/booths/:booth/no-show", op("Mark the booth's current ticket as not present", nil,
		with(map[int]any{200: ticketActionResponse{}, 409: nil})), officer, desk, mapped(q.apiFinish("no_show")))
	api.Post("/backoffice/booths/:booth/complete", op("Mark the booth's current ticket as served", nil,
		with(map[int]any{200: ticketActionResponse{}, 409: nil})), officer, desk, mapped(q.apiFinish("done")))
	api.Post("/backoffice/booths/:booth/transfer", op("Send the booth's current ticket to another booth and/or service", transferRequest{},
		with(map[int]any{200: ticketActionResponse{}, 409: nil, 422: nil})), officer, desk, mapped(q.apiTransfer))
	api.Get("/backoffice/booths", op("The office's booths", nil, with(map[int]any{200: boothsResponse{}})), officer, mapped(q.apiBooths))
	api.Put("/backoffice/booths/:booth", op("Create or reconfigure a booth", Booth{},
		with(map[int]any{200: Booth{}, 422: nil})), officer, admin, mapped(q.apiSetBooth))
	api.Put("/backoffice/running-text", op("Set the office's running-text message for displays", runningTextRequest{},
		with(map[int]any{200: runningTextRequest{}, 422: nil})), officer, auth.RequireRole(TextRoles...), mapped(q.apiRunningText))
}

// OfficerActor is how audit entries name an officer.
func OfficerActor(p auth.Principal) string { return "officer:" + p.Subject }

func boothParam(c fiber.Ctx) (int, error) {
	n, err := strconv.Atoi(c.Params("booth"))
	if err != nil || n < 1 || n > 999 {
		return 0, ErrBoothNotFound
	}
	return n, nil
}

func (q *Service) apiCallNext(c fiber.Ctx) error {
	booth, err := boothParam(c)
	if err != nil {
		return err
	}
	p := auth.Get(c)
	call, ok, err := q.CallNext(c.Context(), p.Office, booth, OfficerActor(p))
	if err != nil {
		return err
	}
	if !ok {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.JSON(call)
}

func (q *Service) apiRecall(c fiber.Ctx) error {
	booth, err := boothParam(c)
	if err != nil {
		return err
	}
	p := auth.Get(c)
	call, err := q.Recall(c.Context(), p.Office, booth, OfficerActor(p))
	if err != nil {
		return err
	}
	return c.JSON(call)
}

func (q *Service) apiFinish(status string) fiber.Handler {
	return func(c fiber.Ctx) error {
		booth, err := boothParam(c)
		if err != nil {
			return err
		}
		p := auth.Get(c)
		number, err := q.Finish(c.Context(), p.Office, booth, status, OfficerActor(p))
		if err != nil {
			return err
		}
		return c.JSON(ticketActionResponse{Ticket: number, Status: status})
	}
}

func (q *Service) apiTransfer(c fiber.Ctx) error {
	booth, err := boothParam(c)
	if err != nil {
		return err
	}
	var req transferRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	p := auth.Get(c)
	number, err := q.Transfer(c.Context(), p.Office, booth, req.Booth, req.Service, OfficerActor(p))
	if err != nil {
		return err
	}
	return c.JSON(ticketActionResponse{Ticket: number, Status: "waiting"})
}

func (q *Service) apiBooths(c fiber.Ctx) error {
	booths, err := q.Booths(c.Context(), auth.Get(c).Office)
	if err != nil {
		return err
	}
	return c.JSON(boothsResponse{Booths: booths})
}

func (q *Service) apiSetBooth(c fiber.Ctx) error {
	booth, err := boothParam(c)
	if err != nil {
		return err
	}
	var b Booth
	if err := httpx.BindJSON(c, &b); err != nil {
		return err
	}
	b.Number = booth
	p := auth.Get(c)
	if err := q.SetBooth(c.Context(), p.Office, b, OfficerActor(p)); err != nil {
		return err
	}
	return c.JSON(b)
}

func (q *Service) apiRunningText(c fiber.Ctx) error {
	var req runningTextRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		return err
	}
	p := auth.Get(c)
	if err := q.SetRunningText(c.Context(), p.Office, req.Text, OfficerActor(p)); err != nil {
		return err
	}
	return c.JSON(req)
}
