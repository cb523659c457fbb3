package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestSignInWithPasswordAndTOTP signs in as the demo account manager through the real
// pages (password, then the authenticator code) and reaches the dashboard; the sign-in
// and second-factor pages pass axe-core.
func TestSignInWithPasswordAndTOTP(t *testing.T) {
	ctx := newTab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")))
	if code := text(t, ctx, ".demo-code strong + strong"); len(code) != 6 {
		t.Errorf("demo code on the sign-in page: %q", code)
	}
	checkAccessibility(t, ctx, "/login")
	// A wrong password keeps the visitor on the form with a message.
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), "manager@sunrise.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "not the password"),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(".alert-error")),
	)
	if msg := text(t, ctx, ".alert-error"); !strings.Contains(msg, "not right") {
		t.Errorf("wrong password message %q", msg)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#password"), demoPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#code")),
	)
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/login/mfa") {
		t.Fatalf("after the password the browser is at %s", loc)
	}
	checkAccessibility(t, ctx, "/login/mfa")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#code"), totpCode(t, "manager@sunrise.example")),
		chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("main h1")),
	)
	if loc := location(t, ctx); !strings.Contains(loc, "/dashboard") {
		t.Fatalf("after the code the browser is at %s", loc)
	}
	// The harness's signIn helper (used by every area's browser test) works too.
	ctx2 := newTab(t)
	signIn(t, ctx2, "manager@sunrise.example")
}
