package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSecureMessageWithAttachment: the Sunrise manager writes Provider Services with a
// PDF attached and sends it; the plan associate, signed in in another tab, sees the
// unread thread, opens it in the reading pane (the header badge drops without a
// reload) and finds the text and the attachment. The message pages pass axe-core.
func TestSecureMessageWithAttachment(t *testing.T) {
	subject := "Browser test message " + strconv.FormatInt(time.Now().UnixNano(), 36)
	pdf := filepath.Join(t.TempDir(), "referral-letter.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	office := newTab(t)
	signIn(t, office, "manager@sunrise.example")
	do(t, office,
		chromedp.Navigate(baseURL+"/messages/new"),
		chromedp.WaitVisible(chromedp.CSS("#compose-to")),
	)
	checkAccessibility(t, office, "/messages/new")
	do(t, office,
		chromedp.SetValue(chromedp.CSS("#compose-to"), "dept:provider_services"),
		chromedp.SendKeys(chromedp.CSS("#compose-subject"), subject),
		chromedp.SendKeys(chromedp.CSS("#compose-body"), "Please see the attached referral letter."),
		chromedp.SetUploadFiles(chromedp.CSS("#compose-attachments"), []string{pdf}),
		chromedp.Click(chromedp.CSS("#compose-send")),
		chromedp.WaitVisible(chromedp.CSS("#thread-h")),
	)
	if got := text(t, office, "#thread-h"); got != subject {
		t.Fatalf("after sending, the thread heading is %q", got)
	}
	if got := text(t, office, ".msg-attachments"); !strings.Contains(got, "referral-letter.pdf") || !strings.Contains(got, "PDF") {
		t.Fatalf("attachment list %q", got)
	}
	if got := text(t, office, "#flash"); !strings.Contains(got, "sent securely") {
		t.Errorf("flash %q", got)
	}
	loc := location(t, office)
	threadID := strings.TrimPrefix(loc[:strings.IndexAny(loc+"?", "?")], baseURL+"/messages/")

	rep := newTab(t)
	signIn(t, rep, "rep@plan.example")
	do(t, rep,
		chromedp.Navigate(baseURL+"/messages"),
		chromedp.WaitVisible(chromedp.CSS(".msg-threads")),
	)
	checkAccessibility(t, rep, "/messages")
	before := msgBadge(t, rep)
	if before < 1 {
		t.Fatalf("unread badge before reading: %d", before)
	}
	row := "li.unread#thread-row-" + threadID + " a"
	if got := text(t, rep, row); !strings.Contains(got, subject) {
		t.Fatalf("unread row %q", got)
	}
	do(t, rep,
		chromedp.Click(chromedp.CSS(row)),
		chromedp.WaitVisible(chromedp.CSS("#thread-pane .msg-body")),
	)
	if got := text(t, rep, "#thread-pane .msg-body"); !strings.Contains(got, "attached referral letter") {
		t.Fatalf("message body %q", got)
	}
	if got := text(t, rep, "#thread-pane .msg-attachments"); !strings.Contains(got, "referral-letter.pdf") {
		t.Fatalf("attachment %q", got)
	}
	// The badge was swapped out of band by the read, without a reload.
	deadline := time.Now().Add(5 * time.Second)
	for msgBadge(t, rep) >= before && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if after := msgBadge(t, rep); after != before-1 {
		t.Errorf("unread badge %d after reading, want %d", after, before-1)
	}
	checkAccessibility(t, rep, "/messages/{id}")
}

// badge reads the unread count in the header (0 when empty).
func msgBadge(t *testing.T, ctx context.Context) int {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("#unread-badge")||{}).textContent||""`))
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "unread")))
	return n
}

// TestRegisteredEnvelopeInBrowser: the associate starts a registered envelope to an
// outside partner; the partner opens the link from the demo mail page (demo mode, no mail
// server), sets a password for the thread's user name, reads and replies; the
// associate sees the reply. The partner pages pass axe-core.
func TestRegisteredEnvelopeInBrowser(t *testing.T) {
	partner := "partner-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@lawfirm.example"
	subject := "Envelope browser test " + strconv.FormatInt(time.Now().UnixNano(), 36)
	rep := newTab(t)
	signIn(t, rep, "rep@plan.example")
	do(t, rep,
		chromedp.Navigate(baseURL+"/messages/envelopes/new"),
		chromedp.WaitVisible(chromedp.CSS("#env-email")),
		chromedp.SendKeys(chromedp.CSS("#env-email"), partner),
		chromedp.SendKeys(chromedp.CSS("#env-subject"), subject),
		chromedp.SendKeys(chromedp.CSS("#env-body"), "Here is the status of your request."),
		chromedp.Click(chromedp.CSS("#env-send")),
		chromedp.WaitVisible(chromedp.CSS("#thread-h")),
	)
	if got := text(t, rep, "#flash"); !strings.Contains(got, "envelope-") {
		t.Fatalf("flash %q does not name the user name", got)
	}
	replyPage := location(t, rep)

	p := newTab(t)
	do(t, p,
		chromedp.Navigate(baseURL+"/login/demo-mail?to="+partner),
		chromedp.WaitVisible(chromedp.CSS(".outbox-mail a")),
		chromedp.Click(chromedp.CSS(".outbox-mail a")),
		chromedp.WaitVisible(chromedp.CSS("#env-password")),
	)
	checkAccessibility(t, p, "/envelope/{token} (set password)")
	user := text(t, p, ".envelope-user")
	do(t, p,
		chromedp.SendKeys(chromedp.CSS("#env-password"), "a long and private partner passphrase"),
		chromedp.SendKeys(chromedp.CSS("#env-confirm"), "a long and private partner passphrase"),
		chromedp.Submit(chromedp.CSS("#env-confirm")),
		chromedp.WaitVisible(chromedp.CSS("#env-reply-body")),
	)
	if got := text(t, p, "#thread-h"); got != subject {
		t.Fatalf("partner sees %q", got)
	}
	checkAccessibility(t, p, "/envelope/{token} (thread)")
	do(t, p,
		chromedp.SendKeys(chromedp.CSS("#env-reply-body"), "Thank you, received."),
		chromedp.Submit(chromedp.CSS("#env-reply-body")),
	)
	// The page before the reply already had a success message: wait for the reply itself.
	// The page reloads meanwhile, so a read may fail while the new page loads: keep asking.
	for deadline := time.Now().Add(15 * time.Second); ; {
		got, err := chromedp.Run(p, chromedp.Text(chromedp.CSS(".msg-messages")))
		if err == nil && strings.Contains(got, "Thank you, received.") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the partner's reply did not appear in the thread (%q, %v)", got, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	do(t, rep, chromedp.Navigate(replyPage), chromedp.WaitVisible(chromedp.CSS("#thread-h")))
	if got := text(t, rep, ".msg-messages"); !strings.Contains(got, "Thank you, received.") || !strings.Contains(got, user) {
		t.Fatalf("the associate sees %q", got)
	}
}
