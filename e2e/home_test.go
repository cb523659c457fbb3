package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestHomePage opens the public home page as a person would and checks it with axe-core.
func TestHomePage(t *testing.T) {
	ctx := newTab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h := text(t, ctx, "h1"); !strings.Contains(h, "Welcome") {
		t.Errorf("heading %q", h)
	}
	if b := text(t, ctx, ".demo-banner"); !strings.Contains(b, "DEMO") {
		t.Errorf("demo banner %q", b)
	}
	notices := text(t, ctx, "#notices + article h3")
	if notices == "" {
		t.Error("no plan notice shown")
	}
	// The stylesheet is applied (served from the binary under a content-hash URL).
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".site-header")).backgroundColor`))
	if err != nil || bg != "rgb(26, 68, 128)" {
		t.Errorf("header background %q (%v): stylesheet not applied", bg, err)
	}
	// htmx loaded despite the strict CSP.
	if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof htmx !== "undefined"`)); err != nil || !ok {
		t.Errorf("htmx not loaded: %v", err)
	}
	checkAccessibility(t, ctx, "/")
	// A narrow phone screen still shows the sign-in button without sideways scrolling.
	do(t, ctx, chromedp.EmulateViewport(320, 640), chromedp.Navigate(baseURL+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil || wide {
		t.Errorf("page scrolls sideways at 320 px (%v)", err)
	}
}

// TestAxeSeesViolations proves the accessibility check can fail: an image without a text
// alternative, added to the page, must be reported.
func TestAxeSeesViolations(t *testing.T) {
	ctx := newTab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("main").insertAdjacentHTML("beforeend", "<img src='/favicon.ico'>")`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
		t.Fatal(err)
	}
	ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => v.id))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(ids, " "), "image-alt") {
		t.Errorf("axe did not report the image without alt text: %v", ids)
	}
}
