package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMigrateAppliesOnceAndRecords(t *testing.T) {
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for i := 0; i < 2; i++ { // the second run must be a no-op
		if err := d.Migrate(ctx); err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	var n, max int
	if err := d.R.QueryRow("SELECT COUNT(*), MAX(version) FROM schema_migrations").Scan(&n, &max); err != nil {
		t.Fatal(err)
	}
	if n != len(mustMigrations(t)) || max != LatestVersion() {
		t.Errorf("recorded %d migrations up to %d; binary has %d up to %d", n, max, len(mustMigrations(t)), LatestVersion())
	}
	var fk, journal string
	d.W.QueryRow("PRAGMA foreign_keys").Scan(&fk)
	d.W.QueryRow("PRAGMA journal_mode").Scan(&journal)
	if fk != "1" || journal != "wal" {
		t.Errorf("foreign_keys=%s journal_mode=%s", fk, journal)
	}
	// Readers cannot write.
	if _, err := d.R.Exec("INSERT INTO settings(key, value) VALUES ('x','y')"); err == nil {
		t.Error("the reader pool accepted a write")
	}
}

func mustMigrations(t *testing.T) []migration {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestNewerDatabaseRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec("INSERT INTO schema_migrations(version, name, applied_at) VALUES (9999, 'from_the_future', '2030-01-01T00:00:00Z')"); err != nil {
		t.Fatal(err)
	}
	err = d.Migrate(ctx)
	if !errors.Is(err, ErrTooNew) || !strings.Contains(err.Error(), "9999") {
		t.Fatalf("err = %v, want ErrTooNew naming version 9999", err)
	}
	d.Close()
}

func TestBackupIsAConsistentCopy(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := Open(filepath.Join(dir, "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	d.W.Exec("INSERT INTO settings(key, value) VALUES ('plan', 'kept')")
	if err := d.Backup(ctx, filepath.Join(dir, "copy.db")); err != nil {
		t.Fatal(err)
	}
	c, err := Open(filepath.Join(dir, "copy.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var v string
	if err := c.R.QueryRow("SELECT value FROM settings WHERE key = 'plan'").Scan(&v); err != nil || v != "kept" {
		t.Errorf("copy has %q, %v", v, err)
	}
}

// Finding 6: the database, its -wal and -shm files and backups are private (0600) even
// under a permissive umask, and a database others could read is made private on open.
func TestDatabaseWALAndBackupFilesAre0600(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "portico.db")
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.ExecContext(ctx, "CREATE TABLE t(x); INSERT INTO t VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	var one int
	if err := d.R.QueryRowContext(ctx, "SELECT x FROM t").Scan(&one); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := d.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", backup} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %o, want 600", filepath.Base(p), st.Mode().Perm())
		}
	}
	d.Close()
	// A database copied carelessly (0644) is made private on open, and the fix is told.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	d, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("after open: mode %o", st.Mode().Perm())
	}
	if len(d.ModeFixes) != 1 || !strings.Contains(d.ModeFixes[0], "readable by other users") {
		t.Errorf("ModeFixes %q", d.ModeFixes)
	}
}

// TestMigrateAppliesAMissingLowerNumber: areas built side by side land their migrations
// out of order, so a database that has newer migrations but lacks an older one gets the
// older one applied, not skipped.
func TestMigrateAppliesAMissingLowerNumber(t *testing.T) {
	ctx := context.Background()
	all := mustMigrations(t)
	// Try leaving out each migration below the newest, newest first, until one can be
	// left out (nothing after it depends on it).
	for i := len(all) - 2; i >= 1; i-- {
		skipped := all[i]
		d, err := Open(filepath.Join(t.TempDir(), fmt.Sprintf("p%d.db", i)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		var without []migration
		for _, m := range all {
			if m.version != skipped.version {
				without = append(without, m)
			}
		}
		if err := d.apply(ctx, without, map[int]bool{}, 0); err != nil {
			d.Close()
			continue
		}
		if err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		d.R.QueryRow("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", skipped.version).Scan(&n)
		d.Close()
		if n != 1 {
			t.Fatalf("migration %04d_%s was skipped because newer ones were already applied", skipped.version, skipped.name)
		}
		return
	}
	t.Fatal("no migration could be left out to try")
}

// TestMinuteTextMatchesStrftime: minute_text gives, for every minute over two years on
// either side of the demo's anchor (every seventh), the text strftime gave for the same
// instant as a Julian day number, as the demo fill wrote it before.
func TestMinuteTextMatchesStrftime(t *testing.T) {
	d, err := Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	anchor := time.Date(2026, 11, 27, 14, 23, 0, 0, time.UTC).Unix() / 60
	var n, bad int
	var example sql.NullString
	err = d.R.QueryRow(`WITH RECURSIVE o(m) AS (SELECT -1051200 UNION ALL SELECT m + 7 FROM o WHERE m < 1051200)
		SELECT COUNT(*), SUM(a <> b), MAX(CASE WHEN a <> b THEN a || ' / ' || b END) FROM (
			SELECT minute_text(?1 + m) AS a, strftime('%Y-%m-%dT%H:%M:%SZ', ?2 + m / 1440.0) AS b FROM o)`,
		anchor, float64(anchor*60)/86400.0+2440587.5).Scan(&n, &bad, &example)
	if err != nil {
		t.Fatal(err)
	}
	if n < 300000 || bad != 0 {
		t.Fatalf("%d of %d minutes differ, e.g. %s", bad, n, example.String)
	}
	var null sql.NullString
	if err := d.R.QueryRow("SELECT minute_text(NULL)").Scan(&null); err != nil || null.Valid {
		t.Fatalf("minute_text(NULL) = %v, %v", null, err)
	}
}

// TestBulkLoad: a bulk load runs with a rollback journal and leaves the database in WAL
// mode with every row; one that fails leaves nothing behind; and while another
// connection holds the file open, it runs in WAL mode instead.
func TestBulkLoad(t *testing.T) {
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.W.Exec("CREATE TABLE t (n INTEGER)"); err != nil {
		t.Fatal(err)
	}
	var n int
	d.R.QueryRow("SELECT COUNT(*) FROM t").Scan(&n) // a reader connection, idle in the pool
	mode := func(c interface {
		QueryRow(string, ...any) *sql.Row
	}) string {
		var m string
		c.QueryRow("PRAGMA journal_mode").Scan(&m)
		return m
	}
	var during string
	err = d.BulkLoad(ctx, func() error {
		during = mode(d.W)
		return d.Tx(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec("WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 5000) INSERT INTO t SELECT n FROM s")
			return err
		})
	})
	if err != nil || during != "delete" || mode(d.W) != "wal" {
		t.Fatalf("bulk load: err %v, journal %q during, %q after", err, during, mode(d.W))
	}
	if d.R.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); n != 5000 {
		t.Fatalf("%d rows after the load", n)
	}
	err = d.BulkLoad(ctx, func() error {
		return d.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.Exec("INSERT INTO t SELECT n FROM t"); err != nil {
				return err
			}
			return errors.New("the load failed")
		})
	})
	if d.R.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err == nil || n != 5000 || mode(d.W) != "wal" {
		t.Fatalf("failed load: err %v, %d rows, journal %q", err, n, mode(d.W))
	}
	// Another connection with the file open: the load keeps the WAL.
	other, err := sql.Open("sqlite", "file:"+d.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	tx.QueryRow("SELECT COUNT(*) FROM t").Scan(&n)
	err = d.BulkLoad(ctx, func() error { during = mode(d.W); return nil })
	tx.Rollback()
	if err != nil || during != "wal" || mode(d.W) != "wal" {
		t.Fatalf("with another reader: err %v, journal %q during, %q after", err, during, mode(d.W))
	}
}
