package handlers

import (
	"html/template"
	"strings"
	"testing"

	"portico/models"
)

// reportPickerTemplate is partials/reports/picker as it was before reportPicker replaced
// it.
const reportPickerTemplate = `{{/* partials/reports/picker: the TIN and month picker of the provider reports; .R is the report context, .Action the page it submits to. */}}
<form method="get" action="{{.Action}}" class="card no-print reports-picker" aria-label="Choose the TIN and month">
  <div class="inline-fields">
    <div class="field">
      <label for="rep-tin">TIN</label>
      <select id="rep-tin" name="tin">{{range .R.A.TINs}}<option value="{{.ID}}"{{if eq .ID $.R.TIN.ID}} selected{{end}}>{{.Display}} · {{.Name}}</option>{{end}}</select>
    </div>
    <div class="field">
      <label for="rep-month">Month</label>
      <select id="rep-month" name="month">{{range .R.MonthOptions}}<option value="{{.Value}}"{{if .Checked}} selected{{end}}>{{.Label}}</option>{{end}}</select>
    </div>
    <div class="field"><button type="submit">Show report</button></div>
  </div>
</form>
<nav class="reports-tabs no-print" aria-label="Reports">
  <a href="/reports?{{.R.Query}}"{{if eq .Current "summary"}} aria-current="page"{{end}}>Capitation payment summary</a>
  {{if .R.A.MemberLevel}}
  <a href="/reports/roster?{{.R.Query}}"{{if eq .Current "roster"}} aria-current="page"{{end}}>Capitation roster</a>
  <a href="/reports/adds?{{.R.Query}}"{{if eq .Current "adds"}} aria-current="page"{{end}}>Membership adds</a>
  <a href="/reports/terms?{{.R.Query}}"{{if eq .Current "terms"}} aria-current="page"{{end}}>Membership terms</a>
  {{end}}
</nav>
`

// TestReportPickerMatchesTemplate: the provider reports' picker and tabs, written in Go,
// are what the partial wrote, byte for byte: on each report, with and without the
// member-level grant, one TIN or several, hostile TIN names and numbers, a month outside
// the list, and links whose query needs escaping.
func TestReportPickerMatchesTemplate(t *testing.T) {
	ta := newTestApp(t)
	tmpl := template.Must(template.New("x").Funcs(ta.h.templateFuncs()).Parse(`{{define "partials/reports/picker"}}` + reportPickerTemplate +
		`{{end}}{{template "partials/reports/picker" (dict "R" .R "Action" .Action "Current" .Current)}}`))
	tins := []models.TIN{{ID: 1, TIN: "951234567", Name: "Valley IPA"}, {ID: 22, TIN: hostileCell, Name: hostileCell}, {ID: 3, TIN: "12", Name: ""}}
	months := models.MonthChoices(testAnchor)
	contexts := []*reportCtx{
		{A: &models.ReportAccess{Capitated: true, MemberLevel: true, TINs: tins}, TIN: &tins[1], Months: months, Month: months[3]},
		{A: &models.ReportAccess{Capitated: true, TINs: tins[:1]}, TIN: &tins[0], Months: months, Month: months[0]},
		{A: &models.ReportAccess{Capitated: true, MemberLevel: true, TINs: tins[2:]}, TIN: &tins[2], Months: append([]string{hostileCell}, months...), Month: hostileCell},
	}
	for _, r := range contexts {
		for _, tab := range [][2]string{{"/reports", "summary"}, {"/reports/roster", "roster"}, {"/reports/adds", "adds"}, {"/reports/terms", "terms"},
			{"/reports/" + hostileCell, hostileCell}, {"javascript:alert(1)", "x"}} {
			var want strings.Builder
			if err := tmpl.Execute(&want, map[string]any{"R": r, "Action": tab[0], "Current": tab[1]}); err != nil {
				t.Fatal(err)
			}
			got := reportPicker(r, tab[0], tab[1])
			if string(got) != want.String() {
				t.Errorf("%s, member level %v: written in Go:\n%s\nthe template wrote:\n%s", tab[1], r.A.MemberLevel, got, want.String())
			}
			if strings.Contains(string(got), "<script>") {
				t.Errorf("unescaped markup in %s", got)
			}
		}
	}
}

