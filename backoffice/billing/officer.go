package billing

import (
	"errors"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
)

// CashierRoles may confirm payments at the desk.
var CashierRoles = []string{"cashier"}

// BillReaderRoles may look a bill up: the cashier, and the office head who
// answers for the office's revenue.
var BillReaderRoles = []string{"cashier", "validator", "admin"}

type cashierRequest struct {
	Amount    int64  `json:"amount"`
	ReceiptNo string `json:"receipt_no"`
}

// officerRoutes registers the cashier's API (for the cashier page).
func (s *Service) officerRoutes(api httpx.API) {
	officer := auth.Require(s.Tokens, auth.Officer)
	op := func(summary string, body any, ok any) httpx.Op {
		return httpx.Op{Summary: summary, Tag: "billing", Auth: auth.Officer, Body: body,
			Responses: map[int]any{200: ok, 401: nil, 403: nil, 404: nil, 409: nil, 422: nil}}
	}
	api.Get("/backoffice/bills/:billing_code", op("A bill of the officer's office, by billing code", nil, Bill{}),
		officer, auth.RequireRole(BillReaderRoles...), s.apiBill)
	api.Post("/backoffice/bills/:billing_code/cashier-payment", op("Confirm a bill paid at the cashier, with the receipt number "+
		"(the same receipt again returns the bill; another is 409 bill_already_paid)", cashierRequest{}, Bill{}),
		officer, auth.RequireRole(CashierRoles...), s.apiCashierPaid)
}

func (s *Service) apiBill(c fiber.Ctx) error {
	p := auth.Get(c)
	b, err := scanBill(s.Pool.QueryRow(c.Context(), `SELECT `+billColumns+` FROM bills WHERE billing_code = $1 AND office = $2`,
		c.Params("billing_code"), p.Office))
	if errors.Is(err, pgx.ErrNoRows) {
		return httpx.New(404, "bill_not_found")
	}
	if err != nil {
		return err
	}
	return c.JSON(b)
}

func (s *Service) apiCashierPaid(c fiber.Ctx) error {
	var in cashierRequest
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	p := auth.Get(c)
	b, err := s.CashierPaid(c.Context(), CashierPayment{BillingCode: c.Params("billing_code"), Amount: in.Amount,
		ReceiptNo: in.ReceiptNo, Officer: "officer:" + p.Subject, Office: p.Office})
	if err != nil {
		return err
	}
	return c.JSON(b)
}
