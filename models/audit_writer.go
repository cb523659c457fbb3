package models

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"

	"portico/db"
)

// The audit writer commits audit entries in groups. Every audited page view and every
// eligibility check appends to one hash chain through SQLite's single writer; committed one
// by one, each paid for a whole transaction (BEGIN IMMEDIATE, the chain's head, the
// commit's WAL frames), and under load the requests queued behind each other's commits.
// Entries that arrive while a commit is running now wait for the next one and share it, so
// a busy server writes the same few pages once for many entries. Each caller still returns
// only after its entries are committed, the chain is linked in arrival order, and a failed
// group is retried entry by entry so that one bad job cannot fail the others.

// auditJob is one caller's write waiting for the group commit: its audit entries and,
// optionally, work that must commit with them (an eligibility check's running-list row).
type auditJob struct {
	clock   *db.Clock
	entries []AuditEntry
	write   func(ctx context.Context, tx *sql.Tx, now string) error
	err     error
	done    chan struct{}
}

// auditWriter runs the group commits of one database.
type auditWriter struct {
	db   *db.DB
	jobs chan *auditJob
	stop chan struct{}
}

// auditWriterFor is the database's group-commit writer, attached to it (started on first
// use, stopped when the database closes).
func auditWriterFor(d *db.DB) *auditWriter {
	return d.Attached("models.auditWriter", func() (any, func()) {
		w := &auditWriter{db: d, jobs: make(chan *auditJob, 256), stop: make(chan struct{})}
		go w.loop()
		return w, func() { close(w.stop) }
	}).(*auditWriter)
}

// submit queues a job on d's writer and waits until it is committed (or has failed).
// Once queued, a job is committed even if ctx ends meanwhile: the caller's action has
// happened, so its audit entry must not be dropped.
func submitAudit(ctx context.Context, d *db.DB, job *auditJob) error {
	job.clock, job.done = d.Clock, make(chan struct{})
	w := auditWriterFor(d)
	select {
	case w.jobs <- job:
	case <-ctx.Done():
		return ctx.Err()
	case <-w.stop:
		return fmt.Errorf("audit: the database is closed")
	}
	<-job.done
	return job.err
}

// maxAuditBatch bounds one group commit.
const maxAuditBatch = 128

func (w *auditWriter) loop() {
	batch := make([]*auditJob, 0, maxAuditBatch)
	for {
		var job *auditJob
		select {
		case job = <-w.jobs:
		case <-w.stop:
			return
		}
		batch = append(batch[:0], job)
		w.gather(&batch)
		if err := w.commit(batch); err != nil {
			for _, j := range batch {
				if len(batch) == 1 {
					j.err = err
				} else {
					j.err = w.commit([]*auditJob{j})
				}
			}
		}
		for _, j := range batch {
			close(j.done)
		}
	}
}

// gatherRounds is how many times the writer yields to the request goroutines for more
// jobs before it commits: each commit writes the same few pages (the audit log's leaves and
// indexes) to the WAL however many entries it holds, so a group of ten costs little more
// than a group of one. Yielding (not sleeping) costs a lone job nothing measurable, because
// with nothing else to run it returns at once.
const gatherRounds = 4

// gather adds to batch the jobs already queued, yielding the processor between rounds
// while more keep arriving.
func (w *auditWriter) gather(batch *[]*auditJob) {
	for round := 0; round < gatherRounds && len(*batch) < maxAuditBatch; round++ {
		n := len(*batch)
	drain:
		for len(*batch) < maxAuditBatch {
			select {
			case j := <-w.jobs:
				*batch = append(*batch, j)
			default:
				break drain
			}
		}
		if round > 0 && len(*batch) == n {
			return // nothing came while we yielded: commit what we have
		}
		runtime.Gosched()
	}
}

// commit writes a group in one transaction: each job's own work, then all entries linked
// to the chain in the jobs' order. Entries without a time get the commit's time on the
// caller's clock.
func (w *auditWriter) commit(batch []*auditJob) error {
	ctx := context.Background()
	// Prepare before the transaction: the writer pool has one connection, which the
	// transaction holds.
	last, err := w.db.Prepared(ctx, w.db.W, qAuditLast)
	if err != nil {
		return err
	}
	ins, err := w.db.Prepared(ctx, w.db.W, qAuditInsert)
	if err != nil {
		return err
	}
	return w.db.Tx(ctx, func(tx *sql.Tx) error {
		n := 0
		for _, j := range batch {
			n += len(j.entries)
		}
		entries := make([]AuditEntry, 0, n)
		var clock *db.Clock
		var now string
		for _, j := range batch {
			if j.clock != clock {
				clock, now = j.clock, j.clock.Now().Format(db.TimeFormat)
			}
			if j.write != nil {
				if err := j.write(ctx, tx, now); err != nil {
					return err
				}
			}
			for _, e := range j.entries {
				if e.At == "" {
					e.At = now
				}
				entries = append(entries, e)
			}
		}
		return appendAudit(ctx, tx, now, &auditStmts{last: last, insert: ins}, entries...)
	})
}
