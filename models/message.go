package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"portico/db"
)

// Messages stores and reads secure messages, encrypting every subject, body and
// attachment at rest under a data key per message (see crypto.go and keyring.go).
type Messages struct {
	DB   *db.DB
	Keys *Keyring
	// BaseURL and PlanName go into e-mail notices.
	BaseURL  string
	PlanName string
	// EnvelopeTTL is how long a registered envelope stays open (default 30 days).
	EnvelopeTTL time.Duration
}

// Message is one decrypted message of a thread.
type Message struct {
	ID          int64
	ThreadID    int64
	Seq         int
	SenderID    int64
	SenderLabel string
	FromPartner bool
	Subject     string
	Body        string
	CreatedAt   string
	Attachments []Attachment
	Reads       []ReadReceipt
}

// ReadReceipt is a read receipt: who read a message, when.
type ReadReceipt struct {
	Reader string
	ReadAt string
}

// MessageDraft is what a sender wrote.
type MessageDraft struct {
	Subject string
	Body    string
	Files   []AttachmentUpload
}

// Limits of a draft's text.
const (
	MaxMessageSubjectLen = 200
	MaxMessageBodyLen    = 20000
)

// Validate checks subject and body, returning field messages.
func (d MessageDraft) Validate(needSubject bool) FieldErrors {
	fe := FieldErrors{}
	if needSubject && strings.TrimSpace(d.Subject) == "" {
		fe["subject"] = "Enter a subject."
	} else if len([]rune(d.Subject)) > MaxMessageSubjectLen {
		fe["subject"] = fmt.Sprintf("Keep the subject to %d characters.", MaxMessageSubjectLen)
	}
	if strings.TrimSpace(d.Body) == "" {
		fe["body"] = "Write your message."
	} else if len([]rune(d.Body)) > MaxMessageBodyLen {
		fe["body"] = fmt.Sprintf("Keep the message to %d characters; attach longer documents as files.", MaxMessageBodyLen)
	}
	if len(d.Files) > MaxAttachments {
		fe["attachments"] = fmt.Sprintf("Attach at most %d files to one message.", MaxAttachments)
	}
	return fe
}

// MessageAuthor is who sends a message: a signed-in user, or an envelope partner.
type MessageAuthor struct {
	User            *User
	PartnerUsername string
}

func (a MessageAuthor) label() string {
	if a.User != nil {
		return a.User.Name
	}
	return a.PartnerUsername
}

func (a MessageAuthor) isStaff() bool { return a.User != nil && a.User.IsPlanStaff() }

// NewThread describes a thread to start.
type NewThread struct {
	Kind         string // portal (default) or envelope
	AccountID    int64  // office side of a portal thread
	Department   string
	PlanType     string
	AssigneeID   int64
	MemberID     string
	PartnerEmail string // envelope threads
}

// SendResult says where a message went.
type SendResult struct {
	ThreadID  int64
	MessageID int64
	// Continued is true when the thread was full and the message started a new one.
	Continued bool
	// EnvelopeUsername is set when a registered envelope credential was made.
	EnvelopeUsername string
}

// EnvelopeExpirySetting is the settings key that holds how many days a registered
// envelope stays open (SPEC §9: a setting; 30 days when unset).
const EnvelopeExpirySetting = "envelope_expiry_days"

func (s Messages) ttl() time.Duration {
	if s.EnvelopeTTL > 0 {
		return s.EnvelopeTTL
	}
	if s.DB != nil {
		var v string
		if err := s.DB.R.QueryRow("SELECT value FROM settings WHERE key = ?", EnvelopeExpirySetting).Scan(&v); err == nil {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 && n <= 3650 {
				return time.Duration(n) * 24 * time.Hour
			}
		}
	}
	return 30 * 24 * time.Hour
}

