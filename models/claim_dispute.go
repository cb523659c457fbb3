package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"portico/db"
)

// ClaimWork is what offices and the plan do with a claim after it is filed: disputes
// (reconsideration requests), answers to requests for more information, and the claim's
// history. Explanations and answers travel as secure messages (encrypted), in a thread
// routed to the Claims department of the claim's line of business.
type ClaimWork struct {
	DB   *db.DB
	Msgs Messages
}

// DisputeReason is one reason an office may give for a dispute.
type DisputeReason struct{ Value, Label string }

// DisputeReasons lists the dispute reasons in the order the form offers them.
var DisputeReasons = []DisputeReason{
	{"underpaid", "Underpaid: paid less than the contracted rate"},
	{"denied_in_error", "Denied in error"},
	{"duplicate_denial", "Denied as a duplicate, but it is not one"},
	{"timely_filing", "Denied for timely filing, but it was filed in time"},
	{"coding_bundling", "Coding or bundling: a code was changed or bundled"},
	{"other", "Other"},
}

// DisputeReasonLabel words a reason value ("" when unknown).
func DisputeReasonLabel(v string) string {
	for _, r := range DisputeReasons {
		if r.Value == v {
			return r.Label
		}
	}
	return ""
}

// Dispute statuses: received and in review are open; upheld (the decision stands) and
// overturned (with the new payment) are the plan's answers.
const (
	DisputeReceived   = "received"
	DisputeInReview   = "in_review"
	DisputeUpheld     = "upheld"
	DisputeOverturned = "overturned"
)

// DisputeStatusLabel words a dispute status.
func DisputeStatusLabel(s string) string {
	switch s {
	case DisputeReceived:
		return "Received"
	case DisputeInReview:
		return "In review"
	case DisputeUpheld:
		return "Upheld: the original decision stands"
	case DisputeOverturned:
		return "Overturned: a new payment will be made"
	}
	return s
}

// MaxDisputeText is the longest explanation or answer accepted.
const MaxDisputeText = 4000

// Dispute is a reconsideration request of a claim or of one of its lines.
type Dispute struct {
	ID          int64
	ClaimID     int64
	ClaimNo     string
	MemberID    string
	PlanType    string
	LineNo      int
	AccountID   int64
	AccountName string
	Reason      string
	Status      string
	ThreadID    int64
	NewPaid     int64
	CreatedAt   string
	DecidedAt   string
	Seen        bool
}

// ReasonLabel is the dispute's reason in words.
func (d Dispute) ReasonLabel() string { return DisputeReasonLabel(d.Reason) }

// StatusLabel is the dispute's status in words.
func (d Dispute) StatusLabel() string { return DisputeStatusLabel(d.Status) }

// StatusClass is the status colour class (always shown with the word).
func (d Dispute) StatusClass() string {
	switch d.Status {
	case DisputeOverturned:
		return "status-ok"
	case DisputeUpheld:
		return "status-bad"
	}
	return "status-info"
}

// Open tells whether the plan has not answered yet.
func (d Dispute) Open() bool { return d.Status == DisputeReceived || d.Status == DisputeInReview }

// DisputeRequest is what an office sends to dispute a claim (LineNo 0) or a line.
type DisputeRequest struct {
	Reason      string
	LineNo      int
	Explanation string
	Files       []AttachmentUpload
}

// Validate checks the request against claim d; field names are the form's.
func (r DisputeRequest) Validate(d *ClaimDetail) FieldErrors {
	fe := FieldErrors{}
	if DisputeReasonLabel(r.Reason) == "" {
		fe["dp-reason"] = "Choose the reason for the dispute."
	}
	if r.LineNo < 0 || r.LineNo > len(d.Lines) {
		fe["dp-line"] = "Choose the whole claim or one of its service lines."
	}
	switch n := len([]rune(r.Explanation)); {
	case strings.TrimSpace(r.Explanation) == "":
		fe["dp-explanation"] = "Explain why the claim should be reconsidered."
	case n > MaxDisputeText:
		fe["dp-explanation"] = fmt.Sprintf("Keep the explanation to %d characters; attach longer documents as files.", MaxDisputeText)
	}
	if !d.Disputable() {
		fe["dp-reason"] = "Only a paid, adjusted or denied claim can be disputed; this claim is " + strings.ToLower(ClaimStatusLabel(d.Status)) + "."
	}
	return fe
}

