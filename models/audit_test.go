package models

import (
	"context"
	"portico/db/dbtest"
	"strings"
	"testing"
)

func TestAuditChainDetectsTampering(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	a := Audit{DB: d}
	for i, action := range []string{"auth.login", "member.view", "message.send", "auth.logout"} {
		if err := a.Record(ctx, AuditEntry{Actor: "manager@sunrise.example", UserID: 1, Action: action, MemberID: "A100000001", IP: "127.0.0.1", ObjectID: strings.Repeat("x", i)}); err != nil {
			t.Fatal(err)
		}
	}
	n, bad, _, err := a.Verify(ctx)
	if err != nil || bad != 0 || n != 4 {
		t.Fatalf("intact chain: n=%d bad=%d err=%v", n, bad, err)
	}
	// The table refuses updates and deletes outright.
	if _, err := d.W.Exec("UPDATE audit_log SET actor = 'someone' WHERE id = 2"); err == nil {
		t.Fatal("audit_log accepted an UPDATE")
	}
	if _, err := d.W.Exec("DELETE FROM audit_log WHERE id = 2"); err == nil {
		t.Fatal("audit_log accepted a DELETE")
	}
	// Someone with the file drops the guard and edits entry 2: verify names entry 2.
	if _, err := d.W.Exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET member_id = 'M200000001' WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	_, bad, reason, err := a.Verify(ctx)
	if err != nil || bad != 2 || !strings.Contains(reason, "hash") {
		t.Fatalf("edited entry: bad=%d reason=%q err=%v", bad, reason, err)
	}
}

func TestAuditChainDetectsDeletion(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	a := Audit{DB: d}
	for i := 0; i < 3; i++ {
		if err := a.Record(ctx, AuditEntry{Action: "auth.login"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.W.Exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	_, bad, reason, err := a.Verify(ctx)
	if err != nil || bad != 3 || !strings.Contains(reason, "missing") {
		t.Fatalf("deleted entry: bad=%d reason=%q err=%v", bad, reason, err)
	}
}
