package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Reason is one of the plan's maintained decision reasons.
type Reason struct {
	ID     int64
	Kind   string
	Text   string
	Active bool
}

// Reasons lists the active reasons of kind ("" for all, with inactive ones).
func (s Authz) Reasons(ctx context.Context, kind string) ([]Reason, error) {
	q := `SELECT id, kind, text, active FROM authz_reasons WHERE active = 1 AND kind = ? ORDER BY id`
	args := []any{kind}
	if kind == "" {
		q, args = `SELECT id, kind, text, active FROM authz_reasons ORDER BY kind, id`, nil
	}
	rows, err := s.DB.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Reason
	for rows.Next() {
		var r Reason
		if err := rows.Scan(&r.ID, &r.Kind, &r.Text, &r.Active); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddReason adds a reason to the maintained list (plan admin).
func (s Authz) AddReason(ctx context.Context, in ReasonInput) error {
	in.ID = ""
	if errs := in.Validate(); len(errs) > 0 {
		return errs
	}
	_, err := s.DB.W.ExecContext(ctx, `INSERT INTO authz_reasons(kind, text) VALUES (?,?) ON CONFLICT(kind, text) DO UPDATE SET active = 1`, in.Kind, strings.TrimSpace(in.Text))
	return err
}

// SetReasonActive retires or restores a reason (decisions keep pointing at it).
func (s Authz) SetReasonActive(ctx context.Context, id int64, active bool) error {
	_, err := s.DB.W.ExecContext(ctx, `UPDATE authz_reasons SET active = ? WHERE id = ?`, active, id)
	return err
}

// ReviewRequest loads request id for plan staff with the reviewer role; drafts do not
// exist for them.
func (s Authz) ReviewRequest(ctx context.Context, u *User, id int64) (*AuthzRequest, error) {
	if u == nil || !u.IsPlanStaff() || !u.HasRole(RoleReviewer) {
		return nil, ErrForbidden
	}
	r, err := s.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status == AuthzDraft {
		return nil, ErrNotFound
	}
	return r, nil
}

// Assign takes an open request for review by reviewer u.
func (s Authz) Assign(ctx context.Context, u *User, id int64, now time.Time) error {
	if u == nil || !u.HasRole(RoleReviewer) {
		return ErrForbidden
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE authz_requests SET assignee_id = ?, status = 'in_review', updated_at = ? WHERE id = ? AND status IN ('submitted','in_review')`,
			u.ID, now.UTC().Format(TimeFormat), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		_, err = s.eventTx(ctx, tx, id, u, "assigned", AuthzInReview, 0, "", now)
		return err
	})
}

// Decision is what a reviewer records.
type Decision struct {
	Action   string // approve, partial, deny, more_info, extend
	ReasonID int64
	Note     string
	// ApprovedUnits per line number, for a partial approval.
	ApprovedUnits map[int]int
}

// Decision actions.
const (
	ActApprove  = "approve"
	ActPartial  = "partial"
	ActDeny     = "deny"
	ActMoreInfo = "more_info"
	ActExtend   = "extend"
)

// MaxDecisionNote is the longest free text of a decision.
const MaxDecisionNote = 2000

// PeerToPeer is how an office reaches the plan's reviewer for a peer-to-peer talk.
const PeerToPeer = "(800) 555-0142, Monday to Friday, 8:00 AM to 5:00 PM Pacific time"

// AppealDays is how long the office has to appeal a denial.
const AppealDays = 60

// Decide records a reviewer's decision on an open request. More information pauses the
// clock; an extension moves the due time by ExtensionDays, once.
func (s Authz) Decide(ctx context.Context, u *User, id int64, d Decision, now time.Time) (*AuthzRequest, error) {
	r, err := s.ReviewRequest(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !r.Open() {
		return nil, ErrConflict
	}
	errs := FieldErrors{}
	kind := d.Action
	switch kind {
	case ActApprove, ActPartial, ActDeny, ActMoreInfo, ActExtend:
	default:
		errs["action"] = "Choose a decision."
	}
	d.Note = strings.TrimSpace(d.Note)
	if len(d.Note) > MaxDecisionNote {
		errs["note"] = fmt.Sprintf("Keep the explanation to %d characters.", MaxDecisionNote)
	}
	if len(errs) == 0 {
		var rk string
		err := s.DB.R.QueryRowContext(ctx, `SELECT kind FROM authz_reasons WHERE id = ? AND active = 1`, d.ReasonID).Scan(&rk)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && rk != kind) {
			errs["reason"] = "Choose a specific reason from the list for this decision."
		} else if err != nil {
			return nil, err
		}
	}
	if (kind == ActDeny || kind == ActMoreInfo || kind == ActPartial) && d.Note == "" && errs["note"] == "" {
		errs["note"] = "Explain in a sentence or two what the office should know (what is missing, what was not met)."
	}
	if kind == ActExtend && r.Extended {
		errs["action"] = "The review time was already extended once."
	}
	units := map[int]int{}
	if kind == ActPartial {
		anyLess := false
		for _, l := range r.Lines {
			v, ok := d.ApprovedUnits[l.LineNo]
			if !ok || v < 0 || v > l.Units {
				errs[fmt.Sprintf("approved-%d", l.LineNo)] = fmt.Sprintf("Enter the approved units for line %d, 0 to %d.", l.LineNo, l.Units)
				continue
			}
			units[l.LineNo] = v
			anyLess = anyLess || v < l.Units
		}
		if !anyLess && len(errs) == 0 {
			errs["action"] = "A partial approval approves fewer units than requested on at least one line; otherwise approve."
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	status := map[string]string{ActApprove: AuthzApproved, ActPartial: AuthzPartial, ActDeny: AuthzDenied, ActMoreInfo: AuthzMoreInfo, ActExtend: r.Status}[kind]
	evKind := map[string]string{ActApprove: "approved", ActPartial: "partial", ActDeny: "denied", ActMoreInfo: "more_info", ActExtend: "extended"}[kind]
	ts := now.UTC().Format(TimeFormat)
	ns, err := s.Keys.noteSealer(notePurposeAuthz)
	if err != nil {
		return nil, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		switch kind {
		case ActApprove, ActPartial, ActDeny:
			sub, _ := time.Parse(TimeFormat, r.SubmittedAt)
			mins := int(now.Sub(sub) / time.Minute)
			l := now.In(s.loc())
			res, err = tx.ExecContext(ctx, `UPDATE authz_requests SET status = ?, decided_at = ?, decided_by = ?, reason_id = ?, decision_note = ?,
				decision_minutes = ?, decided_year = ?, decided_quarter = ?, assignee_id = COALESCE(assignee_id, ?), updated_at = ?
				WHERE id = ? AND status IN ('submitted','in_review')`,
				status, ts, u.ID, d.ReasonID, ns.seal("authz_requests", "decision_note", noteRow(id), d.Note), mins, l.Year(), (int(l.Month())-1)/3+1, u.ID, ts, id)
			if err == nil {
				for _, ln := range r.Lines {
					v := ln.Units
					switch kind {
					case ActDeny:
						v = 0
					case ActPartial:
						v = units[ln.LineNo]
					}
					if _, err = tx.ExecContext(ctx, `UPDATE authz_lines SET approved_units = ? WHERE request_id = ? AND line_no = ?`, v, id, ln.LineNo); err != nil {
						return err
					}
				}
			}
		case ActMoreInfo:
			res, err = tx.ExecContext(ctx, `UPDATE authz_requests SET status = 'more_info', paused_at = ?, assignee_id = COALESCE(assignee_id, ?), updated_at = ?
				WHERE id = ? AND status IN ('submitted','in_review')`, ts, u.ID, ts, id)
		case ActExtend:
			due, _ := time.Parse(TimeFormat, r.DueAt)
			nd := due.In(s.loc()).AddDate(0, 0, ExtensionDays).UTC()
			res, err = tx.ExecContext(ctx, `UPDATE authz_requests SET extended = 1, due_at = ?, updated_at = ? WHERE id = ? AND status IN ('submitted','in_review') AND extended = 0`,
				nd.Format(TimeFormat), ts, id)
			r.DueAt = nd.Format(TimeFormat)
		}
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		if _, err := s.eventTx(ctx, tx, id, u, evKind, status, d.ReasonID, d.Note, now); err != nil {
			return err
		}
		r.Status = status
		return s.notifyTx(ctx, tx, r, u, s.noticeText(r, kind, d, now), now)
	})
	if err != nil {
		return nil, err
	}
	return s.Request(ctx, id)
}

// noticeText is the secure message the office gets for a decision.
func (s Authz) noticeText(r *AuthzRequest, kind string, d Decision, now time.Time) string {
	switch kind {
	case ActApprove:
		return "Authorization request " + r.TrackingNo + " is approved. The decision letter is on the request's page."
	case ActPartial:
		return "Authorization request " + r.TrackingNo + " is partially approved. The approved units per line and the decision letter are on the request's page."
	case ActDeny:
		return "Authorization request " + r.TrackingNo + " is denied. The letter on the request's page gives the reason and your next steps: resubmit with more information, a peer-to-peer review, or an appeal."
	case ActMoreInfo:
		return "The plan needs more information to decide authorization request " + r.TrackingNo + ". The decision clock is paused until you answer on the request's page:\n\n" + d.Note
	case ActExtend:
		due, _ := time.Parse(TimeFormat, r.DueAt)
		return "The review time of authorization request " + r.TrackingNo + " was extended; the decision is now due by " + s.dueText(due) + "."
	}
	return ""
}

// Answer is the office's reply to a request for more information: text and files; the
// request goes back to the queue and its clock resumes where it stopped.
func (s Authz) Answer(ctx context.Context, u *User, id int64, text string, files []AttachmentUpload, now time.Time) error {
	r, err := s.OfficeRequest(ctx, u, id)
	if err != nil {
		return err
	}
	if r.Status != AuthzMoreInfo {
		return ErrConflict
	}
	text = strings.TrimSpace(text)
	if text == "" && len(files) == 0 {
		return FieldErrors{"answer": "Write your answer or attach the records asked for."}
	}
	if len(text) > MaxAuthzNoteLen {
		return FieldErrors{"answer": fmt.Sprintf("Keep the answer to %d characters; attach longer notes as a file.", MaxAuthzNoteLen)}
	}
	if len(files)+len(r.Attachments) > MaxAuthzAttachment {
		return FieldErrors{"files": fmt.Sprintf("A request holds at most %d files.", MaxAuthzAttachment)}
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		paused, _ := time.Parse(TimeFormat, r.PausedAt)
		due, _ := time.Parse(TimeFormat, r.DueAt)
		nd := ResumeDue(due, paused, now)
		ts := now.UTC().Format(TimeFormat)
		status := AuthzSubmitted
		if r.AssigneeID != 0 {
			status = AuthzInReview
		}
		res, err := tx.ExecContext(ctx, `UPDATE authz_requests SET status = ?, due_at = ?, paused_at = NULL, paused_seconds = paused_seconds + ?, updated_at = ?
			WHERE id = ? AND status = 'more_info'`, status, nd.Format(TimeFormat), int64(now.Sub(paused)/time.Second), ts, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		ev, err := s.eventTx(ctx, tx, id, u, "answered", status, 0, text, now)
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := s.addAttachmentTx(ctx, tx, id, ev, u, f, now); err != nil {
				return err
			}
		}
		r.Status, r.DueAt = status, nd.Format(TimeFormat)
		return s.notifyTx(ctx, tx, r, u, fmt.Sprintf("The office answered the request for more information on authorization %s (%d file(s) attached). The decision is now due by %s.", r.TrackingNo, len(files), s.dueText(nd)), now)
	})
}

// Withdraw withdraws a request that is not yet decided.
func (s Authz) Withdraw(ctx context.Context, u *User, id int64, now time.Time) error {
	r, err := s.OfficeRequest(ctx, u, id)
	if err != nil {
		return err
	}
	if !r.Withdrawable() {
		return ErrConflict
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ts := now.UTC().Format(TimeFormat)
		res, err := tx.ExecContext(ctx, `UPDATE authz_requests SET status = 'withdrawn', paused_at = NULL, updated_at = ? WHERE id = ? AND status IN ('submitted','in_review','more_info')`, ts, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		if _, err := s.eventTx(ctx, tx, id, u, "withdrawn", AuthzWithdrawn, 0, "", now); err != nil {
			return err
		}
		r.Status = AuthzWithdrawn
		return s.notifyTx(ctx, tx, r, u, "The office withdrew authorization request "+r.TrackingNo+".", now)
	})
}

// RecordAppeal records the outcome of an appeal of a denial: overturned (approved) or
// upheld. It feeds the "approved after appeal" metric.
func (s Authz) RecordAppeal(ctx context.Context, u *User, id int64, in AppealInput, now time.Time) error {
	r, err := s.ReviewRequest(ctx, u, id)
	if err != nil {
		return err
	}
	if r.Status != AuthzDenied || r.AppealStatus != "" {
		return ErrConflict
	}
	if errs := in.Validate(); len(errs) > 0 {
		return errs
	}
	overturned, note := in.Outcome == "overturned", in.Note
	outcome, kind, status := "upheld", "appeal_upheld", AuthzDenied
	if overturned {
		outcome, kind, status = "overturned", "appeal_overturned", AuthzApproved
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE authz_requests SET appeal_status = ?, updated_at = ? WHERE id = ?`, outcome, now.UTC().Format(TimeFormat), id); err != nil {
			return err
		}
		if overturned {
			if _, err := tx.ExecContext(ctx, `UPDATE authz_lines SET approved_units = units WHERE request_id = ?`, id); err != nil {
				return err
			}
		}
		if _, err := s.eventTx(ctx, tx, id, u, kind, status, 0, strings.TrimSpace(note), now); err != nil {
			return err
		}
		text := "The appeal of authorization request " + r.TrackingNo + " was decided: the denial is upheld."
		if overturned {
			text = "The appeal of authorization request " + r.TrackingNo + " was decided: the denial is overturned and the request is approved."
		}
		return s.notifyTx(ctx, tx, r, u, text, now)
	})
}

