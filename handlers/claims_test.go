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

// accountClaims is the SQL truth of the claims an office user sees: the account's
// verified TIN the context bar starts on (its first by number) and Commercial, the plan
// type a session starts with (the list follows the bar, issue 16).
const accountClaimsFrom = ` FROM claims c JOIN tins t ON t.id = c.tin_id JOIN members m ON m.id = c.member_pk
	WHERE t.status = 'verified' AND t.account_id = (SELECT account_id FROM users WHERE email = ?)
	AND t.id = (SELECT id FROM tins f WHERE f.account_id = t.account_id ORDER BY f.tin LIMIT 1) AND c.plan_type = 'commercial'`

// moreContextClaims gives Sunrise's first TIN six times its Commercial claims (copies
// received one to five years earlier, numbered C5… to C9…), so that the list the
// context bar selects runs over more than one page.
func (ta *testApp) moreContextClaims(t testing.TB) {
	t.Helper()
	for i, prefix := range []string{"C5", "C6", "C7", "C8", "C9"} {
		if _, err := ta.db.W.Exec(`INSERT INTO claims (claim_no, member_pk, tin_id, npi, plan_type, status, received_date, service_from, service_to,
			diagnosis, billed_cents, allowed_cents, paid_cents, member_resp_cents, deductible_cents, payment_id, sensitive_category)
			SELECT ? || substr(claim_no, 3), member_pk, tin_id, npi, plan_type, status, date(received_date, ?), date(service_from, ?), date(service_to, ?),
			diagnosis, billed_cents, allowed_cents, paid_cents, member_resp_cents, deductible_cents, NULL, sensitive_category
			FROM claims WHERE tin_id = (SELECT id FROM tins WHERE tin = '951234567') AND plan_type = 'commercial' AND claim_no LIKE 'C2%'`,
			prefix, fmt.Sprintf("-%d days", 365*(i+1)), fmt.Sprintf("-%d days", 365*(i+1)), fmt.Sprintf("-%d days", 365*(i+1))); err != nil {
			t.Fatal(err)
		}
	}
}