// Disputable tells whether the plan has decided the claim, so that it can be disputed.
func (d *ClaimDetail) Disputable() bool {
	return d.Status == "paid" || d.Status == "denied" || d.Status == "adjusted"
}

const disputeColumns = `d.id, d.claim_id, c.claim_no, m.member_id, c.plan_type, d.line_no, d.account_id, a.name, d.reason, d.status, COALESCE(d.thread_id,0),
	d.new_paid_cents, d.created_at, COALESCE(d.decided_at,''), d.seen_at IS NOT NULL`

const disputeFrom = ` FROM claim_disputes d JOIN claims c ON c.id = d.claim_id JOIN members m ON m.id = c.member_pk
	JOIN provider_accounts a ON a.id = d.account_id `

func scanDispute(row interface{ Scan(...any) error }) (Dispute, error) {
	var d Dispute
	err := row.Scan(&d.ID, &d.ClaimID, &d.ClaimNo, &d.MemberID, &d.PlanType, &d.LineNo, &d.AccountID, &d.AccountName, &d.Reason, &d.Status,
		&d.ThreadID, &d.NewPaid, &d.CreatedAt, &d.DecidedAt, &d.Seen)
	return d, err
}

func (s ClaimWork) disputes(ctx context.Context, where string, args ...any) ([]Dispute, error) {
	rows, err := s.DB.R.QueryContext(ctx, "SELECT "+disputeColumns+disputeFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("disputes: %w", err)
	}
	return collectRows(rows, scanDispute, "disputes")
}

// ClaimDisputes lists a claim's disputes, newest first.
func (s ClaimWork) ClaimDisputes(ctx context.Context, claimID int64) ([]Dispute, error) {
	return s.disputes(ctx, "WHERE d.claim_id = ? ORDER BY d.id DESC", claimID)
}

// AccountDisputes lists an account's disputes, newest first.
func (s ClaimWork) AccountDisputes(ctx context.Context, accountID int64, limit int) ([]Dispute, error) {
	return s.disputes(ctx, "WHERE d.account_id = ? ORDER BY d.id DESC LIMIT ?", accountID, limit)
}

// DisputeQueue lists the disputes the plan's Claims department works: open ones oldest
// first, then the latest answered.
func (s ClaimWork) DisputeQueue(ctx context.Context, limit int) ([]Dispute, error) {
	open, err := s.disputes(ctx, "WHERE d.status IN ('received','in_review') ORDER BY d.created_at, d.id LIMIT ?", limit)
	if err != nil {
		return nil, err
	}
	done, err := s.disputes(ctx, "WHERE d.status IN ('upheld','overturned') ORDER BY d.decided_at DESC, d.id DESC LIMIT ?", limit)
	return append(open, done...), err
}

// DisputeByID loads one dispute; ErrNotFound if there is none.
func (s ClaimWork) DisputeByID(ctx context.Context, id int64) (*Dispute, error) {
	ds, err := s.disputes(ctx, "WHERE d.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, ErrNotFound
	}
	return &ds[0], nil
}

// AnsweredDisputeCount counts an account's disputes the plan answered that the office
// has not looked at yet (the action-required bar).
func (s ClaimWork) AnsweredDisputeCount(ctx context.Context, accountID int64) (int, error) {
	var n int
	// Every office dashboard runs it: prepared once (Members.queryRow), the account bound
	// as (SELECT ?) like the other hot queries, so that it is not parsed on each page.
	err := Members{DB: s.DB}.queryRow(ctx, `SELECT COUNT(*) FROM claim_disputes WHERE account_id = (SELECT ?) AND seen_at IS NULL
		AND status IN ('upheld','overturned')`, accountID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("answered disputes: %w", err)
	}
	return n, nil
}

// MarkDisputesSeen records that the office saw the plan's answers on a claim.
func (s ClaimWork) MarkDisputesSeen(ctx context.Context, claimID, accountID int64) error {
	_, err := s.DB.W.ExecContext(ctx, `UPDATE claim_disputes SET seen_at = ? WHERE claim_id = ? AND account_id = ? AND seen_at IS NULL
		AND status IN ('upheld','overturned')`, s.DB.NowText(), claimID, accountID)
	if err != nil {
		return fmt.Errorf("disputes seen: %w", err)
	}
	return nil
}

