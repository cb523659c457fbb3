package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"portico/db"
)

// Authz stores prior-authorization requests: drafts saved at every step, submission with
// its decision clock, the reviewer's decisions, the office's answers, and the history.
type Authz struct {
	DB   *db.DB
	Keys *Keyring
	// Loc is the plan's time zone: clocks count days and business days there.
	Loc *time.Location
	// Notify sends the office a secure message for every change (BaseURL and PlanName
	// set); its e-mail notice holds no health information.
	Notify Messages
}

// Request statuses (SPEC §5).
const (
	AuthzDraft     = "draft"
	AuthzSubmitted = "submitted"
	AuthzInReview  = "in_review"
	AuthzMoreInfo  = "more_info"
	AuthzApproved  = "approved"
	AuthzPartial   = "partial"
	AuthzDenied    = "denied"
	AuthzWithdrawn = "withdrawn"
)

// Urgencies.
const (
	UrgencyUrgent   = "urgent"
	UrgencyStandard = "standard"
)

// AuthzStatuses lists the statuses a filter offers (drafts have their own list).
var AuthzStatuses = []string{AuthzSubmitted, AuthzInReview, AuthzMoreInfo, AuthzApproved, AuthzPartial, AuthzDenied, AuthzWithdrawn}

var authzStatusLabels = map[string]string{
	AuthzDraft: "Draft", AuthzSubmitted: "Submitted", AuthzInReview: "In review", AuthzMoreInfo: "More information requested",
	AuthzApproved: "Approved", AuthzPartial: "Partially approved", AuthzDenied: "Denied", AuthzWithdrawn: "Withdrawn",
}

// AuthzStatusLabel is a status in words.
func AuthzStatusLabel(s string) string {
	if l, ok := authzStatusLabels[s]; ok {
		return l
	}
	return s
}

// AuthzStatusClass is the colour class of a status (shown beside the word).
func AuthzStatusClass(s string) string {
	switch s {
	case AuthzApproved:
		return "status-ok"
	case AuthzPartial, AuthzMoreInfo:
		return "status-warn"
	case AuthzDenied:
		return "status-bad"
	case AuthzWithdrawn, AuthzDraft:
		return "status-muted"
	}
	return "status-info"
}

// ServiceType is one kind of service a request is for.
type ServiceType struct{ Value, Label string }

// ServiceTypes lists the service types in the order the request offers them.
var ServiceTypes = []ServiceType{
	{"inpatient", "Inpatient admission"},
	{"outpatient_surgery", "Outpatient surgery"},
	{"imaging", "Advanced imaging (MRI, CT, PET)"},
	{"dme", "Durable medical equipment"},
	{"therapy", "Physical, occupational or speech therapy"},
	{"home_health", "Home health"},
	{"behavioral_health", "Behavioral health"},
	{"sleep", "Sleep studies and CPAP"},
	{"bariatric", "Bariatric surgery"},
	{"other", "Other outpatient service"},
}

// ServiceTypeLabel is a service type in words ("" when unknown).
func ServiceTypeLabel(v string) string {
	for _, s := range ServiceTypes {
		if s.Value == v {
			return s.Label
		}
	}
	return ""
}

// Request steps, in order. Each is its own page.
var AuthzSteps = []struct{ Key, Label string }{
	{"member", "Member"},
	{"providers", "Requesting and servicing provider"},
	{"service", "Urgency and service type"},
	{"codes", "Diagnoses and procedures"},
	{"attachments", "Smart Sheets and attachments"},
	{"review", "Review and submit"},
}

// ValidStep tells whether key names a step.
func ValidStep(key string) bool {
	for _, s := range AuthzSteps {
		if s.Key == key {
			return true
		}
	}
	return false
}

// Limits of what a request holds.
const (
	MaxAuthzDiagnoses  = 12
	MaxAuthzLines      = 10
	MaxAuthzUnits      = 999
	MaxAuthzNoteLen    = 4000
	MaxAuthzNameLen    = 120
	AuthzPerPage       = 25
	AuthzExportLimit   = 10000
	MaxAuthzAttachment = 10
)

// AuthzLine is one procedure line.
type AuthzLine struct {
	LineNo        int
	Code          string
	Title         string
	Units         int
	From, To      string
	ApprovedUnits sql.NullInt64
}

// ApprovedText is what the decision gave the line, in words.
func (l AuthzLine) ApprovedText() string {
	if !l.ApprovedUnits.Valid {
		return ""
	}
	if l.ApprovedUnits.Int64 == 0 {
		return "Not approved"
	}
	return fmt.Sprintf("%d of %d approved", l.ApprovedUnits.Int64, l.Units)
}

// AuthzEvent is one line of a request's history.
type AuthzEvent struct {
	ID         int64
	At         string
	AtLocal    string
	Actor      string
	Kind       string
	Status     string
	ReasonText string
	Note       string
}

