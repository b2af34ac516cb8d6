// Command sppt is SPPT's one binary: the server, its workers and scheduler,
// and the operator commands of CONTRACT.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

type command struct {
	name, usage string
	run         func(ctx context.Context, args []string) error
}

var commands = []command{
	{"serve", "serve [--migrate] [--roles http,workers,scheduler]   run the HTTP server, job workers and scheduler", cmdServe},
	{"dev", "dev   find or start PostgreSQL, migrate, seed demo data and serve (what `make run` does)", cmdDev},
	{"migrate", "migrate   apply migrations and exit", cmdMigrate},
	{"seed", "seed [--demo]   reference data; --demo adds demo officers, devices and quota", cmdSeed},
	{"officer", "officer add --office JKS --username U --password P --roles desk,adjudicator", cmdOfficer},
	{"device", "device add --office JKS --kind kiosk|display|booth|biometric|printer --name NAME; device revoke --office JKS --id UUID", cmdDevice},
	{"quota", "quota set --office JKS --date YYYY-MM-DD --online N --walkin M [--priority P]", cmdQuota},
	{"office", officeUsage, cmdOffice},
	{"holidays", "holidays import --file holidays.csv   rows day,kind(national|collective_leave|office),name[,office]", cmdHolidays},
	{"broadcast", "broadcast quota [--office JKS]   send the daily quota broadcast now", cmdBroadcast},
	{"token", "token citizen --phone +628…   print a citizen token", cmdToken},
	{"audit", "audit verify|anchor   check every office's audit chain against its signed checkpoints | sign the heads now", cmdAudit},
	{"blanks", "blanks receive --office JKS --type ordinary_24|ordinary_48|electronic_48 --first A0000001 --count N | report --office JKS", cmdBlanks},
	{"simulate", "simulate officeday --url URL --office JKS --applicants N [--seed S] [--spread]   an office day through the running server's API", cmdSimulate},
	{"watchlist", "watchlist import --file F.csv | check --name \"FULL NAME\" --birth-date YYYY-MM-DD [--nik NIK]", cmdWatchlist},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	for _, c := range commands {
		if c.name == os.Args[1] {
			if err := c.run(ctx, os.Args[2:]); err != nil {
				fmt.Fprintln(os.Stderr, "sppt "+c.name+":", err)
				os.Exit(1)
			}
			return
		}
	}
	usage()
	os.Exit(2)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: sppt <command> [flags]")
	for _, c := range commands {
		fmt.Fprintln(os.Stderr, "  sppt "+c.usage)
	}
}
