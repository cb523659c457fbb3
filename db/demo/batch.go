package demo

import (
	"context"
	"database/sql"
	"strings"
)

// batcher inserts rows many at a time (one multi-row INSERT per batch), which is several
// times faster through modernc's driver than one statement per row.
type batcher struct {
	ctx   context.Context
	tx    *sql.Tx
	head  string // INSERT INTO t(cols) VALUES
	ncol  int
	size  int
	args  []any
	stmts map[int]*sql.Stmt // prepared INSERTs by row count
	count int
	// parents are flushed first, so that foreign keys find their rows.
	parents []*batcher
}

func newBatcher(ctx context.Context, tx *sql.Tx, table, cols string) *batcher {
	n := strings.Count(cols, ",") + 1
	size := 30000 / n // keep under SQLite's 32,766 host-parameter limit
	if size > 500 {
		size = 500
	}
	return &batcher{ctx: ctx, tx: tx, head: "INSERT INTO " + table + "(" + cols + ") VALUES ", ncol: n, size: size}
}

func (b *batcher) statement(rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", b.ncol), ",") + ")"
	return b.head + strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

// add queues one row; it must have exactly as many values as columns.
func (b *batcher) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.count++
	if len(b.args) >= b.size*b.ncol {
		return b.flush()
	}
	return nil
}

// flush writes the queued rows.
func (b *batcher) flush() error {
	rows := len(b.args) / b.ncol
	if rows == 0 {
		return nil
	}
	for _, p := range b.parents {
		if err := p.flush(); err != nil {
			return err
		}
	}
	st, ok := b.stmts[rows]
	if !ok {
		var err error
		if st, err = b.tx.PrepareContext(b.ctx, b.statement(rows)); err != nil {
			return err
		}
		if b.stmts == nil {
			b.stmts = map[int]*sql.Stmt{}
		}
		b.stmts[rows] = st
	}
	_, err := st.ExecContext(b.ctx, b.args...)
	b.args = b.args[:0]
	return err
}

// close flushes the rest and releases the prepared statement.
func (b *batcher) close() error {
	err := b.flush()
	for _, st := range b.stmts {
		st.Close()
	}
	return err
}