// KindText says what happened, in words.
func (e AuthzEvent) KindText() string {
	switch e.Kind {
	case "created":
		return "Draft started"
	case "submitted":
		return "Submitted"
	case "assigned":
		return "Taken for review"
	case "more_info":
		return "More information requested"
	case "answered":
		return "Office answered"
	case "approved":
		return "Approved"
	case "partial":
		return "Partially approved"
	case "denied":
		return "Denied"
	case "extended":
		return "Review time extended"
	case "withdrawn":
		return "Withdrawn by the office"
	case "appeal_overturned":
		return "Appeal: decision overturned, approved"
	case "appeal_upheld":
		return "Appeal: denial upheld"
	}
	return e.Kind
}

// AuthzRequest is a request (or draft) with everything its pages show.
type AuthzRequest struct {
	ID             int64
	TrackingNo     string
	AccountID      int64
	AccountName    string
	MemberPK       int64
	MemberID       string
	MemberName     string
	MemberDOB      string
	PlanType       string
	Status         string
	StepsDone      []string
	Urgency        string
	ServiceType    string
	RequestingTIN  int64
	RequestingNPI  string
	RequestingName string
	ServicingNPI   string
	ServicingName  string
	ClinicalNote   string
	CreatedBy      int64
	CreatedByName  string
	CreatedAt      string
	UpdatedAt      string
	SubmittedAt    string
	DueAt          string
	PausedAt       string
	Extended       bool
	AssigneeID     int64
	AssigneeName   string
	DecidedAt      string
	DecidedByName  string
	ReasonID       int64
	ReasonText     string
	DecisionNote   string
	AppealStatus   string
	ThreadID       int64

	// Local times: the stored UTC instants shown in the plan's time zone.
	CreatedLocal, SubmittedLocal, DueLocal, DecidedLocal, PausedLocal string

	Diagnoses   []Code
	Lines       []AuthzLine
	Events      []AuthzEvent
	Attachments []Attachment
	Sheets      []FilledSheet
}

// StatusLabel is the status in words.
func (r *AuthzRequest) StatusLabel() string { return AuthzStatusLabel(r.Status) }

// StatusClass is the status's colour class.
func (r *AuthzRequest) StatusClass() string { return AuthzStatusClass(r.Status) }

// ServiceLabel is the service type in words.
func (r *AuthzRequest) ServiceLabel() string { return ServiceTypeLabel(r.ServiceType) }

// UrgencyLabel is "Urgent" or "Standard".
func (r *AuthzRequest) UrgencyLabel() string { return AuthzUrgencyLabel(r.Urgency) }

// AuthzUrgencyLabel is an urgency in words: "Urgent", "Standard", or "" for a draft's
// urgency not chosen yet.
func AuthzUrgencyLabel(u string) string {
	switch u {
	case UrgencyUrgent:
		return "Urgent"
	case UrgencyStandard:
		return "Standard"
	}
	return ""
}

// Open tells whether the request waits for the plan (submitted or in review).
func (r *AuthzRequest) Open() bool { return r.Status == AuthzSubmitted || r.Status == AuthzInReview }

// Decided tells whether the request has a decision.
func (r *AuthzRequest) Decided() bool {
	return r.Status == AuthzApproved || r.Status == AuthzPartial || r.Status == AuthzDenied
}

// Withdrawable tells whether the office may still withdraw the request.
func (r *AuthzRequest) Withdrawable() bool {
	return r.Status == AuthzSubmitted || r.Status == AuthzInReview || r.Status == AuthzMoreInfo
}

// Overdue tells whether an open request is past its due time at now.
func (r *AuthzRequest) Overdue(now time.Time) bool {
	if !r.Open() || r.DueAt == "" {
		return false
	}
	d, err := time.Parse(TimeFormat, r.DueAt)
	return err == nil && now.After(d)
}

// StepDone tells whether the draft step key is completed.
func (r *AuthzRequest) StepDone(key string) bool {
	for _, s := range r.StepsDone {
		if s == key {
			return true
		}
	}
	return false
}

// NextStep is the first step not yet completed (review when all are).
func (r *AuthzRequest) NextStep() string {
	for _, s := range AuthzSteps {
		if s.Key != "review" && !r.StepDone(s.Key) {
			return s.Key
		}
	}
	return "review"
}

// TrackingNumber makes the tracking number of request id submitted in year.
func TrackingNumber(year int, id int64) string {
	return fmt.Sprintf("PA%02d%07d", year%100, id)
}

