package handlers

import (
	"strings"
	"testing"

	"portico/models"
)

// fullScan reports a plan step that reads all of members or claims without an index.
// Plans name tables by their alias: m and f are members, c is claims.
func fullScan(detail string) bool {
	if !strings.HasPrefix(detail, "SCAN ") || strings.Contains(detail, "USING INDEX") || strings.Contains(detail, "USING COVERING INDEX") {
		return false
	}
	name := strings.Fields(strings.TrimPrefix(detail, "SCAN "))[0]
	switch name {
	case "members", "claims", "m", "c", "f":
		return true
	}
	return false
}

// queryPlan returns the EXPLAIN QUERY PLAN lines of one query on the test database.
func queryPlan(t *testing.T, ta *testApp, name, sql string, args []any) []string {
	t.Helper()
	rows, err := ta.db.R.Query("EXPLAIN QUERY PLAN "+sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return plan
}

// TestPageQueriesUseIndexes runs EXPLAIN QUERY PLAN over every query of the dashboard,
// eligibility, member record and patients pages and fails on a full scan of members or
// claims.
func TestPageQueriesUseIndexes(t *testing.T) {
	ta := newTestApp(t)
	for _, q := range models.PageQueries() {
		plan := queryPlan(t, ta, q.Name, q.SQL, q.Args)
		for _, detail := range plan {
			if fullScan(detail) {
				t.Errorf("%s: full scan %q", q.Name, detail)
			}
		}
		t.Logf("%s: %s", q.Name, strings.Join(plan, " | "))
	}
	if !fullScan("SCAN m") || !fullScan("SCAN claims") || fullScan("SCAN m USING INDEX members_pcp") || fullScan("SEARCH c USING INDEX claims_tin_status (tin_id=? AND status=?)") {
		t.Error("fullScan misjudges a plan")
	}
}