// claimCount counts an account's claims matching extra (a condition on c or m).
func (ta *testApp) claimCount(t testing.TB, email, extra string, args ...any) int {
	t.Helper()
	var n int
	if err := ta.db.R.QueryRow("SELECT COUNT(*)"+accountClaimsFrom+extra, append([]any{email}, args...)...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// claimNos lists an account's claim numbers matching extra, newest received first.
func (ta *testApp) claimNos(t testing.TB, email, extra string, limit int, args ...any) []string {
	t.Helper()
	rows, err := ta.db.R.Query("SELECT c.claim_no"+accountClaimsFrom+extra+" ORDER BY c.received_date DESC, c.id DESC LIMIT ?", append(append([]any{email}, args...), limit)...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

var claimLink = regexp.MustCompile(`href="/claims/(C[0-9]+)"`)

// listedClaims are the claim numbers a list page links, in order.
func listedClaims(body string) []string {
	var out []string
	for _, m := range claimLink.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func sameList(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}

// TestClaimsAccess is the access matrix of every claims route: signed out, plan staff,
// an office user without the claims permission, and another account.
func TestClaimsAccess(t *testing.T) {
	ta := newTestApp(t)
	sunrise := ta.claimNos(t, "manager@sunrise.example", "", 1)[0]
	var valley string
	if err := ta.db.R.QueryRow(`SELECT c.claim_no FROM claims c JOIN tins t ON t.id = c.tin_id WHERE t.tin = '945550001' ORDER BY c.id LIMIT 1`).Scan(&valley); err != nil {
		t.Fatal(err)
	}
	// A Sunrise user without claims: the eligibility-only user of the account.
	if _, err := ta.db.W.Exec("UPDATE users SET permissions = 'eligibility' WHERE email = 'staff@sunrise.example'"); err != nil {
		t.Fatal(err)
	}
	routes := []struct{ method, url string }{
		{http.MethodGet, "/claims"}, {http.MethodGet, "/claims?status=pending_info"}, {http.MethodPost, "/claims"},
		{http.MethodPost, "/claims/csv"}, {http.MethodGet, "/claims/" + sunrise},
	}
	var cases []scenario
	for _, r := range routes {
		name := r.method + " " + r.url
		if r.method == http.MethodGet {
			cases = append(cases, scenario{name: "signed out " + name, url: r.url, wantStatus: http.StatusSeeOther})
		}
		cases = append(cases,
			scenario{name: "plan staff " + name, as: "rep@plan.example", method: r.method, url: r.url, wantStatus: http.StatusForbidden, wantNotContains: []string{sunrise}},
			scenario{name: "admin " + name, as: "admin@plan.example", method: r.method, url: r.url, wantStatus: http.StatusForbidden, wantNotContains: []string{sunrise}},
			scenario{name: "no claims permission " + name, as: "staff@sunrise.example", method: r.method, url: r.url, wantStatus: http.StatusForbidden, wantNotContains: []string{sunrise}},
		)
	}
	cases = append(cases,
		scenario{name: "valley opens a Sunrise claim", as: "manager@valley.example", url: "/claims/" + sunrise, wantStatus: http.StatusNotFound, wantNotContains: []string{sunrise}},
		scenario{name: "valley opens a claim that does not exist", as: "manager@valley.example", url: "/claims/C9999999999", wantStatus: http.StatusNotFound},
		scenario{name: "valley list", as: "manager@valley.example", url: "/claims", wantStatus: http.StatusOK, wantContains: []string{"TIN <span class=\"nowrap\">94-5550001</span>"}, wantNotContains: []string{sunrise}},
		scenario{name: "valley looks for a Sunrise claim number", as: "manager@valley.example", method: http.MethodPost, url: "/claims",
			form: url.Values{"claim_no": {sunrise}}, wantStatus: http.StatusOK, wantContains: []string{"0 claims"}, wantNotContains: []string{`href="/claims/` + sunrise}},
		scenario{name: "sunrise opens a Valley claim", as: "manager@sunrise.example", url: "/claims/" + valley, wantStatus: http.StatusNotFound, wantNotContains: []string{valley}},
		scenario{name: "sunrise opens its own claim", as: "manager@sunrise.example", url: "/claims/" + sunrise, wantStatus: http.StatusOK, wantContains: []string{"Claim " + sunrise}},
	)
	runScenarios(t, ta, cases)
	if loc := ta.anon().get("/claims?status=paid").Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
		t.Errorf("signed out: redirected to %q, not /login", loc)
	}
	for _, p := range []string{"/claims", "/claims/csv"} {
		if r := ta.anon().post(p, url.Values{"claim_no": {sunrise}}); r.Status < 400 || strings.Contains(r.Body, sunrise) {
			t.Errorf("signed out POST %s: status %d", p, r.Status)
		}
	}
	// The refused claim and the missing one look the same.
	vc := ta.as("manager@valley.example")
	a, b := vc.get("/claims/"+sunrise), vc.get("/claims/C9999999999")
	if headingOf(a.Body) != headingOf(b.Body) || a.Status != b.Status {
		t.Errorf("another account's claim (%d %q) differs from a missing one (%d %q)", a.Status, headingOf(a.Body), b.Status, headingOf(b.Body))
	}
	if n := ta.auditCount("claim.view", ""); n != 1 {
		t.Errorf("%d claim.view entries, want 1 (Sunrise's own view only)", n)
	}
	if n := ta.auditCount("claim.view.denied", ""); n < 2 {
		t.Errorf("%d claim.view.denied entries for refused views", n)
	}
}

var h1 = regexp.MustCompile(`<h1[^>]*>([^<]*)</h1>`)

func headingOf(body string) string {
	if m := h1.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// TestClaimsListScope checks that Sunrise's list shows its own TINs' claims only, newest
// received first, 30 to a page with the total.
func TestClaimsListScope(t *testing.T) {
	ta := newTestApp(t)
	ta.moreContextClaims(t)
	const who = "manager@sunrise.example"
	total := ta.claimCount(t, who, "")
	if total <= 30 {
		t.Fatalf("Sunrise has %d claims; the test needs more than a page", total)
	}
	c := ta.as(who)
	r := c.get("/claims").mustStatus(t, 200).mustContain(t, fmt.Sprintf("%d total", total), "Download CSV", `class="num"`)
	if got, want := listedClaims(r.Body), ta.claimNos(t, who, "", 30); !sameList(got, want) {
		t.Errorf("first page %v, want %v", got, want)
	}
	r = c.get("/claims?page=2").mustStatus(t, 200).mustContain(t, "page 2 of")
	all := ta.claimNos(t, who, "", 60)
	if got := listedClaims(r.Body); !sameList(got, all[30:]) {
		t.Errorf("second page %v, want %v", got, all[30:])
	}
	// Every claim any page shows is one of Sunrise's TINs (the SQL truth).
	var others int
	ta.db.R.QueryRow(`SELECT COUNT(*) FROM claims c JOIN tins t ON t.id = c.tin_id WHERE t.account_id <> (SELECT account_id FROM users WHERE email = ?)`, who).Scan(&others)
	if others == 0 {
		t.Fatal("no claims of other accounts in the demo data")
	}
	for _, no := range listedClaims(r.Body) {
		if ta.claimCount(t, who, " AND c.claim_no = ?", no) != 1 {
			t.Errorf("list shows %s, not a Sunrise claim", no)
		}
	}
	c.get("/claims?page=99999").mustStatus(t, 200).mustContain(t, "No claims on this page")
	c.get("/claims?page=abc").mustStatus(t, 200)
	// Dates MM/DD/YYYY and money with two decimals.
	if !regexp.MustCompile(`<td>\d\d/\d\d/\d{4}</td>`).MatchString(r.Body) || !regexp.MustCompile(`<td class="num">\$[0-9,]+\.\d\d</td>`).MatchString(r.Body) {
		t.Error("dates or amounts are not formatted")
	}
}

// TestClaimsFilters checks that each filter gives exactly the expected rows.
func TestClaimsFilters(t *testing.T) {
	ta := newTestApp(t)
	ta.moreContextClaims(t)
	const who = "manager@sunrise.example"
	c := ta.as(who)

	pending := ta.claimCount(t, who, " AND c.status = 'pending_info'")
	r := c.get("/claims?status=pending_info").mustStatus(t, 200).mustContain(t, fmt.Sprintf("%d total", pending), "More information needed")
	if got, want := listedClaims(r.Body), ta.claimNos(t, who, " AND c.status = 'pending_info'", 30); !sameList(got, want) {
		t.Errorf("pending_info: %v, want %v", got, want)
	}
	paid := ta.claimCount(t, who, " AND c.status = 'paid'")
	c.post("/claims", url.Values{"status": {"paid"}}).mustStatus(t, 200).mustContain(t, fmt.Sprintf("%d total", paid))

	no := ta.claimNos(t, who, "", 40)[37]
	r = c.post("/claims", url.Values{"claim_no": {" " + strings.ToLower(no) + " "}}).mustStatus(t, 200).mustContain(t, "1 total")
	if got := listedClaims(r.Body); !sameList(got, []string{no}) {
		t.Errorf("claim number %s: %v", no, got)
	}

	want := ta.claimNos(t, who, " AND m.member_id = 'A100000001'", 30)
	if len(want) == 0 {
		t.Fatal("A100000001 has no Sunrise claims")
	}
	r = c.post("/claims", url.Values{"member_id": {"a10-000-0001"}}).mustStatus(t, 200).mustContain(t, fmt.Sprintf("%d total", ta.claimCount(t, who, " AND m.member_id = 'A100000001'")))
	if got := listedClaims(r.Body); !sameList(got, want) {
		t.Errorf("member A100000001: %v, want %v", got, want)
	}
	// Member-identifying filters never go into a link: paging is a form.
	if strings.Contains(r.Body, "A100000001&") || strings.Contains(r.Body, "member_id=") {
		t.Error("the member ID is in a URL")
	}

	var from, to string
	ta.db.R.QueryRow("SELECT date(MAX(received_date), '-60 days'), date(MAX(received_date), '-30 days') FROM claims").Scan(&from, &to)
	inRange := " AND c.received_date BETWEEN ? AND ?"
	n := ta.claimCount(t, who, inRange, from, to)
	r = c.post("/claims", url.Values{"from": {from}, "to": {to}}).mustStatus(t, 200).mustContain(t, fmt.Sprintf("%d total", n))
	if got, want := listedClaims(r.Body), ta.claimNos(t, who, inRange, 30, from, to); !sameList(got, want) {
		t.Errorf("dates %s–%s: %v, want %v", from, to, got, want)
	}
	// MM/DD/YYYY is read too, and page 2 keeps the filters.
	us := func(iso string) string { return iso[5:7] + "/" + iso[8:10] + "/" + iso[:4] }
	if n > 30 {
		r = c.post("/claims", url.Values{"from": {us(from)}, "to": {us(to)}, "page": {"2"}}).mustStatus(t, 200).mustContain(t, fmt.Sprintf("%d total", n), "page 2 of")
		if got, want := listedClaims(r.Body), ta.claimNos(t, who, inRange, 60, from, to)[30:]; !sameList(got, want) {
			t.Errorf("dates page 2: %v, want %v", got, want)
		}
	}
	// Everything together.
	c.post("/claims", url.Values{"status": {"paid"}, "member_id": {"A100000001"}, "from": {"2000-01-01"}, "to": {"2099-12-31"}}).mustStatus(t, 200).
		mustContain(t, fmt.Sprintf("%d total", ta.claimCount(t, who, " AND m.member_id = 'A100000001' AND c.status = 'paid'")))
	c.post("/claims", url.Values{"member_id": {"Z999999999"}}).mustStatus(t, 200).mustContain(t, "0 claims", "No claims match")
}

// TestClaimsBadInput: bad filters give 422 with a message next to the field, never 500.
func TestClaimsBadInput(t *testing.T) {
	ta := newTestApp(t)
	long := strings.Repeat("x", 10*1024)
	var cases []scenario
	for _, p := range []string{"/claims", "/claims/csv"} {
		cases = append(cases,
			scenario{name: p + " bad from date", method: "POST", url: p, form: url.Values{"from": {"13/45/2020"}}, wantStatus: 422, wantContains: []string{"There is a problem", "as MM/DD/YYYY"}},
			scenario{name: p + " bad to date", method: "POST", url: p, form: url.Values{"to": {"yesterday"}}, wantStatus: 422, wantContains: []string{"as MM/DD/YYYY"}},
			scenario{name: p + " to before from", method: "POST", url: p, form: url.Values{"from": {"2026-03-01"}, "to": {"2026-02-01"}}, wantStatus: 422, wantContains: []string{"on or after"}},
			scenario{name: p + " unknown status", method: "POST", url: p, form: url.Values{"status": {"lost"}}, wantStatus: 422, wantContains: []string{"Choose a status"}},
			scenario{name: p + " 10 KB claim number", method: "POST", url: p, form: url.Values{"claim_no": {long}}, wantStatus: 422, wantContains: []string{"too long"}},
			scenario{name: p + " 10 KB member ID", method: "POST", url: p, form: url.Values{"member_id": {long}}, wantStatus: 422, wantContains: []string{"too long"}},
			scenario{name: p + " 10 KB dates and status", method: "POST", url: p, form: url.Values{"from": {long}, "to": {long}, "status": {long}}, wantStatus: 422, wantContains: []string{"too long"}},
			scenario{name: p + " claim number with symbols", method: "POST", url: p, form: url.Values{"claim_no": {"C26'; DROP TABLE claims;--"}}, wantStatus: 422, wantContains: []string{"letters and digits"}},
			scenario{name: p + " member ID of symbols only", method: "POST", url: p, form: url.Values{"member_id": {"--//"}}, wantStatus: 422, wantContains: []string{"member ID"}},
		)
	}
	cases = append(cases,
		scenario{name: "unknown status link", url: "/claims?status=lost", wantStatus: 422, wantContains: []string{"Choose a status"}},
		scenario{name: "long status link", url: "/claims?status=" + strings.Repeat("x", 1000), wantStatus: 422},
		scenario{name: "negative page", url: "/claims?page=-5", wantStatus: 200},
		scenario{name: "huge page", url: "/claims?page=99999999999999999999", wantStatus: 200},
		scenario{name: "claim of symbols", url: "/claims/%27%3B--", wantStatus: 404},
		scenario{name: "long claim number", url: "/claims/" + strings.Repeat("C1", 500), wantStatus: 404},
	)
	for i := range cases {
		cases[i].as = "manager@sunrise.example"
	}
	runScenarios(t, ta, cases)
	// The typed value comes back, escaped.
	ta.as("manager@sunrise.example").post("/claims", url.Values{"claim_no": {`<b>x</b>"`}}).mustStatus(t, 422).mustNotContain(t, "<b>x</b>")
}

// TestClaimsCSV checks the download: headers, one row per filtered claim, no member
// filter in the URL.
func TestClaimsCSV(t *testing.T) {
	ta := newTestApp(t)
	ta.moreContextClaims(t)
	const who = "manager@sunrise.example"
	c := ta.as(who)
	r := c.post("/claims/csv", url.Values{"status": {"paid"}}).mustStatus(t, 200)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
		t.Errorf("Content-Disposition %q", cd)
	}
	lines := strings.Split(strings.TrimSpace(r.Body), "\n")
	if want := ta.claimCount(t, who, " AND c.status = 'paid'") + 1; len(lines) != want {
		t.Errorf("%d lines, want %d", len(lines), want)
	}
	if !strings.HasPrefix(lines[0], "claim_no,status,received_date") {
		t.Errorf("header %q", lines[0])
	}
	first := ta.claimNos(t, who, " AND c.status = 'paid'", 1)[0]
	if !strings.HasPrefix(lines[1], first+",Paid,") {
		t.Errorf("first row %q, want claim %s", lines[1], first)
	}
	if !regexp.MustCompile(`,\d\d/\d\d/\d{4},`).MatchString(lines[1]) || !regexp.MustCompile(`,\d+\.\d\d$`).MatchString(strings.TrimSpace(lines[1])) {
		t.Errorf("row format %q", lines[1])
	}
	r = c.post("/claims/csv", url.Values{"member_id": {"A100000001"}}).mustStatus(t, 200)
	if got, want := strings.Count(strings.TrimSpace(r.Body), "\n"), ta.claimCount(t, who, " AND m.member_id = 'A100000001'"); got != want {
		t.Errorf("member CSV: %d rows, want %d", got, want)
	}
	if strings.Contains(r.Body, "D300000001") {
		t.Error("CSV holds another account's member")
	}
	// The list's download button is a POST form carrying the filters.
	c.post("/claims", url.Values{"member_id": {"A100000001"}}).mustStatus(t, 200).
		mustContain(t, `action="/claims/csv"`, `name="member_id" value="A100000001"`)
	if n := ta.auditCount("claims.export", ""); n != 2 {
		t.Errorf("%d claims.export entries, want 2", n)
	}
}

// TestClaimShow checks the claim page against the database and its audit entry.
func TestClaimShow(t *testing.T) {
	ta := newTestApp(t)
	const who = "manager@sunrise.example"
	var no, memberID, checkNo, checkDate, code, desc string
	var lines int
	err := ta.db.R.QueryRow(`SELECT c.claim_no, m.member_id, p.check_no, p.check_date,
		(SELECT code FROM claim_lines WHERE claim_id = c.id ORDER BY line_no LIMIT 1),
		(SELECT description FROM claim_lines WHERE claim_id = c.id ORDER BY line_no LIMIT 1),
		(SELECT COUNT(*) FROM claim_lines WHERE claim_id = c.id)`+
		strings.Replace(accountClaimsFrom, "JOIN members m ON m.id = c.member_pk", "JOIN members m ON m.id = c.member_pk JOIN payments p ON p.id = c.payment_id", 1)+
		` AND c.status = 'paid' AND m.member_id = 'A100000001' ORDER BY c.id LIMIT 1`, who).Scan(&no, &memberID, &checkNo, &checkDate, &code, &desc, &lines)
	if err != nil {
		t.Fatal(err)
	}
	c := ta.as(who)
	us := checkDate[5:7] + "/" + checkDate[8:10] + "/" + checkDate[:4]
	r := c.get("/claims/"+no).mustStatus(t, 200).mustContain(t, "Claim "+no, "Maria Lopez", `href="/members/A100000001"`, "95-", "Paid", "status-ok",
		checkNo, us, code, desc, "Claim total", "Service lines", "Adjustment reason")
	if got := strings.Count(r.Body, "<tr>") - 2; got != lines { // header and total rows
		t.Errorf("%d line rows, want %d", got, lines)
	}
	c.get("/claims/"+strings.ToLower(no)).mustStatus(t, 200)
	if n := ta.auditCount("claim.view", memberID); n != 2 {
		t.Errorf("%d claim.view entries for %s, want 2", n, memberID)
	}
	var obj, typ string
	ta.db.R.QueryRow("SELECT object_id, object_type FROM audit_log WHERE action = 'claim.view' ORDER BY id DESC LIMIT 1").Scan(&obj, &typ)
	if obj != no || typ != "claim" {
		t.Errorf("audit object %s %s", typ, obj)
	}
	// An unpaid claim says so.
	var unpaid string
	ta.db.R.QueryRow("SELECT c.claim_no"+accountClaimsFrom+" AND c.payment_id IS NULL LIMIT 1", who).Scan(&unpaid)
	if unpaid != "" {
		c.get("/claims/"+unpaid).mustStatus(t, 200).mustContain(t, "Not paid by check yet")
	}
}

// TestClaimQueriesUseIndexes runs EXPLAIN QUERY PLAN over every claims-area query and
// fails on a full scan of members or claims.
func TestClaimQueriesUseIndexes(t *testing.T) {
	ta := newTestApp(t)
	for _, q := range models.ClaimListQueries() {
		plan := queryPlan(t, ta, q.Name, q.SQL, q.Args)
		for _, detail := range plan {
			if fullScan(detail) {
				t.Errorf("%s: full scan %q", q.Name, detail)
			}
			// A page of a TIN's claims walks the index in order and stops: no sort of
			// the TIN's whole history.
			if strings.HasSuffix(q.Name, "TIN page") && strings.Contains(detail, "TEMP B-TREE") {
				t.Errorf("%s: sorts %q", q.Name, detail)
			}
		}
		t.Logf("%s: %s", q.Name, strings.Join(plan, " | "))
	}
}