// ValidTrackingNo tells whether s has the shape of a tracking number.
func ValidTrackingNo(s string) bool {
	if len(s) != 11 || !strings.HasPrefix(s, "PA") {
		return false
	}
	for _, r := range s[2:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// querier is what reads need: the reader pool or a transaction.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const authzSelect = `SELECT r.id, COALESCE(r.tracking_no,''), r.account_id, a.name, r.member_pk, m.member_id,
	m.first_name || ' ' || m.last_name || CASE WHEN m.suffix <> '' THEN ' ' || m.suffix ELSE '' END, m.dob,
	r.plan_type, r.status, r.steps_done, r.urgency, r.service_type, COALESCE(r.requesting_tin_id,0), r.requesting_npi, r.requesting_name,
	r.servicing_npi, r.servicing_name, r.clinical_note, COALESCE(r.created_by,0), COALESCE(cu.name,'Office staff'), r.created_at, r.updated_at,
	COALESCE(r.submitted_at,''), COALESCE(r.due_at,''), COALESCE(r.paused_at,''), r.extended, COALESCE(r.assignee_id,0),
	COALESCE(au.name,''), COALESCE(r.decided_at,''), COALESCE(du.name,''), COALESCE(r.reason_id,0), COALESCE(rs.text,''),
	r.decision_note, r.appeal_status, COALESCE(r.thread_id,0)
	FROM authz_requests r JOIN members m ON m.id = r.member_pk JOIN provider_accounts a ON a.id = r.account_id
	LEFT JOIN users cu ON cu.id = r.created_by LEFT JOIN users au ON au.id = r.assignee_id LEFT JOIN users du ON du.id = r.decided_by
	LEFT JOIN authz_reasons rs ON rs.id = r.reason_id`

func scanAuthz(row interface{ Scan(...any) error }) (*AuthzRequest, error) {
	var r AuthzRequest
	var steps string
	err := row.Scan(&r.ID, &r.TrackingNo, &r.AccountID, &r.AccountName, &r.MemberPK, &r.MemberID, &r.MemberName, &r.MemberDOB,
		&r.PlanType, &r.Status, &steps, &r.Urgency, &r.ServiceType, &r.RequestingTIN, &r.RequestingNPI, &r.RequestingName,
		&r.ServicingNPI, &r.ServicingName, &r.ClinicalNote, &r.CreatedBy, &r.CreatedByName, &r.CreatedAt, &r.UpdatedAt,
		&r.SubmittedAt, &r.DueAt, &r.PausedAt, &r.Extended, &r.AssigneeID, &r.AssigneeName, &r.DecidedAt, &r.DecidedByName,
		&r.ReasonID, &r.ReasonText, &r.DecisionNote, &r.AppealStatus, &r.ThreadID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	r.StepsDone = strings.Fields(steps)
	return &r, nil
}

// Request loads request (or draft) id with its codes, lines, history, attachments and
// sheets. Access is the caller's: OfficeRequest and ReviewRequest apply the rules.
func (s Authz) Request(ctx context.Context, id int64) (*AuthzRequest, error) {
	return s.load(ctx, s.DB.R, id)
}

func (s Authz) load(ctx context.Context, q querier, id int64) (*AuthzRequest, error) {
	r, err := scanAuthz(q.QueryRowContext(ctx, authzSelect+` WHERE r.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("authorization %d: %w", id, err)
	}
	ns := s.notes()
	row := noteRow(r.ID)
	r.ClinicalNote = ns.show("authz_requests", "clinical_note", row, r.ClinicalNote)
	r.DecisionNote = ns.show("authz_requests", "decision_note", row, r.DecisionNote)
	if err := s.loadParts(ctx, q, r); err != nil {
		return nil, err
	}
	l := s.loc()
	for i := range r.Events {
		if r.Events[i].AtLocal == "" {
			r.Events[i].AtLocal = LocalTime(r.Events[i].At, l)
		}
	}
	r.CreatedLocal, r.SubmittedLocal, r.DueLocal = LocalTime(r.CreatedAt, l), LocalTime(r.SubmittedAt, l), LocalTime(r.DueAt, l)
	r.DecidedLocal, r.PausedLocal = LocalTime(r.DecidedAt, l), LocalTime(r.PausedAt, l)
	return r, nil
}

// localTimeLayout is how LocalTime shows an instant.
const localTimeLayout = "01/02/2006 3:04 PM MST"

// LocalTime shows a stored UTC instant in zone loc as MM/DD/YYYY h:mm AM PST ("" for "").
// Every row of the authorization lists shows one or two, and time.Parse and Format with
// their layouts were a twentieth of the office list's CPU (issue 17): the instant as
// stored (TimeFormat, UTC) is read and written digit by digit, and anything else takes
// the general way, so the result is what Parse and Format give (local_time_test.go).
func LocalTime(stored string, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t, ok := parseStoredUTC(stored)
	if !ok {
		var err error
		if t, err = time.Parse(TimeFormat, stored); err != nil {
			return ""
		}
	}
	t = t.In(loc)
	zone, _ := t.Zone()
	year, month, day := t.Date()
	if zone == "" || year < 1000 || year > 9999 {
		return t.Format(localTimeLayout)
	}
	hour, minute, _ := t.Clock()
	half := " AM "
	if hour >= 12 {
		half = " PM "
	}
	if hour %= 12; hour == 0 {
		hour = 12
	}
	b := make([]byte, 0, 24)
	b = append(b, byte('0'+month/10), byte('0'+month%10), '/', byte('0'+day/10), byte('0'+day%10), '/')
	b = strconv.AppendInt(b, int64(year), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(hour), 10)
	b = append(b, ':', byte('0'+minute/10), byte('0'+minute%10))
	b = append(b, half...)
	b = append(b, zone...)
	return string(b)
}

