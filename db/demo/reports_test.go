package demo_test

import (
	"context"
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
	d := openMigrated(t)
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
	checks := []struct{ name, query string }{
		{"cell gross is members × PMPM", `SELECT COUNT(*) FROM capitation_cells WHERE gross_cents <> members * pmpm_cents`},
		{"cells sum to the month's gross and member months", `SELECT COUNT(*) FROM capitation_months c WHERE
			c.gross_cents <> (SELECT SUM(gross_cents) FROM capitation_cells WHERE month_id = c.id) OR
			c.member_months <> (SELECT SUM(members) FROM capitation_cells WHERE month_id = c.id)`},
		{"roster sums to the gross", `SELECT COUNT(*) FROM capitation_months c WHERE
			c.gross_cents <> (SELECT SUM(pmpm_cents) FROM capitation_roster WHERE month_id = c.id) OR
			c.member_months <> (SELECT COUNT(*) FROM capitation_roster WHERE month_id = c.id)`},
		{"net is gross plus adjustments", `SELECT COUNT(*) FROM capitation_months c WHERE c.net_cents <> c.gross_cents + c.adjustment_cents OR
			c.adjustment_cents <> (SELECT COALESCE(SUM(amount_cents),0) FROM capitation_adjustments WHERE month_id = c.id)`},
		{"the check carries the net", `SELECT COUNT(*) FROM capitation_months c LEFT JOIN payments p ON p.id = c.payment_id
			WHERE p.id IS NULL OR p.amount_cents <> c.net_cents OR p.tin_id <> c.tin_id OR p.check_date <> c.month || '-01'`},
		{"capitation checks pay no claims", `SELECT COUNT(*) FROM claims WHERE payment_id IN (SELECT payment_id FROM capitation_months)`},
		{"adds are new to the roster", `SELECT COUNT(*) FROM capitation_months c JOIN capitation_months prev ON prev.tin_id = c.tin_id
			AND prev.month = strftime('%Y-%m', c.month || '-01', '-1 month')
			JOIN capitation_roster r ON r.month_id = c.id
			WHERE (r.change = 'add') = EXISTS (SELECT 1 FROM capitation_roster o WHERE o.month_id = prev.id AND o.member_id = r.member_id)`},
		{"terms left the roster", `SELECT COUNT(*) FROM capitation_months c JOIN capitation_months prev ON prev.tin_id = c.tin_id
			AND prev.month = strftime('%Y-%m', c.month || '-01', '-1 month')
			JOIN capitation_roster o ON o.month_id = prev.id
			WHERE NOT EXISTS (SELECT 1 FROM capitation_roster r WHERE r.month_id = c.id AND r.member_id = o.member_id)
			AND NOT EXISTS (SELECT 1 FROM capitation_terms x WHERE x.month_id = c.id AND x.member_id = o.member_id)`},
		{"counts of adds and terms", `SELECT COUNT(*) FROM capitation_months c WHERE
			c.adds <> (SELECT COUNT(*) FROM capitation_roster WHERE month_id = c.id AND change = 'add') OR
			c.terms <> (SELECT COUNT(*) FROM capitation_terms WHERE month_id = c.id)`},
		{"roster members are assigned to the TIN", `SELECT COUNT(*) FROM capitation_roster r JOIN capitation_months c ON c.id = r.month_id
			JOIN members m ON m.id = r.member_pk WHERE m.ppg_tin_id <> c.tin_id`},
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
	if err := d.R.QueryRow(`SELECT SUM(adds), SUM(terms), (SELECT COUNT(*) FROM capitation_adjustments) FROM capitation_months`).Scan(&adds, &terms, &adjs); err != nil {
		t.Fatal(err)
	}
	if adds == 0 || terms == 0 || adjs == 0 {
		t.Errorf("the demo should show adds (%d), terms (%d) and adjustments (%d)", adds, terms, adjs)
	}
	var valleyOnly int
	if err := d.R.QueryRow(`SELECT COUNT(*) FROM users WHERE report_member_access = 1 AND email <> 'manager@valley.example'`).Scan(&valleyOnly); err != nil {
		t.Fatal(err)
	}
	if valleyOnly != 0 {
		t.Errorf("%d users other than Valley's manager hold member-level report access", valleyOnly)
	}
}
