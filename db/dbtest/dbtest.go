// Package dbtest gives tests a fresh, migrated database of their own.
package dbtest

import (
	"context"
	"path/filepath"
	"testing"

	"portico/db"
)

// Migrated opens a new database in the test's temporary directory, applies every
// migration and closes it when the test ends.
func Migrated(t testing.TB) *db.DB {
	t.Helper()
	d, err := db.Open(filepath.Join(t.TempDir(), "portico.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d
}
