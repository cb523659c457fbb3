package demo_test

import (
	"context"
	"path/filepath"
	"portico/db/dbtest"
	"testing"
	"time"

	"portico/db/demo"
	"portico/models"
)

// TestDemoAuthorizations: the demo holds the named requests of the script, every status,
// overdue requests in the queue, about one request for every two members, and a
// requirements list; every decided request has its metrics columns.
func TestDemoAuthorizations(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	keys, err := models.OpenKeyring(ctx, filepath.Join(t.TempDir(), "portico.key"), d)
	if err != nil {
		t.Fatal(err)
	}
	anchor := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	if _, err := demo.Run(ctx, d, demo.Options{Members: 2000, Keyring: keys, Anchor: anchor}); err != nil {
		t.Fatal(err)
	}
	checks := map[string]string{
		"maria approved imaging": `SELECT COUNT(*) = 1 FROM authz_requests r JOIN members m ON m.id = r.member_pk
			WHERE m.member_id = 'A100000001' AND r.status = 'approved' AND r.service_type = 'imaging' AND r.tracking_no IS NOT NULL`,
		"maria more info": `SELECT COUNT(*) = 1 FROM authz_requests r JOIN members m ON m.id = r.member_pk WHERE m.member_id = 'A100000001' AND r.status = 'more_info' AND r.paused_at IS NOT NULL`,
		"robert at valley": `SELECT COUNT(*) = 1 FROM authz_requests r JOIN members m ON m.id = r.member_pk JOIN provider_accounts a ON a.id = r.account_id
			WHERE m.member_id = 'D300000001' AND a.name LIKE 'Valley%' AND r.status = 'submitted'`,
		"every status":       `SELECT COUNT(DISTINCT status) = 8 FROM authz_requests`,
		"overdue in queue":   `SELECT COUNT(*) >= 2 FROM authz_requests WHERE status IN ('submitted','in_review') AND due_at < '2026-11-02T17:00:00Z'`,
		"a third of members": `SELECT COUNT(*) BETWEEN 400 AND 700 FROM authz_requests`,
		"18 months":          `SELECT MIN(submitted_at) < '2025-06-01' FROM authz_requests`,
		"decided columns":    `SELECT COUNT(*) = 0 FROM authz_requests WHERE status IN ('approved','partial','denied') AND (decision_minutes IS NULL OR decided_year IS NULL)`,
		"lines and dx":       `SELECT COUNT(*) = 0 FROM authz_requests r WHERE r.status <> 'draft' AND (NOT EXISTS (SELECT 1 FROM authz_lines l WHERE l.request_id = r.id) OR NOT EXISTS (SELECT 1 FROM authz_diagnoses x WHERE x.request_id = r.id))`,
		"named history":      `SELECT COUNT(*) = 0 FROM authz_requests r WHERE r.created_by IS NOT NULL AND r.status <> 'draft' AND NOT EXISTS (SELECT 1 FROM authz_events e WHERE e.request_id = r.id AND e.kind = 'submitted')`,
		"appeals":            `SELECT COUNT(*) > 0 FROM authz_requests WHERE appeal_status = 'overturned'`,
		"requirements":       `SELECT COUNT(*) >= 100 FROM authz_requirements WHERE required = 1`,
		"sheet":              `SELECT COUNT(*) >= 3 FROM authz_sheets`,
		"indexes back":       `SELECT COUNT(*) = 7 FROM sqlite_master WHERE type = 'index' AND tbl_name = 'authz_requests' AND sql IS NOT NULL`,
	}
	for name, q := range checks {
		var ok bool
		if err := d.R.QueryRowContext(ctx, q).Scan(&ok); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !ok {
			t.Errorf("%s: not true", name)
			rows, _ := d.R.QueryContext(ctx, "SELECT status, COUNT(*), SUM(due_at < '2026-11-02T17:00:00Z') FROM authz_requests GROUP BY status")
			for rows.Next() {
				var s string
				var n, o int
				_ = rows.Scan(&s, &n, &o)
				t.Logf("%s %d overdue %d", s, n, o)
			}
			rows.Close()
		}
	}
	// The codes of every line and diagnosis are on the shipped lists.
	rows, err := d.R.QueryContext(ctx, `SELECT DISTINCT code FROM authz_lines UNION ALL SELECT DISTINCT '#' || code FROM authz_diagnoses`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		if c[0] == '#' {
			if _, ok := models.Diagnosis(c[1:]); !ok {
				t.Errorf("demo diagnosis %s is not on the list", c[1:])
			}
		} else if _, ok := models.LookupProcedure(c); !ok {
			t.Errorf("demo procedure %s is not valid", c)
		}
	}
}