// parseStoredUTC reads an instant stored as TimeFormat ("2006-01-02T15:04:05Z"); ok is
// false for any other text, and for a date or time that does not exist, which
// time.Parse then judges.
func parseStoredUTC(s string) (t time.Time, ok bool) {
	if len(s) != len(TimeFormat) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	return t, t.Day() == day
}

// ByTracking loads a submitted request by its tracking number.
func (s Authz) ByTracking(ctx context.Context, no string) (*AuthzRequest, error) {
	if !ValidTrackingNo(no) {
		return nil, ErrNotFound
	}
	var id int64
	err := s.DB.R.QueryRowContext(ctx, `SELECT id FROM authz_requests WHERE tracking_no = ?`, no).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return s.Request(ctx, id)
}

func (s Authz) loadParts(ctx context.Context, q querier, r *AuthzRequest) error {
	rows, err := q.QueryContext(ctx, `SELECT code FROM authz_diagnoses WHERE request_id = ? ORDER BY seq`, r.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		code, ok := Diagnosis(c)
		if !ok {
			code = Code{Kind: CodeICD10CM, Code: c, Title: "Not on the current list"}
		}
		r.Diagnoses = append(r.Diagnoses, code)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT line_no, code, units, from_date, to_date, approved_units FROM authz_lines WHERE request_id = ? ORDER BY line_no`, r.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var l AuthzLine
		if err := rows.Scan(&l.LineNo, &l.Code, &l.Units, &l.From, &l.To, &l.ApprovedUnits); err != nil {
			rows.Close()
			return err
		}
		if c, ok := LookupProcedure(l.Code); ok {
			l.Title = c.Title
		}
		r.Lines = append(r.Lines, l)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT e.id, e.at, e.actor, e.kind, e.status, COALESCE(rs.text,''), e.note FROM authz_events e
		LEFT JOIN authz_reasons rs ON rs.id = e.reason_id WHERE e.request_id = ? ORDER BY e.id`, r.ID)
	if err != nil {
		return err
	}
	ns := s.notes()
	for rows.Next() {
		var e AuthzEvent
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Kind, &e.Status, &e.ReasonText, &e.Note); err != nil {
			rows.Close()
			return err
		}
		e.Note = ns.show("authz_events", "note", noteRow(e.ID), e.Note)
		e.AtLocal = LocalTime(e.At, s.loc())
		r.Events = append(r.Events, e)
	}
	rows.Close()
	if len(r.Events) == 0 && r.SubmittedAt != "" {
		r.Events = r.derivedEvents()
	}
	if r.Attachments, err = s.attachmentList(ctx, q, r.ID); err != nil {
		return err
	}
	r.Sheets, err = s.sheets(ctx, q, r.ID)
	return err
}

// derivedEvents is the history a request's own columns record, for a request that came
// without history lines (imported from an earlier system, or the demo's generated past).
func (r *AuthzRequest) derivedEvents() []AuthzEvent {
	ev := []AuthzEvent{{At: r.SubmittedAt, Actor: r.CreatedByName, Kind: "submitted", Status: AuthzSubmitted}}
	if r.RequestingName != "" && r.CreatedBy == 0 {
		ev[0].Actor = r.RequestingName
	}
	switch {
	case r.Status == AuthzMoreInfo && r.PausedAt != "":
		ev = append(ev, AuthzEvent{At: r.PausedAt, Actor: r.AssigneeName, Kind: "more_info", Status: AuthzMoreInfo})
	case r.DecidedAt != "":
		ev = append(ev, AuthzEvent{At: r.DecidedAt, Actor: r.DecidedByName, Kind: map[string]string{AuthzApproved: "approved", AuthzPartial: "partial", AuthzDenied: "denied"}[r.Status],
			Status: r.Status, ReasonText: r.ReasonText, Note: r.DecisionNote})
		if r.AppealStatus != "" {
			ev = append(ev, AuthzEvent{At: r.DecidedAt, Actor: r.DecidedByName, Kind: "appeal_" + r.AppealStatus, Status: r.Status})
		}
	case r.Status == AuthzWithdrawn:
		ev = append(ev, AuthzEvent{At: r.UpdatedAt, Actor: r.CreatedByName, Kind: "withdrawn", Status: AuthzWithdrawn})
	}
	return ev
}

