package demo

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"portico/models"
)

func init() { register(80, "reports", fillReports) }

// rateCell is one capitation rate cell with its base PMPM (cents) for the year
// before the anchor's; the anchor's year pays 3 % more.
type rateCell struct {
	id          int
	code, desc  string
	pmpm        int64
	memberLevel bool
}

var rateCells = []rateCell{
	{1, "MCAL-CHILD", "Medi-Cal child (0–20)", 3850, false},
	{2, "MCAL-ADULT", "Medi-Cal adult, family aid (21–64)", 9210, false},
	{3, "MCAL-EXP", "Medi-Cal adult expansion (21–64)", 11040, false},
	{4, "MCAL-SPD", "Medi-Cal seniors and persons with disabilities", 24575, false},
	{5, "MA-HMO", "Medicare Advantage HMO", 41000, false},
	{6, "DSNP", "Medicare D-SNP, full dual", 52500, false},
	{7, "COMM-CHILD", "Commercial HMO child (0–18)", 4725, false},
	{8, "COMM-ADULT", "Commercial HMO adult (19+)", 7825, false},
}

// capAge is a member's age on the first day of the month (?1).
const capAge = `((CAST(strftime('%Y', ?1) AS INTEGER) - CAST(strftime('%Y', m.dob) AS INTEGER)) - (strftime('%m-%d', ?1) < strftime('%m-%d', m.dob)))`

// capCell places a member in a rate cell by product, age and (for Medi-Cal adults) a
// stable share of the members.
const capCell = `CASE
  WHEN p.product = 'medi-cal' AND age < 21 THEN 1
  WHEN p.product = 'medi-cal' AND age >= 65 THEN 4
  WHEN p.product = 'medi-cal' AND m.id % 5 = 0 THEN 4
  WHEN p.product = 'medi-cal' AND m.id % 5 IN (1, 2) THEN 2
  WHEN p.product = 'medi-cal' THEN 3
  WHEN p.product = 'dsnp' THEN 6
  WHEN p.product = 'medicare' THEN 5
  WHEN age < 19 THEN 7 ELSE 8 END`

// capAid is the Medi-Cal aid code of the member's cell (” for other products).
const capAid = `CASE WHEN p.product <> 'medi-cal' THEN ''
  WHEN age >= 65 THEN '10'
  WHEN age >= 21 AND m.id % 5 = 0 THEN '60'
  WHEN age >= 21 AND m.id % 5 IN (3, 4) THEN 'M1'
  ELSE '30' END`

// The roster rule, with ?1/?2 the month's first and last day and ?3/?4 the previous
// month's: a member assigned to the TIN is on the month's roster while covered, except
// that a quarter of new enrolments reach the plan late (paid the next month as a
// retroactive add) and a quarter of terminations too (paid one month too many and
// recovered the month after as a retroactive term).
const (
	capOnRoster = `m.effective_date <= ?2 AND NOT (m.effective_date >= ?1 AND m.id % 4 = 0)
  AND (m.end_date = '' OR m.end_date >= ?1 OR (m.end_date >= ?3 AND m.id % 4 = 1))`
	capIsAdd = `(m.effective_date >= ?1 OR (m.effective_date >= ?3 AND m.id % 4 = 0))`
)

// fillReports writes 18 months of capitation reports for Valley Medical Group's TIN:
// each month's roster, adds and terms, rate-cell summary, retroactive adjustments and
// the capitation check in payment history whose amount is the month's net.
func fillReports(ctx context.Context, tx *sql.Tx, f *Fill) error {
	for _, c := range rateCells {
		if _, err := tx.ExecContext(ctx, "INSERT INTO capitation_rate_cells(id, code, description) VALUES (?,?,?)", c.id, c.code, c.desc); err != nil {
			return err
		}
	}
	tin := f.TINIDs["945550001"]
	// Only Valley's manager sees reports in the demo; Valley's manager holds the
	// member-level grant as well.
	if _, err := tx.ExecContext(ctx, "UPDATE users SET report_member_access = 1 WHERE email = 'manager@valley.example'"); err != nil {
		return err
	}
	var address string
	if err := tx.QueryRowContext(ctx, "SELECT a.address FROM provider_accounts a JOIN tins t ON t.account_id = a.id WHERE t.id = ?", tin).Scan(&address); err != nil {
		return err
	}
	first := time.Date(f.Opts.Anchor.Year(), f.Opts.Anchor.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -17, 0)
	checkNo := 80000001
	for i := 0; i < 18; i++ {
		start := first.AddDate(0, i, 0)
		if err := capitationMonth(ctx, tx, f, tin, start, fmt.Sprint(checkNo+i), address); err != nil {
			return fmt.Errorf("capitation %s: %w", start.Format("2006-01"), err)
		}
	}
	return nil
}

// pmpmCase is the month's rate of each cell as a CASE over the cell ID.
func pmpmCase(expr string, start, anchor time.Time) string {
	var b strings.Builder
	b.WriteString("CASE " + expr)
	for _, c := range rateCells {
		fmt.Fprintf(&b, " WHEN %d THEN %d", c.id, capPMPM(c, start, anchor))
	}
	b.WriteString(" END")
	return b.String()
}

func capPMPM(c rateCell, month, anchor time.Time) int64 {
	if month.Year() >= anchor.Year() {
		return c.pmpm * 103 / 100
	}
	return c.pmpm
}

