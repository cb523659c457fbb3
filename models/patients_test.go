package models_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"portico/db"
	"portico/db/demo"
	"portico/models"
)

// TestPatientsNameOrderBoundSamePages: the bounded name-order page query returns exactly
// the pages the plain query (sort the whole panel) returns, page after page, across a
// panel with many members per last name and members attributed by both PCP and PPG.
func TestPatientsNameOrderBoundSamePages(t *testing.T) {
	d, err := db.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Run(ctx, d, demo.Options{Members: 3000}); err != nil {
		t.Fatal(err)
	}
	ms := models.Members{DB: d}
	var acct int64
	if err := d.R.QueryRow(`SELECT account_id FROM tins WHERE tin = '951234567'`).Scan(&acct); err != nil {
		t.Fatal(err)
	}
	tins, err := ms.AccountTINIDs(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	paged := 0 // plan types whose panel spans more than one page
	for _, plan := range []string{models.PlanCommercial, models.PlanMediCal, models.PlanMedicare} {
		q := models.PatientQuery{AccountID: acct, PlanType: plan, Sort: "name", PerPage: 25}
		// The panel's full order, for reference: the account's members by PCP or PPG under
		// the plan type, by last name key, first name, row ID.
		var args []any
		for range 2 {
			for _, t := range tins {
				args = append(args, t)
			}
		}
		ph := strings.TrimSuffix(strings.Repeat("?,", len(tins)), ",")
		rows, err := d.R.Query(`SELECT m.id FROM members m WHERE (m.pcp_tin_id IN (`+ph+`) OR m.ppg_tin_id IN (`+ph+`))
			AND m.plan_type = ? ORDER BY m.last_name_key, m.first_name, m.id`, append(args, plan)...)
		if err != nil {
			t.Fatal(err)
		}
		var all []int64
		for rows.Next() {
			var pk int64
			if err := rows.Scan(&pk); err != nil {
				t.Fatal(err)
			}
			all = append(all, pk)
		}
		rows.Close()
		if len(all) > 25 {
			paged++
		}
		pages := (len(all) + 24) / 25
		for page := 1; page <= pages+1; page++ {
			q.Page = page
			got, err := ms.Patients(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if got.Total != len(all) {
				t.Fatalf("%s page %d: total %d, want %d", plan, page, got.Total, len(all))
			}
			var ids []int64
			for _, p := range got.Patients {
				ids = append(ids, p.PK)
			}
			var want []int64
			if from := (page - 1) * 25; from < len(all) {
				want = all[from:min(from+25, len(all))]
			}
			if !slices.Equal(ids, want) {
				t.Fatalf("%s page %d: got %v, want %v", plan, page, ids, want)
			}
		}
	}
	if paged == 0 {
		t.Fatal("no panel spans two pages: the test proves nothing")
	}
}
