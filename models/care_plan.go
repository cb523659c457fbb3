package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"portico/db"
)

// CarePlanKinds are the three kinds of care plan of the portal guide.
var CarePlanKinds = []Choice{
	{"medical", "Medical care plan"},
	{"self_management", "Self-Management plan (member-centric)"},
	{"free_text", "Free-text care plan"},
}

// Item statuses per kind of care plan item.
var (
	ProblemStatuses      = []Choice{{"active", "Active"}, {"resolved", "Resolved"}}
	GoalStatuses         = []Choice{{"not_started", "Not started"}, {"in_progress", "In progress"}, {"met", "Met"}, {"not_met", "Not met"}}
	InterventionStatuses = []Choice{{"planned", "Planned"}, {"in_progress", "In progress"}, {"done", "Done"}, {"cancelled", "Cancelled"}}
)

// ItemStatuses is the status list of an item kind.
func ItemStatuses(kind string) []Choice {
	switch kind {
	case "problem":
		return ProblemStatuses
	case "goal":
		return GoalStatuses
	case "intervention":
		return InterventionStatuses
	}
	return nil
}

// Care plan field limits.
const (
	MaxPlanTitle     = 120
	MaxPlanNarrative = 8000
	MaxItemText      = 500
	MaxItemOwner     = 100
)

// CarePlan is one care plan with its items and history.
type CarePlan struct {
	ID         int64
	MemberPK   int64
	Kind       string
	Title      string
	Narrative  string
	Status     string
	AuthorName string
	CreatedAt  string
	UpdatedAt  string
	// Sensitive is the plan's sensitive-service category ("" for none), set by the
	// privacy officer (care plans carry no codes to derive it from).
	Sensitive string
	Problems  []CarePlanItem
	Goals     []CarePlanItem
	Actions   []CarePlanItem // interventions
	History   []CarePlanChange
}

// KindLabel is the kind in words.
func (p *CarePlan) KindLabel() string { return choiceLabel(CarePlanKinds, p.Kind) }

// SelfManagement tells whether the plan is member-centric (plain words, printable for the member).
func (p *CarePlan) SelfManagement() bool { return p.Kind == "self_management" }

// CarePlanItem is a problem, goal or intervention.
type CarePlanItem struct {
	ID         int64
	Kind       string
	Text       string
	TargetDate string
	Owner      string
	Status     string
	UpdatedAt  string
}

// StatusLabel is the item's status in words.
func (i CarePlanItem) StatusLabel() string { return choiceLabel(ItemStatuses(i.Kind), i.Status) }

// Statuses are the statuses the item may take.
func (i CarePlanItem) Statuses() []Choice { return ItemStatuses(i.Kind) }

// StatusClass is its colour.
func (i CarePlanItem) StatusClass() string {
	switch i.Status {
	case "met", "done", "resolved":
		return "status-ok"
	case "not_met", "cancelled":
		return "status-bad"
	case "in_progress", "active":
		return "status-info"
	}
	return "status-warn"
}

// CarePlanChange is one line of a plan's history.
type CarePlanChange struct{ At, Actor, What string }

// CarePlanInput is a new plan as typed by a case manager (the form of the plan-side
// member view; Validate holds the domain rules).
type CarePlanInput struct {
	Kind      string `form:"kind" label:"the kind" validate:"maxrunes=20"`
	Title     string `form:"title" label:"the title" validate:"maxrunes=120"`
	Narrative string `form:"narrative" label:"the plan text" validate:"maxrunes=8000"`
}

