package demo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"portico/models"
)

func init() { register(80, "reports", fillReports) }

// rateCell is one capitation rate cell with its base PMPM (cents) for the year
// before the anchor's; the anchor's year pays 3 % more.
type rateCell struct {
	id         int
	code, desc string
	pmpm       int64
}

var rateCells = []rateCell{
	{1, "MCAL-CHILD", "Medi-Cal child (0–20)", 3850},
	{2, "MCAL-ADULT", "Medi-Cal adult, family aid (21–64)", 9210},
	{3, "MCAL-EXP", "Medi-Cal adult expansion (21–64)", 11040},
	{4, "MCAL-SPD", "Medi-Cal seniors and persons with disabilities", 24575},
	{5, "MA-HMO", "Medicare Advantage HMO", 41000},
	{6, "DSNP", "Medicare D-SNP, full dual", 52500},
	{7, "COMM-CHILD", "Commercial HMO child (0–18)", 4725},
	{8, "COMM-ADULT", "Commercial HMO adult (19+)", 7825},
}

// capMember is a member assigned to the TIN, as the capitation run reads them.
type capMember struct {
	pk                     int64
	memberID, dob, product string
	effective, end         string
}

// capCell places a member in a rate cell (and Medi-Cal aid code) for a month, by
// product, age on the first of the month and, for Medi-Cal adults, a stable share.
func capCell(m capMember, month time.Time) (int, string) {
	dob := mustDate(m.dob)
	age := month.Year() - dob.Year()
	if month.Month() < dob.Month() || month.Month() == dob.Month() && month.Day() < dob.Day() {
		age--
	}
	switch m.product {
	case "medi-cal":
		switch {
		case age < 21:
			return 1, "30"
		case age >= 65:
			return 4, "10"
		case m.pk%5 == 0:
			return 4, "60"
		case m.pk%5 == 1 || m.pk%5 == 2:
			return 2, "30"
		}
		return 3, "M1"
	case "dsnp":
		return 6, ""
	case "medicare":
		return 5, ""
	}
	if age < 19 {
		return 7, ""
	}
	return 8, ""
}

// capMonthTotals is one month's summary as the run adds it up.
type capMonthTotals struct {
	members     map[int]int64 // by rate cell
	adds, terms int64
	adjustments []capAdjustment
}

type capAdjustment struct {
	pk       int64
	forMonth string
	reason   string
	amount   int64
}

