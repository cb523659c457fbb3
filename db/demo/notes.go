package demo

import (
	"context"
	"database/sql"
	"strconv"
)

// withSecureDelete runs fn with SQLite's secure_delete on. The demo writes some notes in
// plain text with SQL and seals them a few steps later (models.SealAuthzNotesTx,
// models.SealClinicalNotesTx); a row rewritten in between (its number set after the
// insert) would otherwise leave its plain-text copy in the page's free space, which
// secure_delete overwrites. Only the steps that write notes pay for it.
func withSecureDelete(ctx context.Context, tx *sql.Tx, fn func() error) (err error) {
	var was int
	if err := tx.QueryRowContext(ctx, `PRAGMA secure_delete`).Scan(&was); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return err
	}
	defer func() {
		if _, rerr := tx.ExecContext(ctx, `PRAGMA secure_delete = `+strconv.Itoa(was)); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return fn()
}
