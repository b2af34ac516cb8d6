package civil

import "time"

// Ticket is an issued queue number, as the queue issues it and the kiosk
// prints it (CONTRACT.md's kiosk response).
type Ticket struct {
	ID            int64     `json:"-"`
	Number        string    `json:"ticket"`
	Service       string    `json:"service"`
	Office        string    `json:"office"`
	Date          string    `json:"date"`
	IssuedAt      time.Time `json:"issued_at"`
	WaitingAhead  int       `json:"waiting_ahead"`
	ApplicationNo string    `json:"application_no,omitempty"`
	Walkin        bool      `json:"walkin"`
	// The forecast when the ticket was issued (or read): see
	// backoffice/queue/wait.go. Nil when no booth serves its group.
	ExpectedWaitMin *int       `json:"expected_wait_min,omitempty"`
	ExpectedCallAt  *time.Time `json:"expected_call_at,omitempty"`
}
