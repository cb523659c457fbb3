package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPrivacyRequestBannerAndEOB: the privacy officer ends James Smith Jr.'s demo
// request and the Sunrise manager sees no banner on his record; the officer records a
// new request (electronic, designated e-mail) and the manager now sees the banner above
// the record's content; Linda Smith's explanation of benefits omits James's sensitive
// services and says only that some services are reported separately.
func TestPrivacyRequestBannerAndEOB(t *testing.T) {
	po := newTab(t)
	signIn(t, po, "privacy@plan.example")
	do(t, po, chromedp.Navigate(baseURL+"/privacy/requests?view=completed"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	href, err := chromedp.Run(po, chromedp.Evaluate[string](`(() => { for (const tr of document.querySelectorAll("main tbody tr")) { if (tr.textContent.includes("M200000001")) return tr.querySelector("a").getAttribute("href"); } return ""; })()`))
	if err != nil || href == "" {
		t.Fatalf("James Smith Jr.'s demo request is not in the completed queue (%v)", err)
	}
	do(t, po, chromedp.Navigate(baseURL+href), chromedp.WaitVisible(chromedp.CSS("#rd-h")))
	checkAccessibility(t, po, href)
	do(t, po, chromedp.Click(chromedp.CSS(`form[action$="/end"] button`)), chromedp.WaitVisible(chromedp.CSS("#flash .alert-success")))
	if s := text(t, po, "main dl"); !strings.Contains(s, "Ended") {
		t.Fatalf("after ending, the request says %q", s)
	}

	mgr := newTab(t)
	signIn(t, mgr, "manager@sunrise.example")
	do(t, mgr, chromedp.Navigate(baseURL+"/members/M200000001"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if n, _ := chromedp.Run(mgr, chromedp.Evaluate[int](`document.querySelectorAll(".privacy-banner").length`)); n != 0 {
		t.Fatal("banner shown with no request in force")
	}

	la, _ := time.LoadLocation("America/Los_Angeles")
	today := time.Now().In(la).Format("01/02/2006")
	do(t, po, chromedp.Navigate(baseURL+"/privacy/requests"), chromedp.WaitVisible(chromedp.CSS("#cc-member")))
	checkAccessibility(t, po, "/privacy/requests")
	do(t, po,
		chromedp.SendKeys(chromedp.CSS("#cc-member"), "M200000001"),
		chromedp.Click(chromedp.CSS(`input[name="channel"][value="electronic"]`)),
		chromedp.SendKeys(chromedp.CSS("#cc-received"), today),
		chromedp.Click(chromedp.CSS(`input[name="scope"][value="sensitive"]`)),
		chromedp.SendKeys(chromedp.CSS("#cc-email"), "jsj.private@example.org"),
		chromedp.Submit(chromedp.CSS("#cc-email")),
		chromedp.WaitVisible(chromedp.CSS("#rd-h")),
	)
	if s := text(t, po, "main dl"); !strings.Contains(s, "jsj.private@example.org") || !strings.Contains(s, "Electronic") {
		t.Fatalf("recorded request shows %q", s)
	}

	do(t, mgr, chromedp.Navigate(baseURL+"/members/M200000001/claims"), chromedp.WaitVisible(chromedp.CSS(".privacy-banner")))
	above, err := chromedp.Run(mgr, chromedp.Evaluate[bool](`!!(document.querySelector(".privacy-banner").compareDocumentPosition(document.querySelector("#mc-h")) & Node.DOCUMENT_POSITION_FOLLOWING)`))
	if err != nil || !above {
		t.Errorf("the banner is not above the content (%v)", err)
	}
	if n, _ := chromedp.Run(mgr, chromedp.Evaluate[int](`document.querySelectorAll(".sensitive-marker").length`)); n == 0 {
		t.Error("no sensitive claim carries a marker for the care team")
	}
	checkAccessibility(t, mgr, "/members/M200000001/claims")
	// The claim numbers of James's sensitive claims, as the care team sees them.
	sensitive, err := chromedp.Run(mgr, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main tbody tr")].filter(tr => tr.querySelector(".sensitive-marker")).map(tr => tr.querySelector("a").textContent.trim())`))
	if err != nil || len(sensitive) == 0 {
		t.Fatalf("sensitive claims of James: %v %v", sensitive, err)
	}

	do(t, po, chromedp.Navigate(baseURL+"/privacy/members/M200000002/eob"), chromedp.WaitVisible(chromedp.CSS("#eob-h")))
	body := text(t, po, "main")
	if !strings.Contains(body, "Some services are reported separately.") || !strings.Contains(body, "Linda Smith") {
		t.Errorf("Linda Smith's EOB: %q", body)
	}
	for _, no := range sensitive {
		if strings.Contains(body, no) {
			t.Errorf("Linda Smith's EOB shows James's sensitive claim %s", no)
		}
	}
	for _, w := range []string{"Psychotherapy", "Chlamydia", "methadone", "jsj.private@example.org"} {
		if strings.Contains(body, w) {
			t.Errorf("Linda Smith's EOB holds %q", w)
		}
	}
	checkAccessibility(t, po, "/privacy/members/M200000002/eob")
}