// AuthzRow is one line of a list or the reviewer queue. Export and MemberRequests fill
// every field; List and the queue only those their pages show (see authzListSelect and
// authzQueueSelect).
type AuthzRow struct {
	ID           int64
	TrackingNo   string
	MemberID     string
	MemberName   string
	PlanType     string
	Status       string
	Urgency      string
	ServiceType  string
	CreatedAt    string
	SubmittedAt  string
	DueAt        string
	DecidedAt    string
	AccountName  string
	AssigneeName string
	FirstCode    string
	Overdue      bool
	// DueLocal and CreatedLocal are shown in the plan's time zone.
	DueLocal, CreatedLocal, DecidedLocal string
}

// StatusLabel is the status in words.
func (r AuthzRow) StatusLabel() string { return AuthzStatusLabel(r.Status) }

// StatusClass is the status's colour class.
func (r AuthzRow) StatusClass() string { return AuthzStatusClass(r.Status) }

// ServiceLabel is the service type in words.
func (r AuthzRow) ServiceLabel() string { return ServiceTypeLabel(r.ServiceType) }

// UrgencyLabel is "Urgent" or "Standard" ("" for a draft's unset urgency).
func (r AuthzRow) UrgencyLabel() string { return AuthzUrgencyLabel(r.Urgency) }

