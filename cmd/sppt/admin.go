package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/sppt/sppt/backoffice/officer"
	"github.com/sppt/sppt/cmd/sppt/app"
	"github.com/sppt/sppt/internal/audit"
	"github.com/sppt/sppt/internal/auth"
	"github.com/sppt/sppt/internal/idn"
)

func sub(args []string, want string) ([]string, error) {
	if len(args) == 0 || args[0] != want {
		return nil, fmt.Errorf("expected %q", want)
	}
	return args[1:], nil
}

func cmdOfficer(ctx context.Context, args []string) error {
	args, err := sub(args, "add")
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("officer add", flag.ContinueOnError)
	office := fs.String("office", "", "office code, e.g. JKS")
	region := fs.String("region", "", "region (regional_head only)")
	username := fs.String("username", "", "login name")
	password := fs.String("password", "", "at least 8 characters, not a common password")
	roles := fs.String("roles", "", "comma-separated: "+strings.Join(auth.Roles, ","))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *username == "" || *password == "" || *roles == "" {
		return errors.New("--username, --password and --roles are required")
	}
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	o, err := officer.AddOfficer(ctx, a.Pool, officer.NewOfficer{Username: strings.ToLower(*username), Password: *password,
		Office: strings.ToUpper(*office), Region: *region, Roles: strings.Split(*roles, ",")}, "cli", a.Clock.Now())
	if err != nil {
		return err
	}
	fmt.Printf("officer %s added to %s%s with roles %s\n", o.Username, o.Office, o.Region, strings.Join(o.Roles, ","))
	return nil
}

func cmdDevice(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "revoke" {
		return cmdDeviceRevoke(ctx, args[1:])
	}
	args, err := sub(args, "add")
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("device add", flag.ContinueOnError)
	office := fs.String("office", "", "office code, e.g. JKS")
	kind := fs.String("kind", "", "kiosk|display|booth|biometric|printer")
	name := fs.String("name", "", "a name unique in the office")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *office == "" || *kind == "" || *name == "" {
		return errors.New("--office, --kind and --name are required")
	}
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	id, tok, err := a.Devices.Add(ctx, strings.ToUpper(*office), *kind, *name, "cli", a.Clock.Now())
	if err != nil {
		return err
	}
	fmt.Printf("device %s (%s %q in %s) enrolled; its token is shown once:\n%s\n", id, *kind, *name, strings.ToUpper(*office), tok)
	return nil
}

func cmdToken(ctx context.Context, args []string) error {
	args, err := sub(args, "citizen")
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("token citizen", flag.ContinueOnError)
	phone := fs.String("phone", "", "Indonesian mobile number, 08…, 628… or +628…")
	if err := fs.Parse(args); err != nil {
		return err
	}
	e164, err := idn.NormalizeMobile(*phone)
	if err != nil {
		return fmt.Errorf("--phone: %w", err)
	}
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	tok, _, err := a.Tokens.MintCitizen(e164)
	if err != nil {
		return err
	}
	fmt.Println(tok)
	return nil
}

// cmdAudit is `sppt audit verify` (every chain, against the signed
// checkpoints when the anchor's key is set) and `sppt audit anchor` (sign the
// current heads now, as the ten-minute schedule does).
func cmdAudit(ctx context.Context, args []string) error {
	if len(args) != 1 || (args[0] != "verify" && args[0] != "anchor") {
		return fmt.Errorf(`expected "verify" or "anchor"`)
	}
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	if args[0] == "anchor" {
		if a.Audit == nil {
			return fmt.Errorf("no audit anchor: set AUDIT_KEY or AUDIT_KEY_FILE and AUDIT_ANCHOR_DIR")
		}
		n, breaks, err := a.Audit.Checkpoint(ctx, a.Pool, a.Clock.Now())
		for _, b := range breaks {
			fmt.Println("BROKEN:", b.Error())
		}
		if err == nil && len(breaks) > 0 {
			err = fmt.Errorf("%d chains broken: not signed", len(breaks))
		}
		fmt.Printf("audit anchor: %d heads signed into %s\n", n, a.Audit.Dir)
		return err
	}
	return auditVerify(ctx, a)
}

func auditVerify(ctx context.Context, a *app.App) error {
	r, err := audit.Verify(ctx, a.Pool)
	if a.Audit != nil {
		r, err = a.Audit.Verify(ctx, a.Pool)
	}
	if err != nil {
		return err
	}
	for _, b := range r.Breaks {
		fmt.Println("BROKEN:", b.Error())
	}
	if len(r.Breaks) > 0 {
		return fmt.Errorf("%d breaks in %d chains", len(r.Breaks), r.Chains)
	}
	if !r.Anchored {
		fmt.Println("warning: no AUDIT_KEY: a row rewritten with its hashes recomputed cannot be found")
	}
	fmt.Printf("audit ok: %d chains, %d entries verified, %d signed checkpoints matched\n", r.Chains, r.Entries, r.Checkpoints)
	return nil
}

// cmdDeviceRevoke is `sppt device revoke --office JKS --id UUID`.
func cmdDeviceRevoke(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("device revoke", flag.ContinueOnError)
	office := fs.String("office", "", "office code, e.g. JKS")
	id := fs.String("id", "", "the device id printed when it was enrolled")
	if err := fs.Parse(args); err != nil {
		return err
	}
	devID, err := uuid.Parse(*id)
	if *office == "" || err != nil {
		return errors.New("--office and a valid --id are required")
	}
	a, err := open(ctx, false)
	if err != nil {
		return err
	}
	defer a.Close(context.Background())
	if err := a.Devices.Revoke(ctx, strings.ToUpper(*office), devID, "cli", a.Clock.Now()); err != nil {
		return fmt.Errorf("no active device %s in %s", devID, strings.ToUpper(*office))
	}
	fmt.Printf("device %s revoked; its token no longer works\n", devID)
	return nil
}
