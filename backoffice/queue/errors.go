package queue

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/httpx"
)

// HTTPError is err as the API, the booth screen and the kiosk answer it:
// the one place the queue's refusals become statuses and contract codes.
// Field errors (already *httpx.Error) and others pass unchanged.
func HTTPError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrOffice):
		return httpx.New(http.StatusNotFound, "queue_office_not_found")
	case errors.Is(err, ErrBoothNotFound):
		return httpx.New(http.StatusNotFound, "booth_not_found")
	case errors.Is(err, ErrNoCurrentTicket):
		return httpx.New(http.StatusConflict, "no_current_ticket")
	case errors.Is(err, ErrRecallLimit):
		return httpx.New(http.StatusConflict, "recall_limit", "max", MaxRecalls)
	}
	return err
}

// mapped is h with its error passed through HTTPError.
func mapped(h func(c fiber.Ctx) error) func(c fiber.Ctx) error {
	return func(c fiber.Ctx) error { return HTTPError(h(c)) }
}
