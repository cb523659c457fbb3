package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestOutboxInBrowser: the plan admin reaches the outbox from the admin pages, filters it
// by status and sees each mail's status; a visitor who opens the outbox lands on the
// sign-in page, and the sign-in help's demo mail page shows a partner's envelope mail.
// The pages pass axe-core.
func TestOutboxInBrowser(t *testing.T) {
	a := newTab(t)
	signIn(t, a, "admin@plan.example")
	do(t, a, chromedp.Navigate(baseURL+"/admin"), chromedp.WaitVisible(chromedp.CSS(`nav a[href="/outbox"]`)))
	do(t, a, chromedp.Navigate(baseURL+"/outbox"), chromedp.WaitVisible(chromedp.CSS("#outbox-count")))
	checkAccessibility(t, a, "/outbox (plan admin)")
	do(t, a,
		chromedp.SetValue(chromedp.CSS("#outbox-status"), "held"),
		chromedp.Submit(chromedp.CSS("#outbox-status")),
		chromedp.WaitReady(chromedp.CSS(`#outbox-status option[value="held"][selected]`)),
	)
	if n := text(t, a, "#outbox-count"); n == "" || strings.HasPrefix(n, "0 ") {
		t.Fatalf("held demo mail: %q", n)
	}
	statuses, err := chromedp.Run(a, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".outbox-mail .status")].map(e => e.textContent.trim())`))
	if err != nil || len(statuses) == 0 {
		t.Fatalf("statuses %v (%v)", statuses, err)
	}
	for _, s := range statuses {
		if s != "Not for delivery (demo data)" {
			t.Fatalf("the held filter shows a mail with status %q", s)
		}
	}

	// A visitor, in a tab of their own.
	v := newTab(t)
	do(t, v, chromedp.Navigate(baseURL+"/outbox"), chromedp.WaitVisible(chromedp.CSS("#email")))
	if loc := location(t, v); !strings.Contains(loc, "/login") {
		t.Fatalf("a visitor opening /outbox is at %s", loc)
	}
	do(t, v,
		chromedp.Navigate(baseURL+"/login/demo-mail"),
		chromedp.WaitVisible(chromedp.CSS("#demo-mail-to")),
		chromedp.SendKeys(chromedp.CSS("#demo-mail-to"), "records@lawfirm.example"),
		chromedp.Submit(chromedp.CSS("#demo-mail-to")),
		chromedp.WaitVisible(chromedp.CSS(".outbox-mail")),
	)
	checkAccessibility(t, v, "/login/demo-mail")
	if body := text(t, v, ".outbox-mail .mail-body"); !strings.Contains(body, "/envelope/") {
		t.Fatalf("the partner's mail: %q", body)
	}
}
