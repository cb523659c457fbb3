package models

import (
	"context"
	"database/sql"

	"portico/db"
)

// readRows runs a read query of a list page through the reader pool's prepared statement
// for its text. Under load SQLite spent 8–20 % of every list page parsing and planning
// the same statements again (CPU profiles of issue 17). The texts that come here are
// built from a fixed set of filter clauses and at most one placeholder per TIN or row of
// a page, so the set of statements kept stays small.
func readRows(ctx context.Context, d *db.DB, query string, args ...any) (*sql.Rows, error) {
	st, err := d.Prepared(ctx, d.R, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// readRow is readRows for a query of one row; a statement that cannot be prepared is
// run unprepared, so that its error comes back through Scan as usual.
func readRow(ctx context.Context, d *db.DB, query string, args ...any) *sql.Row {
	st, err := d.Prepared(ctx, d.R, query)
	if err != nil {
		return d.R.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
