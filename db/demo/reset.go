package demo

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"portico/db"
	"portico/models"
)

// Reset puts a demo database back to its first state: the data set is made again from
// the anchor date and member count recorded at the first fill, in a scratch file, and
// copied over the live database. Every session ends with it.
func Reset(ctx context.Context, d *db.DB, keyring *models.Keyring, planDomain string) error {
	return ResetWith(ctx, d, Options{Keyring: keyring, PlanDomain: planDomain})
}

// ResetWith is Reset with the fill's options (keyring, plan domain, base URL of the
// links in the seeded mail); the anchor and member count come from the first fill.
func ResetWith(ctx context.Context, d *db.DB, opts Options) error {
	var anchor, members string
	err := d.R.QueryRowContext(ctx, `SELECT (SELECT value FROM settings WHERE key = 'demo_anchor'), (SELECT value FROM settings WHERE key = 'demo_members')`).
		Scan(&anchor, &members)
	if err != nil {
		return fmt.Errorf("demo reset: this database was not filled by --demo: %w", err)
	}
	if opts.Anchor, err = time.Parse(models.TimeFormat, anchor); err != nil {
		return fmt.Errorf("demo reset: anchor: %w", err)
	}
	if opts.Members, err = strconv.Atoi(members); err != nil {
		return fmt.Errorf("demo reset: members: %w", err)
	}
	dir, err := os.MkdirTemp(filepath.Dir(d.Path), ".portico-reset-")
	if err != nil {
		return fmt.Errorf("demo reset: %w", err)
	}
	defer os.RemoveAll(dir)
	scratch, err := db.Open(filepath.Join(dir, "fresh.db"))
	if err != nil {
		return err
	}
	if err := scratch.Migrate(ctx); err != nil {
		scratch.Close()
		return err
	}
	if _, err := Run(ctx, scratch, opts); err != nil {
		scratch.Close()
		return err
	}
	if err := scratch.Close(); err != nil {
		return err
	}
	return d.RestoreFrom(ctx, filepath.Join(dir, "fresh.db"))
}
