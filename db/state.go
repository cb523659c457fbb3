package db

import (
	"context"
	"database/sql"
	"sync"
)

// state is what one open database keeps beside its pools: the prepared statements of the
// hot queries and long-lived helpers the models attach (the eligibility group-commit
// writer), each closed with the database. It lives here, with the database, so that no
// package keeps mutable state of its own.
type state struct {
	stmts   sync.Map // stmtKey -> *sql.Stmt
	mu      sync.Mutex
	attach  map[string]any
	closers []func()
}

type stmtKey struct {
	pool  *sql.DB
	query string
}

// Prepared returns pool's prepared statement for query (pool is d.R or d.W), preparing it
// once: parsing and planning the hot queries again on every request cost a quarter of the
// time. Only constant query texts go in, so the set stays small.
func (d *DB) Prepared(ctx context.Context, pool *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{pool, query}
	if s, ok := d.st.stmts.Load(k); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := d.st.stmts.LoadOrStore(k, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

// Attached returns the helper attached to the database under name, making it with make
// (and registering its close function, if any) the first time.
func (d *DB) Attached(name string, make func() (any, func())) any {
	d.st.mu.Lock()
	defer d.st.mu.Unlock()
	if v, ok := d.st.attach[name]; ok {
		return v
	}
	if d.st.attach == nil {
		d.st.attach = map[string]any{}
	}
	v, closer := make()
	d.st.attach[name] = v
	if closer != nil {
		d.st.closers = append(d.st.closers, closer)
	}
	return v
}

// closeState stops the attached helpers and closes the prepared statements.
func (d *DB) closeState() {
	d.st.mu.Lock()
	closers := d.st.closers
	d.st.closers, d.st.attach = nil, nil
	d.st.mu.Unlock()
	for _, c := range closers {
		c()
	}
	d.st.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		d.st.stmts.Delete(k)
		return true
	})
}
