package models

import (
	"context"
	"errors"
	"path/filepath"
	"portico/db/dbtest"
	"testing"
)

// clinicalFixture is a member, an office with its manager, a case manager and a plan
// associate.
func clinicalFixture(t *testing.T) (Referrals, *User, *User, *User) {
	t.Helper()
	d := dbtest.Migrated(t)
	if _, err := d.W.Exec(`INSERT INTO plans(id, code, name, plan_type, product) VALUES (1, 'MCAL', 'Medi-Cal', 'medical', 'medi-cal');
		INSERT INTO members(id, member_id, first_name, last_name, last_name_key, dob, plan_id, plan_type, effective_date) VALUES (1, 'M1', 'Ann', 'Bee', 'bee', '1980-01-01', 1, 'medical', '2020-01-01');
		INSERT INTO provider_accounts(id, name, type, created_at) VALUES (5, 'Clinic', 'clinic', '2026-01-01T00:00:00Z');
		INSERT INTO users(id, account_id, email, name, is_manager, created_at) VALUES (10, 5, 'm@clinic.example', 'Office Manager', 1, '2026-01-01T00:00:00Z');
		INSERT INTO users(id, email, name, roles, created_at) VALUES (20, 'cm@plan.example', 'Case Manager', 'case_manager', '2026-01-01T00:00:00Z');
		INSERT INTO users(id, email, name, roles, created_at) VALUES (30, 'rep@plan.example', 'Associate', 'associate', '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	office := &User{ID: 10, AccountID: 5, Email: "m@clinic.example", Name: "Office Manager", IsManager: true}
	cm := &User{ID: 20, Email: "cm@plan.example", Name: "Case Manager", Roles: []string{RoleCaseManager}}
	rep := &User{ID: 30, Email: "rep@plan.example", Name: "Associate", Roles: []string{RoleAssociate}}
	keys, err := OpenKeyring(context.Background(), filepath.Join(t.TempDir(), "portico.key"), d)
	if err != nil {
		t.Fatal(err)
	}
	return Referrals{DB: d, Keys: keys}, office, cm, rep
}

// TestReferralLifecycle: received → assigned → accepted → closed, with the answers the
// office reads; refused changes are ErrConflict, other staff ErrForbidden, and each
// answer reaches the office's own audit entries.
func TestReferralLifecycle(t *testing.T) {
	ctx := context.Background()
	rs, office, cm, rep := clinicalFixture(t)
	in := ReferralInput{Reason: "maternity", Urgency: "urgent", ContactName: "Office Manager", ContactPhone: "916-555-0100", Notes: "28 weeks"}
	r, err := rs.Create(ctx, 1, office, in, Actor{UserID: office.ID, Email: office.Email, AccountID: office.AccountID}.Stamp(AuditEntry{}))
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != ReferralReceived || r.RefNo != ReferralNumber(r.ID) {
		t.Fatalf("new referral: %+v", r)
	}
	if _, err := rs.Decide(ctx, r.ID, rep, ReferralActAccept, 0, "", AuditEntry{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("an associate accepted: %v", err)
	}
	if _, err := rs.Decide(ctx, r.ID, cm, ReferralActAssign, 30, "", AuditEntry{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("assigned to a non-case-manager: %v", err)
	}
	if _, err := rs.Decide(ctx, r.ID, cm, ReferralActClose, 0, "done", AuditEntry{}); !errors.Is(err, ErrConflict) {
		t.Errorf("closed before it was accepted: %v", err)
	}
	if r, err = rs.Decide(ctx, r.ID, cm, ReferralActAssign, 20, "", AuditEntry{}); err != nil || r.Status != ReferralAssigned || r.AssigneeName != "Case Manager" {
		t.Fatalf("assign: %v %+v", err, r)
	}
	if r, err = rs.Decide(ctx, r.ID, cm, ReferralActAccept, 0, "", AuditEntry{}); err != nil || r.Status != ReferralAccepted || r.Answer == "" {
		t.Fatalf("accept: %v %+v", err, r)
	}
	if _, err := rs.Decide(ctx, r.ID, cm, ReferralActDecline, 0, "no", AuditEntry{}); !errors.Is(err, ErrConflict) {
		t.Errorf("declined after accepting: %v", err)
	}
	if _, err := rs.Decide(ctx, r.ID, cm, ReferralActClose, 0, "", AuditEntry{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("closed without an outcome: %v", err)
	}
	if r, err = rs.Decide(ctx, r.ID, cm, ReferralActClose, 0, "Enrolled in the maternity program.", AuditEntry{}); err != nil || r.Status != ReferralClosed {
		t.Fatalf("close: %v %+v", err, r)
	}
	var answered int
	rs.DB.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE action = 'referral.answered' AND account_id = 5").Scan(&answered)
	if answered != 2 {
		t.Errorf("%d answers in the office's audit entries, want 2 (accept, close)", answered)
	}
	q, err := rs.Counts(ctx, cm.ID)
	if err != nil || q != (QueueCounts{}) {
		t.Errorf("counts after closing: %+v %v", q, err)
	}
}

// TestReferralInputValidate names each bad field.
func TestReferralInputValidate(t *testing.T) {
	errs := ReferralInput{Reason: "whim", Urgency: "soon", ContactPhone: "12"}.Validate()
	for _, k := range []string{"reason", "urgency", "contact_name", "contact_phone"} {
		if errs[k] == "" {
			t.Errorf("no message for %s: %v", k, errs)
		}
	}
	if errs := (ReferralInput{Reason: "maternity", Urgency: "routine", ContactName: "A", ContactPhone: "(916) 555-0100 x12"}).Validate(); errs != nil {
		t.Errorf("good input refused: %v", errs)
	}
}

// TestCarePlanRules: only case managers write plans; a Self-Management plan says so in
// its title; item statuses come from the item's own list; changes are in the history.
func TestCarePlanRules(t *testing.T) {
	ctx := context.Background()
	rs, office, cm, _ := clinicalFixture(t)
	ps := CarePlans{DB: rs.DB, Keys: rs.Keys}
	if _, err := ps.Create(ctx, 1, office, CarePlanInput{Kind: "medical", Title: "Plan"}, AuditEntry{}); !errors.Is(err, ErrForbidden) {
		t.Errorf("an office user wrote a plan: %v", err)
	}
	if _, err := ps.Create(ctx, 1, cm, CarePlanInput{Kind: "self_management", Title: "Walking plan"}, AuditEntry{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a member-centric plan without Self-Management in its title: %v", err)
	}
	id, err := ps.Create(ctx, 1, cm, CarePlanInput{Kind: "self_management", Title: "My Self-Management Plan"}, AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ps.Get(ctx, 1, id)
	if err := ps.AddItem(ctx, p, cm, CarePlanItemInput{Kind: "intervention", Text: "Walk daily", Status: "planned"}, AuditEntry{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("an intervention without an owner: %v", err)
	}
	if err := ps.AddItem(ctx, p, cm, CarePlanItemInput{Kind: "goal", Text: "Walk 30 minutes", TargetDate: "2027-01-31", Status: "in_progress"}, AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	p, _ = ps.Get(ctx, 1, id)
	if err := ps.SetItemStatus(ctx, p, cm, p.Goals[0].ID, "done", AuditEntry{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a goal took an intervention's status: %v", err)
	}
	if err := ps.SetItemStatus(ctx, p, cm, p.Goals[0].ID, "met", AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ps.Get(ctx, 2, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("another member's plan: %v", err)
	}
	p, _ = ps.Get(ctx, 1, id)
	if len(p.History) != 3 || p.Goals[0].Status != "met" {
		t.Errorf("history %v, goal %+v", p.History, p.Goals[0])
	}
}
