package models

import (
	"context"
	"database/sql"
	"sync"
)

// stmtKey names a prepared statement of one reader pool.
type stmtKey struct {
	db    *sql.DB
	query string
}

// stmtCache keeps the prepared statements of the hot queries (sessions, users, searches,
// eligibility, messaging): parsing and planning them again on every request cost a
// quarter of the time. Only constant query texts go in, so it stays small.
var stmtCache sync.Map

// prepared returns the pool's prepared statement for query, preparing it once.
func prepared(ctx context.Context, d *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{d, query}
	if s, ok := stmtCache.Load(k); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := d.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := stmtCache.LoadOrStore(k, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}
