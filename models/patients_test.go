package models_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"portico/db"
	"portico/db/demo"
	"portico/models"
)

// TestPatientsSamePagesAsPlainQuery: every page of the panel, in every order and
// direction, with and without a last-name search, holds exactly the members the plain
// query (the account's members by PCP or PPG under the plan type, the whole panel
// sorted) puts there, with the same total, across a panel with many members per last
// name and members attributed by both PCP and PPG. The name order without a search is
// the bounded fast path (panelNameBound); the others read the panel's union.
func TestPatientsSamePagesAsPlainQuery(t *testing.T) {
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
	// Some of the panel attributed by PPG as well as PCP (counted once), some members
	// attributed by PPG only (in the panel all the same), in every plan type.
	if _, err := d.W.Exec(`UPDATE members SET ppg_tin_id = ?1 WHERE id IN (SELECT id FROM members WHERE pcp_tin_id = ?1 AND id % 7 = 0)`, tins[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec(`UPDATE members SET ppg_tin_id = ?1 WHERE id IN (SELECT id FROM members WHERE pcp_tin_id NOT IN (SELECT id FROM tins WHERE account_id = ?2) AND id % 11 = 0)`, tins[len(tins)-1], acct); err != nil {
		t.Fatal(err)
	}
	orders := map[string]string{
		"name":      "m.last_name_key %[1]s, m.first_name %[1]s, m.id %[1]s",
		"dob":       "m.dob %[1]s, m.id %[1]s",
		"member_id": "m.member_id %[1]s",
		"effective": "m.effective_date %[1]s, m.id %[1]s",
	}
	paged, both := 0, 0 // panels spanning more than one page; members attributed both ways
	for _, plan := range []string{models.PlanCommercial, models.PlanMediCal, models.PlanMedicare} {
		var args []any
		for range 2 {
			for _, t := range tins {
				args = append(args, t)
			}
		}
		ph := strings.TrimSuffix(strings.Repeat("?,", len(tins)), ",")
		panel := `FROM members m WHERE (m.pcp_tin_id IN (` + ph + `) OR m.ppg_tin_id IN (` + ph + `)) AND m.plan_type = ?`
		args = append(args, plan)
		var n int
		if err := d.R.QueryRow(`SELECT COUNT(*) `+panel+` AND m.pcp_tin_id IN (`+ph+`) AND m.ppg_tin_id IN (`+ph+`)`, append(args, args[:2*len(tins)]...)...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		both += n
		// A search: the first two letters of the panel's most common last name.
		var prefix string
		if err := d.R.QueryRow(`SELECT substr(m.last_name, 1, 2) `+panel+` GROUP BY m.last_name_key ORDER BY COUNT(*) DESC LIMIT 1`, args...).Scan(&prefix); err != nil {
			t.Fatal(err)
		}
		for sort, order := range orders {
			for _, desc := range []bool{false, true} {
				for _, search := range []string{"", prefix} {
					dir := "ASC"
					if desc {
						dir = "DESC"
					}
					where, wargs := panel, args
					if search != "" {
						key := models.LastNameKey(search)
						where, wargs = panel+" AND m.last_name_key >= ? AND m.last_name_key < ?", append(append([]any{}, args...), key, key+"\U0010FFFF")
					}
					all := queryIDs(t, d, "SELECT m.id "+where+" ORDER BY "+fmt.Sprintf(order, dir), wargs...)
					if search == "" && len(all) > 25 {
						paged++
					}
					pages := (len(all) + 24) / 25
					q := models.PatientQuery{AccountID: acct, PlanType: plan, Sort: sort, Desc: desc, Search: search, PerPage: 25}
					for page := 1; page <= pages+1; page++ {
						q.Page = page
						got, err := ms.Patients(ctx, q)
						if err != nil {
							t.Fatal(err)
						}
						name := fmt.Sprintf("%s by %s %s, search %q, page %d", plan, sort, dir, search, page)
						if got.Total != len(all) {
							t.Fatalf("%s: total %d, want %d", name, got.Total, len(all))
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
							t.Fatalf("%s: got %v, want %v", name, ids, want)
						}
					}
				}
			}
		}
	}
	if paged == 0 || both == 0 {
		t.Fatalf("%d panels span two pages, %d members are attributed both ways: the test proves too little", paged, both)
	}
}

// queryIDs is the row IDs a query returns, in its order.
func queryIDs(t *testing.T, d *db.DB, query string, args ...any) []int64 {
	t.Helper()
	rows, err := d.R.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}
