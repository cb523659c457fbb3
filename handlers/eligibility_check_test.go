package handlers

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portico/models"
)

// TestEligibilityMatching covers the matching rules of SPEC §4 through the quick check.
func TestEligibilityMatching(t *testing.T) {
	ta := newTestApp(t)
	found := []string{"Maria Lopez", "Active", "Portico Silver 70 HMO", "/members/A100000001", "PCP $35.00"}
	notFoundID := "No member with that member ID and date of birth was found under Commercial. Try the last name and date of birth instead"
	runScenarios(t, ta, []scenario{
		{name: "ID + ISO DOB", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}}, wantStatus: 200, wantContains: found},
		{name: "ID with case, spaces, dashes + US DOB", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {" a10-000 0001 "}, "dob": {"03/14/1985"}}, wantStatus: 200, wantContains: found},
		{name: "ID without its alpha prefix", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"100000001"}, "dob": {"1985-03-14"}}, wantStatus: 200, wantContains: []string{notFoundID}, wantNotContains: []string{"Maria"}},
		{name: "ID with the wrong DOB", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"A100000001"}, "dob": {"1985-03-15"}}, wantStatus: 200, wantContains: []string{notFoundID}, wantNotContains: []string{"Maria"}},
		{name: "last name any case + DOB", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"LOPEZ"}, "dob": {"1985-03-14"}}, wantStatus: 200, wantContains: found},
		{name: "last name with accent", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"López"}, "dob": {"1985-03-14"}}, wantStatus: 200, wantContains: found},
		{name: "partial last name finds nothing", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"Lop"}, "dob": {"1985-03-14"}}, wantStatus: 200, wantNotContains: []string{"Maria"}, wantContains: []string{"No member with that last name"}},
		{name: "wildcard finds nothing", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"L%"}, "dob": {"1985-03-14"}}, wantStatus: 200, wantNotContains: []string{"Maria"}},
		{name: "DOB is required", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"A100000001"}}, wantStatus: 422, wantContains: []string{"error-summary", "Enter the member&#39;s date of birth.", `value="A100000001"`}, wantNotContains: []string{"Maria"}},
		{name: "bad DOB", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"A100000001"}, "dob": {"13/45/1985"}}, wantStatus: 422, wantContains: []string{"MM/DD/YYYY"}},
		{name: "future DOB", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"A100000001"}, "dob": {"2999-01-01"}}, wantStatus: 422},
		{name: "nothing typed", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{}, wantStatus: 422, wantContains: []string{"Enter the member ID or the last name."}},
		{name: "HTMX swaps the card", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}}, wantStatus: 200,
			wantContains: append(found, `id="quick-check"`), wantNotContains: []string{"<html", "site-header"}},
		{name: "plan staff cannot check", as: "rep@plan.example", method: "POST", url: "/eligibility/quick", hx: true, form: url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}}, wantStatus: 403, wantNotContains: []string{"Maria"}},
		{name: "signed out", method: "GET", url: "/eligibility", wantStatus: 303},
		{name: "plan staff eligibility page", as: "admin@plan.example", url: "/eligibility", wantStatus: 403},
	})
	if n := ta.auditCount("eligibility.check", "A100000001"); n != 5 {
		t.Errorf("eligibility.check entries with A100000001: %d, want 5", n)
	}
	if n := ta.auditCount("eligibility.check", ""); n != 9 {
		t.Errorf("eligibility.check entries: %d, want 9 (each check, found or not; none for invalid input)", n)
	}
}

// TestEligibilityPlanTypeScope: the wrong plan type finds nothing, and the answer is the
// same whether or not the member exists under another plan type.
func TestEligibilityPlanTypeScope(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	hint := "check that the plan type selected above is the member&#39;s plan type"
	c.htmx = true
	exists := c.post("/eligibility/quick", url.Values{"q": {"D300000001"}, "dob": {"1948-11-30"}}).mustStatus(t, 200).mustContain(t, hint).mustNotContain(t, "Robert", "Chen", "Medicare/DSNP member")
	missing := c.post("/eligibility/quick", url.Values{"q": {"D399999999"}, "dob": {"1948-11-30"}}).mustStatus(t, 200)
	if a, b := resultText(exists.Body), resultText(missing.Body); a != b || a == "" {
		t.Errorf("answers differ:\n%s\n%s", a, b)
	}
	byName := c.post("/eligibility/quick", url.Values{"q": {"Chen"}, "dob": {"1948-11-30"}}).mustStatus(t, 200).mustNotContain(t, "Robert")
	byNameMissing := c.post("/eligibility/quick", url.Values{"q": {"Zzyzx"}, "dob": {"1948-11-30"}}).mustStatus(t, 200)
	if a, b := resultText(byName.Body), resultText(byNameMissing.Body); a != b {
		t.Errorf("answers by name differ:\n%s\n%s", a, b)
	}
	// Switching the plan type to Medicare/DSNP finds him (eligibility for any account).
	c.post("/dashboard/context", url.Values{"tin_id": {ta.tinID(t, "951234567")}, "plan_type": {"medicare"}}).mustStatus(t, 303)
	c.post("/eligibility/quick", url.Values{"q": {"D300000001"}, "dob": {"1948-11-30"}}).mustStatus(t, 200).mustContain(t, "Robert Chen", "Portico Dual Advantage D-SNP")
	// ... and Maria Lopez is now out of scope.
	c.post("/eligibility/quick", url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}}).mustStatus(t, 200).mustNotContain(t, "Maria").mustContain(t, "under Medicare/DSNP")
}

