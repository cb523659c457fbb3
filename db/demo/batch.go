package demo

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
)

// batcher inserts rows many at a time (one multi-row INSERT per batch), which is several
// times faster through modernc's driver than one statement per row. With an inserter the
// batches are written on the inserter's goroutine while the caller makes the next rows.
type batcher struct {
	ctx   context.Context
	tx    *sql.Tx
	head  string // INSERT INTO t(cols) VALUES
	ncol  int
	size  int
	args  []any
	stmts map[int]*sql.Stmt // prepared INSERTs by row count; used by the writing goroutine only
	count int
	// parents are flushed first, so that foreign keys find their rows.
	parents []*batcher
	// in, when set, writes the batches; spare holds argument slices it has finished with,
	// so that a fill of millions of rows reuses a few of them instead of allocating one
	// per batch.
	in    *inserter
	spare chan []any
}

func newBatcher(ctx context.Context, tx *sql.Tx, table, cols string) *batcher {
	n := strings.Count(cols, ",") + 1
	size := 30000 / n // keep under SQLite's 32,766 host-parameter limit
	if size > 500 {
		size = 500
	}
	return &batcher{ctx: ctx, tx: tx, head: "INSERT INTO " + table + "(" + cols + ") VALUES ", ncol: n, size: size}
}

// through makes b queue its batches to in instead of writing them itself.
func (b *batcher) through(in *inserter) *batcher {
	b.in = in
	b.spare = make(chan []any, inserterQueue+2)
	return b
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

// flush writes the queued rows, or hands them to the inserter.
func (b *batcher) flush() error {
	if len(b.args) < b.ncol {
		return nil
	}
	for _, p := range b.parents {
		if err := p.flush(); err != nil {
			return err
		}
	}
	if b.in == nil {
		err := b.exec(b.args)
		b.args = b.args[:0]
		return err
	}
	if err := b.in.queue(b, b.args); err != nil {
		return err
	}
	select {
	case b.args = <-b.spare:
	default:
		b.args = make([]any, 0, b.size*b.ncol)
	}
	return nil
}

// exec runs one batch with the statement prepared for its row count.
func (b *batcher) exec(args []any) error {
	rows := len(args) / b.ncol
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
	_, err := st.ExecContext(b.ctx, args...)
	return err
}

// close flushes the rest and releases the prepared statements (for a batcher without
// an inserter; see inserter.finish).
func (b *batcher) close() error {
	err := b.flush()
	b.closeStatements()
	return err
}

func (b *batcher) closeStatements() {
	for _, st := range b.stmts {
		st.Close()
	}
}

// inserterQueue is how many batches may wait for the writing goroutine: enough to ride
// out an uneven batch, few enough to keep the fill's memory flat.
const inserterQueue = 8

// inserter writes batches of rows on its own goroutine, in the order they were queued
// (so a parent's rows still go before its children's), while the fill's goroutine
// generates the next ones: the two cores share the work of a large fill. Everything
// queued runs on the fill's one transaction; the caller must not use that transaction
// until wait has returned.
type inserter struct {
	jobs   chan insertJob
	done   chan struct{}
	once   sync.Once
	failed atomic.Bool
	err    error // the first failure; read after done is closed
}

type insertJob struct {
	b    *batcher
	args []any
}

// errInsertFailed stops the generation once a batch has failed; wait returns the cause.
var errInsertFailed = errors.New("demo: a batch insert failed")

func newInserter() *inserter {
	in := &inserter{jobs: make(chan insertJob, inserterQueue), done: make(chan struct{})}
	go in.run()
	return in
}

func (in *inserter) run() {
	defer close(in.done)
	for j := range in.jobs {
		if in.err == nil {
			if err := j.b.exec(j.args); err != nil {
				in.err = err
				in.failed.Store(true)
			}
		}
		select {
		case j.b.spare <- j.args[:0]:
		default:
		}
	}
}

func (in *inserter) queue(b *batcher, args []any) error {
	if in.failed.Load() {
		return errInsertFailed
	}
	in.jobs <- insertJob{b, args}
	return nil
}

// finish queues the rest of each batcher's rows, in the order given, waits for all of
// them to be written and releases the batchers' statements.
func (in *inserter) finish(bs ...*batcher) error {
	var err error
	for _, b := range bs {
		if err = b.flush(); err != nil {
			break
		}
	}
	err = errors.Join(in.wait(), err)
	for _, b := range bs {
		b.closeStatements()
	}
	if errors.Is(err, errInsertFailed) {
		return in.err
	}
	return err
}

// wait lets the queued batches finish and returns the first error. It may be called
// more than once (a deferred call after an early return).
func (in *inserter) wait() error {
	in.once.Do(func() { close(in.jobs) })
	<-in.done
	return in.err
}
