package e2e

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// everydayRoles are the demo accounts of every role (SPEC §12) and, for each, the pages
// beyond its navigation that a user of that role opens every day.
var everydayRoles = []struct {
	email string
	extra []string
}{
	{"manager@sunrise.example", []string{"/members/A100000001", "/members/A100000001/card", "/members/A100000001/cost-sharing", "/account/users", "/security"}},
	{"staff@sunrise.example", []string{"/members/A100000001"}},
	{"manager@valley.example", nil},
	{"rep@plan.example", nil},
	{"nurse@plan.example", nil},
	{"editor@plan.example", nil},
	{"privacy@plan.example", nil},
	{"admin@plan.example", nil},
}

// mainPages is the dashboard, every link of the signed-in user's top navigation and the
// role's extra pages: the pages a user reaches in one click.
func mainPages(t *testing.T, ctx context.Context, extra []string) []string {
	t.Helper()
	do(t, ctx, chromedp.Navigate(baseURL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	hrefs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('nav.topnav a')).map(a => a.getAttribute('href'))`))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var pages []string
	for _, h := range append(append([]string{"/dashboard"}, hrefs...), extra...) {
		if u, err := url.Parse(h); err == nil && u.Host == "" && strings.HasPrefix(h, "/") && !seen[h] {
			seen[h] = true
			pages = append(pages, h)
		}
	}
	sort.Strings(pages[1:])
	return pages
}

// pageWidths is what the reflow check measures on the current page: the document's
// scroll width against the viewport, and the widest element that sticks out.
type pageWidths struct {
	Scroll   int    `json:"scroll"`
	Viewport int    `json:"viewport"`
	Widest   string `json:"widest"`
}

const measureJS = `(() => {
  const vw = document.documentElement.clientWidth;
  let widest = "", max = vw;
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > max + 1) { max = r.right; widest = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") + " " + Math.round(r.right) + "px"; }
  }
  return {scroll: document.documentElement.scrollWidth, viewport: vw, widest: widest};
})()`

// TestEverydayPagesEveryRole signs in as every demo role and opens each main page at
// 1366, 390 and 320 px wide: no page scrolls sideways (WCAG 1.4.10 reflow), no page
// shows "UTC" (times are in the plan's zone), axe-core finds no serious violation at
// 1366 and 320 px, and on a phone the navigation is a menu button that opens without
// JavaScript.
func TestEverydayPagesEveryRole(t *testing.T) {
	for _, role := range everydayRoles {
		t.Run(strings.Split(role.email, "@")[0]+"@"+strings.Split(strings.Split(role.email, "@")[1], ".")[0], func(t *testing.T) {
			ctx := newTab(t)
			signIn(t, ctx, role.email)
			pages := mainPages(t, ctx, role.extra)
			if len(pages) < 4 {
				t.Fatalf("only %d main pages found for %s: %v", len(pages), role.email, pages)
			}
			for _, w := range []int64{1366, 390, 320} {
				do(t, ctx, chromedp.EmulateViewport(w, 800))
				for _, p := range pages {
					do(t, ctx, chromedp.Navigate(baseURL+p), chromedp.WaitReady(chromedp.CSS("footer")))
					m, err := chromedp.Run(ctx, chromedp.Evaluate[pageWidths](measureJS))
					if err != nil {
						t.Fatal(err)
					}
					if m.Scroll > m.Viewport {
						t.Errorf("%s at %d px scrolls sideways: document %d px wide in a %d px viewport (widest: %s)", p, w, m.Scroll, m.Viewport, m.Widest)
					}
					if w == 1366 {
						body := text(t, ctx, "body")
						if strings.Contains(body, "UTC") {
							i := strings.Index(body, "UTC")
							t.Errorf("%s shows UTC: …%s…", p, body[max(0, i-60):min(len(body), i+20)])
						}
					}
					if w != 390 {
						checkAccessibility(t, ctx, fmt.Sprintf("%s at %d px", p, w))
					}
				}
				if w == 320 {
					checkPhoneMenu(t, ctx)
				}
			}
			do(t, ctx, chromedp.EmulateViewport(1280, 900))
		})
	}
}

// checkPhoneMenu checks that on a phone the navigation is a closed <details> menu button
// whose links show when it is opened.
func checkPhoneMenu(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(baseURL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS("nav.topnav summary")))
	const shown = `Array.from(document.querySelectorAll("nav.topnav a[href='/help']")).some(a => a.checkVisibility())`
	visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](shown))
	if err != nil {
		t.Fatal(err)
	}
	if visible {
		t.Errorf("at 320 px the navigation links show before the menu button is pressed")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("nav.topnav summary")))
	visible, err = chromedp.Run(ctx, chromedp.Evaluate[bool](shown))
	if err != nil {
		t.Fatal(err)
	}
	if !visible {
		t.Errorf("at 320 px the menu button does not show the navigation")
	}
}

// TestFocusAfterHTMXSwap: after an htmx swap, focus lands on the error summary (quick
// check submitted empty) or on the new result (a member found), never on <body>; the
// eligibility page's "No members checked yet" goes with the first result.
func TestFocusAfterHTMXSwap(t *testing.T) {
	ctx := newTab(t)
	signIn(t, ctx, "staff@sunrise.example")
	focused := func() string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const a = document.activeElement; return a.tagName.toLowerCase() + (a.className ? "." + a.className.split(" ").join(".") : ""); })()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#quick-check button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#quick-check .error-summary")),
		chromedp.Sleep(200*time.Millisecond), // settle
	)
	if f := focused(); f != "div.error-summary" {
		t.Errorf("after an empty quick check focus is on %q, not the error summary", f)
	}
	if inv, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#quick-q").getAttribute("aria-invalid")`)); inv != "true" {
		t.Errorf("the empty member field is not aria-invalid (%q)", inv)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#quick-q"), "A100000001"),
		chromedp.SendKeys(chromedp.CSS("#quick-dob"), "03141985"),
		chromedp.Click(chromedp.CSS("#quick-check button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#quick-result .elig-result")),
		chromedp.Sleep(200*time.Millisecond),
	)
	if f := focused(); f != "article.elig-result" {
		t.Errorf("after a found member focus is on %q, not the result", f)
	}
	checkAccessibility(t, ctx, "/dashboard after the quick check")

	do(t, ctx, chromedp.Navigate(baseURL+"/eligibility"), chromedp.WaitVisible(chromedp.CSS("#elig-q")))
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#elig-q"), "A100000001"),
		chromedp.SendKeys(chromedp.CSS("#elig-dob"), "03141985"),
		chromedp.Click(chromedp.CSS("#elig-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#elig-list .elig-result")),
		chromedp.Sleep(200*time.Millisecond),
	)
	if f := focused(); f != "article.elig-result" {
		t.Errorf("after an eligibility check focus is on %q, not the new result", f)
	}
	if shown, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("#elig-empty") && document.querySelector("#elig-empty").checkVisibility()`)); shown {
		t.Error(`"No members checked yet" still shows after the first result`)
	}
}