// LatestEvent is the newest event of kind (nil when there is none).
func (r *AuthzRequest) LatestEvent(kind string) *AuthzEvent {
	for i := len(r.Events) - 1; i >= 0; i-- {
		if r.Events[i].Kind == kind {
			return &r.Events[i]
		}
	}
	return nil
}

// OfficeRequest loads request id for an office user: only the user's own account's
// requests exist for them (ErrNotFound otherwise, the same as a missing one).
func (s Authz) OfficeRequest(ctx context.Context, u *User, id int64) (*AuthzRequest, error) {
	if u == nil || u.IsPlanStaff() || !u.Can(PermMedicalManagement) {
		return nil, ErrForbidden
	}
	r, err := s.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.AccountID != u.AccountID {
		return nil, ErrNotFound
	}
	return r, nil
}

// eventTx writes a history line, its note sealed to the new line's ID (taken inside the
// write transaction, which no other writer shares).
func (s Authz) eventTx(ctx context.Context, tx *sql.Tx, id int64, u *User, kind, status string, reasonID int64, note string, now time.Time) (int64, error) {
	var evID int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id),0)+1 FROM authz_events`).Scan(&evID); err != nil {
		return 0, fmt.Errorf("authorization event: %w", err)
	}
	if note != "" {
		ns, err := s.Keys.noteSealer(notePurposeAuthz)
		if err != nil {
			return 0, fmt.Errorf("authorization event: %w", err)
		}
		note = ns.seal("authz_events", "note", noteRow(evID), note)
	}
	var uid any
	actor := "system"
	if u != nil {
		uid, actor = u.ID, u.Name
	}
	var reason any
	if reasonID > 0 {
		reason = reasonID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO authz_events(id, request_id, at, user_id, actor, kind, status, reason_id, note) VALUES (?,?,?,?,?,?,?,?,?)`,
		evID, id, now.UTC().Format(TimeFormat), uid, actor, kind, status, reason, note)
	if err != nil {
		return 0, fmt.Errorf("authorization event: %w", err)
	}
	return evID, nil
}

// CreateDraft starts a draft for member (already checked: care relationship) by an
// office user; the member step is done.
func (s Authz) CreateDraft(ctx context.Context, u *User, m *Member, now time.Time) (int64, error) {
	if u == nil || u.IsPlanStaff() || !u.Can(PermMedicalManagement) {
		return 0, ErrForbidden
	}
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		ts := now.UTC().Format(TimeFormat)
		res, err := tx.ExecContext(ctx, `INSERT INTO authz_requests(account_id, member_pk, plan_type, status, steps_done, created_by, created_at, updated_at)
			VALUES (?,?,?,'draft','member',?,?,?)`, u.AccountID, m.PK, m.PlanType, u.ID, ts, ts)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		_, err = s.eventTx(ctx, tx, id, u, "created", AuthzDraft, 0, "", now)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("create draft: %w", err)
	}
	return id, nil
}

// draftTx runs fn on draft id of u's account inside a transaction, then marks step done.
func (s Authz) draftTx(ctx context.Context, u *User, id int64, step string, now time.Time, fn func(tx *sql.Tx) error) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var acct int64
		var status, steps string
		err := tx.QueryRowContext(ctx, `SELECT account_id, status, steps_done FROM authz_requests WHERE id = ?`, id).Scan(&acct, &status, &steps)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && acct != u.AccountID) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if status != AuthzDraft {
			return ErrConflict
		}
		if err := fn(tx); err != nil {
			return err
		}
		done := strings.Fields(steps)
		have := false
		for _, d := range done {
			have = have || d == step
		}
		if !have && step != "" {
			done = append(done, step)
		}
		_, err = tx.ExecContext(ctx, `UPDATE authz_requests SET steps_done = ?, updated_at = ? WHERE id = ?`, strings.Join(done, " "), now.UTC().Format(TimeFormat), id)
		return err
	})
}

// ProviderChoice is an NPI of the account's verified TINs, offered as requesting provider.
type ProviderChoice struct {
	TINID int64
	TIN   string
	NPI   string
	Name  string
}

// Value is what the form posts for the choice.
func (p ProviderChoice) Value() string { return strconv.FormatInt(p.TINID, 10) + ":" + p.NPI }

