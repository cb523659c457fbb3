package e2e

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TestSignInWithPasswordAndTOTP signs in as the demo account manager through the real
// pages (password, then the authenticator code) and reaches the dashboard; the sign-in
// and second-factor pages pass axe-core.
func TestSignInWithPasswordAndTOTP(t *testing.T) {
	ctx := newTab(t)
	do(t, ctx, chromedp.Navigate(baseURL+"/login"), chromedp.WaitVisible(chromedp.CSS("#email")))
	if code := text(t, ctx, ".demo-code .code"); len(code) != 6 {
		t.Errorf("demo code on the sign-in page: %q", code)
	}
	checkAccessibility(t, ctx, "/login")
	// A wrong password keeps the visitor on the form with a message.
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#email"), "manager@sunrise.example"),
		chromedp.SendKeys(chromedp.CSS("#password"), "not the password"),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(".auth-card .error-summary")),
	)
	if msg := text(t, ctx, ".auth-card .error-summary"); !strings.Contains(msg, "not right") {
		t.Errorf("wrong password message %q", msg)
	}
	// The error summary takes focus and both fields say they are invalid (WCAG 3.3.1).
	state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.activeElement.classList.contains("error-summary") ? "summary" : document.activeElement.tagName) + " " + document.querySelector("#email").getAttribute("aria-invalid") + " " + document.querySelector("#password").getAttribute("aria-invalid")`))
	if err != nil || state != "summary true true" {
		t.Errorf("after a wrong password: focus and aria-invalid %q (%v), want the summary focused and both fields invalid", state, err)
	}
	checkAccessibility(t, ctx, "/login after a wrong password")
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
// verification link from the demo mail page, signs in, enrols an authenticator (QR code page)
// and sees the recovery codes.
func TestRegisterVerifyEnrol(t *testing.T) {
	ctx := newTab(t)
	email := fmt.Sprintf("office%d@e2e.example", time.Now().UnixNano()%1e9)
	password := "copper meadow 58 lanterns"
	do(t, ctx, chromedp.Navigate(baseURL+"/register"), chromedp.WaitVisible(chromedp.CSS("#provider_name")))
	checkAccessibility(t, ctx, "/register")
	// Sending the empty form shows the error summary and the messages by the fields.
	do(t, ctx, chromedp.Click(chromedp.CSS("main form button[type=submit]")), chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	checkAccessibility(t, ctx, "/register with errors")
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
		chromedp.Navigate(baseURL+"/login/demo-mail?to="+email),
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

// TestIdleWarning opens the idle sign-out warning (the page's own script, re-run with a
// short idle time), keeps the session with "Stay signed in", and then lets the countdown
// run out, which leaves for the sign-in page.
func TestIdleWarning(t *testing.T) {
	ctx := newTab(t)
	signIn(t, ctx, "manager@valley.example")
	do(t, ctx, chromedp.Navigate(baseURL+"/account"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	src, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('script[src*="app.js"]').src`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(src)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := io.ReadAll(res.Body)
	res.Body.Close()
	// The script asks the server how long is left before it warns; the test answers
	// with the same short time instead of waiting 14 minutes.
	restart := func(seconds int) {
		t.Helper()
		script := fmt.Sprintf(`window.__idleLeft = %d; document.getElementById("idle-dialog").setAttribute("data-idle-seconds", "%d");
			if (!window.__realFetch) {
				window.__realFetch = window.fetch;
				window.fetch = function (u, o) {
					if (String(u).indexOf("/session/status") >= 0) {
						return Promise.resolve(new Response(null, {status: 204, headers: {"X-Idle-Seconds": String(Math.max(0, window.__idleLeft - 2))}}));
					}
					return window.__realFetch.apply(this, arguments);
				};
			}`, seconds, seconds) + string(js)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](script)); err != nil {
			t.Fatal(err)
		}
	}
	restart(62)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#idle-dialog")))
	if s := text(t, ctx, "#idle-dialog [data-idle-countdown]"); s == "" || len(s) > 2 {
		t.Errorf("countdown %q", s)
	}
	checkAccessibility(t, ctx, "idle warning")
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#idle-dialog form[data-keep-alive] button")),
		chromedp.WaitNotVisible(chromedp.CSS("#idle-dialog")),
	)
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/account") {
		t.Fatalf("Stay signed in left the page: %s", loc)
	}
	// Escape counts as "Stay signed in" too.
	restart(62)
	do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS("#idle-dialog")),
		chromedp.KeyEvent(kb.Escape),
		chromedp.WaitNotVisible(chromedp.CSS("#idle-dialog")),
		chromedp.Sleep(2*time.Second),
	)
	// Without the keep-alive the warning would be back within a second.
	if open, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("idle-dialog").open`)); err != nil || open {
		t.Errorf("after Escape the warning came back (%v)", err)
	}
	restart(2)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#email")))
	if loc := location(t, ctx); !strings.Contains(loc, "/login?next=%2Faccount") {
		t.Errorf("after the countdown the browser is at %s", loc)
	}
}
