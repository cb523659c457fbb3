package handlers

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"portico/models"
)

// TestDashboard checks the office dashboard's parts and that plan staff get no member data.
func TestDashboard(t *testing.T) {
	ta := newTestApp(t)
	runScenarios(t, ta, []scenario{
		{name: "signed out", url: "/dashboard", wantStatus: 303},
		{name: "office manager", as: "manager@sunrise.example", url: "/dashboard", wantStatus: 200,
			wantContains: []string{"<h1>Dashboard</h1>", "Quick Eligibility Check for Commercial", "Recent Claims", "Recent Activity",
				`href="/account"`, `href="/library"`, `href="/providers"`, "Go Paperless", "Plan notices",
				"claims need more information", `href="/messages"><strong>`, "Individual &amp; Family Plan claims online", "Change Go Paperless choices"}},
		{name: "staff without manager rights sees no paperless form", as: "staff@sunrise.example", url: "/dashboard", wantStatus: 200,
			wantContains:    []string{"Quick Eligibility Check", "Recent Claims", "Your account manager can change these choices."},
			wantNotContains: []string{"Change Go Paperless choices", `href="/account"`}},
		{name: "plan staff get work queues, no member data", as: "rep@plan.example", url: "/dashboard", wantStatus: 200,
			wantContains: []string{"Secure messages", "open threads assigned to you"}, wantNotContains: []string{"Quick Eligibility", "Recent Claims", "Maria", "C26"}},
		{name: "plain POST quick check renders the dashboard with the result", as: "manager@sunrise.example", method: "POST", url: "/eligibility/quick",
			form: url.Values{"q": {"A100000001"}, "dob": {"03/14/1985"}}, wantStatus: 200,
			wantContains: []string{"<h1>Dashboard</h1>", `aria-label="Eligibility result"`, "Maria Lopez", "Active"}},
		{name: "plan staff cannot set a context", as: "rep@plan.example", method: "POST", url: "/dashboard/context", form: url.Values{"tin_id": {"1"}, "plan_type": {"commercial"}}, wantStatus: 403},
		{name: "plan staff cannot enrol", as: "rep@plan.example", method: "POST", url: "/dashboard/paperless", form: url.Values{"eft": {"1"}}, wantStatus: 403},
		{name: "office staff cannot enrol", as: "staff@sunrise.example", method: "POST", url: "/dashboard/paperless", form: url.Values{"eft": {"1"}}, wantStatus: 403},
	})
	// Valley sees only its own claims: none of Sunrise's members. Its claims are
	// Medicare/DSNP, so the Commercial bar it starts with shows none, in words.
	vc := ta.as("manager@valley.example")
	vc.get("/dashboard").mustStatus(t, 200).mustContain(t, "No recent claims under TIN").mustNotContain(t, "Robert Chen")
	vc.post("/dashboard/context", url.Values{"tin_id": {ta.tinID(t, "945550001")}, "plan_type": {"medicare"}}).mustStatus(t, 303)
	r := vc.get("/dashboard").mustStatus(t, 200)
	r.mustContain(t, "Robert Chen").mustNotContain(t, "Maria Lopez", "Linda Smith")
	// Recent Activity shows this account's own actions in words.
	c := ta.as("manager@sunrise.example")
	c.htmx = true
	c.post("/eligibility/quick", url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}}).mustStatus(t, 200)
	c.htmx = false
	c.get("/dashboard").mustContain(t, "Checked eligibility for member A100000001", "manager@sunrise.example").
		// No PHI beyond the member ID, and sign-ins and page views do not flood it.
		mustNotContain(t, "Login", ">login<", "Member view", "03/14/1985")
	ta.as("manager@valley.example").get("/dashboard").mustNotContain(t, "Checked eligibility")
}

// TestDashboardContext: the TIN must be the account's own and the plan type known; the
// choice is kept in the session; an empty context defaults to the first TIN and Commercial.
func TestDashboardContext(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	sun2 := ta.tinID(t, "957654321")
	c.post("/dashboard/context", url.Values{"tin_id": {ta.tinID(t, "945550001")}, "plan_type": {"commercial"}}).mustStatus(t, 403)
	c.post("/dashboard/context", url.Values{"tin_id": {sun2}, "plan_type": {"dental"}}).mustStatus(t, 422)
	c.post("/dashboard/context", url.Values{"tin_id": {"abc"}, "plan_type": {"commercial"}}).mustStatus(t, 422)
	r := c.post("/dashboard/context", url.Values{"tin_id": {sun2}, "plan_type": {"medicare"}}).mustStatus(t, 303)
	if loc := r.Header.Get("Location"); loc != "/dashboard" {
		t.Errorf("redirect to %q", loc)
	}
	page := c.get("/dashboard").mustStatus(t, 200)
	page.mustContain(t, "Quick Eligibility Check for Medicare/DSNP", `value="`+sun2+`" selected`, `value="medicare" selected`, "Now viewing TIN 95-7654321")
	// Back to the page the bar was used on.
	req := url.Values{"tin_id": {sun2}, "plan_type": {"medical"}}
	req.Set("_csrf", c.csrf)
	r = c.post("/dashboard/context", req)
	_ = r
	// A session that starts empty (after sign-in) gets the first TIN and Commercial, persisted.
	ctx := context.Background()
	u, _ := models.Users{DB: ta.db}.ByEmail(ctx, "manager@sunrise.example")
	token, sess, err := ta.h.sessions().Create(ctx, u.ID, models.StageFull)
	if err != nil {
		t.Fatal(err)
	}
	fresh := ta.anon()
	fresh.cookies[ta.h.cookieName()] = &http.Cookie{Name: ta.h.cookieName(), Value: token}
	fresh.csrf = sess.CSRF
	fresh.get("/dashboard").mustStatus(t, 200).mustContain(t, "Quick Eligibility Check for Commercial", `value="`+ta.tinID(t, "951234567")+`" selected`)
	var tin int64
	var plan string
	if err := ta.db.R.QueryRow("SELECT COALESCE(tin_id,0), plan_type FROM sessions WHERE token_hash = ?", sess.TokenHash).Scan(&tin, &plan); err != nil {
		t.Fatal(err)
	}
	if plan != "commercial" || tin == 0 {
		t.Errorf("context not persisted: tin %d plan %q", tin, plan)
	}
}

