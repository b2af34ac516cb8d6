package portal

import (
	"context"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v3"

	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/httpx"
	"github.com/sppt/sppt/quota"
)

// DocumentScan is one document the citizen uploaded for a booking.
type DocumentScan struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

// Documents keeps the citizen's own document scans, uploaded before arrival
// so the OSS desk has them; cmd/sppt wires the desk's scan store (which
// checks type, size and checksum and seals the content). Errors it returns
// are *httpx.Error for the citizen.
type Documents interface {
	Upload(ctx context.Context, bookingID int64, office, kind string, data []byte, sha256, actor string) (DocumentScan, error)
}

type documentBody struct {
	Kind   string `json:"kind"`   // ktp, family_card, birth_certificate, old_passport, police_report, splp, supporting, other
	Data   string `json:"data"`   // the file, base64: PDF, JPEG or PNG
	SHA256 string `json:"sha256"` // optional: hex SHA-256 of the file, checked
}

func (s *Service) documentRoutes(api httpx.API) {
	api.Post("/bookings/:code/documents", httpx.Op{Summary: "Upload a document scan for one of my bookings before arrival " +
		"(PDF, JPEG or PNG by its bytes, at most 700 KiB; sha256 checked when given)", Tag: "citizen", Auth: auth.Citizen,
		Body: documentBody{}, Responses: map[int]any{201: DocumentScan{}, 401: nil, 404: nil, 409: nil, 422: nil, 503: nil}},
		auth.Require(s.Tokens, auth.Citizen), s.postDocument)
}

func (s *Service) postDocument(c fiber.Ctx) error {
	if s.Documents == nil {
		return httpx.New(http.StatusServiceUnavailable, "unavailable")
	}
	var in documentBody
	if err := httpx.BindJSON(c, &in); err != nil {
		return err
	}
	b, err := s.ownBooking(c.Context(), phoneOf(c), c.Params("code"))
	if err != nil {
		return err
	}
	if b.Status != quota.StatusBooked {
		return httpx.New(http.StatusConflict, "documents_closed")
	}
	data, err := base64.StdEncoding.DecodeString(in.Data)
	if err != nil {
		return httpx.Invalid().Field("data", "portal.documents.base64")
	}
	d, err := s.Documents.Upload(c.Context(), b.ID, b.Office, in.Kind, data, in.SHA256, "citizen:booking:"+b.Code)
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(d)
}
