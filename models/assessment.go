package models

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"portico/db"
)

// HRAOption is one answer a question offers, with the points it adds to the risk score.
type HRAOption struct {
	Value, Label string
	Points       int
}

// HRAQuestion is one question of the health risk assessment.
type HRAQuestion struct {
	Key, Text string
	Options   []HRAOption
}

// HRASection is one page of the questionnaire; a draft is saved at each.
type HRASection struct {
	N         int
	Title     string
	Intro     string
	Questions []HRAQuestion
}

var (
	yesNo      = []HRAOption{{"no", "No", 0}, {"yes", "Yes", 1}}
	yesNo2     = []HRAOption{{"no", "No", 0}, {"yes", "Yes", 2}}
	noneOneTwo = func(one, two int) []HRAOption {
		return []HRAOption{{"0", "None", 0}, {"1", "1", one}, {"2", "2 or more", two}}
	}
	phqOptions = []HRAOption{{"0", "Not at all", 0}, {"1", "Several days", 1}, {"2", "More than half the days", 2}, {"3", "Nearly every day", 3}}
)

// HRASections is the standard health risk assessment: 25 questions in seven sections.
// The points of each answer and the levels are written in the README ("Health risk
// assessment scoring"); ScoreHRA applies them.
var HRASections = []HRASection{
	{1, "General health", "Ask the member, or answer from the chart where the member cannot.", []HRAQuestion{
		{"general_health", "In general, how would the member rate their health?", []HRAOption{{"excellent", "Excellent", 0}, {"very_good", "Very good", 0}, {"good", "Good", 0}, {"fair", "Fair", 1}, {"poor", "Poor", 2}}},
		{"er_visits", "Emergency room visits in the last 12 months", noneOneTwo(1, 2)},
		{"hospital_stays", "Overnight hospital stays in the last 12 months", noneOneTwo(2, 3)},
		{"pain", "How much does pain get in the way of daily life?", []HRAOption{{"none", "Not at all", 0}, {"some", "Somewhat", 1}, {"a_lot", "A lot", 2}}},
	}},
	{2, "Chronic conditions", "Has a doctor ever told the member they have:", []HRAQuestion{
		{"diabetes", "Diabetes", yesNo},
		{"heart", "Heart failure or heart disease", yesNo2},
		{"lung", "COPD, emphysema or asthma", yesNo},
		{"kidney", "Kidney disease", yesNo},
		{"cancer", "Cancer being treated now", yesNo2},
		{"hypertension", "High blood pressure", yesNo},
	}},
	{3, "Medications", "", []HRAQuestion{
		{"med_count", "How many prescription medicines does the member take?", []HRAOption{{"0_4", "0 to 4", 0}, {"5_9", "5 to 9", 1}, {"10", "10 or more", 2}}},
		{"med_trouble", "Does the member have trouble taking medicines as prescribed (cost, side effects, remembering)?", yesNo},
	}},
	{4, "Activities of daily living", "", []HRAQuestion{
		{"adl_help", "Does the member need help bathing, dressing, eating or using the toilet?", yesNo2},
		{"iadl_help", "Does the member need help with meals, shopping, money or housework?", yesNo},
		{"mobility_aid", "Does the member use a cane, walker or wheelchair?", yesNo},
	}},
	{5, "Falls", "", []HRAQuestion{
		{"falls", "Falls in the last 12 months", noneOneTwo(1, 2)},
		{"fall_injury", "Was the member hurt in a fall in the last 12 months?", yesNo},
		{"fear_falling", "Is the member afraid of falling?", yesNo},
	}},
	{6, "Behavioral health screening", "The first two questions are the PHQ-2. Over the last two weeks, how often has the member been bothered by:", []HRAQuestion{
		{"phq_interest", "Little interest or pleasure in doing things", phqOptions},
		{"phq_down", "Feeling down, depressed or hopeless", phqOptions},
		{"substance", "Has the member or their family been worried about their alcohol or drug use?", yesNo},
	}},
	{7, "Social needs", "", []HRAQuestion{
		{"food", "In the last 12 months, did the member worry that food would run out before there was money to buy more?", []HRAOption{{"never", "Never", 0}, {"sometimes", "Sometimes", 1}, {"often", "Often", 1}}},
		{"housing", "What is the member's housing situation today?", []HRAOption{{"steady", "A steady place to live", 0}, {"worried", "A place to live, but worried about losing it", 1}, {"none", "No steady place to live", 2}}},
		{"transport", "In the last 12 months, has lack of transportation kept the member from medical appointments or getting medicines?", yesNo},
		{"support", "Does the member have someone to help them if they need it?", []HRAOption{{"yes", "Yes", 0}, {"no", "No", 1}}},
	}},
}

