package db

import (
	"context"
	"fmt"

	"modernc.org/sqlite"
)

// RestoreFrom copies the database at path over the live database, page by page, with
// SQLite's online backup API: readers see the old data or the new, never a mixture.
// The demo's "reset to its first state" uses it.
func (d *DB) RestoreFrom(ctx context.Context, path string) error {
	conn, err := d.W.Conn(ctx)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		r, ok := dc.(interface {
			NewRestore(string) (*sqlite.Backup, error)
		})
		if !ok {
			return fmt.Errorf("restore: driver connection %T cannot restore", dc)
		}
		b, err := r.NewRestore("file:" + path + "?mode=ro")
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		for {
			more, err := b.Step(-1)
			if err != nil {
				b.Finish()
				return fmt.Errorf("restore: %w", err)
			}
			if !more {
				break
			}
		}
		if err := b.Finish(); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		return nil
	})
}
