package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"portico/models"
)

func TestPrivacyAccess(t *testing.T) {
	ta := newTestApp(t)
	var cases []scenario
	for _, u := range []string{"/privacy/requests", "/privacy/review", "/privacy/requests/1", "/privacy/members/M200000002/eob"} {
		cases = append(cases,
			scenario{name: "signed out " + u, url: u, wantStatus: http.StatusSeeOther},
			scenario{name: "office manager " + u, as: "manager@sunrise.example", url: u, wantStatus: http.StatusForbidden},
			scenario{name: "plan admin " + u, as: "admin@plan.example", url: u, wantStatus: http.StatusForbidden},
			scenario{name: "nurse " + u, as: "nurse@plan.example", url: u, wantStatus: http.StatusForbidden},
			scenario{name: "privacy officer " + u, as: "privacy@plan.example", url: u, wantStatus: http.StatusOK},
		)
	}
	for _, u := range []string{"/privacy/requests", "/privacy/requests/1", "/privacy/requests/1/complete", "/privacy/requests/1/end", "/privacy/corrections", "/privacy/review/1"} {
		cases = append(cases,
			scenario{name: "POST office manager " + u, as: "manager@sunrise.example", method: "POST", url: u, wantStatus: http.StatusForbidden},
			scenario{name: "POST associate " + u, as: "rep@plan.example", method: "POST", url: u, wantStatus: http.StatusForbidden},
		)
	}
	cases = append(cases,
		scenario{name: "unknown request", as: "privacy@plan.example", url: "/privacy/requests/999999", wantStatus: http.StatusNotFound},
		scenario{name: "unknown member EOB", as: "privacy@plan.example", url: "/privacy/members/Z999999999/eob", wantStatus: http.StatusNotFound},
	)
	runScenarios(t, ta, cases)
}

// TestConfidentialRequestFlow: a request recorded by the privacy officer gets its due
// date from the channel, shows in the queue, is amended, completed and ended, each step
// audited; bad input answers next to the fields and keeps what was typed.
func TestConfidentialRequestFlow(t *testing.T) {
	ta := newTestApp(t)
	po := ta.as("privacy@plan.example")
	today := ta.db.Today()
	us := today[5:7] + "/" + today[8:10] + "/" + today[0:4]
	r := po.post("/privacy/requests", url.Values{"member_id": {"A100000001"}, "channel": {"mail"}, "received_on": {us}, "scope": {"sensitive"}, "email": {"not-an-address"}}).
		mustStatus(t, http.StatusUnprocessableEntity)
	r.mustContain(t, "Enter an e-mail address such as", `value="not-an-address"`)
	r = po.post("/privacy/requests", url.Values{"member_id": {"A100000001"}, "channel": {"mail"}, "received_on": {"13/45/2026"}, "scope": {"sensitive"}, "address": {"PO Box 1"}}).
		mustStatus(t, http.StatusUnprocessableEntity)
	r.mustContain(t, "Enter the date received as MM/DD/YYYY.")
	r = po.post("/privacy/requests", url.Values{"member_id": {"A100000001"}, "channel": {"mail"}, "received_on": {us}, "scope": {"sensitive"}, "address": {"PO Box 1, Fresno, CA 93701"}}).
		mustStatus(t, http.StatusSeeOther)
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, "/privacy/requests/") {
		t.Fatalf("redirect to %q", loc)
	}
	due, _ := models.RequestDueOn(models.ChannelMail, today)
	page := po.get(loc).mustStatus(t, http.StatusOK)
	page.mustContain(t, "First-class mail", ta.h.formatDate(due), "PO Box 1, Fresno, CA 93701", "Due")
	if ta.auditCount("privacy.request.create", "A100000001") != 1 {
		t.Error("creating a request is not audited")
	}
	po.post(loc, url.Values{"member_id": {"A100000001"}, "channel": {"phone"}, "received_on": {us}, "scope": {"all"}, "phone": {"(559) 555-0100"}}).mustStatus(t, http.StatusSeeOther)
	due7, _ := models.RequestDueOn(models.ChannelPhone, today)
	po.get(loc).mustContain(t, "Phone", ta.h.formatDate(due7), "All communications")
	po.post(loc+"/complete", nil).mustStatus(t, http.StatusSeeOther)
	po.get(loc).mustContain(t, "Completed")
	po.post(loc+"/complete", nil).mustStatus(t, http.StatusConflict)
	po.post(loc+"/end", nil).mustStatus(t, http.StatusSeeOther)
	po.post(loc+"/end", nil).mustStatus(t, http.StatusConflict)
	for _, a := range []string{"privacy.request.amend", "privacy.request.complete", "privacy.request.end"} {
		if ta.auditCount(a, "A100000001") != 1 {
			t.Errorf("%s is not audited", a)
		}
	}
	// The demo's overdue request is counted on the privacy officer's dashboard.
	po.get("/dashboard").mustContain(t, "confidential communication requests overdue")
	po.get("/privacy/requests?view=overdue").mustContain(t, "Overdue")
}

