package models_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"portico/models"
)

// Demo texts of the named requests (db/demo/authorizations.go).
const (
	demoClinicalNote = "Symptoms and findings as in the attached notes."
	demoMoreInfoNote = "Please send the office visit notes of the last 60 days and the knee MRI report."
)

// authzEnv is the messages test database (demo with a key file) with its Authz store.
func authzEnv(t *testing.T) (*msgEnv, models.Authz) {
	t.Helper()
	e := newMsgEnv(t)
	return e, models.Authz{DB: e.d, Keys: e.keys}
}

// namedRequest is the ID of the demo's named request in status.
func namedRequest(t *testing.T, e *msgEnv, status string) int64 {
	t.Helper()
	var id int64
	if err := e.d.R.QueryRow(`SELECT id FROM authz_requests WHERE status = ? AND created_by IS NOT NULL ORDER BY id LIMIT 1`, status).Scan(&id); err != nil {
		t.Fatalf("named %s request: %v", status, err)
	}
	return id
}

func rawString(t *testing.T, e *msgEnv, query string, args ...any) string {
	t.Helper()
	var s string
	if err := e.d.R.QueryRow(query, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return s
}

// TestAuthzNotesSealedAtRest: the note columns hold ciphertext only, in the row and in
// the database file, while the request (what the pages show) carries the text.
func TestAuthzNotesSealedAtRest(t *testing.T) {
	e, az := authzEnv(t)
	ctx := context.Background()
	id := namedRequest(t, e, models.AuthzMoreInfo)

	raw := rawString(t, e, `SELECT clinical_note FROM authz_requests WHERE id = ?`, id)
	if strings.Contains(raw, "Symptoms") || !strings.HasPrefix(raw, "enc:v1:") {
		t.Fatalf("clinical_note column holds %q, want a sealed note", raw)
	}
	events := rawString(t, e, `SELECT group_concat(note, '|') FROM authz_events WHERE request_id = ?`, id)
	if strings.Contains(events, "office visit notes") {
		t.Fatalf("authz_events.note holds plain text: %q", events)
	}
	r, err := az.Request(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if r.ClinicalNote != demoClinicalNote {
		t.Errorf("clinical note reads %q, want %q", r.ClinicalNote, demoClinicalNote)
	}
	if ev := r.LatestEvent("more_info"); ev == nil || ev.Note != demoMoreInfoNote {
		t.Errorf("more-information event reads %+v, want note %q", ev, demoMoreInfoNote)
	}

	// What an office writes through the model is sealed too, in both note columns of a draft.
	draft := namedRequest(t, e, models.AuthzDraft)
	mgr := e.user(t, "manager@sunrise.example")
	const typed = "Locked knee since a fall on 11/02; MRI shows a bucket-handle tear."
	if err := az.SaveNote(ctx, mgr, draft, "  "+typed+"\n", e.d.Now()); err != nil {
		t.Fatal(err)
	}
	const sheetNote = "PT 6 weeks, no change; locking twice a week."
	if err := az.SaveSheet(ctx, mgr, draft, "knee-arthroscopy", []string{"mechanical"}, sheetNote, e.d.Now()); err != nil {
		t.Fatal(err)
	}
	if raw := rawString(t, e, `SELECT clinical_note FROM authz_requests WHERE id = ?`, draft); strings.Contains(raw, "bucket-handle") {
		t.Fatalf("saved clinical note stored in plain text: %q", raw)
	}
	if raw := rawString(t, e, `SELECT note FROM authz_sheets WHERE request_id = ? AND sheet = 'knee-arthroscopy'`, draft); strings.Contains(raw, "locking") {
		t.Fatalf("saved sheet note stored in plain text: %q", raw)
	}
	r, err = az.Request(ctx, draft)
	if err != nil {
		t.Fatal(err)
	}
	if r.ClinicalNote != typed || r.SheetFor("knee-arthroscopy").Note != sheetNote {
		t.Errorf("draft reads clinical %q, sheet %q", r.ClinicalNote, r.SheetFor("knee-arthroscopy").Note)
	}

	// Nor is any of it anywhere in the database file once the log is checkpointed.
	if _, err := e.d.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(e.d.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{demoClinicalNote, demoMoreInfoNote, "bucket-handle", "locking twice"} {
		if bytes.Contains(file, []byte(s)) {
			t.Errorf("the database file holds %q in plain text", s)
		}
	}
}

// TestAuthzNoteMovedDoesNotOpen: a sealed note copied to another request, another column
// or another history line, altered, or replaced by plain text reads as the stand-in
// (never as the other row's text, and without failing the request).
func TestAuthzNoteMovedDoesNotOpen(t *testing.T) {
	e, az := authzEnv(t)
	ctx := context.Background()
	from := namedRequest(t, e, models.AuthzMoreInfo)
	to := namedRequest(t, e, models.AuthzApproved)
	sealed := rawString(t, e, `SELECT clinical_note FROM authz_requests WHERE id = ?`, from)
	evNote := rawString(t, e, `SELECT note FROM authz_events WHERE request_id = ? AND kind = 'more_info'`, from)
	evOther := rawString(t, e, `SELECT CAST(MIN(id) AS TEXT) FROM authz_events WHERE request_id = ? AND kind = 'submitted'`, from)

	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := e.d.W.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE authz_requests SET clinical_note = ? WHERE id = ?`, sealed, to)                        // another request
	exec(`UPDATE authz_requests SET decision_note = ? WHERE id = ?`, sealed, from)                      // another column
	exec(`UPDATE authz_events SET note = ? WHERE id = ?`, evNote, evOther)                              // another history line
	exec(`UPDATE authz_requests SET clinical_note = ? WHERE id = ?`, sealed[:len(sealed)-2]+"AA", from) // altered

	r, err := az.Request(ctx, to)
	if err != nil {
		t.Fatalf("a moved note fails the whole request: %v", err)
	}
	if r.ClinicalNote != models.UnreadableNote {
		t.Errorf("note moved to request %d reads %q, want the stand-in", to, r.ClinicalNote)
	}
	r, err = az.Request(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	if r.ClinicalNote != models.UnreadableNote || r.DecisionNote != models.UnreadableNote {
		t.Errorf("altered clinical note reads %q, note moved to decision_note reads %q", r.ClinicalNote, r.DecisionNote)
	}
	if ev := r.LatestEvent("submitted"); ev == nil || ev.Note != models.UnreadableNote {
		t.Errorf("note moved to another history line reads %+v", ev)
	}
	if ev := r.LatestEvent("more_info"); ev == nil || ev.Note != demoMoreInfoNote {
		t.Errorf("the history line's own note reads %+v", ev)
	}

	// Plain text written behind the model's back is not shown as if it were sealed.
	exec(`UPDATE authz_requests SET clinical_note = 'Planted text' WHERE id = ?`, to)
	if r, err = az.Request(ctx, to); err != nil || r.ClinicalNote != models.UnreadableNote {
		t.Errorf("planted plain text reads %q (%v)", r.ClinicalNote, err)
	}

	// Saving the stand-in unchanged keeps the stored value (it is not saved as a note).
	draft := namedRequest(t, e, models.AuthzDraft)
	exec(`UPDATE authz_requests SET clinical_note = ? WHERE id = ?`, sealed, draft)
	if err := az.SaveNote(ctx, e.user(t, "manager@sunrise.example"), draft, models.UnreadableNote, e.d.Now()); err != nil {
		t.Fatal(err)
	}
	if got := rawString(t, e, `SELECT clinical_note FROM authz_requests WHERE id = ?`, draft); got != sealed {
		t.Errorf("saving the stand-in replaced the stored note with %q", got)
	}
}

// TestSealPendingNotes: notes written in plain text before this version are sealed once
// at start, and the migration's list is emptied.
func TestSealPendingNotes(t *testing.T) {
	e, az := authzEnv(t)
	ctx := context.Background()
	id := namedRequest(t, e, models.AuthzApproved)
	const old = "Written before notes were sealed: three weeks of radicular pain."
	if _, err := e.d.W.Exec(`UPDATE authz_requests SET decision_note = ? WHERE id = ?`, old, id); err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.W.Exec(`INSERT OR IGNORE INTO notes_to_seal(tbl) VALUES ('authz_requests')`); err != nil {
		t.Fatal(err)
	}
	n, err := models.SealPendingNotes(ctx, e.d, e.keys)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("sealed %d notes, want 1 (the others were sealed already)", n)
	}
	if raw := rawString(t, e, `SELECT decision_note FROM authz_requests WHERE id = ?`, id); strings.Contains(raw, "radicular") {
		t.Fatalf("decision_note still plain text: %q", raw)
	}
	r, err := az.Request(ctx, id)
	if err != nil || r.DecisionNote != old {
		t.Fatalf("converted note reads %q (%v)", r.DecisionNote, err)
	}
	if left := rawString(t, e, `SELECT CAST(COUNT(*) AS TEXT) FROM notes_to_seal`); left != "0" {
		t.Errorf("%s tables still listed to seal", left)
	}
	if n, err := models.SealPendingNotes(ctx, e.d, e.keys); err != nil || n != 0 {
		t.Errorf("second run sealed %d (%v), want 0", n, err)
	}
	file, err := os.ReadFile(e.d.Path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(file, []byte("radicular pain")) {
		t.Error("the converted plain text is still in the database file")
	}
}

// TestRefuseWithoutKeyFileForNotes: sealed notes alone (no secure messages) are enough
// for a start without the key file to be refused, rather than a new key file made that
// cannot open them.
func TestRefuseWithoutKeyFileForNotes(t *testing.T) {
	e := newMsgEnv(t)
	ctx := context.Background()
	// Leave only the notes: no message is left to protect.
	for _, q := range []string{`PRAGMA foreign_keys = OFF`, `DELETE FROM messages`, `PRAGMA foreign_keys = ON`} {
		if _, err := e.d.W.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Rename(e.keyPath, e.keyPath+".away"); err != nil {
		t.Fatal(err)
	}
	_, err := models.OpenKeyring(ctx, e.keyPath, e.d)
	if !errors.Is(err, models.ErrKeyFileMissing) || !strings.Contains(err.Error(), "encrypted notes") {
		t.Fatalf("err = %v, want a refusal naming the encrypted notes", err)
	}
	if _, err := os.Stat(e.keyPath); !os.IsNotExist(err) {
		t.Fatal("a new key file was created")
	}
}
