package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestQuickCheckAndMemberRecord signs in as Sunrise's manager, runs the dashboard's
// Quick Eligibility Check for Maria Lopez under Commercial (the result appears right
// below the form through htmx), opens her member record and Cost Sharing, and checks
// the dashboard and member record with axe-core.
func TestQuickCheckAndMemberRecord(t *testing.T) {
	ctx := newTab(t)
	signIn(t, ctx, "manager@sunrise.example")
	// The plan type starts as Commercial.
	if h := text(t, ctx, "#quick-h"); !strings.Contains(h, "Commercial") {
		t.Fatalf("quick check heading %q: plan type is not Commercial", h)
	}
	checkAccessibility(t, ctx, "/dashboard")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#quick-q"), "A100000001"),
		// A date input takes the date as typed in the browser's locale: mm dd yyyy.
		chromedp.SendKeys(chromedp.CSS("#quick-dob"), "03141985"),
		chromedp.Click(chromedp.CSS("#quick-check button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#quick-result .elig-result")),
	)
	result := text(t, ctx, "#quick-result")
	for _, want := range []string{"Maria Lopez", "Active", "A100000001", "03/14/1985", "Portico Silver 70 HMO", "PCP $35.00"} {
		if !strings.Contains(result, want) {
			t.Errorf("result lacks %q: %s", want, result)
		}
	}
	// The swap happened in place: still on the dashboard.
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/dashboard") {
		t.Errorf("after the check the browser is at %s", loc)
	}
	checkAccessibility(t, ctx, "/dashboard with a result")

	do(t, ctx,
		chromedp.Click(chromedp.CSS("#quick-result h3 a")),
		chromedp.WaitVisible(chromedp.CSS(".sidenav")),
	)
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/members/A100000001") {
		t.Fatalf("member link went to %s", loc)
	}
	if h := text(t, ctx, "main h1"); h != "Overview" {
		t.Errorf("member record heading %q", h)
	}
	checkAccessibility(t, ctx, "/members/A100000001")

	do(t, ctx,
		chromedp.Click(chromedp.CSS(`.sidenav a[href$="/cost-sharing"]`)),
		chromedp.WaitVisible(chromedp.CSS("meter")),
	)
	cs := text(t, ctx, "main")
	for _, want := range []string{"Cost Sharing", "Individual deductible", "Family out-of-pocket maximum", "remaining"} {
		if !strings.Contains(cs, want) {
			t.Errorf("cost sharing lacks %q", want)
		}
	}
	if cur := text(t, ctx, `.sidenav a[aria-current="page"]`); cur != "Cost Sharing" {
		t.Errorf("current menu item %q", cur)
	}
	checkAccessibility(t, ctx, "/members/A100000001/cost-sharing")

	// The Eligibility Check page adds results to its running list without a reload.
	do(t, ctx, chromedp.Navigate(baseURL+"/eligibility"), chromedp.WaitVisible(chromedp.CSS("#elig-q")))
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#elig-q"), "lopez"),
		chromedp.SendKeys(chromedp.CSS("#elig-dob"), "03141985"),
		chromedp.Click(chromedp.CSS("#elig-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#elig-list .elig-item")),
	)
	deadline := time.Now().Add(5 * time.Second)
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#elig-q").value`))
		if err == nil && v == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the form was not reset after the check (%q, %v)", v, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if list := text(t, ctx, "#elig-list"); !strings.Contains(list, "Maria Lopez") {
		t.Errorf("running list %q", list)
	}
	checkAccessibility(t, ctx, "/eligibility")

	// The patient panel: Sunrise's attributed Commercial members, with Maria Lopez.
	do(t, ctx, chromedp.Navigate(baseURL+"/patients"), chromedp.WaitVisible(chromedp.CSS("table")))
	if body := text(t, ctx, "main"); !strings.Contains(body, "total") {
		t.Errorf("patients page lacks the total")
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#pt-q"), "Lopez"))
	// Submit and wait for the new page itself: Maria's link is on the first page already,
	// so waiting for it alone could check the old page while the new one loads.
	if _, err := chromedp.RunResponse(ctx, chromedp.Submit(chromedp.CSS("#pt-q"))); err != nil {
		t.Fatalf("patient search: %v", err)
	}
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`a[href="/members/A100000001"]`)))
	checkAccessibility(t, ctx, "/patients")
}