// OpenDispute files a dispute of claim d for office user u: exactly one secure-message
// thread to the Claims department of the claim's line of business (the explanation and
// files are its first message), the dispute row, a history event and the audit entry,
// in one transaction. A claim with an open dispute cannot get a second one.
func (s ClaimWork) OpenDispute(ctx context.Context, u *User, d *ClaimDetail, r DisputeRequest, ae AuditEntry) (*Dispute, error) {
	if fe := r.Validate(d); len(fe) > 0 {
		return nil, fe
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var open int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM claim_disputes WHERE claim_id = ? AND status IN ('received','in_review')", d.ID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return FieldErrors{"dp-reason": "This claim already has a dispute the plan is working on; follow it in its secure-message thread."}
		}
		what := "claim " + d.ClaimNo
		if r.LineNo > 0 {
			what = fmt.Sprintf("claim %s, line %d", d.ClaimNo, r.LineNo)
		}
		body := "Dispute (reconsideration request) of " + what + ".\nReason: " + DisputeReasonLabel(r.Reason) + "\n\n" + strings.TrimSpace(r.Explanation)
		res, err := s.Msgs.StartTx(ctx, tx, NewThread{AccountID: u.AccountID, Department: DeptClaims, PlanType: d.PlanType, MemberID: d.MemberID},
			MessageAuthor{User: u}, MessageDraft{Subject: "Dispute of " + what, Body: body, Files: r.Files}, ae)
		if err != nil {
			return err
		}
		now := s.DB.NowText()
		resIns, err := tx.ExecContext(ctx, `INSERT INTO claim_disputes(claim_id, line_no, account_id, reason, status, thread_id, created_by, created_at)
			VALUES (?,?,?,?,'received',?,?,?)`, d.ID, r.LineNo, u.AccountID, r.Reason, res.ThreadID, u.ID, now)
		if err != nil {
			return err
		}
		id, _ = resIns.LastInsertId()
		if err := addClaimEvent(ctx, tx, d.ID, now, "disputed", "Disputed ("+strings.ToLower(DisputeReasonLabel(r.Reason))+")"+lineText(r.LineNo), u.ID); err != nil {
			return err
		}
		ae.Action, ae.ObjectType, ae.ObjectID, ae.MemberID = "claim.dispute", "claim", d.ClaimNo, d.MemberID
		ae.Detail = fmt.Sprintf("dispute %d, line %d, reason %s, thread %d", id, r.LineNo, r.Reason, res.ThreadID)
		return Audit{DB: s.DB}.RecordTx(ctx, tx, ae)
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) {
			return nil, fe
		}
		return nil, fmt.Errorf("open dispute: %w", err)
	}
	return s.DisputeByID(ctx, id)
}

func lineText(line int) string {
	if line > 0 {
		return fmt.Sprintf(", line %d", line)
	}
	return ""
}

func addClaimEvent(ctx context.Context, tx *sql.Tx, claimID int64, at, kind, text string, userID int64) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO claim_events(claim_id, at, kind, text, user_id) VALUES (?,?,?,?,NULLIF(?,0))", claimID, at, kind, text, userID)
	return err
}

// DisputeDecision is the plan's answer to a dispute.
type DisputeDecision struct {
	Status  string
	NewPaid int64 // overturned: the new payment, cents
	Message string
}

// Validate checks a decision; field names are the staff form's.
func (dd DisputeDecision) Validate() FieldErrors {
	fe := FieldErrors{}
	switch dd.Status {
	case DisputeInReview, DisputeUpheld, DisputeOverturned:
	default:
		fe["dd-status"] = "Choose in review, upheld or overturned."
	}
	if dd.Status == DisputeOverturned && (dd.NewPaid <= 0 || dd.NewPaid > 100_000_000) {
		fe["dd-amount"] = "Enter the new payment in dollars and cents, more than $0.00."
	}
	switch n := len([]rune(dd.Message)); {
	case strings.TrimSpace(dd.Message) == "":
		fe["dd-message"] = "Write the answer the office will read in the thread."
	case n > MaxDisputeText:
		fe["dd-message"] = fmt.Sprintf("Keep the answer to %d characters.", MaxDisputeText)
	}
	return fe
}

