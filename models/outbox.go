package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
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
	Kind          string // MailNotice, MailReset, MailSecurity
	Status        string // queued, sent, failed, held, expired
	Attempts      int
	NextAttemptAt string
	LastError     string
	ExpiresAt     string // when the link in it stops working ('' = no limit)
	CreatedAt     string
	SentAt        string
}

// Kinds of mail. A reset link is shown in the portal to plan admins only.
const (
	MailNotice   = "notice"
	MailReset    = "reset"
	MailSecurity = "security"
)

// Outbox statuses.
const (
	MailQueued  = "queued"
	MailSent    = "sent"
	MailFailed  = "failed"
	MailHeld    = "held"    // demo data: never delivered
	MailExpired = "expired" // its link expired before it could be delivered
)

// MailStatuses are the outbox statuses in the order the outbox page offers them.
var MailStatuses = []string{MailQueued, MailSent, MailFailed, MailHeld, MailExpired}

// Outbox queues e-mail for delivery with retries.
type Outbox struct{ DB *db.DB }

// QueuedMail is a mail to queue.
type QueuedMail struct {
	To, Subject, Body string
	// Kind is MailNotice when empty.
	Kind string
	// ExpiresAt, if set, is when the link in the mail stops working: a mail still
	// waiting then is not sent.
	ExpiresAt time.Time
}