// AccountNPIs lists the NPIs of the account's verified TINs.
func (s Authz) AccountNPIs(ctx context.Context, accountID int64) ([]ProviderChoice, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT t.id, t.tin, n.npi, n.name FROM npis n JOIN tins t ON t.id = n.tin_id
		WHERE t.account_id = ? AND t.status = 'verified' ORDER BY t.tin, n.name LIMIT 200`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ProviderChoice
	for rows.Next() {
		var p ProviderChoice
		if err := rows.Scan(&p.TINID, &p.TIN, &p.NPI, &p.Name); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ProvidersInput is the providers step.
type ProvidersInput struct {
	Requesting    string `form:"requesting" label:"the requesting provider"` // "tinID:npi" from AccountNPIs
	ServicingNPI  string `form:"servicing_npi" label:"the servicing provider's NPI"`
	ServicingName string `form:"servicing_name" label:"the servicing provider's name"`
}

// SaveProviders saves the providers step after checking it; field errors come back as
// FieldErrors.
func (s Authz) SaveProviders(ctx context.Context, u *User, id int64, in ProvidersInput, now time.Time) error {
	errs := FieldErrors{}
	choices, err := s.AccountNPIs(ctx, u.AccountID)
	if err != nil {
		return err
	}
	var pick *ProviderChoice
	for i := range choices {
		if choices[i].Value() == in.Requesting {
			pick = &choices[i]
		}
	}
	if pick == nil {
		errs["requesting"] = "Choose the requesting provider from your account's NPIs."
	}
	in.ServicingNPI = strings.TrimSpace(in.ServicingNPI)
	in.ServicingName = strings.TrimSpace(in.ServicingName)
	if in.ServicingNPI == "" && pick != nil {
		in.ServicingNPI, in.ServicingName = pick.NPI, pick.Name
	}
	if !ValidNPI(in.ServicingNPI) {
		errs["servicing_npi"] = "Enter the servicing provider's 10-digit NPI (or leave it empty when the requesting provider performs the service)."
	}
	if len(in.ServicingName) > MaxAuthzNameLen {
		errs["servicing_name"] = fmt.Sprintf("Keep the name to %d characters.", MaxAuthzNameLen)
	} else if in.ServicingName == "" && errs["servicing_npi"] == "" {
		errs["servicing_name"] = "Enter the servicing provider's name."
	}
	if len(errs) > 0 {
		return errs
	}
	return s.draftTx(ctx, u, id, "providers", now, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE authz_requests SET requesting_tin_id = ?, requesting_npi = ?, requesting_name = ?, servicing_npi = ?, servicing_name = ? WHERE id = ?`,
			pick.TINID, pick.NPI, pick.Name, in.ServicingNPI, in.ServicingName, id)
		return err
	})
}

