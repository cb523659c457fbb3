package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"portico/db"
	"portico/models"
)

// TestClaimListPagesMatchSQL: every page of a TIN's claims list (read in one statement,
// claimTINPage) and of an account's two TINs together (IDs first, then rows) holds the
// claims a plain query orders newest received first, ties by ID, for each plan type,
// status and received-date filter, equal dates included, and the page past the end is
// empty.
func TestClaimListPagesMatchSQL(t *testing.T) {
	ctx := context.Background()
	d, ms, tins := twoTINAccount(t)
	// Three copies of the TINs' claims received a few days earlier, so that each filter
	// has pages, and claims received on one day, so that the order between them is by ID.
	for _, w := range []string{
		`INSERT INTO claims (claim_no, member_pk, tin_id, npi, plan_type, status, received_date, service_from, service_to,
			billed_cents, allowed_cents, paid_cents, member_resp_cents)
		SELECT 'X' || claim_no, member_pk, tin_id, npi, plan_type, status, date(received_date, '-3 days'), service_from, service_to,
			billed_cents, allowed_cents, paid_cents, member_resp_cents FROM claims WHERE tin_id IN (?1, ?2)`,
		`INSERT INTO claims (claim_no, member_pk, tin_id, npi, plan_type, status, received_date, service_from, service_to)
		SELECT 'Y' || claim_no, member_pk, tin_id, npi, plan_type, status, date(received_date, '-8 days'), service_from, service_to
		FROM claims WHERE tin_id IN (?1, ?2)`,
		"UPDATE claims SET received_date = '2026-06-15' WHERE tin_id IN (?1, ?2) AND id % 4 = 0",
	} {
		if _, err := d.W.ExecContext(ctx, w, tins[0], tins[1]); err != nil {
			t.Fatal(err)
		}
	}
	var plan, status string
	if err := d.R.QueryRowContext(ctx, "SELECT plan_type, status FROM claims WHERE tin_id = ? GROUP BY 1, 2 ORDER BY COUNT(*) DESC LIMIT 1", tins[0]).Scan(&plan, &status); err != nil {
		t.Fatal(err)
	}
	want := func(q models.ClaimQuery) []string {
		in := "?"
		args := []any{q.TINIDs[0]}
		if len(q.TINIDs) > 1 {
			in, args = "?, ?", append(args, q.TINIDs[1])
		}
		args = append(args, q.PlanType, q.PlanType, q.Status, q.Status, q.From, q.From, q.To, q.To, q.PerPage, (q.Page-1)*q.PerPage)
		rows, err := d.R.QueryContext(ctx, `SELECT claim_no FROM claims WHERE tin_id IN (`+in+`)
			AND (? = '' OR plan_type = ?) AND (? = '' OR status = ?) AND (? = '' OR received_date >= ?) AND (? = '' OR received_date <= ?)
			ORDER BY received_date DESC, id DESC LIMIT ? OFFSET ?`, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var no string
			rows.Scan(&no)
			out = append(out, no)
		}
		return out
	}
	pages := 0
	for _, ids := range [][]int64{tins[:1], tins[:2]} {
		for _, f := range []models.ClaimQuery{
			{}, {PlanType: plan}, {Status: status}, {PlanType: plan, Status: status}, {Status: "pending_info"},
			{From: "2026-06-15", To: "2026-06-15"}, {PlanType: plan, Status: status, From: "2026-01-01", To: "2026-09-30"},
		} {
			q := f
			q.TINIDs, q.PerPage = ids, 3
			for q.Page = 1; ; q.Page++ {
				page, err := ms.ClaimList(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, c := range page.Claims {
					got = append(got, c.ClaimNo)
				}
				if w := want(q); !slices.Equal(got, w) {
					t.Errorf("%s: got %v, want %v", fmt.Sprintf("%+v", q), got, w)
				}
				pages++
				if len(got) == 0 {
					break
				}
			}
			t.Logf("%d TIN(s) %+v: %d pages", len(ids), f, q.Page-1)
		}
	}
	if pages < 100 {
		t.Errorf("only %d pages compared: the demo's claims are too few to test paging", pages)
	}
}

// twoTINAccount is a copy of the demo database, its members store and the verified TIN
// IDs of account 1 (Sunrise), which has two: the list tests read one TIN and both.
func twoTINAccount(t *testing.T) (*db.DB, models.Members, []int64) {
	t.Helper()
	d := demoDB(t)
	ms := models.Members{DB: d}
	tins, err := ms.AccountTINIDs(context.Background(), 1)
	if err != nil || len(tins) < 2 {
		t.Fatalf("account 1 TINs %v: %v", tins, err)
	}
	return d, ms, tins
}