// AuthzQuery asks for one page of an account's requests (or its drafts).
type AuthzQuery struct {
	AccountID   int64
	Drafts      bool
	Status      string
	MemberPK    int64 // 0 = any; -1 = a member ID that matched nobody
	From, To    string
	ServiceType string
	TrackingNo  string
	Page        int
	PerPage     int
}

// AuthzPage is one page of rows with the total.
type AuthzPage struct {
	Rows        []AuthzRow
	Total       int
	Page, Pages int
}

// authzFirstCode is the request's first procedure code, shown on every list.
const authzFirstCode = `COALESCE((SELECT code FROM authz_lines l WHERE l.request_id = r.id ORDER BY line_no LIMIT 1),'')`

// authzRowSelect reads every field of an AuthzRow: the CSV export and the member
// record's section, which show (nearly) all of them.
const authzRowSelect = `SELECT r.id, COALESCE(r.tracking_no,''), m.member_id,
	m.first_name || ' ' || m.last_name || CASE WHEN m.suffix <> '' THEN ' ' || m.suffix ELSE '' END,
	r.plan_type, r.status, r.urgency, r.service_type, r.created_at, COALESCE(r.submitted_at,''), COALESCE(r.due_at,''), COALESCE(r.decided_at,''),
	a.name, COALESCE(u.name,''), ` + authzFirstCode + `
	FROM authz_requests r JOIN members m ON m.id = r.member_pk JOIN provider_accounts a ON a.id = r.account_id
	LEFT JOIN users u ON u.id = r.assignee_id`