// resultText is the quick-check result area of a page.
func resultText(body string) string {
	i := strings.Index(body, `id="quick-result"`)
	if i < 0 {
		return ""
	}
	body = body[i:]
	if j := strings.Index(body, "</section>"); j >= 0 {
		body = body[:j]
	}
	return body
}

// TestEligibilityAmbiguousName: several members with one last name and DOB ask for the
// first name; with it, the right one is found.
func TestEligibilityAmbiguousName(t *testing.T) {
	ta := newTestApp(t)
	_, err := ta.db.W.Exec(`INSERT INTO members(member_id, first_name, last_name, last_name_key, dob, plan_id, plan_type, effective_date)
		SELECT 'A199999999', 'Ana', 'Lopez', 'lopez', dob, plan_id, plan_type, effective_date FROM members WHERE member_id = 'A100000001'`)
	if err != nil {
		t.Fatal(err)
	}
	c := ta.as("manager@sunrise.example")
	c.htmx = true
	c.post("/eligibility/quick", url.Values{"q": {"Lopez"}, "dob": {"1985-03-14"}}).mustStatus(t, 200).
		mustContain(t, "More than one member has that last name and date of birth", `id="quick-first"`).mustNotContain(t, "Maria", "Ana ")
	c.post("/eligibility/quick", url.Values{"q": {"Lopez"}, "first_name": {"maria"}, "dob": {"1985-03-14"}}).mustStatus(t, 200).mustContain(t, "Maria Lopez").mustNotContain(t, "Ana Lopez")
	c.post("/eligibility/quick", url.Values{"q": {"Lopez"}, "first_name": {"Ana"}, "dob": {"03/14/1985"}}).mustStatus(t, 200).mustContain(t, "Ana Lopez")
}

// TestEligibilitySuffix: last names match with or without the suffix.
func TestEligibilitySuffix(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	c.post("/dashboard/context", url.Values{"tin_id": {ta.tinID(t, "951234567")}, "plan_type": {"medical"}}).mustStatus(t, 303)
	for _, name := range []string{"Smith Jr.", "smith jr", "SMITH", "Smith, Jr."} {
		c.post("/eligibility/quick", url.Values{"q": {name}, "dob": {"2010-07-02"}}).mustStatus(t, 200).mustContain(t, "James Smith Jr.", "M200000001")
	}
}

// TestEligibilityRunningList: checks accumulate on the Eligibility Check page, with and
// without JavaScript.
func TestEligibilityRunningList(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	c.get("/eligibility").mustStatus(t, 200).mustContain(t, "No members checked yet")
	c.post("/eligibility", url.Values{"q": {"A100000001"}, "dob": {"03/14/1985"}}).mustStatus(t, 303)
	c.post("/eligibility", url.Values{"q": {"A100000009"}, "dob": {"03/14/1985"}}).mustStatus(t, 303)
	c.htmx = true
	r := c.post("/eligibility", url.Values{"q": {"Lopez"}, "dob": {"1985-03-14"}}).mustStatus(t, 200)
	r.mustContain(t, `<li class="elig-item">`, "Maria Lopez", `data-hx-swap-oob="true"`).mustNotContain(t, "<html")
	bad := c.post("/eligibility", url.Values{"q": {"A100000001"}}).mustStatus(t, 422)
	if bad.Header.Get("HX-Retarget") != "#elig-form" {
		t.Errorf("HX-Retarget %q", bad.Header.Get("HX-Retarget"))
	}
	bad.mustContain(t, "Enter the member&#39;s date of birth.", `value="A100000001"`)
	c.htmx = false
	page := c.get("/eligibility").mustStatus(t, 200)
	if n := strings.Count(page.Body, `<li class="elig-item">`); n != 3 {
		t.Errorf("running list has %d entries, want 3", n)
	}
	page.mustContain(t, "A100000009 · born 03/14/1985 · Commercial", "Try the last name and date of birth instead")
	// Another user's session has its own list.
	ta.as("staff@sunrise.example").get("/eligibility").mustStatus(t, 200).mustContain(t, "No members checked yet").mustNotContain(t, "Maria")
	c.post("/eligibility/clear", nil).mustStatus(t, 303)
	c.get("/eligibility").mustContain(t, "No members checked yet")
	// A plain post with an error keeps what was typed.
	c.post("/eligibility", url.Values{"q": {"Lopez"}, "dob": {"not a date"}}).mustStatus(t, 422).mustContain(t, `value="Lopez"`, "error-summary")
}