// SaveService saves urgency and service type.
func (s Authz) SaveService(ctx context.Context, u *User, id int64, in ServiceInput, now time.Time) error {
	if errs := in.Validate(); len(errs) > 0 {
		return errs
	}
	return s.draftTx(ctx, u, id, "service", now, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE authz_requests SET urgency = ?, service_type = ? WHERE id = ?`, in.Urgency, in.ServiceType, id)
		return err
	})
}

// LineInput is one procedure line as typed.
type LineInput struct{ Code, Units, From, To string }

// CodesInput is the codes step as typed.
type CodesInput struct {
	Diagnoses []string
	Lines     []LineInput
}

// parseFormDate reads YYYY-MM-DD or MM/DD/YYYY.
func parseFormDate(s string) (string, bool) {
	for _, layout := range []string{DateFormat, "01/02/2006", "1/2/2006"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t.Format(DateFormat), true
		}
	}
	return "", false
}

// CheckCodes validates the codes step; field names are dx-N, code-N, units-N, from-N, to-N.
func CheckCodes(in CodesInput, today string) ([]string, []AuthzLine, FieldErrors) {
	errs := FieldErrors{}
	var dx []string
	seen := map[string]bool{}
	for i, d := range in.Diagnoses {
		if strings.TrimSpace(d) == "" {
			continue
		}
		if len(d) > 20 {
			errs[fmt.Sprintf("dx-%d", i)] = "That is too long to be a diagnosis code."
			continue
		}
		if p := DiagnosisProblem(d); p != "" {
			errs[fmt.Sprintf("dx-%d", i)] = p
			continue
		}
		c, _ := Diagnosis(d)
		if !seen[c.Code] {
			seen[c.Code] = true
			dx = append(dx, c.Code)
		}
	}
	if len(dx) == 0 && len(errs) == 0 {
		errs["dx-0"] = "Enter at least one ICD-10-CM diagnosis code."
	}
	if len(dx) > MaxAuthzDiagnoses {
		errs["dx-0"] = fmt.Sprintf("A request holds at most %d diagnosis codes.", MaxAuthzDiagnoses)
	}
	var lines []AuthzLine
	for i, l := range in.Lines {
		if strings.TrimSpace(l.Code) == "" && strings.TrimSpace(l.Units) == "" && strings.TrimSpace(l.From) == "" && strings.TrimSpace(l.To) == "" {
			continue
		}
		f := func(n string) string { return fmt.Sprintf("%s-%d", n, i) }
		line := AuthzLine{LineNo: len(lines) + 1}
		if len(l.Code) > 20 {
			errs[f("code")] = "That is too long to be a procedure code."
		} else if p := ProcedureProblem(l.Code); p != "" {
			errs[f("code")] = p
		} else {
			c, _ := LookupProcedure(l.Code)
			line.Code, line.Title = c.Code, c.Title
		}
		units, err := strconv.Atoi(strings.TrimSpace(l.Units))
		if err != nil || units < 1 || units > MaxAuthzUnits {
			errs[f("units")] = fmt.Sprintf("Enter the number of units, 1 to %d.", MaxAuthzUnits)
		}
		line.Units = units
		from, ok1 := parseFormDate(l.From)
		if !ok1 || len(l.From) > 12 {
			errs[f("from")] = "Enter the first date of service as MM/DD/YYYY."
		}
		to, ok2 := parseFormDate(l.To)
		if !ok2 || len(l.To) > 12 {
			errs[f("to")] = "Enter the last date of service as MM/DD/YYYY."
		}
		if ok1 && ok2 && to < from {
			errs[f("to")] = "The last date of service must be on or after the first."
		}
		if ok1 && today != "" && from < addDays(today, -30) {
			errs[f("from")] = "Prior authorization is asked before the service; this date is more than 30 days ago."
		}
		line.From, line.To = from, to
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		errs["code-0"] = "Enter at least one CPT or HCPCS procedure code with its units and dates."
	}
	if len(lines) > MaxAuthzLines {
		errs["code-0"] = fmt.Sprintf("A request holds at most %d procedure lines.", MaxAuthzLines)
	}
	if len(errs) > 0 {
		return nil, nil, errs
	}
	return dx, lines, nil
}

func addDays(iso string, n int) string {
	t, err := time.Parse(DateFormat, iso)
	if err != nil {
		return iso
	}
	return t.AddDate(0, 0, n).Format(DateFormat)
}

// SaveCodes replaces the draft's diagnoses and procedure lines.
func (s Authz) SaveCodes(ctx context.Context, u *User, id int64, in CodesInput, now time.Time) error {
	dx, lines, errs := CheckCodes(in, now.In(s.loc()).Format(DateFormat))
	if errs != nil {
		return errs
	}
	return s.draftTx(ctx, u, id, "codes", now, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM authz_diagnoses WHERE request_id = ?`, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM authz_lines WHERE request_id = ?`, id); err != nil {
			return err
		}
		for i, d := range dx {
			if _, err := tx.ExecContext(ctx, `INSERT INTO authz_diagnoses(request_id, seq, code) VALUES (?,?,?)`, id, i+1, d); err != nil {
				return err
			}
		}
		for _, l := range lines {
			if _, err := tx.ExecContext(ctx, `INSERT INTO authz_lines(request_id, line_no, code, units, from_date, to_date) VALUES (?,?,?,?,?,?)`,
				id, l.LineNo, l.Code, l.Units, l.From, l.To); err != nil {
				return err
			}
		}
		return nil
	})
}

// SaveNote saves the clinical summary of the attachments step and marks it done.
func (s Authz) SaveNote(ctx context.Context, u *User, id int64, note string, now time.Time) error {
	if len(note) > MaxAuthzNoteLen {
		return FieldErrors{"clinical_note": fmt.Sprintf("Keep the clinical summary to %d characters; attach longer notes as a file.", MaxAuthzNoteLen)}
	}
	note = strings.TrimSpace(note)
	ns, err := s.Keys.noteSealer(notePurposeAuthz)
	if err != nil {
		return err
	}
	return s.draftTx(ctx, u, id, "attachments", now, func(tx *sql.Tx) error {
		if note == UnreadableNote {
			// The form showed the stand-in for a note that does not open, and it came back
			// unchanged: keep the stored ciphertext rather than save the stand-in as a note.
			return nil
		}
		_, err := tx.ExecContext(ctx, `UPDATE authz_requests SET clinical_note = ? WHERE id = ?`, ns.seal("authz_requests", "clinical_note", noteRow(id), note), id)
		return err
	})
}

// DeleteDraft removes a draft of u's account.
func (s Authz) DeleteDraft(ctx context.Context, u *User, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM authz_requests WHERE id = ? AND account_id = ? AND status = 'draft'`, id, u.AccountID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

func (s Authz) loc() *time.Location {
	if s.Loc == nil {
		return s.DB.Clock.Zone()
	}
	return s.Loc
}

// SubmitProblems lists what a draft still lacks before it can be submitted.
func (r *AuthzRequest) SubmitProblems() []string {
	var out []string
	if r.RequestingNPI == "" || r.ServicingNPI == "" {
		out = append(out, "Choose the requesting and servicing provider.")
	}
	if r.Urgency == "" || r.ServiceType == "" {
		out = append(out, "Say whether the request is urgent, and the type of service.")
	}
	if len(r.Diagnoses) == 0 || len(r.Lines) == 0 {
		out = append(out, "Enter at least one diagnosis and one procedure.")
	}
	return out
}

// Submit sends draft id: it gets its tracking number and its due time from the clock of
// its plan type and urgency; the office gets a secure message with the tracking number.
func (s Authz) Submit(ctx context.Context, u *User, id int64, now time.Time) (*AuthzRequest, error) {
	r, err := s.OfficeRequest(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if r.Status != AuthzDraft {
		return nil, ErrConflict
	}
	if p := r.SubmitProblems(); len(p) > 0 {
		return nil, FieldErrors{"submit": strings.Join(p, " ")}
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		rule, err := s.ClockRule(ctx, tx, r.PlanType, r.Urgency)
		if err != nil {
			return err
		}
		hol, err := s.Holidays(ctx, tx)
		if err != nil {
			return err
		}
		due := DueAt(now, rule, s.loc(), hol)
		no := TrackingNumber(now.In(s.loc()).Year(), id)
		ts := now.UTC().Format(TimeFormat)
		res, err := tx.ExecContext(ctx, `UPDATE authz_requests SET status = 'submitted', tracking_no = ?, submitted_at = ?, due_at = ?, updated_at = ?, steps_done = 'member providers service codes attachments review'
			WHERE id = ? AND status = 'draft'`, no, ts, due.Format(TimeFormat), ts, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		if _, err := s.eventTx(ctx, tx, id, u, "submitted", AuthzSubmitted, 0, "Decision due "+s.dueText(due)+" ("+rule.Text()+", "+r.UrgencyLabel()+").", now); err != nil {
			return err
		}
		r.TrackingNo, r.Status = no, AuthzSubmitted
		return s.notifyTx(ctx, tx, r, u, "", now)
	})
	if err != nil {
		return nil, err
	}
	return s.Request(ctx, id)
}

// dueText shows an instant in the plan's zone (MM/DD/YYYY h:mm AM PST).
func (s Authz) dueText(t time.Time) string {
	return t.In(s.loc()).Format("01/02/2006 3:04 PM MST")
}

// notifyTx records a change in the account's Recent Activity and, when text is set,
// writes it as a secure message in the request's thread (encrypted; the e-mail notice
// that follows holds no health information). From plan staff the message goes to the
// office user who made the request; from the office it goes to Medical Management.
func (s Authz) notifyTx(ctx context.Context, tx *sql.Tx, r *AuthzRequest, actor *User, text string, now time.Time) error {
	if err := (Audit{DB: s.DB}).RecordTx(ctx, tx, AuditEntry{At: now.UTC().Format(TimeFormat), UserID: actor.ID, Actor: actor.Email, AccountID: r.AccountID,
		Action: "authorization.notice", ObjectType: "authorization", ObjectID: r.TrackingNo, MemberID: r.MemberID, Detail: "status=" + r.Status}); err != nil {
		return err
	}
	if text == "" || s.Notify.DB == nil || s.Notify.Keys == nil {
		return nil
	}
	author := MessageAuthor{User: actor}
	d := MessageDraft{Subject: "Authorization " + r.TrackingNo + ": " + AuthzStatusLabel(r.Status),
		Body: text + "\n\nOpen the request in the portal: Authorizations, tracking number " + r.TrackingNo + "."}
	ae := AuditEntry{UserID: actor.ID, Actor: actor.Email, AccountID: actor.AccountID}
	participant := func(threadID int64) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO message_thread_users(thread_id, user_id, participant) VALUES (?,?,1)
			ON CONFLICT(thread_id, user_id) DO UPDATE SET participant = 1`, threadID, r.CreatedBy)
		return err
	}
	if r.ThreadID == 0 {
		res, err := s.Notify.StartTx(ctx, tx, NewThread{AccountID: r.AccountID, Department: DeptMedicalManagement, PlanType: r.PlanType, MemberID: r.MemberID}, author, d, ae)
		if err != nil {
			return err
		}
		r.ThreadID = res.ThreadID
		if _, err := tx.ExecContext(ctx, `UPDATE authz_requests SET thread_id = ? WHERE id = ?`, res.ThreadID, r.ID); err != nil {
			return err
		}
		if err := participant(res.ThreadID); err != nil {
			return err
		}
		if actor.IsPlanStaff() {
			// The thread's first message came from the plan: tell the office user who
			// made the request (later messages reach them as a participant).
			var email string
			if err := tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = ? AND status = 'active'`, r.CreatedBy).Scan(&email); err == nil {
				return (Outbox{DB: s.DB}).EnqueueTx(ctx, tx, email, NoticeSubject, s.Notify.noticeBody(s.Notify.BaseURL+"/messages"))
			}
		}
		return nil
	}
	if err := participant(r.ThreadID); err != nil {
		return err
	}
	res, err := s.Notify.ReplyTx(ctx, tx, r.ThreadID, author, d, ae)
	if err != nil {
		return err
	}
	if res.ThreadID != r.ThreadID {
		r.ThreadID = res.ThreadID
		if _, err := tx.ExecContext(ctx, `UPDATE authz_requests SET thread_id = ? WHERE id = ?`, res.ThreadID, r.ID); err != nil {
			return err
		}
		return participant(res.ThreadID)
	}
	return nil
}
