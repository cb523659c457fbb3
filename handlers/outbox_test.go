package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"portico/models"
)

// outboxRealMail queues a mail to an address outside the reserved .example domains.
func outboxRealMail(t *testing.T, ta *testApp) {
	t.Helper()
	if err := (models.Outbox{DB: ta.db}).Enqueue(context.Background(), "billing@realclinic.com", "Real clinic notice",
		"A secure message is waiting.\nhttp://portico.test/messages\n"); err != nil {
		t.Fatal(err)
	}
}

// TestOutboxAccessRule (issue 10, finding 1): a visitor cannot read the outbox; in demo
// mode a signed-in office user reads mail to .example addresses only and no reset link;
// the plan admin reads everything; outside demo mode only the plan admin, also with SMTP.
func TestOutboxAccessRule(t *testing.T) {
	ta := newTestApp(t)
	outboxRealMail(t, ta)
	v := ta.anon()
	v.get("/login/reset")
	v.post("/login/reset", url.Values{"email": {"manager@sunrise.example"}}).mustStatus(t, http.StatusOK)

	r := ta.anon().get("/outbox")
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") == "" {
		t.Fatalf("signed-out GET /outbox: status %d, location %q", r.Status, r.Header.Get("Location"))
	}
	r.mustNotContain(t, "realclinic.com", "/login/reset/", "/envelope/")
	ta.anon().get("/outbox?to=manager@sunrise.example").mustStatus(t, http.StatusSeeOther)

	office := ta.as("staff@sunrise.example").get("/outbox").mustStatus(t, http.StatusOK)
	office.mustContain(t, "records@lawfirm.example", `status-info">Not for delivery (demo data)`)
	office.mustNotContain(t, "realclinic.com", "Real clinic notice", "/login/reset/", "Reset your Portico password", "Send again")
	ta.as("staff@sunrise.example").get("/outbox?to=billing@realclinic.com").mustStatus(t, http.StatusOK).
		mustNotContain(t, "Real clinic notice").mustContain(t, "0 e-mails")

	admin := ta.as("admin@plan.example").get("/outbox").mustStatus(t, http.StatusOK)
	admin.mustContain(t, "billing@realclinic.com", "Real clinic notice", "Reset your Portico password", `<a href="/login/reset/`)

	live := newTestApp(t, func(o *Options) { o.Demo = false })
	outboxRealMail(t, live)
	live.anon().get("/outbox").mustStatus(t, http.StatusSeeOther).mustNotContain(t, "realclinic.com")
	live.as("manager@sunrise.example").get("/outbox").mustStatus(t, http.StatusForbidden).mustNotContain(t, "realclinic.com")
	live.as("rep@plan.example").get("/outbox").mustStatus(t, http.StatusForbidden)
	live.as("admin@plan.example").get("/outbox").mustStatus(t, http.StatusOK).mustContain(t, "billing@realclinic.com")
	live.anon().get("/login/demo-mail?to=records@lawfirm.example").mustStatus(t, http.StatusNotFound)
	live.anon().get("/login").mustStatus(t, http.StatusOK).mustNotContain(t, "/login/demo-mail")

	smtp := newTestApp(t, func(o *Options) { o.Demo, o.SMTPURL = false, "smtp://mail.example:587" })
	smtp.as("admin@plan.example").get("/outbox").mustStatus(t, http.StatusOK).mustContain(t, "Outbox", "Mail ID", "Attempts")
	smtp.as("admin@plan.example").get("/admin").mustStatus(t, http.StatusOK).mustContain(t, `href="/outbox"`)
}

// TestDemoMailSignInHelp: in demo mode a visitor reads the mail to one .example address
// (a registration's verification link, a partner's envelope link) on the sign-in help,
// never mail to another address and never a reset link.
func TestDemoMailSignInHelp(t *testing.T) {
	ta := newTestApp(t)
	outboxRealMail(t, ta)
	v := ta.anon()
	v.get("/login/reset")
	v.post("/login/reset", url.Values{"email": {"manager@sunrise.example"}}).mustStatus(t, http.StatusOK)

	ta.anon().get("/login").mustStatus(t, http.StatusOK).mustContain(t, `href="/login/demo-mail"`)
	ta.anon().get("/login/demo-mail").mustStatus(t, http.StatusOK).mustContain(t, "Demo mail", `id="demo-mail-to"`)
	ta.anon().get("/login/demo-mail?to=records@lawfirm.example").mustStatus(t, http.StatusOK).
		mustContain(t, "/envelope/", "records@lawfirm.example")
	ta.anon().get("/login/demo-mail?to=manager@sunrise.example").mustStatus(t, http.StatusOK).
		mustNotContain(t, "/login/reset/", "Reset your Portico password")
	ta.anon().get("/login/demo-mail?to=billing@realclinic.com").mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "ending in .example").mustNotContain(t, "Real clinic notice")
	ta.anon().get("/login/demo-mail?to=not-an-address").mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Enter an e-mail address")
}

