package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"portico/db"
)

// Member is a health plan member as the portal shows them.
type Member struct {
	PK            int64
	MemberID      string
	FirstName     string
	LastName      string
	Suffix        string
	DOB           string
	Sex           string
	PlanID        int64
	PlanName      string
	PlanType      string
	Product       string
	EffectiveDate string
	EndDate       string
	PCPTINID      int64
	PCPName       string
	PPGTINID      int64
}

// FullName is "First Last Suffix".
func (m *Member) FullName() string {
	n := m.FirstName + " " + m.LastName
	if m.Suffix != "" {
		n += " " + m.Suffix
	}
	return n
}

// Members reads members and decides who may see them.
type Members struct{ DB *db.DB }

const memberColumns = `m.id, m.member_id, m.first_name, m.last_name, m.suffix, m.dob, m.sex, m.plan_id, p.name, m.plan_type, p.product,
	m.effective_date, m.end_date, COALESCE(m.pcp_tin_id,0), m.pcp_name, COALESCE(m.ppg_tin_id,0)`

func scanMember(row interface{ Scan(...any) error }) (*Member, error) {
	var m Member
	err := row.Scan(&m.PK, &m.MemberID, &m.FirstName, &m.LastName, &m.Suffix, &m.DOB, &m.Sex, &m.PlanID, &m.PlanName, &m.PlanType,
		&m.Product, &m.EffectiveDate, &m.EndDate, &m.PCPTINID, &m.PCPName, &m.PPGTINID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &m, err
}

// ByMemberID loads a member by public member ID (normalised: case, spaces and dashes ignored).
func (s Members) ByMemberID(ctx context.Context, memberID string) (*Member, error) {
	m, err := scanMember(s.DB.R.QueryRowContext(ctx, "SELECT "+memberColumns+
		" FROM members m JOIN plans p ON p.id = m.plan_id WHERE m.member_id = ?", NormalizeMemberID(memberID)))
	if err != nil {
		return nil, fmt.Errorf("member by id: %w", err)
	}
	return m, nil
}

// qCareRelationship: a verified TIN of account ?1 is the member's PCP (?2) or PPG (?3),
// or has a claim for member ?4 with service on or after ?5.
const qCareRelationship = `SELECT
		EXISTS (SELECT 1 FROM tins t WHERE t.account_id = (SELECT ?1) AND t.status = 'verified' AND t.id IN (?2, ?3))
		OR EXISTS (SELECT 1 FROM claims c JOIN tins t ON t.id = c.tin_id
			WHERE c.member_pk = (SELECT ?4) AND c.service_from >= ?5 AND t.account_id = ?1 AND t.status = 'verified')
		OR EXISTS (SELECT 1 FROM authz_requests r
			WHERE r.member_pk = (SELECT ?4) AND r.created_at >= ?5 AND r.account_id = ?1 AND r.status <> 'draft')`

// CareRelationship is the access rule of SPEC §1 for the member record beyond
// eligibility: the member is attributed to one of the account's TINs (PCP or PPG), or
// one of its TINs has a claim for the member with service in the last 18 months, or the
// account has an authorization request for the member from the last 18 months.
// Every member route and every feature that reveals clinical or claims detail calls it.
func (s Members) CareRelationship(ctx context.Context, accountID int64, m *Member) (bool, error) {
	if accountID == 0 || m == nil {
		return false, nil
	}
	since := s.DB.Now().AddDate(0, -18, 0).Format(DateFormat)
	var ok bool
	err := s.queryRow(ctx, qCareRelationship,
		accountID, m.PCPTINID, m.PPGTINID, m.PK, since).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("care relationship: %w", err)
	}
	return ok, nil
}

// ActivityEntry is one line of the dashboard's Recent Activity: when, what and who —
// never the member or any health information.
type ActivityEntry struct {
	At, Action, Actor string
	// MemberID is the public member ID the action was about (never a name or a DOB).
	MemberID string
	// Department is where a sent secure message went (message.send only).
	Department string
}

// ActivityActions are the audit actions Recent Activity tells in words by default: what
// the office did. Sign-ins, sign-outs and page views are left out (they would flood it).
var ActivityActions = []string{"eligibility.check", "message.send", "paperless.update", "claims.export"}

// activitySQL reads the newest audit entries of one account through audit_log_account,
// the given actions only and not the demo data set's seeding (ip 'demo'); it selects
// only what Recent Activity shows, and the department a sent message went to.
func activitySQL(actions []string) string {
	quoted := make([]string, 0, len(actions))
	for _, a := range actions {
		quoted = append(quoted, "'"+strings.ReplaceAll(a, "'", "''")+"'")
	}
	return `SELECT a.at, a.action, a.actor, a.member_id,
	CASE WHEN a.action = 'message.send' THEN COALESCE((SELECT t.department FROM messages m JOIN message_threads t ON t.id = m.thread_id
		WHERE m.id = CAST(a.object_id AS INTEGER)), '') ELSE '' END
	FROM audit_log a WHERE a.account_id = (SELECT ?) AND a.ip <> 'demo' AND a.action IN (` + strings.Join(quoted, ",") + `)
	ORDER BY a.id DESC LIMIT ?`
}

// qRecentActivity is Recent Activity's statement over the default actions (for the EXPLAIN test).
var qRecentActivity = activitySQL(ActivityActions)

// RecentActivity lists the account's own latest actions from the audit log (the same
// rows as Audit.RecentForAccount, read through a prepared statement because every
// dashboard shows them).
func (s Members) RecentActivity(ctx context.Context, accountID int64, actions []string, limit int) ([]ActivityEntry, error) {
	if len(actions) == 0 {
		actions = ActivityActions
	}
	rows, err := s.query(ctx, activitySQL(actions), accountID, limit)
	if err != nil {
		return nil, fmt.Errorf("recent activity: %w", err)
	}
	defer rows.Close()
	var out []ActivityEntry
	for rows.Next() {
		var a ActivityEntry
		if err := rows.Scan(&a.At, &a.Action, &a.Actor, &a.MemberID, &a.Department); err != nil {
			return nil, fmt.Errorf("recent activity: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// queryRow runs a single-row query of the eligibility pages through a prepared
// statement (see prepared in library_search.go): SQLite spends as long parsing a short
// query as running it, and database/sql keeps a prepared statement per connection.
func (s Members) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := s.DB.Prepared(ctx, s.DB.R, q)
	if err != nil {
		return s.DB.R.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// query runs a query of the eligibility pages through a prepared statement.
func (s Members) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.DB.Prepared(ctx, s.DB.R, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}
