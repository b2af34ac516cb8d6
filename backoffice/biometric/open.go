package biometric

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sppt/sppt/internal/clock"
	"github.com/sppt/sppt/internal/config"
	"github.com/sppt/sppt/internal/sealed"
)

// Open makes the configured ABIS and its Matcher. The builtin driver loads
// every template before it returns (a search of a half-loaded index would
// miss duplicates) and follows the table until ctx ends.
func Open(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, box *sealed.Box, clk clock.Clock, log *slog.Logger) (Matcher, error) {
	m := Matcher{Threshold: cfg.FaceMatchThreshold}
	if cfg.ABISDriver == "http" {
		h, err := NewHTTP(cfg.ABISURL, DefaultTimeout)
		m.ABIS = h
		return m, err
	}
	b := NewBuiltin(pool, box, clk, log)
	m.ABIS = b
	return m, b.Start(ctx)
}
