package demo

import (
	"context"
	"database/sql"
)

func init() { register(10, "auth", fillAuth) }

// fillAuth adds what the sign-in and account areas show in a fresh demo: a TIN request
// waiting for the plan admin (Valley Medical Group asks for the TIN of a group already on
// the plan's records), so trainees can practise approving it.
func fillAuth(ctx context.Context, tx *sql.Tx, f *Fill) error {
	if len(f.PPGTINs) < 2 {
		return nil
	}
	tinID := f.PPGTINs[1]
	var tin, name string
	if err := tx.QueryRowContext(ctx, "SELECT tin, name FROM tins WHERE id = ?", tinID).Scan(&tin, &name); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO tin_requests(account_id, tin_id, tin, name, created_at) VALUES (?,?,?,?,?)",
		f.AccountIDs["valley"], tinID, tin, name, f.Today+"T09:00:00Z")
	return err
}
