package models

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"portico/db"
)

// TestMessageQueriesUseIndexes: the thread list and the unread badge (on every page)
// never scan the whole thread table, for office users and for plan staff.
func TestMessageQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	d, err := db.Open(filepath.Join(t.TempDir(), "portico.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	office := &User{ID: 1, AccountID: 7}
	staff := &User{ID: 2, Department: DeptProviderServices}
	type q struct {
		name string
		sql  string
		args []any
	}
	var qs []q
	for _, u := range []*User{office, staff} {
		for _, f := range []string{FolderInbox, FolderSent, FolderArchived, FolderAssigned, FolderQueue} {
			s, a := listQuery(u, f, 100)
			qs = append(qs, q{"list " + f, s, a})
		}
		s, a := unreadQuery(u)
		qs = append(qs, q{"unread", s, a})
	}
	for _, x := range qs {
		rows, err := d.R.QueryContext(ctx, "EXPLAIN QUERY PLAN "+x.sql, x.args...)
		if err != nil {
			t.Fatalf("%s: %v", x.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, p := range plan {
			if strings.HasPrefix(p, "SCAN ") && !strings.Contains(p, "USING") && !strings.Contains(p, "CONSTANT ROW") {
				t.Errorf("%s: full scan %q in plan %v", x.name, p, plan)
			}
		}
	}
}
