package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sppt/sppt/backoffice/watchlist"
	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/internal/idn"
)

// cmdWatchlist is `sppt watchlist import|check` (CONTRACT.md, Commands).
func cmdWatchlist(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "check" {
		return cmdWatchlistCheck(ctx, args[1:])
	}
	args, err := sub(args, "import")
	if err != nil {
		return errors.New(`expected "import" or "check"`)
	}
	fs := flag.NewFlagSet("watchlist import", flag.ContinueOnError)
	file := fs.String("file", "", "CSV with the header "+strings.Join(watchlist.Columns, ","))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" {
		return errors.New("--file is required")
	}
	f, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	l, a, err := openWatchlist(ctx)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	res, err := l.Import(ctx, f, "cli", a.Clock.Now())
	if err != nil {
		return err
	}
	for _, r := range res.Refused {
		fmt.Printf("refused: line %d, %s: %s / %s\n", r.Line, r.Field,
			a.Catalog.T("id", r.Key, r.Params...), a.Catalog.T("en", r.Key, r.Params...))
	}
	fmt.Printf("added: lines %s\nupdated: lines %s\nunchanged: lines %s\n",
		lineRanges(res.Added), lineRanges(res.Updated), lineRanges(res.Unchanged))
	fmt.Printf("watchlist import: added=%d updated=%d unchanged=%d refused=%d\n",
		len(res.Added), len(res.Updated), len(res.Unchanged), len(res.Refused))
	if len(res.Refused) > 0 {
		return fmt.Errorf("%d line(s) refused: fix them and import the file again (the other lines are in)", len(res.Refused))
	}
	return nil
}

// cmdWatchlistCheck prints what the intake check would find today.
func cmdWatchlistCheck(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("watchlist check", flag.ContinueOnError)
	name := fs.String("name", "", "full name as on the application")
	birth := fs.String("birth-date", "", "YYYY-MM-DD")
	nik := fs.String("nik", "", "16 digits (optional)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if idn.WatchlistKey(*name) == "" {
		return errors.New("--name is required / --name wajib diisi")
	}
	b, err := time.Parse(time.DateOnly, *birth)
	if err != nil {
		return errors.New("--birth-date must be YYYY-MM-DD / --birth-date harus YYYY-MM-DD")
	}
	if *nik != "" {
		if _, err := idn.ParseNIKStructure(*nik); err != nil {
			return errors.New("--nik must be a valid 16-digit NIK / --nik harus NIK 16 digit yang sah")
		}
	}
	l, a, err := openWatchlist(ctx)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	// The list is national: its validity dates are read in Jakarta time.
	wib, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		return err
	}
	today := a.Clock.Now().In(wib)
	hits, err := l.Check(ctx, watchlist.Query{NIK: *nik, FullName: *name, BirthDate: b,
		On: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return err
	}
	for _, h := range hits {
		bd := "-"
		if h.HasBirth {
			bd = h.BirthDate.Format(time.DateOnly)
		}
		fmt.Printf("match score=%.2f kind=%s name=%q birth_date=%s\n", h.Score, h.Kind, h.FullName, bd)
	}
	fmt.Printf("watchlist: matches=%d\n", len(hits))
	return nil
}

func openWatchlist(ctx context.Context) (*watchlist.List, *app.App, error) {
	cfg, err := watchlist.ConfigFrom(os.Getenv)
	if err != nil {
		return nil, nil, err
	}
	a, err := open(ctx, false)
	if err != nil {
		return nil, nil, err
	}
	return watchlist.New(a.Pool, cfg), a, nil
}

// lineRanges writes sorted line numbers compactly: "2-4,9", or "-" for none.
func lineRanges(lines []int) string {
	if len(lines) == 0 {
		return "-"
	}
	var parts []string
	for i := 0; i < len(lines); {
		j := i
		for j+1 < len(lines) && lines[j+1] == lines[j]+1 {
			j++
		}
		p := strconv.Itoa(lines[i])
		if j > i {
			p += "-" + strconv.Itoa(lines[j])
		}
		parts = append(parts, p)
		i = j + 1
	}
	return strings.Join(parts, ",")
}