// PurgeExpired removes the threads whose last message is older than the retention
// period, with everything that belongs to them, and expired partner sessions. Users
// never destroy messages; this is the plan's retention rule (default 10 years). It
// audits how many threads went, never what they said.
func (s Messages) PurgeExpired(ctx context.Context, retention time.Duration) (int, error) {
	if retention <= 0 {
		return 0, nil
	}
	cutoff := s.DB.Now().Add(-retention).Format(TimeFormat)
	n := 0
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM envelope_sessions WHERE expires_at <= ?", s.DB.NowText()); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM message_threads WHERE last_message_at < ?", cutoff).Scan(&n); err != nil || n == 0 {
			return err
		}
		old := "(SELECT id FROM message_threads WHERE last_message_at < ?)"
		for _, q := range []string{
			"UPDATE message_threads SET prev_thread_id = NULL WHERE prev_thread_id IN " + old,
			"UPDATE message_threads SET next_thread_id = NULL WHERE next_thread_id IN " + old,
			"DELETE FROM message_reads WHERE message_id IN (SELECT id FROM messages WHERE thread_id IN " + old + ")",
			"DELETE FROM message_attachments WHERE message_id IN (SELECT id FROM messages WHERE thread_id IN " + old + ")",
			"DELETE FROM messages WHERE thread_id IN " + old,
			"DELETE FROM message_thread_users WHERE thread_id IN " + old,
			"DELETE FROM envelope_sessions WHERE credential_id IN (SELECT id FROM envelope_credentials WHERE thread_id IN " + old + ")",
			"DELETE FROM envelope_credentials WHERE thread_id IN " + old,
			"DELETE FROM message_threads WHERE id IN " + old,
		} {
			if _, err := tx.ExecContext(ctx, q, cutoff); err != nil {
				return fmt.Errorf("retention purge: %w", err)
			}
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, AuditEntry{Action: "message.retention_purge", ObjectType: "message_thread",
			Detail: fmt.Sprintf("%d thread(s) past the retention period removed", n)})
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// Start opens a thread with its first message. The message, its audit entry
// ("message.send", no message text) and the e-mail notices commit together.
func (s Messages) Start(ctx context.Context, nt NewThread, a MessageAuthor, d MessageDraft, ae AuditEntry) (*SendResult, error) {
	var res *SendResult
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = s.StartTx(ctx, tx, nt, a, d, ae)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// StartTx is Start inside tx (the demo filler uses it).
func (s Messages) StartTx(ctx context.Context, tx *sql.Tx, nt NewThread, a MessageAuthor, d MessageDraft, ae AuditEntry) (*SendResult, error) {
	now := s.DB.NowText()
	tid, err := s.insertThread(ctx, tx, nt, a, 0, now)
	if err != nil {
		return nil, err
	}
	res := &SendResult{ThreadID: tid}
	if nt.Kind == ThreadEnvelope {
		if res.EnvelopeUsername, err = s.createCredential(ctx, tx, tid, nt.PartnerEmail, now); err != nil {
			return nil, err
		}
	}
	if res.MessageID, err = s.addTx(ctx, tx, tid, 1, a, d, now); err != nil {
		return nil, err
	}
	if err := s.afterSend(ctx, tx, tid, nt.MemberID, res.MessageID, 1, a, len(d.Files), ae); err != nil {
		return nil, err
	}
	return res, nil
}

// Reply adds a message to thread t. A full thread (12 messages) is continued by a new
// thread linked both ways; for a registered envelope the partner gets a new credential
// and link for it.
func (s Messages) Reply(ctx context.Context, t *Thread, a MessageAuthor, d MessageDraft, ae AuditEntry) (*SendResult, error) {
	var res *SendResult
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = s.ReplyTx(ctx, tx, t.ID, a, d, ae)
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ReplyTx is Reply inside tx.
func (s Messages) ReplyTx(ctx context.Context, tx *sql.Tx, threadID int64, a MessageAuthor, d MessageDraft, ae AuditEntry) (*SendResult, error) {
	now := s.DB.NowText()
	var nt NewThread
	var count int
	var next int64
	var acct, assignee sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT kind, account_id, department, plan_type, assignee_id, member_id, partner_email, message_count, COALESCE(next_thread_id,0)
		FROM message_threads WHERE id = ?`, threadID).Scan(&nt.Kind, &acct, &nt.Department, &nt.PlanType, &assignee, &nt.MemberID, &nt.PartnerEmail, &count, &next)
	if err != nil {
		return nil, fmt.Errorf("reply: %w", err)
	}
	nt.AccountID, nt.AssigneeID = acct.Int64, assignee.Int64
	if d.Subject == "" {
		d.Subject, err = s.subjectTx(ctx, tx, threadID)
		if err != nil {
			return nil, err
		}
	}
	res := &SendResult{ThreadID: threadID}
	if next != 0 {
		// Already continued: the reply belongs to the newest thread of the series.
		return s.ReplyTx(ctx, tx, next, a, d, ae)
	}
	seq := count + 1
	if count >= MaxThreadMessages {
		tid, err := s.insertThread(ctx, tx, nt, a, threadID, now)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE message_threads SET next_thread_id = ? WHERE id = ?", tid, threadID); err != nil {
			return nil, fmt.Errorf("reply: %w", err)
		}
		// Staff who worked the old thread keep the new one.
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_thread_users(thread_id, user_id, participant)
			SELECT ?, user_id, 1 FROM message_thread_users WHERE thread_id = ? AND participant = 1`, tid, threadID); err != nil {
			return nil, fmt.Errorf("reply: %w", err)
		}
		if nt.Kind == ThreadEnvelope {
			if res.EnvelopeUsername, err = s.createCredential(ctx, tx, tid, nt.PartnerEmail, now); err != nil {
				return nil, err
			}
			if !a.isStaff() {
				// The partner continues in a new thread with its own credential: send its link.
				token, err := s.linkTokenTx(ctx, tx, tid)
				if err != nil {
					return nil, err
				}
				if err := (Outbox{DB: s.DB}).EnqueueTx(ctx, tx, nt.PartnerEmail, NoticeSubject, s.noticeBody(s.BaseURL+"/envelope/"+token)); err != nil {
					return nil, err
				}
			}
		}
		res.ThreadID, res.Continued, seq = tid, true, 1
	}
	if res.MessageID, err = s.addTx(ctx, tx, res.ThreadID, seq, a, d, now); err != nil {
		return nil, err
	}
	if err := s.afterSend(ctx, tx, res.ThreadID, nt.MemberID, res.MessageID, seq, a, len(d.Files), ae); err != nil {
		return nil, err
	}
	return res, nil
}

