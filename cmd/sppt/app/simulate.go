package app

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/sppt/sppt/backoffice/billing"
	"github.com/sppt/sppt/backoffice/printing"
	"github.com/sppt/sppt/backoffice/queue"
	"github.com/sppt/sppt/cmd/sppt/officeday"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/quota"
	"github.com/sppt/sppt/sms"
)

// Simulator is what `sppt simulate officeday` does as an operator with the
// deployment's database (officeday.Operator), through the services that
// own each table.
func (a *App) Simulator() officeday.Operator { return simOperator{a} }

type simOperator struct{ a *App }

const simActor = "system:simulate"

func (s simOperator) Office(ctx context.Context, code string) (*time.Location, time.Duration, time.Duration, error) {
	o, err := quota.GetOffice(ctx, s.a.Pool, code)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("office %s: %w", code, err)
	}
	opens, err1 := clockTime(o.Opens)
	closes, err2 := clockTime(o.Closes)
	return o.Location(), opens, closes, errors.Join(err1, err2)
}

func (s simOperator) OpenDay(ctx context.Context, office string, day time.Time, online, walkin int) error {
	_, err := s.a.Quota.SetDay(ctx, office, day, online, walkin, nil, simActor)
	return err
}

// Booths makes 1…desks One Stop Service booths and the next counters
// pickup counters.
func (s simOperator) Booths(ctx context.Context, office string, desks, counters int) ([]int, []int, error) {
	var desk, pickup []int
	for n := 1; n <= desks+counters; n++ {
		b := queue.Booth{Number: n, Name: fmt.Sprintf("Loket %d", n), Services: civil.OSSBoothServices}
		if n > desks {
			b.Name, b.Services = fmt.Sprintf("Loket %d (pengambilan)", n), civil.PickupBoothServices
			pickup = append(pickup, n)
		} else {
			desk = append(desk, n)
		}
		if err := s.a.Queue.SetBooth(ctx, office, b, simActor); err != nil {
			return nil, nil, fmt.Errorf("booth %d: %w", n, err)
		}
	}
	return desk, pickup, nil
}

func (s simOperator) Device(ctx context.Context, office, kind, name string) (string, error) {
	_, tok, err := s.a.Devices.Add(ctx, office, kind, name, simActor, s.a.Clock.Now())
	return tok, err
}

// ReceiveBlanks picks a free run of serials under the letter S.
func (s simOperator) ReceiveBlanks(ctx context.Context, office, bookType string, count int) (string, error) {
	var err error
	for range 20 {
		first := fmt.Sprintf("S%07d", 1+rand.IntN(9_000_000))
		if _, err = s.a.Ledger.Receive(ctx, office, bookType, first, count, simActor, s.a.Clock.Now()); err == nil {
			return first, nil
		}
		if be := (*printing.BatchError)(nil); !errors.As(err, &be) || be.Field != "first" {
			return "", err
		}
	}
	return "", err
}

func (s simOperator) BookType() string { return s.a.Printing.BookTypeUsed() }

func (s simOperator) CitizenToken(phone string) (string, error) {
	tok, _, err := s.a.Tokens.MintCitizen(phone)
	return tok, err
}

func (s simOperator) Messages(ctx context.Context, after int64) ([]officeday.Message, error) {
	ms, err := sms.Since(ctx, s.a.Pool, after, 1000)
	out := make([]officeday.Message, len(ms))
	for i, m := range ms {
		out[i] = officeday.Message{ID: m.ID, Phone: m.Phone, Kind: m.Kind, Body: m.Body}
	}
	return out, err
}

// SignBank is "" without BANK_CALLBACK_SECRET: everyone pays at the cashier.
func (s simOperator) SignBank(body []byte, at time.Time) string {
	if s.a.Cfg.BankCallbackSecret == "" {
		return ""
	}
	return billing.Sign([]byte(s.a.Cfg.BankCallbackSecret), body, at)
}

func (s simOperator) Officer(office, role string) (string, string) {
	return strings.ToLower(office) + "." + role, DemoPassword
}

func (s simOperator) BlanksUnaccounted(ctx context.Context, office string) (int, error) {
	total, _, err := s.a.Ledger.Report(ctx, office)
	return total.Unaccounted, err
}

func (s simOperator) AuditOK(ctx context.Context) (bool, error) {
	r, err := audit.Verify(ctx, s.a.Pool)
	if s.a.Audit != nil {
		r, err = s.a.Audit.Verify(ctx, s.a.Pool)
	}
	return err == nil && len(r.Breaks) == 0, err
}
