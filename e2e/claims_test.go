package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestClaimsListAndClaim signs in as Sunrise's manager, opens the claims list from the
// navigation, opens its first claim, and checks both pages with axe-core.
func TestClaimsListAndClaim(t *testing.T) {
	ctx := newTab(t)
	signIn(t, ctx, "manager@sunrise.example")
	do(t, ctx, chromedp.Navigate(baseURL+"/claims"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if h := text(t, ctx, "main h1"); h != "Claims" {
		t.Fatalf("claims page heading %q", h)
	}
	checkAccessibility(t, ctx, "/claims")
	first := text(t, ctx, "main tbody tr:first-child td:first-child a")
	if !strings.HasPrefix(first, "C") {
		t.Fatalf("first claim number %q", first)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("main tbody tr:first-child td:first-child a")), chromedp.WaitVisible(chromedp.CSS("#cl-lines-h")))
	if h := text(t, ctx, "main h1"); h != "Claim "+first {
		t.Errorf("claim page heading %q, want Claim %s", h, first)
	}
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/claims/"+first) {
		t.Errorf("claim page at %s", loc)
	}
	checkAccessibility(t, ctx, "/claims/"+first)
}
