package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

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

// rowScanner is a row or the current row of rows: what the scan functions read.
type rowScanner = interface{ Scan(...any) error }

// collectRows reads every row of rows with scan and closes rows; an error names what was
// being read (what: "claims export").
func collectRows[T any](rows *sql.Rows, scan func(rowScanner) (T, error), what string) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// idsJSON is a list of row IDs as a JSON array, bound as one value to a fixed statement
// text (IN (SELECT value FROM json_each(?))): a list of N placeholders makes a new text,
// parsed and planned again, for every N.
func idsJSON(ids []int64) string {
	b := make([]byte, 0, 2+8*len(ids))
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
