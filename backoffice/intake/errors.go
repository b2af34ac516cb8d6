package intake

import (
	"errors"
	"net/http"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/httpx"
)

// ErrNotHandedOver is a receipt asked for before the hand-over.
var ErrNotHandedOver = errors.New("intake: not handed over yet")

// HTTPError is err as the desk's API and pages answer it.
func HTTPError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNoRecord):
		return httpx.New(http.StatusNotFound, "intake_not_taken_in")
	case errors.Is(err, ErrNoTicket):
		return httpx.New(http.StatusConflict, "no_current_ticket")
	case errors.Is(err, ErrNotHandedOver):
		return httpx.New(http.StatusConflict, "intake_not_handed_over")
	case errors.Is(err, ErrNoScan):
		return httpx.New(http.StatusNotFound, "scan_not_found")
	}
	return application.HTTPError(err)
}
