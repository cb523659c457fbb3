package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestLibrarySearchFlow: a visitor who is not signed in opens the library, searches it,
// opens a result, and opens an accordion of the operations manual; the library and the
// search page pass the accessibility check.
func TestLibrarySearchFlow(t *testing.T) {
	ctx := newTab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/library"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if h := text(t, ctx, "main h1"); h != "Provider library" {
		t.Errorf("heading %q", h)
	}
	checkAccessibility(t, ctx, "/library")

	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#lib-q"), "transplant"), chromedp.Submit(chromedp.CSS("#lib-q")),
		chromedp.WaitVisible(chromedp.CSS(".library-hit-title a")))
	if loc := location(t, ctx); !strings.Contains(loc, "/library/search?q=transplant") {
		t.Errorf("search went to %s", loc)
	}
	if first := text(t, ctx, ".library-hit-title a"); first != "Transplant services" {
		t.Errorf("first result %q", first)
	}
	if m := text(t, ctx, ".library-hit mark"); !strings.EqualFold(m, "transplant") {
		t.Errorf("highlight %q", m)
	}
	checkAccessibility(t, ctx, "/library/search")

	// Searching again from the search page swaps the results in place (HTMX) and keeps the URL in step.
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#search-q"), "oseltamivir"), chromedp.Click(chromedp.CSS("form[role=search] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`.library-hit-title a[href="/library/updates/influenza-season-antivirals-and-testing"]`)))
	do(t, ctx, chromedp.SetValue(chromedp.CSS("#search-q"), "transplant"), chromedp.Click(chromedp.CSS("form[role=search] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`.library-hit-title a[href="/library/manual/transplant-services"]`)))

	do(t, ctx, chromedp.Click(chromedp.CSS(".library-hit-title a")), chromedp.WaitVisible(chromedp.CSS(".library-applies")))
	if h := text(t, ctx, "main h1"); h != "Transplant services" {
		t.Errorf("result page heading %q", h)
	}
	if applies := text(t, ctx, ".library-applies"); !strings.Contains(applies, "Hospitals") {
		t.Errorf("applies to %q", applies)
	}
	// Accordions open without any script of ours: they are <details>.
	do(t, ctx, chromedp.Click(chromedp.CSS("details.accordion summary")))
	open, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("details.accordion").open`))
	if err != nil || !open {
		t.Errorf("accordion did not open (%v)", err)
	}
	checkAccessibility(t, ctx, "/library/manual/transplant-services")

	// The manual's A–Z bar jumps to a letter.
	do(t, ctx, chromedp.Navigate(baseURL+"/library/manual"), chromedp.WaitVisible(chromedp.CSS(".az")))
	checkAccessibility(t, ctx, "/library/manual")
	do(t, ctx, chromedp.Navigate(baseURL+"/library/updates"), chromedp.WaitVisible(chromedp.CSS("#archive")))
	checkAccessibility(t, ctx, "/library/updates")
	do(t, ctx, chromedp.Navigate(baseURL+"/help"), chromedp.WaitVisible(chromedp.CSS("#provider-services")))
	checkAccessibility(t, ctx, "/help")
}

// TestProviderSearchFlow: a signed-in office user finds providers near a ZIP code, sees
// distances nearest first with a directions link, and opens the print view; both pages
// pass the accessibility check. It needs the sign-in pages, so it skips on a branch
// without them.
func TestProviderSearchFlow(t *testing.T) {
	if res, err := http.Get(baseURL + "/login"); err != nil || res.StatusCode != http.StatusOK {
		if res != nil {
			res.Body.Close()
		}
		t.Skip("no sign-in page on this build")
	} else {
		res.Body.Close()
	}
	ctx := newTab(t)
	signIn(t, ctx, "staff@sunrise.example")
	do(t, ctx, chromedp.Navigate(baseURL+"/providers"), chromedp.WaitVisible(chromedp.CSS("#p-location")))
	checkAccessibility(t, ctx, "/providers")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#p-location"), "93721"), chromedp.SetValue(chromedp.CSS("#p-radius"), "10"),
		chromedp.Click(chromedp.CSS(".provider-form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".provider-list")))
	dists, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[...document.querySelectorAll(".provider .provider-distance")].map(e => parseFloat(e.textContent.replace(/[()]/g, "")))`))
	if err != nil || len(dists) == 0 {
		t.Fatalf("no distances shown (%v)", err)
	}
	for i, d := range dists {
		if d > 10 || (i > 0 && d < dists[i-1]) {
			t.Errorf("distances not within 10 miles, nearest first: %v", dists)
			break
		}
	}
	if href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".provider a[href*='openstreetmap.org/directions']").href`)); err != nil || href == "" {
		t.Errorf("no directions link (%v)", err)
	}
	checkAccessibility(t, ctx, "/providers results")
	do(t, ctx, chromedp.Click(chromedp.CSS(".provider-summary a.button")), chromedp.WaitVisible(chromedp.CSS(".provider-print")))
	checkAccessibility(t, ctx, "/providers print view")
}

// TestLibraryEditorFlow: the library editor writes an entry with an accordion, sees the
// error summary when the title is missing, publishes it, and a visitor finds it by search.
// The editor's pages pass the accessibility check.
func TestLibraryEditorFlow(t *testing.T) {
	if res, err := http.Get(baseURL + "/login"); err != nil || res.StatusCode != http.StatusOK {
		if res != nil {
			res.Body.Close()
		}
		t.Skip("no sign-in page on this build")
	} else {
		res.Body.Close()
	}
	ctx := newTab(t)
	signIn(t, ctx, "editor@plan.example")
	do(t, ctx, chromedp.Navigate(baseURL+"/library/edit"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	checkAccessibility(t, ctx, "/library/edit")
	do(t, ctx, chromedp.Navigate(baseURL+"/library/edit/new"), chromedp.WaitVisible(chromedp.CSS("#f-title")),
		chromedp.SendKeys(chromedp.CSS("#f-body"), "Kept while the title is missing."),
		chromedp.Click(chromedp.CSS("form.card button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	if body, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-body"))); err != nil || !strings.Contains(body, "Kept while") {
		t.Errorf("typed text lost after a refused save: %q (%v)", body, err)
	}
	checkAccessibility(t, ctx, "/library/edit/new with errors")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-title"), "Axolotl referral guide"),
		chromedp.SendKeys(chromedp.CSS("#f-body"), "\n\n## Who to refer\nMembers with axolotl-related questions."),
		chromedp.Click(chromedp.CSS(`input[name=provider_types][value=physician]`)),
		chromedp.Click(chromedp.CSS(`button[formaction="/library/edit/preview"]`)), chromedp.WaitVisible(chromedp.CSS("#library-preview details.accordion")))
	if h := text(t, ctx, "#library-preview h3"); h != "Axolotl referral guide" {
		t.Errorf("preview heading %q", h)
	}
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/library/edit/new") {
		t.Errorf("preview navigated to %s", loc)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("form.card button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".alert-success")))
	checkAccessibility(t, ctx, "/library/edit/{id}")
	do(t, ctx, chromedp.Click(chromedp.CSS(`form[action$="/publish"] button`)), chromedp.WaitVisible(chromedp.CSS(".status-ok")))
	do(t, ctx, chromedp.Click(chromedp.CSS(`a[href$="/revisions"]`)), chromedp.WaitVisible(chromedp.CSS("table")))
	checkAccessibility(t, ctx, "/library/edit/{id}/revisions")

	visitor := newTab(t)
	do(t, visitor, chromedp.Navigate(baseURL+"/library/search?q=axolotl"), chromedp.WaitVisible(chromedp.CSS(".library-hit-title a")),
		chromedp.Click(chromedp.CSS(".library-hit-title a")), chromedp.WaitVisible(chromedp.CSS("details.accordion")))
	if h := text(t, visitor, "main h1"); h != "Axolotl referral guide" {
		t.Errorf("visitor sees %q", h)
	}
}
