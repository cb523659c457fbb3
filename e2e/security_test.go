package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSignOutClearsTheBrowser: in a real browser, each page carries the CSRF token
// under a fresh mask (and the forms still work), and signing out makes the browser drop
// the site's cookies and storage (Clear-Site-Data), as a shared front-desk computer needs.
func TestSignOutClearsTheBrowser(t *testing.T) {
	ctx := newTab(t)
	signIn(t, ctx, "staff@sunrise.example")
	token := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.getAttribute("data-hx-headers")`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	first := token()
	do(t, ctx, chromedp.Navigate(baseURL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if second := token(); first == "" || first == second {
		t.Errorf("the CSRF token did not change between pages: %q %q", first, second)
	}
	// Something the site keeps in the browser.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`localStorage.setItem("probe", "1"); document.cookie = "probe=1; path=/"`)); err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#email")),
	)
	if msg := text(t, ctx, "#flash"); !strings.Contains(msg, "You are signed out") {
		t.Errorf("after sign-out the page says %q", msg)
	}
	left, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(localStorage.getItem("probe") || "") + "|" + document.cookie`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(left, "1|") || strings.Contains(left, "probe=") {
		t.Errorf("sign-out left site data in the browser: %q", left)
	}
	// The session is gone: a signed-in page sends the browser to the sign-in page.
	do(t, ctx, chromedp.Navigate(baseURL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS("#email")))
	// And the sign-in form (a visitor's token from a cookie, no session) still works.
	signIn(t, ctx, "staff@sunrise.example")
}