// scanAuthzRows reads the rows of authzRowSelect.
func scanAuthzRows(rows *sql.Rows, now time.Time, loc *time.Location) ([]AuthzRow, error) {
	nowText := now.UTC().Format(TimeFormat)
	return collectRows(rows, func(sc rowScanner) (AuthzRow, error) {
		var r AuthzRow
		if err := sc.Scan(&r.ID, &r.TrackingNo, &r.MemberID, &r.MemberName, &r.PlanType, &r.Status, &r.Urgency, &r.ServiceType,
			&r.CreatedAt, &r.SubmittedAt, &r.DueAt, &r.DecidedAt, &r.AccountName, &r.AssigneeName, &r.FirstCode); err != nil {
			return r, err
		}
		r.DueLocal, r.CreatedLocal, r.DecidedLocal = LocalTime(r.DueAt, loc), LocalTime(r.CreatedAt, loc), LocalTime(r.DecidedAt, loc)
		r.markOverdue(nowText)
		return r, nil
	}, "authorization rows")
}

// markOverdue sets Overdue: the plan's decision is late (an open request past its due
// time; nowText is the current instant as stored).
func (r *AuthzRow) markOverdue(nowText string) {
	r.Overdue = (r.Status == AuthzSubmitted || r.Status == AuthzInReview) && r.DueAt != "" && r.DueAt < nowText
}

