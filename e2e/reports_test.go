package e2e

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// downloadInto makes the tab save downloads into dir (named by their download ID).
func downloadInto(t *testing.T, ctx context.Context, dir string) {
	t.Helper()
	do(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior:         browser.SetDownloadBehaviorBehaviorAllowAndName,
			BrowserContextID: chromedp.FromContext(ctx).BrowserContextID,
			DownloadPath:     dir,
		})
		return err
	}))
}

// waitDownload waits for one finished file in dir and returns its content.
func waitDownload(t *testing.T, dir string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".crdownload") {
				continue
			}
			b1, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil || len(b1) == 0 {
				continue
			}
			time.Sleep(300 * time.Millisecond)
			if b2, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && len(b2) == len(b1) {
				return string(b2)
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("no download arrived within 60 s")
	return ""
}

// waitLocation waits until the tab's URL contains part (a navigation has landed).
func waitLocation(t *testing.T, ctx context.Context, part string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(location(t, ctx), part) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the browser is at %s, not at a URL with %q", location(t, ctx), part)
}

// TestReportsCapitation signs in as Valley's manager, opens Reports from the
// navigation, picks last month's capitation payment summary, checks its totals, opens
// the capitation roster and downloads it as CSV (one row per member of the month), and
// then searches the drug list with a misspelled name.
func TestReportsCapitation(t *testing.T) {
	ctx := newTab(t)
	signIn(t, ctx, "manager@valley.example")
	do(t, ctx, chromedp.Click(chromedp.CSS(`nav.topnav a[href="/reports"]`)), chromedp.WaitVisible(chromedp.CSS("#sum-h")))
	if h := text(t, ctx, "main h1"); h != "Provider reports" {
		t.Fatalf("reports heading %q", h)
	}
	// Last month: the second choice of the month picker.
	month, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelectorAll("#rep-month option")[1].value`))
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS("#rep-month"), month),
		chromedp.Click(chromedp.CSS(".reports-picker button[type=submit]")),
	)
	waitLocation(t, ctx, "month="+month)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#rep-net")))
	money := regexp.MustCompile(`^-?\$[0-9,]+\.[0-9]{2}$`)
	gross, adj, net := text(t, ctx, "#rep-gross"), text(t, ctx, "#rep-adjustments"), text(t, ctx, "#rep-net")
	for _, v := range []string{gross, adj, net} {
		if !money.MatchString(strings.TrimSpace(v)) {
			t.Fatalf("summary amounts %q %q %q", gross, adj, net)
		}
	}
	cents := func(s string) int64 {
		s = strings.NewReplacer("$", "", ",", "", ".", "").Replace(strings.TrimSpace(s))
		n, _ := strconv.ParseInt(s, 10, 64)
		return n
	}
	if cents(gross)+cents(adj) != cents(net) {
		t.Errorf("gross %s + adjustments %s != net %s", gross, adj, net)
	}
	if sum := text(t, ctx, "#sum-h"); !strings.Contains(sum, "Capitation payment summary") || !strings.Contains(sum, "94-5550001") {
		t.Errorf("summary heading %q", sum)
	}
	if check := text(t, ctx, ".reports-totals"); !strings.Contains(check, "No. 8") || !strings.Contains(check, "for "+strings.TrimSpace(net)) {
		t.Errorf("the check is not shown with the net: %q", check)
	}
	checkAccessibility(t, ctx, "/reports")

	// The roster of the same month, and its CSV.
	members, err := strconv.Atoi(strings.TrimSpace(text(t, ctx, ".reports-totals dd:first-of-type")))
	if err != nil || members == 0 {
		t.Fatalf("member months %v", err)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`.reports-tabs a[href^="/reports/roster"]`)))
	waitLocation(t, ctx, "/reports/roster?")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#rep-count")))
	if c := text(t, ctx, "#rep-count"); !strings.HasPrefix(c, strconv.Itoa(members)+" member") {
		t.Errorf("roster count %q, summary %d member months", c, members)
	}
	checkAccessibility(t, ctx, "/reports/roster")
	dir := t.TempDir()
	downloadInto(t, ctx, dir)
	do(t, ctx, chromedp.Click(chromedp.CSS("#rep-csv")))
	body := waitDownload(t, dir)
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("roster CSV: %v", err)
	}
	if len(recs) != members+1 || recs[0][2] != "member_id" {
		t.Fatalf("roster CSV has %d rows (header %v), want %d members", len(recs)-1, recs[0], members)
	}
	for _, rec := range recs[1:] {
		if rec[0] != "94-5550001" || rec[1] != month {
			href, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#rep-csv").href`))
			t.Fatalf("roster row %v; picked %s; page at %s; CSV link %s", rec, month, location(t, ctx), href)
		}
	}

	// Pharmacy: a misspelled name finds the drug.
	do(t, ctx, chromedp.Click(chromedp.CSS(`nav.topnav a[href="/pharmacy"]`)), chromedp.WaitVisible(chromedp.CSS("#rx-q")))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#rx-q"), "atorvastatn"), chromedp.Submit(chromedp.CSS("#rx-q")))
	waitLocation(t, ctx, "q=atorvastatn")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#rx-count")))
	if first := text(t, ctx, ".rx-table tbody tr:first-child .rx-generic"); first != "atorvastatin" {
		t.Errorf("first result for atorvastatn: %q", first)
	}
	checkAccessibility(t, ctx, "/pharmacy")
}
