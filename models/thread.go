package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Plan departments that receive secure messages, per plan type (SPEC §9).
const (
	DeptProviderServices  = "provider_services"
	DeptMedicalManagement = "medical_management"
	DeptClaims            = "claims"
)

// MessageDepartment is a plan department's stored value and label.
type MessageDepartment struct{ Value, Label string }

// MessageDepartments lists the departments a provider office may write to.
var MessageDepartments = []MessageDepartment{
	{DeptProviderServices, "Provider Services"},
	{DeptMedicalManagement, "Medical Management"},
	{DeptClaims, "Claims"},
}

// MessageDepartmentLabel is the label of a department value, or "" when unknown.
func MessageDepartmentLabel(v string) string {
	for _, d := range MessageDepartments {
		if d.Value == v {
			return d.Label
		}
	}
	return ""
}

// MaxThreadMessages is how many messages a thread holds; the next one starts a new
// thread linked to it (as the plan's secure e-mail did: "up to 12 individual
// interactions per email thread").
const MaxThreadMessages = 12

// Thread kinds.
const (
	ThreadPortal   = "portal"
	ThreadEnvelope = "envelope"
)

// Thread is a series of secure messages, as one viewer sees it.
type Thread struct {
	ID            int64
	Kind          string
	AccountID     int64
	AccountName   string
	Department    string
	PlanType      string
	AssigneeID    int64
	AssigneeName  string
	CreatedBy     int64
	MemberID      string
	Status        string
	ResolvedAt    string
	MessageCount  int
	PrevThreadID  int64
	NextThreadID  int64
	PartnerEmail  string
	CreatedAt     string
	LastMessageAt string

	// Subject is the decrypted subject of the thread's first message.
	Subject string
	// Per viewer.
	LastReadSeq int
	Archived    bool
	Participant bool
}

// Unread tells whether the viewer has messages in the thread not yet read.
func (t *Thread) Unread() bool { return t.MessageCount > t.LastReadSeq }

// DepartmentLabel is the thread's department label with its plan type.
func (t *Thread) DepartmentLabel() string {
	l := MessageDepartmentLabel(t.Department)
	if p := PlanTypeLabel(t.PlanType); p != "" && l != "" {
		l += " — " + p
	}
	return l
}

// IsEnvelope tells whether the thread is a registered envelope with an outside partner.
func (t *Thread) IsEnvelope() bool { return t.Kind == ThreadEnvelope }

// Folders of the message center.
const (
	FolderInbox    = "inbox"
	FolderSent     = "sent"
	FolderArchived = "archived"
	FolderAssigned = "assigned"
	FolderQueue    = "queue"
)

const threadColumns = `t.id, t.kind, COALESCE(t.account_id,0), COALESCE(a.name,''), t.department, t.plan_type, COALESCE(t.assignee_id,0),
	COALESCE(au.name,''), COALESCE(t.created_by,0), t.member_id, t.status, COALESCE(t.resolved_at,''), t.message_count,
	COALESCE(t.prev_thread_id,0), COALESCE(t.next_thread_id,0), t.partner_email, t.created_at, t.last_message_at,
	COALESCE(tu.last_read_seq,0), COALESCE(tu.archived,0), COALESCE(tu.participant,0),
	m1.id, m1.wrapped_key, m1.subject`

const threadFrom = ` FROM message_threads t
	LEFT JOIN provider_accounts a ON a.id = t.account_id
	LEFT JOIN users au ON au.id = t.assignee_id
	LEFT JOIN message_thread_users tu ON tu.thread_id = t.id AND tu.user_id = ?
	JOIN messages m1 ON m1.thread_id = t.id AND m1.seq = 1 `

