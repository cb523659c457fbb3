package models

import (
	"context"
	"database/sql"
)

// queryRow runs a single-row query of the eligibility pages through a prepared
// statement (see prepared in library_search.go): SQLite spends as long parsing a short
// query as running it, and database/sql keeps a prepared statement per connection.
func (s Members) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := prepared(ctx, s.DB.R, q)
	if err != nil {
		return s.DB.R.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// query runs a query of the eligibility pages through a prepared statement.
func (s Members) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := prepared(ctx, s.DB.R, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}
