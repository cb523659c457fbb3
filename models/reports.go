package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"portico/db"
)

// Provider reports (SPEC §7): monthly capitation reports for capitated PPGs and
// hospitals, per TIN. Summaries are open to users with the reports permission;
// member-level reports (roster, adds and terms) also need the account manager's grant.

// ReportMonths is how many months the month picker offers.
const ReportMonths = 18

// ReportsPerPage is the page size of the member-level reports.
const ReportsPerPage = 50

// ReportAccess is what a user may see of an account's reports.
type ReportAccess struct {
	Capitated   bool
	AccountType string
	MemberLevel bool
	TINs        []TIN // the account's verified TINs
}

// CapMonth is one month's capitation payment summary for one TIN.
type CapMonth struct {
	ID                int64
	TINID             int64
	TIN               string
	Month             string // YYYY-MM
	MemberMonths      int64
	Gross, Adjustment int64 // cents
	Net               int64
	Adds, Terms       int64
	CheckNo           string
	CheckDate         string
	CheckAmount       int64
	Cells             []CapCell
	Adjustments       []CapAdjustment
}

// CapCell is one rate-cell line of a summary.
type CapCell struct {
	Code, Description string
	Members           int64
	PMPM, Gross       int64
}

// CapAdjustment is one retroactive adjustment paid with a month.
type CapAdjustment struct {
	MemberID, MemberName string
	ForMonth             string
	Reason               string
	Amount               int64
}

// RosterRow is one member of a capitation roster, an add or a term.
type RosterRow struct {
	MemberID               string
	FirstName, LastName    string
	Suffix, DOB            string
	AidCode                string
	Product, PlanName      string
	RateCell               string
	PMPM                   int64
	EffectiveDate, EndDate string
	Change                 string
}

// Name is the member's name as a roster prints it: LAST, First Suffix.
func (r RosterRow) Name() string {
	n := r.LastName + ", " + r.FirstName
	if r.Suffix != "" {
		n += " " + r.Suffix
	}
	return n
}

// ProductLabel is the member's aid code (Medi-Cal) or product in words.
func (r RosterRow) ProductLabel() string {
	switch r.Product {
	case "medi-cal":
		return "Medi-Cal"
	case "dsnp":
		return "D-SNP"
	case "medicare":
		return "Medicare Advantage"
	case "ifp":
		return "IFP"
	case "group":
		return "Commercial group"
	}
	return r.Product
}

// RosterPage is one page of a member-level report.
type RosterPage struct {
	Rows        []RosterRow
	Total       int
	Page, Pages int
}

// The report pages' queries. Values compared with indexed columns are bound through
// (SELECT ?), so that their prepared statements are not re-planned at each bind (see
// qEligibilityByName).
const (
	qCapMonth = `SELECT c.id, c.tin_id, t.tin, c.month, c.member_months, c.gross_cents, c.adjustment_cents, c.net_cents,
		c.adds, c.terms, COALESCE(p.check_no,''), COALESCE(p.check_date,''), COALESCE(p.amount_cents,0)
		FROM capitation_months c JOIN tins t ON t.id = c.tin_id LEFT JOIN payments p ON p.id = c.payment_id
		WHERE c.tin_id = (SELECT ?) AND c.month = (SELECT ?)`
	qCapCells = `SELECT r.code, r.description, c.members, c.pmpm_cents, c.gross_cents
		FROM capitation_cells c JOIN capitation_rate_cells r ON r.id = c.rate_cell_id WHERE c.month_id = (SELECT ?) ORDER BY r.id`
	qCapAdjustments = `SELECT m.member_id, m.last_name || ', ' || m.first_name, a.for_month, a.reason, a.amount_cents
		FROM capitation_adjustments a JOIN members m ON m.id = a.member_pk WHERE a.month_id = (SELECT ?) ORDER BY a.id`
)

