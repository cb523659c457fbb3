package models

import (
	"context"
	"strings"
	"testing"
)

// TestVisitNotesSealedAtRest: visits written in plain text (before migration 0046) are
// sealed at start; the rows then hold ciphertext while the Visits tab shows the reason
// and note, and a value moved to another visit or column shows the stand-in.
func TestVisitNotesSealedAtRest(t *testing.T) {
	ctx := context.Background()
	rs, _, _, _ := clinicalFixture(t)
	hr := HealthRecords{DB: rs.DB, Keys: rs.Keys}
	const reason, note = "Panic attack", "Chest tightness, normal ECG; started sertraline."
	if _, err := rs.DB.W.Exec(`INSERT INTO health_visits(id, member_pk, visit_date, setting, provider, reason, note) VALUES
			(1, 1, '2026-10-01', 'emergency', 'Community Hospital', ?, ?),
			(2, 1, '2026-09-01', 'office', 'Sunrise', 'Check-up', 'Well.');
		INSERT OR IGNORE INTO notes_to_seal(tbl) VALUES ('health_visits')`, reason, note); err != nil {
		t.Fatal(err)
	}
	if n, err := SealPendingNotes(ctx, rs.DB, rs.Keys); err != nil || n != 4 {
		t.Fatalf("sealed %d values (%v), want 4", n, err)
	}
	var raw string
	if err := rs.DB.R.QueryRow(`SELECT group_concat(reason || note) FROM health_visits`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Panic", "sertraline", "Check-up", "Well."} {
		if strings.Contains(raw, w) {
			t.Errorf("a visit row holds %q", w)
		}
	}
	page, err := hr.Tab(ctx, 1, "visits", 1)
	if err != nil || len(page.Visits) != 2 {
		t.Fatalf("visits: %v (%+v)", err, page)
	}
	if v := page.Visits[0]; v.Reason != reason || v.Note != note {
		t.Errorf("the tab shows %q / %q", v.Reason, v.Note)
	}
	if _, err := rs.DB.W.Exec(`UPDATE health_visits SET note = (SELECT note FROM health_visits WHERE id = 1) WHERE id = 2;
		UPDATE health_visits SET note = reason WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	page, err = hr.Tab(ctx, 1, "visits", 1)
	if err != nil {
		t.Fatalf("moved text fails the tab: %v", err)
	}
	for _, v := range page.Visits {
		if v.Note != UnreadableNote {
			t.Errorf("visit of %s shows a moved note as %q", v.Date, v.Note)
		}
	}
	if page.Visits[0].Reason != reason || page.Visits[1].Reason != "Check-up" {
		t.Errorf("reasons left in place read %q, %q", page.Visits[0].Reason, page.Visits[1].Reason)
	}
}

// TestMedicationDirectionsSealedAtRest: directions written in plain text (before
// migration 0048) are sealed at start and shown on the Medications tab; directions
// moved to another medication show the stand-in.
func TestMedicationDirectionsSealedAtRest(t *testing.T) {
	ctx := context.Background()
	rs, _, _, _ := clinicalFixture(t)
	hr := HealthRecords{DB: rs.DB, Keys: rs.Keys}
	if _, err := rs.DB.W.Exec(`INSERT INTO health_medications(id, member_pk, drug, directions, started_on) VALUES
			(1, 1, 'sertraline', '1 tablet every morning', '2026-10-01'), (2, 1, 'naltrexone', '1 tablet daily', '2026-09-01');
		INSERT OR IGNORE INTO notes_to_seal(tbl) VALUES ('health_medications')`); err != nil {
		t.Fatal(err)
	}
	if n, err := SealPendingNotes(ctx, rs.DB, rs.Keys); err != nil || n != 2 {
		t.Fatalf("sealed %d values (%v), want 2", n, err)
	}
	var raw string
	if err := rs.DB.R.QueryRow(`SELECT group_concat(directions) FROM health_medications`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw, "tablet") {
		t.Errorf("directions stored as %q", raw)
	}
	page, err := hr.Tab(ctx, 1, "medications", 1)
	if err != nil || len(page.Medications) != 2 || page.Medications[0].Directions != "1 tablet every morning" {
		t.Fatalf("medications: %v %+v", err, page)
	}
	if _, err := rs.DB.W.Exec(`UPDATE health_medications SET directions = (SELECT directions FROM health_medications WHERE id = 1) WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	page, _ = hr.Tab(ctx, 1, "medications", 1)
	if page.Medications[1].Directions != UnreadableNote || page.Medications[0].Directions != "1 tablet every morning" {
		t.Errorf("after the move: %+v", page.Medications)
	}
}
