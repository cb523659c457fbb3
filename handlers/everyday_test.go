package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portico/models"
)

// TestContextBarFollowedEverywhere: the TIN / plan-type bar means what it says. After
// choosing Medi-Cal on /claims, the browser is back on /claims (with its query), the
// claims list, Recent Claims and the "need more information" count hold that TIN's
// Medi-Cal claims only (the SQL truth), and the bar returns to whatever page it is on.
func TestContextBarFollowedEverywhere(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	tin := ta.tinID(t, "951234567")
	r := c.post("/dashboard/context", url.Values{"tin_id": {tin}, "plan_type": {"medical"}, "back": {"/claims?status=paid"}}).mustStatus(t, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/claims?status=paid" {
		t.Errorf("changing the bar on /claims went to %q", loc)
	}
	truth := func(extra string) []string {
		rows, err := ta.db.R.Query(`SELECT claim_no FROM claims WHERE tin_id = ? AND plan_type = 'medical'`+extra+` ORDER BY received_date DESC, id DESC`, tin)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return out
	}
	all, pending := truth(""), truth(" AND status = 'pending_info'")
	if len(all) == 0 || len(all) > 30 {
		t.Fatalf("fixture has %d Medi-Cal claims under 95-1234567; the test needs 1 to 30", len(all))
	}
	list := c.get("/claims").mustStatus(t, 200).mustContain(t, fmt.Sprintf("%d total", len(all)), "for Medi-Cal members")
	if got := listedClaims(list.Body); !sameList(got, all) {
		t.Errorf("claims list under Medi-Cal: %v, want %v", got, all)
	}
	dash := c.get("/dashboard").mustStatus(t, 200)
	if got := listedClaims(dash.Body); !sameList(got, all[:min(8, len(all))]) {
		t.Errorf("Recent Claims under Medi-Cal: %v, want %v", got, all[:min(8, len(all))])
	}
	if len(pending) > 0 {
		dash.mustContain(t, fmt.Sprintf("<strong>%d</strong> claims need more information", len(pending)))
	}
	// Commercial claims of the same TIN are gone from both.
	var commercial string
	ta.db.R.QueryRow(`SELECT claim_no FROM claims WHERE tin_id = ? AND plan_type = 'commercial' ORDER BY received_date DESC LIMIT 1`, tin).Scan(&commercial)
	dash.mustNotContain(t, commercial)
	list.mustNotContain(t, commercial)
	// Every page with the bar sends itself back.
	for _, p := range []string{"/eligibility", "/patients", "/claims", "/members/A100000001", "/members/A100000001/cost-sharing", "/messages"} {
		body := c.get(p).mustStatus(t, 200).Body
		m := regexp.MustCompile(`name="back" value="([^"]*)"`).FindStringSubmatch(body)
		if m == nil || m[1] != p {
			t.Errorf("%s: the bar's back field is %v", p, m)
			continue
		}
		r := c.post("/dashboard/context", url.Values{"tin_id": {tin}, "plan_type": {"commercial"}, "back": {m[1]}}).mustStatus(t, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != p {
			t.Errorf("changing the bar on %s went to %q", p, loc)
		}
	}
	// Another site, a scheme or the sign-in pages are never where the bar goes.
	for _, bad := range []string{"//evil.example/x", "https://evil.example/", "/login", "/\\evil", "javascript:alert(1)"} {
		r := c.post("/dashboard/context", url.Values{"tin_id": {tin}, "plan_type": {"commercial"}, "back": {bad}}).mustStatus(t, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/dashboard" {
			t.Errorf("back %q went to %q", bad, loc)
		}
	}
}

// TestNavigationSmallDefects: one item is current (Demo controls, not also Admin), the
// empty unread badge is empty (the stylesheet hides it), the MFA page does not offer
// "Sign in / Register", and the phone menu carries the same links.
func TestNavigationSmallDefects(t *testing.T) {
	ta := newTestApp(t)
	body := ta.as("admin@plan.example").get("/admin/demo").mustStatus(t, 200).Body
	wide := body[strings.Index(body, `class="wrap nav-wide"`):strings.Index(body, `class="nav-menu`)]
	if n := strings.Count(wide, `aria-current="page"`); n != 1 || !strings.Contains(wide, `href="/admin/demo" aria-current="page"`) {
		t.Errorf("%d current items on /admin/demo; want Demo controls only", n)
	}
	if !strings.Contains(body, `<summary>Menu<span class="nav-menu-current"> · Demo controls</span></summary>`) {
		t.Error("the phone menu button does not name the current page")
	}
	// The code page of sign-in offers "Start again", not "Sign in / Register".
	mc, r := passwordStep(t, ta, "manager@sunrise.example", demoPassword)
	r.mustStatus(t, http.StatusSeeOther)
	mc.get("/login/mfa").mustStatus(t, 200).mustContain(t, "Signing in", `<a href="/login">Start again</a>`).mustNotContain(t, `href="/register"`)
	// A lock says what happened: the account was locked.
	if !strings.Contains(lockMessage(&models.User{LockedReason: models.LockFailedLogins}), "was locked after five failed sign-in attempts") {
		t.Error("the lock message does not say the account was locked")
	}
	// The audit page's hint names actions that exist.
	ta.as("privacy@plan.example").get("/audit").mustStatus(t, 200).mustContain(t, "e.g. member.view, login, claims.export").mustNotContain(t, "auth.login")
	css := ta.anon().get(ta.h.assets.url("css/portico.css")).mustStatus(t, 200).Body
	if !strings.Contains(css, ".badge:empty") {
		t.Error("an empty unread badge is not hidden")
	}
}

// TestMemberIDCard: the card shows what a real one does (plan and product, member and ID,
// group number, effective date, PCP with phone, copays, Rx BIN / PCN / group, member and
// provider services phones, the claims address), front and back on one page, and "Back"
// returns to the page the user came from.
func TestMemberIDCard(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	req := httptest.NewRequest(http.MethodGet, "/members/A100000001/card", nil)
	req.Header.Set("Referer", "http://example.com/eligibility") // httptest's host
	r := c.do(req).mustStatus(t, 200)
	r.mustContain(t, "Front of the card", "Back of the card", "Maria Lopez", "A100000001", "Group no.", "Effective", "01/01/2026",
		"Rx BIN", "PCN", "Rx Group", "Member Services", "800-555-0130", "Provider Services", "800-555-0110", "Send claims to", "P.O. Box",
		"$35.00", `<a href="/eligibility">Back</a>`, "Member ID card · Maria Lopez").
		mustNotContain(t, `div class="id-card" aria-label`)
	var phone string
	ta.db.R.QueryRow(`SELECT a.phone FROM members m JOIN tins t ON t.id = m.pcp_tin_id JOIN provider_accounts a ON a.id = t.account_id WHERE m.member_id = 'A100000001'`).Scan(&phone)
	if phone == "" || !strings.Contains(r.Body, phone) {
		t.Errorf("the PCP's phone %q is not on the card", phone)
	}
	// Opened directly (or from another site), Back goes to the member record.
	req = httptest.NewRequest(http.MethodGet, "/members/A100000001/card", nil)
	req.Header.Set("Referer", "https://evil.example/x")
	c.do(req).mustStatus(t, 200).mustContain(t, `<a href="/members/A100000001">Back</a>`)
}

// TestRecentActivityInWords: Recent Activity tells what the office did, in words and
// without health information; sign-ins, page views and the demo data's seeding are left out.
func TestRecentActivityInWords(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	c.get("/members/A100000001").mustStatus(t, 200) // a page view: not activity
	c.htmx = true
	c.post("/eligibility/quick", url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}}).mustStatus(t, 200)
	c.htmx = false
	if r := c.msgPostMultipart("/messages", url.Values{"to": {"dept:claims"}, "plan_type": {"commercial"}, "subject": {"Question about a remittance"},
		"body": {"Please call us about the last remittance."}}); r.Status != http.StatusSeeOther {
		t.Fatalf("sending a message: %d", r.Status)
	}
	body := c.get("/dashboard").mustStatus(t, 200).Body
	i := strings.Index(body, `id="activity-h"`)
	if i < 0 {
		t.Fatal("no Recent Activity")
	}
	act := body[i:]
	act = act[:strings.Index(act, "</section>")]
	for _, want := range []string{"Checked eligibility for member A100000001"} {
		if !strings.Contains(act, want) {
			t.Errorf("Recent Activity lacks %q: %s", want, act)
		}
	}
	if !strings.Contains(act, "Sent a secure message to Claims") {
		t.Errorf("a sent message is not in words: %s", act)
	}
	for _, bad := range []string{"Login", "Member view", "Maria", "03/14/1985", "Remittance"} {
		if strings.Contains(act, bad) {
			t.Errorf("Recent Activity shows %q: %s", bad, act)
		}
	}
	// The demo data set's messages were written at fill time as the manager: not shown.
	var seeded int
	ta.db.R.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE ip = 'demo' AND actor = 'manager@sunrise.example'`).Scan(&seeded)
	if seeded > 0 && strings.Count(act, "Sent a secure message") > ta.auditCount("message.send", "")-seeded {
		t.Errorf("demo seeding shows as the manager's own activity: %s", act)
	}
}
