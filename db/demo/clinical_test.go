package demo_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portico/db/dbtest"
	"portico/db/demo"
	"portico/models"
)

// TestClinicalDemo checks the clinical stories SPEC §12 and issue 12 promise: Maria's
// assessment, Self-Management plan and abnormal lab; James's behavioral-health visit;
// Robert's care coordination documents and medical plan; referrals in every status;
// and that generated members get clinical rows only sparsely.
func TestClinicalDemo(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	anchor := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	keys, err := models.OpenKeyring(ctx, filepath.Join(t.TempDir(), "portico.key"), d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Run(ctx, d, demo.Options{Members: 3000, Anchor: anchor, Keyring: keys}); err != nil {
		t.Fatal(err)
	}
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := d.R.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	pk := func(id string) int64 {
		var p int64
		if err := d.R.QueryRow("SELECT id FROM members WHERE member_id = ?", id).Scan(&p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	maria, james, robert := pk("A100000001"), pk("M200000001"), pk("D300000001")
	checks := []struct {
		what string
		got  int
		min  int
	}{
		{"Maria's submitted assessment", count("SELECT COUNT(*) FROM assessments WHERE member_pk = ? AND status = 'submitted' AND risk = 'moderate'", maria), 1},
		{"Maria's abnormal lab", count("SELECT COUNT(*) FROM health_labs WHERE member_pk = ? AND flag <> ''", maria), 1},
		{"James's behavioral-health visit", count("SELECT COUNT(*) FROM health_visits WHERE member_pk = ? AND setting = 'behavioral_health' AND note <> ''", james), 1},
		{"Robert's care coordination documents", count("SELECT COUNT(*) FROM care_coordination_documents WHERE member_pk = ?", robert), 2},
		{"Robert's medical care plan", count("SELECT COUNT(*) FROM care_plans WHERE member_pk = ? AND kind = 'medical'", robert), 1},
		{"free-text plans", count("SELECT COUNT(*) FROM care_plans WHERE kind = 'free_text'"), 1},
		{"distinct referral statuses", count("SELECT COUNT(DISTINCT status) FROM referrals"), 5},
		{"generated assessments", count("SELECT COUNT(*) FROM assessments WHERE member_pk > ?", robert), 5},
		{"generated lab rows", count("SELECT COUNT(*) FROM health_labs WHERE member_pk > ?", robert), 5},
	}
	for _, c := range checks {
		if c.got < c.min {
			t.Errorf("%s: %d, want at least %d", c.what, c.got, c.min)
		}
	}
	// Maria's plan is read as the pages read it: its title is sealed in the row.
	plans, err := models.CarePlans{DB: d, Keys: keys}.ForMember(ctx, maria)
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) == 0 || plans[0].Kind != "self_management" || !strings.Contains(plans[0].Title, "Self-Management") {
		t.Errorf("Maria's Self-Management plan: %+v", plans)
	}
	// Most generated members have no clinical rows at all.
	if n := count("SELECT COUNT(DISTINCT member_pk) FROM health_labs"); n > 3000/20 {
		t.Errorf("%d members with labs of 3000: clinical rows should be sparse", n)
	}
	// Every stored risk level is what the scoring gives for the stored answers.
	rows, err := d.R.Query("SELECT id FROM assessments WHERE status = 'submitted'")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	as := models.Assessments{DB: d, Keys: keys}
	for _, id := range ids[:min(len(ids), 20)] {
		var mpk int64
		d.R.QueryRow("SELECT member_pk FROM assessments WHERE id = ?", id).Scan(&mpk)
		a, err := as.Get(ctx, mpk, id)
		if err != nil {
			t.Fatal(err)
		}
		if r := models.ScoreHRA(a.Answers); r.Risk != a.Risk || r.Score != a.Score {
			t.Errorf("assessment %d stored %s/%d, scoring gives %s/%d", id, a.Risk, a.Score, r.Risk, r.Score)
		}
	}
}
