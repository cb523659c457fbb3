package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"portico/models"
)

// TestAuthzFormsRefuseBadInput: every form of the area answers bad input with 422, the
// message next to its field (the field's error span) and what was typed, never a 500.
func TestAuthzFormsRefuseBadInput(t *testing.T) {
	ta := newTestApp(t)
	moreInfo := ta.demoTracking(t, "A100000001", models.AuthzMoreInfo)
	robert := ta.demoTracking(t, "D300000001", models.AuthzSubmitted)
	var draft, denied string
	if err := ta.db.R.QueryRow(`SELECT id FROM authz_requests WHERE status = 'draft' AND account_id = ? LIMIT 1`, ta.accountOf(t, azManager)).Scan(&draft); err != nil {
		t.Fatal(err)
	}
	if err := ta.db.R.QueryRow(`SELECT tracking_no FROM authz_requests WHERE status = 'denied' AND appeal_status = '' LIMIT 1`).Scan(&denied); err != nil {
		t.Fatal(err)
	}
	post := func(name, as, u string, form url.Values, contains ...string) scenario {
		return scenario{name: name, as: as, method: http.MethodPost, url: u, form: form, wantStatus: 422, wantContains: contains}
	}
	get := func(name, as, u string, contains ...string) scenario {
		return scenario{name: name, as: as, url: u, wantStatus: 422, wantContains: contains}
	}
	runScenarios(t, ta, []scenario{
		// Office: the list filter, a new request, an answer, a Smart Sheet.
		post("filter status too long", azManager, "/authorizations", url.Values{"status": {strings.Repeat("s", 41)}},
			`id="az-status-error"`, "Keep the status to 40 characters or fewer."),
		post("filter member", azManager, "/authorizations", url.Values{"member_id": {"#?"}},
			`id="az-member-error"`, "Enter the member ID as printed on the ID card", `value="#?"`),
		post("filter dates out of order", azManager, "/authorizations", url.Values{"from": {"03/02/2026"}, "to": {"03/01/2026"}},
			`id="az-to-error"`, "on or after the “from” date", `value="03/02/2026"`),
		post("new: bad date of birth", azManager, "/authorizations/new", url.Values{"member_id": {"A100000001"}, "dob": {"14/03/1985"}},
			`id="an-dob-error"`, "date of birth as MM/DD/YYYY", `value="A100000001"`, `value="14/03/1985"`),
		post("new: no such member", azManager, "/authorizations/new", url.Values{"member_id": {"A100000001"}, "dob": {"03/15/1985"}},
			`id="an-member-error"`, "No member matches this member ID and date of birth", `value="03/15/1985"`),
		post("answer: empty", azManager, "/authorizations/"+moreInfo+"/answer", url.Values{"answer": {"  "}},
			`id="answer-error"`, "Write your answer or attach the records asked for."),
		post("sheet: note too long", azManager, "/authorizations/drafts/"+draft+"/sheets/lumbar-mri",
			url.Values{"met": {"conservative"}, "sheet_note": {strings.Repeat("n", models.MaxAuthzNoteLen+1)}},
			`id="sheet_note-error"`, "Keep the note to 4000 characters.", `value="conservative" checked`),
		get("code search too long", azManager, "/authorizations/codes?kind=procedure&q="+strings.Repeat("q", 101),
			`id="cs-q-error"`, "Keep the code or words to 100 characters or fewer.", `value="procedure" selected`),
		get("required: unknown code", azManager, "/authorizations/required?code=ZZZZZ&plan_type=medicare",
			`id="rq-code-error"`, "This is not a CPT or HCPCS code", `value="ZZZZZ"`, `value="medicare" selected`),
		get("required: code too long", azManager, "/authorizations/required?code="+strings.Repeat("7", 21),
			`id="rq-code-error"`, "Keep the procedure code to 20 characters or fewer."),
		get("metrics: year", "", "/authorizations/metrics?year=1999", "Choose a year from the list."),
		// Reviewer: the queue filter, a decision, an appeal outcome.
		get("queue urgency", azNurse, "/authorizations/review?urgency=soon&plan_type=medicare",
			`id="q-urgency-error"`, "Choose urgent or standard.", `value="medicare" selected`),
		post("decide: no decision", azNurse, "/authorizations/review/"+robert+"/decide", url.Values{"note": {"Kept as typed."}},
			`id="action-error"`, "Choose a decision.", "Kept as typed."),
		post("decide: units not a number", azNurse, "/authorizations/review/"+robert+"/decide",
			url.Values{"action": {"partial"}, "reason": {ta.reasonID(t, "partial")}, "note": {"Part of it."}, "approved-1": {"two"}},
			`id="approved-1-error"`, "Enter the approved units for line 1"),
		post("appeal: no outcome", azNurse, "/authorizations/review/"+denied+"/appeal", url.Values{"appeal_note": {"Peer-to-peer held."}},
			`id="outcome-error"`, "Choose whether the appeal overturned or upheld the denial.", "Peer-to-peer held."),
		post("appeal: note too long", azNurse, "/authorizations/review/"+denied+"/appeal",
			url.Values{"outcome": {"upheld"}, "appeal_note": {strings.Repeat("a", models.MaxDecisionNote+1)}},
			`id="appeal_note-error"`, "Keep the note to 2000 characters.", `value="upheld" checked`),
		// Plan admin: holidays, reasons, the requirements list.
		post("holiday: bad date", azAdmin, "/admin/authorizations/holidays", url.Values{"day": {"13/45/2026"}, "name": {"Founders Day"}},
			`id="hol-day-error"`, "Enter the date as MM/DD/YYYY."),
		post("holiday: no name", azAdmin, "/admin/authorizations/holidays", url.Values{"day": {"2026-12-31"}},
			`id="hol-name-error"`, "Name the holiday (up to 80 characters)."),
		post("reason: unknown kind", azAdmin, "/admin/authorizations/reasons", url.Values{"kind": {"maybe"}, "text": {"Because."}},
			`id="rs-kind-error"`, "Choose what the reason is for."),
		post("reason: empty", azAdmin, "/admin/authorizations/reasons", url.Values{"kind": {"deny"}, "text": {" "}},
			`id="rs-text-error"`, "Write the reason in 1 to 300 characters."),
		post("requirement: bad code and plan", azAdmin, "/admin/authorizations/requirements", url.Values{"code": {"ZZZZZ"}, "plan_type": {"gold"}, "required": {"yes"}},
			`id="rq-code-error"`, "This is not a CPT or HCPCS code", `id="rq-plan_type-error"`, "Plan type must be commercial, medicare or medical."),
		post("requirement: code too long", azAdmin, "/admin/authorizations/requirements", url.Values{"code": {strings.Repeat("7", 21)}, "plan_type": {"commercial"}},
			`id="rq-code-error"`, "Keep the code to 20 characters or fewer."),
	})
	if n := ta.auditCount("authorization.appeal", ""); n != 0 {
		t.Errorf("refused appeals were recorded %d times", n)
	}
	var holidays int
	if err := ta.db.R.QueryRow(`SELECT COUNT(*) FROM authz_holidays WHERE name = 'Founders Day' OR day = '2026-12-31'`).Scan(&holidays); err != nil || holidays != 0 {
		t.Errorf("a refused holiday was kept (%d, %v)", holidays, err)
	}
}

