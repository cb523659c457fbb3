package models

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"portico/db"
)

// Mail is one e-mail in the outbox. Bodies never carry health information: only that
// something is waiting in the portal, and a link.
type Mail struct {
	ID            int64
	To            string
	Subject       string
	Body          string
	Status        string // queued, sent, failed
	Attempts      int
	NextAttemptAt string
	LastError     string
	CreatedAt     string
	SentAt        string
}

// Outbox queues e-mail for delivery with retries.
type Outbox struct{ DB *db.DB }

// EnqueueTx queues a message inside tx, so that mail goes out only if the action commits.
func (o Outbox) EnqueueTx(ctx context.Context, tx *sql.Tx, to, subject, body string) error {
	now := o.DB.NowText()
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox(to_addr, subject, body, status, next_attempt_at, created_at) VALUES (?,?,?,'queued',?,?)`,
		to, subject, body, now, now)
	if err != nil {
		return fmt.Errorf("outbox enqueue: %w", err)
	}
	return nil
}

// Enqueue queues a message in its own transaction.
func (o Outbox) Enqueue(ctx context.Context, to, subject, body string) error {
	return o.DB.Tx(ctx, func(tx *sql.Tx) error { return (Outbox{DB: o.DB}).EnqueueTx(ctx, tx, to, subject, body) })
}

const mailColumns = "id, to_addr, subject, body, status, attempts, next_attempt_at, last_error, created_at, COALESCE(sent_at,'')"

func scanMails(rows *sql.Rows) ([]Mail, error) {
	defer rows.Close()
	var out []Mail
	for rows.Next() {
		var m Mail
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.Status, &m.Attempts, &m.NextAttemptAt, &m.LastError, &m.CreatedAt, &m.SentAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Recent lists the newest mail, for the outbox page.
func (o Outbox) Recent(ctx context.Context, limit int) ([]Mail, error) {
	rows, err := o.DB.R.QueryContext(ctx, "SELECT "+mailColumns+" FROM outbox ORDER BY id DESC LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("outbox recent: %w", err)
	}
	return scanMails(rows)
}

// ForRecipient lists the newest mail to one address (demo users read their own mail).
func (o Outbox) ForRecipient(ctx context.Context, to string, limit int) ([]Mail, error) {
	rows, err := o.DB.R.QueryContext(ctx, "SELECT "+mailColumns+" FROM outbox WHERE to_addr = ? COLLATE NOCASE ORDER BY id DESC LIMIT ?", to, limit)
	if err != nil {
		return nil, fmt.Errorf("outbox for recipient: %w", err)
	}
	return scanMails(rows)
}

// Due lists queued mail whose next attempt time has come.
func (o Outbox) Due(ctx context.Context, limit int) ([]Mail, error) {
	rows, err := o.DB.R.QueryContext(ctx, "SELECT "+mailColumns+" FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?", o.DB.NowText(), limit)
	if err != nil {
		return nil, fmt.Errorf("outbox due: %w", err)
	}
	return scanMails(rows)
}

// MarkSent records a delivery.
func (o Outbox) MarkSent(ctx context.Context, id int64) error {
	_, err := o.DB.W.ExecContext(ctx, "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = '' WHERE id = ?", o.DB.NowText(), id)
	if err != nil {
		return fmt.Errorf("outbox mark sent: %w", err)
	}
	return nil
}

// MaxMailAttempts is how many deliveries are tried before a mail is marked failed.
const MaxMailAttempts = 8

// MarkRetry records a failed attempt with its reason and schedules the next one with
// exponential backoff (1, 2, 4 ... minutes); after MaxMailAttempts the mail is failed.
func (o Outbox) MarkRetry(ctx context.Context, m Mail, reason string) error {
	attempts := m.Attempts + 1
	status := "queued"
	if attempts >= MaxMailAttempts {
		status = "failed"
	}
	next := o.DB.Now().Add(time.Duration(1<<min(attempts-1, 10)) * time.Minute).Format(TimeFormat)
	_, err := o.DB.W.ExecContext(ctx, "UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
		status, attempts, next, reason, m.ID)
	if err != nil {
		return fmt.Errorf("outbox mark retry: %w", err)
	}
	return nil
}