// visibleWhere is the one access rule for threads (SPEC §1, §9), as SQL:
//   - an office user sees the portal threads of their own provider account;
//   - plan staff see the queue of their own department, threads assigned to them,
//     threads they started and threads they wrote in. Staff of another department do
//     not see a queue's threads until someone assigns one to them.
//
// It returns the SQL condition on thread alias t and its arguments.
func visibleWhere(u *User) (string, []any) {
	if !u.IsPlanStaff() {
		return "(t.kind = 'portal' AND t.account_id = (SELECT ?))", []any{u.AccountID}
	}
	// A union of indexed look-ups rather than an OR, so no query scans every thread.
	// Parameters on indexed columns are wrapped as (SELECT ?) so that SQLite's STAT4 does
	// not re-plan the prepared statement at every bind.
	return `t.id IN (SELECT id FROM message_threads WHERE department = (SELECT ?) AND department <> ''
		UNION SELECT id FROM message_threads WHERE assignee_id = (SELECT ?)
		UNION SELECT id FROM message_threads WHERE created_by = (SELECT ?)
		UNION SELECT thread_id FROM message_thread_users WHERE user_id = (SELECT ?) AND participant = 1)`,
		[]any{u.Department, u.ID, u.ID, u.ID}
}

func (s Messages) scanThread(row interface{ Scan(...any) error }) (*Thread, error) {
	var t Thread
	var m1 int64
	var wrapped, subj []byte
	err := row.Scan(&t.ID, &t.Kind, &t.AccountID, &t.AccountName, &t.Department, &t.PlanType, &t.AssigneeID, &t.AssigneeName,
		&t.CreatedBy, &t.MemberID, &t.Status, &t.ResolvedAt, &t.MessageCount, &t.PrevThreadID, &t.NextThreadID, &t.PartnerEmail,
		&t.CreatedAt, &t.LastMessageAt, &t.LastReadSeq, &t.Archived, &t.Participant, &m1, &wrapped, &subj)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	sl, err := s.opener(wrapped, m1)
	if err != nil {
		return nil, err
	}
	b, err := sl.open("subject", subj)
	if err != nil {
		return nil, err
	}
	t.Subject = string(b)
	return &t, nil
}

// listQuery is the SQL of List.
func listQuery(u *User, folder string, limit int) (string, []any) {
	where, args := visibleWhere(u)
	switch folder {
	case FolderSent:
		where += " AND tu.participant = 1 AND COALESCE(tu.archived,0) = 0"
	case FolderArchived:
		where += " AND tu.archived = 1"
	case FolderAssigned:
		where += " AND t.assignee_id = ? AND COALESCE(tu.archived,0) = 0"
		args = append(args, u.ID)
	case FolderQueue:
		where += " AND t.department = ? AND t.status = 'open' AND COALESCE(tu.archived,0) = 0"
		args = append(args, u.Department)
	default:
		where += " AND COALESCE(tu.archived,0) = 0"
	}
	if limit <= 0 {
		limit = 100
	}
	q := "SELECT " + threadColumns + threadFrom + "WHERE " + where + " ORDER BY t.last_message_at DESC, t.id DESC LIMIT ?"
	return q, append(append([]any{u.ID}, args...), limit)
}

