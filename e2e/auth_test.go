package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
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
		chromedp.WaitVisible(chromedp.CSS(".auth-card .alert-error")),
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
		// The code page has a main h1 too: wait until it is gone.
		chromedp.WaitNotPresent(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("main h1")),
	)
	if loc := location(t, ctx); !strings.Contains(loc, "/dashboard") {
		t.Fatalf("after the code the browser is at %s", loc)
	}
	// The harness's signIn helper (used by every area's browser test) works too.
	ctx2 := newTab(t)
	signIn(t, ctx2, "manager@sunrise.example")
}

// TestRegisterVerifyEnrol registers a new office through the real pages, follows the
// verification link from the outbox, signs in, enrols an authenticator (QR code page)
// and sees the recovery codes.
func TestRegisterVerifyEnrol(t *testing.T) {
	ctx := newTab(t)
	email := fmt.Sprintf("office%d@e2e.example", time.Now().UnixNano()%1e9)
	password := "copper meadow 58 lanterns"
	do(t, ctx, chromedp.Navigate(baseURL+"/register"), chromedp.WaitVisible(chromedp.CSS("#provider_name")))
	checkAccessibility(t, ctx, "/register")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#provider_name"), "Cypress Lane Clinic"),
		chromedp.SetValue(chromedp.CSS("#provider_type"), "clinic"),
		chromedp.SendKeys(chromedp.CSS("#npi"), "1234567893"),
		chromedp.SendKeys(chromedp.CSS("#tin"), "97-1234599"),
		chromedp.SendKeys(chromedp.CSS("#contact_name"), "Mei Tanaka"),
		chromedp.SendKeys(chromedp.CSS("#phone"), "(209) 555-0177"),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.SendKeys(chromedp.CSS("#password_confirm"), password),
		chromedp.Submit(chromedp.CSS("#password_confirm")),
		chromedp.WaitVisible(chromedp.CSS("#register-sent")),
	)
	do(t, ctx,
		chromedp.Navigate(baseURL+"/outbox?to="+email),
		chromedp.WaitVisible(chromedp.CSS(`a[href^="/register/verify/"]`)),
		chromedp.Click(chromedp.CSS(`a[href^="/register/verify/"]`)),
		chromedp.WaitVisible(chromedp.CSS("#verify-button")),
		chromedp.Click(chromedp.CSS("#verify-button")),
		chromedp.WaitVisible(chromedp.CSS("#email")),
	)
	if msg := text(t, ctx, "#flash"); !strings.Contains(msg, "verified") {
		t.Errorf("after verification: %q", msg)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("#secret")),
	)
	checkAccessibility(t, ctx, "/login/enrol")
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("img.qr").naturalWidth === 200`))
	if err != nil || !loaded {
		t.Errorf("the QR code image did not load under the CSP (%v)", err)
	}
	secret := strings.ReplaceAll(text(t, ctx, "#secret"), " ", "")
	code, err := totp.GenerateCodeCustom(secret, time.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#code"), code),
		chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("#recovery-codes")),
	)
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#recovery-codes li").length`))
	if err != nil || n != 10 {
		t.Errorf("%d recovery codes shown (%v)", n, err)
	}
	checkAccessibility(t, ctx, "recovery codes")
}
