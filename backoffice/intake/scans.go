package intake

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sppt/sppt/backoffice/application"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/httpx"
)

// MaxScan is the largest scan accepted: a document page scanned at
// 150–200 dpi as JPEG, or a short PDF. It keeps a scan, base64 in JSON or
// in a multipart form, inside the server's 1 MiB request limit.
const MaxScan = 700 << 10

// ErrNoScan is a scan that is not the application's.
var ErrNoScan = errors.New("intake: no such scan")

// Scan is one stored document scan (its content stays sealed).
type Scan struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	SHA256      string    `json:"sha256"`
	Source      string    `json:"source"` // desk or portal
	UploadedAt  time.Time `json:"uploaded_at"`
}

// sniff is the scan's type from its first bytes: what a file says it is
// (a name, a header) is not trusted.
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}):
		return "image/png"
	}
	return ""
}

// Validate checks a scan before it is stored: its kind, its size, its type
// by magic bytes (PDF, JPEG or PNG) and, when the sender gave one, its
// SHA-256 checksum. It returns the type and the checksum.
func Validate(kind string, data []byte, sum string) (contentType, digest string, err error) {
	bad := httpx.Invalid()
	if !slices.Contains(ScanKinds, kind) {
		bad.Field("kind", "intake.field.scan_kind")
	}
	switch {
	case len(data) == 0:
		bad.Field("file", "intake.field.scan_empty")
	case len(data) > MaxScan:
		bad.Field("file", "intake.field.scan_size", "max", strconv.Itoa(MaxScan>>10))
	default:
		if contentType = sniff(data); contentType == "" {
			bad.Field("file", "intake.field.scan_type")
		}
	}
	h := sha256.Sum256(data)
	digest = hex.EncodeToString(h[:])
	if sum = strings.ToLower(strings.TrimSpace(sum)); sum != "" && sum != digest {
		bad.Field("sha256", "intake.field.scan_checksum")
	}
	return contentType, digest, bad.OrNil()
}

func scanAAD(owner, digest string) []byte { return []byte("intake_scans:" + owner + ":" + digest) }

// AddScan stores a scan the desk made of an application's document.
func (s *Service) AddScan(ctx context.Context, actor application.Actor, no, kind string, data []byte, sum string) (Scan, error) {
	if s.Box == nil {
		return Scan{}, httpx.New(http.StatusServiceUnavailable, "scans_unavailable")
	}
	a, err := s.Apps.InOffice(ctx, actor.Office, no)
	if err != nil {
		return Scan{}, err
	}
	ct, digest, err := Validate(kind, data, sum)
	if err != nil {
		return Scan{}, err
	}
	return s.insertScan(ctx, a.Office, &no, nil, kind, ct, digest, "desk", actor.String(), s.Box.Seal(data, scanAAD(no, digest)), len(data))
}

// AddCitizenScan stores the citizen's own upload for a booking, before
// arrival; the desk finds it through the application's booking.
func (s *Service) AddCitizenScan(ctx context.Context, bookingID int64, office, kind string, data []byte, sum, actor string) (Scan, error) {
	if s.Box == nil {
		return Scan{}, httpx.New(http.StatusServiceUnavailable, "scans_unavailable")
	}
	ct, digest, err := Validate(kind, data, sum)
	if err != nil {
		return Scan{}, err
	}
	owner := "booking:" + strconv.FormatInt(bookingID, 10)
	return s.insertScan(ctx, office, nil, &bookingID, kind, ct, digest, "portal", actor, s.Box.Seal(data, scanAAD(owner, digest)), len(data))
}

func (s *Service) insertScan(ctx context.Context, office string, no *string, booking *int64, kind, ct, digest, source, actor string,
	sealed []byte, size int) (Scan, error) {
	now := s.Clock.Now()
	sc := Scan{Kind: kind, ContentType: ct, Size: size, SHA256: digest, Source: source, UploadedAt: now}
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO intake_scans (application_no, booking_id, office, kind, content_type, size, sha256,
			sealed, source, uploaded_at, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			no, booking, office, kind, ct, size, digest, sealed, source, now, actor).Scan(&sc.ID); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: office, At: now, Actor: actor, Action: "intake.scan.add",
			Subject: "scan:" + strconv.FormatInt(sc.ID, 10), Data: map[string]any{"kind": kind, "size": size, "sha256": digest, "source": source}})
	})
	return sc, err
}

const scanOwned = `FROM intake_scans s JOIN applications a ON a.office = s.office
	AND (s.application_no = a.application_no OR (s.application_no IS NULL AND s.booking_id = a.booking_id))
	WHERE a.application_no = $1 AND a.office = $2`

// Scans lists an application's scans, the citizen's own uploads included.
func (s *Service) Scans(ctx context.Context, office, no string) ([]Scan, error) {
	rows, err := s.Pool.Query(ctx, `SELECT s.id, s.kind, s.content_type, s.size, s.sha256, s.source, s.uploaded_at `+scanOwned+
		` ORDER BY s.id`, no, office)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Scan, error) {
		var x Scan
		err := r.Scan(&x.ID, &x.Kind, &x.ContentType, &x.Size, &x.SHA256, &x.Source, &x.UploadedAt)
		return x, err
	})
}

// ReadScan opens one of an application's scans for an officer; the read
// is audited in the same transaction, so no content leaves unrecorded.
func (s *Service) ReadScan(ctx context.Context, actor application.Actor, no string, id int64) ([]byte, Scan, error) {
	if s.Box == nil {
		return nil, Scan{}, httpx.New(http.StatusServiceUnavailable, "scans_unavailable")
	}
	var sc Scan
	var data []byte
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var sealed []byte
		var appNo *string
		var booking *int64
		err := tx.QueryRow(ctx, `SELECT s.id, s.kind, s.content_type, s.size, s.sha256, s.source, s.uploaded_at, s.sealed,
			s.application_no, s.booking_id `+scanOwned+` AND s.id = $3`, no, actor.Office, id).
			Scan(&sc.ID, &sc.Kind, &sc.ContentType, &sc.Size, &sc.SHA256, &sc.Source, &sc.UploadedAt, &sealed, &appNo, &booking)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNoScan
		}
		if err != nil {
			return err
		}
		owner := no
		if appNo == nil && booking != nil {
			owner = "booking:" + strconv.FormatInt(*booking, 10)
		}
		if data, err = s.Box.Open(sealed, scanAAD(owner, sc.SHA256)); err != nil {
			return err
		}
		return audit.Append(ctx, tx, audit.Entry{Office: actor.Office, At: s.Clock.Now(), Actor: actor.String(),
			Action: "intake.scan.read", Subject: "scan:" + strconv.FormatInt(id, 10), Data: map[string]any{"application_no": no}})
	})
	return data, sc, err
}
