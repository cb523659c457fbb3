package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// disableScripts turns JavaScript off in the tab, as in an office browser locked down by
// policy: every main flow must still work with plain links and forms.
func disableScripts() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}

// TestWithoutJavaScript signs in, runs a quick eligibility check, opens the member
// record and searches the library with scripts disabled: plain forms post and redirect.
func TestWithoutJavaScript(t *testing.T) {
	ctx := newTab(t)
	do(t, ctx, disableScripts(), chromedp.Navigate(baseURL+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")))
	// DevTools can still evaluate in the page, but the page's own scripts never ran.
	if kind, err := chromedp.Run(ctx, chromedp.Evaluate[string](`typeof htmx`)); err != nil || kind != "undefined" {
		t.Fatalf("scripts still run: typeof htmx = %q (%v)", kind, err)
	}
	email := "staff@sunrise.example"
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), demoPassword),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#code")),
	)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#code"), totpCode(t, email)),
		chromedp.Click(chromedp.CSS(`form[action^="/login/mfa"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#quick-q")),
	)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#quick-q"), "a10-000-0001"),
		chromedp.SendKeys(chromedp.CSS("#quick-dob"), "03141985"),
		chromedp.Click(chromedp.CSS("#quick-check button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#quick-result .elig-result")),
	)
	if r := text(t, ctx, "#quick-result"); !strings.Contains(r, "Maria Lopez") || !strings.Contains(r, "Active") {
		t.Fatalf("quick check without scripts: %q", r)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#quick-result h3 a")), chromedp.WaitVisible(chromedp.CSS(".sidenav")))
	if h := text(t, ctx, "main h1"); h != "Overview" {
		t.Errorf("member record heading %q", h)
	}
	// The library search is a plain GET form.
	do(t, ctx,
		chromedp.Navigate(baseURL+"/library"),
		chromedp.WaitVisible(chromedp.CSS("#lib-q")),
		chromedp.SendKeys(chromedp.CSS("#lib-q"), "transplant"),
		chromedp.Click(chromedp.CSS(`form[action="/library/search"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("mark")),
	)
	if loc := location(t, ctx); !strings.Contains(loc, "/library/search?") {
		t.Errorf("search went to %s", loc)
	}
}
