package handlers

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// mustMarkField checks what a screen-reader user meets for a refused field: the error
// summary links to the input, the message sits under the field's own id, and the input
// says it is invalid and is described by that message.
func (r *response) mustMarkField(t testing.TB, id, msg string) *response {
	t.Helper()
	r.mustContain(t, `<a href="#`+id+`">`+msg+`</a>`, `<span class="field-error" id="`+id+`-error">`+msg+`</span>`)
	input := regexp.MustCompile(`<(?:input|select|textarea)\b[^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(r.Body)
	if input == "" {
		t.Fatalf("no input with id %q", id)
	}
	if !strings.Contains(input, `aria-invalid="true"`) || !regexp.MustCompile(`aria-describedby="[^"]*\b`+regexp.QuoteMeta(id)+`-error\b`).MatchString(input) {
		t.Errorf("input %q is not marked invalid and described by its message: %s", id, input)
	}
	return r
}

// TestOfficeFormsLinkMessagesToFields: each office form refused shows one summary that
// links to the refused inputs, each message under its field, and the inputs marked; a
// page with two forms keeps each form's messages with that form.
func TestOfficeFormsLinkMessagesToFields(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	both := func() url.Values { return url.Values{"q": {""}, "dob": {"31/31/1985"}} } // post adds the client's token
	noQ, badDOB := "Enter the member ID or the last name.", "Enter the date of birth as MM/DD/YYYY, for example 03/14/1985."

	// The Eligibility Check page: the look-up form, alone and as the HTMX fragment.
	page := c.post("/eligibility", both()).mustStatus(t, 422).mustMarkField(t, "elig-q", noQ).mustMarkField(t, "elig-dob", badDOB)
	if n := strings.Count(page.Body, `class="error-summary"`); n != 1 {
		t.Errorf("%d error summaries on the page, want 1", n)
	}
	page.mustNotContain(t, `id="roster-error"`)
	hx := ta.as("manager@sunrise.example")
	hx.htmx = true
	hx.post("/eligibility", both()).mustStatus(t, 422).mustMarkField(t, "elig-q", noQ).mustNotContain(t, "<html")
	// A last name shared by several members asks for the first name, next to its field;
	// on the dashboard's card the result says so, with no summary above the form.
	if _, err := ta.db.W.Exec(`INSERT INTO members(member_id, first_name, last_name, last_name_key, dob, plan_id, plan_type, effective_date)
		SELECT 'A199999999', 'Ana', 'Lopez', 'lopez', dob, plan_id, plan_type, effective_date FROM members WHERE member_id = 'A100000001'`); err != nil {
		t.Fatal(err)
	}
	lopez := func() url.Values { return url.Values{"q": {"Lopez"}, "dob": {"1985-03-14"}} }
	c.post("/eligibility", lopez()).mustStatus(t, 200).mustMarkField(t, "elig-first", "Add the member&#39;s first name.")
	hx.post("/eligibility/quick", lopez()).mustStatus(t, 200).mustContain(t, `<span class="field-error" id="quick-first-error">`, `aria-describedby="quick-first-error" aria-invalid="true"`).
		mustNotContain(t, "error-summary")

	// The roster upload: its message is the upload card's, not the look-up form's.
	r := c.post("/eligibility/roster", nil).mustStatus(t, 422).mustMarkField(t, "roster", "Choose a CSV file to upload.")
	r.mustNotContain(t, `id="elig-q-error"`, `elig-q-hint elig-q-error`)
	if i, j := strings.Index(r.Body, `class="error-summary"`), strings.Index(r.Body, `id="roster-h"`); i < j {
		t.Error("the roster's summary is not in the upload card")
	}

	// The dashboard: the quick check and Go Paperless each keep their own messages.
	d := c.post("/eligibility/quick", both()).mustStatus(t, 422).mustMarkField(t, "quick-q", noQ).mustMarkField(t, "quick-dob", badDOB)
	d.mustNotContain(t, `id="pl-routing-error"`, "<details open")
	hx.post("/eligibility/quick", both()).mustStatus(t, 422).mustMarkField(t, "quick-dob", badDOB).mustNotContain(t, "<html")
	p := c.post("/dashboard/paperless", url.Values{"eft": {"1"}}).mustStatus(t, 422).
		mustMarkField(t, "pl-routing", "Electronic funds transfer needs the bank&#39;s routing number.").
		mustMarkField(t, "pl-account", "Electronic funds transfer needs the account number.")
	p.mustContain(t, "<details open").mustNotContain(t, `id="quick-q-error"`)
	c.post("/dashboard/paperless", url.Values{"routing": {"021000021"}, "account": {"12345678"}, "account_type": {"bonds"}}).
		mustStatus(t, 422).mustMarkField(t, "pl-type", "Choose checking or savings.")
}

// TestDisputeAnswerMessages: the Claims department's answer refused is told in the
// form of its own dispute, whose inputs' ids carry the dispute's ID; an answer to a
// dispute already answered is told above the queue, linked to that dispute's card.
func TestDisputeAnswerMessages(t *testing.T) {
	ta := newTestApp(t)
	var open, closed int64
	ta.db.R.QueryRow("SELECT id FROM claim_disputes WHERE status IN ('received','in_review') ORDER BY id LIMIT 1").Scan(&open)
	ta.db.R.QueryRow("SELECT id FROM claim_disputes WHERE status NOT IN ('received','in_review') ORDER BY id LIMIT 1").Scan(&closed)
	if open == 0 || closed == 0 {
		t.Fatalf("the demo needs an open and an answered dispute: %d %d", open, closed)
	}
	dana := ta.as("claims@plan.example")
	r := dana.post(fmt.Sprintf("/claims/disputes/%d", open), url.Values{"status": {"overturned"}, "amount": {"0"}, "message": {" "}}).mustStatus(t, 422)
	r.mustMarkField(t, fmt.Sprintf("dd-amount-%d", open), "Enter the new payment in dollars and cents, such as 125.00.")
	r.mustContain(t, `value="0"`)
	r = dana.post(fmt.Sprintf("/claims/disputes/%d", open), url.Values{"status": {"closed"}, "message": {""}}).mustStatus(t, 422)
	r.mustMarkField(t, fmt.Sprintf("dd-status-%d", open), "Choose in review, upheld or overturned.").
		mustMarkField(t, fmt.Sprintf("dd-message-%d", open), "Write the answer the office will read in the thread.")

	r = dana.post(fmt.Sprintf("/claims/disputes/%d", closed), url.Values{"status": {"upheld"}, "message": {"Again"}}).mustStatus(t, 422)
	r.mustContain(t, fmt.Sprintf(`<a href="#dispute-%d-h">This dispute was already answered.</a>`, closed), fmt.Sprintf(`id="dispute-%d-h"`, closed))
	if n := strings.Count(r.Body, `class="error-summary"`); n != 1 {
		t.Errorf("%d error summaries on the queue, want 1", n)
	}
}
