package printing

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/httpx"
)

// Record is a passport as officers read it (CONTRACT.md's Pipeline).
type Record struct {
	PassportNo    string    `json:"passport_no"`
	ApplicationNo *string   `json:"application_no"`
	Status        string    `json:"status"`
	IssuedAt      time.Time `json:"issued_at"`
	ExpiresOn     string    `json:"expires_on"`
	MRZ           []string  `json:"mrz"`
	Serial        *string   `json:"serial,omitempty"`
	BookType      string    `json:"book_type"`
}

// Routes registers the officers' passport record and blank stock API.
func (s *Service) Routes(api httpx.API) {
	officer := auth.Require(s.Tokens, auth.Officer)
	api.Get("/backoffice/passports/:passport_no", httpx.Op{Summary: "One passport of the office's register: status, " +
		"issue and expiry, and the data page's two ICAO 9303 TD3 MRZ lines", Tag: "printing", Auth: auth.Officer,
		Responses: map[int]any{200: Record{}, 401: nil, 404: nil}}, officer, s.apiPassport)
	api.Get("/backoffice/blanks", httpx.Op{Summary: "The office's blank booklets per book type: in stock, waiting jobs, " +
		"use per day and days left (the capacity planner's inputs)", Tag: "printing", Auth: auth.Officer,
		Responses: map[int]any{200: stockResponse{}, 401: nil, 403: nil}}, officer, auth.RequireRole(PageRoles...), s.apiStock)
}

type stockResponse struct {
	Office string  `json:"office"`
	Date   string  `json:"date"`
	Stock  []Stock `json:"stock"`
}

func (s *Service) apiPassport(c fiber.Ctx) error {
	p := auth.Get(c)
	r, err := s.Record(c.Context(), p.Office, p.Region, strings.ToUpper(c.Params("passport_no")))
	if errors.Is(err, ErrNotFound) {
		return httpx.New(http.StatusNotFound, "passport_not_found")
	}
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *Service) apiStock(c fiber.Ctx) error {
	office := auth.Get(c).Office
	day, err := officeDay(c.Context(), s.Pool, office, s.Clock.Now())
	if err != nil {
		return err
	}
	st, err := s.Ledger.Stocks(c.Context(), office, day)
	if err != nil {
		return err
	}
	return c.JSON(stockResponse{Office: office, Date: civil.Date(day), Stock: st})
}

// Record is one passport within an officer's office (or region); another
// office's passport is ErrNotFound.
func (s *Service) Record(ctx context.Context, office, region, no string) (Record, error) {
	var r Record
	var issuedOn, expires time.Time
	var issuedAt *time.Time
	err := s.Pool.QueryRow(ctx, `SELECT p.passport_no, p.application_no, p.status, p.issued_on, p.issued_at, p.expires_on,
			coalesce(p.mrz, '{}'), p.serial, p.book_type
		FROM passports p JOIN offices o ON o.code = p.office
		WHERE p.passport_no = $1 AND ($2 = '' OR p.office = $2) AND ($3 = '' OR o.region = $3)`, no, office, region).
		Scan(&r.PassportNo, &r.ApplicationNo, &r.Status, &issuedOn, &issuedAt, &expires, &r.MRZ, &r.Serial, &r.BookType)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	r.IssuedAt, r.ExpiresOn = issuedOn, civil.Date(expires)
	if issuedAt != nil {
		r.IssuedAt = *issuedAt
	}
	return r, err
}