// HRASectionCount is the number of sections; the review page comes after the last.
var HRASectionCount = len(HRASections)

// HRAQuestionCount is the number of questions of the standard assessment.
func HRAQuestionCount() int {
	n := 0
	for _, s := range HRASections {
		n += len(s.Questions)
	}
	return n
}

// PHQ2PositiveAt is the PHQ-2 total (0–6) at or above which the screen is positive.
const PHQ2PositiveAt = 3

// PHQ2Points is what a positive PHQ-2 screen adds to the score.
const PHQ2Points = 3

// Risk levels of a submitted assessment.
const (
	RiskLow      = "low"
	RiskModerate = "moderate"
	RiskHigh     = "high"
)

// HRAResult is the outcome of scoring.
type HRAResult struct {
	Score        int
	PHQ2         int
	PHQ2Positive bool
	Risk         string
}

// RiskLabel is the level in words.
func (r HRAResult) RiskLabel() string { return RiskLabel(r.Risk) }

// RiskClass is the level's colour.
func (r HRAResult) RiskClass() string { return RiskClass(r.Risk) }

// ScoreHRA computes the score and risk level of complete answers: the points of each
// answer, plus PHQ2Points when the PHQ-2 (the sum of its two answers) is positive. High
// at 10 points or more, or with two or more hospital stays; moderate at 4–9; low at 0–3.
func ScoreHRA(answers map[string]string) HRAResult {
	var r HRAResult
	for _, s := range HRASections {
		for _, q := range s.Questions {
			for _, o := range q.Options {
				if o.Value == answers[q.Key] {
					r.Score += o.Points
					if q.Key == "phq_interest" || q.Key == "phq_down" {
						r.PHQ2 += o.Points
					}
				}
			}
		}
	}
	if r.PHQ2 >= PHQ2PositiveAt {
		r.PHQ2Positive = true
		r.Score += PHQ2Points
	}
	switch {
	case r.Score >= 10 || answers["hospital_stays"] == "2":
		r.Risk = RiskHigh
	case r.Score >= 4:
		r.Risk = RiskModerate
	default:
		r.Risk = RiskLow
	}
	return r
}

// RiskLabel is a risk level in words.
func RiskLabel(r string) string {
	switch r {
	case RiskLow:
		return "Low"
	case RiskModerate:
		return "Moderate"
	case RiskHigh:
		return "High"
	}
	return "Not scored"
}

// RiskClass is the status colour of a risk level (always shown with its word).
func RiskClass(r string) string {
	switch r {
	case RiskLow:
		return "status-ok"
	case RiskModerate:
		return "status-warn"
	case RiskHigh:
		return "status-bad"
	}
	return "status-info"
}

