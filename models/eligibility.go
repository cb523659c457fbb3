package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Eligibility outcomes (SPEC §4). The messages users read are chosen by the handlers;
// none of them tells whether a member exists under another plan type.
const (
	// OutcomeFound: exactly one member of the selected plan type matched.
	OutcomeFound = "found"
	// OutcomeNotFoundID: a member ID + DOB matched nobody in the selected plan type;
	// the page suggests last name + DOB and checking the plan type.
	OutcomeNotFoundID = "not_found_id"
	// OutcomeNotFoundName: a last name + DOB (+ first name) matched nobody.
	OutcomeNotFoundName = "not_found_name"
	// OutcomeNeedFirstName: several members share the last name and DOB; the first
	// name is needed to tell them apart.
	OutcomeNeedFirstName = "need_first_name"
)

// Coverage statuses.
const (
	StatusActive     = "active"
	StatusTerminated = "terminated"
	StatusFuture     = "future"
)

// EligibilityQuery is one look-up: a member ID or a last name (with an optional first
// name), a date of birth, and the plan type selected on the dashboard.
type EligibilityQuery struct {
	MemberID  string
	LastName  string
	FirstName string
	DOB       string // ISO, see ParseDOB
	PlanType  string
}

// Eligibility is what a successful look-up shows: eligibility-level facts only.
type Eligibility struct {
	Member
	SubscriberPK  int64
	Relationship  string
	Network       string
	PCPNPI        string
	PCPGroup      string // the PCP's TIN name (the clinic)
	PPGName       string
	DeductibleInd int64
	DeductibleFam int64
	OOPInd        int64
	OOPFam        int64
	CopayPCP      int64
	CopaySpec     int64
	CopayUrgent   int64
	CopayER       int64
	CopayRx       int64
	Coinsurance   int64
	Status        string
	// HRA is the member's health risk assessment status, filled by the member record
	// for users with medical_management (see Assessments.Status).
	HRA HRAStatus
}

// StatusLabel is the coverage status in words.
func (e *Eligibility) StatusLabel() string {
	switch e.Status {
	case StatusActive:
		return "Active"
	case StatusFuture:
		return "Future (not yet effective)"
	}
	return "Terminated"
}

// StatusClass is the colour class shown beside the status words.
func (e *Eligibility) StatusClass() string {
	switch e.Status {
	case StatusActive:
		return "status-ok"
	case StatusFuture:
		return "status-info"
	}
	return "status-bad"
}

// CopayLine is the main copays in one line, as results and ID cards show them.
func (e *Eligibility) CopayLine() string {
	if e.CopayPCP == 0 && e.CopaySpec == 0 && e.CopayER == 0 && e.CopayUrgent == 0 {
		return "No copays for covered services"
	}
	return "PCP " + Dollars(e.CopayPCP) + " · Specialist " + Dollars(e.CopaySpec) + " · Urgent care " + Dollars(e.CopayUrgent) +
		" · ER " + Dollars(e.CopayER) + " · Generic Rx " + Dollars(e.CopayRx)
}

// Dollars shows cents as $1,234.56.
func Dollars(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	whole := strconv.FormatInt(cents/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte('$')
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	c := cents % 100
	b.WriteByte('.')
	b.WriteByte(byte('0' + c/10))
	b.WriteByte(byte('0' + c%10))
	return b.String()
}

// EligibilityResult is the outcome of a look-up; Member is set only when Outcome is
// OutcomeFound.
type EligibilityResult struct {
	Outcome string
	Member  *Eligibility
}

// CoverageStatus tells whether coverage from effective to end (ISO dates; end "" = open)
// is active, terminated or not yet started on day today.
func CoverageStatus(effective, end, today string) string {
	switch {
	case effective > today:
		return StatusFuture
	case end != "" && end < today:
		return StatusTerminated
	default:
		return StatusActive
	}
}

// ParseDOB reads a date of birth as typed: YYYY-MM-DD (what <input type=date> sends)
// or MM/DD/YYYY (also M/D/YYYY and MM-DD-YYYY). It returns the ISO date or a message
// for the user. Dates in the future or before 1900 are refused.
func ParseDOB(s string, today time.Time) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", "Enter the member's date of birth."
	}
	var t time.Time
	var err error
	switch {
	case len(s) == 10 && s[4] == '-':
		t, err = time.Parse(DateFormat, s)
	default:
		t, err = time.Parse("1/2/2006", strings.ReplaceAll(s, "-", "/"))
	}
	if err != nil {
		return "", "Enter the date of birth as MM/DD/YYYY, for example 03/14/1985."
	}
	if t.Year() < 1900 || t.After(today) {
		return "", "Enter a real date of birth, not in the future."
	}
	return t.Format(DateFormat), ""
}