// ReportPageQueries lists the queries of the reports and pharmacy pages with sample
// arguments, for the EXPLAIN QUERY PLAN test.
func ReportPageQueries() []PageQuery {
	var out []PageQuery
	out = append(out, PageQuery{"capitation month", qCapMonth, []any{1, "2026-11"}},
		PageQuery{"capitation cells", qCapCells, []any{1}}, PageQuery{"capitation adjustments", qCapAdjustments, []any{1}})
	for _, k := range []string{ReportRoster, ReportAdds, ReportTerms} {
		out = append(out, PageQuery{"report " + k, pagedReports[k], []any{1, 1, "2026-11", 50, 100}})
	}
	where, args := DrugQuery{VersionID: 1, Tier: 2, Flag: "pa"}.filterSQL("2026-08-01")
	out = append(out, PageQuery{"drug list count", "SELECT COUNT(*) FROM formulary_drugs d WHERE 1=1" + where, args},
		PageQuery{"drug list page", "SELECT " + drugCols + " FROM formulary_drugs d WHERE 1=1" + where + " ORDER BY d.generic_name, d.strength, d.id LIMIT 25", args},
		PageQuery{"drug search", ftsQuery(where, ""), append([]any{`"atorva"`}, args...)})
	return out
}

// Reports reads the provider reports.
type Reports struct{ DB *db.DB }

// Access tells what user u may see: the account's kind, whether it is capitated, its
// verified TINs, and whether u holds member-level access (the account manager always
// does). Plan staff and users without the reports permission are ErrForbidden.
func (s Reports) Access(ctx context.Context, u *User) (*ReportAccess, error) {
	if u == nil || u.IsPlanStaff() || !u.Can(PermReports) {
		return nil, ErrForbidden
	}
	a := &ReportAccess{}
	err := readRow(ctx, s.DB, `SELECT a.capitated, a.type, u.is_manager OR u.report_member_access
		FROM users u JOIN provider_accounts a ON a.id = u.account_id WHERE u.id = (SELECT ?)`, u.ID).Scan(&a.Capitated, &a.AccountType, &a.MemberLevel)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrForbidden
	}
	if err != nil {
		return nil, fmt.Errorf("report access: %w", err)
	}
	tins, err := Accounts{DB: s.DB}.TINs(ctx, u.AccountID)
	if err != nil {
		return nil, err
	}
	for _, t := range tins {
		if t.Status == "verified" {
			a.TINs = append(a.TINs, t)
		}
	}
	return a, nil
}

// TIN returns the access's TIN with row ID id, or ErrNotFound: another account's TIN
// looks the same as one that does not exist.
func (a *ReportAccess) TIN(id int64) (*TIN, error) {
	for i := range a.TINs {
		if a.TINs[i].ID == id {
			return &a.TINs[i], nil
		}
	}
	return nil, ErrNotFound
}

// MonthChoices lists the picker's months, newest first: the 18 months up to today's.
func MonthChoices(today time.Time) []string {
	first := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]string, ReportMonths)
	for i := range out {
		out[i] = first.AddDate(0, -i, 0).Format("2006-01")
	}
	return out
}

// MonthLabel shows YYYY-MM as "November 2026".
func MonthLabel(month string) string {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month
	}
	return t.Format("January 2006")
}

// Month is the payment summary of one TIN and month with its rate cells, adjustments
// and check; ErrNotFound when no capitation was issued for it.
func (s Reports) Month(ctx context.Context, tinID int64, month string) (*CapMonth, error) {
	m, err := s.MonthTotals(ctx, tinID, month)
	if err != nil {
		return nil, err
	}
	rows, err := readRows(ctx, s.DB, qCapCells, m.ID)
	if err != nil {
		return nil, fmt.Errorf("capitation cells: %w", err)
	}
	for rows.Next() {
		var c CapCell
		if err := rows.Scan(&c.Code, &c.Description, &c.Members, &c.PMPM, &c.Gross); err != nil {
			rows.Close()
			return nil, fmt.Errorf("capitation cells: %w", err)
		}
		m.Cells = append(m.Cells, c)
	}
	rows.Close()
	return m, rows.Err()
}

