package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"portico/db"
)

// tally is one tally table of migration 0030 (or 0049): the table its triggers watch, the
// tally's key columns and the same key computed from a row of the watched table.
type tally struct {
	source, table, keys, sourceKeys string
}

// tallies lists the tally tables. The recount and the check below are written from it
// with the same GROUP BY as the migration's first fill.
var tallies = []tally{
	{"claims", "claim_tallies", "tin_id, plan_type, status", "tin_id, plan_type, status"},
	{"authz_requests", "authz_tallies", "account_id, status", "account_id, status"},
	// The reviewer queue's open requests (queued = 1) and the others, migration 0049.
	{"authz_requests", "authz_queue_tallies", "queued", "status IN ('submitted','in_review') AND due_at IS NOT NULL"},
	{"members", "panel_tallies", "pcp_tin_id, ppg_tin_id, plan_type", "COALESCE(pcp_tin_id, 0), COALESCE(ppg_tin_id, 0), plan_type"},
}

// counted is the tally of t computed from its watched table.
func (t tally) counted() string {
	return "SELECT " + t.sourceKeys + ", COUNT(*) FROM " + t.source + " GROUP BY " + t.sourceKeys
}

// recountTallies makes the tally tables of the named tables again from their rows.
func recountTallies(ctx context.Context, tx *sql.Tx, tables ...string) error {
	for _, name := range tables {
		for _, t := range tallies {
			if t.source != name {
				continue
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.table); err != nil {
				return fmt.Errorf("recount %s: %w", t.table, err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+t.table+"("+t.keys+", n) "+t.counted()); err != nil {
				return fmt.Errorf("recount %s: %w", t.table, err)
			}
		}
	}
	return nil
}

// CheckTallies compares every tally table with a plain COUNT of the rows it counts and
// returns an error naming the first keys that differ (a key whose rows are all gone may
// keep a tally of 0). The tests run it after writes, the demo fill and the reset.
func CheckTallies(ctx context.Context, d *db.DB) error {
	for _, t := range tallies {
		kept := "SELECT " + t.keys + ", n FROM " + t.table + " WHERE n <> 0"
		for _, q := range []string{t.counted() + " EXCEPT " + kept, kept + " EXCEPT " + t.counted()} {
			rows, err := d.R.QueryContext(ctx, q+" LIMIT 5")
			if err != nil {
				return fmt.Errorf("check %s: %w", t.table, err)
			}
			cols, _ := rows.Columns()
			var bad []string
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return err
				}
				bad = append(bad, fmt.Sprintf("%v", vals))
			}
			rows.Close()
			if len(bad) > 0 {
				return fmt.Errorf("%s differs from a count of %s (%s, count): %s", t.table, t.source, t.keys, strings.Join(bad, "; "))
			}
		}
	}
	return nil
}
