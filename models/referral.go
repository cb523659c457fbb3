package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"portico/db"
)

// Choice is a stored value and the words users read for it.
type Choice struct{ Value, Label string }

// ReferralReasons are the reasons an office may refer a member to care management.
var ReferralReasons = []Choice{
	{"complex_case", "Complex case management"},
	{"disease_management", "Disease management"},
	{"behavioral_health", "Behavioral health"},
	{"maternity", "Maternity"},
	{"transitions_of_care", "Transitions of care"},
	{"social_needs", "Social needs"},
}

// ReferralUrgencies are the urgencies of a referral.
var ReferralUrgencies = []Choice{{"routine", "Routine"}, {"urgent", "Urgent"}}

func choiceLabel(cs []Choice, v string) string {
	for _, c := range cs {
		if c.Value == v {
			return c.Label
		}
	}
	return v
}

func validChoice(cs []Choice, v string) bool {
	for _, c := range cs {
		if c.Value == v {
			return true
		}
	}
	return false
}

// Referral statuses: received → assigned → accepted → closed, or declined.
const (
	ReferralReceived = "received"
	ReferralAssigned = "assigned"
	ReferralAccepted = "accepted"
	ReferralDeclined = "declined"
	ReferralClosed   = "closed"
)

// ReferralStatusLabel is a referral status in words.
func ReferralStatusLabel(s string) string {
	switch s {
	case ReferralReceived:
		return "Received"
	case ReferralAssigned:
		return "Assigned to a case manager"
	case ReferralAccepted:
		return "Accepted"
	case ReferralDeclined:
		return "Declined"
	case ReferralClosed:
		return "Closed"
	}
	return s
}

// ReferralStatusClass is the status colour of a referral status.
func ReferralStatusClass(s string) string {
	switch s {
	case ReferralAccepted:
		return "status-ok"
	case ReferralDeclined:
		return "status-bad"
	case ReferralClosed:
		return "status-info"
	}
	return "status-warn"
}

// Field limits of the referral form, checked before SQL.
const (
	MaxContactName  = 100
	MaxContactPhone = 30
	MaxNotes        = 4000
	MaxAnswer       = 1000
)

// ReferralInput is the office's referral as typed: the form of the Referrals section
// (bound by the handlers' form pipeline; Validate holds the domain rules).
type ReferralInput struct {
	Reason       string             `form:"reason" label:"the reason" validate:"maxrunes=40"`
	Urgency      string             `form:"urgency" label:"the urgency" validate:"maxrunes=20"`
	ContactName  string             `form:"contact_name" label:"the contact's name" validate:"maxrunes=100"`
	ContactPhone string             `form:"contact_phone" label:"the contact phone" validate:"maxrunes=30"`
	Notes        string             `form:"notes" label:"the notes" validate:"maxrunes=4000"`
	Files        []AttachmentUpload `form:"-"`
}

