package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"portico/db"
	"portico/models"
)

// TestListTotalsMatchCounts proves the totals the claims list, the authorizations list
// and Patients show (read from the tallies of migration 0030 when only TIN, plan type
// and status filter) equal a plain COUNT of the rows, for every status and plan type,
// before and after claims, requests and members are written.
func TestListTotalsMatchCounts(t *testing.T) {
	ctx := context.Background()
	d := demoDB(t)
	var account int64
	if err := d.R.QueryRow("SELECT account_id FROM users WHERE email = 'manager@sunrise.example'").Scan(&account); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		compareListTotals(t, d, account, when)
	}
	check("after the fill")
	for _, w := range []string{
		"UPDATE claims SET status = 'denied' WHERE id = (SELECT MIN(c.id) FROM claims c JOIN tins t ON t.id = c.tin_id WHERE t.account_id = ?1 AND c.status = 'paid')",
		"UPDATE claims SET plan_type = 'medicare' WHERE id = (SELECT MAX(c.id) FROM claims c JOIN tins t ON t.id = c.tin_id WHERE t.account_id = ?1 AND c.plan_type = 'commercial')",
		"DELETE FROM claim_lines WHERE claim_id = (SELECT MAX(c.id) FROM claims c JOIN tins t ON t.id = c.tin_id WHERE t.account_id = ?1)",
		"DELETE FROM claims WHERE id = (SELECT MAX(c.id) FROM claims c JOIN tins t ON t.id = c.tin_id WHERE t.account_id = ?1)",
		"UPDATE members SET pcp_tin_id = (SELECT MIN(id) FROM tins WHERE account_id = ?1) WHERE id IN (SELECT id FROM members WHERE pcp_tin_id IS NULL OR pcp_tin_id NOT IN (SELECT id FROM tins WHERE account_id = ?1) LIMIT 3)",
		"UPDATE members SET ppg_tin_id = (SELECT MIN(id) FROM tins WHERE account_id = ?1) WHERE id = (SELECT MIN(id) FROM members WHERE pcp_tin_id IN (SELECT id FROM tins WHERE account_id = ?1))",
		"UPDATE members SET pcp_tin_id = NULL WHERE id = (SELECT MAX(id) FROM members WHERE pcp_tin_id IN (SELECT id FROM tins WHERE account_id = ?1))",
		"UPDATE authz_requests SET status = 'approved' WHERE id = (SELECT MIN(id) FROM authz_requests WHERE account_id = ?1 AND status IN ('submitted','in_review'))",
		"DELETE FROM authz_requests WHERE id = (SELECT MIN(id) FROM authz_requests WHERE account_id = ?1 AND status = 'draft')",
	} {
		res, err := d.W.ExecContext(ctx, w, account)
		if err != nil {
			t.Fatalf("%s: %v", w, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("changed no row: %s", w)
		}
		check("after " + strings.Fields(w)[0] + " " + strings.Fields(w)[1])
	}
}

// compareListTotals compares the three lists' totals with plain counts for the account.
func compareListTotals(t *testing.T, d *db.DB, account int64, when string) {
	t.Helper()
	ctx := context.Background()
	ms := models.Members{DB: d}
	tins, err := ms.AccountTINIDs(ctx, account)
	if err != nil || len(tins) == 0 {
		t.Fatalf("account TINs: %v %v", tins, err)
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(tins)), ",")
	tinArgs := func(more ...any) []any {
		var a []any
		for _, x := range tins {
			a = append(a, x)
		}
		return append(a, more...)
	}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := d.R.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	for _, plan := range append([]string{""}, models.PlanCommercial, models.PlanMedicare, models.PlanMediCal) {
		for _, status := range append([]string{""}, models.ClaimStatuses...) {
			page, err := ms.ClaimList(ctx, models.ClaimQuery{TINIDs: tins, PlanType: plan, Status: status, Page: 1})
			if err != nil {
				t.Fatal(err)
			}
			// ?1 and ?2 come first in the text, so that the TINs' plain ? are 3, 4...
			want := count("SELECT COUNT(*) FROM claims WHERE (?1 = '' OR plan_type = ?1) AND (?2 = '' OR status = ?2) AND tin_id IN ("+in+")",
				append([]any{plan, status}, tinArgs()...)...)
			if page.Total != want {
				t.Errorf("%s: claims of plan %q, status %q: the list shows %d, a count gives %d", when, plan, status, page.Total, want)
			}
		}
	}
	// The TIN list the counts use is the account's verified TINs, and they hold claims.
	if a, b := count("SELECT COUNT(*) FROM claims WHERE tin_id IN ("+in+")", tinArgs()...),
		count("SELECT COUNT(*) FROM claims c JOIN tins t ON t.id = c.tin_id WHERE t.account_id = ? AND t.status = 'verified'", account); a != b || a == 0 {
		t.Fatalf("%s: the account's claims: %d by TIN list, %d by join", when, a, b)
	}
	az := models.Authz{DB: d}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	queries := []models.AuthzQuery{{AccountID: account}, {AccountID: account, Drafts: true}}
	for _, s := range models.AuthzStatuses {
		queries = append(queries, models.AuthzQuery{AccountID: account, Status: s})
	}
	for _, q := range queries {
		page, err := az.List(ctx, q, now)
		if err != nil {
			t.Fatal(err)
		}
		var want int
		switch {
		case q.Drafts:
			want = count("SELECT COUNT(*) FROM authz_requests WHERE account_id = ? AND status = 'draft'", account)
		case q.Status != "":
			want = count("SELECT COUNT(*) FROM authz_requests WHERE account_id = ? AND status = ?", account, q.Status)
		default:
			want = count("SELECT COUNT(*) FROM authz_requests WHERE account_id = ? AND status <> 'draft'", account)
		}
		if page.Total != want {
			t.Errorf("%s: authorization requests (drafts %v, status %q): the list shows %d, a count gives %d", when, q.Drafts, q.Status, page.Total, want)
		}
	}
	for _, plan := range []string{models.PlanCommercial, models.PlanMedicare, models.PlanMediCal} {
		page, err := ms.Patients(ctx, models.PatientQuery{AccountID: account, PlanType: plan, Sort: "name"})
		if err != nil {
			t.Fatal(err)
		}
		want := count("SELECT COUNT(*) FROM members WHERE (pcp_tin_id IN ("+in+") OR ppg_tin_id IN ("+in+")) AND plan_type = ?",
			append(tinArgs(), tinArgs(plan)...)...)
		if page.Total != want {
			t.Errorf("%s: %s panel: Patients shows %d, a count gives %d", when, plan, page.Total, want)
		}
	}
}