// TestNoSubscriberDocumentCarriesAProtectedService generates the explanation of
// benefits addressed to every subscriber of the demo data and proves that nothing about
// a household member's withheld services (claim numbers, codes, descriptions, provider
// names with dates) is in it; Linda Smith's, through the page, says only that some
// services are reported separately.
func TestNoSubscriberDocumentCarriesAProtectedService(t *testing.T) {
	ta := newTestApp(t)
	ctx := context.Background()
	ps := models.Privacy{DB: ta.db}
	rows, err := ta.db.R.Query(`SELECT DISTINCT s.member_id FROM members d JOIN members s ON s.id = d.subscriber_id`)
	if err != nil {
		t.Fatal(err)
	}
	var subscribers []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		subscribers = append(subscribers, id)
	}
	rows.Close()
	if len(subscribers) < 2 {
		t.Fatalf("only %d subscribers with dependents in the fixture", len(subscribers))
	}
	today := ta.db.Today()
	from := today[:4] + "-01-01"
	checkedWithheld := 0
	po := ta.as("privacy@plan.example")
	var outbox strings.Builder
	ob, err := ta.db.R.Query(`SELECT subject || ' ' || body FROM outbox`)
	if err != nil {
		t.Fatal(err)
	}
	for ob.Next() {
		var s string
		ob.Scan(&s)
		outbox.WriteString(s + "\n")
	}
	ob.Close()
	for _, sid := range subscribers {
		pageBody := po.get("/privacy/members/"+sid+"/eob").mustStatus(t, http.StatusOK).Body
		e, err := models.Members{DB: ta.db}.EligibilityByMemberID(ctx, sid)
		if err != nil {
			t.Fatal(err)
		}
		eob, err := ps.ExplanationOfBenefits(ctx, e, from, today)
		if err != nil {
			t.Fatal(err)
		}
		shown := map[string]bool{}
		var text strings.Builder
		for _, c := range eob.Claims {
			shown[c.ClaimNo] = true
			text.WriteString(c.ClaimNo + " " + c.Provider + " " + c.From + "\n")
			for _, l := range c.Lines {
				text.WriteString(l.Code + " " + l.Description + " " + l.Date + "\n")
			}
		}
		// Every household member's withheld claims and lines, by the rule, from the database.
		hh, err := ta.db.R.Query(`SELECT c.claim_no, c.member_pk, c.service_from, c.sensitive_category, l.code, l.description, l.service_date, l.sensitive_category
			FROM members m JOIN claims c ON c.member_pk = m.id JOIN claim_lines l ON l.claim_id = c.id
			WHERE m.subscriber_id = ? AND c.service_from BETWEEN ? AND ?`, e.PK, from, today)
		if err != nil {
			t.Fatal(err)
		}
		for hh.Next() {
			var no, svc, ccat, code, desc, ldate, lcat string
			var pk int64
			hh.Scan(&no, &pk, &svc, &ccat, &code, &desc, &ldate, &lcat)
			subj, err := ps.Subject(ctx, pk)
			if err != nil {
				t.Fatal(err)
			}
			if models.Withhold(subj, ccat, svc, e.PK) {
				checkedWithheld++
				if shown[no] || strings.Contains(pageBody, no) {
					t.Errorf("EOB of %s shows withheld claim %s", sid, no)
				}
				if strings.Contains(outbox.String(), no) {
					t.Errorf("an e-mail holds withheld claim %s", no)
				}
				if !strings.Contains(pageBody, "Some services are reported separately.") {
					t.Errorf("EOB page of %s does not say that some services are reported separately", sid)
				}
				if !eob.Omitted {
					t.Errorf("EOB of %s does not say that some services are reported separately", sid)
				}
			}
			if models.Withhold(subj, lcat, ldate, e.PK) && strings.Contains(text.String(), code+" "+desc+" "+ldate) {
				t.Errorf("EOB of %s shows withheld line %s on %s", sid, code, ldate)
			}
		}
		hh.Close()
	}
	t.Logf("%d subscribers, %d withheld service lines checked", len(subscribers), checkedWithheld)
	if checkedWithheld == 0 {
		t.Fatal("no withheld service in the whole fixture: the test proves nothing")
	}
	// Linda Smith's EOB page: James's sensitive claims are not in it, his other care is.
	var sensitive []string
	rows, _ = ta.db.R.Query(`SELECT c.claim_no, l.code, l.description, l.sensitive_category FROM claims c JOIN members m ON m.id = c.member_pk JOIN claim_lines l ON l.claim_id = c.id
		WHERE m.member_id = 'M200000001' AND c.sensitive_category <> ''`)
	for rows.Next() {
		var no, code, desc, lcat string
		rows.Scan(&no, &code, &desc, &lcat)
		sensitive = append(sensitive, no)
		if lcat != "" {
			sensitive = append(sensitive, code, desc)
		}
	}
	rows.Close()
	if len(sensitive) == 0 {
		t.Fatal("James Smith Jr. has no sensitive claims")
	}
	page := ta.as("privacy@plan.example").get("/privacy/members/M200000002/eob").mustStatus(t, http.StatusOK)
	page.mustContain(t, "Linda Smith", "Some services are reported separately.", "James Smith Jr.").mustNotContain(t, sensitive...)
	page.mustNotContain(t, "james.smith.jr@example.org", "Psychotherapy", "Chlamydia", "methadone")
	// James's own EOB goes to his designated e-mail and shows his services.
	own := ta.as("privacy@plan.example").get("/privacy/members/M200000001/eob").mustStatus(t, http.StatusOK)
	own.mustContain(t, "james.smith.jr@example.org", sensitive[0])
}

