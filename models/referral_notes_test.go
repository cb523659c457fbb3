package models

import (
	"context"
	"strings"
	"testing"
)

// TestReferralNotesSealedAtRest: a referral's notes and answer are ciphertext in their
// row while Get shows the text; a value copied to another referral or column shows the
// stand-in, and assigning leaves the stored answer as it was.
func TestReferralNotesSealedAtRest(t *testing.T) {
	ctx := context.Background()
	rs, office, cm, _ := clinicalFixture(t)
	audit := Actor{UserID: office.ID, Email: office.Email, AccountID: office.AccountID}.Stamp(AuditEntry{})
	const notes = "28 weeks, gestational diabetes, missed two visits."
	in := ReferralInput{Reason: "maternity", Urgency: "urgent", ContactName: "Office Manager", ContactPhone: "916-555-0100", Notes: notes}
	a, err := rs.Create(ctx, 1, office, in, audit)
	if err != nil {
		t.Fatal(err)
	}
	in.Notes = "Second referral."
	b, err := rs.Create(ctx, 1, office, in, audit)
	if err != nil {
		t.Fatal(err)
	}
	raw := func(id int64, col string) string {
		t.Helper()
		var s string
		if err := rs.DB.R.QueryRow(`SELECT `+col+` FROM referrals WHERE id = ?`, id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := raw(a.ID, "notes"); strings.Contains(got, "gestational") || !strings.HasPrefix(got, sealedNotePrefix) {
		t.Fatalf("notes column holds %q, want a sealed note", got)
	}
	if a.Notes != notes {
		t.Errorf("referral shows notes %q, want %q", a.Notes, notes)
	}
	const answer = "Declined: already in the county's maternity program."
	cmAudit := Actor{UserID: cm.ID, Email: cm.Email}.Stamp(AuditEntry{})
	d, err := rs.Decide(ctx, a.ID, cm, ReferralActDecline, 0, answer, cmAudit)
	if err != nil {
		t.Fatal(err)
	}
	if got := raw(a.ID, "answer"); strings.Contains(got, "county") || d.Answer != answer {
		t.Fatalf("answer column holds %q, referral shows %q", got, d.Answer)
	}

	// Assigning the other referral keeps its stored (empty) answer; then copy a's sealed
	// answer into it and a's notes into a's answer: neither opens.
	if _, err := rs.Decide(ctx, b.ID, cm, ReferralActAssign, cm.ID, "", cmAudit); err != nil {
		t.Fatal(err)
	}
	if got := raw(b.ID, "answer"); got != "" {
		t.Errorf("assigning wrote answer %q", got)
	}
	if _, err := rs.DB.W.Exec(`UPDATE referrals SET answer = (SELECT answer FROM referrals WHERE id = ?) WHERE id = ?`, a.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.DB.W.Exec(`UPDATE referrals SET answer = notes WHERE id = ?`, a.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{a.ID, b.ID} {
		r, err := rs.Get(ctx, id)
		if err != nil {
			t.Fatalf("a moved note fails the referral: %v", err)
		}
		if r.Answer != UnreadableNote {
			t.Errorf("referral %d shows the moved answer as %q", id, r.Answer)
		}
	}
	list, err := rs.ForMember(ctx, 1, 0)
	if err != nil || len(list) != 2 {
		t.Fatalf("list: %v (%d)", err, len(list))
	}
	for _, r := range list {
		if strings.HasPrefix(r.Notes, sealedNotePrefix) || strings.HasPrefix(r.Answer, sealedNotePrefix) {
			t.Errorf("the list shows ciphertext: %+v", r)
		}
	}
}
