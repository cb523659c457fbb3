package demo_test

import (
	"context"
	"path/filepath"
	"portico/db/dbtest"
	"strings"
	"testing"

	"portico/db/demo"
	"portico/models"
)

// Finding 8: the seeded demo mail links point at the portal's --base-url, not at the
// default address.
func TestSeededMailLinksUseTheBaseURL(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	keys, err := models.OpenKeyring(ctx, filepath.Join(t.TempDir(), "portico.key"), d)
	if err != nil {
		t.Fatal(err)
	}
	base := "https://portal.clinic.example:8443"
	if _, err := demo.Run(ctx, d, demo.Options{Members: 100, Keyring: keys, BaseURL: base}); err != nil {
		t.Fatal(err)
	}
	rows, err := d.R.QueryContext(ctx, "SELECT body FROM outbox")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	links := 0
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(body, "127.0.0.1:8080") {
			t.Errorf("seeded mail links to the default address:\n%s", body)
		}
		links += strings.Count(body, base+"/")
	}
	if links == 0 {
		t.Fatal("no seeded mail links to the base URL")
	}
}
