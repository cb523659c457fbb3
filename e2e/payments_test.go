package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestPaymentsToDispute follows the money in a real browser: from the dashboard to
// payment history, a check's explanation of payment, one of its claims, a dispute of a
// line (with an attachment), and the dispute's thread in Messaging. Each page is checked
// with axe-core.
func TestPaymentsToDispute(t *testing.T) {
	ctx := newTab(t)
	signIn(t, ctx, "manager@sunrise.example")
	do(t, ctx, chromedp.Click(chromedp.CSS(`main a[href="/claims/payments"]`)), chromedp.WaitVisible(chromedp.CSS("#pay-span-h")))
	if h := text(t, ctx, "main h1"); h != "Payment history" {
		t.Fatalf("payment history heading %q", h)
	}
	checkAccessibility(t, ctx, "/claims/payments")
	// The newest payment of the last 30 days: its date opens the explanation of payment.
	no := text(t, ctx, "main tbody tr:first-child td:nth-child(2) a")
	amount := text(t, ctx, "main tbody tr:first-child td:nth-child(4)")
	do(t, ctx, chromedp.Click(chromedp.CSS("main tbody tr:first-child td:first-child a")), chromedp.WaitVisible(chromedp.CSS("#eop-lines-h")))
	if h := text(t, ctx, "main h1"); !strings.Contains(h, "Explanation of payment") || !strings.Contains(h, no) {
		t.Fatalf("EOP heading %q, want payment %s", h, no)
	}
	if got := text(t, ctx, "#eop-total-paid"); got != amount {
		t.Errorf("EOP total %s, payment amount %s", got, amount)
	}
	checkAccessibility(t, ctx, "/claims/payments/"+no)
	claims, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".eop-claim a")).map(a => a.getAttribute("href"))`))
	if err != nil || len(claims) == 0 {
		t.Fatalf("EOP claim links %v %v", claims, err)
	}
	// Open the first claim by clicking; if it is already disputed, take the next one.
	do(t, ctx, chromedp.Click(chromedp.CSS(".eop-claim a")), chromedp.WaitVisible(chromedp.CSS("#cl-lines-h")))
	for i := 1; ; i++ {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('a[href*="/dispute?line="]').length`))
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if i >= len(claims) {
			t.Fatal("no claim of the payment can be disputed")
		}
		do(t, ctx, chromedp.Navigate(baseURL+claims[i]), chromedp.WaitVisible(chromedp.CSS("#cl-lines-h")))
	}
	claimNo := strings.TrimPrefix(text(t, ctx, "main h1"), "Claim ")
	checkAccessibility(t, ctx, "/claims/"+claimNo)
	// Dispute the first line, with a document.
	file := filepath.Join(t.TempDir(), "contract-rate.txt")
	if err := os.WriteFile(file, []byte("Contracted rate for this code: 120.00\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`a[href*="/dispute?line=1"]`)), chromedp.WaitVisible(chromedp.CSS("#dp-reason")))
	checkAccessibility(t, ctx, "/claims/"+claimNo+"/dispute")
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#dp-reason"), "underpaid"),
		chromedp.SendKeys(chromedp.CSS("#dp-explanation"), "Paid below our contracted rate; the rate sheet is attached."),
		chromedp.SetUploadFiles(chromedp.CSS("#dp-files"), []string{file}),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#cl-disputes-h")),
	)
	if s := text(t, ctx, "#flash"); !strings.Contains(s, "Your dispute was sent securely") {
		t.Errorf("flash %q", s)
	}
	if s := text(t, ctx, `section[aria-labelledby="cl-disputes-h"] ul`); !strings.Contains(s, "Received") || !strings.Contains(s, "(line 1)") {
		t.Errorf("dispute on the claim: %q", s)
	}
	// The thread is in Messaging, routed to Claims, with the explanation and the file.
	do(t, ctx, chromedp.Click(chromedp.CSS(`a[href^="/messages/"]`)), chromedp.WaitVisible(chromedp.CSS("main h1")))
	body := text(t, ctx, "main")
	for _, want := range []string{"Dispute of claim " + claimNo + ", line 1", "Paid below our contracted rate", "contract-rate.txt", "Claims"} {
		if !strings.Contains(body, want) {
			t.Errorf("thread lacks %q", want)
		}
	}
	do(t, ctx, chromedp.Navigate(baseURL+"/messages?folder=sent"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if s := text(t, ctx, "main"); !strings.Contains(s, "Dispute of claim "+claimNo) {
		t.Errorf("Messaging does not list the dispute thread")
	}
}

// TestClaimClearinghouseDialog: for a Medi-Cal member, Create a New Claim opens the
// clearinghouse explanation with the payer IDs in a dialog over the member's Claims tab.
func TestClaimClearinghouseDialog(t *testing.T) {
	ctx := newTab(t)
	signIn(t, ctx, "staff@sunrise.example")
	do(t, ctx, chromedp.Navigate(baseURL+"/members/M200000001/claims"), chromedp.WaitVisible(chromedp.CSS("#mc-h")),
		chromedp.Click(chromedp.CSS("a[data-dialog]")), chromedp.WaitVisible(chromedp.CSS("dialog.page-dialog")))
	if s := text(t, ctx, "dialog.page-dialog"); !strings.Contains(s, "clearinghouse") || !strings.Contains(s, "PCHP5") {
		t.Errorf("dialog text %q", s)
	}
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/members/M200000001/claims") {
		t.Errorf("the page changed to %s", loc)
	}
	checkAccessibility(t, ctx, "clearinghouse dialog")
	do(t, ctx, chromedp.Click(chromedp.CSS("dialog.page-dialog > button")), chromedp.WaitNotPresent(chromedp.CSS("dialog.page-dialog")))
}

// TestClaimOnlineWithoutJavaScript: with scripts off, Create a New Claim for a Medi-Cal
// member is a plain page with the payer IDs, and an IFP claim goes from the member's
// Claims tab through the form, review and submit to its claim number, listed as received.
func TestClaimOnlineWithoutJavaScript(t *testing.T) {
	ctx := newTab(t)
	signIn(t, ctx, "manager@sunrise.example")
	do(t, ctx, disableScripts(), chromedp.Navigate(baseURL+"/members/M200000001/claims"), chromedp.WaitVisible(chromedp.CSS("#mc-h")),
		chromedp.Click(chromedp.CSS("a[data-dialog]")), chromedp.WaitVisible(chromedp.CSS("#ch-h")))
	if s := text(t, ctx, "main"); !strings.Contains(s, "PCHP5") || !strings.Contains(location(t, ctx), "/claims/clearinghouse") {
		t.Errorf("without scripts the clearinghouse explanation is not its own page: %s", location(t, ctx))
	}
	day := time.Now().AddDate(0, 0, -3).Format("01022006")
	do(t, ctx, chromedp.Navigate(baseURL+"/members/A100000001/claims"), chromedp.WaitVisible(chromedp.CSS("#mc-h")),
		chromedp.Click(chromedp.CSS(`a[href="/members/A100000001/claims/new"]`)), chromedp.WaitVisible(chromedp.CSS("#cf-dx-1")),
		chromedp.SendKeys(chromedp.CSS("#cf-rendering-npi"), "1234567893"),
		chromedp.SendKeys(chromedp.CSS("#cf-dx-1"), "j02.9"),
		chromedp.SendKeys(chromedp.CSS("#cf-line-1-from"), day),
		chromedp.SendKeys(chromedp.CSS("#cf-line-1-code"), "99213"),
		chromedp.SendKeys(chromedp.CSS("#cf-line-1-charge"), "151.25"),
		chromedp.SendKeys(chromedp.CSS("#cf-line-1-ptr"), "A"),
		chromedp.Click(chromedp.CSS(`button[value="review"]`)),
		chromedp.WaitVisible(chromedp.CSS("#cr-h")),
	)
	if s := text(t, ctx, "main"); !strings.Contains(s, "J02.9") || !strings.Contains(s, "$151.25") {
		t.Fatalf("review page: %q", s)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`form[action$="/submit"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("#cl-lines-h")))
	h := text(t, ctx, "main h1")
	no := strings.TrimPrefix(h, "Claim ")
	if !strings.HasPrefix(no, "C") || !strings.Contains(text(t, ctx, "main"), "Received") {
		t.Fatalf("after submit: %q", h)
	}
	do(t, ctx, chromedp.Navigate(baseURL+"/claims?status=received"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if !strings.Contains(text(t, ctx, "main"), no) {
		t.Errorf("claim %s is not listed as received", no)
	}
}