// DecideDispute records plan staff's answer: the status (and new payment), a reply in
// the dispute's thread, a history event on the claim and the audit entry, together.
func (s ClaimWork) DecideDispute(ctx context.Context, staff *User, dp *Dispute, dd DisputeDecision, ae AuditEntry) error {
	if fe := dd.Validate(); len(fe) > 0 {
		return fe
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := s.DB.NowText()
		res, err := tx.ExecContext(ctx, `UPDATE claim_disputes SET status = ?, new_paid_cents = ?, decided_by = ?, decided_at = ?, seen_at = NULL
			WHERE id = ? AND status IN ('received','in_review')`, dd.Status, dd.NewPaid, staff.ID, now, dp.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return FieldErrors{"dd-status": "This dispute was already answered."}
		}
		// A thread past the retention period is gone: the answer is then recorded on the claim only.
		if dp.ThreadID != 0 {
			body := DisputeStatusLabel(dd.Status) + ".\n\n" + strings.TrimSpace(dd.Message)
			if _, err := s.Msgs.ReplyTx(ctx, tx, dp.ThreadID, MessageAuthor{User: staff}, MessageDraft{Body: body}, ae); err != nil {
				return err
			}
		}
		text := "Dispute " + strings.ToLower(DisputeStatusLabel(dd.Status))
		if dd.Status == DisputeOverturned {
			text = fmt.Sprintf("Dispute overturned: new payment of $%d.%02d", dd.NewPaid/100, dd.NewPaid%100)
		}
		if err := addClaimEvent(ctx, tx, dp.ClaimID, now, "dispute_"+dd.Status, text+lineText(dp.LineNo), staff.ID); err != nil {
			return err
		}
		ae.Action, ae.ObjectType, ae.ObjectID, ae.MemberID = "claim.dispute.decide", "claim", dp.ClaimNo, dp.MemberID
		ae.Detail = fmt.Sprintf("dispute %d: %s", dp.ID, dd.Status)
		return Audit{DB: s.DB}.RecordTx(ctx, tx, ae)
	})
}

// InfoAnswer is an office's answer to a request for more information.
type InfoAnswer struct {
	Text  string
	Files []AttachmentUpload
}

// Validate checks the answer; field names are the form's.
func (a InfoAnswer) Validate(d *ClaimDetail) FieldErrors {
	fe := FieldErrors{}
	switch n := len([]rune(a.Text)); {
	case strings.TrimSpace(a.Text) == "" && len(a.Files) == 0:
		fe["info-text"] = "Write what you are sending, or attach the documents."
	case n > MaxDisputeText:
		fe["info-text"] = fmt.Sprintf("Keep the answer to %d characters; attach longer documents as files.", MaxDisputeText)
	}
	if d.Status != "pending_info" {
		fe["info-text"] = "The plan is not waiting for information on this claim."
	}
	return fe
}

