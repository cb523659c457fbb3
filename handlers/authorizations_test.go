package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"portico/models"
)

const (
	azManager = "manager@sunrise.example"
	azStaff   = "staff@sunrise.example"
	azValley  = "manager@valley.example"
	azNurse   = "nurse@plan.example"
	azRep     = "rep@plan.example"
	azAdmin   = "admin@plan.example"
)

var draftStep = regexp.MustCompile(`^/authorizations/drafts/([0-9]+)/([a-z]+)$`)

// location is the redirect target of r.
func location(t testing.TB, r *response) string {
	t.Helper()
	if r.Status != http.StatusSeeOther && r.Status != http.StatusFound {
		body := r.Body
		if len(body) > 1500 {
			body = body[:1500]
		}
		t.Fatalf("status %d, want a redirect; body:\n%s", r.Status, body)
	}
	return r.Header.Get("Location")
}

// trackingOf reads a tracking number from the database by request ID.
func (ta *testApp) trackingOf(t testing.TB, id string) string {
	t.Helper()
	var no string
	if err := ta.db.R.QueryRow(`SELECT COALESCE(tracking_no,'') FROM authz_requests WHERE id = ?`, id).Scan(&no); err != nil {
		t.Fatal(err)
	}
	return no
}

// sunriseNPI is the requesting-provider choice of Sunrise's first TIN.
func (ta *testApp) sunriseNPI(t testing.TB) string {
	t.Helper()
	list, err := ta.h.authz().AccountNPIs(t.Context(), ta.accountOf(t, azManager))
	if err != nil || len(list) == 0 {
		t.Fatalf("no NPIs: %v", err)
	}
	return list[0].Value()
}