// List returns the viewer's threads in folder, newest first.
func (s Messages) List(ctx context.Context, u *User, folder string, limit int) ([]*Thread, error) {
	q, args := listQuery(u, folder, limit)
	st, err := s.DB.Prepared(ctx, s.DB.R, q)
	if err != nil {
		return nil, fmt.Errorf("threads list: %w", err)
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("threads list: %w", err)
	}
	defer rows.Close()
	var out []*Thread
	for rows.Next() {
		t, err := s.scanThread(rows)
		if err != nil {
			return nil, fmt.Errorf("threads list: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// ThreadFor loads thread id if viewer u may see it; otherwise ErrNotFound, so that
// another office's thread IDs reveal nothing.
func (s Messages) ThreadFor(ctx context.Context, u *User, id int64) (*Thread, error) {
	where, args := visibleWhere(u)
	q := "SELECT " + threadColumns + threadFrom + "WHERE t.id = ? AND " + where
	st, err := s.DB.Prepared(ctx, s.DB.R, q)
	if err != nil {
		return nil, fmt.Errorf("thread: %w", err)
	}
	t, err := s.scanThread(st.QueryRowContext(ctx, append([]any{u.ID, id}, args...)...))
	if err != nil {
		return nil, fmt.Errorf("thread: %w", err)
	}
	return t, nil
}

// threadByID loads a thread without a viewer (envelope partners, notices).
func (s Messages) threadByID(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id int64) (*Thread, error) {
	t, err := s.scanThread(q.QueryRowContext(ctx, "SELECT "+threadColumns+threadFrom+"WHERE t.id = ?", 0, id))
	if err != nil {
		return nil, fmt.Errorf("thread: %w", err)
	}
	return t, nil
}

// unreadQuery is the SQL of UnreadCount.
func unreadQuery(u *User) (string, []any) {
	where, args := visibleWhere(u)
	return `SELECT COUNT(*) FROM message_threads t
		LEFT JOIN message_thread_users tu ON tu.thread_id = t.id AND tu.user_id = ?
		WHERE ` + where + ` AND COALESCE(tu.archived,0) = 0 AND t.message_count > COALESCE(tu.last_read_seq,0)`, append([]any{u.ID}, args...)
}

// UnreadCount is the number of the viewer's threads (not archived) with unread messages:
// the Messaging badge, on every page.
func (s Messages) UnreadCount(ctx context.Context, u *User) (int, error) {
	if u == nil {
		return 0, nil
	}
	cache := authCacheFor(s.DB)
	if u.epochs != nil {
		if n, ok := cache.unreadCount(u.ID, *u.epochs); ok {
			return n, nil
		}
	}
	q, args := unreadQuery(u)
	st, err := s.DB.Prepared(ctx, s.DB.R, q)
	if err != nil {
		return 0, fmt.Errorf("unread count: %w", err)
	}
	var n int
	if err := st.QueryRowContext(ctx, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("unread count: %w", err)
	}
	if u.epochs != nil {
		cache.keepUnread(u.ID, *u.epochs, n)
	}
	return n, nil
}

// MarkRead records that u read thread t up to its last message: the read state, a read
// receipt for every message u had not read and did not write, and the audit entry ae
// ("message.read"), in one transaction.
func (s Messages) MarkRead(ctx context.Context, u *User, t *Thread, ae AuditEntry) error {
	u.ForgetKept() // the page shows the badge after this
	now := s.DB.NowText()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if t.LastReadSeq < t.MessageCount {
			if _, err := tx.ExecContext(ctx, `INSERT INTO message_reads(message_id, reader, user_id, read_at)
				SELECT id, ?, ?, ? FROM messages WHERE thread_id = ? AND seq > ? AND COALESCE(sender_id,0) <> ?
				ON CONFLICT DO NOTHING`, u.Email, u.ID, now, t.ID, t.LastReadSeq, u.ID); err != nil {
				return fmt.Errorf("mark read: %w", err)
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO message_thread_users(thread_id, user_id, last_read_seq) VALUES (?,?,?)
				ON CONFLICT(thread_id, user_id) DO UPDATE SET last_read_seq = max(last_read_seq, excluded.last_read_seq)`, t.ID, u.ID, t.MessageCount)
			if err != nil {
				return fmt.Errorf("mark read: %w", err)
			}
		}
		if ae.Action == "" {
			return nil
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, ae)
	})
}

// SetArchived archives (or brings back) a thread for u alone. Nothing is deleted: the
// plan keeps every message for the retention period.
func (s Messages) SetArchived(ctx context.Context, u *User, t *Thread, archived bool) error {
	_, err := s.DB.W.ExecContext(ctx, `INSERT INTO message_thread_users(thread_id, user_id, archived) VALUES (?,?,?)
		ON CONFLICT(thread_id, user_id) DO UPDATE SET archived = excluded.archived`, t.ID, u.ID, archived)
	if err != nil {
		return fmt.Errorf("archive thread: %w", err)
	}
	return nil
}

// Assign gives thread t to plan staff user assigneeID (0 to return it to the queue).
func (s Messages) Assign(ctx context.Context, t *Thread, assigneeID int64) error {
	if assigneeID != 0 {
		u, err := Users{DB: s.DB}.ByID(ctx, assigneeID)
		if err != nil || !u.IsPlanStaff() || u.Status != "active" {
			return FieldErrors{"assignee": "Choose a plan associate from the list."}
		}
	}
	_, err := s.DB.W.ExecContext(ctx, "UPDATE message_threads SET assignee_id = NULLIF(?,0) WHERE id = ?", assigneeID, t.ID)
	if err != nil {
		return fmt.Errorf("assign thread: %w", err)
	}
	return nil
}

// SetResolved marks a thread resolved (or open again).
func (s Messages) SetResolved(ctx context.Context, u *User, t *Thread, resolved bool) error {
	var err error
	if resolved {
		_, err = s.DB.W.ExecContext(ctx, "UPDATE message_threads SET status = 'resolved', resolved_by = ?, resolved_at = ? WHERE id = ?", u.ID, s.DB.NowText(), t.ID)
	} else {
		_, err = s.DB.W.ExecContext(ctx, "UPDATE message_threads SET status = 'open', resolved_by = NULL, resolved_at = NULL WHERE id = ?", t.ID)
	}
	if err != nil {
		return fmt.Errorf("resolve thread: %w", err)
	}
	return nil
}

// MessageRecipient is a plan staff member who can receive secure messages.
type MessageRecipient struct {
	ID         int64
	Name       string
	Email      string
	Department string
}

// Label is "Name (Department)".
func (a MessageRecipient) Label() string {
	if d := MessageDepartmentLabel(a.Department); d != "" {
		return a.Name + " (" + d + ")"
	}
	return a.Name
}

// Associates lists active plan staff who answer secure messages: those in a department
// or holding the associate role.
func (s Messages) Associates(ctx context.Context) ([]MessageRecipient, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name, email, department FROM users
		WHERE account_id IS NULL AND status = 'active' AND (department <> '' OR (' ' || roles || ' ') LIKE '% associate %') ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("associates: %w", err)
	}
	defer rows.Close()
	var out []MessageRecipient
	for rows.Next() {
		var a MessageRecipient
		if err := rows.Scan(&a.ID, &a.Name, &a.Email, &a.Department); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PlanStaffByEmail finds the active plan staff user with address addr on the plan's
// domain, or ErrNotFound: the plan-domain rule for office users' messages.
func (s Messages) PlanStaffByEmail(ctx context.Context, addr, planDomain string) (*User, error) {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if !strings.HasSuffix(addr, "@"+strings.ToLower(planDomain)) {
		return nil, ErrNotFound
	}
	u, err := Users{DB: s.DB}.ByEmail(ctx, addr)
	if err != nil {
		return nil, err
	}
	if !u.IsPlanStaff() || u.Status != "active" {
		return nil, ErrNotFound
	}
	return u, nil
}

// RecipientFlagThreshold is how many refused addressees within a day flag a user to
// plan admins.
const RecipientFlagThreshold = 3

// RecipientFlag is a row plan admins see: a user who repeatedly addressed someone
// outside the plan.
type RecipientFlag struct {
	ID          int64
	UserID      int64
	UserEmail   string
	AccountName string
	Attempts    int
	Detail      string
	CreatedAt   string
}

// RecordRefusedRecipient audits an office user's attempt to address someone outside
// the plan and, at the threshold within 24 hours, flags the user to plan admins.
// It reports whether a flag was raised.
func (s Messages) RecordRefusedRecipient(ctx context.Context, e AuditEntry, domain string) (bool, error) {
	flagged := false
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		e.Action = "message.recipient_refused"
		e.Detail = "addressee outside the plan (domain " + domain + ")"
		if err := (Audit{DB: s.DB}).RecordTx(ctx, tx, e); err != nil {
			return err
		}
		since := s.DB.Now().Add(-24 * 60 * 60 * 1e9).Format(TimeFormat)
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log WHERE user_id = ? AND action = 'message.recipient_refused' AND at >= ?",
			e.UserID, since).Scan(&n); err != nil {
			return err
		}
		if n < RecipientFlagThreshold {
			return nil
		}
		// One flag per user per day.
		var recent int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM message_flags WHERE user_id = ? AND created_at >= ?", e.UserID, since).Scan(&recent); err != nil {
			return err
		}
		if recent > 0 {
			return nil
		}
		flagged = true
		detail := fmt.Sprintf("%d addressees outside the plan refused within 24 hours", n)
		if _, err := tx.ExecContext(ctx, "INSERT INTO message_flags(user_id, account_id, attempts, detail, created_at) VALUES (?, NULLIF(?,0), ?, ?, ?)",
			e.UserID, e.AccountID, n, detail, s.DB.NowText()); err != nil {
			return err
		}
		f := e
		f.Action, f.Detail = "message.recipient_flagged", detail
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, f)
	})
	if err != nil {
		return false, fmt.Errorf("refused recipient: %w", err)
	}
	return flagged, nil
}

// Flags lists the newest recipient flags for plan admins.
func (s Messages) Flags(ctx context.Context, limit int) ([]RecipientFlag, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT f.id, f.user_id, u.email, COALESCE(a.name,''), f.attempts, f.detail, f.created_at
		FROM message_flags f JOIN users u ON u.id = f.user_id LEFT JOIN provider_accounts a ON a.id = f.account_id
		ORDER BY f.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("flags: %w", err)
	}
	defer rows.Close()
	var out []RecipientFlag
	for rows.Next() {
		var f RecipientFlag
		if err := rows.Scan(&f.ID, &f.UserID, &f.UserEmail, &f.AccountName, &f.Attempts, &f.Detail, &f.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// MessageAddress is who an office user's new thread is for, as typed: a choice from the
// list ("dept:KEY" or "user:ID"), or an e-mail address, and an optional member.
type MessageAddress struct {
	To, ToEmail, MemberID string
	PlanDomain            string
}

// Address applies the recipient rules of SPEC §9 to a new office thread nt: messages go
// only to plan staff (a department, or an associate by name or plan address); any other
// address is refused, recorded and, repeated, flagged to the plan; a member reference
// needs a care relationship with the sender's account. Problems go into fe by field.
func (s Messages) Address(ctx context.Context, a Actor, nt *NewThread, to MessageAddress, fe FieldErrors) error {
	switch {
	case to.ToEmail != "":
		staff, err := s.PlanStaffByEmail(ctx, to.ToEmail, to.PlanDomain)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if staff == nil {
			domain := to.ToEmail
			if i := strings.LastIndex(domain, "@"); i >= 0 {
				domain = domain[i+1:]
			}
			domain = Truncate(domain, 80)
			if _, err := s.RecordRefusedRecipient(ctx, a.Stamp(AuditEntry{}), domain); err != nil {
				return err
			}
			fe["to_email"] = "Secure messages go only to plan staff at @" + to.PlanDomain + ". " +
				"This address cannot receive them, so nothing was sent. Choose a department or an associate from the list; the attempt was recorded and repeated attempts are reported to the plan."
		} else {
			nt.AssigneeID, nt.Department = staff.ID, staff.Department
		}
	case strings.HasPrefix(to.To, "dept:"):
		nt.Department = strings.TrimPrefix(to.To, "dept:")
		if MessageDepartmentLabel(nt.Department) == "" {
			fe["to"] = "Choose a department or an associate from the list."
		}
	case strings.HasPrefix(to.To, "user:"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(to.To, "user:"), 10, 64)
		as, err := s.Associates(ctx)
		if err != nil {
			return err
		}
		for _, x := range as {
			if x.ID == id {
				nt.AssigneeID, nt.Department = x.ID, x.Department
			}
		}
		if nt.AssigneeID == 0 {
			fe["to"] = "Choose a department or an associate from the list."
		}
	default:
		fe["to"] = "Choose who should receive the message: a department or an associate."
	}
	if to.MemberID != "" {
		ok := false
		members := Members{DB: s.DB}
		m, err := members.ByMemberID(ctx, to.MemberID)
		if err == nil {
			if ok, err = members.CareRelationship(ctx, a.AccountID, m); err != nil {
				return err
			}
			nt.MemberID = m.MemberID
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if !ok {
			fe["member_id"] = "No member with this ID has a care relationship on file with your office. Check the member ID, or leave it empty."
		}
	}
	return nil
}
