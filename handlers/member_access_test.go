package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// memberPaths are every member record route for one member ID.
func memberPaths(id string) []string {
	p := "/members/" + id
	return []string{p, p + "/benefits", p + "/cost-sharing", p + "/claims", p + "/pharmacy", p + "/pharmacy/cdl.csv", p + "/card", p + "/print",
		p + "/authorizations", p + "/assessments", p + "/care-plan", p + "/health-records", p + "/referrals", p + "/care-coordination"}
}

// TestMemberRecordIsolation is the isolation matrix of the member record: an account
// without a care relationship gets the no-relationship page on every route, typed by
// hand, and sees nothing of the member.
func TestMemberRecordIsolation(t *testing.T) {
	ta := newTestApp(t)
	var cases []scenario
	for _, p := range memberPaths("A100000001") {
		cases = append(cases, scenario{name: "valley opens Sunrise's member " + p, as: "manager@valley.example", url: p,
			wantStatus: http.StatusForbidden, wantContains: []string{"No care relationship on file"},
			wantNotContains: []string{"03/14/1985", "1985-03-14", "Maria", "Lopez", "C26", "Silver 70"}})
	}
	for _, p := range memberPaths("D300000001") {
		cases = append(cases, scenario{name: "sunrise opens Valley's member " + p, as: "manager@sunrise.example", url: p,
			wantStatus: http.StatusForbidden, wantContains: []string{"No care relationship on file"},
			wantNotContains: []string{"11/30/1948", "1948-11-30", "Robert", "Chen", "D-SNP"}})
		cases = append(cases, scenario{name: "sunrise staff opens Valley's member " + p, as: "staff@sunrise.example", url: p,
			wantStatus: http.StatusForbidden, wantContains: []string{"No care relationship on file"}, wantNotContains: []string{"Robert"}})
	}
	// A member ID that does not exist looks exactly like one without a relationship.
	cases = append(cases, scenario{name: "unknown member", as: "manager@sunrise.example", url: "/members/Z999999999",
		wantStatus: http.StatusForbidden, wantContains: []string{"No care relationship on file"}})
	for _, p := range memberPaths("A100000001") {
		cases = append(cases,
			scenario{name: "signed out " + p, url: p, wantStatus: http.StatusSeeOther},
			scenario{name: "plan staff " + p, as: "rep@plan.example", url: p, wantStatus: http.StatusForbidden, wantNotContains: []string{"Maria"}},
			scenario{name: "admin " + p, as: "admin@plan.example", url: p, wantStatus: http.StatusForbidden, wantNotContains: []string{"Maria"}},
		)
	}
	runScenarios(t, ta, cases)
	if loc := ta.anon().get("/members/A100000001/claims").Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
		t.Errorf("signed out: redirected to %q, not /login", loc)
	}
	if n := ta.auditCount("member.view", ""); n != 0 {
		t.Errorf("%d member.view entries for refused views", n)
	}
	if n := ta.auditCount("member.view.denied", "D300000001"); n == 0 {
		t.Error("refused views of D300000001 were not audited")
	}
}