// TestMemberRecordBannerAndMarker: the care team sees the request banner above the
// content and a marker on sensitive claims; a member without a request has no banner.
func TestMemberRecordBannerAndMarker(t *testing.T) {
	ta := newTestApp(t)
	m := ta.as("manager@sunrise.example")
	r := m.get("/members/M200000001/claims").mustStatus(t, http.StatusOK)
	r.mustContain(t, "Confidential communication request on file", `class="sensitive-marker"`)
	if strings.Index(r.Body, "Confidential communication request on file") > strings.Index(r.Body, `id="mc-h"`) {
		t.Error("the banner is not above the content")
	}
	m.get("/members/A100000001").mustStatus(t, http.StatusOK).mustNotContain(t, "Confidential communication request on file", "Minor consent")
	m.get("/members/M200000001").mustStatus(t, http.StatusOK).mustContain(t, "Minor consent: this member may consent alone", "Substance use disorder")
	// a sensitive claim's page carries the marker and the banner
	var sensNo string
	ta.db.R.QueryRow(`SELECT c.claim_no FROM claims c JOIN members mm ON mm.id = c.member_pk JOIN tins t ON t.id = c.tin_id
		WHERE mm.member_id = 'M200000001' AND c.sensitive_category <> '' AND t.account_id = (SELECT account_id FROM users WHERE email = 'manager@sunrise.example') LIMIT 1`).Scan(&sensNo)
	if sensNo == "" {
		t.Fatal("no sensitive claim of James at Sunrise")
	}
	m.get("/claims/"+sensNo).mustStatus(t, http.StatusOK).mustContain(t, `class="sensitive-marker"`, "Confidential communication request on file")
	// the behavioral-health visit carries the marker in Health Records
	m.get("/members/M200000001/health-records").mustStatus(t, http.StatusOK).
		mustContain(t, "Counseling session <span class=\"sensitive-marker\"", "Confidential communication request on file")
}