func capitationMonth(ctx context.Context, tx *sql.Tx, f *Fill, tin int64, start time.Time, checkNo, address string) error {
	end := start.AddDate(0, 1, -1)
	prevStart, prevEnd := start.AddDate(0, -1, 0), start.AddDate(0, 0, -1)
	prev2Start := start.AddDate(0, -2, 0)
	d := func(t time.Time) string { return t.Format(models.DateFormat) }
	month := start.Format("2006-01")
	res, err := tx.ExecContext(ctx, `INSERT INTO capitation_months(tin_id, month, member_months, gross_cents, adjustment_cents, net_cents)
		VALUES (?,?,0,0,0,0)`, tin, month)
	if err != nil {
		return err
	}
	monthID, _ := res.LastInsertId()
	from := ` FROM (SELECT m.*, ` + capAge + ` AS age FROM members m WHERE m.ppg_tin_id = ?5) m JOIN plans p ON p.id = m.plan_id WHERE `
	// The roster, in member-ID order.
	q := `INSERT INTO capitation_roster(month_id, member_id, member_pk, rate_cell_id, aid_code, pmpm_cents, change)
		SELECT ?6, member_id, id, cell, aid, ` + pmpmCase("cell", start, f.Opts.Anchor) + `, chg FROM (
		SELECT m.member_id, m.id, ` + capCell + ` AS cell, ` + capAid + ` AS aid, CASE WHEN ` + capIsAdd + ` THEN 'add' ELSE '' END AS chg` +
		from + capOnRoster + `) ORDER BY member_id`
	if _, err := tx.ExecContext(ctx, q, d(start), d(end), d(prevStart), d(prevEnd), tin, monthID); err != nil {
		return err
	}
	// Terms: on last month's roster, not on this one.
	prevOn := strings.NewReplacer("?1", "?3", "?2", "?4", "?3", "?7").Replace(capOnRoster)
	q = `INSERT INTO capitation_terms(month_id, member_id, member_pk, rate_cell_id, aid_code)
		SELECT ?6, member_id, id, cell, aid FROM (
		SELECT m.member_id, m.id, ` + capCell + ` AS cell, ` + capAid + ` AS aid` +
		strings.Replace(from, "?1", "?3", 2) + prevOn + ` AND NOT (` + capOnRoster + `)) ORDER BY member_id`
	if _, err := tx.ExecContext(ctx, q, d(start), d(end), d(prevStart), d(prevEnd), tin, monthID, d(prev2Start)); err != nil {
		return err
	}
	// Retroactive adds: last month's late enrolments, paid last month's rate.
	lastPMPM := pmpmCase("cell", prevStart, f.Opts.Anchor)
	q = `INSERT INTO capitation_adjustments(month_id, member_pk, for_month, reason, amount_cents)
		SELECT ?6, id, ?8, 'Retroactive enrolment effective ' || strftime('%m/%d/%Y', effective_date), ` + lastPMPM + ` FROM (
		SELECT m.id, m.effective_date, ` + capCell + ` AS cell` + strings.Replace(from, "?1", "?3", 2) + `
		m.effective_date >= ?3 AND m.effective_date <= ?4 AND m.id % 4 = 0 AND (m.end_date = '' OR m.end_date >= ?3)) ORDER BY id`
	if _, err := tx.ExecContext(ctx, q, d(start), d(end), d(prevStart), d(prevEnd), tin, monthID, d(prev2Start), prevStart.Format("2006-01")); err != nil {
		return err
	}
	// Retroactive terms: members whose coverage ended two months ago, reported late and
	// paid last month in error, are recovered at last month's rate.
	q = `INSERT INTO capitation_adjustments(month_id, member_pk, for_month, reason, amount_cents)
		SELECT ?6, id, ?8, 'Retroactive termination effective ' || strftime('%m/%d/%Y', end_date), -(` + lastPMPM + `) FROM (
		SELECT m.id, m.end_date, ` + capCell + ` AS cell` + strings.Replace(from, "?1", "?3", 2) + `
		m.end_date >= ?7 AND m.end_date < ?3 AND m.id % 4 = 1 AND m.effective_date <= ?4 AND NOT (m.effective_date >= ?3 AND m.id % 4 = 0)) ORDER BY id`
	if _, err := tx.ExecContext(ctx, q, d(start), d(end), d(prevStart), d(prevEnd), tin, monthID, d(prev2Start), prevStart.Format("2006-01")); err != nil {
		return err
	}
	// The summary: rate-cell lines, totals, and the check.
	if _, err := tx.ExecContext(ctx, `INSERT INTO capitation_cells(month_id, rate_cell_id, members, pmpm_cents, gross_cents)
		SELECT month_id, rate_cell_id, COUNT(*), MAX(pmpm_cents), SUM(pmpm_cents) FROM capitation_roster WHERE month_id = ? GROUP BY rate_cell_id`, monthID); err != nil {
		return err
	}
	var mm, adds, gross, adj, terms int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(members),0), COALESCE(SUM(gross_cents),0) FROM capitation_cells WHERE month_id = ?`, monthID).Scan(&mm, &gross); err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM capitation_roster WHERE month_id = ?1 AND change = 'add'),
		(SELECT COUNT(*) FROM capitation_terms WHERE month_id = ?1),
		(SELECT COALESCE(SUM(amount_cents),0) FROM capitation_adjustments WHERE month_id = ?1)`, monthID).Scan(&adds, &terms, &adj); err != nil {
		return err
	}
	net := gross + adj
	res, err = tx.ExecContext(ctx, `INSERT INTO payments(tin_id, check_no, check_date, amount_cents, address) VALUES (?,?,?,?,?)`,
		tin, checkNo, d(start), net, address)
	if err != nil {
		return err
	}
	payID, _ := res.LastInsertId()
	_, err = tx.ExecContext(ctx, `UPDATE capitation_months SET member_months = ?, gross_cents = ?, adjustment_cents = ?, net_cents = ?,
		adds = ?, terms = ?, payment_id = ? WHERE id = ?`, mm, gross, adj, net, adds, terms, payID, monthID)
	return err
}
