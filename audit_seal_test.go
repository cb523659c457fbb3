package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portico/db"
	"portico/models"
)

// Finding 7: cutting the newest audit entries (after dropping the trigger) is reported
// by `portico audit verify`, because the chain ends before its sealed checkpoint; the
// server does not paper over the cut with a new seal; a forged seal is reported too.
func TestAuditVerifyFailsAfterNewestRowsCut(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "portico.db")
	d, err := db.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	keys, err := models.OpenKeyring(ctx, filepath.Join(dir, "portico.key"), d)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 30; i++ {
		if err := (models.Audit{DB: d}).Record(ctx, models.AuditEntry{Action: "eligibility.check", MemberID: "A100000001"}); err != nil {
			t.Fatal(err)
		}
	}
	sealer, err := models.NewAuditSealer(d, keys)
	if err != nil {
		t.Fatal(err)
	}
	if err := sealer.Seal(ctx, false); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(models.AuditSealPath(path)); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("seal file: %v %v", st, err)
	}
	verify := func() (string, error) {
		var out bytes.Buffer
		err := run(ctx, []string{"portico", "audit", "verify", "--db", path}, noEnv, &out)
		return out.String(), err
	}
	if out, err := verify(); err != nil || !strings.Contains(out, "30 entries verified") || !strings.Contains(out, "sealed checkpoint (entry 30") {
		t.Fatalf("intact log: %v\n%s", err, out)
	}
	// The attacker drops the trigger and deletes the newest 20 entries.
	if _, err := d.W.Exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id > 10"); err != nil {
		t.Fatal(err)
	}
	_, err = verify()
	if err == nil || !strings.Contains(err.Error(), "ends at entry 10, before its last sealed checkpoint at entry 30") {
		t.Fatalf("cut log: err = %v", err)
	}
	// The server's next seal refuses to replace the seal of the longer log.
	before, _ := os.ReadFile(models.AuditSealPath(path))
	if err := sealer.Seal(ctx, false); err == nil {
		t.Fatal("the sealer sealed a cut log")
	}
	if after, _ := os.ReadFile(models.AuditSealPath(path)); !bytes.Equal(before, after) {
		t.Fatal("the seal file changed")
	}
	if _, err := verify(); err == nil {
		t.Fatal("the cut log verifies after a seal attempt")
	}
	// Moving the seal back by hand breaks its MAC.
	forged := strings.Replace(string(before), " 30 ", " 10 ", 1)
	if err := os.WriteFile(models.AuditSealPath(path), []byte(forged), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := verify(); err == nil || !strings.Contains(err.Error(), "was altered") {
		t.Fatalf("forged seal: err = %v", err)
	}
	d.Close()
}

func TestLookupCeilingFlag(t *testing.T) {
	var out bytes.Buffer
	if c := lookupCeilings(100, &out); len(c) != 2 || c[0].Max != 100 || c[1].Max != 200 {
		t.Errorf("ceilings %+v", c)
	}
	if c := lookupCeilings(0, &out); c == nil || len(c) != 0 || !strings.Contains(out.String(), "no per-user ceiling") {
		t.Errorf("off: %+v %q", c, out.String())
	}
}
