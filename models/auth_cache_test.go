package models

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"portico/db/dbtest"
)

// TestSessionCacheSeesEveryChange proves that keeping sessions and users in memory never
// lets a request act on what the database no longer says: after each kind of change,
// made through the models or by plain SQL, the next Load returns the new state.
func TestSessionCacheSeesEveryChange(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	if _, err := d.W.Exec(`
		INSERT INTO provider_accounts(id, name, type, created_at) VALUES (5, 'Clinic', 'clinic', '2026-01-01T00:00:00Z');
		INSERT INTO users(id, account_id, email, name, permissions, created_at) VALUES (10, 5, 'a@clinic.example', 'Ann Office', 'eligibility claims', '2026-01-01T00:00:00Z');
		INSERT INTO users(id, email, name, roles, created_at) VALUES (20, 'r@plan.example', 'Rae Reviewer', 'reviewer', '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	s := Sessions{DB: d}
	token, _, err := s.Create(ctx, 10, StageFull)
	if err != nil {
		t.Fatal(err)
	}
	load := func(what string) (*Session, *User) {
		t.Helper()
		sess, u, err := s.Load(ctx, token)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return sess, u
	}
	// Twice: the second comes from memory.
	load("first load")
	_, u := load("second load")
	if u.Name != "Ann Office" || !u.Can(PermClaims) {
		t.Fatalf("user = %+v", u)
	}
	// A caller changing what it got must not change what the next request gets.
	u.Permissions[0], u.Name = "everything", "Mallory"
	if _, u := load("after the caller's change"); u.Name != "Ann Office" || u.Permissions[0] != "eligibility" {
		t.Fatalf("the kept user was changed through a caller's copy: %+v", u)
	}

	changes := []struct {
		name, sql string
		check     func(sess *Session, u *User) bool
	}{
		{"permission taken away", "UPDATE users SET permissions = 'eligibility' WHERE id = 10",
			func(_ *Session, u *User) bool { return !u.Can(PermClaims) }},
		{"user renamed", "UPDATE users SET name = 'Ann Changed' WHERE id = 10",
			func(_ *Session, u *User) bool { return u.Name == "Ann Changed" }},
		{"user locked", "UPDATE users SET status = 'locked' WHERE id = 10",
			func(_ *Session, u *User) bool { return u.Status == "locked" }},
		{"account renamed", "UPDATE provider_accounts SET name = 'Clinic Two' WHERE id = 5",
			func(_ *Session, u *User) bool { return u.AccountName == "Clinic Two" }},
		{"session's context changed", "UPDATE sessions SET plan_type = 'medicare'",
			func(sess *Session, _ *User) bool { return sess.PlanType == "medicare" }},
		{"session handed to another user", "UPDATE sessions SET user_id = 20",
			func(_ *Session, u *User) bool { return u.ID == 20 && u.HasRole(RoleReviewer) }},
	}
	for _, c := range changes {
		load("before: " + c.name) // make sure the previous state is kept
		if _, err := d.W.Exec(c.sql); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if sess, u := load(c.name); !c.check(sess, u) {
			t.Errorf("%s: the next request still saw the old state: session %+v, user %+v", c.name, sess, u)
		}
	}

	// Signing out (the models' Delete) and removing the row by hand both end the session.
	load("before sign-out")
	if err := s.Delete(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Load(ctx, token); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after sign-out: err = %v, want ErrNotFound", err)
	}
	token2, _, err := s.Create(ctx, 20, StageFull)
	if err != nil {
		t.Fatal(err)
	}
	if _, u, err := s.Load(ctx, token2); err != nil || !slices.Contains(u.Roles, RoleReviewer) {
		t.Fatalf("second session: %v %+v", err, u)
	}
	if _, err := d.W.Exec("DELETE FROM sessions"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Load(ctx, token2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after the row was deleted: err = %v, want ErrNotFound", err)
	}
}

// TestSessionCacheKeepsTimeLimits: a session kept in memory still ends at its idle limit.
func TestSessionCacheKeepsTimeLimits(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	if _, err := d.W.Exec(`INSERT INTO users(id, email, name, created_at) VALUES (7, 'x@plan.example', 'X', '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	s := Sessions{DB: d}
	token, _, err := s.Create(ctx, 7, StageFull)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, _, err := s.Load(ctx, token); err != nil {
			t.Fatal(err)
		}
	}
	d.Clock.SetOffset(DefaultIdleTimeout + time.Second)
	if _, _, err := s.Load(ctx, token); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an idle session kept in memory: err = %v, want ErrNotFound", err)
	}
}
