package handlers

import (
	"bytes"
	"encoding/csv"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPharmacyPages checks the drug list pages: public search with typo tolerance,
// filters, bad input (422, typed text kept), print, CSV, the Medi-Cal CDL, the member
// record's Pharmacy section with the plan type preselected, and the editor's pages.
func TestPharmacyPages(t *testing.T) {
	ta := newTestApp(t)
	runScenarios(t, ta, []scenario{
		{name: "visitor searches the Commercial PDL", url: "/pharmacy?list=commercial&q=atorvastatin", wantStatus: http.StatusOK,
			wantContains: []string{"atorvastatin", "Lipitor", "80 mg", "Commercial preferred drug list", "effective",
				`href="/pharmacy/print?list=commercial&amp;q=atorvastatin"`, `href="/pharmacy/csv?list=commercial&amp;q=atorvastatin"`}},
		{name: "paging links", url: "/pharmacy?list=commercial&flag=ql", wantStatus: http.StatusOK,
			wantContains: []string{`href="/pharmacy?flag=ql&amp;list=commercial&amp;page=2"`}},
		{name: "misspelling finds the drug", url: "/pharmacy?list=commercial&q=atorvastatn", wantStatus: http.StatusOK,
			wantContains: []string{"atorvastatin", "closest names"}},
		{name: "FTS syntax is searched as words", url: "/pharmacy?q=%22a+AND+b%3Ac*", wantStatus: http.StatusOK},
		{name: "tier filter", url: "/pharmacy?list=medicare&tier=5", wantStatus: http.StatusOK,
			wantContains: []string{"5 · Specialty", "Prolia"}, wantNotContains: []string{"Lipitor"}},
		{name: "flag filter", url: "/pharmacy?list=commercial&flag=st", wantStatus: http.StatusOK,
			wantContains: []string{"Januvia"}, wantNotContains: []string{"Lipitor"}},
		{name: "bad tier keeps the text", url: "/pharmacy?list=commercial&q=insulin&tier=9", wantStatus: http.StatusUnprocessableEntity,
			wantContains: []string{"Choose a tier from the list.", `value="insulin"`}},
		{name: "bad list", url: "/pharmacy?list=nope", wantStatus: http.StatusUnprocessableEntity, wantContains: []string{"Choose a drug list."}},
		{name: "too long", url: "/pharmacy?q=" + strings.Repeat("a", 150), wantStatus: http.StatusUnprocessableEntity, wantContains: []string{"at most 100 characters"}},
		{name: "print with a bad filter", url: "/pharmacy/print?list=commercial&q=insulin&flag=zzz", wantStatus: http.StatusUnprocessableEntity,
			wantContains: []string{"Choose a flag from the list.", `value="insulin"`}},
		{name: "CSV with a bad tier", url: "/pharmacy/csv?list=medicare&tier=0", wantStatus: http.StatusUnprocessableEntity, wantContains: []string{"Choose a tier"}},
		{name: "printable CDL", url: "/pharmacy/print?list=medi-cal-cdl", wantStatus: http.StatusOK,
			wantContains: []string{"Medi-Cal Rx Contract Drug List", "effective", "has no tiers", "amoxicillin"}, wantNotContains: []string{"<th scope=\"col\">Tier</th>"}},
		{name: "print view", url: "/pharmacy/print?list=medicare&q=insulin", wantStatus: http.StatusOK,
			wantContains: []string{"Medicare/DSNP preferred drug list", "printed", "insulin glargine"}},
		{name: "Medi-Cal CDL explains the state program", url: "/pharmacy?list=medi-cal-cdl", wantStatus: http.StatusOK,
			wantContains: []string{"Medi-Cal Rx program", "Download the CDL (CSV)", "Printable CDL"}, wantNotContains: []string{"Any tier", "Preferred generic"}},
		{name: "office user defaults to the session's plan type", as: "manager@sunrise.example", url: "/pharmacy", wantStatus: http.StatusOK,
			wantContains: []string{`<option value="commercial" selected>`}},
		{name: "member record, Commercial member", as: "manager@sunrise.example", url: "/members/A100000001/pharmacy", wantStatus: http.StatusOK,
			wantContains: []string{"Pharmacy PDL", `name="list" value="commercial"`, "/pharmacy?list=commercial"}},
		{name: "member record, Medi-Cal member", as: "manager@sunrise.example", url: "/members/M200000001/pharmacy", wantStatus: http.StatusOK,
			wantContains: []string{"Medi-Cal Rx CDL", "/members/M200000001/pharmacy/cdl.csv", "Contract Drug List effective"}, wantNotContains: []string{"Tier"}},
		{name: "member record, D-SNP member, no relationship", as: "manager@sunrise.example", url: "/members/D300000001/pharmacy", wantStatus: http.StatusForbidden},
		{name: "member record, D-SNP member", as: "manager@valley.example", url: "/members/D300000001/pharmacy", wantStatus: http.StatusOK,
			wantContains: []string{"/pharmacy?list=medicare"}},
		{name: "editor's page", as: "editor@plan.example", url: "/pharmacy/versions", wantStatus: http.StatusOK, wantContains: []string{"Import a new version", "2026", "Published versions"}},
		{name: "editor's page, office user", as: "manager@sunrise.example", url: "/pharmacy/versions", wantStatus: http.StatusForbidden},
		{name: "editor's page, signed out", url: "/pharmacy/versions", wantStatus: http.StatusSeeOther},
		{name: "navigation", as: "staff@sunrise.example", url: "/pharmacy", wantStatus: http.StatusOK,
			wantContains: []string{`href="/pharmacy"`}, wantNotContains: []string{`href="/reports"`}},
		{name: "navigation with reports", as: "manager@valley.example", url: "/pharmacy", wantStatus: http.StatusOK, wantContains: []string{`href="/reports"`}},
	})
}

// TestPharmacyCSV downloads lists and checks the columns, the row count and that no
// cell can run as a spreadsheet formula, even when an entry starts with one.
func TestPharmacyCSV(t *testing.T) {
	ta := newTestApp(t)
	if _, err := ta.db.W.Exec(`UPDATE formulary_drugs SET brand_name = '=HYPERLINK("http://evil.example")', quantity_limit = '@SUM(1)'
		WHERE generic_name = 'atorvastatin'`); err != nil {
		t.Fatal(err)
	}
	c := ta.anon()
	r := c.get("/pharmacy/csv?list=commercial&q=atorvastatin").mustStatus(t, http.StatusOK)
	if !strings.Contains(r.Header.Get("Content-Disposition"), `attachment; filename=commercial-preferred-drug-list-`) {
		t.Errorf("disposition %q", r.Header.Get("Content-Disposition"))
	}
	recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || recs[0][0] != "generic_name" || recs[0][5] != "tier" {
		t.Fatalf("CSV %v", recs)
	}
	for _, rec := range recs[1:] {
		for _, cell := range rec {
			if cell != "" && strings.ContainsAny(cell[:1], "=+-@\t\r") {
				t.Errorf("formula cell %q", cell)
			}
		}
		if rec[1] != `'=HYPERLINK("http://evil.example")` || rec[8] != "'@SUM(1)" {
			t.Errorf("not neutralized: %v", rec)
		}
	}
	all := c.get("/pharmacy/csv?list=commercial").mustStatus(t, http.StatusOK)
	recs, _ = csv.NewReader(strings.NewReader(all.Body)).ReadAll()
	var n int
	if err := ta.db.R.QueryRow(`SELECT drugs FROM formulary_versions WHERE list = 'commercial' ORDER BY effective_on DESC LIMIT 1`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if len(recs)-1 != n {
		t.Errorf("the whole list has %d rows in CSV, %d in the version", len(recs)-1, n)
	}
	cdl := c.get("/pharmacy/csv?list=medi-cal-cdl").mustStatus(t, http.StatusOK)
	if strings.Contains(strings.SplitN(cdl.Body, "\n", 2)[0], "tier") {
		t.Error("the CDL download has a tier column")
	}
	m := ta.as("manager@sunrise.example").get("/members/M200000001/pharmacy/cdl.csv").mustStatus(t, http.StatusOK)
	if m.Body != cdl.Body {
		t.Error("the member's CDL download differs from the public one")
	}
}

// rxUpload posts a multipart import form as the client.
func (c *client) rxUpload(t testing.TB, path string, fields map[string]string, file string) *response {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fields["_csrf"] = c.csrf
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if file != "" {
		fw, _ := w.CreateFormFile("file", "list.csv")
		_, _ = io.WriteString(fw, file)
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// TestPharmacyImportPage has the editor import a file with bad rows (422, lines
// listed, nothing written), a dry run (summary, nothing written) and a publish.
func TestPharmacyImportPage(t *testing.T) {
	ta := newTestApp(t)
	count := func() (n int) {
		if err := ta.db.R.QueryRow("SELECT COUNT(*) FROM formulary_versions").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return
	}
	before := count()
	ed := ta.as("editor@plan.example")
	ed.get("/pharmacy/versions").mustStatus(t, http.StatusOK)
	head := "generic_name,brand_name,strength,form,drug_class,tier,prior_auth,step_therapy,quantity_limit,specialty\n"
	bad := head + "atorvastatin,Lipitor,10 mg,tablet,,1,no,no,,no\n,x,1 mg,tablet,,1,no,no,,no\nlisinopril,,10 mg,tablet,,7,no,no,,no\n"
	r := ed.rxUpload(t, "/pharmacy/import", map[string]string{"list": "commercial", "version": "2099.01", "effective_on": "2099-01-01", "mode": "publish"}, bad)
	r.mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "2 problems", "<td class=\"num\">3</td>", "generic_name is empty",
		"<td class=\"num\">4</td>", "tier must be a number from 1 to 4", `value="2099.01"`)
	if count() != before {
		t.Fatal("a file with bad rows was imported")
	}
	good := head + "atorvastatin,Lipitor,10 mg,tablet,Cholesterol,1,no,no,,no\nwonderdrug,Wonder,5 mg,tablet,,2,yes,no,30 tablets / 30 days,no\n"
	r = ed.rxUpload(t, "/pharmacy/import", map[string]string{"list": "commercial", "version": "2099.01", "effective_on": "2099-01-01", "mode": "dry"}, good)
	r.mustStatus(t, http.StatusOK).mustContain(t, "Dry run: nothing was changed", "1 added", "wonderdrug")
	if count() != before || ta.auditCount("formulary.import.dry_run", "") != 1 {
		t.Fatal("the dry run wrote a version, or was not audited")
	}
	r = ed.rxUpload(t, "/pharmacy/import", map[string]string{"list": "commercial", "version": "2099.01", "effective_on": "2099-01-01", "mode": "publish"}, good)
	r.mustStatus(t, http.StatusOK).mustContain(t, "Version 2099.01 is published")
	if count() != before+1 || ta.auditCount("formulary.import", "") != 1 {
		t.Fatal("publish did not write one audited version")
	}
	// Offices are told of the version before it takes effect, and still see the current one.
	ta.anon().get("/pharmacy?list=commercial&q=atorvastatin").mustStatus(t, http.StatusOK).mustContain(t, "Version 2099.01 takes effect on 01/01/2099", "Lipitor")
	// Missing fields and file: 422 with messages, nothing lost.
	r = ed.rxUpload(t, "/pharmacy/import", map[string]string{"list": "commercial", "version": "bad name!", "effective_on": "soon"}, "")
	r.mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "Enter a version name", "Enter the date", "Choose the CSV file", `value="bad name!"`)
	// Office users cannot import.
	office := ta.as("manager@sunrise.example")
	office.get("/dashboard")
	office.rxUpload(t, "/pharmacy/import", map[string]string{"list": "commercial", "version": "x", "effective_on": "2099-02-01"}, good).mustStatus(t, http.StatusForbidden)
}
