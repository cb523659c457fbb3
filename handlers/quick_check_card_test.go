package handlers

import (
	"os"
	"strings"
	"testing"

	"portico/models"
)

// quickCheckTemplate is partials/members/quick_check as it was before quickCheckCard
// wrote its message-free states in Go; the template keeps it for a form with messages.
const quickCheckTemplate = `<section class="card" id="quick-check" aria-labelledby="quick-h">
  <h2 id="quick-h">Quick Eligibility Check for {{.PlanLabel}}</h2>
  {{with .Quick}}
  {{/* After a look-up that needs the first name, the result below says so: no summary. */}}
  {{if and .Errors (not .Result)}}{{template "partials/error_summary" .}}{{end}}
  <form method="post" action="/eligibility/quick" data-hx-post="/eligibility/quick" data-hx-target="#quick-check" data-hx-swap="outerHTML" novalidate>
    <input type="hidden" name="_csrf" value="{{$.P.CSRF}}">
    {{$q := ""}}{{$first := ""}}{{$dob := ""}}{{with .Errors}}{{$q = index . "quick-q"}}{{$first = index . "quick-first"}}{{$dob = index . "quick-dob"}}{{end}}
    <div class="inline-fields">
      <div class="field{{if $q}} has-error{{end}}">
        <label for="quick-q">Member ID or last name <span class="hint" id="quick-q-hint">e.g. A100000001 or Smith</span></label>
        {{if $q}}{{template "partials/field_error" (dict "E" .Errors "F" "quick-q")}}{{end}}
        <input id="quick-q" name="q" type="text" value="{{.Q}}" autocomplete="off" spellcheck="false" required aria-describedby="quick-q-hint{{if $q}} quick-q-error{{end}}"{{if $q}} aria-invalid="true"{{end}}>
      </div>
      {{if .ShowFirst}}
      <div class="field{{if $first}} has-error{{end}}">
        <label for="quick-first">First name</label>
        {{if $first}}{{template "partials/field_error" (dict "E" .Errors "F" "quick-first")}}{{end}}
        <input id="quick-first" name="first_name" type="text" value="{{.First}}" autocomplete="off"{{if $first}} aria-describedby="quick-first-error" aria-invalid="true"{{end}}>
      </div>
      {{end}}
      <div class="field{{if $dob}} has-error{{end}}">
        <label for="quick-dob">Date of birth <span class="hint" id="quick-dob-hint">mm/dd/yyyy</span></label>
        {{if $dob}}{{template "partials/field_error" (dict "E" .Errors "F" "quick-dob")}}{{end}}
        <input id="quick-dob" name="dob" type="date" value="{{.DOB}}" required aria-describedby="quick-dob-hint{{if $dob}} quick-dob-error{{end}}"{{if $dob}} aria-invalid="true"{{end}}>
      </div>
      <div class="field"><button type="submit">Check eligibility</button> <span class="htmx-indicator">Checking…</span></div>
    </div>
  </form>
  <p class="hint">Choose the member's plan type in the bar above first: a member is found only under their own plan type.</p>
  <div id="quick-result" aria-live="polite">
    {{with .Result}}{{template "partials/members/elig_result" (dict "M" .Member "Message" $.Quick.Message)}}{{end}}
  </div>
  {{end}}
</section>`

// TestQuickCheckCardMatchesTemplate: the Quick Eligibility Check card written in Go is what
// the template wrote, byte for byte, for the fresh card, a member found, each not-found
// message with and without the first-name field, and hostile text typed in every field;
// and the template still holds the same markup for the states it renders itself.
func TestQuickCheckCardMatchesTemplate(t *testing.T) {
	ta := newTestApp(t)
	file, err := os.ReadFile("../views/partials/members/quick_check.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(file), "{{else}}"+quickCheckTemplate+"{{end}}") {
		t.Fatal("partials/members/quick_check no longer holds quickCheckTemplate for the forms with messages: update both together")
	}
	// The partials the card calls, as the engine defines them.
	tmpl := quickCheckTemplate
	for _, name := range []string{"partials/members/elig_result", "partials/error_summary", "partials/error_summary_titled", "partials/field_error"} {
		b, err := os.ReadFile("../views/" + name + ".html")
		if err != nil {
			t.Fatal(err)
		}
		tmpl = `{{define "` + name + `"}}` + string(b) + `{{end}}` + tmpl
	}
	member := &models.Eligibility{Member: models.Member{MemberID: hostileCell, FirstName: hostileCell, LastName: "Lopez",
		DOB: "1985-03-14", PlanName: "Commercial PPO", PlanType: models.PlanCommercial, EffectiveDate: "2026-01-01"}, Status: models.StatusActive}
	forms := []*eligForm{
		{},
		{Result: &models.EligibilityResult{Outcome: models.OutcomeFound, Member: member}},
		{EligibilityForm: models.EligibilityForm{Q: hostileCell, DOB: hostileCell}, Message: hostileCell,
			Result: &models.EligibilityResult{Outcome: models.OutcomeNotFoundID}},
		{EligibilityForm: models.EligibilityForm{Q: "Lopez", First: hostileCell, DOB: "1985-03-14"}, ShowFirst: true,
			Message: "No member matches.", Result: &models.EligibilityResult{Outcome: models.OutcomeNotFoundName}},
		{EligibilityForm: models.EligibilityForm{Q: "Lopez", DOB: "1985-03-14"}, ShowFirst: true, Result: &models.EligibilityResult{}},
	}
	for _, f := range forms {
		for _, label := range []string{"Commercial", hostileCell} {
			v := &dashboardView{View: View{P: &Page{CSRF: hostileCell}}, PlanLabel: label, Quick: f}
			sameAsTemplate(t, ta.h, tmpl, v, ta.h.quickCheckCard(v))
		}
	}
}
