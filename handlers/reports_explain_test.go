package handlers

import (
	"strings"
	"testing"

	"portico/models"
)

// TestReportQueriesUseIndexes runs EXPLAIN QUERY PLAN over the reports and pharmacy
// pages' queries and fails on a scan of a large table without an index.
func TestReportQueriesUseIndexes(t *testing.T) {
	ta := newTestApp(t)
	for _, q := range models.ReportPageQueries() {
		plan := queryPlan(t, ta, q.Name, q.SQL, q.Args)
		for _, detail := range plan {
			if !strings.HasPrefix(detail, "SCAN ") || strings.Contains(detail, "USING") || strings.Contains(detail, "VIRTUAL TABLE") {
				continue
			}
			switch strings.Fields(strings.TrimPrefix(detail, "SCAN "))[0] {
			case "r", "m", "c", "d", "a", "p", "s", "capitation_spans", "members", "formulary_drugs", "payments":
				t.Errorf("%s: full scan %q", q.Name, detail)
			}
		}
		t.Logf("%s: %s", q.Name, strings.Join(plan, " | "))
	}
}
