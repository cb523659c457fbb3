package handlers

import (
	"strings"
	"testing"

	"portico/models"
)

// TestAuthzNotesAtRest: the clinical summary an office types is sealed in its row while
// the pages show it; copied to another request, the other request's pages show the
// stand-in (models.UnreadableNote) with status 200, never the copied text.
func TestAuthzNotesAtRest(t *testing.T) {
	ta := newTestApp(t)
	mgr := ta.as(azManager)
	id := fillDraft(t, ta, mgr)
	const typed = "Eight weeks of back pain with L5 radiculopathy."

	var raw string
	if err := ta.db.R.QueryRow(`SELECT clinical_note FROM authz_requests WHERE id = ?`, id).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if raw == "" || strings.Contains(raw, "radiculopathy") {
		t.Fatalf("clinical_note column holds %q, want ciphertext", raw)
	}
	mgr.get("/authorizations/drafts/"+id+"/review").mustStatus(t, 200).mustContain(t, typed)
	mgr.get("/authorizations/drafts/"+id+"/attachments").mustStatus(t, 200).mustContain(t, typed)

	// Copy the ciphertext onto the account's approved demo request.
	var other int64
	var no string
	if err := ta.db.R.QueryRow(`SELECT r.id, r.tracking_no FROM authz_requests r JOIN members m ON m.id = r.member_pk
		WHERE m.member_id = 'A100000001' AND r.status = 'approved' AND r.created_by IS NOT NULL`).Scan(&other, &no); err != nil {
		t.Fatal(err)
	}
	if _, err := ta.db.W.Exec(`UPDATE authz_requests SET clinical_note = ? WHERE id = ?`, raw, other); err != nil {
		t.Fatal(err)
	}
	mgr.get("/authorizations/"+no).mustStatus(t, 200).mustContain(t, models.UnreadableNote).mustNotContain(t, "L5 radiculopathy")
	ta.as(azNurse).get("/authorizations/review/"+no).mustStatus(t, 200).mustContain(t, models.UnreadableNote).mustNotContain(t, "L5 radiculopathy")
	// The draft's own note still shows.
	mgr.get("/authorizations/drafts/"+id+"/review").mustStatus(t, 200).mustContain(t, typed)
}