// TestMemberRecordSections checks who sees which sections and that each view is audited.
func TestMemberRecordSections(t *testing.T) {
	ta := newTestApp(t)
	clinical := []string{"Authorizations", "Assessments", "Care Plan", "Health Records", "Referrals", "Care Coordination"}
	runScenarios(t, ta, []scenario{
		{name: "manager overview", as: "manager@sunrise.example", url: "/members/A100000001", wantStatus: 200,
			wantContains:    []string{"Maria Lopez", "DOB 03/14/1985", "Portico Silver 70 HMO", "PCP $35.00", "Schedule of Benefits", "Cost Sharing", "Authorizations", "Care Plan", "Health Records", "Referrals", "Claims", "Pharmacy PDL"},
			wantNotContains: []string{"Care Coordination Documents"}},
		{name: "normalised member ID in the URL", as: "manager@sunrise.example", url: "/members/a100000001", wantStatus: 200, wantContains: []string{"Maria Lopez"}},
		{name: "staff sees no clinical sections", as: "staff@sunrise.example", url: "/members/A100000001", wantStatus: 200,
			wantContains: []string{"Maria Lopez", "Cost Sharing", "Claims"}, wantNotContains: clinical},
		{name: "staff typing a clinical section", as: "staff@sunrise.example", url: "/members/A100000001/authorizations", wantStatus: 403, wantNotContains: []string{"Maria"}},
		{name: "staff typing care plan", as: "staff@sunrise.example", url: "/members/A100000001/care-plan", wantStatus: 403},
		{name: "clinical section shows the member's records", as: "manager@sunrise.example", url: "/members/A100000001/health-records", wantStatus: 200,
			wantContains: []string{"Health Records", "Visit note"}, wantNotContains: []string{"available here soon"}},
		{name: "assessments on file for a commercial member", as: "manager@sunrise.example", url: "/members/A100000001/assessments", wantStatus: 200},
		{name: "no care coordination outside D-SNP", as: "manager@sunrise.example", url: "/members/A100000001/care-coordination", wantStatus: 404},
		{name: "D-SNP member has care coordination", as: "manager@valley.example", url: "/members/D300000001", wantStatus: 200,
			wantContains: []string{"Robert Chen", "Care Coordination Documents", "Assessments", "Pharmacy PDL"}},
		{name: "Medi-Cal pharmacy is the CDL download", as: "manager@sunrise.example", url: "/members/M200000001/pharmacy", wantStatus: 200,
			wantContains: []string{"Medi-Cal Rx CDL", "/members/M200000001/pharmacy/cdl.csv"}},
		{name: "CDL download", as: "manager@sunrise.example", url: "/members/M200000001/pharmacy/cdl.csv", wantStatus: 200, wantContains: []string{"generic_name,brand_name,strength,form", "amoxicillin"}},
		{name: "no CDL for a commercial member", as: "manager@sunrise.example", url: "/members/A100000001/pharmacy/cdl.csv", wantStatus: 404},
		{name: "commercial PDL", as: "manager@sunrise.example", url: "/members/A100000001/pharmacy", wantStatus: 200, wantContains: []string{"Pharmacy PDL", "/pharmacy?list=commercial"}},
		{name: "benefits", as: "manager@sunrise.example", url: "/members/A100000001/benefits", wantStatus: 200, wantContains: []string{"Primary care office visit", "$35 copay"}},
		{name: "claims of own TINs", as: "manager@sunrise.example", url: "/members/A100000001/claims", wantStatus: 200, wantContains: []string{"C26", "95-1234567"}},
		{name: "claims section needs claims permission", as: "manager@sunrise.example", url: "/members/A100000001/card", wantStatus: 200, wantContains: []string{"Member ID card", "A100000001"}},
	})
	if n := ta.auditCount("member.view", "A100000001"); n < 8 {
		t.Errorf("member.view entries for A100000001: %d", n)
	}
}

// TestMemberViewAudited proves one audit entry per view, with the member ID set.
func TestMemberViewAudited(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	before := ta.auditCount("member.view", "A100000001")
	for i, p := range []string{"/members/A100000001", "/members/A100000001/cost-sharing", "/members/A100000001/claims"} {
		c.get(p).mustStatus(t, 200)
		if n := ta.auditCount("member.view", "A100000001"); n != before+i+1 {
			t.Fatalf("after %s: %d entries, want %d", p, n, before+i+1)
		}
	}
	var actor, detail string
	if err := ta.db.R.QueryRow(`SELECT actor, detail FROM audit_log WHERE action = 'member.view' ORDER BY id DESC LIMIT 1`).Scan(&actor, &detail); err != nil {
		t.Fatal(err)
	}
	if actor != "manager@sunrise.example" || detail != "section=claims" {
		t.Errorf("audit entry: actor %q detail %q", actor, detail)
	}
}

// TestCostSharing checks the accumulators against the plan year's claims.
func TestCostSharing(t *testing.T) {
	ta := newTestApp(t)
	var ded, resp int64
	if err := ta.db.R.QueryRow(`SELECT COALESCE(SUM(deductible_cents),0), COALESCE(SUM(member_resp_cents),0) FROM claims c JOIN members m ON m.id = c.member_pk
		WHERE m.member_id = 'A100000001' AND c.status <> 'denied' AND c.service_from >= ?`, ta.db.Now().Format("2006")+"-01-01").Scan(&ded, &resp); err != nil {
		t.Fatal(err)
	}
	if resp == 0 {
		t.Fatal("demo data gave Maria Lopez no cost share this year")
	}
	r := ta.as("manager@sunrise.example").get("/members/A100000001/cost-sharing").mustStatus(t, 200)
	r.mustContain(t, "Individual deductible", "Family deductible", "Individual out-of-pocket maximum", "Family out-of-pocket maximum",
		"Met "+formatMoney(ded)+" of $2,500.00 — "+formatMoney(250000-ded)+" remaining",
		"Met "+formatMoney(resp)+" of $8,700.00 — "+formatMoney(870000-resp)+" remaining", "<meter")
	// James Smith Jr. is a dependent: the family figures include Linda's claims.
	r = ta.as("manager@sunrise.example").get("/members/M200000001/cost-sharing").mustStatus(t, 200)
	r.mustContain(t, "2 members", "This plan has none.")
}

