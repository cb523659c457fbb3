package demo_test

import (
	"context"
	"path/filepath"
	"portico/db/dbtest"
	"testing"

	"portico/db/demo"
	"portico/models"
)

// TestDemoMessages: the demo has threads in several states and a registered envelope,
// all encrypted and readable with the keyring.
func TestDemoMessages(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	keys, err := models.OpenKeyring(ctx, filepath.Join(t.TempDir(), "portico.key"), d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Run(ctx, d, demo.Options{Members: 100, Keyring: keys}); err != nil {
		t.Fatal(err)
	}
	checks := map[string]string{
		"threads":        "SELECT COUNT(*) >= 7 FROM message_threads",
		"envelope":       "SELECT COUNT(*) = 1 FROM message_threads t JOIN envelope_credentials c ON c.thread_id = t.id WHERE t.kind = 'envelope'",
		"resolved":       "SELECT COUNT(*) >= 1 FROM message_threads WHERE status = 'resolved'",
		"archived":       "SELECT COUNT(*) >= 1 FROM message_thread_users WHERE archived = 1",
		"continued":      "SELECT COUNT(*) = 1 FROM message_threads a JOIN message_threads b ON b.prev_thread_id = a.id AND a.next_thread_id = b.id WHERE a.message_count = 12",
		"attachment":     "SELECT COUNT(*) >= 1 FROM message_attachments",
		"receipts":       "SELECT COUNT(*) >= 1 FROM message_reads",
		"valley":         "SELECT COUNT(*) >= 1 FROM message_threads t JOIN provider_accounts a ON a.id = t.account_id WHERE a.name = 'Valley Medical Group'",
		"nurse":          "SELECT COUNT(*) >= 1 FROM message_threads t JOIN users u ON u.id = t.assignee_id WHERE u.email = 'nurse@plan.example'",
		"partner notice": "SELECT COUNT(*) >= 1 FROM outbox WHERE to_addr = 'records@lawfirm.example' AND body LIKE '%/envelope/%'",
	}
	for name, q := range checks {
		var ok bool
		if err := d.R.QueryRow(q).Scan(&ok); err != nil || !ok {
			t.Errorf("%s: %v", name, err)
		}
	}
	m := models.Messages{DB: d, Keys: keys}
	rep, err := models.Users{DB: d}.ByEmail(ctx, "rep@plan.example")
	if err != nil {
		t.Fatal(err)
	}
	threads, err := m.List(ctx, rep, models.FolderInbox, 50)
	if err != nil || len(threads) == 0 {
		t.Fatalf("rep's inbox: %d threads, %v", len(threads), err)
	}
	for _, th := range threads {
		if _, err := m.ThreadMessages(ctx, th, true); err != nil || th.Subject == "" {
			t.Errorf("thread %d: %q %v", th.ID, th.Subject, err)
		}
	}
}
