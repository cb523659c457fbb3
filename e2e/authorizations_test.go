package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pickOption sets select css to the value of the first option matching the option
// selector (for example `#reason optgroup[label="Approve"] option`).
func pickOption(t *testing.T, ctx context.Context, selectCSS, optionCSS string) {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+jsString(optionCSS)+`).value`))
	if err != nil || v == "" {
		t.Fatalf("no option %s: %v", optionCSS, err)
	}
	do(t, ctx, chromedp.SetValue(chromedp.CSS(selectCSS), v))
}

// press clicks the element through the page's own script, so that a click that starts a
// full page navigation does not race the browser protocol.
func press(css string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`setTimeout(function () { document.querySelector(` + jsString(css) + `).click() }, 0)`)
}

// after presses css (a button or link that loads a new page) and waits for want to show
// on the next page, retrying while the old page goes away under the query.
func after(t *testing.T, ctx context.Context, css, want string) {
	t.Helper()
	do(t, ctx, press(css))
	var err error
	for i := 0; i < 40; i++ {
		if _, err = chromedp.Run(ctx, chromedp.WaitReady(chromedp.CSS("body"))); err == nil {
			if _, err = chromedp.Run(ctx, chromedp.WaitVisible(chromedp.CSS(want))); err == nil {
				return
			}
		}
		if !strings.Contains(err.Error(), "-32000") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("after %s, waiting for %s: %v", css, want, err)
}

// afterGone presses css and waits until the element gone has left the page (the form
// that was posted is not on the page that answers it), retrying while pages change.
func afterGone(t *testing.T, ctx context.Context, css, gone string) {
	t.Helper()
	do(t, ctx, press(css))
	var err error
	for i := 0; i < 100; i++ {
		_, err = chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.readyState === 'complete' && !document.querySelector(`+jsString(gone)+`)`))
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "-32000") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("after %s, waiting for %s to go: %v", css, gone, err)
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// waitStep waits until the request's right panel shows step n.
func waitStep(t *testing.T, ctx context.Context, n string) {
	t.Helper()
	do(t, ctx, chromedp.Poll[chromedp.Void](`document.querySelector('#authz-step-h') && document.querySelector('#authz-step-h').textContent.indexOf('Step `+n+` of 6') >= 0`))
}

// draftID is the draft's ID from the address of its step page.
func draftID(t *testing.T, ctx context.Context) string {
	t.Helper()
	m := regexp.MustCompile(`/drafts/([0-9]+)/`).FindStringSubmatch(location(t, ctx))
	if m == nil {
		t.Fatalf("not on a draft step: %s", location(t, ctx))
	}
	return m[1]
}

var trackingRe = regexp.MustCompile(`PA[0-9]{9}`)

// TestAuthorizationRequestWithSmartSheet: the manager creates a request for Maria Lopez
// step by step (HTMX swaps the right panel) with a filled Smart Sheet; the nurse asks
// for more information; the manager answers; the nurse approves; the manager opens the
// decision letter.
func TestAuthorizationRequestWithSmartSheet(t *testing.T) {
	mgr := newTab(t)
	signIn(t, mgr, "manager@sunrise.example")
	do(t, mgr, chromedp.Navigate(baseURL+"/members/A100000001/authorizations"), chromedp.WaitVisible(chromedp.CSS("#sec-h")))
	checkAccessibility(t, mgr, "/members/A100000001/authorizations")
	do(t, mgr, chromedp.Click(chromedp.CSS(`form[action$="/authorizations/new"] button`)), chromedp.WaitVisible(chromedp.CSS("#requesting")))
	waitStep(t, mgr, "2")
	checkAccessibility(t, mgr, "providers step")
	pickOption(t, mgr, "#requesting", `#requesting option:nth-child(2)`)
	do(t, mgr, chromedp.Click(chromedp.CSS(`button[value="next"]`)))
	waitStep(t, mgr, "3")
	if loc := location(t, mgr); !strings.HasSuffix(loc, "/service") {
		t.Errorf("after the providers step the address is %s (HTMX should push the step's URL)", loc)
	}
	do(t, mgr, chromedp.Click(chromedp.CSS(`input[name="urgency"][value="standard"]`)), chromedp.SetValue(chromedp.CSS("#service_type"), "imaging"),
		chromedp.Click(chromedp.CSS(`button[value="next"]`)))
	waitStep(t, mgr, "4")
	day := time.Now().AddDate(0, 0, 10).Format("2006-01-02")
	do(t, mgr, chromedp.SendKeys(chromedp.CSS("#dx-0"), "M54.16"), chromedp.SendKeys(chromedp.CSS("#code-0"), "72148"),
		chromedp.SendKeys(chromedp.CSS("#units-0"), "1"), chromedp.SetValue(chromedp.CSS("#from-0"), day), chromedp.SetValue(chromedp.CSS("#to-0"), day),
		chromedp.Click(chromedp.CSS(`button[value="next"]`)))
	waitStep(t, mgr, "5")
	// Fill the lumbar spine MRI Smart Sheet as a checklist.
	after(t, mgr, `a[href$="/drafts/`+draftID(t, mgr)+`/sheets/lumbar-mri"]`, `input[value="conservative"]`)
	do(t, mgr, chromedp.Click(chromedp.CSS(`input[value="conservative"]`)), chromedp.Click(chromedp.CSS(`input[value="radic"]`)))
	after(t, mgr, `form[action*="/sheets/"] button[type="submit"]`, ".alert-success")
	if s := text(t, mgr, "#authz-step"); !strings.Contains(s, "2 of 6 criteria met") {
		t.Fatalf("the Smart Sheet is not attached: %s", s)
	}
	after(t, mgr, `button[value="next"]`, "#authz-step-h")
	waitStep(t, mgr, "6")
	checkAccessibility(t, mgr, "review step")
	after(t, mgr, `form[action$="/review"] button[type="submit"]`, "#az-hist-h")
	no := trackingRe.FindString(text(t, mgr, "main h1"))
	if no == "" {
		t.Fatalf("no tracking number after submitting: %s", text(t, mgr, "main h1"))
	}
	checkAccessibility(t, mgr, "/authorizations/"+no)

	// The nurse takes it and asks for more information.
	nurse := newTab(t)
	signIn(t, nurse, "nurse@plan.example")
	do(t, nurse, chromedp.Navigate(baseURL+"/authorizations/review"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	checkAccessibility(t, nurse, "/authorizations/review")
	do(t, nurse, chromedp.Navigate(baseURL+"/authorizations/review/"+no), chromedp.WaitVisible(chromedp.CSS("#rv-dec-h")))
	if s := text(t, nurse, "#rv-req-h + *, main"); !strings.Contains(s, "MRI of the lumbar spine") || !strings.Contains(s, "Met") {
		t.Errorf("the reviewer does not see the Smart Sheet's criteria")
	}
	checkAccessibility(t, nurse, "/authorizations/review/"+no)
	afterGone(t, nurse, `form[action$="/assign"] button`, `form[action$="/assign"]`)
	do(t, nurse, chromedp.Click(chromedp.CSS(`input[name="action"][value="more_info"]`)))
	pickOption(t, nurse, "#reason", `#reason optgroup[label="Request more information"] option`)
	do(t, nurse, chromedp.SendKeys(chromedp.CSS("#note"), "Please send the physical therapy notes."))
	afterGone(t, nurse, `form[action$="/decide"] button[type="submit"]`, `form[action$="/decide"]`)

	// The manager answers.
	do(t, mgr, chromedp.Navigate(baseURL+"/authorizations/"+no), chromedp.WaitVisible(chromedp.CSS("#az-ask-h")))
	if s := text(t, mgr, "main"); !strings.Contains(s, "Please send the physical therapy notes.") {
		t.Fatalf("the office does not see what is asked")
	}
	do(t, mgr, chromedp.SendKeys(chromedp.CSS("#answer"), "Notes of six PT visits: no lasting improvement."))
	afterGone(t, mgr, `form[action$="/answer"] button[type="submit"]`, `form[action$="/answer"]`)

	// The nurse approves.
	do(t, nurse, chromedp.Navigate(baseURL+"/authorizations/review/"+no), chromedp.WaitVisible(chromedp.CSS("#rv-dec-h")),
		chromedp.Click(chromedp.CSS(`input[name="action"][value="approve"]`)))
	pickOption(t, nurse, "#reason", `#reason optgroup[label="Approve"] option`)
	afterGone(t, nurse, `form[action$="/decide"] button[type="submit"]`, `form[action$="/decide"]`)

	// The manager opens the letter.
	do(t, mgr, chromedp.Navigate(baseURL+"/authorizations/"+no), chromedp.WaitVisible(chromedp.CSS("#az-dec-h")),
		chromedp.Click(chromedp.CSS(`a[href$="/letter"]`)), chromedp.WaitVisible(chromedp.CSS(".letter h1")))
	if h := text(t, mgr, ".letter h1"); h != "Authorization approved" {
		t.Errorf("letter heading %q", h)
	}
	if s := text(t, mgr, ".letter"); !strings.Contains(s, no) || !strings.Contains(s, "Maria Lopez") || !strings.Contains(s, "72148") {
		t.Errorf("letter lacks the request's facts: %s", s)
	}
	checkAccessibility(t, mgr, "letter")
}