// MonthTotals is Month without the rate cells (Cells is nil): what a member-level report
// reads of the month (its ID, totals, adds and terms), one query instead of two.
func (s Reports) MonthTotals(ctx context.Context, tinID int64, month string) (*CapMonth, error) {
	m := &CapMonth{}
	err := readRow(ctx, s.DB, qCapMonth, tinID, month).Scan(&m.ID, &m.TINID, &m.TIN, &m.Month, &m.MemberMonths, &m.Gross, &m.Adjustment,
		&m.Net, &m.Adds, &m.Terms, &m.CheckNo, &m.CheckDate, &m.CheckAmount)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("capitation month: %w", err)
	}
	return m, nil
}

// Adjustments lists a month's retroactive adjustments (member-level).
func (s Reports) Adjustments(ctx context.Context, monthID int64) ([]CapAdjustment, error) {
	rows, err := readRows(ctx, s.DB, qCapAdjustments, monthID)
	if err != nil {
		return nil, fmt.Errorf("capitation adjustments: %w", err)
	}
	defer rows.Close()
	var out []CapAdjustment
	for rows.Next() {
		var a CapAdjustment
		if err := rows.Scan(&a.MemberID, &a.MemberName, &a.ForMonth, &a.Reason, &a.Amount); err != nil {
			return nil, fmt.Errorf("capitation adjustments: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Report kinds of the member-level reports.
const (
	ReportRoster = "roster"
	ReportAdds   = "adds"
	ReportTerms  = "terms"
)

// rosterSelect reads a member-level report from the spans of the TIN's assignments:
// ?1 is the month's summary ID (for the month's PMPM of each cell), ?2 the TIN, ?3 the
// month (YYYY-MM).
const rosterSelect = `SELECT s.member_id, m.first_name, m.last_name, m.suffix, m.dob, s.aid_code, p.product, p.name, c.code, %s,
	m.effective_date, m.end_date, %s FROM capitation_spans s JOIN members m ON m.id = s.member_pk JOIN plans p ON p.id = m.plan_id
	JOIN capitation_rate_cells c ON c.id = s.rate_cell_id %s WHERE s.tin_id = (SELECT ?2) AND %s ORDER BY s.member_id`

// pagedRoster narrows a member-level report to one page first, on the spans' index
// alone (an OFFSET over joined rows would join every skipped row), then joins. The page
// is a subquery read as the join's outer loop (CROSS JOIN keeps it there), so its rows
// come in member-ID order and are not sorted again: materialised as a table they were,
// and that sort of fifty joined rows cost more than the joins.
func pagedRoster(q string) string {
	where := q[strings.Index(q, "WHERE s.tin_id"):strings.Index(q, " ORDER BY")]
	q = strings.Replace(q, " "+where, "", 1)
	q = strings.Replace(q, "FROM capitation_spans s JOIN", "FROM (SELECT s.id, s.member_id FROM capitation_spans s "+where+
		" ORDER BY s.member_id LIMIT ?4 OFFSET ?5) pg CROSS JOIN capitation_spans s ON s.id = pg.id JOIN", 1)
	i := strings.LastIndex(q, " ORDER BY s.member_id")
	return q[:i] + " ORDER BY pg.member_id" + q[i+len(" ORDER BY s.member_id"):]
}

// memberReportQuery is the SELECT of a member-level report kind.
func memberReportQuery(kind string) (string, error) {
	cells := "JOIN capitation_cells cc ON cc.month_id = ?1 AND cc.rate_cell_id = s.rate_cell_id"
	switch kind {
	case ReportRoster:
		return fmt.Sprintf(rosterSelect, "cc.pmpm_cents", "CASE WHEN s.starts_assignment = 1 AND s.first_month = ?3 THEN 'add' ELSE '' END",
			cells, "s.first_month <= (SELECT ?3) AND s.last_month >= (SELECT ?3)"), nil
	case ReportAdds:
		return fmt.Sprintf(rosterSelect, "cc.pmpm_cents", "'add'", cells, "s.starts_assignment = 1 AND s.first_month = (SELECT ?3)"), nil
	case ReportTerms:
		return fmt.Sprintf(rosterSelect, "0", "'term'", "", "s.term_month <> '' AND s.term_month = (SELECT ?3) AND ?1 > 0"), nil
	}
	return "", ErrNotFound
}

func scanRoster(row interface{ Scan(...any) error }) (RosterRow, error) {
	var r RosterRow
	err := row.Scan(&r.MemberID, &r.FirstName, &r.LastName, &r.Suffix, &r.DOB, &r.AidCode, &r.Product, &r.PlanName, &r.RateCell,
		&r.PMPM, &r.EffectiveDate, &r.EndDate, &r.Change)
	return r, err
}

// pagedReports are the page queries of the member-level reports by kind, built once.
var pagedReports = func() map[string]string {
	out := map[string]string{}
	for _, kind := range []string{ReportRoster, ReportAdds, ReportTerms} {
		q, _ := memberReportQuery(kind)
		out[kind] = pagedRoster(q)
	}
	return out
}()

// MemberReport is one page of a month's roster, adds or terms, in member-ID order.
func (s Reports) MemberReport(ctx context.Context, m *CapMonth, kind string, page int) (*RosterPage, error) {
	q, ok := pagedReports[kind]
	if !ok {
		return nil, ErrNotFound
	}
	total := m.MemberMonths
	switch kind {
	case ReportAdds:
		total = m.Adds
	case ReportTerms:
		total = m.Terms
	}
	p := &RosterPage{Total: int(total), Page: max(page, 1)}
	p.Pages = (p.Total + ReportsPerPage - 1) / ReportsPerPage
	rows, err := readRows(ctx, s.DB, q, m.ID, m.TINID, m.Month, ReportsPerPage, (p.Page-1)*ReportsPerPage)
	if err != nil {
		return nil, fmt.Errorf("member report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRoster(rows)
		if err != nil {
			return nil, fmt.Errorf("member report: %w", err)
		}
		p.Rows = append(p.Rows, r)
	}
	return p, rows.Err()
}

// StreamMemberReport calls fn with every row of a month's roster, adds or terms as it
// is read, so that a download of any size holds one row at a time.
func (s Reports) StreamMemberReport(ctx context.Context, m *CapMonth, kind string, fn func(RosterRow) error) (int, error) {
	q, err := memberReportQuery(kind)
	if err != nil {
		return 0, err
	}
	rows, err := readRows(ctx, s.DB, q, m.ID, m.TINID, m.Month)
	if err != nil {
		return 0, fmt.Errorf("member report stream: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		r, err := scanRoster(rows)
		if err != nil {
			return n, fmt.Errorf("member report stream: %w", err)
		}
		if err := fn(r); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// MemberLevelAccess tells whether office user id holds the member-level reports grant.
func (s Reports) MemberLevelAccess(ctx context.Context, id int64) (bool, error) {
	var ok bool
	err := s.DB.R.QueryRowContext(ctx, "SELECT report_member_access FROM users WHERE id = ?", id).Scan(&ok)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrNotFound
	}
	return ok, err
}

// SetMemberLevelAccess grants or withdraws member-level reports for an office user of
// the actor's account; the change is audited in the same transaction.
func (s Reports) SetMemberLevelAccess(ctx context.Context, by Actor, u *User, grant bool) error {
	if u.AccountID == 0 || u.AccountID != by.AccountID {
		return ErrNotFound
	}
	action := "reports.member_access.revoked"
	if grant {
		action = "reports.member_access.granted"
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET report_member_access = ? WHERE id = ?", grant, u.ID); err != nil {
			return fmt.Errorf("set report access: %w", err)
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, by.entry(action, u, "member-level provider reports"))
	})
}

// CapitationForPayment is the capitation month that a check paid, for payment history
// to explain a check with no claims ("capitation for November 2026, see Provider
// reports"); ErrNotFound for a check of claims.
func (s Reports) CapitationForPayment(ctx context.Context, paymentID int64) (*CapMonth, error) {
	var tinID int64
	var month string
	err := s.DB.R.QueryRowContext(ctx, "SELECT tin_id, month FROM capitation_months WHERE payment_id = ?", paymentID).Scan(&tinID, &month)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("capitation for payment: %w", err)
	}
	return s.Month(ctx, tinID, month)
}
