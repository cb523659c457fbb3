package demo_test

import (
	"context"
	"fmt"
	"portico/db/dbtest"
	"testing"
	"time"

	"portico/db/demo"
)

// TestCapitationReportsMatchPayments checks that Valley's 18 months of capitation
// reports add up: each rate-cell line is members × PMPM, the cells sum to the gross and
// to the roster, net is gross plus adjustments, the check in payment history carries
// the net, adds and terms are exactly the roster's differences from the month before.
func TestCapitationReportsMatchPayments(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	if _, err := demo.Run(ctx, d, demo.Options{Members: 3000, Anchor: time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	var months, totalMembers int
	if err := d.R.QueryRow(`SELECT COUNT(*), COALESCE(SUM(member_months),0) FROM capitation_months c JOIN tins t ON t.id = c.tin_id
		WHERE t.tin = '945550001'`).Scan(&months, &totalMembers); err != nil {
		t.Fatal(err)
	}
	if months != 18 || totalMembers == 0 {
		t.Fatalf("Valley has %d months of capitation with %d member months; want 18 months with members", months, totalMembers)
	}
	// onRoster is true when member x.member_id is on the TIN's roster in month mo.
	const onRoster = `EXISTS (SELECT 1 FROM capitation_spans o WHERE o.tin_id = %[1]s.tin_id AND o.member_id = %[2]s AND o.first_month <= %[3]s AND o.last_month >= %[3]s)`
	prev := `strftime('%Y-%m', c.month || '-01', '-1 month')`
	checks := []struct{ name, query string }{
		{"cell gross is members × PMPM", `SELECT COUNT(*) FROM capitation_cells WHERE gross_cents <> members * pmpm_cents`},
		{"cells sum to the month's gross and member months", `SELECT COUNT(*) FROM capitation_months c WHERE
			c.gross_cents <> (SELECT SUM(gross_cents) FROM capitation_cells WHERE month_id = c.id) OR
			c.member_months <> (SELECT SUM(members) FROM capitation_cells WHERE month_id = c.id)`},
		{"the roster sums to the gross", `SELECT COUNT(*) FROM capitation_months c WHERE
			c.gross_cents <> (SELECT SUM(cc.pmpm_cents) FROM capitation_spans s JOIN capitation_cells cc ON cc.month_id = c.id AND cc.rate_cell_id = s.rate_cell_id
				WHERE s.tin_id = c.tin_id AND s.first_month <= c.month AND s.last_month >= c.month) OR
			c.member_months <> (SELECT COUNT(*) FROM capitation_spans s WHERE s.tin_id = c.tin_id AND s.first_month <= c.month AND s.last_month >= c.month)`},
		{"a member is on a month's roster once", `SELECT COUNT(*) FROM capitation_months c JOIN capitation_spans a ON a.tin_id = c.tin_id
			AND a.first_month <= c.month AND a.last_month >= c.month JOIN capitation_spans b ON b.tin_id = c.tin_id AND b.member_id = a.member_id
			AND b.id > a.id AND b.first_month <= c.month AND b.last_month >= c.month`},
		{"net is gross plus adjustments", `SELECT COUNT(*) FROM capitation_months c WHERE c.net_cents <> c.gross_cents + c.adjustment_cents OR
			c.adjustment_cents <> (SELECT COALESCE(SUM(amount_cents),0) FROM capitation_adjustments WHERE month_id = c.id)`},
		{"the check carries the net", `SELECT COUNT(*) FROM capitation_months c LEFT JOIN payments p ON p.id = c.payment_id
			WHERE p.id IS NULL OR p.amount_cents <> c.net_cents OR p.tin_id <> c.tin_id OR p.check_date <> c.month || '-01'`},
		{"capitation checks pay no claims", `SELECT COUNT(*) FROM claims WHERE payment_id IN (SELECT payment_id FROM capitation_months)`},
		{"adds are exactly the members new to the roster", `SELECT COUNT(*) FROM capitation_months c JOIN capitation_spans s ON s.tin_id = c.tin_id
			AND s.first_month <= c.month AND s.last_month >= c.month
			WHERE c.month > (SELECT MIN(month) FROM capitation_months) AND
			(s.starts_assignment = 1 AND s.first_month = c.month) = ` + fmt.Sprintf(onRoster, "c", "s.member_id", prev)},
		{"terms are exactly the members who left the roster", `SELECT COUNT(*) FROM capitation_months c JOIN capitation_spans s ON s.tin_id = c.tin_id
			AND s.first_month <= ` + prev + ` AND s.last_month >= ` + prev + `
			WHERE c.month > (SELECT MIN(month) FROM capitation_months) AND
			(EXISTS (SELECT 1 FROM capitation_spans x WHERE x.tin_id = c.tin_id AND x.member_id = s.member_id AND x.term_month = c.month)) = ` +
			fmt.Sprintf(onRoster, "c", "s.member_id", "c.month")},
		{"counts of adds and terms", `SELECT COUNT(*) FROM capitation_months c WHERE
			c.adds <> (SELECT COUNT(*) FROM capitation_spans WHERE tin_id = c.tin_id AND starts_assignment = 1 AND first_month = c.month) OR
			c.terms <> (SELECT COUNT(*) FROM capitation_spans WHERE tin_id = c.tin_id AND term_month = c.month)`},
		{"roster members are assigned to the TIN", `SELECT COUNT(*) FROM capitation_spans s JOIN members m ON m.id = s.member_pk WHERE m.ppg_tin_id <> s.tin_id`},
		{"members are on the roster only while covered, or one month after a late term", `SELECT COUNT(*) FROM capitation_spans s JOIN members m ON m.id = s.member_pk
			WHERE s.first_month < substr(m.effective_date, 1, 7) OR (m.end_date <> '' AND s.last_month > strftime('%Y-%m', m.end_date, '+1 month'))`},
	}
	for _, c := range checks {
		var bad int
		if err := d.R.QueryRow(c.query).Scan(&bad); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if bad != 0 {
			t.Errorf("%s: %d rows disagree", c.name, bad)
		}
	}
	var adds, terms, adjs int
	if err := d.R.QueryRow(`SELECT SUM(adds), SUM(terms), (SELECT COUNT(*) FROM capitation_adjustments WHERE amount_cents < 0) FROM capitation_months`).Scan(&adds, &terms, &adjs); err != nil {
		t.Fatal(err)
	}
	if adds == 0 || terms == 0 || adjs == 0 {
		t.Errorf("the demo should show adds (%d), terms (%d) and retroactive terms (%d)", adds, terms, adjs)
	}
	var valleyOnly int
	if err := d.R.QueryRow(`SELECT COUNT(*) FROM users WHERE report_member_access = 1 AND email <> 'manager@valley.example'`).Scan(&valleyOnly); err != nil {
		t.Fatal(err)
	}
	if valleyOnly != 0 {
		t.Errorf("%d users other than Valley's manager hold member-level report access", valleyOnly)
	}
}