// AnswerInfo sends the office's answer to the Claims department as a secure message,
// puts the claim back in process and records the event, in one transaction.
func (s ClaimWork) AnswerInfo(ctx context.Context, u *User, d *ClaimDetail, a InfoAnswer, ae AuditEntry) (int64, error) {
	if fe := a.Validate(d); len(fe) > 0 {
		return 0, fe
	}
	var tid int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		body := strings.TrimSpace(a.Text)
		if body == "" {
			body = "The requested documents are attached."
		}
		res, err := s.Msgs.StartTx(ctx, tx, NewThread{AccountID: u.AccountID, Department: DeptClaims, PlanType: d.PlanType, MemberID: d.MemberID},
			MessageAuthor{User: u}, MessageDraft{Subject: "Information for claim " + d.ClaimNo, Body: "Answer to the request for more information on claim " + d.ClaimNo + ".\n\n" + body, Files: a.Files}, ae)
		if err != nil {
			return err
		}
		tid = res.ThreadID
		now := s.DB.NowText()
		if _, err := tx.ExecContext(ctx, "INSERT INTO claim_info_answers(claim_id, account_id, thread_id, created_by, created_at) VALUES (?,?,?,?,?)",
			d.ID, u.AccountID, tid, u.ID, now); err != nil {
			return err
		}
		upd, err := tx.ExecContext(ctx, "UPDATE claims SET status = 'in_process', status_date = ? WHERE id = ? AND status = 'pending_info'", now[:10], d.ID)
		if err != nil {
			return err
		}
		if n, _ := upd.RowsAffected(); n == 0 {
			return FieldErrors{"info-text": "The plan is not waiting for information on this claim."}
		}
		// The request itself stays in the history once the status moves on.
		asked := d.StatusDate
		if asked == "" {
			asked = d.ReceivedDate
		}
		if err := addClaimEvent(ctx, tx, d.ID, asked, "pending_info", "More information needed: "+d.InfoNeeded, 0); err != nil {
			return err
		}
		if err := addClaimEvent(ctx, tx, d.ID, now, "info_sent", "Information sent by the office; the claim is back in process", u.ID); err != nil {
			return err
		}
		ae.Action, ae.ObjectType, ae.ObjectID, ae.MemberID = "claim.info.answer", "claim", d.ClaimNo, d.MemberID
		ae.Detail = fmt.Sprintf("thread %d, %d attachment(s)", tid, len(a.Files))
		return Audit{DB: s.DB}.RecordTx(ctx, tx, ae)
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) {
			return 0, fe
		}
		return 0, fmt.Errorf("answer info: %w", err)
	}
	return tid, nil
}

// ClaimEvent is one step of a claim's history.
type ClaimEvent struct {
	At   string // ISO date or instant
	Kind string
	Text string
}

// History is claim d's history: received, in process, more information needed, paid,
// denied or adjusted (from the claim itself), and the recorded events (submitted
// online, information sent, disputed, dispute decided), oldest first.
func (s ClaimWork) History(ctx context.Context, d *ClaimDetail) ([]ClaimEvent, error) {
	var out []ClaimEvent
	how := "from the clearinghouse"
	if d.Source == "portal" {
		how = "submitted online in the portal"
	}
	out = append(out, ClaimEvent{d.ReceivedDate, "received", "Received (" + how + ")"})
	at := d.StatusDate
	if at == "" {
		at = d.ReceivedDate
	}
	switch d.Status {
	case "in_process":
		out = append(out, ClaimEvent{at, "in_process", "In process"})
	case "pending_info":
		out = append(out, ClaimEvent{at, "pending_info", "More information needed: " + d.InfoNeeded})
	case "paid", "adjusted":
		out = append(out, ClaimEvent{d.ReceivedDate, "in_process", "In process"})
		word := "Paid"
		if d.Status == "adjusted" {
			word = "Adjusted and paid"
		}
		if d.CheckNo != "" {
			out = append(out, ClaimEvent{d.CheckDate, d.Status, fmt.Sprintf("%s on payment %s", word, d.CheckNo)})
		} else {
			out = append(out, ClaimEvent{at, d.Status, word})
		}
	case "denied":
		out = append(out, ClaimEvent{d.ReceivedDate, "in_process", "In process"}, ClaimEvent{at, "denied", "Denied"})
	}
	rows, err := s.DB.R.QueryContext(ctx, "SELECT at, kind, text FROM claim_events WHERE claim_id = ? ORDER BY at, id", d.ID)
	if err != nil {
		return nil, fmt.Errorf("claim history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e ClaimEvent
		if err := rows.Scan(&e.At, &e.Kind, &e.Text); err != nil {
			return nil, fmt.Errorf("claim history: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim history: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At[:min(10, len(out[i].At))] < out[j].At[:min(10, len(out[j].At))] })
	return out, nil
}

// OpenDisputeCount counts the disputes the Claims department has not answered, with the
// oldest one's time (the Claims associates' dashboard).
func (s ClaimWork) OpenDisputeCount(ctx context.Context) (QueueCount, error) {
	var q QueueCount
	var oldest sql.NullString
	err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*), MIN(created_at) FROM claim_disputes WHERE status IN ('received','in_review')").Scan(&q.N, &oldest)
	if err != nil {
		return q, fmt.Errorf("open disputes: %w", err)
	}
	if oldest.Valid {
		q.Oldest, _ = time.Parse(TimeFormat, oldest.String)
	}
	return q, nil
}
