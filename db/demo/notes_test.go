package demo_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"portico/db/dbtest"
	"portico/db/demo"
	"portico/models"
)

// TestDemoNotesNotInFile: the notes the demo writes (prior authorization and referral
// notes and answers, care plans' titles, text, items and history, visits' reasons and notes, medication directions, assessment answers) are sealed, and their plain text is nowhere in the database file,
// not even in the free space of pages the fill rewrote (30,000 members: smaller fills
// happen not to leave such space behind).
func TestDemoNotesNotInFile(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	keys, err := models.OpenKeyring(ctx, filepath.Join(t.TempDir(), "portico.key"), d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Run(ctx, d, demo.Options{Members: 30000, Keyring: keys}); err != nil {
		t.Fatal(err)
	}
	var sealed, generated int
	if err := d.R.QueryRow(`SELECT (SELECT COUNT(*) FROM authz_requests WHERE clinical_note LIKE 'enc:v1:%') +
		(SELECT COUNT(*) FROM referrals WHERE notes LIKE 'enc:v1:%'), (SELECT COUNT(*) FROM referrals WHERE ref_no > 'CM-000005')`).Scan(&sealed, &generated); err != nil {
		t.Fatal(err)
	}
	if sealed < 9 || generated == 0 {
		t.Fatalf("%d sealed notes, %d generated referrals: the demo no longer writes what this test looks for", sealed, generated)
	}
	if _, err := d.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(d.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"Symptoms and findings as in the attached notes.",
		"Please send the office visit notes of the last 60 days",
		"Referred from the clinic after a recent visit.",
		"may lose her housing",
		"Declined: the member already has an active case manager",
		"Home health ordered and first home visit made",
		"My Diabetes Self-Management Plan",
		"Lives alone; daughter visits on weekends",
		"Bring my A1c below 7%",
		"Added problems, goals and interventions after the ICT meeting",
		"Monthly telephone outreach by the case manager",
		"Type 2 diabetes mellitus without complications (E11.9)",
		"Hypertension care plan",
		"Reports missing evening metformin doses",
		"Follow-up psychotherapy, 45 minutes",
		"CHF exacerbation",
		`"general_health":"poor"`,
		"1 tablet twice daily with meals",
		"2 puffs every 4–6 hours as needed",
		`"phq_interest":"0"`,
	} {
		if n := bytes.Count(file, []byte(s)); n > 0 {
			t.Errorf("the database file holds %q %d times in plain text", s, n)
		}
	}
}