// TestCategoryCorrection: the privacy officer corrects a claim's category with a
// reason; the claim and its lines change, the correction is audited and waits in the
// review queue until reviewed; a reason is required.
func TestCategoryCorrection(t *testing.T) {
	ta := newTestApp(t)
	var no string
	var id int64
	if err := ta.db.R.QueryRow(`SELECT c.id, c.claim_no FROM claims c JOIN members m ON m.id = c.member_pk WHERE m.member_id = 'A100000001' AND c.sensitive_category = '' LIMIT 1`).Scan(&id, &no); err != nil {
		t.Fatal(err)
	}
	po := ta.as("privacy@plan.example")
	po.post("/privacy/corrections", url.Values{"object_type": {"claim"}, "object_id": {no}, "category": {"reproductive"}}).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "reason")
	po.post("/privacy/corrections", url.Values{"object_type": {"claim"}, "object_id": {"NOPE-1"}, "category": {"reproductive"}, "reason": {"x"}}).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "No record of this kind has this number.")
	po.post("/privacy/corrections", url.Values{"object_type": {"claim"}, "object_id": {no}, "category": {"reproductive"}, "reason": {"Prenatal visit billed with a general code"}}).
		mustStatus(t, http.StatusSeeOther)
	var cat string
	ta.db.R.QueryRow(`SELECT sensitive_category FROM claims WHERE id = ?`, id).Scan(&cat)
	if cat != "reproductive" {
		t.Fatalf("category %q after the correction", cat)
	}
	var lines int
	ta.db.R.QueryRow(`SELECT COUNT(*) FROM claim_lines WHERE claim_id = ? AND sensitive_category <> 'reproductive'`, id).Scan(&lines)
	if lines != 0 {
		t.Error("the claim's lines kept their old category")
	}
	if ta.auditCount("privacy.category.correct", "A100000001") != 1 {
		t.Error("the correction is not audited")
	}
	q := po.get("/privacy/review").mustStatus(t, http.StatusOK)
	q.mustContain(t, "Prenatal visit billed with a general code", "Sexual and reproductive health")
	var cid string
	ta.db.R.QueryRow(`SELECT id FROM sensitive_corrections ORDER BY id DESC LIMIT 1`).Scan(&cid)
	po.post("/privacy/review/"+cid, nil).mustStatus(t, http.StatusSeeOther)
	po.get("/privacy/review").mustNotContain(t, "Prenatal visit billed with a general code")
}

// TestAuditPaging: the audit log pages through every entry (no silent cap) with the
// total count, and says what each action was in words.
func TestAuditPaging(t *testing.T) {
	ta := newTestApp(t)
	var total int
	po := ta.as("privacy@plan.example")
	m := ta.as("manager@sunrise.example")
	for i := 0; i < 3; i++ {
		m.get("/members/A100000001").mustStatus(t, http.StatusOK)
	}
	for i := 0; i < 110; i++ {
		m.get("/members/M200000001/benefits").mustStatus(t, http.StatusOK)
	}
	ta.db.R.QueryRow(`SELECT COUNT(*) FROM audit_log`).Scan(&total)
	if total <= 100 {
		t.Fatalf("only %d audit entries in the fixture", total)
	}
	r := po.get("/audit").mustStatus(t, http.StatusOK)
	r.mustContain(t, "page 1 of", "Next page", "Opened a member record")
	var onPage2 string
	ta.db.R.QueryRow(`SELECT id FROM audit_log ORDER BY id DESC LIMIT 1 OFFSET 100`).Scan(&onPage2)
	p2 := po.post("/audit", url.Values{"page": {"2"}}).mustStatus(t, http.StatusOK)
	p2.mustContain(t, "page 2 of", "Previous page", `<td class="num">`+onPage2+`</td>`)
	// a member's accounting of access pages and counts on its own
	acc := po.post("/audit", url.Values{"member_id": {"A100000001"}, "action": {"member.view"}}).mustStatus(t, http.StatusOK)
	acc.mustContain(t, "Accounting of access for A100000001", "(3 entries")
}