// authzListSelect reads what the office's list and its drafts page show, and no more: no
// plan type, account, reviewer, submission or decision time. With authzRowSelect each
// request of the list cost a look-up of its reviewer and a decision time parsed and
// formatted, none of them shown (CPU profiles of issue 17).
const authzListSelect = `SELECT r.id, COALESCE(r.tracking_no,''), m.member_id,
	m.first_name || ' ' || m.last_name || CASE WHEN m.suffix <> '' THEN ' ' || m.suffix ELSE '' END,
	r.status, r.urgency, r.service_type, r.created_at, COALESCE(r.due_at,''), ` + authzFirstCode + `
	FROM authz_requests r JOIN members m ON m.id = r.member_pk`

// scanAuthzListRows reads the rows of authzListSelect.
func scanAuthzListRows(rows *sql.Rows, now time.Time, loc *time.Location) ([]AuthzRow, error) {
	nowText := now.UTC().Format(TimeFormat)
	return collectRows(rows, func(sc rowScanner) (AuthzRow, error) {
		var r AuthzRow
		if err := sc.Scan(&r.ID, &r.TrackingNo, &r.MemberID, &r.MemberName, &r.Status, &r.Urgency, &r.ServiceType, &r.CreatedAt, &r.DueAt, &r.FirstCode); err != nil {
			return r, err
		}
		r.DueLocal, r.CreatedLocal = LocalTime(r.DueAt, loc), LocalTime(r.CreatedAt, loc)
		r.markOverdue(nowText)
		return r, nil
	}, "authorizations list")
}

