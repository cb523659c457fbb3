package models

import (
	"context"
	"fmt"
	"time"

	"portico/db"
)

// Staff counts the work waiting for plan staff (SPEC §3: plan staff get a dashboard of
// work queues for their roles). Every count is one indexed query.
type Staff struct{ DB *db.DB }

// QueueCount is one count of a queue, with the time its oldest item has waited since,
// when ages apply.
type QueueCount struct {
	N      int
	Oldest time.Time // zero when the queue is empty or ages do not apply
}

// count runs a query that selects COUNT(*) and the oldest item's time (or NULL).
func (s Staff) count(ctx context.Context, q string, args ...any) (QueueCount, error) {
	var n int
	var oldest *string
	if err := s.DB.R.QueryRowContext(ctx, q, args...).Scan(&n, &oldest); err != nil {
		return QueueCount{}, fmt.Errorf("staff queue: %w", err)
	}
	qc := QueueCount{N: n}
	if oldest != nil {
		if t, err := time.Parse(TimeFormat, *oldest); err == nil {
			qc.Oldest = t
		}
	}
	return qc, nil
}

// DepartmentQueue is the open threads of a department that no associate has taken yet,
// with the oldest one's last message time.
func (s Staff) DepartmentQueue(ctx context.Context, department string) (QueueCount, error) {
	return s.count(ctx, `SELECT COUNT(*), MIN(last_message_at) FROM message_threads
		WHERE department = ? AND status = 'open' AND assignee_id IS NULL`, department)
}

// AssignedThreads is the open threads assigned to user, oldest last message first.
func (s Staff) AssignedThreads(ctx context.Context, userID int64) (QueueCount, error) {
	return s.count(ctx, `SELECT COUNT(*), MIN(last_message_at) FROM message_threads
		WHERE assignee_id = ? AND status = 'open'`, userID)
}

// ReviewDueToday is the open authorization requests due between now and the end of the
// plan's day (before), not yet overdue.
func (s Staff) ReviewDueToday(ctx context.Context, before time.Time) (QueueCount, error) {
	now := s.DB.NowText()
	return s.count(ctx, `SELECT COUNT(*), MIN(due_at) FROM authz_requests
		WHERE status IN ('submitted','in_review') AND due_at >= ? AND due_at < ?`, now, before.UTC().Format(TimeFormat))
}

// ReviewOverdue is the open authorization requests past their due time.
func (s Staff) ReviewOverdue(ctx context.Context) (QueueCount, error) {
	return s.count(ctx, `SELECT COUNT(*), MIN(due_at) FROM authz_requests
		WHERE status IN ('submitted','in_review') AND due_at < ?`, s.DB.NowText())
}

// ReviewUnassigned is the open authorization requests no reviewer has taken.
func (s Staff) ReviewUnassigned(ctx context.Context) (QueueCount, error) {
	return s.count(ctx, `SELECT COUNT(*), MIN(due_at) FROM authz_requests
		WHERE status IN ('submitted','in_review') AND assignee_id IS NULL`)
}

// LibraryDrafts is the library entries saved but not published.
func (s Staff) LibraryDrafts(ctx context.Context) (QueueCount, error) {
	return s.count(ctx, `SELECT COUNT(*), MIN(updated_at) FROM library_entries WHERE status = 'draft'`)
}

// LibraryStale is the published entries nobody has revised for a year.
func (s Staff) LibraryStale(ctx context.Context) (QueueCount, error) {
	yearAgo := s.DB.Now().AddDate(-1, 0, 0).Format(TimeFormat)
	return s.count(ctx, `SELECT COUNT(*), MIN(updated_at) FROM library_entries WHERE status = 'published' AND updated_at < ?`, yearAgo)
}

// PendingTINs is the TIN requests waiting for a plan admin (or a payment proof).
func (s Staff) PendingTINs(ctx context.Context) (QueueCount, error) {
	return s.count(ctx, `SELECT COUNT(*), MIN(created_at) FROM tin_requests WHERE status = 'pending'`)
}

// PendingRegistrations is the registrations whose e-mail is not verified yet (and
// whose link still works).
func (s Staff) PendingRegistrations(ctx context.Context) (QueueCount, error) {
	return s.count(ctx, `SELECT COUNT(*), MIN(created_at) FROM pending_registrations WHERE used_at IS NULL AND expires_at > ?`, s.DB.NowText())
}

// LockedUsers is the users locked out (failed sign-ins, inactivity, expiry).
func (s Staff) LockedUsers(ctx context.Context) (QueueCount, error) {
	return s.count(ctx, `SELECT COUNT(*), NULL FROM users WHERE status = 'locked'`)
}

// Outbox is the mail of one status (queued or failed), with the oldest one's time.
func (s Staff) Outbox(ctx context.Context, status string) (QueueCount, error) {
	return s.count(ctx, `SELECT COUNT(*), MIN(created_at) FROM outbox WHERE status = ?`, status)
}