func (s Messages) insertThread(ctx context.Context, tx *sql.Tx, nt NewThread, a MessageAuthor, prev int64, now string) (int64, error) {
	kind := nt.Kind
	if kind == "" {
		kind = ThreadPortal
	}
	var createdBy int64
	if a.User != nil {
		createdBy = a.User.ID
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO message_threads(kind, account_id, department, plan_type, assignee_id, created_by, member_id,
		prev_thread_id, partner_email, created_at, last_message_at) VALUES (?, NULLIF(?,0), ?, ?, NULLIF(?,0), NULLIF(?,0), ?, NULLIF(?,0), ?, ?, ?)`,
		kind, nt.AccountID, nt.Department, nt.PlanType, nt.AssigneeID, createdBy, nt.MemberID, prev, nt.PartnerEmail, now, now)
	if err != nil {
		return 0, fmt.Errorf("thread insert: %w", err)
	}
	return r.LastInsertId()
}

// addTx encrypts and stores one message with its attachments. IDs are chosen inside
// the write transaction (one writer), so the message ID is known before encryption and
// becomes associated data of every ciphertext.
func (s Messages) addTx(ctx context.Context, tx *sql.Tx, threadID int64, seq int, a MessageAuthor, d MessageDraft, now string) (int64, error) {
	var msgID int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id),0)+1 FROM messages").Scan(&msgID); err != nil {
		return 0, fmt.Errorf("message id: %w", err)
	}
	dk := newDataKey()
	keyID, wrapped, err := s.Keys.wrap(dk, msgID)
	if err != nil {
		return 0, err
	}
	sl, err := newSealer(dk, msgID)
	if err != nil {
		return 0, err
	}
	var sender any
	if a.User != nil {
		sender = a.User.ID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO messages(id, thread_id, seq, sender_id, sender_label, key_id, wrapped_key, subject, body, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?)`, msgID, threadID, seq, sender, a.label(), keyID, wrapped,
		sl.seal("subject", []byte(d.Subject)), sl.seal("body", []byte(d.Body)), now)
	if err != nil {
		return 0, fmt.Errorf("message insert: %w", err)
	}
	if len(d.Files) > 0 {
		var attID int64
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id),0) FROM message_attachments").Scan(&attID); err != nil {
			return 0, err
		}
		for _, f := range d.Files {
			attID++
			_, err := tx.ExecContext(ctx, `INSERT INTO message_attachments(id, message_id, name, mime, size, data, created_at) VALUES (?,?,?,?,?,?,?)`,
				attID, msgID, sl.seal(fmt.Sprintf("att:%d:name", attID), []byte(f.Name)), f.MIME, len(f.Data),
				sl.seal(fmt.Sprintf("att:%d:data", attID), f.Data), now)
			if err != nil {
				return 0, fmt.Errorf("attachment insert: %w", err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE message_threads SET message_count = ?, last_message_at = ? WHERE id = ?", seq, now, threadID); err != nil {
		return 0, fmt.Errorf("thread update: %w", err)
	}
	if seq > 1 {
		// A new message from the office or a partner reopens a resolved thread.
		if !a.isStaff() {
			if _, err := tx.ExecContext(ctx, "UPDATE message_threads SET status = 'open', resolved_by = NULL, resolved_at = NULL WHERE id = ? AND status = 'resolved'", threadID); err != nil {
				return 0, err
			}
		}
		// A new message brings an archived thread back to everyone's inbox.
		if _, err := tx.ExecContext(ctx, "UPDATE message_thread_users SET archived = 0 WHERE thread_id = ? AND archived = 1", threadID); err != nil {
			return 0, err
		}
	}
	if a.User != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_thread_users(thread_id, user_id, last_read_seq, participant) VALUES (?,?,?,1)
			ON CONFLICT(thread_id, user_id) DO UPDATE SET last_read_seq = excluded.last_read_seq, participant = 1`, threadID, a.User.ID, seq); err != nil {
			return 0, err
		}
	}
	return msgID, nil
}

// afterSend audits the send and queues the e-mail notices, in the send's transaction.
func (s Messages) afterSend(ctx context.Context, tx *sql.Tx, threadID int64, memberID string, msgID int64, seq int, a MessageAuthor, files int, ae AuditEntry) error {
	ae.Action = "message.send"
	ae.ObjectType = "message"
	ae.ObjectID = strconv.FormatInt(msgID, 10)
	ae.MemberID = memberID
	ae.Detail = fmt.Sprintf("thread %d, message %d of at most %d, %d attachment(s)", threadID, seq, MaxThreadMessages, files)
	if err := (Audit{DB: s.DB}).RecordTx(ctx, tx, ae); err != nil {
		return err
	}
	return s.notifyTx(ctx, tx, threadID, a)
}

// NoticeSubject is the subject of every new-message notice. Notices (see noticeBody) hold no
// health information and no message text: only that a secure message is waiting, and where.
const NoticeSubject = "A secure message is waiting for you"

func (s Messages) noticeBody(link string) string { return s.noticeBodyFrom(link, "") }

// noticeBodyFrom is a notice naming who wrote (the plan when writer is empty).
func (s Messages) noticeBodyFrom(link, writer string) string {
	if writer == "" {
		writer = s.planLabel()
	}
	return "A new secure message from " + writer + " is waiting for you in the " + s.planLabel() + " provider portal.\n\n" +
		"Open it here:\n" + link + "\n\n" +
		"For your privacy this e-mail holds no patient or message details. Please do not reply to it.\n"
}

func (s Messages) planLabel() string {
	if s.PlanName == "" {
		return "your health plan"
	}
	return s.PlanName
}

// writerLabel names who wrote, for a notice: the plan, the office by its name, or an
// outside partner. Never the person's name, the member or anything from the message.
func (s Messages) writerLabel(ctx context.Context, tx *sql.Tx, a MessageAuthor) string {
	switch {
	case a.User == nil:
		return "an outside partner (registered envelope)"
	case a.isStaff():
		return s.planLabel()
	}
	var name string
	if err := tx.QueryRowContext(ctx, "SELECT name FROM provider_accounts WHERE id = ?", a.User.AccountID).Scan(&name); err != nil || name == "" {
		return "a provider office"
	}
	return "the provider office " + name
}

// notifyTx queues notices to the other side of the thread.
func (s Messages) notifyTx(ctx context.Context, tx *sql.Tx, threadID int64, a MessageAuthor) error {
	var kind, dept, partner string
	var acct, assignee, creator sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT kind, account_id, department, assignee_id, created_by, partner_email FROM message_threads WHERE id = ?", threadID).
		Scan(&kind, &acct, &dept, &assignee, &creator, &partner); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	self := ""
	if a.User != nil {
		self = strings.ToLower(a.User.Email)
	}
	var to []string
	link := s.BaseURL + "/messages"
	switch {
	case kind == ThreadEnvelope && a.isStaff():
		token, err := s.linkTokenTx(ctx, tx, threadID)
		if err != nil {
			return err
		}
		to, link = []string{partner}, s.BaseURL+"/envelope/"+token
	case a.isStaff():
		rows, err := tx.QueryContext(ctx, `SELECT u.email FROM users u WHERE u.status = 'active' AND u.account_id = ? AND u.id IN
			(SELECT user_id FROM message_thread_users WHERE thread_id = ? AND participant = 1 UNION SELECT ?)`, acct, threadID, creator)
		if err != nil {
			return err
		}
		to, err = scanMsgStrings(rows)
		if err != nil {
			return err
		}
	default:
		// From the office or the partner to the plan: the assignee, else the department.
		q, args := "SELECT email FROM users WHERE status = 'active' AND account_id IS NULL AND id = ?", []any{assignee.Int64}
		if !assignee.Valid {
			q, args = "SELECT email FROM users WHERE status = 'active' AND account_id IS NULL AND department = ? AND department <> ''", []any{dept}
		}
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		to, err = scanMsgStrings(rows)
		if err != nil {
			return err
		}
	}
	body := s.noticeBodyFrom(link, s.writerLabel(ctx, tx, a))
	for _, addr := range to {
		if strings.ToLower(addr) == self || addr == "" {
			continue
		}
		if err := (Outbox{DB: s.DB}).EnqueueTx(ctx, tx, addr, NoticeSubject, body); err != nil {
			return err
		}
	}
	return nil
}

func scanMsgStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// readQuery runs a read-only query through a statement prepared once per reader pool.
func (s Messages) readQuery(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.DB.Prepared(ctx, s.DB.R, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// opener returns the sealer of a message from its wrapped data key.
func (s Messages) opener(wrapped []byte, msgID int64) (*sealer, error) {
	dk, err := s.Keys.unwrap(wrapped, msgID)
	if err != nil {
		return nil, fmt.Errorf("message %d: %w", msgID, err)
	}
	return newSealer(dk, msgID)
}

func (s Messages) subjectTx(ctx context.Context, tx *sql.Tx, threadID int64) (string, error) {
	var id int64
	var w, subj []byte
	if err := tx.QueryRowContext(ctx, "SELECT id, wrapped_key, subject FROM messages WHERE thread_id = ? AND seq = 1", threadID).Scan(&id, &w, &subj); err != nil {
		return "", fmt.Errorf("thread subject: %w", err)
	}
	sl, err := s.opener(w, id)
	if err != nil {
		return "", err
	}
	b, err := sl.open("subject", subj)
	if err != nil {
		return "", err
	}
	sub := string(b)
	if !strings.HasPrefix(sub, "Re: ") {
		sub = "Re: " + sub
	}
	return sub, nil
}

// ThreadMessages decrypts the messages of thread t in order, with attachment details
// and, when receipts is set (plan staff), who read each message when.
func (s Messages) ThreadMessages(ctx context.Context, t *Thread, receipts bool) ([]*Message, error) {
	rows, err := s.readQuery(ctx, `SELECT id, seq, COALESCE(sender_id,0), sender_label, wrapped_key, subject, body, created_at
		FROM messages WHERE thread_id = (SELECT ?) ORDER BY seq`, t.ID)
	if err != nil {
		return nil, fmt.Errorf("thread messages: %w", err)
	}
	var out []*Message
	byID := map[int64]*Message{}
	openers := map[int64]*sealer{}
	for rows.Next() {
		m := &Message{ThreadID: t.ID}
		var w, subj, body []byte
		if err := rows.Scan(&m.ID, &m.Seq, &m.SenderID, &m.SenderLabel, &w, &subj, &body, &m.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		m.FromPartner = m.SenderID == 0
		sl, err := s.opener(w, m.ID)
		if err != nil {
			rows.Close()
			return nil, err
		}
		sb, err1 := sl.open("subject", subj)
		bb, err2 := sl.open("body", body)
		if err1 != nil || err2 != nil {
			rows.Close()
			return nil, fmt.Errorf("message %d: %w", m.ID, ErrDecrypt)
		}
		m.Subject, m.Body = string(sb), string(bb)
		out = append(out, m)
		byID[m.ID] = m
		openers[m.ID] = sl
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	arows, err := s.readQuery(ctx, `SELECT at.id, at.message_id, at.mime, at.size, at.name FROM message_attachments at
		JOIN messages m ON m.id = at.message_id WHERE m.thread_id = (SELECT ?) ORDER BY at.id`, t.ID)
	if err != nil {
		return nil, err
	}
	for arows.Next() {
		var a Attachment
		var name []byte
		if err := arows.Scan(&a.ID, &a.MessageID, &a.MIME, &a.Size, &name); err != nil {
			arows.Close()
			return nil, err
		}
		a.ThreadID = t.ID
		if n, err := openers[a.MessageID].open(fmt.Sprintf("att:%d:name", a.ID), name); err == nil {
			a.Name = string(n)
		}
		byID[a.MessageID].Attachments = append(byID[a.MessageID].Attachments, a)
	}
	arows.Close()
	if !receipts {
		return out, arows.Err()
	}
	rrows, err := s.readQuery(ctx, `SELECT r.message_id, COALESCE(u.name || ' (' || r.reader || ')', r.reader), r.read_at FROM message_reads r
		JOIN messages m ON m.id = r.message_id LEFT JOIN users u ON u.id = r.user_id WHERE m.thread_id = (SELECT ?) ORDER BY r.read_at`, t.ID)
	if err != nil {
		return nil, err
	}
	defer rrows.Close()
	for rrows.Next() {
		var id int64
		var r ReadReceipt
		if err := rrows.Scan(&id, &r.Reader, &r.ReadAt); err != nil {
			return nil, err
		}
		byID[id].Reads = append(byID[id].Reads, r)
	}
	return out, rrows.Err()
}