// reportMembersBodyTemplate is pages/reports/members between the frame's head and foot as
// it was before reportMembersBody replaced it (the rows and the picker were already
// written in Go).
const reportMembersBodyTemplate = `<h1>{{.Title}}</h1>
{{/* The TIN and month picker and the tabs: written in Go (handlers.reportPicker). */}}{{reportPicker .R (print "/reports/" .Kind) .Kind}}
<section class="card" aria-labelledby="mem-h">
  <div class="row rx-results-head">
    <h2 id="mem-h" class="mb-0">{{.Title}} · {{.R.MonthLabel}} · TIN {{.R.TIN.Display}}</h2>
    {{if .R.M}}<p class="row mb-0 no-print"><button type="button" class="button-secondary" data-print>Print</button> <a class="button button-secondary" id="rep-csv" href="/reports/{{.Kind}}.csv?{{.R.Query}}">Download CSV</a></p>{{end}}
  </div>
  {{if eq .Kind "roster"}}<p>Every member assigned to the TIN for the month, with the rate cell and PMPM paid. New members are marked “Add”.</p>
  {{else if eq .Kind "adds"}}<p>Members new to the TIN's roster this month (not on last month's).</p>
  {{else}}<p>Members on last month's roster who are not on this month's.</p>{{end}}
  {{with .Page}}
  <p id="rep-count">{{.Total}} member{{if ne .Total 1}}s{{end}}{{if .Pages}} · page {{.Page}} of {{.Pages}}{{end}}</p>
  {{if .Rows}}
  <div class="table-wrap">
    <table>
      <thead><tr><th scope="col">Member</th><th scope="col">Date of birth</th><th scope="col">Aid code / product</th><th scope="col">Rate cell</th>{{if ne $.Kind "terms"}}<th scope="col" class="num">PMPM</th>{{end}}<th scope="col">Effective</th><th scope="col">End</th>{{if eq $.Kind "roster"}}<th scope="col">Change</th>{{end}}</tr></thead>
      <tbody>
      {{/* The member rows: written in Go (handlers.rosterRows). */}}{{rosterRows .Rows $.Kind}}
      </tbody>
    </table>
  </div>
  <nav class="pager no-print" aria-label="Pages">
    <span>{{.Total}} total</span>
    <span class="row">
      {{if gt .Page 1}}<a href="/reports/{{$.Kind}}?{{$.R.Query}}&amp;page={{sub .Page 1}}">Previous page</a>{{end}}
      {{if lt .Page .Pages}}<a href="/reports/{{$.Kind}}?{{$.R.Query}}&amp;page={{add .Page 1}}">Next page</a>{{end}}
    </span>
  </nav>
  {{else}}<p>{{if .Total}}No members on this page. <a href="/reports/{{$.Kind}}?{{$.R.Query}}">Go to the first page</a>.{{else}}No members in this report for the month.{{end}}</p>{{end}}
  {{else}}
  <p>No capitation was issued to TIN {{.R.TIN.Display}} for {{.R.MonthLabel}}. Choose another month.</p>
  {{end}}
</section>`

// TestReportMembersBodyMatchesTemplate: a page of each member-level report written in Go
// is what the template wrote, byte for byte: first, middle and last pages, a single
// page, a page past the end, an empty report, a month without capitation, with and
// without the month's summary, with hostile text in the title, TIN and rows.
func TestReportMembersBodyMatchesTemplate(t *testing.T) {
	ta := newTestApp(t)
	tmpl := template.Must(template.New("x").Funcs(ta.h.templateFuncs()).Parse(reportMembersBodyTemplate))
	tins := []models.TIN{{ID: 1, TIN: "951234567", Name: "Valley IPA"}, {ID: 22, TIN: hostileCell, Name: hostileCell}}
	months := models.MonthChoices(testAnchor)
	rows := []models.RosterRow{
		{MemberID: hostileCell, FirstName: hostileCell, LastName: hostileCell, DOB: hostileCell, Product: hostileCell, RateCell: hostileCell,
			PMPM: 4567, EffectiveDate: hostileCell, Change: "add"},
		{MemberID: "A100000001", FirstName: "Ana", LastName: "Lopez", DOB: "1985-03-14", Product: "medi-cal", RateCell: "TANF 19-44",
			PMPM: 123456, EffectiveDate: "2026-01-01", EndDate: "2026-10-31"},
	}
	pages := []*models.RosterPage{nil,
		{Rows: rows, Total: 2, Page: 1, Pages: 1}, {Rows: rows, Total: 1, Page: 1, Pages: 1},
		{Rows: rows, Total: 400, Page: 1, Pages: 8}, {Rows: rows, Total: 400, Page: 4, Pages: 8}, {Rows: rows, Total: 400, Page: 8, Pages: 8},
		{Total: 400, Page: 12, Pages: 8}, {Total: 0, Page: 1, Pages: 0}}
	for _, kind := range []string{models.ReportRoster, models.ReportAdds, models.ReportTerms, hostileCell} {
		for _, tin := range tins {
			for _, m := range []*models.CapMonth{nil, {ID: 18}} {
				for _, page := range pages {
					r := &reportCtx{A: &models.ReportAccess{Capitated: true, MemberLevel: true, TINs: tins}, TIN: &tin, Months: months, Month: months[2], M: m}
					v := &reportMembersView{R: r, Kind: kind, Title: reportTitles[kind] + hostileCell, Page: page}
					var want strings.Builder
					if err := tmpl.Execute(&want, v); err != nil {
						t.Fatal(err)
					}
					got := ta.h.reportMembersBody(v)
					if string(got) != want.String() {
						t.Fatalf("%s, TIN %s, page %+v: written in Go:\n%s\nthe template wrote:\n%s", kind, tin.TIN, page, got, want.String())
					}
					if strings.Contains(string(got), "<script>") {
						t.Fatalf("unescaped markup in %s", got)
					}
				}
			}
		}
	}
}