// QueueTx queues a mail inside tx, so that it goes out only if the action commits.
func (o Outbox) QueueTx(ctx context.Context, tx *sql.Tx, m QueuedMail) error {
	now := o.DB.NowText()
	kind := m.Kind
	if kind == "" {
		kind = MailNotice
	}
	var expires any
	if !m.ExpiresAt.IsZero() {
		expires = m.ExpiresAt.UTC().Format(TimeFormat)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO outbox(to_addr, subject, body, kind, status, next_attempt_at, expires_at, created_at)
		VALUES (?,?,?,?,'queued',?,?,?)`, m.To, m.Subject, m.Body, kind, now, expires, now)
	if err != nil {
		return fmt.Errorf("outbox enqueue: %w", err)
	}
	return nil
}

// EnqueueTx queues a notice inside tx, so that mail goes out only if the action commits.
func (o Outbox) EnqueueTx(ctx context.Context, tx *sql.Tx, to, subject, body string) error {
	return o.QueueTx(ctx, tx, QueuedMail{To: to, Subject: subject, Body: body})
}

// Enqueue queues a message in its own transaction.
func (o Outbox) Enqueue(ctx context.Context, to, subject, body string) error {
	return o.DB.Tx(ctx, func(tx *sql.Tx) error { return o.EnqueueTx(ctx, tx, to, subject, body) })
}

const mailColumns = "id, to_addr, subject, body, kind, status, attempts, next_attempt_at, last_error, COALESCE(expires_at,''), created_at, COALESCE(sent_at,'')"

func scanMails(rows *sql.Rows) ([]Mail, error) {
	defer rows.Close()
	var out []Mail
	for rows.Next() {
		var m Mail
		if err := rows.Scan(&m.ID, &m.To, &m.Subject, &m.Body, &m.Kind, &m.Status, &m.Attempts, &m.NextAttemptAt, &m.LastError,
			&m.ExpiresAt, &m.CreatedAt, &m.SentAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// IsTrainingAddress tells whether addr is in a reserved .example domain (RFC 2606), as
// every demo account is: such mail can never reach anyone.
func IsTrainingAddress(addr string) bool {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return false
	}
	domain := strings.ToLower(strings.TrimSpace(addr[at+1:]))
	return domain == "example" || strings.HasSuffix(domain, ".example")
}

// OutboxFilter selects the mail an outbox page shows.
type OutboxFilter struct {
	Status string // one of MailStatuses, or "" for all
	To     string // one recipient, or "" for all
	// Training limits the list to mail for the reserved .example domains and leaves out
	// reset links: what anyone but a plan admin may read in demo mode.
	Training bool
	Page     int // from 1
	PerPage  int
}

// OutboxPage is one page of the outbox and the number of mails matching the filter.
type OutboxPage struct {
	Mails []Mail
	Total int
}

// List returns one page of mail, newest first.
func (o Outbox) List(ctx context.Context, f OutboxFilter) (OutboxPage, error) {
	var where []string
	var args []any
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, f.Status)
	}
	if f.To != "" {
		where, args = append(where, "to_addr = ? COLLATE NOCASE"), append(args, f.To)
	}
	if f.Training {
		where = append(where, "kind <> 'reset'", "(to_addr LIKE '%.example' OR to_addr LIKE '%@example')")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var page OutboxPage
	if err := o.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox"+cond, args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("outbox count: %w", err)
	}
	per := f.PerPage
	if per <= 0 {
		per = 50
	}
	p := max(f.Page, 1)
	rows, err := o.DB.R.QueryContext(ctx, "SELECT "+mailColumns+" FROM outbox"+cond+" ORDER BY id DESC LIMIT ? OFFSET ?",
		append(args, per, (p-1)*per)...)
	if err != nil {
		return page, fmt.Errorf("outbox list: %w", err)
	}
	page.Mails, err = scanMails(rows)
	return page, err
}

// CountStatus counts the mail with one status (the admin page warns of failed mail).
func (o Outbox) CountStatus(ctx context.Context, status string) (int, error) {
	var n int
	if err := o.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox WHERE status = ?", status).Scan(&n); err != nil {
		return 0, fmt.Errorf("outbox count: %w", err)
	}
	return n, nil
}

// Recent lists the newest mail.
func (o Outbox) Recent(ctx context.Context, limit int) ([]Mail, error) {
	p, err := o.List(ctx, OutboxFilter{PerPage: limit})
	return p.Mails, err
}

// ForRecipient lists the newest mail to one address.
func (o Outbox) ForRecipient(ctx context.Context, to string, limit int) ([]Mail, error) {
	p, err := o.List(ctx, OutboxFilter{To: to, PerPage: limit})
	return p.Mails, err
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
// It returns the status the mail now has.
func (o Outbox) MarkRetry(ctx context.Context, m Mail, reason string) (string, error) {
	attempts := m.Attempts + 1
	status := MailQueued
	if attempts >= MaxMailAttempts {
		status = MailFailed
	}
	next := o.DB.Now().Add(time.Duration(1<<min(attempts-1, 10)) * time.Minute).Format(TimeFormat)
	_, err := o.DB.W.ExecContext(ctx, "UPDATE outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
		status, attempts, next, reason, m.ID)
	if err != nil {
		return "", fmt.Errorf("outbox mark retry: %w", err)
	}
	return status, nil
}

// MarkFailed records a permanent rejection: the mail is failed at once, not retried.
func (o Outbox) MarkFailed(ctx context.Context, m Mail, reason string) error {
	_, err := o.DB.W.ExecContext(ctx, "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?", reason, m.ID)
	if err != nil {
		return fmt.Errorf("outbox mark failed: %w", err)
	}
	return nil
}

// ExpiredLinkSubject is the subject of the mail that replaces a reset link which waited
// in the queue longer than its lifetime.
const ExpiredLinkSubject = "Your password reset link could not be sent in time"

// Expire marks a mail whose link expired before delivery and, in the same transaction,
// queues a mail without any link-token that tells the user to ask again at askAgainURL.
func (o Outbox) Expire(ctx context.Context, m Mail, planName, askAgainURL string) error {
	return o.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE outbox SET status = 'expired', last_error = 'the link expired before it could be delivered' WHERE id = ? AND status = 'queued'", m.ID)
		if err != nil {
			return fmt.Errorf("outbox expire: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if planName == "" {
			planName = "your health plan"
		}
		body := "Hello,\n\nYou (or someone) asked to reset the password of your account on the " + planName + " provider portal, " +
			"but our mail server could not deliver the link before it expired, so we did not send it.\n\n" +
			"If you still need a new password, please ask again here:\n" + askAgainURL + "\n\n" +
			"If you did not ask for this, you can ignore this e-mail: your password stays as it is.\n"
		return o.QueueTx(ctx, tx, QueuedMail{To: m.To, Subject: ExpiredLinkSubject, Body: body, Kind: MailSecurity})
	})
}

// Resend queues a failed mail again for delivery now, with a fresh count of attempts.
// Only failed mail can be sent again (ErrNotFound otherwise).
func (o Outbox) Resend(ctx context.Context, id int64) (Mail, error) {
	var m Mail
	err := o.DB.Tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+mailColumns+" FROM outbox WHERE id = ? AND status = 'failed'", id)
		if err != nil {
			return err
		}
		ms, err := scanMails(rows)
		if err != nil {
			return err
		}
		if len(ms) == 0 {
			return ErrNotFound
		}
		m = ms[0]
		_, err = tx.ExecContext(ctx, "UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = ? WHERE id = ?", o.DB.NowText(), id)
		return err
	})
	if err != nil {
		return m, fmt.Errorf("outbox resend: %w", err)
	}
	return m, nil
}

// HoldQueuedTx keeps every queued mail from delivery (status held): the demo data set's
// seeded notices name made-up people and links, and must never reach a mail server.
func HoldQueuedTx(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, "UPDATE outbox SET status = 'held', last_error = 'demo data: never delivered' WHERE status = 'queued'")
	if err != nil {
		return fmt.Errorf("outbox hold: %w", err)
	}
	return nil
}