// TestOutboxSendAgain: with SMTP configured the plan admin sees a failed mail's status,
// attempts and last error, filters by status and sends it again (audited); nobody else
// can, and mail that did not fail cannot be sent again.
func TestOutboxSendAgain(t *testing.T) {
	ta := newTestApp(t, func(o *Options) { o.SMTPURL = "smtps://mail.example:465" })
	res, err := ta.db.W.Exec(`INSERT INTO outbox(to_addr, subject, body, kind, status, attempts, next_attempt_at, last_error, created_at)
		VALUES ('office@clinic.example', 'Failed notice', 'A secure message is waiting.', 'notice', 'failed', 8, '2026-11-02T17:00:00Z',
		'send failed: 550 5.1.1 mailbox unavailable', '2026-11-02T16:00:00Z')`)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	sid := strconv.FormatInt(id, 10)

	admin := ta.as("admin@plan.example")
	admin.get("/admin").mustStatus(t, http.StatusOK).mustContain(t, `id="failed-mail"`, "1 e-mail could not be delivered", `href="/outbox?status=failed"`)
	page := admin.get("/outbox?status=failed").mustStatus(t, http.StatusOK)
	page.mustContain(t, "Failed notice", "550 5.1.1 mailbox unavailable", `status-bad">Failed`, `action="/outbox/`+sid+`/resend"`)
	page.mustNotContain(t, `status-info">Not for delivery`)
	admin.get("/outbox?status=held").mustStatus(t, http.StatusOK).mustNotContain(t, "Failed notice")

	ta.as("manager@sunrise.example").post("/outbox/"+sid+"/resend", nil).mustStatus(t, http.StatusForbidden)
	ta.anon().post("/outbox/"+sid+"/resend", nil)
	var status string
	var attempts int
	ta.db.R.QueryRow("SELECT status, attempts FROM outbox WHERE id = ?", id).Scan(&status, &attempts)
	if status != "failed" {
		t.Fatalf("someone other than the admin re-queued the mail: %s", status)
	}

	admin.post("/outbox/"+sid+"/resend", nil).mustStatus(t, http.StatusSeeOther)
	ta.db.R.QueryRow("SELECT status, attempts FROM outbox WHERE id = ?", id).Scan(&status, &attempts)
	if status != "queued" || attempts != 0 {
		t.Fatalf("after send again: status %s, attempts %d", status, attempts)
	}
	admin.get("/admin").mustStatus(t, http.StatusOK).mustNotContain(t, `id="failed-mail"`)
	if ta.auditCount("outbox_resend", "") != 1 {
		t.Fatal("send again was not audited")
	}
	admin.get("/outbox?status=queued").mustStatus(t, http.StatusOK).mustContain(t, "Failed notice", "Waiting", "Next try")
	// Only failed mail can be sent again.
	admin.post("/outbox/"+sid+"/resend", nil).mustStatus(t, http.StatusNotFound)
	admin.post("/outbox/x/resend", nil).mustStatus(t, http.StatusNotFound)
}

// securityMail returns the newest security notice to addr.
func securityMail(t *testing.T, ta *testApp, addr string) (subject, body string) {
	t.Helper()
	ta.db.R.QueryRow("SELECT subject, body FROM outbox WHERE kind = 'security' AND to_addr = ? ORDER BY id DESC LIMIT 1", addr).Scan(&subject, &body)
	return subject, body
}

// TestSecurityNotices: changing the password, a second-factor reset by a plan admin and
// signing out everywhere each send the user a notice without health information or a
// sign-in link.
func TestSecurityNotices(t *testing.T) {
	ta := newTestApp(t)
	pw := "a quiet harbor 2026 lantern"
	ta.as("manager@valley.example").post("/security/password",
		url.Values{"current_password": {demoPassword}, "password": {pw}, "password_confirm": {pw}}).mustStatus(t, http.StatusSeeOther)
	subject, body := securityMail(t, ta, "manager@valley.example")
	if subject != "Your portal password was changed" || !strings.Contains(body, "Trouble logging in?") {
		t.Fatalf("password notice %q:\n%s", subject, body)
	}

	u, _ := models.Users{DB: ta.db}.ByEmail(context.Background(), "staff@sunrise.example")
	ta.as("admin@plan.example").post("/admin/users/"+strconv.FormatInt(u.ID, 10)+"/reset-mfa", nil).mustStatus(t, http.StatusSeeOther)
	if subject, _ := securityMail(t, ta, "staff@sunrise.example"); subject != "Your second sign-in step was reset" {
		t.Fatalf("second-factor notice %q", subject)
	}

	ta.as("manager@sunrise.example").post("/logout/everywhere", nil).mustStatus(t, http.StatusSeeOther)
	if subject, _ := securityMail(t, ta, "manager@sunrise.example"); subject != "You were signed out everywhere" {
		t.Fatalf("signed-out notice %q", subject)
	}
	rows, _ := ta.db.R.Query("SELECT body FROM outbox WHERE kind = 'security'")
	defer rows.Close()
	for rows.Next() {
		var b string
		rows.Scan(&b)
		for _, bad := range []string{"A100000001", "Maria", "Lopez", "http://", "https://"} {
			if strings.Contains(b, bad) {
				t.Errorf("a security notice holds %q:\n%s", bad, b)
			}
		}
	}
}