// TestMemberCardAfterLookup: the ID card shows eligibility-level facts after an exact
// look-up in this session, even without a care relationship; otherwise it is refused.
func TestMemberCardAfterLookup(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@valley.example")
	c.get("/members/A100000001/card").mustStatus(t, 403).mustNotContain(t, "Maria")
	c.post("/dashboard/context", url.Values{"tin_id": {ta.tinID(t, "945550001")}, "plan_type": {"commercial"}}).mustStatus(t, 303)
	c.post("/eligibility/quick", url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}}).mustStatus(t, 200).mustContain(t, "Maria Lopez")
	c.get("/members/A100000001/card").mustStatus(t, 200).mustContain(t, "Maria Lopez", "A100000001")
	c.get("/members/A100000001/print").mustStatus(t, 200).mustContain(t, "Eligibility result", "Maria Lopez", "Active", "PCP $35.00", "print-only")
	// Another Valley user's session has made no look-up.
	ta.as("manager@valley.example").get("/members/A100000001/print").mustStatus(t, 403).mustNotContain(t, "Maria")
	// The record itself still needs the care relationship.
	c.get("/members/A100000001").mustStatus(t, 403).mustNotContain(t, "03/14/1985")
	c.get("/members/A100000001/claims").mustStatus(t, 403).mustNotContain(t, "C26")
}

// uploadRoster posts a roster file as multipart form data.
func (c *client) uploadRoster(path, filename string, content []byte) *response {
	c.ta.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.csrf)
	fw, _ := w.CreateFormFile("roster", filename)
	_, _ = fw.Write(content)
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

var rosterLink = `href="/eligibility/roster/`

// rosterResults follows a roster upload's redirect (Post/Redirect/Get) to its result
// page, which has its own URL: /eligibility/roster/{token}, no member data in it.
func (c *client) rosterResults(t *testing.T, r *response) *response {
	t.Helper()
	r.mustStatus(t, http.StatusSeeOther)
	loc := r.Header.Get("Location")
	if !regexp.MustCompile(`^/eligibility/roster/[A-Za-z0-9_-]+$`).MatchString(loc) {
		t.Fatalf("roster upload redirected to %q", loc)
	}
	return c.get(loc).mustStatus(t, http.StatusOK)
}