// Validate checks a new plan.
func (in CarePlanInput) Validate() FieldErrors {
	errs := FieldErrors{}
	if !validChoice(CarePlanKinds, in.Kind) {
		errs["kind"] = "Choose the kind of care plan."
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Title)); n == 0 {
		errs["title"] = "Give the plan a title."
	} else if n > MaxPlanTitle {
		errs["title"] = fmt.Sprintf("Use at most %d characters.", MaxPlanTitle)
	}
	if in.Kind == "self_management" && !strings.Contains(strings.ToLower(in.Title), "self-management") {
		errs["title"] = `A member-centric plan's title includes "Self-Management", so members and offices recognize it.`
	}
	if utf8.RuneCountInString(in.Narrative) > MaxPlanNarrative {
		errs["narrative"] = fmt.Sprintf("Use at most %d characters.", MaxPlanNarrative)
	}
	if in.Kind == "free_text" && strings.TrimSpace(in.Narrative) == "" {
		errs["narrative"] = "Write the plan: a free-text plan is the case manager's own text."
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// CarePlanItemInput is a problem, goal or intervention as typed.
type CarePlanItemInput struct{ Kind, Text, TargetDate, Owner, Status string }

// Validate checks an item.
func (in CarePlanItemInput) Validate() FieldErrors {
	errs := FieldErrors{}
	statuses := ItemStatuses(in.Kind)
	if statuses == nil {
		errs["item_kind"] = "Choose problem, goal or intervention."
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(in.Text)); n == 0 {
		errs["item_text"] = "Describe it."
	} else if n > MaxItemText {
		errs["item_text"] = fmt.Sprintf("Use at most %d characters.", MaxItemText)
	}
	if in.TargetDate != "" {
		if _, err := time.Parse(DateFormat, in.TargetDate); err != nil {
			errs["target_date"] = "Enter the target date as MM/DD/YYYY."
		}
	}
	if in.Kind == "goal" && in.TargetDate == "" {
		errs["target_date"] = "A goal needs a target date."
	}
	if utf8.RuneCountInString(in.Owner) > MaxItemOwner {
		errs["owner"] = fmt.Sprintf("Use at most %d characters.", MaxItemOwner)
	}
	if in.Kind == "intervention" && strings.TrimSpace(in.Owner) == "" {
		errs["owner"] = "Name who carries out the intervention (the member, the PCP, the case manager…)."
	}
	if statuses != nil && !validChoice(statuses, in.Status) {
		errs["item_status"] = "Choose a status."
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// CarePlans stores care plans. The plan's title and text, the text of its problems,
// goals and interventions and the lines of its history are sealed (note_seal.go), as
// they tell a member's conditions; the kinds, statuses, dates and owners stay plain, as
// lists and queues read them.
type CarePlans struct {
	DB *db.DB
	// Keys seals the plans' free text under the clinical notes key.
	Keys *Keyring
}

// notes is the sealer of the plans' free text; nil when no key file is loaded, which
// shows every stored text as UnreadableNote.
func (s CarePlans) notes() *noteSealer {
	ns, err := s.Keys.noteSealer(notePurposeClinical)
	if err != nil {
		return nil
	}
	return ns
}

// openPlan replaces the sealed title and narrative of p with their text.
func (ns *noteSealer) openPlan(p *CarePlan) {
	row := noteRow(p.ID)
	p.Title = ns.show("care_plans", "title", row, p.Title)
	p.Narrative = ns.show("care_plans", "narrative", row, p.Narrative)
}

// OpenCarePlanTitle returns the text of the title stored for plan id (the demo fill
// decides by it which plans are sensitive); an error when it does not open.
func OpenCarePlanTitle(keys *Keyring, id int64, stored string) (string, error) {
	ns, err := keys.noteSealer(notePurposeClinical)
	if err != nil {
		return "", err
	}
	return ns.open("care_plans", "title", noteRow(id), stored)
}

// SensitiveLabel is the plan's sensitive-service category in words ("" for none).
func (p *CarePlan) SensitiveLabel() string { return SensitiveLabel(p.Sensitive) }

func (s CarePlans) now() string { return s.DB.NowText() }

// ForMember lists the member's plans (without items), active first, newest first.
func (s CarePlans) ForMember(ctx context.Context, memberPK int64) ([]*CarePlan, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, member_pk, kind, title, narrative, status, author_name, created_at, updated_at, sensitive_category
		FROM care_plans WHERE member_pk = ? ORDER BY status = 'closed', updated_at DESC LIMIT 100`, memberPK)
	if err != nil {
		return nil, fmt.Errorf("care plans: %w", err)
	}
	defer rows.Close()
	ns := s.notes()
	var out []*CarePlan
	for rows.Next() {
		var p CarePlan
		if err := rows.Scan(&p.ID, &p.MemberPK, &p.Kind, &p.Title, &p.Narrative, &p.Status, &p.AuthorName, &p.CreatedAt, &p.UpdatedAt, &p.Sensitive); err != nil {
			return nil, fmt.Errorf("care plans: %w", err)
		}
		ns.openPlan(&p)
		out = append(out, &p)
	}
	return out, rows.Err()
}

// Get loads plan id of the member with its items and history.
func (s CarePlans) Get(ctx context.Context, memberPK, id int64) (*CarePlan, error) {
	var p CarePlan
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, member_pk, kind, title, narrative, status, author_name, created_at, updated_at, sensitive_category
		FROM care_plans WHERE id = ? AND member_pk = ?`, id, memberPK).
		Scan(&p.ID, &p.MemberPK, &p.Kind, &p.Title, &p.Narrative, &p.Status, &p.AuthorName, &p.CreatedAt, &p.UpdatedAt, &p.Sensitive)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("care plan: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("care plan: %w", err)
	}
	ns := s.notes()
	ns.openPlan(&p)
	rows, err := s.DB.R.QueryContext(ctx, "SELECT id, kind, text, target_date, owner, status, updated_at FROM care_plan_items WHERE plan_id = ? ORDER BY kind, id", id)
	if err != nil {
		return nil, fmt.Errorf("care plan items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i CarePlanItem
		if err := rows.Scan(&i.ID, &i.Kind, &i.Text, &i.TargetDate, &i.Owner, &i.Status, &i.UpdatedAt); err != nil {
			return nil, err
		}
		i.Text = ns.show("care_plan_items", "text", noteRow(i.ID), i.Text)
		switch i.Kind {
		case "problem":
			p.Problems = append(p.Problems, i)
		case "goal":
			p.Goals = append(p.Goals, i)
		default:
			p.Actions = append(p.Actions, i)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hrows, err := s.DB.R.QueryContext(ctx, "SELECT id, at, actor, what FROM care_plan_history WHERE plan_id = ? ORDER BY id DESC LIMIT 200", id)
	if err != nil {
		return nil, fmt.Errorf("care plan history: %w", err)
	}
	defer hrows.Close()
	for hrows.Next() {
		var h CarePlanChange
		var hid int64
		if err := hrows.Scan(&hid, &h.At, &h.Actor, &h.What); err != nil {
			return nil, err
		}
		h.What = ns.show("care_plan_history", "what", noteRow(hid), h.What)
		p.History = append(p.History, h)
	}
	return &p, hrows.Err()
}

// sealInto writes text, sealed to the row it is stored in, into table.column of row id
// (a new row's ID is known only once it is in, so rows are inserted with an empty text first).
func (ns *noteSealer) sealInto(ctx context.Context, tx *sql.Tx, table, column string, id int64, text string) error {
	if text == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, "UPDATE "+table+" SET "+column+" = ? WHERE id = ?", ns.seal(table, column, noteRow(id), text), id)
	if err != nil {
		return fmt.Errorf("%s: %w", table, err)
	}
	return nil
}

// change writes a history line (sealed: it names items) and the audit entry of a change.
func (s CarePlans) change(ctx context.Context, tx *sql.Tx, ns *noteSealer, planID int64, cm *User, what string, e AuditEntry) error {
	now := s.now()
	res, err := tx.ExecContext(ctx, "INSERT INTO care_plan_history(plan_id, at, user_id, actor, what) VALUES (?,?,?,?,'')", planID, now, cm.ID, cm.Name)
	if err != nil {
		return fmt.Errorf("care plan history: %w", err)
	}
	hid, _ := res.LastInsertId()
	if err := ns.sealInto(ctx, tx, "care_plan_history", "what", hid, what); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE care_plans SET updated_at = ? WHERE id = ?", now, planID); err != nil {
		return fmt.Errorf("care plan: %w", err)
	}
	e.ObjectType, e.ObjectID = "care_plan", fmt.Sprint(planID)
	return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
}

// Create adds a plan for the member, written by case manager cm.
func (s CarePlans) Create(ctx context.Context, memberPK int64, cm *User, in CarePlanInput, e AuditEntry) (int64, error) {
	if !cm.HasRole(RoleCaseManager) {
		return 0, ErrForbidden
	}
	if errs := in.Validate(); errs != nil {
		return 0, errs
	}
	ns, err := s.Keys.noteSealer(notePurposeClinical)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO care_plans(member_pk, kind, title, narrative, status, author_id, author_name, created_at, updated_at)
			VALUES (?,?,'','', 'active', ?,?,?,?)`, memberPK, in.Kind, cm.ID, cm.Name, now, now)
		if err != nil {
			return fmt.Errorf("create care plan: %w", err)
		}
		id, _ = res.LastInsertId()
		if _, err := tx.ExecContext(ctx, "UPDATE care_plans SET title = ?, narrative = ? WHERE id = ?",
			ns.seal("care_plans", "title", noteRow(id), strings.TrimSpace(in.Title)), ns.seal("care_plans", "narrative", noteRow(id), in.Narrative), id); err != nil {
			return fmt.Errorf("create care plan: %w", err)
		}
		e.Action, e.Detail = "care_plan.create", "kind="+in.Kind
		return s.change(ctx, tx, ns, id, cm, "Created the plan", e)
	})
	return id, err
}

// Update changes a plan's narrative and status (active or closed).
func (s CarePlans) Update(ctx context.Context, p *CarePlan, cm *User, narrative, status string, e AuditEntry) error {
	if !cm.HasRole(RoleCaseManager) {
		return ErrForbidden
	}
	if utf8.RuneCountInString(narrative) > MaxPlanNarrative {
		return FieldErrors{"narrative": fmt.Sprintf("Use at most %d characters.", MaxPlanNarrative)}
	}
	if status != "active" && status != "closed" {
		return FieldErrors{"status": "Choose active or closed."}
	}
	var what []string
	if narrative != p.Narrative {
		what = append(what, "Rewrote the plan text")
	}
	if status != p.Status {
		what = append(what, "Status "+p.Status+" → "+status)
	}
	if len(what) == 0 {
		return nil
	}
	ns, err := s.Keys.noteSealer(notePurposeClinical)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// An unchanged text keeps its stored value: a narrative that did not open reaches
		// the form as UnreadableNote, which must not replace it.
		q, args := "UPDATE care_plans SET status = ? WHERE id = ?", []any{status, p.ID}
		if narrative != p.Narrative {
			q, args = "UPDATE care_plans SET narrative = ?, status = ? WHERE id = ?", []any{ns.seal("care_plans", "narrative", noteRow(p.ID), narrative), status, p.ID}
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("update care plan: %w", err)
		}
		e.Action = "care_plan.update"
		return s.change(ctx, tx, ns, p.ID, cm, strings.Join(what, "; "), e)
	})
}

// AddItem adds a problem, goal or intervention to plan p.
func (s CarePlans) AddItem(ctx context.Context, p *CarePlan, cm *User, in CarePlanItemInput, e AuditEntry) error {
	if !cm.HasRole(RoleCaseManager) {
		return ErrForbidden
	}
	if errs := in.Validate(); errs != nil {
		return errs
	}
	ns, err := s.Keys.noteSealer(notePurposeClinical)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO care_plan_items(plan_id, kind, text, target_date, owner, status, updated_at) VALUES (?,?,'',?,?,?,?)",
			p.ID, in.Kind, in.TargetDate, strings.TrimSpace(in.Owner), in.Status, s.now())
		if err != nil {
			return fmt.Errorf("add care plan item: %w", err)
		}
		iid, _ := res.LastInsertId()
		if err := ns.sealInto(ctx, tx, "care_plan_items", "text", iid, strings.TrimSpace(in.Text)); err != nil {
			return err
		}
		e.Action, e.Detail = "care_plan.item_add", "kind="+in.Kind
		return s.change(ctx, tx, ns, p.ID, cm, "Added a "+in.Kind+": "+strings.TrimSpace(in.Text), e)
	})
}

// SetItemStatus changes the status of item itemID of plan p.
func (s CarePlans) SetItemStatus(ctx context.Context, p *CarePlan, cm *User, itemID int64, status string, e AuditEntry) error {
	if !cm.HasRole(RoleCaseManager) {
		return ErrForbidden
	}
	var kind, text, old string
	err := s.DB.R.QueryRowContext(ctx, "SELECT kind, text, status FROM care_plan_items WHERE id = ? AND plan_id = ?", itemID, p.ID).Scan(&kind, &text, &old)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("care plan item: %w", ErrNotFound)
	}
	if err != nil {
		return err
	}
	if !validChoice(ItemStatuses(kind), status) {
		return FieldErrors{"item_status": "Choose a status."}
	}
	if status == old {
		return nil
	}
	ns, err := s.Keys.noteSealer(notePurposeClinical)
	if err != nil {
		return err
	}
	// The history line names the item: its text as the plan page shows it.
	text = ns.show("care_plan_items", "text", noteRow(itemID), text)
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE care_plan_items SET status = ?, updated_at = ? WHERE id = ?", status, s.now(), itemID); err != nil {
			return fmt.Errorf("care plan item: %w", err)
		}
		e.Action, e.Detail = "care_plan.item_status", "status="+status
		return s.change(ctx, tx, ns, p.ID, cm, fmt.Sprintf("%s %q: %s → %s", strings.ToUpper(kind[:1])+kind[1:], text,
			choiceLabel(ItemStatuses(kind), old), choiceLabel(ItemStatuses(kind), status)), e)
	})
}