// TestBreakTheGlass: a case manager opening a member outside care management gets the
// emergency-access form (refusal audited); with a reason the record opens for the
// setting's minutes with a banner on every page, each view marked in the audit log and
// the access flagged in the privacy officer's review queue; then it expires.
func TestBreakTheGlass(t *testing.T) {
	ta := newTestApp(t)
	var id string
	if err := ta.db.R.QueryRow(`SELECT member_id FROM members m WHERE NOT EXISTS (SELECT 1 FROM referrals r WHERE r.member_pk = m.id)
		AND NOT EXISTS (SELECT 1 FROM care_plans p WHERE p.member_pk = m.id) AND NOT EXISTS (SELECT 1 FROM care_coordination_documents d WHERE d.member_pk = m.id)
		ORDER BY m.id LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	nurse := ta.as("nurse@plan.example")
	r := nurse.get("/care/members/"+id).mustStatus(t, http.StatusForbidden)
	r.mustContain(t, "Emergency access", "outside your normal scope", `name="reason"`)
	if ta.auditCount("member.view.denied", id) != 1 {
		t.Error("the refusal is not audited")
	}
	// in scope: a member with a referral opens without any of this
	nurse.get("/care/members/M200000002").mustStatus(t, http.StatusOK).mustNotContain(t, "emergency-banner")
	// other roles cannot start one
	ta.as("rep@plan.example").post("/care/members/"+id+"/emergency", url.Values{"reason": {"x"}}).mustStatus(t, http.StatusForbidden)
	ta.as("manager@sunrise.example").post("/care/members/"+id+"/emergency", url.Values{"reason": {"x"}}).mustStatus(t, http.StatusForbidden)
	nurse.post("/care/members/"+id+"/emergency", url.Values{"reason": {""}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "State why you need this record now.")
	nurse.post("/care/members/"+id+"/emergency", url.Values{"reason": {"Member's mother called: urgent safety concern"}}).mustStatus(t, http.StatusSeeOther)
	page := nurse.get("/care/members/"+id).mustStatus(t, http.StatusOK)
	page.mustContain(t, "emergency-banner", "Every page you open is recorded")
	var detail string
	ta.db.R.QueryRow(`SELECT detail FROM audit_log WHERE action = 'member.view' AND member_id = ? ORDER BY id DESC LIMIT 1`, id).Scan(&detail)
	if !strings.Contains(detail, "emergency access") {
		t.Errorf("the view under emergency access is audited as %q", detail)
	}
	if ta.auditCount("privacy.emergency.start", id) != 1 {
		t.Error("starting emergency access is not audited")
	}
	po := ta.as("privacy@plan.example")
	po.get("/privacy/review").mustContain(t, "Flagged", "Member&#39;s mother called: urgent safety concern", id)
	po.get("/dashboard").mustContain(t, "emergency accesses to review")
	// 59 minutes later still open; 61 minutes later expired
	// (a new session each time: the idle one would have ended)
	ta.pinClock(ta.db.Now().Add(59 * time.Minute))
	ta.as("nurse@plan.example").get("/care/members/"+id).mustStatus(t, http.StatusOK).mustContain(t, "emergency-banner")
	ta.pinClock(ta.db.Now().Add(2 * time.Minute))
	ta.as("nurse@plan.example").get("/care/members/"+id).mustStatus(t, http.StatusForbidden).mustContain(t, `name="reason"`)
	po = ta.as("privacy@plan.example")
	// the privacy officer marks it reviewed
	var eid string
	ta.db.R.QueryRow(`SELECT id FROM emergency_access ORDER BY id DESC LIMIT 1`).Scan(&eid)
	po.post("/privacy/emergency/"+eid, nil).mustStatus(t, http.StatusSeeOther)
	po.get("/privacy/review").mustContain(t, "No emergency access to review.")
	po.post("/privacy/emergency/"+eid, nil).mustStatus(t, http.StatusNotFound)
	// the length is a setting
	po.post("/privacy/settings", url.Values{"emergency_minutes": {"2"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Enter a number of minutes from 5 to 1440.")
	po.post("/privacy/settings", url.Values{"emergency_minutes": {"half an hour"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Enter a number of minutes from 5 to 1440.", `aria-describedby="ea-minutes-error"`)
	po.post("/privacy/settings", url.Values{"emergency_minutes": {"30"}}).mustStatus(t, http.StatusSeeOther)
	ta.as("rep@plan.example").post("/privacy/settings", url.Values{"emergency_minutes": {"600"}}).mustStatus(t, http.StatusForbidden)
	if n := (models.Privacy{DB: ta.db}).EmergencyMinutes(context.Background()); n != 30 {
		t.Errorf("emergency minutes %d after the change", n)
	}
}

// TestDecisionLetterRoutesTheMemberCopy: a decision letter about a sensitive service of
// a member with a request in force says the member's copy goes only to the designated
// contact (and never prints the contact); an ordinary one says nothing of the kind.
func TestDecisionLetterRoutesTheMemberCopy(t *testing.T) {
	ta := newTestApp(t)
	var no string
	var id int64
	if err := ta.db.R.QueryRow(`SELECT id, tracking_no FROM authz_requests WHERE status IN ('approved','denied','partial') AND sensitive_category = '' ORDER BY id LIMIT 1`).Scan(&id, &no); err != nil {
		t.Fatal(err)
	}
	nurse := ta.as("nurse@plan.example")
	nurse.get("/authorizations/review/"+no+"/letter").mustStatus(t, http.StatusOK).mustNotContain(t, "privacy-copy")
	if _, err := ta.db.W.Exec(`UPDATE authz_requests SET member_pk = (SELECT id FROM members WHERE member_id = 'M200000001'), sensitive_category = 'mental_health' WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	nurse.get("/authorizations/review/"+no+"/letter").mustStatus(t, http.StatusOK).
		mustContain(t, "privacy-copy", "goes only to the contact the member designated").mustNotContain(t, "james.smith.jr@example.org")
}

// TestCategoriesDerivedOnInsert: whatever writes a claim, line, visit or authorization,
// the triggers of migration 0020 derive its category from the shipped table.
func TestCategoriesDerivedOnInsert(t *testing.T) {
	ta := newTestApp(t)
	w := ta.db.W
	var member, tin int64
	ta.db.R.QueryRow(`SELECT member_pk, tin_id FROM claims LIMIT 1`).Scan(&member, &tin)
	res, err := w.Exec(`INSERT INTO claims(claim_no, member_pk, tin_id, plan_type, status, received_date, service_from, service_to, diagnosis)
		VALUES ('CTEST00001', ?, ?, 'medical', 'received', '2026-10-01', '2026-10-01', '2026-10-01', 'I10 F41.1')`, member, tin)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	w.Exec(`INSERT INTO claim_lines(claim_id, line_no, service_date, code) VALUES (?, 1, '2026-10-01', '99213'), (?, 2, '2026-10-01', 'H0020')`, id, id)
	res, _ = w.Exec(`INSERT INTO claims(claim_no, member_pk, tin_id, plan_type, status, received_date, service_from, service_to, diagnosis)
		VALUES ('CTEST00002', ?, ?, 'medical', 'received', '2026-10-01', '2026-10-01', '2026-10-01', 'Z00.00')`, member, tin)
	id2, _ := res.LastInsertId()
	w.Exec(`INSERT INTO claim_lines(claim_id, line_no, service_date, code) VALUES (?, 1, '2026-10-01', '87491')`, id2)
	w.Exec(`INSERT INTO health_visits(member_pk, visit_date, setting, provider, reason, diagnosis) VALUES (?, '2026-10-01', 'office', 'X', 'Prenatal visit', 'Z34.01')`, member)
	got := map[string]string{}
	for q, key := range map[string]string{
		`SELECT sensitive_category FROM claims WHERE claim_no = 'CTEST00001'`:                               "claim by diagnosis",
		`SELECT sensitive_category FROM claim_lines WHERE claim_id = ` + itoa(int(id)) + ` AND line_no = 1`: "office visit line",
		`SELECT sensitive_category FROM claim_lines WHERE claim_id = ` + itoa(int(id)) + ` AND line_no = 2`: "methadone line",
		`SELECT sensitive_category FROM claims WHERE claim_no = 'CTEST00002'`:                               "claim by its line",
		`SELECT sensitive_category FROM health_visits WHERE reason = 'Prenatal visit'`:                      "visit",
	} {
		var c string
		ta.db.R.QueryRow(q).Scan(&c)
		got[key] = c
	}
	want := map[string]string{"claim by diagnosis": "mental_health", "office visit line": "", "methadone line": "substance_use",
		"claim by its line": "sti", "visit": "reproductive"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: category %q, want %q", k, got[k], v)
		}
	}
}

