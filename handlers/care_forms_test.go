package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"portico/models"
)

// TestCareLookupForm: the case managers' member look-up answers 422 with both messages
// and what was typed; a member ID whose date of birth does not match looks like no
// member; pasted spaces do not matter.
func TestCareLookupForm(t *testing.T) {
	ta := newTestApp(t)
	n := ta.as(nurse)
	n.post("/care/lookup", url.Values{"member_id": {""}, "dob": {"soon"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Enter the member ID.", "Enter the date of birth.", `value="soon"`)
	n.post("/care/lookup", url.Values{"member_id": {"M200000002"}, "dob": {"1979-01-21"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "No member has this member ID and date of birth.", `value="M200000002"`, `value="1979-01-21"`)
	n.post("/care/lookup", url.Values{"member_id": {strings.Repeat("M", 21)}, "dob": {"1979-01-20"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Keep the member ID to 20 characters or fewer.")
	r := n.post("/care/lookup", url.Values{"member_id": {" M200000002 "}, "dob": {"1979-01-20"}}).mustStatus(t, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/care/members/M200000002" {
		t.Errorf("the look-up went to %q", loc)
	}
	// A page that is not a page number shows the first page.
	n.get("/care?page=abc").mustStatus(t, http.StatusOK).mustContain(t, "Referrals to work")
}

// TestCarePlanEditForms: the plan's text and status and an item's status refuse bad
// values with the model's messages (422), keep the typed text, and change nothing.
func TestCarePlanEditForms(t *testing.T) {
	ta := newTestApp(t)
	n := ta.as(nurse)
	pid := ta.clinID(t, `SELECT p.id FROM care_plans p JOIN members m ON m.id = p.member_pk WHERE m.member_id = 'D300000001' AND p.kind = 'medical'`)
	iid := ta.clinID(t, "SELECT MIN(id) FROM care_plan_items WHERE plan_id = ?", pid)
	plan := fmt.Sprintf("/care/members/D300000001/care-plans/%d", pid)
	long := strings.Repeat("x", models.MaxPlanNarrative+1)
	n.post(plan, url.Values{"narrative": {long}, "status": {"active"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Use at most 8000 characters.", long)
	n.post(plan, url.Values{"narrative": {"Kept text"}, "status": {"paused"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Choose active or closed.", "Kept text")
	n.post(fmt.Sprintf("%s/items/%d", plan, iid), url.Values{"status": {"bogus"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Choose a status.")
	if ta.auditCount("care_plan.update", "D300000001") != 0 || ta.auditCount("care_plan.item_status", "D300000001") != 0 {
		t.Error("a refused change was written")
	}
	n.post(plan, url.Values{"narrative": {"Rewritten after the ICT meeting."}, "status": {"closed"}}).mustStatus(t, http.StatusSeeOther)
	n.get(plan).mustStatus(t, http.StatusOK).mustContain(t, "Rewritten after the ICT meeting.", "Status active → closed")
}

// TestCareDocUploadForm: a bad document type and date come back with the model's
// messages next to the fields and the date as typed.
func TestCareDocUploadForm(t *testing.T) {
	ta := newTestApp(t)
	n := ta.as(nurse)
	n.msgPostMultipart("/care/members/D300000001/documents", url.Values{"doc_type": {"Nonsense"}, "doc_date": {"soon"}},
		msgFile{"letter.txt", []byte("Letter.\n")}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Choose the document type.", "Enter the document&#39;s date as MM/DD/YYYY.", `value="soon"`, `id="doc_date-error"`)
	if n := ta.clinID(t, "SELECT COUNT(*) FROM care_coordination_documents WHERE name = 'letter.txt'"); n != 0 {
		t.Error("a refused document was stored")
	}
}

// TestCareReferralDecideForm: an assignment to someone who is not a case manager and an
// over-long answer are refused with messages, the answer kept.
func TestCareReferralDecideForm(t *testing.T) {
	ta := newTestApp(t)
	n := ta.as(nurse)
	rid := ta.clinID(t, "SELECT MIN(id) FROM referrals WHERE status = 'received'")
	ref := fmt.Sprintf("/care/referrals/%d", rid)
	n.post(ref, url.Values{"action": {"assign"}, "assignee": {"abc"}}).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "Choose a case manager.")
	long := strings.Repeat("a", models.MaxAnswer+1)
	n.post(ref, url.Values{"action": {"accept"}, "answer": {long}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Use at most 1000 characters.", long)
	var status string
	if err := ta.db.R.QueryRow("SELECT status FROM referrals WHERE id = ?", rid).Scan(&status); err != nil || status != models.ReferralReceived {
		t.Errorf("a refused decision changed the referral to %q (%v)", status, err)
	}
}

// TestCareAssessmentSettingsCoverEveryPlanType: the settings form has one box per plan
// type, and what is checked is what is stored.
func TestCareAssessmentSettingsCoverEveryPlanType(t *testing.T) {
	ta := newTestApp(t)
	a := ta.as("admin@plan.example")
	a.get("/care/settings").mustStatus(t, http.StatusOK)
	stored := func() []string {
		types, err := models.Assessments{DB: ta.db}.RequiredPlanTypes(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(types)
		return types
	}
	all := url.Values{}
	var want []string
	for _, p := range models.PlanTypes {
		all.Set("pt_"+p.Value, "1")
		want = append(want, p.Value)
	}
	slices.Sort(want)
	a.post("/care/settings", all).mustStatus(t, http.StatusSeeOther)
	if got := stored(); !slices.Equal(got, want) {
		t.Errorf("every box checked stored %v, want %v", got, want)
	}
	a.post("/care/settings", url.Values{"pt_" + models.PlanMediCal: {"1"}, "pt_" + models.PlanCommercial: {"on"}}).mustStatus(t, http.StatusSeeOther)
	if got := stored(); !slices.Equal(got, []string{models.PlanMediCal}) {
		t.Errorf("stored %v, want only Medi-Cal", got)
	}
}

// TestHRAFormCoversEveryQuestion: the section form decodes every question of the
// assessment, and nothing else, so a question added to models.HRASections cannot be
// dropped silently.
func TestHRAFormCoversEveryQuestion(t *testing.T) {
	fields := map[string]bool{}
	ft := reflect.TypeOf(hraSectionForm{})
	for i := 0; i < ft.NumField(); i++ {
		if k := ft.Field(i).Tag.Get("form"); k != "" && k != "go" {
			fields[k] = true
		}
	}
	n := 0
	for _, s := range models.HRASections {
		for _, q := range s.Questions {
			n++
			if !fields[q.Key] {
				t.Errorf("question %q has no field in hraSectionForm", q.Key)
			}
		}
	}
	if len(fields) != n {
		t.Errorf("hraSectionForm has %d answer fields for %d questions", len(fields), n)
	}
}
