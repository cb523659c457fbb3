package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portico/models"
)

// clinID reads one integer from the database.
func (ta *testApp) clinID(t testing.TB, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := ta.db.R.QueryRow(q, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

const (
	jane   = "manager@sunrise.example"
	carlos = "staff@sunrise.example" // Sunrise staff without medical_management
	priya  = "manager@valley.example"
	nurse  = "nurse@plan.example" // reviewer and case manager
	rep    = "rep@plan.example"   // plan associate, not a case manager
)

var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// TestClinicalAccessMatrix tries every clinical route as the right user and as each
// wrong one: signed out, an office user without medical_management, another account
// (no care relationship), plan staff without case_manager, and plan staff on office
// routes. Nothing but the right user sees member data.
func TestClinicalAccessMatrix(t *testing.T) {
	ta := newTestApp(t)
	maria := ta.clinID(t, "SELECT id FROM members WHERE member_id = 'A100000001'")
	robert := ta.clinID(t, "SELECT id FROM members WHERE member_id = 'D300000001'")
	aid := ta.clinID(t, "SELECT id FROM assessments WHERE member_pk = ? AND status = 'submitted'", maria)
	pid := ta.clinID(t, "SELECT id FROM care_plans WHERE member_pk = ? AND kind = 'self_management'", maria)
	did := ta.clinID(t, "SELECT id FROM care_coordination_documents WHERE member_pk = ? LIMIT 1", robert)
	rid := ta.clinID(t, "SELECT id FROM referrals WHERE member_pk = ? AND status = 'received'", maria)
	robertRef := ta.clinID(t, "SELECT id FROM referrals WHERE member_pk = ?", robert)
	robertAtt := ta.clinID(t, "SELECT id FROM referral_attachments WHERE referral_id = ?", robertRef)
	mariaPages := []string{
		"/members/A100000001/assessments",
		fmt.Sprintf("/members/A100000001/assessments/%d", aid),
		"/members/A100000001/care-plan",
		fmt.Sprintf("/members/A100000001/care-plan/%d", pid),
		"/members/A100000001/health-records",
		"/members/A100000001/health-records/labs",
		"/members/A100000001/referrals",
	}
	robertPages := []string{"/members/D300000001/care-coordination", fmt.Sprintf("/members/D300000001/care-coordination/%d", did)}
	posts := []string{"/members/A100000001/assessments", "/members/A100000001/assessments/draft/1", "/members/A100000001/assessments/submit",
		"/members/A100000001/assessments/discard", "/members/A100000001/referrals"}
	staffPages := []string{"/care", "/care/members/A100000001", fmt.Sprintf("/care/referrals/%d", rid),
		fmt.Sprintf("/care/members/A100000001/care-plans/%d", pid), "/care/members/A100000001/health-records/labs",
		fmt.Sprintf("/care/members/A100000001/assessments/%d", aid), fmt.Sprintf("/care/members/D300000001/documents/%d", did),
		fmt.Sprintf("/care/referrals/%d/attachments/%d", robertRef, robertAtt)}
	staffPosts := []string{"/care/lookup", fmt.Sprintf("/care/referrals/%d", rid), "/care/members/A100000001/care-plans",
		fmt.Sprintf("/care/members/A100000001/care-plans/%d", pid), fmt.Sprintf("/care/members/A100000001/care-plans/%d/items", pid),
		"/care/members/D300000001/documents"}

	var cases []scenario
	for _, p := range mariaPages {
		cases = append(cases,
			scenario{name: "jane " + p, as: jane, url: p, wantStatus: 200, wantContains: []string{"Maria Lopez"}},
			scenario{name: "signed out " + p, url: p, wantStatus: http.StatusSeeOther},
			scenario{name: "no medical_management " + p, as: carlos, url: p, wantStatus: 403, wantNotContains: []string{"Hemoglobin", "Self-Management", "CM-0"}},
			scenario{name: "other account " + p, as: priya, url: p, wantStatus: 403, wantContains: []string{"care relationship"}, wantNotContains: []string{"Hemoglobin", "Self-Management", "CM-0"}},
			scenario{name: "plan associate " + p, as: rep, url: p, wantStatus: 403},
			scenario{name: "case manager on office route " + p, as: nurse, url: p, wantStatus: 403},
		)
	}
	for _, p := range robertPages {
		cases = append(cases,
			scenario{name: "priya " + p, as: priya, url: p, wantStatus: 200},
			scenario{name: "other account " + p, as: jane, url: p, wantStatus: 403, wantContains: []string{"care relationship"}},
			scenario{name: "signed out " + p, url: p, wantStatus: http.StatusSeeOther},
		)
	}
	for _, p := range posts {
		cases = append(cases,
			scenario{name: "post no medical_management " + p, as: carlos, method: "POST", url: p, wantStatus: 403},
			scenario{name: "post other account " + p, as: priya, method: "POST", url: p, wantStatus: 403},
			scenario{name: "post case manager on office route " + p, as: nurse, method: "POST", url: p, wantStatus: 403},
			scenario{name: "post signed out " + p, method: "POST", url: p, wantStatus: 403},
		)
	}
	for _, p := range staffPages {
		cases = append(cases,
			scenario{name: "nurse " + p, as: nurse, url: p, wantStatus: 200},
			scenario{name: "plan associate " + p, as: rep, url: p, wantStatus: 403},
			scenario{name: "office manager " + p, as: jane, url: p, wantStatus: 403},
			scenario{name: "signed out " + p, url: p, wantStatus: http.StatusSeeOther},
		)
	}
	for _, p := range staffPosts {
		cases = append(cases,
			scenario{name: "post plan associate " + p, as: rep, method: "POST", url: p, wantStatus: 403},
			scenario{name: "post office manager " + p, as: jane, method: "POST", url: p, wantStatus: 403},
		)
	}
	// Another account's referral attachment through this member's path, and another
	// member's document through a member without documents, are not found.
	cases = append(cases,
		scenario{name: "another account's attachment", as: jane, url: fmt.Sprintf("/members/A100000001/referrals/%d/attachments/%d", robertRef, robertAtt), wantStatus: 404},
		scenario{name: "another account's referral by its own member", as: priya, url: fmt.Sprintf("/members/D300000001/referrals/%d/attachments/%d", rid, robertAtt), wantStatus: 404},
		scenario{name: "admin settings as case manager", as: nurse, url: "/care/settings", wantStatus: 403},
		scenario{name: "admin settings", as: "admin@plan.example", url: "/care/settings", wantStatus: 200, wantContains: []string{"Medi-Cal"}},
		scenario{name: "due list without medical_management", as: carlos, url: "/assessments/due", wantStatus: 403},
	)
	runScenarios(t, ta, cases)
	if n := ta.auditCount("member.view.denied", "A100000001"); n == 0 {
		t.Error("refusals of Maria's record were not audited")
	}
}

// TestClinicalSectionsOffered: care coordination only for D-SNP members; assessments
// where the plan type requires them (the setting) or the member has some on file.
func TestClinicalSectionsOffered(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as(jane)
	c.get("/members/A100000001").mustStatus(t, 200).
		mustContain(t, `/members/A100000001/care-plan"`, `/members/A100000001/health-records"`, `/members/A100000001/referrals"`,
			`/members/A100000001/assessments"`). // Commercial, but her assessment is on file
		mustNotContain(t, "Care Coordination Documents", "will be available here soon")
	c.get("/members/A100000001/care-coordination").mustStatus(t, 404)
	c.get("/members/M200000002").mustStatus(t, 200).mustContain(t, `/members/M200000002/assessments"`, "Health risk assessment due").
		mustNotContain(t, "Care Coordination Documents")
	ta.as(priya).get("/members/D300000001").mustStatus(t, 200).mustContain(t, "Care Coordination Documents", "Health risk assessment due")

	// A Commercial member of Sunrise's panel with no assessment: no Assessments section
	// until the plan requires assessments for Commercial.
	var other string
	if err := ta.db.R.QueryRow(`SELECT member_id FROM members m WHERE m.plan_type = 'commercial' AND m.pcp_tin_id = (SELECT id FROM tins WHERE tin = '951234567')
		AND m.member_id <> 'A100000001' AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.member_pk = m.id) LIMIT 1`).Scan(&other); err != nil {
		t.Fatal(err)
	}
	c.get("/members/"+other).mustStatus(t, 200).mustNotContain(t, "/members/"+other+"/assessments")
	c.get("/members/"+other+"/assessments").mustStatus(t, 404)
	admin := ta.as("admin@plan.example")
	admin.get("/care/settings").mustStatus(t, 200)
	admin.post("/care/settings", url.Values{"pt_commercial": {"1"}, "pt_medical": {"1"}, "pt_medicare": {"1"}}).mustStatus(t, http.StatusSeeOther)
	if ta.auditCount("settings.update", "") != 1 {
		t.Error("the settings change was not audited")
	}
	c.get("/members/"+other).mustStatus(t, 200).mustContain(t, "/members/"+other+"/assessments", "Health risk assessment due")
	c.get("/members/"+other+"/assessments").mustStatus(t, 200)
}

// hraForm is the answers of one section as the radio buttons post them.
func hraForm(n int, answers map[string]string, goTo string) url.Values {
	f := url.Values{"go": {goTo}}
	for _, q := range models.HRASections[n-1].Questions {
		if v, ok := answers[q.Key]; ok {
			f.Set(q.Key, v)
		}
	}
	return f
}

// TestAssessmentDraftSurvivesSignOut: the manager answers the first section of Linda
// Smith's assessment, signs out, signs in again and finds her answers; she finishes,
// submits and sees the computed risk level; Linda is no longer due.
func TestAssessmentDraftSurvivesSignOut(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as(jane)
	c.get("/members/M200000002").mustContain(t, "Health risk assessment due")
	r := c.post("/members/M200000002/assessments", nil).mustStatus(t, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/members/M200000002/assessments/draft/1" {
		t.Fatalf("start went to %q", loc)
	}
	answers := map[string]string{}
	for _, s := range models.HRASections {
		for _, q := range s.Questions {
			answers[q.Key] = q.Options[0].Value
		}
	}
	answers["general_health"], answers["diabetes"], answers["phq_interest"], answers["phq_down"] = "poor", "yes", "2", "2"
	c.post("/members/M200000002/assessments/draft/1", hraForm(1, answers, "save")).mustStatus(t, http.StatusSeeOther)
	// A bad answer is refused with a message, keeping what was typed.
	bad := hraForm(2, answers, "next")
	bad.Set("kidney", "maybe")
	c.post("/members/M200000002/assessments/draft/2", bad).mustStatus(t, 422).mustContain(t, "Choose one of the answers offered")

	c.post("/logout", nil).mustStatus(t, http.StatusSeeOther)
	c.get("/members/M200000002/assessments/draft/1").mustStatus(t, http.StatusSeeOther) // signed out: to the sign-in page
	c = ta.as(jane)
	c.get("/members/M200000002/assessments").mustStatus(t, 200).mustContain(t, "You have a draft", "4 of 25 questions answered")
	page := c.get("/members/M200000002/assessments/draft/1").mustStatus(t, 200).Body
	if !strings.Contains(page, `name="general_health" value="poor" checked`) {
		t.Fatal("the saved answer is not checked after signing in again")
	}
	// Submitting early lists what is missing.
	c.post("/members/M200000002/assessments/submit", nil).mustStatus(t, 422).mustContain(t, "Answer this question")
	for _, s := range models.HRASections {
		c.post(fmt.Sprintf("/members/M200000002/assessments/draft/%d", s.N), hraForm(s.N, answers, "next")).mustStatus(t, http.StatusSeeOther)
	}
	c.get(fmt.Sprintf("/members/M200000002/assessments/draft/%d", models.HRASectionCount+1)).mustStatus(t, 200).
		mustContain(t, "Review and submit", "Risk level if submitted now")
	r = c.post("/members/M200000002/assessments/submit", nil).mustStatus(t, http.StatusSeeOther)
	show := c.get(r.Header.Get("Location")).mustStatus(t, 200)
	// poor 2 + diabetes 1 + PHQ-2 4 (positive, +3) = 10: high.
	show.mustContain(t, "Assessment submitted", `status-bad">High</span> (score 10)`, "positive screen", "Jane Doe, Sunrise Family Medicine")
	// The answers the page lists are sealed in the row (the question keys and values too).
	show.mustContain(t, "<dd>Poor</dd>")
	var stored string
	if err := ta.db.R.QueryRow(`SELECT answers FROM assessments WHERE member_pk = (SELECT id FROM members WHERE member_id = 'M200000002')`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "enc:v1:") || strings.Contains(stored, "general_health") || strings.Contains(stored, "poor") {
		t.Errorf("answers stored as %q", stored)
	}
	c.get("/members/M200000002").mustNotContain(t, "Health risk assessment due")
	var status, risk string
	if err := ta.db.R.QueryRow(`SELECT status, risk FROM assessments WHERE member_pk = (SELECT id FROM members WHERE member_id = 'M200000002')`).Scan(&status, &risk); err != nil {
		t.Fatal(err)
	}
	if status != "submitted" || risk != models.RiskHigh {
		t.Errorf("stored %s %s", status, risk)
	}
	for _, a := range []string{"assessment.start", "assessment.save", "assessment.submit", "assessment.view"} {
		if ta.auditCount(a, "M200000002") == 0 {
			t.Errorf("no %s audit entry", a)
		}
	}
}

// TestHRADueOnDashboard: with Medi-Cal chosen, the dashboard counts the members of the
// account's panel who are due, and the count drops when one is assessed.
func TestHRADueOnDashboard(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as(jane)
	c.post("/dashboard/context", url.Values{"tin_id": {ta.tinID(t, "951234567")}, "plan_type": {models.PlanMediCal}}).mustStatus(t, http.StatusSeeOther)
	due := regexp.MustCompile(`(\d+)</[a-z]+>\s*members due for a health risk assessment|(\d+) members due for a health risk assessment`)
	count := func() string {
		b := c.get("/dashboard").mustStatus(t, 200).Body
		m := due.FindStringSubmatch(b)
		if m == nil {
			t.Fatal("no due count in the action-required bar")
		}
		return m[1] + m[2]
	}
	before := count()
	list := c.get("/assessments/due").mustStatus(t, 200)
	list.mustContain(t, "Linda Smith", before+" total")
	a := models.Assessments{DB: ta.db, Keys: ta.h.st.Assessments.Keys}
	who := models.Author{UserID: 1, Name: "x"}
	linda := ta.clinID(t, "SELECT id FROM members WHERE member_id = 'M200000002'")
	d, err := a.StartDraft(t.Context(), linda, who, models.AuditEntry{})
	if err != nil {
		t.Fatal(err)
	}
	full := map[string]string{}
	for _, s := range models.HRASections {
		for _, q := range s.Questions {
			full[q.Key] = q.Options[0].Value
		}
	}
	d.Answers = full
	if _, err := a.Submit(t.Context(), d, models.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	ta.h.invalidateHRADue()
	if after := count(); after == before {
		t.Errorf("due count stayed %s after Linda's assessment", after)
	}
	// Commercial chosen: assessments are not required, so no count.
	c.post("/dashboard/context", url.Values{"tin_id": {ta.tinID(t, "951234567")}, "plan_type": {models.PlanCommercial}}).mustStatus(t, http.StatusSeeOther)
	if due.MatchString(c.get("/dashboard").Body) {
		t.Error("a due count is shown with Commercial chosen")
	}
}

// TestReferralFlow: the office refers with an attachment, the case manager sees it in
// the queue, declines without a reason (refused), accepts; the office sees the status,
// the case manager and the answer on the record and in Recent Activity.
func TestReferralFlow(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as(jane)
	// Bad input: 422, messages, and what was typed is kept.
	c.msgPostMultipart("/members/M200000002/referrals", url.Values{"reason": {"hunch"}, "urgency": {"routine"}, "contact_name": {"Jane"},
		"contact_phone": {"12"}, "notes": {"Keep this note"}}).
		mustStatus(t, 422).mustContain(t, "Choose the reason", "Enter a phone number", "Keep this note")
	c.msgPostMultipart("/members/M200000002/referrals", url.Values{"reason": {"complex_case"}, "urgency": {"urgent"}, "contact_name": {"Jane"},
		"contact_phone": {"916-555-0142"}, "notes": {strings.Repeat("x", models.MaxNotes+1)}}).
		mustStatus(t, 422).mustContain(t, "Keep the notes to 4000 characters or fewer")
	c.msgPostMultipart("/members/M200000002/referrals", url.Values{"reason": {"complex_case"}, "urgency": {"urgent"}, "contact_name": {"Jane"},
		"contact_phone": {"916-555-0142"}, "notes": {"Kept"}}, msgFile{"evil.pdf", []byte("MZ\x90\x00 not a pdf at all \x00\x01")}).
		mustStatus(t, 422).mustContain(t, "was refused", "Kept")
	c.msgPostMultipart("/members/M200000002/referrals", url.Values{"reason": {"complex_case"}, "urgency": {"urgent"}, "contact_name": {"Jane Doe"},
		"contact_phone": {"916-555-0142"}, "notes": {"Uncontrolled hypertension and missed visits."}},
		msgFile{"bp-log.txt", []byte("BP log: 150/95, 148/92\n")}).mustStatus(t, http.StatusSeeOther)
	rid := ta.clinID(t, "SELECT MAX(id) FROM referrals")
	ref := models.ReferralNumber(rid)
	c.get("/members/M200000002/referrals").mustStatus(t, 200).mustContain(t, ref, "Received", "bp-log.txt")

	n := ta.as(nurse)
	n.get("/dashboard").mustStatus(t, 200).mustContain(t, "urgent referrals not yet accepted", "referrals waiting for a case manager", `href="/care"`)
	ta.as(rep).get("/dashboard").mustStatus(t, 200).mustNotContain(t, "referrals waiting for a case manager")
	n.get("/care").mustStatus(t, 200).mustContain(t, ref, "Linda Smith")
	n.get(fmt.Sprintf("/care/referrals/%d", rid)).mustStatus(t, 200).mustContain(t, "Uncontrolled hypertension", "bp-log.txt")
	n.post(fmt.Sprintf("/care/referrals/%d", rid), url.Values{"action": {"decline"}}).mustStatus(t, 422).mustContain(t, "Give the reason for declining")
	n.post(fmt.Sprintf("/care/referrals/%d", rid), url.Values{"action": {"close"}, "answer": {"done"}}).mustStatus(t, http.StatusSeeOther) // not accepted yet: refused
	var status string
	ta.db.R.QueryRow("SELECT status FROM referrals WHERE id = ?", rid).Scan(&status)
	if status != models.ReferralReceived {
		t.Fatalf("closing a received referral changed it to %s", status)
	}
	n.post(fmt.Sprintf("/care/referrals/%d", rid), url.Values{"action": {"accept"}, "answer": {"I will call the member this week."}}).mustStatus(t, http.StatusSeeOther)

	c.get("/members/M200000002/referrals").mustStatus(t, 200).mustContain(t, "Accepted", "Grace Kim, RN", "I will call the member this week.")
	c.get("/dashboard").mustContain(t, "A case manager answered a care management referral")
	n.post(fmt.Sprintf("/care/referrals/%d", rid), url.Values{"action": {"close"}, "answer": {"Enrolled in complex case management."}}).mustStatus(t, http.StatusSeeOther)
	c.get("/members/M200000002/referrals").mustContain(t, "Closed", "Enrolled in complex case management.")
	for _, a := range []string{"referral.submit", "referral.accept", "referral.close", "referral.view"} {
		if ta.auditCount(a, "") == 0 {
			t.Errorf("no %s audit entry", a)
		}
	}
	// The attachment downloads to the office and the case manager, audited.
	aid := ta.clinID(t, "SELECT id FROM referral_attachments WHERE referral_id = ?", rid)
	dl := c.get(fmt.Sprintf("/members/M200000002/referrals/%d/attachments/%d", rid, aid)).mustStatus(t, 200)
	if dl.Body != "BP log: 150/95, 148/92\n" || !strings.Contains(dl.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download: %q %q", dl.Body, dl.Header.Get("Content-Disposition"))
	}
	if ta.auditCount("referral.attachment_download", "M200000002") != 1 {
		t.Error("download not audited")
	}
}

// TestCarePlanByCaseManager: the case manager creates a plan, adds a goal and changes
// its status; the office reads it with its history; rules are enforced.
func TestCarePlanByCaseManager(t *testing.T) {
	ta := newTestApp(t)
	n := ta.as(nurse)
	n.post("/care/members/M200000002/care-plans", url.Values{"kind": {"self_management"}, "title": {"Blood pressure plan"}}).
		mustStatus(t, 422).mustContain(t, "Self-Management")
	r := n.post("/care/members/M200000002/care-plans", url.Values{"kind": {"medical"}, "title": {"Hypertension care plan"}, "narrative": {"Stage 2 hypertension."}}).
		mustStatus(t, http.StatusSeeOther)
	loc := r.Header.Get("Location")
	n.post(loc+"/items", url.Values{"item_kind": {"goal"}, "item_text": {"BP below 130/80"}, "item_status_goal": {"not_started"}}).
		mustStatus(t, 422).mustContain(t, "A goal needs a target date")
	n.post(loc+"/items", url.Values{"item_kind": {"goal"}, "item_text": {"BP below 130/80"}, "target_date": {"2027-03-01"}, "item_status_goal": {"in_progress"}}).
		mustStatus(t, http.StatusSeeOther)
	iid := ta.clinID(t, "SELECT MAX(id) FROM care_plan_items")
	n.post(fmt.Sprintf("%s/items/%d", loc, iid), url.Values{"status": {"met"}}).mustStatus(t, http.StatusSeeOther)
	pid := ta.clinID(t, "SELECT MAX(id) FROM care_plans")
	c := ta.as(jane)
	c.get("/members/M200000002/care-plan").mustStatus(t, 200).mustContain(t, "Hypertension care plan", "Medical care plan")
	c.get(fmt.Sprintf("/members/M200000002/care-plan/%d", pid)).mustStatus(t, 200).
		mustContain(t, "BP below 130/80", "03/01/2027", "Met", "Created the plan", "In progress → Met", "Print").
		mustNotContain(t, "Add to the plan") // offices read, they do not edit
	// What the pages show is sealed in the rows (models/note_seal.go).
	var raw string
	if err := ta.db.R.QueryRow(`SELECT p.title || p.narrative || group_concat(i.text) || (SELECT group_concat(what) FROM care_plan_history WHERE plan_id = p.id)
		FROM care_plans p JOIN care_plan_items i ON i.plan_id = p.id WHERE p.id = ?`, pid).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Hypertension", "Stage 2", "BP below", "Created the plan"} {
		if strings.Contains(raw, w) {
			t.Errorf("care plan %d holds %q in plain text", pid, w)
		}
	}
	if ta.auditCount("care_plan.create", "M200000002") != 1 || ta.auditCount("care_plan.item_status", "M200000002") != 1 || ta.auditCount("care_plan.view", "M200000002") != 1 {
		t.Error("care plan changes or view not audited")
	}
}

// TestCareDocuments: case managers upload PDF or text for D-SNP members only; the
// office downloads exactly what was uploaded.
func TestCareDocuments(t *testing.T) {
	ta := newTestApp(t)
	n := ta.as(nurse)
	form := url.Values{"doc_type": {"Care coordination letter"}, "doc_date": {"2026-11-20"}}
	n.msgPostMultipart("/care/members/D300000001/documents", form, msgFile{"pic.png", pngBytes}).mustStatus(t, 422).mustContain(t, "PDF or plain text")
	n.msgPostMultipart("/care/members/A100000001/documents", form, msgFile{"letter.txt", []byte("Dear Dr.\n")}).mustStatus(t, 404)
	n.msgPostMultipart("/care/members/D300000001/documents", form, msgFile{"letter.txt", []byte("Care coordination letter for the PCP.\n")}).
		mustStatus(t, http.StatusSeeOther)
	did := ta.clinID(t, "SELECT MAX(id) FROM care_coordination_documents")
	p := ta.as(priya)
	p.get("/members/D300000001/care-coordination").mustStatus(t, 200).mustContain(t, "Care coordination letter", "11/20/2026", "Grace Kim, RN")
	dl := p.get(fmt.Sprintf("/members/D300000001/care-coordination/%d", did)).mustStatus(t, 200)
	if dl.Body != "Care coordination letter for the PCP.\n" || !strings.HasPrefix(dl.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("download: %q %q", dl.Body, dl.Header.Get("Content-Type"))
	}
	if ta.auditCount("care_document.upload", "D300000001") != 1 || ta.auditCount("care_document.download", "D300000001") != 1 {
		t.Error("upload or download not audited")
	}
}

// TestHealthRecords: every tab pages and shows what the issue asks; views are audited.
func TestHealthRecords(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as(jane)
	c.get("/members/A100000001/health-records").mustStatus(t, 200).mustContain(t, "Visit note", "A1c 7.9%", "Diabetes follow-up")
	// The visit's reason and note the page shows are sealed in its row.
	if n := ta.clinID(t, `SELECT COUNT(*) FROM health_visits WHERE reason LIKE '%Diabetes follow-up%' OR note LIKE '%A1c 7.9%%'
		OR (reason <> '' AND reason NOT LIKE 'enc:v1:%') OR (note <> '' AND note NOT LIKE 'enc:v1:%')`); n != 0 {
		t.Errorf("%d visits hold their reason or note in plain text", n)
	}
	c.get("/members/A100000001/health-records/labs").mustStatus(t, 200).
		mustContain(t, "Hemoglobin A1c", "7.9", "4.0–5.6", `status-bad">High`, `status-ok">Normal`, "total")
	c.get("/members/A100000001/health-records/medications").mustStatus(t, 200).mustContain(t, "metformin", "Current", "1 tablet twice daily with meals")
	if n := ta.clinID(t, `SELECT COUNT(*) FROM health_medications WHERE directions <> '' AND directions NOT LIKE 'enc:v1:%'`); n != 0 {
		t.Errorf("%d medications hold their directions in plain text", n)
	}
	c.get("/members/A100000001/health-records/immunizations").mustStatus(t, 200).mustContain(t, "Tdap")
	c.get("/members/A100000001/health-records/allergies").mustStatus(t, 200).mustContain(t, "Shellfish", "Severe")
	c.get("/members/M200000001/health-records/visits").mustStatus(t, 200).mustContain(t, "Behavioral health", "Counseling session")
	c.get("/members/A100000001/health-records/secrets").mustStatus(t, 404)
	csv := c.get("/members/A100000001/health-records/labs.csv").mustStatus(t, 200).mustContain(t, "collected,test,value", "Hemoglobin A1c,7.9,%,4.0–5.6,High")
	if !strings.Contains(csv.Header.Get("Content-Disposition"), "a100000001-labs.csv") {
		t.Errorf("CSV disposition %q", csv.Header.Get("Content-Disposition"))
	}
	ta.as(priya).get("/members/A100000001/health-records/labs.csv").mustStatus(t, 403).mustNotContain(t, "Hemoglobin")
	ta.as(carlos).get("/members/A100000001/health-records/labs.csv").mustStatus(t, 403)
	if ta.auditCount("health_record.download", "A100000001") != 1 {
		t.Error("CSV download not audited")
	}
	// The visits' CSV carries the opened text too.
	c.get("/members/A100000001/health-records/visits.csv").mustStatus(t, 200).mustContain(t, "Diabetes follow-up", "A1c 7.9%")
	if ta.auditCount("health_record.view", "A100000001") != 5 {
		t.Errorf("%d health record views audited, want 5", ta.auditCount("health_record.view", "A100000001"))
	}
}

// TestNoComingSoonText crawls the signed-in pages of an office manager, a case manager
// and the plan admin, following every link, and fails on any page that says a feature
// is coming.
func TestNoComingSoonText(t *testing.T) {
	ta := newTestApp(t)
	bad := regexp.MustCompile(`(?i)coming soon|available here soon|will be available|under construction`)
	href := regexp.MustCompile(`href="(/[^"#]*)"`)
	for _, who := range []string{jane, priya, nurse, "admin@plan.example"} {
		c := ta.as(who)
		seen := map[string]bool{}
		queue := []string{"/dashboard", "/members/A100000001", "/members/M200000002", "/members/D300000001", "/care"}
		for len(queue) > 0 && len(seen) < 250 {
			p := queue[0]
			queue = queue[1:]
			if seen[p] {
				continue
			}
			seen[p] = true
			r := c.get(p)
			if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
				continue
			}
			if m := bad.FindString(r.Body); m != "" {
				t.Errorf("%s sees %q on %s", who, m, p)
			}
			for _, m := range href.FindAllStringSubmatch(r.Body, -1) {
				u := strings.ReplaceAll(m[1], "&amp;", "&")
				if strings.HasPrefix(u, "/static/") || strings.HasPrefix(u, "/logout") || strings.Contains(u, "/admin/demo") || strings.Contains(u, "?") {
					continue
				}
				queue = append(queue, u)
			}
		}
		if len(seen) < 20 {
			t.Errorf("%s: crawled only %d pages", who, len(seen))
		}
	}
}

// TestClinicalQueriesUseIndexes: no clinical page or queue query scans a whole table
// (members, claims, or the clinical tables themselves).
func TestClinicalQueriesUseIndexes(t *testing.T) {
	ta := newTestApp(t)
	clinical := regexp.MustCompile(`^SCAN (assessments|care_plans|care_plan_items|health_\w+|referrals|referral_attachments|care_coordination_documents)( AS \w+)?$`)
	for _, q := range models.ClinicalPageQueries() {
		plan := queryPlan(t, ta, q.Name, q.SQL, q.Args)
		for _, detail := range plan {
			if fullScan(detail) || clinical.MatchString(detail) {
				t.Errorf("%s: full scan %q", q.Name, detail)
			}
		}
		t.Logf("%s: %s", q.Name, strings.Join(plan, " | "))
	}
}

// TestClinicalBadInput: nonsense sent to every clinical form by the right user is
// answered with a message (422), a refusal or "not found" — never a server error.
func TestClinicalBadInput(t *testing.T) {
	ta := newTestApp(t)
	long := strings.Repeat("é", 9000)
	garbage := url.Values{"reason": {long}, "urgency": {"<script>"}, "contact_name": {long}, "contact_phone": {long}, "notes": {long},
		"go": {"sideways"}, "general_health": {long}, "kind": {long}, "title": {long}, "narrative": {long}, "status": {long},
		"item_kind": {"'; DROP TABLE care_plans; --"}, "item_text": {long}, "target_date": {"13/45/2026"}, "owner": {long},
		"action": {long}, "answer": {long}, "assignee": {"-1"}, "member_id": {long}, "dob": {"yesterday"}, "doc_type": {long}, "doc_date": {"soon"}}
	c, n := ta.as(jane), ta.as(nurse)
	for _, p := range []string{"/members/M200000002/assessments", "/members/M200000002/assessments/draft/1", "/members/M200000002/assessments/draft/9",
		"/members/M200000002/assessments/draft/x", "/members/M200000002/assessments/submit", "/members/M200000002/referrals", "/members/NOPE/referrals"} {
		if r := c.post(p, garbage); r.Status >= 500 {
			t.Errorf("POST %s: %d", p, r.Status)
		}
	}
	pid := ta.clinID(t, "SELECT MIN(id) FROM care_plans")
	var mid string
	ta.db.R.QueryRow("SELECT m.member_id FROM care_plans p JOIN members m ON m.id = p.member_pk WHERE p.id = ?", pid).Scan(&mid)
	for _, p := range []string{"/care/lookup", "/care/referrals/1", "/care/referrals/99999999", "/care/referrals/abc", "/care/members/" + mid + "/care-plans",
		fmt.Sprintf("/care/members/%s/care-plans/%d", mid, pid), fmt.Sprintf("/care/members/%s/care-plans/%d/items", mid, pid),
		fmt.Sprintf("/care/members/%s/care-plans/%d/items/99999", mid, pid), "/care/members/D300000001/documents", "/care/members/NOPE/documents"} {
		if r := n.post(p, garbage); r.Status >= 500 {
			t.Errorf("POST %s: %d", p, r.Status)
		}
	}
	for _, p := range []string{"/members/A100000001/health-records/labs?page=-3", "/members/A100000001/health-records/labs?page=999999999999",
		"/members/A100000001/assessments/999999", "/members/A100000001/care-plan/abc", "/members/A100000001/referrals/1/attachments/x"} {
		if r := c.get(p); r.Status >= 500 {
			t.Errorf("GET %s: %d", p, r.Status)
		}
	}
	if n := ta.clinID(t, "SELECT COUNT(*) FROM care_plans WHERE title LIKE '%DROP%' OR length(title) > 200"); n != 0 {
		t.Error("bad input was stored")
	}
}
