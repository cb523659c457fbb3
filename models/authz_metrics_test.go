package models

import (
	"context"
	"portico/db/dbtest"
	"testing"
)

// TestMetricsKnownSet computes the CMS-0057-F metrics of a small known set by hand.
func TestMetricsKnownSet(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.W.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO provider_accounts(id, name, type, created_at) VALUES (1, 'Clinic', 'clinic', '2026-01-01T00:00:00Z')`)
	exec(`INSERT INTO plans(id, code, name, plan_type, product) VALUES (1, 'MA', 'Medicare', 'medicare', 'medicare')`)
	exec(`INSERT INTO members(id, member_id, first_name, last_name, last_name_key, dob, plan_id, plan_type, effective_date)
		VALUES (1, 'D1', 'A', 'B', 'b', '1950-01-01', 1, 'medicare', '2020-01-01')`)
	rows := []struct {
		urgency, status string
		ext             int
		appeal          string
		minutes, year   int
		svc             string
	}{
		{"standard", "approved", 0, "", 60, 2026, "imaging"},
		{"standard", "approved", 1, "", 120, 2026, "imaging"},
		{"standard", "denied", 0, "overturned", 300, 2026, "dme"},
		{"standard", "partial", 0, "", 1000, 2026, "imaging"},
		{"urgent", "approved", 0, "", 30, 2026, "imaging"},
		{"urgent", "denied", 0, "upheld", 90, 2026, "imaging"},
		{"urgent", "approved", 0, "", 600, 2026, "dme"},
		{"standard", "denied", 0, "", 5000, 2025, "imaging"}, // another year
	}
	for i, r := range rows {
		exec(`INSERT INTO authz_requests(account_id, member_pk, plan_type, status, urgency, service_type, created_at, updated_at, submitted_at, decided_at,
			extended, appeal_status, decision_minutes, decided_year, decided_quarter) VALUES (1, 1, 'medicare', ?, ?, ?, 'x', 'x', 'x', 'x', ?, ?, ?, ?, 4)`,
			r.status, r.urgency, r.svc, r.ext, r.appeal, r.minutes, r.year)
		_ = i
	}
	// Withdrawn and open requests are not decisions.
	exec(`INSERT INTO authz_requests(account_id, member_pk, plan_type, status, urgency, service_type, created_at, updated_at) VALUES (1, 1, 'medicare', 'withdrawn', 'standard', 'imaging', 'x', 'x')`)
	exec(`INSERT INTO authz_requests(account_id, member_pk, plan_type, status, urgency, service_type, created_at, updated_at) VALUES (1, 1, 'medicare', 'submitted', 'urgent', 'imaging', 'x', 'x')`)
	exec(`INSERT INTO authz_requirements(code, plan_type, required, updated_at) VALUES ('72148','medicare',1,'x'), ('70450','medicare',1,'x'), ('99214','medicare',0,'x')`)

	m, err := Authz{DB: d}.ComputeMetrics(ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	var med, com MetricGroup
	for _, g := range m.ByPlan {
		switch g.Key {
		case PlanMedicare:
			med = g
		case PlanCommercial:
			com = g
		}
	}
	checks := []struct{ name, got, want string }{
		{"standard approved", med.StdApprovedPct(), "75.0 %"},
		{"standard denied", med.StdDeniedPct(), "25.0 %"},
		{"approved after appeal", med.StdAppealPct(), "25.0 %"},
		{"approved after extension", med.StdExtendedPct(), "25.0 %"},
		{"expedited approved", med.ExpApprovedPct(), "66.7 %"},
		{"expedited denied", med.ExpDeniedPct(), "33.3 %"},
		{"standard average", med.StdAvg(), "6.2 hours"},    // (60+120+300+1000)/4 = 370 minutes
		{"standard median", med.StdMedian(), "3.5 hours"},  // (120+300)/2 = 210 minutes
		{"expedited average", med.ExpAvg(), "4.0 hours"},   // 720/3 = 240 minutes
		{"expedited median", med.ExpMedian(), "1.5 hours"}, // 90 minutes
		{"commercial empty", com.StdApprovedPct(), "—"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if med.StdTotal != 4 || med.ExpTotal != 3 {
		t.Errorf("totals %d/%d, want 4/3", med.StdTotal, med.ExpTotal)
	}
	if m.Required[PlanMedicare] != 2 {
		t.Errorf("required codes = %d, want 2", m.Required[PlanMedicare])
	}
	svc := m.ByService[PlanMedicare]
	if len(svc) != 2 || svc[0].Key != "imaging" || svc[0].StdTotal != 3 || svc[0].ExpTotal != 2 || svc[1].Key != "dme" || svc[1].StdTotal != 1 {
		t.Errorf("per service: %+v", svc)
	}
	if q := m.ByQuarter[PlanMedicare]; len(q) != 1 || q[0].StdTotal+q[0].ExpTotal != 7 {
		t.Errorf("per quarter: %+v", q)
	}
	if len(m.Years) != 2 || m.Years[0] != 2026 {
		t.Errorf("years %v", m.Years)
	}
}
