package handlers

import (
	"html/template"
	"strings"
	"testing"

	"portico/models"
)

// patientsBodyTemplate is pages/patients/index between the frame's head and foot as it
// was before patientsBody replaced it (the rows were already written in Go).
const patientsBodyTemplate = `<h1>Patients</h1>
<p>Members assigned to your TINs (as PCP or PPG) under <strong>{{.PlanLabel}}</strong>.</p>
<form method="post" action="/patients" class="no-print" role="search">
  <input type="hidden" name="_csrf" value="{{.P.CSRF}}">
  <input type="hidden" name="sort" value="{{.Q.Sort}}">
  <input type="hidden" name="dir" value="{{if .Q.Desc}}desc{{else}}asc{{end}}">
  <div class="inline-fields">
    <div class="field">
      <label for="pt-q">Last name starts with <span class="hint">Searches your own patient panel only</span></label>
      <input id="pt-q" name="q" type="search" value="{{.Search}}" autocomplete="off">
    </div>
    <div class="field"><button type="submit">Search patients</button>{{if .Search}} <a href="/patients">Show all</a>{{end}}</div>
  </div>
</form>
<p>{{.Page.Total}} patient{{if ne .Page.Total 1}}s{{end}}{{if .Search}} with a last name starting “{{.Search}}”{{end}}{{if .Page.Pages}} · page {{.Page.Page}} of {{.Page.Pages}}{{end}}</p>
{{if .Page.Patients}}
<div class="table-wrap">
  <table>
    <thead><tr>
      {{range .Cols}}
      <th scope="col"{{if eq $.Q.Sort .Key}} aria-sort="{{if $.Q.Desc}}descending{{else}}ascending{{end}}"{{end}}>
        {{if $.Search}}
        <form method="post" action="/patients" class="inline-form"><input type="hidden" name="_csrf" value="{{$.P.CSRF}}"><input type="hidden" name="q" value="{{$.Search}}"><input type="hidden" name="sort" value="{{.Key}}"><input type="hidden" name="dir" value="{{if and (eq $.Q.Sort .Key) (not $.Q.Desc)}}desc{{else}}asc{{end}}"><button type="submit" class="link-button">{{.Label}}</button></form>
        {{else}}
        <a href="/patients?sort={{.Key}}&amp;dir={{if and (eq $.Q.Sort .Key) (not $.Q.Desc)}}desc{{else}}asc{{end}}">{{.Label}}</a>
        {{end}}
      </th>
      {{end}}
      <th scope="col">Status</th><th scope="col">Plan</th><th scope="col">PCP</th>
    </tr></thead>
    <tbody>
    {{/* The patient rows: written in Go (handlers.patientRows). */}}{{patientRows .Page.Patients}}
    </tbody>
  </table>
</div>
<nav class="pager" aria-label="Pages">
  <span>{{.Page.Total}} total</span>
  <span class="row">
  {{if $.Search}}
    <form method="post" action="/patients" class="row"><input type="hidden" name="_csrf" value="{{.P.CSRF}}"><input type="hidden" name="q" value="{{.Search}}"><input type="hidden" name="sort" value="{{.Q.Sort}}"><input type="hidden" name="dir" value="{{if .Q.Desc}}desc{{else}}asc{{end}}">
      {{if gt .Page.Page 1}}<button type="submit" name="page" value="{{.Prev}}" class="button-secondary">Previous page</button>{{end}}
      {{if .HasNext}}<button type="submit" name="page" value="{{.Next}}" class="button-secondary">Next page</button>{{end}}
    </form>
  {{else}}
    {{if gt .Page.Page 1}}<a href="/patients?sort={{.Q.Sort}}&amp;dir={{if .Q.Desc}}desc{{else}}asc{{end}}&amp;page={{.Prev}}">Previous page</a>{{end}}
    {{if .HasNext}}<a href="/patients?sort={{.Q.Sort}}&amp;dir={{if .Q.Desc}}desc{{else}}asc{{end}}&amp;page={{.Next}}">Next page</a>{{end}}
  {{end}}
  </span>
</nav>
{{else}}
<p>{{if .Page.Total}}No patients on this page. <a href="/patients">Go to the first page</a>.{{else if .Search}}No patients in your panel with a last name starting “{{.Search}}”.{{else}}No members are assigned to your TINs under {{.PlanLabel}}. Choose another plan type in the bar above, or check eligibility for a member.{{end}}</p>
{{end}}`

// TestPatientsBodyMatchesTemplate: the Patients page written in Go is what the template
// wrote, byte for byte: each sort and direction, with and without a search (links or
// buttons), first, middle and last pages, a page past the end, an empty panel and an
// empty search, with hostile text in the search, the CSRF token, the plan label and the
// rows.
func TestPatientsBodyMatchesTemplate(t *testing.T) {
	ta := newTestApp(t)
	tmpl := template.Must(template.New("x").Funcs(ta.h.templateFuncs()).Funcs(template.FuncMap{"patientRows": func(p []models.PanelMember) template.HTML {
		return written(func(b *strings.Builder) { ta.h.writePatientRows(b, p) })
	}}).
		Parse(patientsBodyTemplate))
	rows := []models.PanelMember{
		{MemberID: hostileCell, FirstName: hostileCell, LastName: hostileCell, Suffix: hostileCell, DOB: hostileCell, EffectiveDate: hostileCell,
			PlanName: hostileCell, PCPName: hostileCell, Status: models.StatusActive},
		{MemberID: "A100000001", FirstName: "Ana", LastName: "Lopez", DOB: "1985-03-14", EffectiveDate: "2026-01-01", PlanName: "Commercial PPO",
			Status: models.StatusTerminated},
	}
	pages := []*models.PatientPage{
		{Patients: rows, Total: 2, Page: 1, PerPage: 25, Pages: 1},
		{Patients: rows, Total: 1, Page: 1, PerPage: 25, Pages: 1},
		{Patients: rows, Total: 120, Page: 1, PerPage: 25, Pages: 5},
		{Patients: rows, Total: 120, Page: 3, PerPage: 25, Pages: 5},
		{Patients: rows, Total: 120, Page: 5, PerPage: 25, Pages: 5},
		{Total: 120, Page: 9, PerPage: 25, Pages: 5},
		{Total: 0, Page: 1, PerPage: 25},
	}
	for _, search := range []string{"", "lop", hostileCell} {
		for _, sort := range []string{"name", "dob", "member_id", "effective", hostileCell} {
			for _, desc := range []bool{false, true} {
				for _, page := range pages {
					for _, plan := range []string{"Commercial", hostileCell} {
						v := &patientsView{View: View{P: &Page{CSRF: hostileCell}}, Page: page, Search: search, Cols: patientSortCols, PlanLabel: plan,
							Q:    models.PatientQuery{Sort: sort, Desc: desc, Search: search, Page: page.Page, PerPage: 25},
							Prev: page.Page - 1, Next: page.Page + 1, HasNext: page.Page < page.Pages}
						var want strings.Builder
						if err := tmpl.Execute(&want, v); err != nil {
							t.Fatal(err)
						}
						got := ta.h.patientsBody(v)
						if string(got) != want.String() {
							t.Fatalf("search %q, sort %q desc %v, page %d of %d: written in Go:\n%s\nthe template wrote:\n%s",
								search, sort, desc, page.Page, page.Pages, got, want.String())
						}
						if strings.Contains(string(got), "<script>") {
							t.Fatalf("unescaped markup in %s", got)
						}
					}
				}
			}
		}
	}
}
