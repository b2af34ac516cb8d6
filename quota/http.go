package quota

import (
	"errors"
	"net/http"

	"github.com/sppt/sppt/internal/httpx"
)

// kioskErrors are the check-in and walk-in refusals an applicant sees at the
// kiosk, with their CONTRACT.md status and code.
var kioskErrors = []struct {
	err    error
	status int
	code   string
}{
	{ErrCheckinNotFound, http.StatusNotFound, "booking_not_found"},
	{ErrNIKMismatch, http.StatusUnprocessableEntity, "nik_mismatch"},
	{ErrWrongOffice, http.StatusUnprocessableEntity, "wrong_office"},
	{ErrWrongDay, http.StatusUnprocessableEntity, "wrong_day"},
	{ErrBookingNotActive, http.StatusConflict, "booking_not_active"},
	{ErrWalkinExhausted, http.StatusConflict, "walkin_quota_exhausted"},
}

// HTTPError is err as the kiosk answers it: the one place quota's check-in
// refusals become statuses and contract codes. Other errors pass unchanged.
func HTTPError(err error) error {
	for _, m := range kioskErrors {
		if errors.Is(err, m.err) {
			return httpx.New(m.status, m.code)
		}
	}
	return err
}
