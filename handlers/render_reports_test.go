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
