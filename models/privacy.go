package models

import (
	"context"
	"database/sql"
	"errors"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"portico/db"
)

// Confidential-communication request channels and scopes (SPEC §8).
const (
	ChannelElectronic = "electronic"
	ChannelPhone      = "phone"
	ChannelMail       = "mail"

	ScopeAll       = "all"
	ScopeSensitive = "sensitive"

	RequestOpen      = "open"
	RequestCompleted = "completed"
	RequestEnded     = "ended"
)

// ResponseDays is how many calendar days the plan has to answer a request received by
// the channel: 7 for electronic or phone requests, 14 for first-class mail.
func ResponseDays(channel string) int {
	if channel == ChannelMail {
		return 14
	}
	return 7
}

// RequestDueOn is the due date of a request received on received (YYYY-MM-DD, the
// plan's calendar date) by channel: calendar days, weekends and holidays included.
func RequestDueOn(channel, received string) (string, error) {
	t, err := time.Parse(DateFormat, received)
	if err != nil {
		return "", ErrInvalid
	}
	return t.AddDate(0, 0, ResponseDays(channel)).Format(DateFormat), nil
}

// ChannelLabel is a channel in words.
func ChannelLabel(ch string) string {
	switch ch {
	case ChannelElectronic:
		return "Electronic"
	case ChannelPhone:
		return "Phone"
	case ChannelMail:
		return "First-class mail"
	}
	return ch
}

// ScopeLabel is a scope in words.
func ScopeLabel(s string) string {
	if s == ScopeAll {
		return "All communications"
	}
	return "Sensitive services only"
}

// ConfidentialRequest is one confidential-communication request.
type ConfidentialRequest struct {
	ID                           int64
	MemberPK                     int64
	MemberID, MemberName         string
	Channel, ReceivedOn, DueOn   string
	Scope                        string
	Address, Email, Phone        string
	Status, CompletedOn, EndedOn string
	CreatedAt, UpdatedAt         string
}

// Overdue tells whether the request is still open after its due date.
func (r *ConfidentialRequest) Overdue(today string) bool {
	return r.Status == RequestOpen && today > r.DueOn
}

// StatusLabel is the request's state on today, in words.
func (r *ConfidentialRequest) StatusLabel(today string) string {
	switch {
	case r.Status == RequestCompleted:
		return "Completed"
	case r.Status == RequestEnded:
		return "Ended"
	case r.Overdue(today):
		return "Overdue"
	}
	return "Due"
}

// StatusClass is the colour of the state.
func (r *ConfidentialRequest) StatusClass(today string) string {
	switch r.StatusLabel(today) {
	case "Completed":
		return "status-ok"
	case "Overdue":
		return "status-bad"
	case "Ended":
		return "status-muted"
	}
	return "status-warn"
}

