package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestEligibilityFormMessages: every rule of the look-up form answers 422 with its
// message next to the field and what was typed kept, on the page and on the dashboard's
// card; problems of both fields are told at once; nothing refused is looked up.
func TestEligibilityFormMessages(t *testing.T) {
	ta := newTestApp(t)
	long := strings.Repeat("x", 81)
	tooLong := "That is too long for a member ID or last name."
	var scenarios []scenario
	for _, u := range []string{"/eligibility", "/eligibility/quick"} {
		scenarios = append(scenarios,
			scenario{name: u + " long name", as: "manager@sunrise.example", method: "POST", url: u, form: url.Values{"q": {long}, "dob": {"03/14/1985"}}, wantStatus: 422, wantContains: []string{"error-summary", tooLong}},
			scenario{name: u + " long first name", as: "manager@sunrise.example", method: "POST", url: u, form: url.Values{"q": {"Lopez"}, "first_name": {long}, "dob": {"03/14/1985"}}, wantStatus: 422, wantContains: []string{tooLong, `value="Lopez"`}},
			scenario{name: u + " ID without letters or digits we read", as: "manager@sunrise.example", method: "POST", url: u, form: url.Values{"q": {"١٢٣"}, "dob": {"03/14/1985"}}, wantStatus: 422, wantContains: []string{"Enter the member ID with its letter and numbers, as on the ID card.", `value="١٢٣"`}},
			scenario{name: u + " name without letters", as: "manager@sunrise.example", method: "POST", url: u, form: url.Values{"q": {"---"}, "dob": {"03/14/1985"}}, wantStatus: 422, wantContains: []string{"Enter the last name with letters.", `value="---"`}},
			scenario{name: u + " future DOB", as: "manager@sunrise.example", method: "POST", url: u, form: url.Values{"q": {"A100000001"}, "dob": {"2999-01-01"}}, wantStatus: 422, wantContains: []string{"Enter a real date of birth, not in the future.", `value="A100000001"`}},
			scenario{name: u + " both fields wrong", as: "manager@sunrise.example", method: "POST", url: u, form: url.Values{"q": {""}, "dob": {"31/31/1985"}}, wantStatus: 422, wantContains: []string{"Enter the member ID or the last name.", "Enter the date of birth as MM/DD/YYYY, for example 03/14/1985.", `value="31/31/1985"`}},
		)
	}
	runScenarios(t, ta, scenarios)
	if n := ta.auditCount("eligibility.check", ""); n != 0 {
		t.Errorf("%d look-ups recorded for refused input, want none", n)
	}
	// A valid date of birth comes back as ISO, the only value a date input shows.
	ta.as("manager@sunrise.example").post("/eligibility", url.Values{"q": {"---"}, "dob": {"3/14/1985"}}).mustStatus(t, 422).mustContain(t, `value="1985-03-14"`)
}

// TestEligibilityUnreadableBody: a look-up whose body is not a form is refused with a
// message on the page (422), never a 500.
func TestEligibilityUnreadableBody(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	c.get("/eligibility").mustStatus(t, 200)
	req := httptest.NewRequest(http.MethodPost, "/eligibility", strings.NewReader("A100000001 03/14/1985"))
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("X-CSRF-Token", c.csrf)
	c.do(req).mustStatus(t, 422).mustContain(t, "The form could not be read. Check the values and try again.")
}

// TestDashboardContextMessages: the context bar refuses what is not a TIN or a plan
// type with a page saying what to choose, and changes nothing.
func TestDashboardContextMessages(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	c.post("/dashboard/context", url.Values{"tin_id": {"abc"}, "plan_type": {"commercial"}}).mustStatus(t, 422).mustContain(t, "Choose one of your account&#39;s TINs.")
	c.post("/dashboard/context", url.Values{"tin_id": {"1"}, "plan_type": {"dental"}}).mustStatus(t, 422).mustContain(t, "Choose a plan type: Commercial, Medicare/DSNP or Medi-Cal.")
	c.get("/dashboard").mustStatus(t, 200).mustContain(t, "Quick Eligibility Check for Commercial")
}

// TestClaimFormKeepsEveryField: each of the claim form's inputs (twelve diagnoses, six
// lines of eight fields) is saved in its own place and shown again in its own input.
func TestClaimFormKeepsEveryField(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	form := url.Values{"tin_id": ta.claimFormFor(t, 2)["tin_id"], "billing_npi": {"B1"}, "rendering_npi": {"R1"}, "action": {"save"}}
	for i := 1; i <= 12; i++ {
		form.Set(fmt.Sprintf("dx%d", i), fmt.Sprintf("D%d", i))
	}
	for i := 1; i <= 6; i++ {
		for _, k := range []string{"from", "to", "code", "mods", "units", "charge", "ptr", "pa"} {
			form.Set(fmt.Sprintf("l%d_%s", i, k), fmt.Sprintf("%s%d", k, i))
		}
	}
	r := c.post("/members/A100000001/claims/new", form).mustStatus(t, http.StatusSeeOther)
	page := c.get(r.Header.Get("Location")).mustStatus(t, 200)
	for k, v := range form {
		if k == "tin_id" || k == "action" || k == "_csrf" {
			continue
		}
		if !regexp.MustCompile(`name="` + k + `"[^>]*value="` + regexp.QuoteMeta(v[0]) + `"`).MatchString(page.Body) {
			t.Errorf("input %s does not show %q after the save", k, v[0])
		}
	}
}