// authzQueueSelect reads what the reviewer queue shows, which names the office and the
// reviewer but not the member: no look-up of the member for each request.
const authzQueueSelect = `SELECT COALESCE(r.tracking_no,''), r.plan_type, r.status, r.urgency, r.service_type, COALESCE(r.due_at,''),
	a.name, COALESCE(u.name,''), ` + authzFirstCode + `
	FROM authz_requests r JOIN provider_accounts a ON a.id = r.account_id LEFT JOIN users u ON u.id = r.assignee_id`

// scanAuthzQueueRows reads the rows of authzQueueSelect.
func scanAuthzQueueRows(rows *sql.Rows, now time.Time, loc *time.Location) ([]AuthzRow, error) {
	nowText := now.UTC().Format(TimeFormat)
	return collectRows(rows, func(sc rowScanner) (AuthzRow, error) {
		var r AuthzRow
		if err := sc.Scan(&r.TrackingNo, &r.PlanType, &r.Status, &r.Urgency, &r.ServiceType, &r.DueAt, &r.AccountName, &r.AssigneeName, &r.FirstCode); err != nil {
			return r, err
		}
		r.DueLocal = LocalTime(r.DueAt, loc)
		r.markOverdue(nowText)
		return r, nil
	}, "review queue")
}

// where is the list's WHERE clause. Values are bound through (SELECT ?), so that the
// prepared statement is not re-planned at each bind (see qEligibilityByName); all but
// the account and status of a status filter, whose values the planner needs to choose
// authz_requests_account_status over authz_requests_account.
func (q AuthzQuery) where() (string, []any) {
	w := []string{"r.account_id = (SELECT ?)"}
	args := []any{q.AccountID}
	if q.Drafts {
		w = append(w, "r.status = 'draft'")
	} else if q.Status != "" {
		w[0] = "r.account_id = ?"
		w = append(w, "r.status = ?")
		args = append(args, q.Status)
	} else {
		w = append(w, "r.status <> 'draft'")
	}
	if q.MemberPK != 0 {
		w = append(w, "r.member_pk = (SELECT ?)")
		args = append(args, q.MemberPK)
	}
	if q.From != "" {
		w = append(w, "r.created_at >= (SELECT ?)")
		args = append(args, q.From)
	}
	if q.To != "" {
		w = append(w, "r.created_at < (SELECT ?)")
		args = append(args, addDays(q.To, 1))
	}
	if q.ServiceType != "" {
		w = append(w, "r.service_type = (SELECT ?)")
		args = append(args, q.ServiceType)
	}
	if q.TrackingNo != "" {
		w = append(w, "r.tracking_no = (SELECT ?)")
		args = append(args, q.TrackingNo)
	}
	return " WHERE " + strings.Join(w, " AND "), args
}