// Validate checks the referral's fields; messages sit next to each field.
func (in ReferralInput) Validate() FieldErrors {
	errs := FieldErrors{}
	if !validChoice(ReferralReasons, in.Reason) {
		errs["reason"] = "Choose the reason for the referral."
	}
	if !validChoice(ReferralUrgencies, in.Urgency) {
		errs["urgency"] = "Choose routine or urgent."
	}
	switch n := utf8.RuneCountInString(in.ContactName); {
	case strings.TrimSpace(in.ContactName) == "":
		errs["contact_name"] = "Enter who the case manager should contact at your office."
	case n > MaxContactName:
		errs["contact_name"] = fmt.Sprintf("Use at most %d characters.", MaxContactName)
	}
	digits := 0
	for _, r := range in.ContactPhone {
		if r >= '0' && r <= '9' {
			digits++
		} else if !strings.ContainsRune(" ()-.+x", r) {
			digits = -100
		}
	}
	switch {
	case utf8.RuneCountInString(in.ContactPhone) > MaxContactPhone:
		errs["contact_phone"] = fmt.Sprintf("Use at most %d characters.", MaxContactPhone)
	case digits < 10:
		errs["contact_phone"] = "Enter a phone number with area code, such as 555-201-0100."
	}
	if utf8.RuneCountInString(in.Notes) > MaxNotes {
		errs["notes"] = fmt.Sprintf("Notes may be at most %d characters; yours has %d.", MaxNotes, utf8.RuneCountInString(in.Notes))
	}
	if len(in.Files) > MaxAttachments {
		errs["attachments"] = fmt.Sprintf("Attach at most %d files.", MaxAttachments)
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Referral is a care management referral.
type Referral struct {
	ID           int64
	RefNo        string
	MemberPK     int64
	MemberID     string
	MemberName   string
	PlanType     string
	AccountID    int64
	AccountName  string
	CreatedBy    string
	Reason       string
	Urgency      string
	ContactName  string
	ContactPhone string
	Notes        string
	Status       string
	AssigneeID   int64
	AssigneeName string
	Answer       string
	ReceivedAt   string
	UpdatedAt    string
	// Sensitive is the referral's sensitive-service category ("" for none), from its
	// reason or the privacy officer's correction.
	Sensitive   string
	Attachments []Attachment
}

// SensitiveLabel is the referral's sensitive-service category in words ("" for none).
func (r *Referral) SensitiveLabel() string { return SensitiveLabel(r.Sensitive) }

// ReasonLabel is the reason in words.
func (r *Referral) ReasonLabel() string { return choiceLabel(ReferralReasons, r.Reason) }

// UrgencyLabel is the urgency in words.
func (r *Referral) UrgencyLabel() string { return choiceLabel(ReferralUrgencies, r.Urgency) }

// StatusLabel is the status in words.
func (r *Referral) StatusLabel() string { return ReferralStatusLabel(r.Status) }

// StatusClass is the status colour.
func (r *Referral) StatusClass() string { return ReferralStatusClass(r.Status) }

// Open tells whether the referral still waits for the plan.
func (r *Referral) Open() bool {
	return r.Status == ReferralReceived || r.Status == ReferralAssigned || r.Status == ReferralAccepted
}

// Queries of the referral pages, named so that the EXPLAIN test checks them.
const (
	qReferralQueueCount  = "SELECT COUNT(*) FROM referrals WHERE status IN ('received','assigned','accepted')"
	qReferralQueueTail   = "WHERE r.status IN ('received','assigned','accepted') ORDER BY r.priority, r.received_at LIMIT ? OFFSET ?"
	qReferralsOfficeTail = "WHERE r.member_pk = ? AND r.account_id = ? ORDER BY r.received_at DESC LIMIT 200"
	qReferralCounts      = `SELECT
			COALESCE(SUM(status = 'received'), 0),
			COALESCE(SUM(status IN ('assigned','accepted') AND assignee_id = ?), 0),
			COALESCE(SUM(priority = 0 AND status IN ('received','assigned')), 0)
		FROM referrals WHERE status IN ('received','assigned','accepted')`
)

// Referrals stores care management referrals.
type Referrals struct {
	DB *db.DB
	// Keys seals the referral's free text (the office's notes, the case manager's answer).
	Keys *Keyring
}

// openNotes replaces the sealed notes and answer of r with their text (UnreadableNote
// for one that does not open).
func (s Referrals) openNotes(r *Referral) {
	ns, err := s.Keys.noteSealer(notePurposeClinical)
	if err != nil {
		ns = nil
	}
	row := noteRow(r.ID)
	r.Notes = ns.show("referrals", "notes", row, r.Notes)
	r.Answer = ns.show("referrals", "answer", row, r.Answer)
}

func (s Referrals) now() string { return s.DB.NowText() }

const referralColumns = `r.id, r.ref_no, r.member_pk, m.member_id, m.first_name || ' ' || m.last_name || CASE WHEN m.suffix <> '' THEN ' ' || m.suffix ELSE '' END, m.plan_type, r.account_id, a.name,
	u.name, r.reason, r.urgency, r.contact_name, r.contact_phone, r.notes, r.status, COALESCE(r.assignee_id,0), COALESCE(s.name,''),
	r.answer, r.received_at, r.updated_at, r.sensitive_category`

const referralFrom = ` FROM referrals r JOIN members m ON m.id = r.member_pk JOIN provider_accounts a ON a.id = r.account_id
	JOIN users u ON u.id = r.created_by LEFT JOIN users s ON s.id = r.assignee_id `

func scanReferral(row interface{ Scan(...any) error }) (*Referral, error) {
	var r Referral
	err := row.Scan(&r.ID, &r.RefNo, &r.MemberPK, &r.MemberID, &r.MemberName, &r.PlanType, &r.AccountID, &r.AccountName,
		&r.CreatedBy, &r.Reason, &r.Urgency, &r.ContactName, &r.ContactPhone, &r.Notes, &r.Status, &r.AssigneeID, &r.AssigneeName,
		&r.Answer, &r.ReceivedAt, &r.UpdatedAt, &r.Sensitive)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &r, err
}

func (s Referrals) list(ctx context.Context, tail string, args ...any) ([]*Referral, error) {
	rows, err := s.DB.R.QueryContext(ctx, "SELECT "+referralColumns+referralFrom+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("referrals: %w", err)
	}
	defer rows.Close()
	var out []*Referral
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, fmt.Errorf("referrals: %w", err)
		}
		s.openNotes(r)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ForMember lists the member's referrals, newest first. accountID limits them to one
// office's own referrals (0: all, for case managers).
func (s Referrals) ForMember(ctx context.Context, memberPK, accountID int64) ([]*Referral, error) {
	var list []*Referral
	var err error
	if accountID == 0 {
		list, err = s.list(ctx, "WHERE r.member_pk = ? ORDER BY r.received_at DESC LIMIT 200", memberPK)
	} else {
		list, err = s.list(ctx, qReferralsOfficeTail, memberPK, accountID)
	}
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		if r.Attachments, err = s.attachments(ctx, r.ID); err != nil {
			return nil, err
		}
	}
	return list, nil
}

// attachments lists a referral's attachments (without contents).
func (s Referrals) attachments(ctx context.Context, id int64) ([]Attachment, error) {
	rows, err := s.DB.R.QueryContext(ctx, "SELECT id, name, mime, size FROM referral_attachments WHERE referral_id = ? ORDER BY id", id)
	if err != nil {
		return nil, fmt.Errorf("referral attachments: %w", err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		if err := rows.Scan(&a.ID, &a.Name, &a.MIME, &a.Size); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Queue lists open referrals (received, assigned, accepted): urgent first, then by
// received date, oldest first, through the referrals_open index.
func (s Referrals) Queue(ctx context.Context, limit, offset int) ([]*Referral, int, error) {
	var total int
	if err := s.DB.R.QueryRowContext(ctx, qReferralQueueCount).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("referral queue: %w", err)
	}
	list, err := s.list(ctx, qReferralQueueTail, limit, offset)
	return list, total, err
}

// Get loads one referral with its attachment list (without contents).
func (s Referrals) Get(ctx context.Context, id int64) (*Referral, error) {
	r, err := scanReferral(s.DB.R.QueryRowContext(ctx, "SELECT "+referralColumns+referralFrom+"WHERE r.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("referral: %w", err)
	}
	s.openNotes(r)
	r.Attachments, err = s.attachments(ctx, id)
	return r, err
}

// Attachment loads one attachment of referral refID with its content.
func (s Referrals) Attachment(ctx context.Context, refID, id int64) (*Attachment, error) {
	var a Attachment
	err := s.DB.R.QueryRowContext(ctx, "SELECT id, name, mime, size, data FROM referral_attachments WHERE id = ? AND referral_id = ?", id, refID).
		Scan(&a.ID, &a.Name, &a.MIME, &a.Size, &a.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("referral attachment: %w", ErrNotFound)
	}
	return &a, err
}

// Create files a referral from office user u's account for the member, with its
// attachments and audit entry, in one transaction.
func (s Referrals) Create(ctx context.Context, memberPK int64, u *User, in ReferralInput, e AuditEntry) (*Referral, error) {
	if errs := in.Validate(); errs != nil {
		return nil, errs
	}
	if u.AccountID == 0 {
		return nil, ErrForbidden
	}
	prio := 1
	if in.Urgency == "urgent" {
		prio = 0
	}
	ns, err := s.Keys.noteSealer(notePurposeClinical)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// The notes are sealed to the row's ID, known once the row is in.
		res, err := tx.ExecContext(ctx, `INSERT INTO referrals(ref_no, member_pk, account_id, created_by, reason, urgency, priority,
			contact_name, contact_phone, notes, status, received_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', 'received', ?, ?)`, "new-"+RandomToken(8), memberPK, u.AccountID, u.ID, in.Reason, in.Urgency, prio,
			strings.TrimSpace(in.ContactName), strings.TrimSpace(in.ContactPhone), now, now)
		if err != nil {
			return fmt.Errorf("create referral: %w", err)
		}
		id, _ = res.LastInsertId()
		if _, err := tx.ExecContext(ctx, "UPDATE referrals SET ref_no = ?, notes = ? WHERE id = ?", ReferralNumber(id),
			ns.seal("referrals", "notes", noteRow(id), in.Notes), id); err != nil {
			return fmt.Errorf("create referral: %w", err)
		}
		for _, f := range in.Files {
			if _, err := tx.ExecContext(ctx, "INSERT INTO referral_attachments(referral_id, name, mime, size, data) VALUES (?,?,?,?,?)",
				id, f.Name, f.MIME, len(f.Data), f.Data); err != nil {
				return fmt.Errorf("referral attachment: %w", err)
			}
		}
		e.Action, e.ObjectType, e.ObjectID = "referral.submit", "referral", ReferralNumber(id)
		e.Detail = fmt.Sprintf("reason=%s urgency=%s attachments=%d", in.Reason, in.Urgency, len(in.Files))
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// ReferralNumber is the number offices quote for referral id.
func ReferralNumber(id int64) string { return fmt.Sprintf("CM-%06d", id) }

// Referral actions of case managers.
const (
	ReferralActAssign  = "assign"
	ReferralActAccept  = "accept"
	ReferralActDecline = "decline"
	ReferralActClose   = "close"
)

// Decide applies a case manager's action to a referral: assign (to assigneeID, a
// case manager), accept (the acting case manager takes it), decline with a reason, or
// close an accepted referral with its outcome. A change that does not fit the current
// status is ErrConflict. The audit entry is written twice: once for the case manager,
// and once under the referring office's account so the office's Recent Activity shows
// the answer (account_id is the office's; the actor is the case manager).
func (s Referrals) Decide(ctx context.Context, id int64, cm *User, action string, assigneeID int64, answer string, e AuditEntry) (*Referral, error) {
	if !cm.HasRole(RoleCaseManager) {
		return nil, ErrForbidden
	}
	r, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	answer = strings.TrimSpace(answer)
	if utf8.RuneCountInString(answer) > MaxAnswer {
		return nil, FieldErrors{"answer": fmt.Sprintf("Use at most %d characters.", MaxAnswer)}
	}
	to := ""
	assignee := r.AssigneeID
	switch action {
	case ReferralActAssign:
		if r.Status != ReferralReceived && r.Status != ReferralAssigned {
			return nil, ErrConflict
		}
		var roles string
		err := s.DB.R.QueryRowContext(ctx, "SELECT roles FROM users WHERE id = ? AND account_id IS NULL AND status = 'active'", assigneeID).Scan(&roles)
		if err != nil || !strings.Contains(" "+roles+" ", " "+RoleCaseManager+" ") {
			return nil, FieldErrors{"assignee": "Choose a case manager."}
		}
		to, assignee = ReferralAssigned, assigneeID
	case ReferralActAccept:
		if r.Status != ReferralReceived && r.Status != ReferralAssigned {
			return nil, ErrConflict
		}
		to, assignee = ReferralAccepted, cm.ID
		if answer == "" {
			answer = "Accepted into care management."
		}
	case ReferralActDecline:
		if r.Status != ReferralReceived && r.Status != ReferralAssigned {
			return nil, ErrConflict
		}
		if answer == "" {
			return nil, FieldErrors{"answer": "Give the reason for declining; the office reads it."}
		}
		to = ReferralDeclined
		if assignee == 0 {
			assignee = cm.ID
		}
	case ReferralActClose:
		if r.Status != ReferralAccepted {
			return nil, ErrConflict
		}
		if answer == "" {
			return nil, FieldErrors{"answer": "Give the outcome; the office reads it."}
		}
		to = ReferralClosed
	default:
		return nil, FieldErrors{"action": "Choose an action."}
	}
	ns, err := s.Keys.noteSealer(notePurposeClinical)
	if err != nil {
		return nil, err
	}
	// Assigning leaves the stored answer as it is (sealed); the other actions replace it.
	q, args := "UPDATE referrals SET status = ?, assignee_id = ?, updated_at = ? WHERE id = ? AND status = ?", []any{to, assignee, s.now(), id, r.Status}
	if to != ReferralAssigned {
		q = "UPDATE referrals SET status = ?, assignee_id = ?, updated_at = ?, answer = ? WHERE id = ? AND status = ?"
		args = []any{to, assignee, s.now(), ns.seal("referrals", "answer", noteRow(id), answer), id, r.Status}
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("decide referral: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		e.Action, e.ObjectType, e.ObjectID, e.MemberID, e.Detail = "referral."+action, "referral", r.RefNo, r.MemberID, "status="+to
		if err := (Audit{DB: s.DB}).RecordTx(ctx, tx, e); err != nil {
			return err
		}
		if to == ReferralAssigned {
			return nil // the office hears when a case manager answers
		}
		office := e
		office.AccountID = r.AccountID
		office.Action = "referral.answered"
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, office)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// CaseManagers lists active plan staff holding the case_manager role (for assigning).
func (s Referrals) CaseManagers(ctx context.Context) ([]Choice, error) {
	rows, err := s.DB.R.QueryContext(ctx, "SELECT id, name, roles FROM users WHERE account_id IS NULL AND status = 'active' ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("case managers: %w", err)
	}
	defer rows.Close()
	var out []Choice
	for rows.Next() {
		var id int64
		var name, roles string
		if err := rows.Scan(&id, &name, &roles); err != nil {
			return nil, err
		}
		if strings.Contains(" "+roles+" ", " "+RoleCaseManager+" ") {
			out = append(out, Choice{fmt.Sprint(id), name})
		}
	}
	return out, rows.Err()
}

// QueueCounts are the case managers' dashboard counts.
type QueueCounts struct{ Unassigned, Mine, Urgent int }

// Counts counts open referrals: unassigned, assigned to (or accepted by) userID, and
// urgent ones not yet accepted; all through the referrals_open index.
func (s Referrals) Counts(ctx context.Context, userID int64) (QueueCounts, error) {
	var q QueueCounts
	err := s.DB.R.QueryRowContext(ctx, qReferralCounts, userID).Scan(&q.Unassigned, &q.Mine, &q.Urgent)
	if err != nil {
		return q, fmt.Errorf("referral counts: %w", err)
	}
	return q, nil
}
