package sms

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/frontend"
	"github.com/sppt/sppt/internal/civil"
	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/i18n"
)

// Service is the citizen-facing messaging: inbound keyword queries,
// subscriptions, broadcasts and notifications. What it needs from other
// domains it asks through the small interfaces below, which cmd/sppt wires.
type Service struct {
	Pool    *pgxpool.Pool
	Clock   clock.Clock
	Outbox  *Outbox
	Catalog *i18n.Catalog
	Log     *slog.Logger
	Pages   *frontend.Renderer // the backoffice SMS page

	// AuthToken (TWILIO_AUTH_TOKEN) signs Twilio's webhooks; when empty every
	// webhook is refused, since none can be verified.
	AuthToken string
	// PublicBaseURL is the URL Twilio calls (its signatures cover it).
	PublicBaseURL string

	Offices OfficeReader
	Quota   QuotaReader
	Queue   QueueReader
	Status  StatusReader

	quotas  quotaCache  // KUOTA replies' seat counts, for a second
	senders senderCache // parsed From numbers
}

// Office is what messages say about an office.
type Office struct {
	Code     string
	Name     string
	Location *time.Location
	Opens    string // "08:00", office time
}

// OfficeReader finds offices.
type OfficeReader interface {
	Office(ctx context.Context, code string) (Office, bool, error)
	Offices(ctx context.Context) ([]Office, error)
}

// DayQuota is one office-day's seats. Known is false when no quota exists
// for the day (not released yet, or no capacity set).
type DayQuota struct {
	Known           bool
	Open            bool // the office serves that day
	OnlineCapacity  int
	OnlineRemaining int
	WalkinCapacity  int
	WalkinRemaining int
}

// QuotaReader reads a day's quota; day is the office's calendar day as
// midnight UTC.
type QuotaReader interface {
	DayQuota(ctx context.Context, office string, day time.Time) (DayQuota, error)
}

// QueueStatus is what ANTRIAN answers: the tickets being served and how many wait.
type QueueStatus struct {
	Serving []string // "A012", …
	Waiting int
	// NewWaitMin is the expected wait of a "new" number issued now; -1
	// when the queue cannot forecast it.
	NewWaitMin int
}

// TicketWait is the forecast for one waiting number.
type TicketWait struct {
	Ahead, Minutes int
	CallAt         time.Time
}

// QueueReader reads an office's queue now.
type QueueReader interface {
	Serving(ctx context.Context, office string) (QueueStatus, error)
	// Wait is a waiting number's forecast; ok is false when it is not waiting today.
	Wait(ctx context.Context, office, ticket string) (w TicketWait, ok bool, err error)
}

// StatusReader reads an application's stage, only for the phone registered
// on it: ok is false for an unknown number and for another phone alike.
type StatusReader interface {
	Stage(ctx context.Context, applicationNo, phone string) (stage string, ok bool, err error)
}

// maxOfficeLabel bounds an office's name in a message so every template
// stays within one GSM-7 segment.
const maxOfficeLabel = 30

// OfficeLabel is the short name messages use: "Kantor Imigrasi Kelas I Khusus
// Non TPI Jakarta Selatan" → "Kanim Jakarta Selatan", at most 30 characters.
func OfficeLabel(name string) string {
	drop := map[string]bool{"kantor": true, "imigrasi": true, "kelas": true, "i": true, "ii": true, "iii": true,
		"khusus": true, "non": true, "tpi": true}
	words := strings.Fields(name)
	i := 0
	for i < len(words) && drop[strings.ToLower(words[i])] {
		i++
	}
	label := "Kanim " + strings.Join(words[i:], " ")
	if i == len(words) {
		label = name
	}
	label = GSMSafe(label)
	if utf8.RuneCountInString(label) > maxOfficeLabel {
		label = string([]rune(label)[:maxOfficeLabel])
	}
	return strings.TrimSpace(label)
}

// GSMSafe replaces characters outside GSM-7 with look-alikes (curly quotes,
// dashes, accented letters) or drops them, so a single stray character
// never turns a 160-character message into three UCS-2 segments.
func GSMSafe(s string) string {
	if Encoding(s) == GSM7 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case gsm7Septets[r] > 0:
			b.WriteRune(r)
		case r == '‘' || r == '’' || r == '`' || r == '´':
			b.WriteByte('\'')
		case r == '“' || r == '”':
			b.WriteByte('"')
		case r == '–' || r == '—':
			b.WriteByte('-')
		case r == '\t' || r == '\u00a0':
			b.WriteByte(' ')
		default:
			if a, ok := asciiFold[r]; ok {
				b.WriteRune(a)
			}
		}
	}
	return b.String()
}

var asciiFold = map[rune]rune{'á': 'a', 'â': 'a', 'ã': 'a', 'ç': 'c', 'ê': 'e', 'ë': 'e', 'í': 'i', 'î': 'i', 'ï': 'i',
	'ó': 'o', 'ô': 'o', 'õ': 'o', 'ú': 'u', 'û': 'u', 'Á': 'A', 'Â': 'A', 'È': 'E', 'Ê': 'E', 'Í': 'I', 'Ó': 'O', 'Ú': 'U'}

// text renders a message from the locale file, GSM-7 safe.
func (s *Service) text(lang, key string, params ...any) string {
	return GSMSafe(s.Catalog.T(lang, key, params...))
}

// dateText is how messages write a calendar day: 15-06-2026.
func dateText(day time.Time) string { return day.Format("02-01-2006") }

// officeDay is the office's calendar day containing t, as midnight UTC.
func officeDay(o Office, t time.Time) time.Time {
	return civil.Day(t, o.Location)
}
