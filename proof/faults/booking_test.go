package faults

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/clock"
)

// applicant is one citizen of a crowd, signed in.
type applicant struct {
	nik, birth, phone, token string
}

// crowd makes n applicants numbered from first, with tokens minted at now
// (the processes' SPPT_NOW: a token is never issued in their future).
func crowd(t testing.TB, first, n int, now time.Time) []applicant {
	t.Helper()
	tokens := auth.NewTokens([]byte(jwtSecret), clock.NewFake(now))
	out := make([]applicant, n)
	for k := range out {
		i := first + k
		birth := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/9000)
		a := applicant{nik: fmt.Sprintf("317401%s%04d", birth.Format("020106"), i%9000+1),
			birth: birth.Format(time.DateOnly), phone: fmt.Sprintf("+62813%07d", i)}
		tok, _, err := tokens.MintCitizen(a.phone)
		if err != nil {
			t.Fatal(err)
		}
		a.token = tok
		out[k] = a
	}
	return out
}

// answer is what one booking request got: a status, or a transport error
// (status 0) when the instance went away before answering.
type answer struct {
	status     int
	code       string // the error code, or "" on success
	booking    string // the booking code of a 201, or the one a 409 active_booking_exists names
	retryAfter string
	shaped     bool // the body is {"error":{"code":…,"message":…}} (or a booking on 201)
	err        error
}

type errorBody struct {
	Error *struct {
		Code        *string `json:"code"`
		Message     *string `json:"message"`
		BookingCode string  `json:"booking_code"`
	} `json:"error"`
}

// book posts one booking for a to the instance at base.
func book(c *http.Client, base string, a applicant, office, date string) answer {
	body, _ := json.Marshal(map[string]string{"office": office, "date": date, "service": "new", "nik": a.nik,
		"full_name": "Pemohon Uji", "birth_date": a.birth, "sex": "M"})
	req, _ := http.NewRequest("POST", base+"/api/v1/bookings", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+a.token)
	resp, err := c.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{err: err} // cut mid-answer: as good as no answer
	}
	ans := answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After")}
	if resp.StatusCode == 201 {
		var b struct {
			Code string `json:"booking_code"`
		}
		ans.shaped = json.Unmarshal(raw, &b) == nil && b.Code != ""
		ans.booking = b.Code
		return ans
	}
	var e errorBody
	if json.Unmarshal(raw, &e) == nil && e.Error != nil && e.Error.Code != nil && e.Error.Message != nil {
		ans.shaped, ans.code, ans.booking = true, *e.Error.Code, e.Error.BookingCode
	}
	return ans
}