// Contact is the designated contact in one line (e-mail, phone or address).
func (r *ConfidentialRequest) Contact() string {
	var parts []string
	for _, s := range []string{r.Email, r.Phone, r.Address} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

// ChannelLabel is the request's channel in words.
func (r *ConfidentialRequest) ChannelLabel() string { return ChannelLabel(r.Channel) }

// ScopeLabel is the request's scope in words.
func (r *ConfidentialRequest) ScopeLabel() string { return ScopeLabel(r.Scope) }

// RequestInput is the form of a new or amended request, as typed.
type RequestInput struct {
	MemberID   string `form:"member_id" id:"cc-member" label:"the member ID" validate:"omitempty,maxrunes=20"`
	Channel    string `form:"channel" id:"cc-channel" label:"the channel" validate:"required,oneof=electronic phone mail"`
	ReceivedOn string `form:"received_on" id:"cc-received" label:"the date received" validate:"required,maxrunes=10"`
	Scope      string `form:"scope" id:"cc-scope" label:"the scope" validate:"required,oneof=all sensitive"`
	Address    string `form:"address" id:"cc-address" label:"the mailing address" validate:"maxrunes=300"`
	Email      string `form:"email" id:"cc-email" label:"the e-mail address" validate:"maxrunes=254"`
	Phone      string `form:"phone" id:"cc-phone" label:"the phone number" validate:"maxrunes=30"`
	// received is ReceivedOn as YYYY-MM-DD, set by Validate.
	received string
}

// Validate checks the domain rules: a real date received, not in the future, and a
// designated contact that fits the channel.
func (in *RequestInput) Validate() FieldErrors {
	errs := FieldErrors{}
	d, ok := ParseUSDate(in.ReceivedOn)
	switch {
	case !ok:
		errs["cc-received"] = "Enter the date received as MM/DD/YYYY."
	default:
		in.received = d
	}
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || !strings.Contains(in.Email, "@") {
			errs["cc-email"] = "Enter an e-mail address such as name@example.com."
		}
	}
	if in.Phone != "" {
		digits := 0
		for _, r := range in.Phone {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case strings.ContainsRune(" ()-.+", r):
			default:
				digits = -100
			}
		}
		if digits < 10 || digits > 11 {
			errs["cc-phone"] = "Enter a phone number of 10 digits, such as (916) 555-0100."
		}
	}
	if in.Email == "" && in.Phone == "" && in.Address == "" {
		errs["cc-email"] = "Enter the designated e-mail address, phone number or mailing address."
	}
	if in.Channel == ChannelMail && in.Address == "" && errs["cc-email"] == "" {
		errs["cc-address"] = "A request received by mail needs the designated mailing address."
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Privacy is the store of confidential-communication requests, category corrections
// and emergency accesses, and the one disclosure rule (Withhold).
type Privacy struct{ DB *db.DB }

const requestCols = `r.id, r.member_pk, m.member_id, m.first_name || ' ' || m.last_name || CASE WHEN m.suffix <> '' THEN ' ' || m.suffix ELSE '' END,
	r.channel, r.received_on, r.due_on, r.scope, r.address, r.email, r.phone, r.status, r.completed_on, r.ended_on, r.created_at, r.updated_at`

func scanRequest(row interface{ Scan(...any) error }) (*ConfidentialRequest, error) {
	var r ConfidentialRequest
	err := row.Scan(&r.ID, &r.MemberPK, &r.MemberID, &r.MemberName, &r.Channel, &r.ReceivedOn, &r.DueOn, &r.Scope,
		&r.Address, &r.Email, &r.Phone, &r.Status, &r.CompletedOn, &r.EndedOn, &r.CreatedAt, &r.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &r, err
}

// CreateRequest records a request for the member (by member ID) and audits it. A
// received date after today is refused.
func (s Privacy) CreateRequest(ctx context.Context, a Actor, in *RequestInput) (int64, FieldErrors, error) {
	if errs := in.Validate(); errs != nil {
		return 0, errs, nil
	}
	if in.received > s.DB.Today() {
		return 0, FieldErrors{"cc-received": "The date received cannot be after today."}, nil
	}
	e, err := (Members{DB: s.DB}).EligibilityByMemberID(ctx, in.MemberID)
	if errors.Is(err, ErrNotFound) || (err == nil && in.MemberID == "") {
		return 0, FieldErrors{"cc-member": "No member has this member ID."}, nil
	}
	if err != nil {
		return 0, nil, err
	}
	due, _ := RequestDueOn(in.Channel, in.received)
	now := s.DB.NowText()
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO confidential_requests(member_pk, channel, received_on, due_on, scope, address, email, phone, created_by, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?)`, e.PK, in.Channel, in.received, due, in.Scope, in.Address, in.Email, in.Phone, nullID(a.UserID), now, now)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, a.Stamp(AuditEntry{Action: "privacy.request.create", ObjectType: "confidential_request",
			ObjectID: strconv.FormatInt(id, 10), MemberID: e.MemberID, Detail: "channel=" + in.Channel + " scope=" + in.Scope}))
	})
	return id, nil, err
}

// Request loads one request.
func (s Privacy) Request(ctx context.Context, id int64) (*ConfidentialRequest, error) {
	return scanRequest(s.DB.R.QueryRowContext(ctx, `SELECT `+requestCols+` FROM confidential_requests r JOIN members m ON m.id = r.member_pk WHERE r.id = ?`, id))
}

// AmendRequest changes the designated contact, scope or channel of a request that has
// not ended; the due date follows the channel and date received. Audited.
func (s Privacy) AmendRequest(ctx context.Context, a Actor, id int64, in *RequestInput) (FieldErrors, error) {
	r, err := s.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status == RequestEnded {
		return nil, ErrConflict
	}
	if errs := in.Validate(); errs != nil {
		return errs, nil
	}
	if in.received > s.DB.Today() {
		return FieldErrors{"cc-received": "The date received cannot be after today."}, nil
	}
	due, _ := RequestDueOn(in.Channel, in.received)
	return nil, s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE confidential_requests SET channel = ?, received_on = ?, due_on = ?, scope = ?, address = ?, email = ?, phone = ?, updated_at = ? WHERE id = ?`,
			in.Channel, in.received, due, in.Scope, in.Address, in.Email, in.Phone, s.DB.NowText(), id); err != nil {
			return err
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, a.Stamp(AuditEntry{Action: "privacy.request.amend", ObjectType: "confidential_request",
			ObjectID: strconv.FormatInt(id, 10), MemberID: r.MemberID, Detail: "channel=" + in.Channel + " scope=" + in.Scope}))
	})
}