// CheckHRASection validates the answers given for section n: each must be one of its
// question's options. Unanswered questions are allowed in a draft (missing=false) and
// refused at submission (missing=true).
func CheckHRASection(n int, answers map[string]string, missing bool) FieldErrors {
	errs := FieldErrors{}
	if n < 1 || n > HRASectionCount {
		errs["section"] = "There is no such section."
		return errs
	}
	for _, q := range HRASections[n-1].Questions {
		v, ok := answers[q.Key]
		if !ok || v == "" {
			if missing {
				errs[q.Key] = "Answer this question: " + q.Text
			}
			continue
		}
		valid := false
		for _, o := range q.Options {
			valid = valid || o.Value == v
		}
		if !valid {
			errs[q.Key] = "Choose one of the answers offered."
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Assessment is a health risk assessment, draft or submitted.
type Assessment struct {
	ID          int64
	MemberPK    int64
	Status      string
	Answers     map[string]string
	Section     int
	Score       int
	Risk        string
	UserID      int64
	AccountID   int64
	CompletedBy string
	StartedAt   string
	UpdatedAt   string
	SubmittedAt string
	// Unreadable: the stored answers did not open (altered, moved from another row, or
	// sealed under another key file); every answer then reads as UnreadableNote and a
	// draft cannot be saved over them.
	Unreadable bool
}

// RiskLabel is the assessment's risk level in words.
func (a *Assessment) RiskLabel() string { return RiskLabel(a.Risk) }

// RiskClass is its colour class.
func (a *Assessment) RiskClass() string { return RiskClass(a.Risk) }

// Answer is the label of the answer given to question key ("" when unanswered;
// UnreadableNote when the stored answers did not open).
func (a *Assessment) Answer(key string) string {
	if a.Unreadable {
		return UnreadableNote
	}
	v := a.Answers[key]
	for _, s := range HRASections {
		for _, q := range s.Questions {
			if q.Key == key {
				for _, o := range q.Options {
					if o.Value == v {
						return o.Label
					}
				}
			}
		}
	}
	return ""
}

// Answered counts the questions answered so far.
func (a *Assessment) Answered() int {
	n := 0
	for _, s := range HRASections {
		for _, q := range s.Questions {
			if a.Answers[q.Key] != "" {
				n++
			}
		}
	}
	return n
}

// Result is the scoring of the answers as they stand.
func (a *Assessment) Result() HRAResult { return ScoreHRA(a.Answers) }

// HRARequiredSetting is the settings key listing the plan types (space-separated values
// of PlanTypes) for which a health risk assessment is required every 12 months.
const HRARequiredSetting = "hra_required_plan_types"

// DefaultHRARequired is the setting's value when unset: Medi-Cal and Medicare/DSNP.
var DefaultHRARequired = []string{PlanMediCal, PlanMedicare}

// HRAValidMonths is how long a submitted assessment counts: a member with none submitted
// in the last 12 months is due.
const HRAValidMonths = 12

// Queries of the assessment pages, named so that the EXPLAIN test checks them.
const (
	qHRAStatus = `SELECT
		EXISTS (SELECT 1 FROM assessments WHERE member_pk = ?1),
		COALESCE((SELECT MAX(submitted_at) FROM assessments WHERE member_pk = ?1 AND status = 'submitted'), '')`
	qReassessmentsDueRows = `SELECT a.member_pk FROM assessments a WHERE a.status = 'submitted' AND a.submitted_at < ?
		AND NOT EXISTS (SELECT 1 FROM assessments b WHERE b.member_pk = a.member_pk AND b.status = 'submitted' AND b.submitted_at > a.submitted_at)`
	qReassessmentsDue = `SELECT m.member_id, m.first_name || ' ' || m.last_name || CASE WHEN m.suffix <> '' THEN ' ' || m.suffix ELSE '' END, m.plan_type, a.submitted_at, a.risk
		FROM assessments a JOIN members m ON m.id = a.member_pk
		WHERE a.status = 'submitted' AND a.submitted_at < ?
		AND NOT EXISTS (SELECT 1 FROM assessments b WHERE b.member_pk = a.member_pk AND b.status = 'submitted' AND b.submitted_at > a.submitted_at)
		ORDER BY a.submitted_at LIMIT ?`
)

// Assessments stores health risk assessments.
//
// The answers (a JSON object) are sealed (note_seal.go): they tell the member's
// conditions, mood, falls and social needs. A draft not yet answered stays '{}', which
// tells nothing.
type Assessments struct {
	DB *db.DB
	// Keys seals the answers under the clinical notes key.
	Keys *Keyring
}

// emptyAnswers is the stored answers of a draft not yet answered.
const emptyAnswers = "{}"

func (s Assessments) now() time.Time { return s.DB.Now() }

// RequiredPlanTypes reads the setting (DefaultHRARequired when unset).
func (s Assessments) RequiredPlanTypes(ctx context.Context) ([]string, error) {
	var v string
	err := s.DB.R.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", HRARequiredSetting).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultHRARequired, nil
	}
	if err != nil {
		return nil, fmt.Errorf("hra setting: %w", err)
	}
	var out []string
	for _, p := range strings.Fields(v) {
		if ValidPlanType(p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// SetRequiredPlanTypes changes the setting, audited in the same transaction.
func (s Assessments) SetRequiredPlanTypes(ctx context.Context, types []string, e AuditEntry) error {
	var keep []string
	for _, t := range types {
		if !ValidPlanType(t) {
			return FieldErrors{"plan_types": "Choose plan types from the list."}
		}
		keep = append(keep, t)
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", HRARequiredSetting, strings.Join(keep, " ")); err != nil {
			return fmt.Errorf("hra setting: %w", err)
		}
		e.Action, e.ObjectType, e.Detail = "settings.update", "setting", HRARequiredSetting+"="+strings.Join(keep, " ")
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
	})
}

// Required tells whether assessments are required for planType.
func (s Assessments) Required(ctx context.Context, planType string) (bool, error) {
	types, err := s.RequiredPlanTypes(ctx)
	if err != nil {
		return false, err
	}
	for _, t := range types {
		if t == planType {
			return true, nil
		}
	}
	return false, nil
}

// DueSince is the earliest submission time that still counts: 12 months before now.
func (s Assessments) DueSince() string {
	return s.now().AddDate(0, -HRAValidMonths, 0).Format(TimeFormat)
}

// HRAStatus is what the member record needs to know about a member's assessments.
type HRAStatus struct {
	Required      bool   // required for the member's plan type
	OnFile        bool   // any assessment (draft or submitted) exists
	LastSubmitted string // instant of the newest submission, "" for none
	Due           bool   // required and none submitted in the last 12 months
}

// Status reads a member's assessment status (one indexed look-up).
func (s Assessments) Status(ctx context.Context, memberPK int64, planType string) (HRAStatus, error) {
	var st HRAStatus
	req, err := s.Required(ctx, planType)
	if err != nil {
		return st, err
	}
	st.Required = req
	var any int
	err = s.DB.R.QueryRowContext(ctx, qHRAStatus, memberPK).Scan(&any, &st.LastSubmitted)
	if err != nil {
		return st, fmt.Errorf("hra status: %w", err)
	}
	st.OnFile = any == 1
	st.Due = req && (st.LastSubmitted == "" || st.LastSubmitted < s.DueSince())
	return st, nil
}

const assessmentColumns = `id, member_pk, status, answers, section, score, risk, COALESCE(user_id,0), COALESCE(account_id,0),
	completed_by, started_at, updated_at, submitted_at`

// scan reads an assessment and opens its answers.
func (s Assessments) scan(row interface{ Scan(...any) error }) (*Assessment, error) {
	var a Assessment
	var answers string
	err := row.Scan(&a.ID, &a.MemberPK, &a.Status, &answers, &a.Section, &a.Score, &a.Risk, &a.UserID, &a.AccountID,
		&a.CompletedBy, &a.StartedAt, &a.UpdatedAt, &a.SubmittedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.Answers = map[string]string{}
	if answers == emptyAnswers {
		return &a, nil
	}
	ns, err := s.Keys.noteSealer(notePurposeClinical)
	if err == nil {
		answers, err = ns.open("assessments", "answers", noteRow(a.ID), answers)
	}
	if err == nil {
		err = json.Unmarshal([]byte(answers), &a.Answers)
	}
	if err != nil {
		// Shown as UnreadableNote in place of each answer, the rest of the page as usual.
		a.Answers, a.Unreadable = map[string]string{}, true
	}
	return &a, nil
}

// Submitted lists a member's submitted assessments, newest first.
func (s Assessments) Submitted(ctx context.Context, memberPK int64) ([]*Assessment, error) {
	rows, err := s.DB.R.QueryContext(ctx, "SELECT "+assessmentColumns+
		" FROM assessments WHERE member_pk = ? AND status = 'submitted' ORDER BY submitted_at DESC LIMIT 100", memberPK)
	if err != nil {
		return nil, fmt.Errorf("assessments: %w", err)
	}
	defer rows.Close()
	var out []*Assessment
	for rows.Next() {
		a, err := s.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("assessments: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Get loads one assessment of the member.
func (s Assessments) Get(ctx context.Context, memberPK, id int64) (*Assessment, error) {
	a, err := s.scan(s.DB.R.QueryRowContext(ctx, "SELECT "+assessmentColumns+
		" FROM assessments WHERE id = ? AND member_pk = ?", id, memberPK))
	if err != nil {
		return nil, fmt.Errorf("assessment: %w", err)
	}
	return a, nil
}

// Draft is the user's open draft for the member, or ErrNotFound.
func (s Assessments) Draft(ctx context.Context, memberPK, userID int64) (*Assessment, error) {
	a, err := s.scan(s.DB.R.QueryRowContext(ctx, "SELECT "+assessmentColumns+
		" FROM assessments WHERE member_pk = ? AND user_id = ? AND status = 'draft'", memberPK, userID))
	if err != nil {
		return nil, fmt.Errorf("assessment draft: %w", err)
	}
	return a, nil
}

// Author is who works on an assessment: the user, their account (0 for plan staff) and
// the name shown in the list.
type Author struct {
	UserID    int64
	AccountID int64
	Name      string
}

// StartDraft returns the user's draft for the member, creating it when there is none.
func (s Assessments) StartDraft(ctx context.Context, memberPK int64, who Author, e AuditEntry) (*Assessment, error) {
	if d, err := s.Draft(ctx, memberPK, who.UserID); err == nil {
		return d, nil
	} else if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	now := s.now().Format(TimeFormat)
	var acct any
	if who.AccountID != 0 {
		acct = who.AccountID
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO assessments(member_pk, status, answers, section, user_id, account_id, completed_by, started_at, updated_at)
			VALUES (?, 'draft', '{}', 1, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, memberPK, who.UserID, acct, who.Name, now, now)
		if err != nil {
			return fmt.Errorf("start assessment: %w", err)
		}
		id, _ := res.LastInsertId()
		e.Action, e.ObjectType, e.ObjectID = "assessment.start", "assessment", fmt.Sprint(id)
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return s.Draft(ctx, memberPK, who.UserID)
}

// SaveSection merges section n's answers into the user's draft and moves its resume
// point to next. Invalid answers are refused (FieldErrors) and nothing is saved.
func (s Assessments) SaveSection(ctx context.Context, d *Assessment, n int, answers map[string]string, next int, e AuditEntry) error {
	if errs := CheckHRASection(n, answers, false); errs != nil {
		return errs
	}
	if d.Unreadable {
		// Saving would replace the stored answers with this section's alone.
		return fmt.Errorf("save assessment: %w", ErrConflict)
	}
	ns, err := s.Keys.noteSealer(notePurposeClinical)
	if err != nil {
		return err
	}
	for _, q := range HRASections[n-1].Questions {
		if v := answers[q.Key]; v != "" {
			d.Answers[q.Key] = v
		} else {
			delete(d.Answers, q.Key)
		}
	}
	b, err := json.Marshal(d.Answers)
	if err != nil {
		return err
	}
	stored := emptyAnswers
	if len(d.Answers) > 0 {
		stored = ns.seal("assessments", "answers", noteRow(d.ID), string(b))
	}
	if next < 1 || next > HRASectionCount+1 {
		next = n
	}
	now := s.now().Format(TimeFormat)
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE assessments SET answers = ?, section = ?, updated_at = ? WHERE id = ? AND status = 'draft'",
			stored, next, now, d.ID)
		if err != nil {
			return fmt.Errorf("save assessment: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("save assessment: %w", ErrConflict)
		}
		e.Action, e.ObjectType, e.ObjectID, e.Detail = "assessment.save", "assessment", fmt.Sprint(d.ID), fmt.Sprintf("section=%d", n)
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
	})
}

// Submit scores a complete draft and submits it. Unanswered questions come back as
// FieldErrors keyed by question.
func (s Assessments) Submit(ctx context.Context, d *Assessment, e AuditEntry) (HRAResult, error) {
	if d.Unreadable {
		return HRAResult{}, fmt.Errorf("submit assessment: %w", ErrConflict)
	}
	all := FieldErrors{}
	for _, sec := range HRASections {
		for k, v := range CheckHRASection(sec.N, d.Answers, true) {
			all[k] = v
		}
	}
	if len(all) > 0 {
		return HRAResult{}, all
	}
	r := ScoreHRA(d.Answers)
	now := s.now().Format(TimeFormat)
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE assessments SET status = 'submitted', score = ?, risk = ?, submitted_at = ?, updated_at = ?
			WHERE id = ? AND status = 'draft'`, r.Score, r.Risk, now, now, d.ID)
		if err != nil {
			return fmt.Errorf("submit assessment: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("submit assessment: %w", ErrConflict)
		}
		e.Action, e.ObjectType, e.ObjectID, e.Detail = "assessment.submit", "assessment", fmt.Sprint(d.ID), "risk="+r.Risk
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
	})
	return r, err
}

// Discard deletes the user's draft.
func (s Assessments) Discard(ctx context.Context, d *Assessment, e AuditEntry) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM assessments WHERE id = ? AND status = 'draft'", d.ID); err != nil {
			return fmt.Errorf("discard assessment: %w", err)
		}
		e.Action, e.ObjectType, e.ObjectID = "assessment.discard", "assessment", fmt.Sprint(d.ID)
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
	})
}

// dueSQL selects the members attributed (PCP or PPG) to the TINs under planType whose
// coverage is in force and who have no assessment submitted since DueSince; it walks
// the members_pcp and members_ppg index ranges of each TIN and plan type.
func dueSQL(tins []int64) (string, []any) {
	in := strings.TrimSuffix(strings.Repeat("?,", len(tins)), ",")
	q := `SELECT m.id, m.member_id, m.first_name, m.last_name, m.suffix, m.dob, m.last_name_key FROM members m
		WHERE m.id IN (SELECT id FROM members WHERE pcp_tin_id IN (` + in + `) AND plan_type = ?
			UNION SELECT id FROM members WHERE ppg_tin_id IN (` + in + `) AND plan_type = ?)
		AND (m.end_date = '' OR m.end_date >= ?) AND m.effective_date <= ?
		AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.member_pk = m.id AND a.status = 'submitted' AND a.submitted_at >= ?)`
	var args []any
	for range 2 {
		for _, t := range tins {
			args = append(args, t)
		}
		args = append(args, nil)
	}
	return q, args
}

// DueMember is a member whose health risk assessment is due.
type DueMember struct{ MemberID, Name, DOB string }

// DueCount counts the members attributed to tins under planType who are due (none
// submitted in the last 12 months). Plan types that do not require assessments have none.
func (s Assessments) DueCount(ctx context.Context, tins []int64, planType string) (int, error) {
	if len(tins) == 0 {
		return 0, nil
	}
	if req, err := s.Required(ctx, planType); err != nil || !req {
		return 0, err
	}
	q, args := dueSQL(tins)
	args = s.dueArgs(args, planType)
	var n int
	if err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+q+")", args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("hra due count: %w", err)
	}
	return n, nil
}

func (s Assessments) dueArgs(args []any, planType string) []any {
	for i, a := range args {
		if a == nil {
			args[i] = planType
		}
	}
	today := s.DB.Today()
	return append(args, today, today, s.DueSince())
}

// DueList is one page (by last name) of the members DueCount counts.
func (s Assessments) DueList(ctx context.Context, tins []int64, planType string, limit, offset int) ([]DueMember, error) {
	if len(tins) == 0 {
		return nil, nil
	}
	if req, err := s.Required(ctx, planType); err != nil || !req {
		return nil, err
	}
	q, args := dueSQL(tins)
	args = append(s.dueArgs(args, planType), limit, offset)
	rows, err := s.DB.R.QueryContext(ctx, q+" ORDER BY m.last_name_key, m.first_name, m.id LIMIT ? OFFSET ?", args...)
	if err != nil {
		return nil, fmt.Errorf("hra due: %w", err)
	}
	defer rows.Close()
	var out []DueMember
	for rows.Next() {
		var pk int64
		var d DueMember
		var first, last, suffix, key string
		if err := rows.Scan(&pk, &d.MemberID, &first, &last, &suffix, &d.DOB, &key); err != nil {
			return nil, fmt.Errorf("hra due: %w", err)
		}
		d.Name = strings.TrimSpace(first + " " + last + " " + suffix)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Reassessment is a member whose last assessment is more than 12 months old.
type Reassessment struct {
	MemberID, Name, PlanType, LastSubmitted, Risk string
}

// ReassessmentsDue lists members whose newest submitted assessment is older than 12
// months (their yearly reassessment is due), oldest first, for the case managers'
// queue; it reads the assessments_submitted index. At most limit rows.
func (s Assessments) ReassessmentsDue(ctx context.Context, limit int) ([]Reassessment, error) {
	rows, err := s.DB.R.QueryContext(ctx, qReassessmentsDue, s.DueSince(), limit)
	if err != nil {
		return nil, fmt.Errorf("reassessments due: %w", err)
	}
	defer rows.Close()
	var out []Reassessment
	for rows.Next() {
		var r Reassessment
		if err := rows.Scan(&r.MemberID, &r.Name, &r.PlanType, &r.LastSubmitted, &r.Risk); err != nil {
			return nil, fmt.Errorf("reassessments due: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReassessmentsDueCount counts what ReassessmentsDue lists.
func (s Assessments) ReassessmentsDueCount(ctx context.Context) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+qReassessmentsDueRows+")", s.DueSince()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("reassessments due: %w", err)
	}
	return n, nil
}
