package handlers

import (
	"os"
	"strings"
	"testing"

	"portico/models"
)

// TestQuickCheckCardMatchesTemplate: the Quick Eligibility Check card written in Go is,
// byte for byte, what the partial's own markup (kept for the forms with messages) writes
// for the fresh card, a member found, each not-found message with and without the
// first-name field, and hostile text typed in every field.
func TestQuickCheckCardMatchesTemplate(t *testing.T) {
	ta := newTestApp(t)
	// The template keeps the card's markup for the forms with messages: its {{else}}
	// branch is what the whole partial was before quickCheckCard.
	file, err := os.ReadFile("../views/partials/members/quick_check.html")
	if err != nil {
		t.Fatal(err)
	}
	_, quickCheckTemplate, ok := strings.Cut(strings.TrimSuffix(string(file), "\n"), "{{quickCheckCard .}}{{else}}")
	quickCheckTemplate, found := strings.CutSuffix(quickCheckTemplate, "{{end}}")
	if !ok || !found {
		t.Fatal("partials/members/quick_check no longer reads {{if ...}}{{quickCheckCard .}}{{else}}...{{end}}")
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
