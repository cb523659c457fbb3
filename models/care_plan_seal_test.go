package models

import (
	"context"
	"strings"
	"testing"
)

// TestCarePlanTextSealedAtRest: a care plan's title and narrative, its items' text and
// its history lines are ciphertext in their rows while the plan (and the member's list)
// shows the text; a value moved to another plan or item shows the stand-in, never the
// other row's text.
func TestCarePlanTextSealedAtRest(t *testing.T) {
	ctx := context.Background()
	rs, _, cm, _ := clinicalFixture(t)
	ps := CarePlans{DB: rs.DB, Keys: rs.Keys}
	const title, narrative = "Depression and insulin care plan", "PHQ-9 of 18; lives alone; starting sertraline."
	a, err := ps.Create(ctx, 1, cm, CarePlanInput{Kind: "free_text", Title: title, Narrative: narrative}, AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ps.Create(ctx, 1, cm, CarePlanInput{Kind: "medical", Title: "Second plan"}, AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	pa, _ := ps.Get(ctx, 1, a)
	const goal = "HbA1c below 8% by spring"
	if err := ps.AddItem(ctx, pa, cm, CarePlanItemInput{Kind: "goal", Text: goal, TargetDate: "2027-03-31", Status: "in_progress"}, AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	pb, _ := ps.Get(ctx, 1, b)
	if err := ps.AddItem(ctx, pb, cm, CarePlanItemInput{Kind: "problem", Text: "Another problem", Status: "active"}, AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	pa, _ = ps.Get(ctx, 1, a)
	if err := ps.SetItemStatus(ctx, pa, cm, pa.Goals[0].ID, "met", AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	if err := ps.Update(ctx, pa, cm, narrative+" Sertraline 50 mg.", "active", AuditEntry{}); err != nil {
		t.Fatal(err)
	}

	// No row of the three tables holds any of the words typed.
	for _, q := range []string{`SELECT title || narrative FROM care_plans`, `SELECT text FROM care_plan_items`, `SELECT what FROM care_plan_history`} {
		rows, err := rs.DB.R.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			for _, w := range []string{"Depression", "PHQ", "Sertraline", "sertraline", "HbA1c", "problem", "Created", "Second"} {
				if strings.Contains(s, w) {
					t.Errorf("%s: a row holds %q: %q", q, w, s)
				}
			}
			if !strings.HasPrefix(s, sealedNotePrefix) {
				t.Errorf("%s: a row is not sealed: %q", q, s)
			}
		}
		rows.Close()
	}
	pa, err = ps.Get(ctx, 1, a)
	if err != nil {
		t.Fatal(err)
	}
	if pa.Title != title || pa.Narrative != narrative+" Sertraline 50 mg." || pa.Goals[0].Text != goal {
		t.Errorf("plan shows %q / %q / %q", pa.Title, pa.Narrative, pa.Goals[0].Text)
	}
	if len(pa.History) != 4 || pa.History[0].What != "Rewrote the plan text" ||
		pa.History[1].What != `Goal "`+goal+`": In progress → Met` || pa.History[2].What != "Added a goal: "+goal {
		t.Errorf("history shows %+v", pa.History)
	}
	list, err := ps.ForMember(ctx, 1)
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %v (%d)", err, len(list))
	}
	for _, p := range list {
		if p.ID == a && (p.Title != title || p.Narrative != pa.Narrative) {
			t.Errorf("the list shows %q / %q", p.Title, p.Narrative)
		}
	}

	// Move a's sealed values into b's rows and into another column: none opens.
	for _, q := range []string{
		`UPDATE care_plans SET title = (SELECT title FROM care_plans WHERE id = ?1), narrative = (SELECT narrative FROM care_plans WHERE id = ?1) WHERE id = ?2`,
		`UPDATE care_plan_items SET text = (SELECT text FROM care_plan_items WHERE plan_id = ?1) WHERE plan_id = ?2`,
		`UPDATE care_plan_history SET what = (SELECT what FROM care_plan_history WHERE plan_id = ?1 ORDER BY id DESC LIMIT 1) WHERE plan_id = ?2`,
		`UPDATE care_plans SET narrative = title WHERE id = ?1`,
	} {
		if _, err := rs.DB.W.Exec(q, a, b); err != nil {
			t.Fatal(err)
		}
	}
	pb, err = ps.Get(ctx, 1, b)
	if err != nil {
		t.Fatalf("moved text fails the plan: %v", err)
	}
	if pb.Title != UnreadableNote || pb.Narrative != UnreadableNote || pb.Problems[0].Text != UnreadableNote {
		t.Errorf("plan %d shows moved text %q / %q / %q", b, pb.Title, pb.Narrative, pb.Problems[0].Text)
	}
	for _, h := range pb.History {
		if h.What != UnreadableNote {
			t.Errorf("plan %d's history shows a moved line as %q", b, h.What)
		}
	}
	pa, _ = ps.Get(ctx, 1, a)
	if pa.Narrative != UnreadableNote || pa.Title != title {
		t.Errorf("a title moved into the narrative shows %q (title %q)", pa.Narrative, pa.Title)
	}
	// Saving the plan with the stand-in unchanged keeps the stored narrative.
	var before, after string
	rs.DB.R.QueryRow(`SELECT narrative FROM care_plans WHERE id = ?`, a).Scan(&before)
	if err := ps.Update(ctx, pa, cm, pa.Narrative, "closed", AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	rs.DB.R.QueryRow(`SELECT narrative FROM care_plans WHERE id = ?`, a).Scan(&after)
	if before != after {
		t.Errorf("closing a plan whose text does not open rewrote it")
	}
}

// TestCarePlansSealedAtStart: plans written in plain text before their text was sealed
// (migration 0045 lists their tables) are sealed once at start and read as before.
func TestCarePlansSealedAtStart(t *testing.T) {
	ctx := context.Background()
	rs, _, _, _ := clinicalFixture(t)
	ps := CarePlans{DB: rs.DB, Keys: rs.Keys}
	if _, err := rs.DB.W.Exec(`INSERT INTO care_plans(id, member_pk, kind, title, narrative, author_name, created_at, updated_at)
			VALUES (7, 1, 'free_text', 'Old anxiety plan', 'Panic attacks twice a week.', 'CM', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
		INSERT INTO care_plan_items(plan_id, kind, text, status, updated_at) VALUES (7, 'problem', 'Generalized anxiety disorder', 'active', '2026-01-01T00:00:00Z');
		INSERT INTO care_plan_history(plan_id, at, actor, what) VALUES (7, '2026-01-01T00:00:00Z', 'CM', 'Added a problem: Generalized anxiety disorder');
		INSERT OR IGNORE INTO notes_to_seal(tbl) VALUES ('care_plans'), ('care_plan_items'), ('care_plan_history')`); err != nil {
		t.Fatal(err)
	}
	n, err := SealPendingNotes(ctx, rs.DB, rs.Keys)
	if err != nil || n != 4 {
		t.Fatalf("sealed %d values (%v), want 4", n, err)
	}
	var raw string
	if err := rs.DB.R.QueryRow(`SELECT p.title || p.narrative || i.text || h.what FROM care_plans p, care_plan_items i, care_plan_history h WHERE p.id = 7`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw, "anxiety") || strings.Contains(raw, "Panic") {
		t.Errorf("plain text left after sealing: %q", raw)
	}
	p, err := ps.Get(ctx, 1, 7)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Old anxiety plan" || p.Narrative != "Panic attacks twice a week." || p.Problems[0].Text != "Generalized anxiety disorder" ||
		p.History[0].What != "Added a problem: Generalized anxiety disorder" {
		t.Errorf("converted plan reads %q / %q / %+v / %+v", p.Title, p.Narrative, p.Problems, p.History)
	}
}
