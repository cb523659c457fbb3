package demo_test

import (
	"context"
	"testing"

	"portico/db/dbtest"
	"portico/db/demo"
)

// TestTalliesMatchCounts proves the list pages' tallies (migrations 0030, 0049) equal a plain
// COUNT after the demo fill (which drops their triggers and recounts), after inserts,
// updates and deletes of claims, members and authorization requests, and after a reset.
func TestTalliesMatchCounts(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	if _, err := demo.Run(ctx, d, demo.Options{Members: 300}); err != nil {
		t.Fatal(err)
	}
	if err := demo.CheckTallies(ctx, d); err != nil {
		t.Fatalf("after the fill: %v", err)
	}
	var total int
	if err := d.R.QueryRow("SELECT SUM(n) FROM claim_tallies").Scan(&total); err != nil || total == 0 {
		t.Fatalf("claim tallies empty after the fill: %d %v", total, err)
	}
	writes := []string{
		// a claim changes status, another TIN, and one is deleted with its lines
		"UPDATE claims SET status = 'denied' WHERE id = (SELECT MIN(id) FROM claims WHERE status <> 'denied')",
		"UPDATE claims SET tin_id = (SELECT MAX(id) FROM tins), plan_type = 'medicare' WHERE id = (SELECT MAX(id) FROM claims)",
		"UPDATE claims SET status = status WHERE id = (SELECT MIN(id) FROM claims)",
		"DELETE FROM claim_lines WHERE claim_id = (SELECT MIN(id) FROM claims WHERE status = 'paid')",
		"DELETE FROM claims WHERE id = (SELECT MIN(id) FROM claims WHERE status = 'paid')",
		// a copy of a claim under a new number
		`INSERT INTO claims(claim_no, member_pk, tin_id, npi, plan_type, status, received_date, service_from, service_to, diagnosis,
			billed_cents, allowed_cents, paid_cents, member_resp_cents, deductible_cents)
			SELECT 'T' || claim_no, member_pk, tin_id, npi, plan_type, 'received', received_date, service_from, service_to, diagnosis,
			billed_cents, allowed_cents, paid_cents, member_resp_cents, deductible_cents FROM claims WHERE id = (SELECT MAX(id) FROM claims)`,
		// members change PCP, lose their PPG, change plan type; one without either is added
		"UPDATE members SET pcp_tin_id = (SELECT MIN(id) FROM tins) WHERE id IN (SELECT id FROM members ORDER BY id DESC LIMIT 3)",
		"UPDATE members SET ppg_tin_id = NULL WHERE id IN (SELECT id FROM members WHERE ppg_tin_id IS NOT NULL LIMIT 2)",
		"UPDATE members SET plan_type = 'medical' WHERE id = (SELECT MAX(id) FROM members WHERE plan_type <> 'medical')",
		`INSERT INTO members(member_id, first_name, last_name, last_name_key, dob, sex, plan_id, plan_type, subscriber_id, relationship, effective_date)
			SELECT 'Z999999999', 'Test', 'Tally', 'TALLY', dob, sex, plan_id, plan_type, NULL, 'self', effective_date FROM members WHERE id = 1`,
		"DELETE FROM members WHERE member_id = 'Z999999999'",
		// requests come to the reviewer queue and leave it (migration 0049): a submitted one
		// is copied, loses its due time and gets it back, a decided one is reopened
		`INSERT INTO authz_requests(tracking_no, account_id, member_pk, plan_type, status, urgency, service_type, created_at, updated_at, submitted_at, due_at)
			SELECT 'T' || tracking_no, account_id, member_pk, plan_type, status, urgency, service_type, created_at, updated_at, submitted_at, due_at
			FROM authz_requests WHERE id = (SELECT MIN(id) FROM authz_requests WHERE status = 'submitted')`,
		"UPDATE authz_requests SET due_at = NULL WHERE id = (SELECT MIN(id) FROM authz_requests WHERE status = 'submitted')",
		"UPDATE authz_requests SET due_at = updated_at WHERE id = (SELECT MIN(id) FROM authz_requests WHERE status = 'submitted')",
		"UPDATE authz_requests SET status = 'in_review', due_at = updated_at WHERE id = (SELECT MIN(id) FROM authz_requests WHERE status = 'approved')",
		// authorization requests are decided, moved, withdrawn and deleted
		"UPDATE authz_requests SET status = 'approved' WHERE id = (SELECT MIN(id) FROM authz_requests WHERE status = 'submitted')",
		"UPDATE authz_requests SET status = 'withdrawn' WHERE id = (SELECT MAX(id) FROM authz_requests WHERE status IN ('submitted','in_review'))",
		"UPDATE authz_requests SET account_id = (SELECT MAX(id) FROM provider_accounts) WHERE id = (SELECT MAX(id) FROM authz_requests)",
		"DELETE FROM authz_requests WHERE id = (SELECT MIN(id) FROM authz_requests WHERE status = 'draft')",
	}
	for _, w := range writes {
		res, err := d.W.ExecContext(ctx, w)
		if err != nil {
			t.Fatalf("%s: %v", w, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("changed no row: %s", w)
		}
		if err := demo.CheckTallies(ctx, d); err != nil {
			t.Fatalf("after %s: %v", w, err)
		}
	}
	if err := demo.Reset(ctx, d, nil, ""); err != nil {
		t.Fatal(err)
	}
	if err := demo.CheckTallies(ctx, d); err != nil {
		t.Fatalf("after the reset: %v", err)
	}
}