// tallySQL is the total of q from authz_tallies (migration 0030) when q filters by
// account and status only; ok is false when another filter needs the requests counted.
func (q AuthzQuery) tallySQL() (query string, args []any, ok bool) {
	if q.MemberPK != 0 || q.From != "" || q.To != "" || q.ServiceType != "" || q.TrackingNo != "" {
		return "", nil, false
	}
	query = "SELECT COALESCE(SUM(n), 0) FROM authz_tallies WHERE account_id = (SELECT ?) AND "
	switch {
	case q.Drafts:
		return query + "status = 'draft'", []any{q.AccountID}, true
	case q.Status != "":
		return query + "status = (SELECT ?)", []any{q.AccountID, q.Status}, true
	}
	return query + "status <> 'draft'", []any{q.AccountID}, true
}

// List returns one page of an account's requests, newest first, with the total; its rows
// hold what the office's list and drafts page show (authzListSelect).
func (s Authz) List(ctx context.Context, q AuthzQuery, now time.Time) (*AuthzPage, error) {
	if q.PerPage <= 0 {
		q.PerPage = AuthzPerPage
	}
	if q.Page < 1 {
		q.Page = 1
	}
	where, args := q.where()
	p := &AuthzPage{Page: q.Page}
	countSQL, countArgs := `SELECT COUNT(*) FROM authz_requests r`+where, args
	if tally, targs, ok := q.tallySQL(); ok {
		countSQL, countArgs = tally, targs
	}
	if err := readRow(ctx, s.DB, countSQL, countArgs...).Scan(&p.Total); err != nil {
		return nil, fmt.Errorf("authorizations count: %w", err)
	}
	p.Pages = (p.Total + q.PerPage - 1) / q.PerPage
	if p.Pages == 0 {
		p.Pages = 1
	}
	rows, err := readRows(ctx, s.DB, authzListSelect+where+` ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?`,
		append(args, q.PerPage, (q.Page-1)*q.PerPage)...)
	if err != nil {
		return nil, fmt.Errorf("authorizations list: %w", err)
	}
	if p.Rows, err = scanAuthzListRows(rows, now, s.loc()); err != nil {
		return nil, err
	}
	return p, nil
}

