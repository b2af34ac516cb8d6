package billing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/internal/httpx"
)

// CallbackPath is the bank's payment callback under /api/v1 (CONTRACT.md).
const CallbackPath = "/payments/callback"

// MaxCallbackBody bounds the callback: four short fields need far less.
const MaxCallbackBody = 4 << 10

// Callback is the bank's confirmation that a billing code was paid.
type Callback struct {
	BillingCode string    `json:"billing_code"`
	Amount      int64     `json:"amount"`
	PaidAt      time.Time `json:"paid_at"`
	Reference   string    `json:"reference"`
}

// CallbackAnswer is what the bank gets for a payment applied.
type CallbackAnswer struct {
	BillingCode string    `json:"billing_code"`
	Reference   string    `json:"reference"`
	Status      string    `json:"status"`
	PaidAt      time.Time `json:"paid_at"`
}

// Routes registers the bank callback and, with Tokens set, the cashier API.
func (s *Service) Routes(api httpx.API) {
	if s.Tokens != nil {
		s.officerRoutes(api)
	}
	api.Post(CallbackPath, httpx.Op{
		Summary: "Bank payment callback. Header " + SignatureHeader + `: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" ` +
			"keyed with BANK_CALLBACK_SECRET>, within 5 minutes. The same reference again gets the first answer.",
		Tag:  "billing",
		Body: Callback{},
		Responses: map[int]any{200: CallbackAnswer{}, 400: nil, 401: nil, 404: nil, 409: nil, 413: nil,
			422: nil},
	}, s.callback)
}

func (s *Service) callback(c fiber.Ctx) error {
	body := c.Body()
	if len(body) > MaxCallbackBody {
		return httpx.New(http.StatusRequestEntityTooLarge, "body_too_large")
	}
	now := s.Clock.Now()
	if err := VerifySignature(s.Secret, c.Get(SignatureHeader), body, now); err != nil {
		return err
	}
	in, err := ParseCallback(body, now)
	if err != nil {
		return err
	}
	a, err := s.BankPaid(c.Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

var (
	codeForm      = regexp.MustCompile(`^[0-9]{15}$`)
	referenceForm = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$`)
)

// MaxAmount bounds an amount to what a passport bill could ever be.
const MaxAmount = 1_000_000_000

// ParseCallback reads the body strictly: a JSON object with exactly the
// four fields, each of its type and form. Malformed JSON is 400; anything
// else wrong is 422 naming every bad field.
func ParseCallback(body []byte, now time.Time) (Callback, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return Callback{}, httpx.New(http.StatusBadRequest, "invalid_json")
	}
	var in Callback
	e := httpx.Invalid()
	for k := range raw {
		switch k {
		case "billing_code", "amount", "paid_at", "reference":
		default:
			e.Field(k, "billing.field.unknown")
		}
	}
	if str, ok := stringField(raw, "billing_code", e); ok {
		if codeForm.MatchString(str) {
			in.BillingCode = str
		} else {
			e.Field("billing_code", "billing.field.billing_code")
		}
	}
	if v, ok := raw["amount"]; !ok || isNull(v) {
		e.Field("amount", "field.required")
	} else if n, err := strconv.ParseInt(string(bytes.TrimSpace(v)), 10, 64); err != nil || n < 0 || n > MaxAmount {
		e.Field("amount", "billing.field.amount")
	} else {
		in.Amount = n
	}
	if str, ok := stringField(raw, "paid_at", e); ok {
		t, err := time.Parse(time.RFC3339, str)
		switch {
		case err != nil:
			e.Field("paid_at", "billing.field.paid_at")
		case t.After(now.Add(SignatureWindow)):
			e.Field("paid_at", "billing.field.paid_at_future")
		default:
			in.PaidAt = t
		}
	}
	if str, ok := stringField(raw, "reference", e); ok {
		if referenceForm.MatchString(str) {
			in.Reference = str
		} else {
			e.Field("reference", "billing.field.reference")
		}
	}
	return in, e.OrNil()
}

// stringField reads a required JSON string, adding the field's problem to e.
func stringField(raw map[string]json.RawMessage, name string, e *httpx.Error) (string, bool) {
	v, ok := raw[name]
	if !ok || isNull(v) {
		e.Field(name, "field.required")
		return "", false
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		e.Field(name, "billing.field.string")
		return "", false
	}
	if s == "" {
		e.Field(name, "field.required")
		return "", false
	}
	return s, true
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// stored is a remembered answer: the payment applied, or why it was refused.
type stored struct {
	Paid   *CallbackAnswer   `json:"paid,omitempty"`
	Code   string            `json:"code,omitempty"`
	Fields map[string]string `json:"fields,omitempty"` // field → message key
}

// BankPaid applies a verified callback once per reference. The first answer
// for a reference, success or refusal, is stored in the same transaction as
// the payment; the same reference again gets it back and changes nothing.
// Callbacks with one reference are serialised by an advisory lock on it, so
// concurrent resends wait for the first and then read its answer.
func (s *Service) BankPaid(ctx context.Context, in Callback) (CallbackAnswer, error) {
	var a CallbackAnswer
	var refusal error
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		a, refusal = CallbackAnswer{}, nil
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('payment_callback:' || $1, 0))`, in.Reference); err != nil {
			return err
		}
		var status int
		var st stored
		err := tx.QueryRow(ctx, `SELECT status, answer FROM payment_callbacks WHERE reference = $1`, in.Reference).Scan(&status, &st)
		if err == nil {
			a, refusal = st.replay(status)
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		b, err := s.pay(ctx, tx, payment{code: in.BillingCode, amount: in.Amount, paidAt: in.PaidAt, via: "bank",
			reference: in.Reference, actor: "bank"})
		var r *Refusal
		switch {
		case errors.As(err, &r):
			refusal, status, st = r, r.E.Status, stored{Code: r.E.Code, Fields: fieldKeys(r.E)}
		case err != nil:
			return err
		default:
			a = CallbackAnswer{BillingCode: b.BillingCode, Reference: in.Reference, Status: b.Status, PaidAt: b.PaidAt.UTC()}
			status, st = http.StatusOK, stored{Paid: &a}
		}
		_, err = tx.Exec(ctx, `INSERT INTO payment_callbacks (reference, billing_code, status, answer, received_at)
			VALUES ($1, $2, $3, $4, $5)`, in.Reference, in.BillingCode, status, st, s.Clock.Now())
		return err
	})
	if err != nil {
		return CallbackAnswer{}, err
	}
	if r, ok := refusal.(*Refusal); ok && s.Log != nil {
		// Refusals are what an operator reconciles with the bank; codes and
		// references identify no person.
		s.Log.Warn("bank callback refused", "code", r.E.Code, "billing_code", in.BillingCode, "reference", in.Reference)
	}
	return a, refusal
}

func fieldKeys(e *httpx.Error) map[string]string {
	if len(e.Fields) == 0 {
		return nil
	}
	m := make(map[string]string, len(e.Fields))
	for k, f := range e.Fields {
		m[k] = f.Key
	}
	return m
}

func (st stored) replay(status int) (CallbackAnswer, error) {
	if st.Paid != nil {
		return *st.Paid, nil
	}
	r := refuse(status, st.Code)
	for k, key := range st.Fields {
		r.E.Field(k, key)
	}
	return CallbackAnswer{}, r
}
