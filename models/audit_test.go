package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"portico/db/dbtest"
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

// TestAuditHashFormatUnchanged: the hash of an entry is SHA-256 over "len:field|" for
// each field in order, byte for byte what fmt's "%d:%s|" wrote when the chains already
// stored were made; a change here would break every stored chain's verification.
func TestAuditHashFormatUnchanged(t *testing.T) {
	reference := func(e AuditEntry) string {
		h := sha256.New()
		for _, f := range []string{e.PrevHash, strconv.FormatInt(e.ID, 10), e.At, strconv.FormatInt(e.UserID, 10), e.Actor,
			strconv.FormatInt(e.AccountID, 10), e.Action, e.ObjectType, e.ObjectID, e.MemberID, e.IP, e.Detail} {
			fmt.Fprintf(h, "%d:%s|", len(f), f)
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	for _, e := range []AuditEntry{
		{PrevHash: GenesisHash, ID: 1, At: "2026-11-27T12:00:00Z", Actor: "system", Action: "demo.fill"},
		{PrevHash: strings.Repeat("ab", 32), ID: 123456789, At: "2026-11-27T12:00:01Z", UserID: 42, Actor: "manager@sunrise.example",
			AccountID: 7, Action: "eligibility.check", ObjectType: "member", ObjectID: "A100000001", MemberID: "A100000001",
			IP: "2001:db8::1", Detail: "outcome=found | ünïcödé: 10:x|"},
	} {
		if got, want := e.hashOf(), reference(e); got != want {
			t.Errorf("entry %d: hash %s, the stored format gives %s", e.ID, got, want)
		}
	}
}

// TestAuditGroupCommit: many requests recording at once share transactions, and still
// every entry is committed before its caller returns, the chain is whole, and a job whose
// own write fails (a check for a session that was signed out meanwhile) fails alone.
func TestAuditGroupCommit(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	a := Audit{DB: d}
	const n = 200
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i == n/2 {
				// The running list references the session: a hash with no session fails.
				r := &EligibilityResult{Outcome: OutcomeNotFoundID}
				_, err := Members{DB: d}.RecordCheck(ctx, HashToken("signed-out"), r, "A1", AuditEntry{Actor: "x@clinic.example"})
				if err == nil {
					errs <- fmt.Errorf("a check for a missing session was recorded")
				}
				return
			}
			err := a.Record(ctx, AuditEntry{Actor: "u" + strconv.Itoa(i) + "@clinic.example", Action: "member.view"})
			if err != nil {
				errs <- err
				return
			}
			// Committed before Record returned: a reader sees it now.
			var seen int
			if err := d.R.QueryRow("SELECT COUNT(*) FROM audit_log WHERE actor = ?", "u"+strconv.Itoa(i)+"@clinic.example").Scan(&seen); err != nil || seen != 1 {
				errs <- fmt.Errorf("entry %d not visible after Record returned: %d %v", i, seen, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checked, bad, reason, err := a.Verify(ctx)
	if err != nil || bad != 0 || checked != n-1 {
		t.Fatalf("chain after %d concurrent records: checked=%d bad=%d (%s) err=%v", n-1, checked, bad, reason, err)
	}
}