// TestEligibilityRoster covers the CSV roster: a result per row, malformed rows by line
// number, and clear messages for empty, huge and wrongly encoded files.
func TestEligibilityRoster(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	csv := "member_id,last_name,first_name,dob\r\n" +
		"A100000001,,,03/14/1985\r\n" +
		",López,Maria,1985-03-14\r\n" +
		"D300000001,,,1948-11-30\r\n" +
		"A100000001,,,not-a-date\r\n" +
		",,,1985-03-14\r\n" +
		"\r\n" +
		"A1000-00001,,,1985-03-14\r\n"
	r := c.rosterResults(t, c.uploadRoster("/eligibility/roster", "roster.csv", []byte(csv)))
	// The results come right after the upload form, before the single check and its list.
	if up, res, one := strings.Index(r.Body, `id="roster-h"`), strings.Index(r.Body, `id="roster-results-h"`), strings.Index(r.Body, `id="check-h"`); !(up < res && res < one) {
		t.Errorf("roster upload at %d, results at %d, single check at %d", up, res, one)
	}
	r.mustContain(t, "Roster results", "6 rows: 3 found, 1 not found, 2 could not be read",
		"Line 5 could not be read", "Date of birth:", "Line 6 could not be read", "Give a member ID", "No match under Commercial").
		mustNotContain(t, "Robert")
	if n := ta.auditCount("eligibility.check", "A100000001"); n != 3 {
		t.Errorf("roster audit entries with A100000001: %d, want 3", n)
	}
	i := strings.Index(r.Body, rosterLink)
	if i < 0 {
		t.Fatal("no download link")
	}
	link := r.Body[i+len(`href="`):]
	link = link[:strings.Index(link, `"`)]
	if strings.Contains(link, "A100000001") || strings.Contains(link, "?") {
		t.Errorf("download link carries member data: %s", link)
	}
	dl := c.get(link).mustStatus(t, 200)
	if ct := dl.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	dl.mustContain(t, "line,given,result", "2,A100000001,found,,A100000001,Maria,Lopez,1985-03-14,active", "5,A100000001,malformed")
	// Another session cannot fetch these results.
	ta.as("manager@sunrise.example").get(link).mustStatus(t, 404).mustNotContain(t, "Maria")
	ta.as("manager@valley.example").get(link).mustStatus(t, 404)

	// Without a header, the four columns in order; a formula-looking value is neutralised.
	c.rosterResults(t, c.uploadRoster("/eligibility/roster", "r.csv", []byte("=HYPERLINK(1),,,1985-03-14\nA100000001,Lopez,Maria,03/14/1985\n"))).
		mustContain(t, "2 rows: 1 found, 1 not found")

	cases := []struct {
		name    string
		content []byte
		want    string
	}{
		{"empty", nil, "The file is empty."},
		{"blank lines", []byte("\n\n  \n"), "The file is empty."},
		{"header only", []byte("member_id,last_name,first_name,dob\n"), "The file has no member rows."},
		{"UTF-16", append([]byte{0xFF, 0xFE}, []byte("A\x001\x00,\x00")...), "UTF-16"},
		{"binary", []byte{0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H', 'D', 'R'}, "binary data"},
		{"Windows-1252", []byte("member_id,last_name,first_name,dob\n,L\xf3pez,Maria,03/14/1985\n"), "not UTF-8 text"},
		{"too many rows", []byte(strings.Repeat("A100000001,,,03/14/1985\n", 1001)), "more than 1,000 rows"},
		{"too large", bytes.Repeat([]byte("x"), 600<<10), "The file is too large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.uploadRoster("/eligibility/roster", "roster.csv", tc.content).mustStatus(t, 422)
			r.mustContain(t, tc.want, `id="roster-error"`).mustNotContain(t, "Roster results")
		})
	}
	// No file at all.
	c.post("/eligibility/roster", nil).mustStatus(t, 422).mustContain(t, "Choose a CSV file to upload.")
	// Exactly 1,000 rows are checked.
	r = c.rosterResults(t, c.uploadRoster("/eligibility/roster", "big.csv", []byte(strings.Repeat("A100000001,,,03/14/1985\n", 1000))))
	r.mustContain(t, fmt.Sprintf("%d rows: %d found", 1000, 1000))
	runScenarios(t, ta, []scenario{
		{name: "plan staff roster", as: "rep@plan.example", method: "POST", url: "/eligibility/roster", wantStatus: 403},
		{name: "signed out download", url: link, wantStatus: 303},
		{name: "another session's results page", as: "manager@valley.example", url: strings.TrimSuffix(link, ".csv"), wantStatus: 404, wantNotContains: []string{"Maria"}},
	})
}

// TestEligibilityConcurrentChecks: checks made at the same time share group commits;
// every one is audited once and the audit chain still verifies.
func TestEligibilityConcurrentChecks(t *testing.T) {
	ta := newTestApp(t)
	const n = 40
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = ta.as("manager@sunrise.example")
		clients[i].htmx = true
	}
	before := ta.auditCount("eligibility.check", "")
	done := make(chan int, n)
	for i, c := range clients {
		go func(i int, c *client) {
			form := url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}, "_csrf": {c.csrf}}
			req := httptest.NewRequest(http.MethodPost, "/eligibility/quick", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
			for _, ck := range c.cookies {
				req.AddCookie(ck)
			}
			res, err := ta.app.Test(req, -1)
			if err != nil {
				done <- 0
				return
			}
			res.Body.Close()
			done <- res.StatusCode
		}(i, c)
	}
	for range n {
		if st := <-done; st != http.StatusOK {
			t.Errorf("status %d", st)
		}
	}
	if ta.auditCount("eligibility.check", "") != before+n {
		t.Errorf("audit entries: %d, want %d", ta.auditCount("eligibility.check", ""), before+n)
	}
	checked, bad, reason, err := models.Audit{DB: ta.db}.Verify(context.Background())
	if err != nil || bad != 0 {
		t.Fatalf("audit chain broken after %d entries at %d: %s %v", checked, bad, reason, err)
	}
	var rows int
	_ = ta.db.R.QueryRow("SELECT COUNT(*) FROM eligibility_checks").Scan(&rows)
	if rows != n {
		t.Errorf("running-list rows %d, want %d", rows, n)
	}
}