// TestClaimStartKeepsTyped: the new-claim look-up refuses a malformed member ID and date
// with their messages and shows what was typed again, except a value too long to be
// either.
func TestClaimStartKeepsTyped(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	c.post("/claims/new", url.Values{"member_id": {"#-#"}, "dob": {"14/03/1985"}}).mustStatus(t, 422).
		mustContain(t, "Enter the member ID as printed on the ID card", "Enter the date of birth as MM/DD/YYYY.", `value="#-#"`, `value="14/03/1985"`)
	long := strings.Repeat("A1", 20)
	c.post("/claims/new", url.Values{"member_id": {long}, "dob": {"03/14/1985"}}).mustStatus(t, 422).
		mustContain(t, "Enter the member ID as printed on the ID card", `value="03/14/1985"`).mustNotContain(t, long)
}

// TestClaimDisputeDecisionForm: the Claims department's answer keeps what was typed
// when a rule refuses it: the new payment of an overturned dispute, and the length of
// the answer. The office's answer to a request for information has the same ceiling.
func TestClaimDisputeDecisionForm(t *testing.T) {
	ta := newTestApp(t)
	no, _ := ta.undisputedClaim(t, "paid")
	jane := ta.as("manager@sunrise.example")
	jane.msgPostMultipart("/claims/"+no+"/dispute", url.Values{"reason": {"underpaid"}, "line": {"0"}, "explanation": {"Below the contracted rate."}}).
		mustStatus(t, http.StatusSeeOther)
	var id int64
	if err := ta.db.R.QueryRow(`SELECT d.id FROM claim_disputes d JOIN claims c ON c.id = d.claim_id WHERE c.claim_no = ?`, no).Scan(&id); err != nil {
		t.Fatal(err)
	}
	var before string
	ta.db.R.QueryRow("SELECT status FROM claim_disputes WHERE id = ?", id).Scan(&before)
	dana := ta.as("claims@plan.example")
	path := fmt.Sprintf("/claims/disputes/%d", id)
	dana.post(path, url.Values{"status": {"overturned"}, "amount": {"twelve"}, "message": {"Reprocessed."}}).mustStatus(t, 422).
		mustContain(t, "Enter the new payment in dollars and cents, such as 125.00.", `value="twelve"`, "Reprocessed.")
	dana.post(path, url.Values{"status": {"upheld"}, "message": {strings.Repeat("y", 4001)}}).mustStatus(t, 422).
		mustContain(t, "Keep the answer to 4000 characters.")
	var after string
	ta.db.R.QueryRow("SELECT status FROM claim_disputes WHERE id = ?", id).Scan(&after)
	if before == "" || after != before {
		t.Errorf("dispute status %q became %q after refused answers", before, after)
	}

	var pending string
	if err := ta.db.R.QueryRow(`SELECT c.claim_no`+accountClaimsFrom+` AND c.status = 'pending_info' ORDER BY c.id LIMIT 1`, "manager@sunrise.example").Scan(&pending); err != nil {
		t.Fatal(err)
	}
	jane.msgPostMultipart("/claims/"+pending+"/info", url.Values{"text": {strings.Repeat("z", 4001)}}).mustStatus(t, 422).
		mustContain(t, "Keep the answer to 4000 characters; attach longer documents as files.", strings.Repeat("z", 4001))
}

// TestPaymentFilterLength: a filter value too long to be a date, a month or a TIN is
// refused next to its field and not shown again.
func TestPaymentFilterLength(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	long := strings.Repeat("7", 41)
	for _, k := range []string{"month", "tin", "to"} {
		c.get("/claims/payments?"+k+"="+long).mustStatus(t, 422).mustContain(t, "That is too long to be a valid value.").mustNotContain(t, long)
	}
}

// TestErrorSummaryInFormOrder: the error summary lists problems in the order the form
// shows its fields (member ID or last name, then date of birth; routing number before
// account number), not alphabetically by input id.
func TestErrorSummaryInFormOrder(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	summary := regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`)
	order := func(body string, want ...string) {
		t.Helper()
		s := summary.FindString(body)
		last := -1
		for _, w := range want {
			i := strings.Index(s, `href="#`+w+`"`)
			if i < 0 {
				t.Errorf("summary lacks a link to #%s:\n%s", w, s)
				return
			}
			if i < last {
				t.Errorf("summary lists #%s out of the form's order:\n%s", w, s)
			}
			last = i
		}
	}
	for _, p := range []struct{ url, prefix string }{{"/eligibility", "elig-"}, {"/eligibility/quick", "quick-"}} {
		r := c.post(p.url, url.Values{"q": {""}, "dob": {"31/31/1985"}}).mustStatus(t, 422)
		order(r.Body, p.prefix+"q", p.prefix+"dob")
	}
}