// fillReports writes 18 months of capitation for Valley Medical Group's TIN. The
// roster rule: a member assigned to the TIN is paid for every month of coverage, except
// that a quarter of new enrolments reach the plan late (first paid the month after,
// with a retroactive add for the missed month) and a quarter of terminations too (paid
// one month too many, recovered the month after as a retroactive term). Assignments
// are stored as spans; the month's summary (rate cells, gross, adjustments, net) and
// the capitation check in payment history, whose amount is the net, are computed here.
func fillReports(ctx context.Context, tx *sql.Tx, f *Fill) error {
	for _, c := range rateCells {
		if _, err := tx.ExecContext(ctx, "INSERT INTO capitation_rate_cells(id, code, description) VALUES (?,?,?)", c.id, c.code, c.desc); err != nil {
			return err
		}
	}
	// Valley's manager holds the member-level grant in the demo (and only they have
	// reports: every other demo user with the permission is not capitated).
	if _, err := tx.ExecContext(ctx, "UPDATE users SET report_member_access = 1 WHERE email = 'manager@valley.example'"); err != nil {
		return err
	}
	tin := f.TINIDs["945550001"]
	var address string
	if err := tx.QueryRowContext(ctx, "SELECT a.address FROM provider_accounts a JOIN tins t ON t.account_id = a.id WHERE t.id = ?", tin).Scan(&address); err != nil {
		return err
	}
	first := time.Date(f.Opts.Anchor.Year(), f.Opts.Anchor.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -17, 0)
	months := make([]time.Time, 18)
	totals := make([]*capMonthTotals, 18)
	index := map[string]int{}
	for i := range months {
		months[i] = first.AddDate(0, i, 0)
		totals[i] = &capMonthTotals{members: map[int]int64{}}
		index[months[i].Format("2006-01")] = i
	}
	rate := func(cell int, m time.Time) int64 { return capPMPM(rateCells[cell-1], m, f.Opts.Anchor) }
	spans := newBatcher(ctx, tx, "capitation_spans", "tin_id, member_id, member_pk, rate_cell_id, aid_code, first_month, last_month, starts_assignment, term_month")
	rows, err := tx.QueryContext(ctx, `SELECT m.id, m.member_id, m.dob, p.product, m.effective_date, m.end_date
		FROM members m JOIN plans p ON p.id = m.plan_id WHERE m.ppg_tin_id = ? ORDER BY m.member_id`, tin)
	if err != nil {
		return err
	}
	var assigned []capMember
	for rows.Next() {
		var m capMember
		if err := rows.Scan(&m.pk, &m.memberID, &m.dob, &m.product, &m.effective, &m.end); err != nil {
			rows.Close()
			return err
		}
		assigned = append(assigned, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	last := months[len(months)-1]
	for _, m := range assigned {
		eff := mustDate(m.effective[:8] + "01")
		paidFrom := eff
		if m.pk%4 == 0 { // late enrolment: first paid the month after, with the missed month
			paidFrom = eff.AddDate(0, 1, 0)
			if i, ok := index[paidFrom.Format("2006-01")]; ok && (m.end == "" || m.end >= m.effective[:8]+"01") {
				cell, _ := capCell(m, eff)
				totals[i].adjustments = append(totals[i].adjustments, capAdjustment{m.pk, eff.Format("2006-01"),
					"Retroactive enrolment effective " + eff.Format("01/02/2006"), rate(cell, eff)})
			}
		}
		lastPaid := time.Date(9999, 12, 1, 0, 0, 0, 0, time.UTC)
		if m.end != "" {
			endMonth := mustDate(m.end[:8] + "01")
			lastPaid = endMonth
			if m.pk%4 == 1 { // late termination: paid one month too many, recovered after
				lastPaid = endMonth.AddDate(0, 1, 0)
				if i, ok := index[endMonth.AddDate(0, 2, 0).Format("2006-01")]; ok && !paidFrom.After(lastPaid) {
					cell, _ := capCell(m, lastPaid)
					totals[i].adjustments = append(totals[i].adjustments, capAdjustment{m.pk, lastPaid.Format("2006-01"),
						"Retroactive termination effective " + mustDate(m.end).Format("01/02/2006"), -rate(cell, lastPaid)})
				}
			}
		}
		from, to := paidFrom, lastPaid
		if from.Before(first) {
			from = first
		}
		if to.After(last) {
			to = last
		}
		if from.After(to) {
			continue
		}
		// Split the months paid in the window into spans of one rate cell.
		type span struct {
			cell     int
			aid      string
			from, to time.Time
		}
		var ss []span
		for mo := from; !mo.After(to); mo = mo.AddDate(0, 1, 0) {
			cell, aid := capCell(m, mo)
			i := index[mo.Format("2006-01")]
			totals[i].members[cell]++
			if n := len(ss); n > 0 && ss[n-1].cell == cell && ss[n-1].aid == aid {
				ss[n-1].to = mo
				continue
			}
			ss = append(ss, span{cell, aid, mo, mo})
		}
		starts := paidFrom.Equal(from) && !paidFrom.Before(first)
		if starts {
			totals[index[from.Format("2006-01")]].adds++
		}
		term := ""
		if t := lastPaid.AddDate(0, 1, 0); !t.After(last) {
			term = t.Format("2006-01")
			totals[index[term]].terms++
		}
		for k, sp := range ss {
			lastMonth := sp.to.Format("2006-01")
			if k == len(ss)-1 && lastPaid.Year() == 9999 {
				lastMonth = "9999-12"
			} else if k == len(ss)-1 {
				lastMonth = lastPaid.Format("2006-01")
			}
			st, tm := k == 0 && starts, ""
			if k == len(ss)-1 {
				tm = term
			}
			if err := spans.add(tin, m.memberID, m.pk, sp.cell, sp.aid, sp.from.Format("2006-01"), lastMonth, st, tm); err != nil {
				return err
			}
		}
	}
	if err := spans.close(); err != nil {
		return err
	}
	checkNo := 80000001
	for i, mo := range months {
		if err := capitationMonth(ctx, tx, f, tin, mo, totals[i], fmt.Sprint(checkNo+i), address); err != nil {
			return fmt.Errorf("capitation %s: %w", mo.Format("2006-01"), err)
		}
	}
	return nil
}

func capPMPM(c rateCell, month, anchor time.Time) int64 {
	if month.Year() >= anchor.Year() {
		return c.pmpm * 103 / 100
	}
	return c.pmpm
}

// capitationMonth writes one month's summary, rate cells, adjustments and check.
func capitationMonth(ctx context.Context, tx *sql.Tx, f *Fill, tin int64, start time.Time, t *capMonthTotals, checkNo, address string) error {
	var mm, gross, adj int64
	for _, c := range rateCells {
		n := t.members[c.id]
		mm += n
		gross += n * capPMPM(c, start, f.Opts.Anchor)
	}
	for _, a := range t.adjustments {
		adj += a.amount
	}
	net := gross + adj
	res, err := tx.ExecContext(ctx, `INSERT INTO payments(tin_id, check_no, check_date, amount_cents, address) VALUES (?,?,?,?,?)`,
		tin, checkNo, start.Format(models.DateFormat), net, address)
	if err != nil {
		return err
	}
	payID, _ := res.LastInsertId()
	res, err = tx.ExecContext(ctx, `INSERT INTO capitation_months(tin_id, month, member_months, gross_cents, adjustment_cents, net_cents, adds, terms, payment_id)
		VALUES (?,?,?,?,?,?,?,?,?)`, tin, start.Format("2006-01"), mm, gross, adj, net, t.adds, t.terms, payID)
	if err != nil {
		return err
	}
	monthID, _ := res.LastInsertId()
	for _, c := range rateCells {
		if n := t.members[c.id]; n > 0 {
			p := capPMPM(c, start, f.Opts.Anchor)
			if _, err := tx.ExecContext(ctx, `INSERT INTO capitation_cells(month_id, rate_cell_id, members, pmpm_cents, gross_cents) VALUES (?,?,?,?,?)`,
				monthID, c.id, n, p, n*p); err != nil {
				return err
			}
		}
	}
	for _, a := range t.adjustments {
		if _, err := tx.ExecContext(ctx, `INSERT INTO capitation_adjustments(month_id, member_pk, for_month, reason, amount_cents) VALUES (?,?,?,?,?)`,
			monthID, a.pk, a.forMonth, a.reason, a.amount); err != nil {
			return err
		}
	}
	return nil
}