// CompleteRequest marks an open request answered (in effect) today; EndRequest ends a
// request that is not ended. Both are audited; a request in the wrong state gives
// ErrConflict.
func (s Privacy) CompleteRequest(ctx context.Context, a Actor, id int64) error {
	return s.setStatus(ctx, a, id, RequestOpen, RequestCompleted, "completed_on", "privacy.request.complete")
}

// EndRequest ends a request (the member withdrew it); audited.
func (s Privacy) EndRequest(ctx context.Context, a Actor, id int64) error {
	return s.setStatus(ctx, a, id, "", RequestEnded, "ended_on", "privacy.request.end")
}

func (s Privacy) setStatus(ctx context.Context, a Actor, id int64, from, to, col, action string) error {
	r, err := s.Request(ctx, id)
	if err != nil {
		return err
	}
	if r.Status == RequestEnded || (from != "" && r.Status != from) {
		return ErrConflict
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE confidential_requests SET status = ?, `+col+` = ?, updated_at = ? WHERE id = ?`,
			to, s.DB.Today(), s.DB.NowText(), id); err != nil {
			return err
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, a.Stamp(AuditEntry{Action: action, ObjectType: "confidential_request",
			ObjectID: strconv.FormatInt(id, 10), MemberID: r.MemberID}))
	})
}

// Request queue views.
const (
	QueueDue       = "due"
	QueueOverdue   = "overdue"
	QueueCompleted = "completed"
	QueueEnded     = "ended"
)

// RequestPage is one page of the request queue.
type RequestPage struct {
	Requests []*ConfidentialRequest
	Total    int
	Page     int
	Pages    int
}

// RequestQueuePageSize is the number of requests a queue page shows.
const RequestQueuePageSize = 50

// Queue lists the requests of one view: due (open, due today or later, soonest first),
// overdue (open past due, oldest first), completed or ended (newest first).
func (s Privacy) Queue(ctx context.Context, view string, page int) (*RequestPage, error) {
	today := s.DB.Today()
	var where, order string
	args := []any{}
	switch view {
	case QueueOverdue:
		where, order = "r.status = 'open' AND r.due_on < ?", "r.due_on, r.id"
		args = append(args, today)
	case QueueCompleted:
		where, order = "r.status = 'completed'", "r.due_on DESC, r.id DESC"
	case QueueEnded:
		where, order = "r.status = 'ended'", "r.due_on DESC, r.id DESC"
	default:
		where, order = "r.status = 'open' AND r.due_on >= ?", "r.due_on, r.id"
		args = append(args, today)
	}
	out := &RequestPage{Page: page}
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM confidential_requests r WHERE `+where, args...).Scan(&out.Total); err != nil {
		return nil, err
	}
	out.Pages = (out.Total + RequestQueuePageSize - 1) / RequestQueuePageSize
	if out.Page < 1 {
		out.Page = 1
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+requestCols+` FROM confidential_requests r JOIN members m ON m.id = r.member_pk
		WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`, append(args, RequestQueuePageSize, (out.Page-1)*RequestQueuePageSize)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out.Requests = append(out.Requests, r)
	}
	return out, rows.Err()
}

// QueueCounts are the sizes of the due and overdue views.
func (s Privacy) QueueCounts(ctx context.Context) (due, overdue int, err error) {
	today := s.DB.Today()
	err = s.DB.R.QueryRowContext(ctx, `SELECT COALESCE(SUM(due_on >= ?),0), COALESCE(SUM(due_on < ?),0) FROM confidential_requests WHERE status = 'open'`,
		today, today).Scan(&due, &overdue)
	return due, overdue, err
}

// ActiveRequest is the member's request in force (open or completed, the newest), or
// nil. A request protects from the day it is received: the plan may still be answering.
func (s Privacy) ActiveRequest(ctx context.Context, memberPK int64) (*ConfidentialRequest, error) {
	r, err := scanRequest(s.DB.R.QueryRowContext(ctx, `SELECT `+requestCols+` FROM confidential_requests r JOIN members m ON m.id = r.member_pk
		WHERE r.member_pk = ? AND r.status IN ('open','completed') ORDER BY r.id DESC LIMIT 1`, memberPK))
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return r, err
}

// RequestsForMember lists every request of a member, newest first.
func (s Privacy) RequestsForMember(ctx context.Context, memberPK int64) ([]*ConfidentialRequest, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT `+requestCols+` FROM confidential_requests r JOIN members m ON m.id = r.member_pk
		WHERE r.member_pk = ? ORDER BY r.id DESC`, memberPK)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ConfidentialRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