// TestSensitiveMarkerOnReferralsAndCarePlans: the care team sees which referrals and care
// plans are about a sensitive service, as for claims and visits.
func TestSensitiveMarkerOnReferralsAndCarePlans(t *testing.T) {
	ta := newTestApp(t)
	var memberID, email string
	err := ta.db.R.QueryRow(`SELECT m.member_id, u.email FROM referrals r JOIN members m ON m.id = r.member_pk
		JOIN users u ON u.account_id = r.account_id AND u.is_manager = 1
		WHERE r.sensitive_category <> '' ORDER BY r.id LIMIT 1`).Scan(&memberID, &email)
	if err != nil {
		t.Fatalf("no sensitive referral in the demo data: %v", err)
	}
	c := ta.as(email)
	c.get("/members/"+memberID+"/referrals").mustStatus(t, http.StatusOK).mustContain(t, `class="sensitive-marker"`)
	// A care plan the privacy officer marked shows the marker too; before, it does not.
	var planMember string
	var planID int64
	if err := ta.db.R.QueryRow(`SELECT p.id, m.member_id FROM care_plans p JOIN members m ON m.id = p.member_pk WHERE m.member_id = 'A100000001' LIMIT 1`).Scan(&planID, &planMember); err != nil {
		t.Fatal(err)
	}
	maria := ta.as("manager@sunrise.example")
	maria.get("/members/A100000001/care-plan").mustStatus(t, http.StatusOK).mustNotContain(t, `class="sensitive-marker"`)
	if _, err := ta.db.W.Exec(`UPDATE care_plans SET sensitive_category = 'mental_health' WHERE id = ?`, planID); err != nil {
		t.Fatal(err)
	}
	maria.get("/members/A100000001/care-plan").mustStatus(t, http.StatusOK).mustContain(t, `class="sensitive-marker"`)
}

// TestPrivacyRequestQueueLinks: the queue's tab and page come from links; a tab that
// does not exist shows the due requests and a page that is not a number the first.
func TestPrivacyRequestQueueLinks(t *testing.T) {
	ta := newTestApp(t)
	po := ta.as("privacy@plan.example")
	po.get("/privacy/requests?view=overdue").mustStatus(t, http.StatusOK).
		mustContain(t, `href="/privacy/requests?view=overdue" aria-current="page"`, "Overdue requests")
	po.get("/privacy/requests?view=secret&page=abc").mustStatus(t, http.StatusOK).
		mustContain(t, `href="/privacy/requests?view=due" aria-current="page"`, "Due requests")
}