// LooksLikeMemberID tells whether what was typed in "Member ID or last name" is a
// member ID: member IDs carry digits, last names do not.
func LooksLikeMemberID(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

const eligibilityColumns = `m.id, m.member_id, m.first_name, m.last_name, m.suffix, m.dob, m.sex, m.plan_id, p.name, m.plan_type, p.product,
	m.effective_date, m.end_date, COALESCE(m.pcp_tin_id,0), m.pcp_name, COALESCE(m.ppg_tin_id,0),
	COALESCE(m.subscriber_id, m.id), m.relationship, p.network, m.pcp_npi, COALESCE(pt.name,''), COALESCE(gt.name,''),
	p.deductible_ind, p.deductible_fam, p.oop_ind, p.oop_fam, p.copay_pcp, p.copay_spec, p.copay_urgent, p.copay_er, p.copay_rx, p.coinsurance_pct`

const eligibilityFrom = ` FROM members m JOIN plans p ON p.id = m.plan_id
	LEFT JOIN tins pt ON pt.id = m.pcp_tin_id LEFT JOIN tins gt ON gt.id = m.ppg_tin_id `

// The queries of the eligibility pages, named so that a test can EXPLAIN each one.
// A parameter compared with an indexed column is written (SELECT ?): with the
// ANALYZE histograms (STAT4) SQLite would otherwise re-plan a prepared statement every
// time a new value is bound, which costs as much as running it.
const (
	qEligibilityByID       = "SELECT " + eligibilityColumns + eligibilityFrom + "WHERE m.member_id = (SELECT ?) AND m.dob = ? AND m.plan_type = ?"
	qEligibilityByName     = "SELECT " + eligibilityColumns + eligibilityFrom + "WHERE m.last_name_key = (SELECT ?) AND m.dob = (SELECT ?) AND m.plan_type = ? ORDER BY m.id LIMIT 50"
	qEligibilityByPK       = "SELECT " + eligibilityColumns + eligibilityFrom + "WHERE m.id = ?"
	qEligibilityByMemberID = "SELECT " + eligibilityColumns + eligibilityFrom + "WHERE m.member_id = (SELECT ?)"
	qRunningList           = `SELECT id, COALESCE(member_pk,0), outcome, query_label, checked_at FROM eligibility_checks
		WHERE session = (SELECT ?) ORDER BY id DESC LIMIT ?`
	qCheckedInSession = `SELECT EXISTS (SELECT 1 FROM eligibility_checks WHERE session = (SELECT ?) AND member_pk = ?)`
)

func scanEligibility(row interface{ Scan(...any) error }, today string) (*Eligibility, error) {
	var e Eligibility
	err := row.Scan(&e.PK, &e.MemberID, &e.FirstName, &e.LastName, &e.Suffix, &e.DOB, &e.Sex, &e.PlanID, &e.PlanName, &e.PlanType,
		&e.Product, &e.EffectiveDate, &e.EndDate, &e.PCPTINID, &e.PCPName, &e.PPGTINID,
		&e.SubscriberPK, &e.Relationship, &e.Network, &e.PCPNPI, &e.PCPGroup, &e.PPGName,
		&e.DeductibleInd, &e.DeductibleFam, &e.OOPInd, &e.OOPFam, &e.CopayPCP, &e.CopaySpec, &e.CopayUrgent, &e.CopayER, &e.CopayRx, &e.Coinsurance)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	e.Status = CoverageStatus(e.EffectiveDate, e.EndDate, today)
	return &e, nil
}

// Check is the one matching function of SPEC §4. Exact identifiers only: a member ID
// (alpha prefix kept; case, spaces and dashes ignored) with the date of birth, or a
// last name (with or without suffix, any case or accents) with the date of birth and,
// when several match, the first name. Only members of q.PlanType are ever matched, so
// a member of another plan type looks exactly like no member at all.
func (s Members) Check(ctx context.Context, q EligibilityQuery) (*EligibilityResult, error) {
	if q.DOB == "" || !ValidPlanType(q.PlanType) {
		return nil, ErrInvalid
	}
	if id := NormalizeMemberID(q.MemberID); id != "" {
		e, err := scanEligibility(s.queryRow(ctx, qEligibilityByID, id, q.DOB, q.PlanType), s.DB.Today())
		if errors.Is(err, ErrNotFound) {
			return &EligibilityResult{Outcome: OutcomeNotFoundID}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("eligibility by id: %w", err)
		}
		return &EligibilityResult{Outcome: OutcomeFound, Member: e}, nil
	}
	key := LastNameKey(q.LastName)
	if key == "" {
		return nil, ErrInvalid
	}
	rows, err := s.query(ctx, qEligibilityByName, key, q.DOB, q.PlanType)
	if err != nil {
		return nil, fmt.Errorf("eligibility by name: %w", err)
	}
	defer rows.Close()
	var found []*Eligibility
	for rows.Next() {
		e, err := scanEligibility(rows, s.DB.Today())
		if err != nil {
			return nil, fmt.Errorf("eligibility by name: %w", err)
		}
		found = append(found, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("eligibility by name: %w", err)
	}
	if first := LastNameKey(q.FirstName); first != "" {
		var same []*Eligibility
		for _, e := range found {
			if LastNameKey(e.FirstName) == first {
				same = append(same, e)
			}
		}
		found = same
	}
	switch {
	case len(found) == 1:
		return &EligibilityResult{Outcome: OutcomeFound, Member: found[0]}, nil
	case len(found) > 1:
		return &EligibilityResult{Outcome: OutcomeNeedFirstName}, nil
	}
	return &EligibilityResult{Outcome: OutcomeNotFoundName}, nil
}

// EligibilityByPK loads the eligibility facts of a member already found (the running
// list, the member record). Callers have checked access.
func (s Members) EligibilityByPK(ctx context.Context, pk int64) (*Eligibility, error) {
	e, err := scanEligibility(s.queryRow(ctx, qEligibilityByPK, pk), s.DB.Today())
	if err != nil {
		return nil, fmt.Errorf("eligibility by pk: %w", err)
	}
	return e, nil
}

// qEligibilityByPKs reads the eligibility facts of several members by row ID (a JSON
// array): one text for any number of members.
const qEligibilityByPKs = "SELECT " + eligibilityColumns + eligibilityFrom + "WHERE m.id IN (SELECT value FROM json_each(?))"

// eligibilityByPKs loads the eligibility facts of several members in one query.
func (s Members) eligibilityByPKs(ctx context.Context, pks []int64) (map[int64]*Eligibility, error) {
	out := map[int64]*Eligibility{}
	// A row ID twice in the array is harmless: IN reads it as a set. 0 is no member (a
	// running-list entry that found nobody).
	ids := make([]int64, 0, len(pks))
	for _, pk := range pks {
		if pk != 0 {
			ids = append(ids, pk)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := readRows(ctx, s.DB, qEligibilityByPKs, idsJSON(ids))
	if err != nil {
		return nil, fmt.Errorf("eligibility by pks: %w", err)
	}
	defer rows.Close()
	today := s.DB.Today()
	for rows.Next() {
		e, err := scanEligibility(rows, today)
		if err != nil {
			return nil, fmt.Errorf("eligibility by pks: %w", err)
		}
		out[e.PK] = e
	}
	return out, rows.Err()
}

// EligibilityByMemberID loads the eligibility facts of a member by public ID.
func (s Members) EligibilityByMemberID(ctx context.Context, memberID string) (*Eligibility, error) {
	e, err := scanEligibility(s.queryRow(ctx, qEligibilityByMemberID, NormalizeMemberID(memberID)), s.DB.Today())
	if err != nil {
		return nil, fmt.Errorf("eligibility by member id: %w", err)
	}
	return e, nil
}

// CheckEntry is one row of the Eligibility Check page's running list.
type CheckEntry struct {
	ID         int64
	Outcome    string
	QueryLabel string
	CheckedAt  string
	Member     *Eligibility
}

// maxRunningList bounds the running list kept per session.
const maxRunningList = 50

// RecordCheck appends a check to the session's running list (when sessionHash is set)
// and writes its audit entry (action "eligibility.check", member ID only when found).
// Both commit together, and concurrent checks share one transaction (group commit), so
// that many offices checking at once do not queue on SQLite's single writer one by one.
// It returns once the entry is committed.
func (s Members) RecordCheck(ctx context.Context, sessionHash string, r *EligibilityResult, label string, e AuditEntry) (int64, error) {
	e.Action, e.ObjectType, e.Detail = "eligibility.check", "member", "outcome="+r.Outcome
	var pk int64
	if r.Member != nil {
		pk, e.MemberID, e.ObjectID = r.Member.PK, r.Member.MemberID, r.Member.MemberID
	}
	job := &auditJob{entries: []AuditEntry{e}}
	var id int64
	if sessionHash != "" {
		ins, err := s.DB.Prepared(ctx, s.DB.W, qInsertCheck)
		if err != nil {
			return 0, fmt.Errorf("record check: %w", err)
		}
		var member any
		if pk != 0 {
			member = pk
		}
		job.write = func(ctx context.Context, tx *sql.Tx, now string) error {
			res, err := tx.StmtContext(ctx, ins).ExecContext(ctx, sessionHash, member, r.Outcome, label, now)
			if err != nil {
				return err
			}
			id, _ = res.LastInsertId()
			return nil
		}
	}
	if err := submitAudit(ctx, s.DB, job); err != nil {
		return 0, fmt.Errorf("record check: %w", err)
	}
	return id, nil
}

const qInsertCheck = `INSERT INTO eligibility_checks(session, member_pk, outcome, query_label, checked_at) VALUES (?,?,?,?,?)`

// RecordChecks writes the audit entries of a roster's checks in one transaction.
func (s Members) RecordChecks(ctx context.Context, results []*EligibilityResult, e AuditEntry) error {
	entries := make([]AuditEntry, 0, len(results))
	for _, r := range results {
		x := e
		x.Action, x.ObjectType, x.Detail = "eligibility.check", "member", "roster outcome="+r.Outcome
		if r.Member != nil {
			x.MemberID, x.ObjectID = r.Member.MemberID, r.Member.MemberID
		}
		entries = append(entries, x)
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error { return appendAudit(ctx, tx, s.DB.NowText(), nil, entries...) })
	if err != nil {
		return fmt.Errorf("record checks: %w", err)
	}
	return nil
}

// RunningList returns the session's checks, newest first, with the members' facts.
func (s Members) RunningList(ctx context.Context, sessionHash string) ([]CheckEntry, error) {
	rows, err := s.query(ctx, qRunningList, sessionHash, maxRunningList)
	if err != nil {
		return nil, fmt.Errorf("running list: %w", err)
	}
	var out []CheckEntry
	var pks []int64
	for rows.Next() {
		var c CheckEntry
		var pk int64
		if err := rows.Scan(&c.ID, &pk, &c.Outcome, &c.QueryLabel, &c.CheckedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("running list: %w", err)
		}
		out = append(out, c)
		pks = append(pks, pk)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("running list: %w", err)
	}
	byPK, err := s.eligibilityByPKs(ctx, pks)
	if err != nil {
		return nil, err
	}
	for i, pk := range pks {
		out[i].Member = byPK[pk]
	}
	return out, nil
}

// ClearRunningList empties the session's running list.
func (s Members) ClearRunningList(ctx context.Context, sessionHash string) error {
	if _, err := s.DB.W.ExecContext(ctx, "DELETE FROM eligibility_checks WHERE session = ?", sessionHash); err != nil {
		return fmt.Errorf("clear running list: %w", err)
	}
	return nil
}

// CheckedInSession tells whether this session found the member by an exact look-up:
// it then may see eligibility-level facts (the printable result and ID card) even
// without a care relationship.
func (s Members) CheckedInSession(ctx context.Context, sessionHash string, memberPK int64) (bool, error) {
	var ok bool
	err := s.queryRow(ctx, qCheckedInSession, sessionHash, memberPK).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("checked in session: %w", err)
	}
	return ok, nil
}

// PageQuery is one SQL statement a page of the eligibility area runs, with example
// arguments, so that tests and the load generator can EXPLAIN QUERY PLAN it.
type PageQuery struct {
	Name string
	SQL  string
	Args []any
}

// PageQueries lists the queries of the dashboard, eligibility, member record and
// patients pages. Every one must use an index on members and claims.
func PageQueries() []PageQuery {
	pq := PatientQuery{PlanType: PlanCommercial, Sort: "name", PerPage: 25, Page: 1}
	args := panelArgs(pq, "[1,2]", "")
	search := PatientQuery{PlanType: PlanCommercial, Sort: "dob", Desc: true, PerPage: 25, Page: 2}
	sargs := panelArgs(search, "[1,2]", "lop")
	return []PageQuery{
		{"eligibility by ID", qEligibilityByID, []any{"A100000001", "1985-03-14", PlanCommercial}},
		{"eligibility by name", qEligibilityByName, []any{"lopez", "1985-03-14", PlanCommercial}},
		{"eligibility by pk", qEligibilityByPK, []any{1}},
		{"eligibility by member ID", qEligibilityByMemberID, []any{"A100000001"}},
		{"running list", qRunningList, []any{"x", 50}},
		{"checked in session", qCheckedInSession, []any{"x", 1}},
		{"recent claim IDs", qRecentClaimIDs, []any{1, "commercial", 8}},
		{"claim summaries by ID", qClaimSummaryIn + "(?,?,?)", []any{1, 2, 3}},
		{"eligibility by pks", qEligibilityByPKs, []any{"[1,2]"}},
		{"pending info", qPendingInfo, []any{1, "commercial"}},
		{"member claims", qMemberClaims, []any{1, 1}},
		{"account tins", qAccountTINs, []any{1}},
		{"cost share", qCostShare, []any{1, 1, "2026-01-01", "2026-12-31"}},
		{"patients count", qPanelTally, args[:panelArgFrom]},
		{"patients page", namePagesSQL(2), namePagesArgs(pq, []int64{1, 2})},
		{"patients page, another order", patientsSQL(search, false, false), args},
		{"patients search count", patientsSQL(search, true, true), sargs[:panelArgLimit]},
		{"patients search page", patientsSQL(search, true, false), sargs},
		{"recent activity", qRecentActivity, []any{1, 8}},
		{"care relationship", qCareRelationship, []any{1, 1, 2, 1, "2025-05-22"}},
		{"office authorization counts", qOfficeAuthzCounts, []any{1}},
	}
}