// TestAuthzAdminClocksAllOrNone: the decision clocks are saved together; one bad clock
// is refused next to its row and none of the others changes.
func TestAuthzAdminClocksAllOrNone(t *testing.T) {
	ta := newTestApp(t)
	rules, err := ta.h.authz().ClockRules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	for _, r := range rules {
		k := r.PlanType + "_" + r.Urgency
		form.Set(k+"_amount", strconv.Itoa(r.Amount))
		form.Set(k+"_unit", r.Unit)
	}
	form.Set("commercial_urgent_amount", "48")
	form.Set("medical_standard_amount", "seven")
	form.Set("medicare_standard_unit", "fortnights")
	admin := ta.as(azAdmin)
	admin.post("/admin/authorizations/clocks", form).mustStatus(t, 422).
		mustContain(t, `id="clk-medical_standard-error"`, "Enter a whole number from 1 to 720.",
			`id="clk-medicare_standard-error"`, "Enter a whole number from 1 to 720 and a unit.")
	after, err := ta.h.authz().ClockRules(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for i := range rules {
		if after[i] != rules[i] {
			t.Errorf("a refused form changed the clock %+v to %+v", rules[i], after[i])
		}
	}
	form.Set("medical_standard_amount", "7")
	form.Set("medicare_standard_unit", models.UnitCalendarDays)
	if loc := location(t, admin.post("/admin/authorizations/clocks", form)); loc != "/admin/authorizations" {
		t.Fatalf("clocks saved → %s", loc)
	}
	r, err := ta.h.authz().ClockRule(t.Context(), ta.db.R, models.PlanCommercial, models.UrgencyUrgent)
	if err != nil || r.Amount != 48 {
		t.Errorf("commercial urgent clock after saving: %+v, %v", r, err)
	}
}