// Export returns every row of the query (up to AuthzExportLimit), for CSV.
func (s Authz) Export(ctx context.Context, q AuthzQuery, now time.Time) ([]AuthzRow, error) {
	where, args := q.where()
	rows, err := s.DB.R.QueryContext(ctx, authzRowSelect+where+` ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, append(args, AuthzExportLimit)...)
	if err != nil {
		return nil, err
	}
	return scanAuthzRows(rows, now, s.loc())
}

// MemberRequests lists the account's requests (and drafts) for one member.
func (s Authz) MemberRequests(ctx context.Context, accountID, memberPK int64, now time.Time) ([]AuthzRow, error) {
	rows, err := readRows(ctx, s.DB, authzRowSelect+` WHERE r.member_pk = (SELECT ?) AND r.account_id = (SELECT ?) ORDER BY r.created_at DESC LIMIT 200`, memberPK, accountID)
	if err != nil {
		return nil, err
	}
	return scanAuthzRows(rows, now, s.loc())
}

const qOfficeAuthzCounts = `SELECT
	(SELECT COUNT(*) FROM authz_requests WHERE account_id = a.id AND status = 'draft'),
	(SELECT COUNT(*) FROM authz_requests WHERE account_id = a.id AND status = 'more_info')
	FROM (SELECT ? AS id) a`

// OfficeCounts are the action-required counts of an account.
func (s Authz) OfficeCounts(ctx context.Context, accountID int64) (drafts, moreInfo int, err error) {
	// Prepared once and the account bound through (SELECT ?), so that SQLite neither
	// parses nor re-plans it on every dashboard (it was a fifth of a dashboard's CPU).
	st, err := s.DB.Prepared(ctx, s.DB.R, qOfficeAuthzCounts)
	if err != nil {
		return 0, 0, err
	}
	err = st.QueryRowContext(ctx, accountID).Scan(&drafts, &moreInfo)
	return
}

// QueueQuery filters the reviewer queue.
type QueueQuery struct {
	PlanType    string
	ServiceType string
	Urgency     string
	Mine        int64 // assignee user ID; 0 = everyone's
	Waiting     bool  // requests waiting for the office's answer instead of open ones
	Page        int
	PerPage     int
}

// QueueWithCounts is a page of the reviewer queue (open requests by due time, the
// soonest and overdue first, or those waiting for the office) with the counts its
// heading shows (QueueCounts). The unfiltered queue's total is the open count, a tally
// read in one look-up; only a filtered queue counts its requests.
func (s Authz) QueueWithCounts(ctx context.Context, q QueueQuery, now time.Time) (p *AuthzPage, open, overdue int, err error) {
	if open, overdue, err = s.QueueCounts(ctx, now); err != nil {
		return nil, 0, 0, err
	}
	total := -1
	if q.Mine == 0 && q.PlanType == "" && q.ServiceType == "" && q.Urgency == "" && !q.Waiting {
		total = open
	}
	p, err = s.queue(ctx, q, now, total)
	return p, open, overdue, err
}

// queue is one page of the queue q; total is its number of requests when already known
// (< 0: count them).
func (s Authz) queue(ctx context.Context, q QueueQuery, now time.Time, total int) (*AuthzPage, error) {
	if q.PerPage <= 0 {
		q.PerPage = AuthzPerPage
	}
	if q.Page < 1 {
		q.Page = 1
	}
	w := []string{"r.status IN ('submitted','in_review')", "r.due_at IS NOT NULL"}
	order := " ORDER BY r.due_at, r.id"
	var args []any
	if q.Waiting {
		w = []string{"r.status = 'more_info'", "r.paused_at IS NOT NULL"}
		order = " ORDER BY r.paused_at, r.id"
	}
	if q.Mine != 0 {
		w = append(w, "r.assignee_id = (SELECT ?)")
		args = append(args, q.Mine)
	}
	if q.PlanType != "" {
		w = append(w, "r.plan_type = (SELECT ?)")
		args = append(args, q.PlanType)
	}
	if q.ServiceType != "" {
		w = append(w, "r.service_type = (SELECT ?)")
		args = append(args, q.ServiceType)
	}
	if q.Urgency != "" {
		w = append(w, "r.urgency = (SELECT ?)")
		args = append(args, q.Urgency)
	}
	where := " WHERE " + strings.Join(w, " AND ")
	p := &AuthzPage{Page: q.Page, Total: total}
	if total < 0 {
		if err := readRow(ctx, s.DB, `SELECT COUNT(*) FROM authz_requests r`+where, args...).Scan(&p.Total); err != nil {
			return nil, fmt.Errorf("queue count: %w", err)
		}
	}
	p.Pages = max(1, (p.Total+q.PerPage-1)/q.PerPage)
	rows, err := readRows(ctx, s.DB, authzQueueSelect+where+order+` LIMIT ? OFFSET ?`, append(args, q.PerPage, (q.Page-1)*q.PerPage)...)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	if p.Rows, err = scanAuthzQueueRows(rows, now, s.loc()); err != nil {
		return nil, err
	}
	return p, nil
}

// qQueueCounts reads the open requests' count from its tally (migration 0049) and counts
// those due before the time bound through the queue index: only the overdue ones are
// read, where counting both walked every open request on every page of the queue.
const qQueueCounts = `SELECT COALESCE((SELECT n FROM authz_queue_tallies WHERE queued = 1), 0),
	(SELECT COUNT(*) FROM authz_requests WHERE status IN ('submitted','in_review') AND due_at < (SELECT ?))`

// QueueCounts are the reviewer queue's counts: open requests, and overdue ones (open
// requests with a due time before now).
func (s Authz) QueueCounts(ctx context.Context, now time.Time) (open, overdue int, err error) {
	err = readRow(ctx, s.DB, qQueueCounts, now.UTC().Format(TimeFormat)).Scan(&open, &overdue)
	return
}
