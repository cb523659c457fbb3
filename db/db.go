// Package db opens Portico's SQLite file, applies its migrations and makes backups.
//
// SQLite allows one writer at a time, so DB keeps a writer pool of exactly one
// connection (transactions begin IMMEDIATE, waiting on busy_timeout instead of failing)
// and a small pool of readers for the pages.
package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB holds the writer and reader pools of one SQLite file.
type DB struct {
	// W is the single writer connection: every INSERT, UPDATE and DELETE goes here.
	W *sql.DB
	// R is the reader pool used by pages.
	R *sql.DB
	// Path is the database file.
	Path string
	// ModeFixes lists files that other local users could read when Open found them
	// (the database, its -wal and -shm files) and that Open made private (0600); the
	// server prints them so the operator knows.
	ModeFixes []string
	// Clock is the one clock every store reads (see Clock); Open sets the wall clock.
	Clock *Clock
	// st is what the open database keeps beside its pools (state.go); shared by copies
	// of the DB value (the demo fill's copy with its own clock).
	st *state
}

// ErrTooNew is returned when the database was migrated by a newer Portico.
var ErrTooNew = errors.New("database is newer than this Portico binary")

// busyTimeoutMS is how long a statement waits for another connection's lock.
const busyTimeoutMS = 5000

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	// busy_timeout must come first so that the other pragmas wait for locks too.
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "temp_store(MEMORY)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// FileMode is the mode of the database, its -wal and -shm files and its backups: they
// hold names, dates of birth and claims, so only the server's user may read them.
const FileMode os.FileMode = 0o600

// privateFiles creates the database file 0600 if it does not exist (SQLite then gives
// its -wal and -shm files the same mode), and makes an existing database, -wal or -shm
// file that others could read private, reporting what it changed. Fixing (rather than
// refusing to start) keeps a clinic's server running after a careless copy; the
// operator is told.
func privateFiles(path string) ([]string, error) {
	if strings.HasPrefix(path, "file:") || path == ":memory:" || path == "" {
		return nil, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, FileMode)
	if err == nil {
		return nil, f.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("db open %s: %w", path, err)
	}
	var fixed []string
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("db open %s: %w", p, err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, FileMode); err != nil {
				return nil, fmt.Errorf("db open: %s may be read by other users (mode %o) and could not be made private: %w; run chmod 600 %s", p, st.Mode().Perm(), err, p)
			}
			fixed = append(fixed, fmt.Sprintf("%s was readable by other users of this machine (mode %o); its mode is now 600", p, st.Mode().Perm()))
		}
	}
	return fixed, nil
}

// readers is the size of the reader pool.
const readers = 4

// Open opens (creating if needed, mode 0600) the database file at path.
func Open(path string) (*DB, error) {
	fixed, err := privateFiles(path)
	if err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("db open writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("db open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("db open readers: %w", err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	r.SetConnMaxLifetime(0)
	return &DB{W: w, R: r, Path: path, ModeFixes: fixed, Clock: NewClock(nil), st: &state{}}, nil
}

// BulkLoad runs fn, which fills the database through the writer, with a rollback journal
// instead of the WAL when it can. In WAL mode every page of a large load is written
// twice, once to the WAL and again when the WAL is checkpointed into the file (a
// gigabyte each way for the 1,000,000-member demo, four seconds of its commit); with a
// rollback journal the pages of a file that grows are written once, and only the
// pages that held data before are journaled, so a failed load still rolls back whole.
// The readers' idle connections are closed for the switch (SQLite leaves WAL mode only
// when no other connection is open), and the WAL comes back when fn returns. If the
// switch is refused (a reader or another process has the file open, or an in-memory
// database), fn runs in WAL mode as before.
func (d *DB) BulkLoad(ctx context.Context, fn func() error) (err error) {
	d.R.SetMaxIdleConns(0)
	defer d.R.SetMaxIdleConns(readers)
	// Not waiting for the lock: another connection holds the file open for as long as it
	// is open, so waiting would only delay the same answer.
	if _, err := d.W.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	var mode string
	switchErr := d.W.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode)
	if _, err := d.W.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeoutMS)); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	if switchErr == nil && mode == "delete" {
		defer func() {
			var back string
			if werr := d.W.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&back); werr != nil || back != "wal" {
				err = errors.Join(err, fmt.Errorf("bulk load: the WAL could not be restored (journal mode %q): %v", back, werr))
			}
		}()
	}
	return fn()
}

// Close checkpoints the WAL and closes both pools.
func (d *DB) Close() error {
	d.closeState()
	rerr := d.R.Close()
	_, _ = d.W.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	werr := d.W.Close()
	return errors.Join(rerr, werr)
}

// Ping answers whether the database answers a query.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.R.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Tx runs fn in one immediate write transaction, committing when fn returns nil.
func (d *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %q: name must be NNNN_name.sql", e.Name())
		}
		body, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// LatestVersion is the highest migration this binary knows.
func LatestVersion() int {
	ms, _ := migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate applies every migration not yet applied, each in its own transaction, and
// refuses a database that a newer binary has migrated.
func (d *DB) Migrate(ctx context.Context) error {
	if _, err := d.W.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	applied := map[int]bool{}
	rows, err := d.W.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	current := 0
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return fmt.Errorf("migrate: %w", err)
		}
		applied[v] = true
		current = max(current, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return d.apply(ctx, ms, applied, current)
}

// apply runs the migrations of ms that are not in applied (current is the newest
// applied version).
func (d *DB) apply(ctx context.Context, ms []migration, applied map[int]bool, current int) error {
	if latest := LatestVersion(); current > latest {
		return fmt.Errorf("%w: the file is at schema version %d and this binary knows up to %d; run a newer Portico or restore a backup", ErrTooNew, current, latest)
	}
	// Every migration not yet recorded is applied, in order, even one numbered below the
	// newest applied (areas developed side by side land their numbers out of order).
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)", m.version, m.name, d.NowText())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
		}
	}
	return nil
}

// Backup writes a consistent copy of the live database to path (VACUUM INTO), which
// works while the server is running. The copy is created mode 0600 before SQLite
// writes into it, so it is never readable by others, not even for a moment.
func (d *DB) Backup(ctx context.Context, path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, FileMode)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := d.W.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Chmod(path, FileMode); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