// TestPaperless: EFT needs a valid ABA routing number; bank details are stored
// encrypted, shown masked, and the change is audited.
func TestPaperless(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	c.post("/dashboard/paperless", url.Values{"eft": {"1"}, "routing": {"123456789"}, "account": {"12345678"}, "account_type": {"checking"}}).
		mustStatus(t, 422).mustContain(t, "error-summary", "ABA routing number")
	c.post("/dashboard/paperless", url.Values{"eft": {"1"}}).mustStatus(t, 422).mustContain(t, "Electronic funds transfer needs the bank")
	c.post("/dashboard/paperless", url.Values{"eft": {"1"}, "routing": {"021000021"}, "account": {"12"}, "account_type": {"checking"}}).
		mustStatus(t, 422).mustContain(t, "4 to 17 digits")
	c.post("/dashboard/paperless", url.Values{"eft": {"1"}, "era": {"1"}, "correspondence": {"1"}, "routing": {"021000021"},
		"account": {"0009876543216789"}, "account_type": {"savings"}}).mustStatus(t, 303)
	page := c.get("/dashboard").mustStatus(t, 200)
	page.mustContain(t, "••••6789", "savings account").mustNotContain(t, "0009876543216789", "021000021")
	var routing, account []byte
	var last4 string
	if err := ta.db.R.QueryRow(`SELECT bank_routing_enc, bank_account_enc, bank_account_last4 FROM paperless_enrolments`).Scan(&routing, &account, &last4); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(routing, []byte("021000021")) || bytes.Contains(account, []byte("0009876543216789")) || last4 != "6789" {
		t.Error("bank details stored in the clear")
	}
	p, err := ta.h.paperlessWithKey()
	if err != nil {
		t.Fatal(err)
	}
	var accountID int64
	_ = ta.db.R.QueryRow("SELECT account_id FROM paperless_enrolments").Scan(&accountID)
	gotR, gotA, err := p.BankDetails(context.Background(), accountID)
	if err != nil || gotR != "021000021" || gotA != "0009876543216789" {
		t.Errorf("decrypt: %q %q %v", gotR, gotA, err)
	}
	// Leaving the bank fields blank keeps the account on file.
	c.post("/dashboard/paperless", url.Values{"eft": {"1"}}).mustStatus(t, 303)
	c.get("/dashboard").mustContain(t, "••••6789")
	if n := ta.auditCount("paperless.update", ""); n != 2 {
		t.Errorf("paperless.update entries: %d", n)
	}
	var detail string
	_ = ta.db.R.QueryRow("SELECT detail FROM audit_log WHERE action = 'paperless.update' ORDER BY id LIMIT 1").Scan(&detail)
	if strings.Contains(detail, "6789") || !strings.Contains(detail, "bank_details_changed=true") {
		t.Errorf("audit detail %q", detail)
	}
}

// TestRoutingChecksum checks the ABA checksum.
func TestRoutingChecksum(t *testing.T) {
	for s, want := range map[string]bool{"021000021": true, "011000015": true, "123456780": true, "123456789": false, "02100002": false, "02100002a": false, "000000000": false} {
		if got := models.ValidRoutingNumber(s); got != want {
			t.Errorf("%s: %v", s, got)
		}
	}
}

// TestActionCounters: a later area's count joins the action-required bar, linked.
func TestActionCounters(t *testing.T) {
	saved := actionCounters
	defer func() { actionCounters = saved }()
	addActionCounter(func(h *Handler, c *fiber.Ctx, u *models.User) (ActionItem, error) {
		return ActionItem{Count: 3, Text: "authorization drafts not submitted", Href: "/authorizations?status=draft"}, nil
	})
	addActionCounter(func(h *Handler, c *fiber.Ctx, u *models.User) (ActionItem, error) {
		return ActionItem{Text: "nothing"}, nil
	})
	ta := newTestApp(t)
	ta.as("manager@sunrise.example").get("/dashboard").mustStatus(t, 200).
		mustContain(t, `<a href="/authorizations?status=draft"><strong>3</strong> authorization drafts not submitted</a>`).mustNotContain(t, "nothing</a>")
}