// TestPatientsPanel checks the attributed panel: own TINs, selected plan type, paging,
// sorting and a search that stays inside the panel.
func TestPatientsPanel(t *testing.T) {
	ta := newTestApp(t)
	sun := ta.as("manager@sunrise.example")
	r := sun.get("/patients").mustStatus(t, 200)
	r.mustContain(t, "Lopez, Maria", "A100000001", "total")
	if !strings.Contains(r.Body, "page 1 of") {
		t.Error("no page count")
	}
	sun.get("/patients?sort=dob&dir=desc&page=2").mustStatus(t, 200)
	sun.get("/patients?sort=bogus&page=-4").mustStatus(t, 200)
	sun.post("/patients", url.Values{"q": {"lop"}}).mustStatus(t, 200).mustContain(t, "Lopez, Maria").mustNotContain(t, "Smith")
	// Valley's panel never holds Sunrise's members; a search cannot reach outside it.
	val := ta.as("manager@valley.example")
	val.get("/patients").mustStatus(t, 200).mustNotContain(t, "Lopez, Maria")
	val.post("/patients", url.Values{"q": {"Lopez"}}).mustStatus(t, 200).mustNotContain(t, "A100000001")
	// Under Medi-Cal the panel changes with the plan type.
	sun.post("/dashboard/context", url.Values{"tin_id": {ta.tinID(t, "951234567")}, "plan_type": {"medical"}}).mustStatus(t, 303)
	sun.get("/patients").mustStatus(t, 200).mustNotContain(t, "Lopez, Maria")
	sun.post("/patients", url.Values{"q": {"smith"}}).mustStatus(t, 200).mustContain(t, "Smith Jr., James", "M200000001").mustNotContain(t, "Lopez, Maria")
	runScenarios(t, ta, []scenario{
		{name: "signed out", url: "/patients", wantStatus: 303},
		{name: "plan staff", as: "rep@plan.example", url: "/patients", wantStatus: 403},
	})
}

// TestMemberAreaRoutesAccess walks every route of this area: a visitor who is not
// signed in is sent to sign in (GET) or refused (POST); plan staff are refused the
// office routes and see no member data.
func TestMemberAreaRoutesAccess(t *testing.T) {
	ta := newTestApp(t)
	gets := []string{"/dashboard", "/eligibility", "/patients", "/eligibility/roster/abc.csv"}
	gets = append(gets, memberPaths("A100000001")...)
	posts := []string{"/dashboard/context", "/dashboard/paperless", "/eligibility/quick", "/eligibility", "/eligibility/clear", "/eligibility/roster", "/patients"}
	var cases []scenario
	for _, p := range gets {
		cases = append(cases, scenario{name: "visitor GET " + p, url: p, wantStatus: http.StatusSeeOther})
		if p != "/dashboard" {
			cases = append(cases, scenario{name: "plan staff GET " + p, as: "nurse@plan.example", url: p, wantStatus: http.StatusForbidden,
				wantNotContains: []string{"Maria", "03/14/1985"}})
		}
	}
	for _, p := range posts {
		cases = append(cases, scenario{name: "visitor POST " + p, method: http.MethodPost, url: p, wantStatus: http.StatusForbidden})
		cases = append(cases, scenario{name: "plan staff POST " + p, as: "privacy@plan.example", method: http.MethodPost, url: p,
			form: url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}, "tin_id": {"1"}, "plan_type": {"commercial"}}, wantStatus: http.StatusForbidden,
			wantNotContains: []string{"Maria"}})
	}
	runScenarios(t, ta, cases)
	for _, p := range gets {
		if loc := ta.anon().get(p).Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
			t.Errorf("visitor GET %s: redirected to %q", p, loc)
		}
	}
}

// TestMemberAreaOddInput: odd input never yields a 500.
func TestMemberAreaOddInput(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	for _, p := range []string{"/members/%00", "/members/" + strings.Repeat("A9", 500), "/members/'%20OR%201=1--", "/members/a%2F..%2F",
		"/patients?page=99999999999999999999&sort=%27&dir=x", "/patients?page=-1", "/patients?page=400", "/eligibility/roster/..%2F..csv"} {
		if r := c.get(p); r.Status >= 500 {
			t.Errorf("GET %s: %d", p, r.Status)
		}
	}
	for _, f := range []url.Values{
		{"q": {strings.Repeat("x", 5000)}, "dob": {"1985-03-14"}},
		{"q": {"\x00\xff"}, "dob": {"\x00"}},
		{"q": {"Lopez"}, "first_name": {strings.Repeat("é", 100)}, "dob": {"03/14/1985"}},
		{"q": {"%"}, "dob": {"1985-03-14"}},
		{"q": {"-- "}, "dob": {"1985-03-14"}},
	} {
		for _, path := range []string{"/eligibility/quick", "/eligibility"} {
			if r := c.post(path, f); r.Status >= 500 {
				t.Errorf("POST %s %v: %d", path, f, r.Status)
			}
		}
	}
	if r := c.post("/patients", url.Values{"q": {strings.Repeat("ü", 300)}, "page": {"abc"}}); r.Status >= 500 {
		t.Errorf("patients search: %d", r.Status)
	}
	if r := c.post("/dashboard/paperless", url.Values{"routing": {strings.Repeat("9", 500)}, "account": {"x"}}); r.Status >= 500 {
		t.Errorf("paperless: %d", r.Status)
	}
}