func (ta *testApp) accountOf(t testing.TB, email string) int64 {
	t.Helper()
	var id int64
	if err := ta.db.R.QueryRow(`SELECT account_id FROM users WHERE email = ?`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// fillDraft walks a new draft for Maria Lopez through every step as the manager and
// returns its ID (not submitted).
func fillDraft(t *testing.T, ta *testApp, c *client) string {
	t.Helper()
	loc := location(t, c.post("/members/A100000001/authorizations/new", nil))
	m := draftStep.FindStringSubmatch(loc)
	if m == nil || m[2] != "providers" {
		t.Fatalf("create went to %q", loc)
	}
	id := m[1]
	base := "/authorizations/drafts/" + id + "/"
	c.get(base+"providers").mustStatus(t, 200).mustContain(t, "Requesting provider", "Urgent request", "Disclaimer", "not a guarantee of payment")
	if loc := location(t, c.post(base+"providers", url.Values{"requesting": {ta.sunriseNPI(t)}})); loc != base+"service" {
		t.Fatalf("providers → %s", loc)
	}
	if loc := location(t, c.post(base+"service", url.Values{"urgency": {"standard"}, "service_type": {"imaging"}})); loc != base+"codes" {
		t.Fatalf("service → %s", loc)
	}
	day := ta.h.now().In(ta.h.planZone()).AddDate(0, 0, 7).Format(models.DateFormat)
	codes := url.Values{"dx": {"m5416", "M51.16", ""}, "code": {"72148", ""}, "units": {"1", ""}, "from": {day, ""}, "to": {day, ""}}
	if loc := location(t, c.post(base+"codes", codes)); loc != base+"attachments" {
		t.Fatalf("codes → %s", loc)
	}
	c.get(base+"sheets/lumbar-mri").mustStatus(t, 200).mustContain(t, "Six weeks or more of conservative treatment", `name="met"`)
	if loc := location(t, c.post(base+"sheets/lumbar-mri", url.Values{"met": {"conservative", "radic", "nonsense"}})); loc != base+"attachments" {
		t.Fatalf("sheet → %s", loc)
	}
	if loc := location(t, c.post(base+"attachments", url.Values{"clinical_note": {"Eight weeks of back pain with L5 radiculopathy."}})); loc != base+"review" {
		t.Fatalf("attachments → %s", loc)
	}
	return id
}

// TestAuthzRequestFlow is the core path: draft by steps, submit with a tracking number
// and due time, the reviewer's queue, more information (the clock pauses), the office's
// answer, approval, and the letter.
func TestAuthzRequestFlow(t *testing.T) {
	ta := newTestApp(t)
	mgr := ta.as(azManager)
	id := fillDraft(t, ta, mgr)
	base := "/authorizations/drafts/" + id + "/"
	mgr.get(base+"review").mustStatus(t, 200).mustContain(t, "M54.16", "Radiculopathy, lumbar region", "72148", "MRI of the lower back",
		"MRI of the lumbar spine", "2 of 6 criteria met", "Prior authorization is required")
	if n := ta.auditCount("authorization.draft.save", "A100000001"); n != 4 {
		t.Errorf("draft saves audited %d times, want 4", n)
	}
	loc := location(t, mgr.post(base+"review", nil))
	no := ta.trackingOf(t, id)
	if !models.ValidTrackingNo(no) || loc != "/authorizations/"+no {
		t.Fatalf("submit → %s, tracking %q", loc, no)
	}
	page := mgr.get(loc).mustStatus(t, 200).mustContain(t, no, "Submitted", "Decision due").Body
	if !strings.Contains(page, "PST") && !strings.Contains(page, "PDT") {
		t.Errorf("due time not shown in the plan's time zone")
	}
	var submitted, due string
	if err := ta.db.R.QueryRow(`SELECT submitted_at, due_at FROM authz_requests WHERE id = ?`, id).Scan(&submitted, &due); err != nil {
		t.Fatal(err)
	}
	if ta.auditCount("authorization.submit", "A100000001") != 1 || ta.auditCount("authorization.view", "A100000001") != 1 {
		t.Error("submission or view not audited")
	}

	// The reviewer: queue, assign, more information.
	nurse := ta.as(azNurse)
	nurse.get("/authorizations/review").mustStatus(t, 200).mustContain(t, no, "Review queue")
	nurse.get("/authorizations/review/"+no).mustStatus(t, 200).mustContain(t, "MRI of the lumbar spine", "Met", "Not checked", "Decide")
	location(t, nurse.post("/authorizations/review/"+no+"/assign", nil))
	reason := ta.reasonID(t, "more_info")
	// No explanation: refused with a message, nothing changes.
	nurse.post("/authorizations/review/"+no+"/decide", url.Values{"action": {"more_info"}, "reason": {reason}}).
		mustStatus(t, 422).mustContain(t, "Explain in a sentence")
	location(t, nurse.post("/authorizations/review/"+no+"/decide", url.Values{"action": {"more_info"}, "reason": {reason},
		"note": {"Please send the physical therapy notes."}}))
	mgr.get("/authorizations/"+no).mustStatus(t, 200).mustContain(t, "More information requested", "Please send the physical therapy notes.", "Paused since")
	// The office's answer resumes the clock: the due time moves by the pause.
	location(t, mgr.post("/authorizations/"+no+"/answer", url.Values{"answer": {"Notes of six PT visits are attached."}}))
	var status, due2 string
	if err := ta.db.R.QueryRow(`SELECT status, due_at FROM authz_requests WHERE id = ?`, id).Scan(&status, &due2); err != nil {
		t.Fatal(err)
	}
	if status != models.AuthzInReview || due2 < due {
		t.Fatalf("after the answer: status %s, due %s (was %s)", status, due2, due)
	}
	// Approve; the letter says so.
	location(t, nurse.post("/authorizations/review/"+no+"/decide", url.Values{"action": {"approve"}, "reason": {ta.reasonID(t, "approve")}}))
	letter := mgr.get("/authorizations/"+no+"/letter").mustStatus(t, 200).mustContain(t, "Authorization approved", no, "Maria Lopez", "72148",
		"not a guarantee of payment").Body
	if strings.Contains(letter, "Your next steps") {
		t.Error("an approval letter lists next steps of a denial")
	}
	if ta.auditCount("authorization.letter", "A100000001") != 1 || ta.auditCount("authorization.decide", "A100000001") != 2 {
		t.Error("letter or decisions not audited")
	}
	// The office heard of each change by secure message, and its notices hold no health information.
	var msgs int
	if err := ta.db.R.QueryRow(`SELECT message_count FROM message_threads WHERE id = (SELECT thread_id FROM authz_requests WHERE id = ?)`, id).Scan(&msgs); err != nil {
		t.Fatal(err)
	}
	if msgs != 3 {
		t.Errorf("thread holds %d messages, want 3 (more info, answer, approval)", msgs)
	}
	rows, err := ta.db.R.Query(`SELECT body FROM outbox WHERE to_addr = ?`, azManager)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	notices := 0
	for rows.Next() {
		var body string
		_ = rows.Scan(&body)
		notices++
		for _, phi := range []string{"Maria", "Lopez", "A100000001", "72148", "M54.16", "physical therapy"} {
			if strings.Contains(body, phi) {
				t.Errorf("notice e-mail holds %q", phi)
			}
		}
	}
	if notices == 0 {
		t.Error("the office user got no notice e-mail")
	}
	// Recent Activity of the office shows the changes.
	if n := ta.accountAudit(t, azManager, "authorization.notice"); n < 3 {
		t.Errorf("Recent Activity entries %d, want at least 3", n)
	}
}

func (ta *testApp) reasonID(t testing.TB, kind string) string {
	t.Helper()
	var id string
	if err := ta.db.R.QueryRow(`SELECT id FROM authz_reasons WHERE kind = ? AND active = 1 ORDER BY id LIMIT 1`, kind).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func (ta *testApp) accountAudit(t testing.TB, email, action string) int {
	t.Helper()
	var n int
	if err := ta.db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = ? AND account_id = (SELECT account_id FROM users WHERE email = ?)`, action, email).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAuthzDraftSurvivesSignOut: a draft is on the server; after signing out and back in
// (a new session) it is listed, counted on the dashboard, and opens where it was left.
func TestAuthzDraftSurvivesSignOut(t *testing.T) {
	ta := newTestApp(t)
	mgr := ta.as(azManager)
	id := fillDraft(t, ta, mgr)
	location(t, mgr.post("/logout", nil))
	mgr.get("/authorizations/drafts/"+id+"/review").mustStatus(t, http.StatusSeeOther)
	again := ta.as(azManager)
	again.get("/authorizations/drafts").mustStatus(t, 200).mustContain(t, "/authorizations/drafts/"+id+"/review", "Maria Lopez")
	again.get("/dashboard").mustStatus(t, 200).mustContain(t, "authorization drafts not submitted", "/authorizations/drafts")
	again.get("/authorizations/drafts/"+id+"/codes").mustStatus(t, 200).mustContain(t, `value="M54.16"`, `value="72148"`)
	// Another account does not see it.
	ta.as(azValley).get("/authorizations/drafts/"+id+"/codes").mustStatus(t, 404)
}

// TestAuthzStepValidation: bad input gets a message next to the field and keeps what was typed.
func TestAuthzStepValidation(t *testing.T) {
	ta := newTestApp(t)
	mgr := ta.as(azManager)
	loc := location(t, mgr.post("/members/A100000001/authorizations/new", nil))
	base := strings.TrimSuffix(loc, "providers")
	mgr.post(base+"providers", url.Values{"requesting": {"999:1234567890"}, "servicing_npi": {"12345"}}).mustStatus(t, 422).
		mustContain(t, "Choose the requesting provider", "10-digit NPI", `value="12345"`)
	mgr.post(base+"service", url.Values{"urgency": {"soon"}}).mustStatus(t, 422).mustContain(t, "urgent or standard", "type of service")
	day := ta.h.now().AddDate(0, 0, 3).Format(models.DateFormat)
	r := mgr.post(base+"codes", url.Values{"dx": {"E11.999", "banana"}, "code": {"E9999", "72148"}, "units": {"1", "0"}, "from": {day, day}, "to": {day, "13/45/2026"}})
	r.mustStatus(t, 422).mustContain(t, "E11.999 is not on the plan", "This is not an ICD-10-CM code", "E9999 is not on the plan",
		"Enter the number of units", "last date of service", `value="E11.999"`, `value="banana"`)
	long := strings.Repeat("x", models.MaxAuthzNoteLen+1)
	mgr.post(base+"attachments", url.Values{"clinical_note": {long}}).mustStatus(t, 422).mustContain(t, "Keep the clinical summary")
	// Nothing was saved by the refused steps: the review step says what is missing, and submit is refused.
	mgr.get(base+"review").mustStatus(t, 200).mustContain(t, "Before you submit")
	mgr.post(base+"review", nil).mustStatus(t, 422)
}

// TestAuthzDenyLetterAndPartial: a denial's letter gives the reason and the next steps
// (resubmit, peer-to-peer with phone and hours, appeal with its deadline); a partial
// approval lists the approved units per line.
func TestAuthzDenyLetterAndPartial(t *testing.T) {
	ta := newTestApp(t)
	mgr := ta.as(azManager)
	nurse := ta.as(azNurse)
	submit := func() string {
		id := fillDraft(t, ta, mgr)
		location(t, mgr.post("/authorizations/drafts/"+id+"/review", nil))
		return ta.trackingOf(t, id)
	}
	no := submit()
	location(t, nurse.post("/authorizations/review/"+no+"/decide", url.Values{"action": {"deny"}, "reason": {ta.reasonID(t, "deny")},
		"note": {"Six weeks of conservative care are not documented."}}))
	decided, _ := time.Parse(models.TimeFormat, ta.decidedAt(t, no))
	appealBy := decided.In(ta.h.planZone()).AddDate(0, 0, models.AppealDays).Format("01/02/2006")
	mgr.get("/authorizations/"+no+"/letter").mustStatus(t, 200).mustContain(t, "Authorization denied", "conservative treatment",
		"Six weeks of conservative care are not documented.", "Resubmit with more information", "Peer-to-peer review", models.PeerToPeer,
		"Appeal", appealBy)
	// A decided request takes no more decisions.
	nurse.post("/authorizations/review/"+no+"/decide", url.Values{"action": {"approve"}, "reason": {ta.reasonID(t, "approve")}}).mustStatus(t, 409)

	no2 := submit()
	// A partial approval must approve fewer units somewhere.
	nurse.post("/authorizations/review/"+no2+"/decide", url.Values{"action": {"partial"}, "reason": {ta.reasonID(t, "partial")}, "note": {"x"}, "approved-1": {"1"}}).
		mustStatus(t, 422).mustContain(t, "fewer units")
	// A reason of another kind is refused.
	nurse.post("/authorizations/review/"+no2+"/decide", url.Values{"action": {"partial"}, "reason": {ta.reasonID(t, "approve")}, "note": {"x"}, "approved-1": {"0"}}).
		mustStatus(t, 422).mustContain(t, "specific reason")
	location(t, nurse.post("/authorizations/review/"+no2+"/decide", url.Values{"action": {"partial"}, "reason": {ta.reasonID(t, "partial")},
		"note": {"Approved later."}, "approved-1": {"0"}}))
	mgr.get("/authorizations/"+no2+"/letter").mustStatus(t, 200).mustContain(t, "Authorization partially approved", "Your next steps")
	// Undecided requests have no letter.
	no3 := submit()
	mgr.get("/authorizations/"+no3+"/letter").mustStatus(t, 404)
	// Extension: once, 14 days later.
	location(t, nurse.post("/authorizations/review/"+no3+"/decide", url.Values{"action": {"extend"}, "reason": {ta.reasonID(t, "extend")}}))
	nurse.post("/authorizations/review/"+no3+"/decide", url.Values{"action": {"extend"}, "reason": {ta.reasonID(t, "extend")}}).mustStatus(t, 422).mustContain(t, "already extended")
	// Withdrawal by the office.
	location(t, mgr.post("/authorizations/"+no3+"/withdraw", nil))
	mgr.get("/authorizations/"+no3).mustStatus(t, 200).mustContain(t, "Withdrawn")
	if ta.auditCount("authorization.withdraw", "A100000001") != 1 {
		t.Error("withdrawal not audited")
	}
}

func (ta *testApp) decidedAt(t testing.TB, no string) string {
	t.Helper()
	var s string
	if err := ta.db.R.QueryRow(`SELECT decided_at FROM authz_requests WHERE tracking_no = ?`, no).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// demoTracking is the tracking number of a named demo request.
func (ta *testApp) demoTracking(t testing.TB, memberID, status string) string {
	t.Helper()
	var no string
	if err := ta.db.R.QueryRow(`SELECT r.tracking_no FROM authz_requests r JOIN members m ON m.id = r.member_pk WHERE m.member_id = ? AND r.status = ? ORDER BY r.id DESC LIMIT 1`,
		memberID, status).Scan(&no); err != nil {
		t.Fatal(err)
	}
	return no
}

// TestAuthzAccess is the access matrix of every new route: signed out, an office user
// without medical_management, another account, a member without a care relationship,
// plan staff without reviewer, and the right users.
func TestAuthzAccess(t *testing.T) {
	ta := newTestApp(t)
	maria := ta.demoTracking(t, "A100000001", models.AuthzApproved)
	robert := ta.demoTracking(t, "D300000001", models.AuthzSubmitted)
	var draft string
	if err := ta.db.R.QueryRow(`SELECT id FROM authz_requests WHERE status = 'draft' LIMIT 1`).Scan(&draft); err != nil {
		t.Fatal(err)
	}
	var noRel string // a member with no claim or attribution at Sunrise
	if err := ta.db.R.QueryRow(`SELECT m.member_id FROM members m WHERE m.pcp_tin_id NOT IN (SELECT id FROM tins WHERE account_id = ?) AND m.ppg_tin_id IS NOT ? AND
		NOT EXISTS (SELECT 1 FROM claims c JOIN tins t ON t.id = c.tin_id WHERE c.member_pk = m.id AND t.account_id = ?) LIMIT 1`,
		ta.accountOf(t, azManager), nil, ta.accountOf(t, azManager)).Scan(&noRel); err != nil {
		t.Fatal(err)
	}
	get := func(name, as, u string, want int, contains ...string) scenario {
		return scenario{name: name, as: as, url: u, wantStatus: want, wantContains: contains}
	}
	post := func(name, as, u string, want int, contains ...string) scenario {
		return scenario{name: name, as: as, method: http.MethodPost, url: u, form: url.Values{}, wantStatus: want, wantContains: contains}
	}
	cases := []scenario{
		// Signed out: GETs go to sign-in, POSTs are refused; public pages answer.
		get("anon list", "", "/authorizations", 303), get("anon request", "", "/authorizations/"+maria, 303),
		get("anon queue", "", "/authorizations/review", 303), get("anon codes", "", "/authorizations/codes", 303),
		get("anon sheets", "", "/authorizations/smart-sheets", 303), get("anon admin", "", "/admin/authorizations", 303),
		post("anon new", "", "/members/A100000001/authorizations/new", 403),
		get("anon metrics", "", "/authorizations/metrics", 200, "Prior authorization metrics"),
		get("anon metrics csv", "", "/authorizations/metrics.csv", 200, "standard_approved_pct"),
		get("anon requirements", "", "/authorizations/requirements", 200, "72148"),
		get("anon requirements csv", "", "/authorizations/requirements.csv", 200, "72148"),
		get("anon library entry", "", "/library/prior_auth/services-that-need-prior-authorization", 200, `href="/authorizations/requirements"`, `href="/authorizations/metrics"`),
		// Office user without medical_management.
		get("staff list", azStaff, "/authorizations", 403), get("staff request", azStaff, "/authorizations/"+maria, 403),
		get("staff letter", azStaff, "/authorizations/"+maria+"/letter", 403), get("staff draft", azStaff, "/authorizations/drafts/"+draft+"/review", 403),
		get("staff queue", azStaff, "/authorizations/review", 403), get("staff codes", azStaff, "/authorizations/codes", 403),
		get("staff member section", azStaff, "/members/A100000001/authorizations", 403),
		post("staff new", azStaff, "/members/A100000001/authorizations/new", 403),
		post("staff answer", azStaff, "/authorizations/"+maria+"/answer", 403),
		// Another account: another office's request does not exist for it.
		get("valley sees sunrise request", azValley, "/authorizations/"+maria, 404),
		get("valley sees sunrise letter", azValley, "/authorizations/"+maria+"/letter", 404),
		get("valley sees sunrise draft", azValley, "/authorizations/drafts/"+draft+"/review", 404),
		post("valley withdraws sunrise", azValley, "/authorizations/"+maria+"/withdraw", 404),
		get("sunrise sees valley request", azManager, "/authorizations/"+robert, 404),
		get("valley own request", azValley, "/authorizations/"+robert, 200, "D300000001"),
		// A member with no care relationship.
		post("no relationship new", azManager, "/members/"+noRel+"/authorizations/new", 403, "No care relationship"),
		get("no relationship section", azManager, "/members/"+noRel+"/authorizations", 403),
		// Plan staff without reviewer.
		get("rep queue", azRep, "/authorizations/review", 403), get("rep review", azRep, "/authorizations/review/"+maria, 403),
		post("rep decide", azRep, "/authorizations/review/"+maria+"/decide", 403),
		get("rep office list", azRep, "/authorizations", 403), get("rep admin", azRep, "/admin/authorizations", 403),
		// Reviewer may not use office routes; admin page is the admin's.
		get("nurse office list", azNurse, "/authorizations", 403), post("nurse new", azNurse, "/members/A100000001/authorizations/new", 403),
		get("nurse admin", azNurse, "/admin/authorizations", 403),
		// The right users.
		get("manager list", azManager, "/authorizations", 200, maria), get("manager request", azManager, "/authorizations/"+maria, 200, "Approved"),
		get("manager letter", azManager, "/authorizations/"+maria+"/letter", 200, "Authorization approved"),
		get("manager member section", azManager, "/members/A100000001/authorizations", 200, "Create a new authorization", maria),
		get("manager drafts", azManager, "/authorizations/drafts", 200, "Continue draft"),
		get("manager codes", azManager, "/authorizations/codes?q=low+back", 200, "M54.50"),
		get("manager required", azManager, "/authorizations/required?code=72148&plan_type=commercial", 200, "Prior authorization is required"),
		get("manager sheets", azManager, "/authorizations/smart-sheets", 200, "Power wheelchair", "Bariatric surgery", "CT of the head"),
		get("manager sheet print", azManager, "/authorizations/smart-sheets/cpap", 200, "CPAP for obstructive sleep apnea"),
		get("nurse queue", azNurse, "/authorizations/review", 200, "Overdue"),
		get("nurse review", azNurse, "/authorizations/review/"+robert, 200, "Robert Chen"),
		get("nurse codes", azNurse, "/authorizations/codes?kind=procedure&q=E0601", 200, "Cont airway pressure device"),
		get("admin page", azAdmin, "/admin/authorizations", 200, "Decision clocks", "Thanksgiving Day"),
		get("unknown tracking", azManager, "/authorizations/PA269999999", 404),
		get("bad tracking", azManager, "/authorizations/xyz", 404),
	}
	runScenarios(t, ta, cases)
	if ta.auditCount("authorization.view.denied", "") == 0 {
		t.Error("another account's attempts were not audited")
	}
}

// TestAuthzNavAndDashboard: the navigation shows Authorizations to office users with
// medical_management and Review queue to reviewers only; the dashboard counts requests
// waiting for more information.
func TestAuthzNavAndDashboard(t *testing.T) {
	ta := newTestApp(t)
	ta.as(azManager).get("/dashboard").mustStatus(t, 200).mustContain(t, `href="/authorizations"`, "authorization requests need more information").
		mustNotContain(t, `href="/authorizations/review"`)
	ta.as(azStaff).get("/dashboard").mustStatus(t, 200).mustNotContain(t, `href="/authorizations"`)
	ta.as(azNurse).get("/dashboard").mustStatus(t, 200).mustContain(t, `href="/authorizations/review"`)
	ta.as(azRep).get("/dashboard").mustStatus(t, 200).mustNotContain(t, `href="/authorizations/review"`)
}

// TestAuthzCodeSuggest: the suggest fragment lists codes for the field's own list.
func TestAuthzCodeSuggest(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as(azManager)
	c.htmx = true
	c.get("/authorizations/codes/suggest?kind=diagnosis&list=dx-0-list&dx=E11.6").mustStatus(t, 200).
		mustContain(t, `<datalist id="dx-0-list">`, "E11.65", "hyperglycemia").mustNotContain(t, "<html")
	c.get("/authorizations/codes/suggest?kind=procedure&list=code-0-list&code=wheelchair").mustStatus(t, 200).mustContain(t, "Wheelchair", "<option value=\"E")
	c.get(`/authorizations/codes/suggest?kind=diagnosis&list="><script>&dx=E11`).mustStatus(t, 422)
}

// TestAuthzListFiltersAndCSV: filters by status and member, paging total, and the CSV.
func TestAuthzListFiltersAndCSV(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as(azManager)
	c.get("/authorizations?status=more_info").mustStatus(t, 200).mustContain(t, ta.demoTracking(t, "A100000001", models.AuthzMoreInfo)).
		mustNotContain(t, ta.demoTracking(t, "A100000001", models.AuthzApproved))
	r := c.post("/authorizations", url.Values{"member_id": {"A100000001"}}).mustStatus(t, 200)
	r.mustContain(t, ta.demoTracking(t, "A100000001", models.AuthzApproved), "2 requests")
	c.post("/authorizations", url.Values{"from": {"13/13/2026"}, "tracking_no": {"bad"}}).mustStatus(t, 422).mustContain(t, "MM/DD/YYYY", "PA260000123")
	csv := c.post("/authorizations/csv", url.Values{"member_id": {"A100000001"}}).mustStatus(t, 200)
	if !strings.HasPrefix(csv.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(csv.Body, "tracking_no,status") || strings.Count(strings.TrimSpace(csv.Body), "\n") != 2 {
		t.Errorf("CSV: %q %q", csv.Header.Get("Content-Disposition"), csv.Body)
	}
}

// TestAuthzCareRelationship: an authorization request of the account from the last 18
// months is a care relationship (SPEC §1); a draft is not.
func TestAuthzCareRelationship(t *testing.T) {
	ta := newTestApp(t)
	acct := ta.accountOf(t, azManager)
	var pk int64
	var id string
	if err := ta.db.R.QueryRow(`SELECT m.id, m.member_id FROM members m WHERE m.pcp_tin_id NOT IN (SELECT id FROM tins WHERE account_id = ?1)
		AND COALESCE(m.ppg_tin_id, 0) NOT IN (SELECT id FROM tins WHERE account_id = ?1)
		AND NOT EXISTS (SELECT 1 FROM claims c JOIN tins t ON t.id = c.tin_id WHERE c.member_pk = m.id AND t.account_id = ?1)
		AND NOT EXISTS (SELECT 1 FROM authz_requests r WHERE r.member_pk = m.id AND r.account_id = ?1) LIMIT 1`, acct).Scan(&pk, &id); err != nil {
		t.Fatal(err)
	}
	c := ta.as(azManager)
	c.get("/members/"+id).mustStatus(t, 403)
	created := ta.h.now().AddDate(0, -2, 0).UTC().Format(models.TimeFormat)
	insert := func(status string) {
		if _, err := ta.db.W.Exec(`INSERT INTO authz_requests(account_id, member_pk, plan_type, status, created_at, updated_at)
			SELECT ?, id, plan_type, ?, ?, ? FROM members WHERE id = ?`, acct, status, created, created, pk); err != nil {
			t.Fatal(err)
		}
	}
	insert(models.AuthzDraft)
	c.get("/members/"+id).mustStatus(t, 403)
	insert(models.AuthzApproved)
	c.get("/members/"+id).mustStatus(t, 200)
}

// TestAuthzPagesShowMedicalManagementContacts: the department's phone, fax and
// transplant fax per line of business are on the authorization pages (SPEC §5).
func TestAuthzPagesShowMedicalManagementContacts(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as(azManager)
	for _, p := range []string{"/authorizations", "/authorizations/new", "/authorizations/" + ta.demoTracking(t, "A100000001", models.AuthzApproved)} {
		c.get(p).mustStatus(t, 200).mustContain(t, "Medical Management Department", "Transplant fax")
	}
}
