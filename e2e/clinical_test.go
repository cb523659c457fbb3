package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"portico/models"
)

// TestClinicalAssessmentAndReferral: Sunrise's manager completes a health risk
// assessment for Linda Smith (Medi-Cal) section by section and submits it, then refers
// her to care management; the nurse (case manager) accepts the referral from her queue;
// the manager sees the status, the case manager and the answer on Linda's record.
func TestClinicalAssessmentAndReferral(t *testing.T) {
	office := newTab(t)
	signIn(t, office, "manager@sunrise.example")
	do(t, office, chromedp.Navigate(baseURL+"/members/M200000002"), chromedp.WaitVisible(chromedp.CSS(".hra-due")))
	do(t, office, chromedp.Click(chromedp.CSS(`.sidenav a[href$="/assessments"]`)), chromedp.WaitVisible(chromedp.CSS("#hra-h")))
	do(t, office, chromedp.Click(chromedp.CSS(`form[action$="/assessments"] button`)), chromedp.WaitVisible(chromedp.CSS("#hra-section-1")))
	checkAccessibility(t, office, "assessment section 1")
	for _, s := range models.HRASections {
		var steps []chromedp.Action[chromedp.Void]
		for _, q := range s.Questions {
			answer := q.Options[0].Value
			if q.Key == "general_health" {
				answer = "fair"
			}
			if q.Key == "hypertension" {
				answer = "yes"
			}
			steps = append(steps, chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=%q][value=%q]`, q.Key, answer))))
		}
		next := fmt.Sprintf("#hra-section-%d", s.N+1)
		if s.N == models.HRASectionCount {
			next = "#hra-review"
		}
		steps = append(steps, chromedp.Click(chromedp.CSS(`button[name="go"][value="next"]`)), chromedp.WaitVisible(chromedp.CSS(next)))
		do(t, office, steps...)
	}
	checkAccessibility(t, office, "assessment review")
	do(t, office, chromedp.Click(chromedp.CSS(`form[action$="/assessments/submit"] button`)), chromedp.WaitVisible(chromedp.CSS("#hras-h")))
	if body := text(t, office, "main .summary-list"); !strings.Contains(body, "Low (score 2)") || !strings.Contains(body, "Jane Doe, Sunrise Family Medicine") {
		t.Fatalf("submitted assessment page lacks its risk level or author:\n%s", body)
	}

	do(t, office, chromedp.Click(chromedp.CSS(`.sidenav a[href$="/referrals"]`)), chromedp.WaitVisible(chromedp.CSS("#refnew-h")))
	checkAccessibility(t, office, "referrals")
	do(t, office,
		chromedp.SetValue(chromedp.CSS("#reason"), "disease_management"),
		chromedp.Click(chromedp.CSS(`input[name="urgency"][value="urgent"]`)),
		chromedp.SetValue(chromedp.CSS("#contact_phone"), "916-555-0142"),
		chromedp.SendKeys(chromedp.CSS("#notes"), "Blood pressure 150/95 on two drugs; needs help with diet and medicines."),
		chromedp.Click(chromedp.CSS(`form[action$="/referrals"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#flash .alert-success")),
	)
	ref := text(t, office, "main tbody tr:first-child td:first-child")
	if !strings.HasPrefix(ref, "CM-") || !strings.Contains(text(t, office, "main tbody tr:first-child"), "Received") {
		t.Fatalf("new referral row: %q", text(t, office, "main tbody tr:first-child"))
	}

	cm := newTab(t)
	signIn(t, cm, "nurse@plan.example")
	do(t, cm, chromedp.Click(chromedp.CSS(`nav a[href="/care"]`)), chromedp.WaitVisible(chromedp.CSS("#q-h")))
	checkAccessibility(t, cm, "care management queue")
	do(t, cm, chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href^="/care/referrals/"]:not([href*="attach"])[data-ref=%q]`, ref))), chromedp.WaitVisible(chromedp.CSS("#act-h")))
	do(t, cm,
		chromedp.SendKeys(chromedp.CSS("#answer"), "Enrolled in the hypertension program; I will call Linda this week."),
		chromedp.Click(chromedp.CSS(`button[name="action"][value="accept"]`)),
		chromedp.WaitVisible(chromedp.CSS("#flash .alert-success")),
	)
	if s := text(t, cm, "main .summary-list"); !strings.Contains(s, "Accepted") || !strings.Contains(s, "Grace Kim, RN") {
		t.Fatalf("referral after accepting: %s", s)
	}

	do(t, cm, chromedp.Navigate(baseURL+"/care/members/D300000001"), chromedp.WaitVisible(chromedp.CSS("#cmd-h")))
	checkAccessibility(t, cm, "case manager's member view")

	do(t, office, chromedp.Navigate(baseURL+"/members/A100000001/health-records/labs"), chromedp.WaitVisible(chromedp.CSS("#hr-h")))
	if s := text(t, office, "main table"); !strings.Contains(s, "Hemoglobin A1c") || !strings.Contains(s, "High") {
		t.Errorf("labs tab: %s", s)
	}
	checkAccessibility(t, office, "health records labs")
	do(t, office, chromedp.Click(chromedp.CSS(`.sidenav a[href$="/care-plan"]`)), chromedp.WaitVisible(chromedp.CSS("#cp-h")),
		chromedp.Click(chromedp.CSS(`main tbody a[href*="/care-plan/"]`)), chromedp.WaitVisible(chromedp.CSS("#cpv-h")))
	if h := text(t, office, "#cpv-h"); !strings.Contains(h, "Self-Management") {
		t.Errorf("care plan heading %q", h)
	}
	checkAccessibility(t, office, "care plan")

	do(t, office, chromedp.Navigate(baseURL+"/members/M200000002/referrals"), chromedp.WaitVisible(chromedp.CSS("#ref-h")))
	row := text(t, office, "main tbody tr:first-child")
	for _, want := range []string{ref, "Accepted", "Grace Kim, RN", "I will call Linda this week"} {
		if !strings.Contains(row, want) {
			t.Errorf("the office's referral row lacks %q: %s", want, row)
		}
	}
}
