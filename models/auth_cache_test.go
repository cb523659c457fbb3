package models

import (
	"context"
	"errors"
	"slices"
	"strings"
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

// TestKeptTINsAndUnreadSeeEveryChange: the account's TINs and the user's unread count,
// kept in memory for the pages' frame (migration 0054), are served from memory while
// nothing has changed (a change made behind a loaded user's back does not show until the
// next request), and the next request after any change to a TIN, a thread or a user's
// read state, made by plain SQL, sees it. A request that changes them itself
// (ForgetKept) reads them from the database.
func TestKeptTINsAndUnreadSeeEveryChange(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	if _, err := d.W.Exec(`
		INSERT INTO provider_accounts(id, name, type, created_at) VALUES (5, 'Clinic', 'clinic', '2026-01-01T00:00:00Z');
		INSERT INTO users(id, account_id, email, name, permissions, created_at) VALUES (10, 5, 'a@clinic.example', 'Ann Office', 'eligibility messaging', '2026-01-01T00:00:00Z');
		INSERT INTO tins(id, account_id, tin, name, status, created_at) VALUES (1, 5, '111111111', 'Clinic North', 'verified', '2026-01-01T00:00:00Z');
		INSERT INTO message_threads(id, kind, account_id, message_count, created_at, last_message_at)
			VALUES (1, 'portal', 5, 2, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), (2, 'portal', 5, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	s := Sessions{DB: d}
	token, _, err := s.Create(ctx, 10, StageFull)
	if err != nil {
		t.Fatal(err)
	}
	load := func() *User {
		t.Helper()
		_, u, err := s.Load(ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	tinsOf := func(u *User) string {
		t.Helper()
		tins, err := Accounts{DB: d}.UserTINs(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range tins {
			out = append(out, x.TIN+" "+x.Status)
		}
		return strings.Join(out, ", ")
	}
	unread := func(u *User) int {
		t.Helper()
		n, err := Messages{DB: d}.UnreadCount(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	u := load()
	if got := tinsOf(u); got != "111111111 verified" {
		t.Fatalf("TINs = %q", got)
	}
	if n := unread(u); n != 2 {
		t.Fatalf("unread = %d, want 2", n)
	}

	changes := []struct {
		name, sql string
		tins      string
		unread    int
	}{
		{"TIN added", "INSERT INTO tins(id, account_id, tin, name, created_at) VALUES (2, 5, '222222222', 'Clinic South', '2026-02-01T00:00:00Z')",
			"111111111 verified, 222222222 pending", 2},
		{"TIN verified", "UPDATE tins SET status = 'verified' WHERE id = 2", "111111111 verified, 222222222 verified", 2},
		{"TIN removed", "DELETE FROM tins WHERE id = 1", "222222222 verified", 2},
		{"thread read", "INSERT INTO message_thread_users(thread_id, user_id, last_read_seq) VALUES (1, 10, 2)", "222222222 verified", 1},
		{"new message in it", "UPDATE message_threads SET message_count = 3 WHERE id = 1", "222222222 verified", 2},
		{"thread archived", "UPDATE message_thread_users SET archived = 1 WHERE thread_id = 1", "222222222 verified", 1},
		{"thread gone", "DELETE FROM message_threads WHERE id = 2", "222222222 verified", 0},
		{"thread opened", "INSERT INTO message_threads(id, kind, account_id, message_count, created_at, last_message_at) VALUES (3, 'portal', 5, 1, '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z')",
			"222222222 verified", 1},
	}
	for _, c := range changes {
		before := load()
		oldTINs, oldUnread := tinsOf(before), unread(before)
		if _, err := d.W.Exec(c.sql); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		// The user loaded before the change is served what was kept: the cache is used.
		if got, n := tinsOf(before), unread(before); got != oldTINs || n != oldUnread {
			t.Errorf("%s: a user loaded before the change got %q, %d from memory, want the kept %q, %d", c.name, got, n, oldTINs, oldUnread)
		}
		// ... unless its request changes things itself.
		before.ForgetKept()
		if got, n := tinsOf(before), unread(before); got != c.tins || n != c.unread {
			t.Errorf("%s: after ForgetKept: %q, %d, want %q, %d", c.name, got, n, c.tins, c.unread)
		}
		// The next request sees the change.
		after := load()
		if got, n := tinsOf(after), unread(after); got != c.tins || n != c.unread {
			t.Errorf("%s: the next request saw %q, %d, want %q, %d", c.name, got, n, c.tins, c.unread)
		}
	}
}
