package models

import (
	"context"
	"database/sql"
	"sync"
)

// stmtKey names a prepared statement of one pool.
type stmtKey struct {
	pool *sql.DB
	sql  string
}

// stmts caches prepared statements of the hot page queries: SQLite spends as long
// parsing a short query as running it, and database/sql keeps a prepared statement per
// connection once made.
var stmts sync.Map // stmtKey -> *sql.Stmt

// prepared returns the cached prepared statement of q on pool.
func prepared(ctx context.Context, pool *sql.DB, q string) (*sql.Stmt, error) {
	k := stmtKey{pool, q}
	if s, ok := stmts.Load(k); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := pool.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if old, loaded := stmts.LoadOrStore(k, s); loaded {
		s.Close()
		return old.(*sql.Stmt), nil
	}
	return s, nil
}

// queryRow runs a cached single-row query on the reader pool.
func (s Members) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := prepared(ctx, s.DB.R, q)
	if err != nil {
		return s.DB.R.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// query runs a cached query on the reader pool.
func (s Members) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := prepared(ctx, s.DB.R, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}
