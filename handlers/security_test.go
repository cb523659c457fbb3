package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"portico/models"
)

// Tests of the security review's findings (issue 10).

func (ta *testApp) sessionRows() int {
	ta.t.Helper()
	var n int
	if err := ta.db.R.QueryRow("SELECT COUNT(*) FROM sessions").Scan(&n); err != nil {
		ta.t.Fatal(err)
	}
	return n
}

// Finding 2: a visitor who is not signed in costs no database write, even with a bad
// cookie; the sign-in form still carries a working token.
func TestAnonymousVisitorsAddNoSessionRows(t *testing.T) {
	ta := newTestApp(t)
	before := ta.sessionRows()
	var changes int64
	if err := ta.db.W.QueryRow("SELECT total_changes()").Scan(&changes); err != nil {
		t.Fatal(err)
	}
	pages := []string{"/login", "/register", "/login/reset", "/", "/library", "/library/search?q=transplant", "/help"}
	for i := 0; i < 1000; i++ {
		req := httptest.NewRequest(http.MethodGet, pages[i%len(pages)], nil)
		req.AddCookie(&http.Cookie{Name: ta.h.cookieName(), Value: "bad-cookie-" + itoa(i)})
		req.AddCookie(&http.Cookie{Name: ta.h.csrfCookieName(), Value: "forged"})
		res, err := ta.app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", pages[i%len(pages)], res.StatusCode)
		}
	}
	if n := ta.sessionRows(); n != before {
		t.Fatalf("1,000 anonymous GETs added %d session rows", n-before)
	}
	var after int64
	if err := ta.db.W.QueryRow("SELECT total_changes()").Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != changes {
		t.Fatalf("1,000 anonymous GETs made %d database changes", after-changes)
	}
	// The sign-in form works from such a page, and the row appears only at sign-in.
	c := signInFlow(t, ta, "manager@sunrise.example")
	if ta.sessionStage(c.session()) != models.StageFull {
		t.Fatal("no full session after sign-in")
	}
	// A forged nonce cookie with a token made for another nonce is refused.
	v, w := ta.anon(), ta.anon()
	v.get("/login")
	w.get("/login")
	w.csrf = v.csrf
	w.post("/login", url.Values{"email": {"manager@sunrise.example"}, "password": {demoPassword}}).mustStatus(t, http.StatusForbidden)
}

// Finding 3: the token counts only from the body or the X-CSRF-Token header.
func TestCSRFTokenInQueryStringRefused(t *testing.T) {
	ta := newTestApp(t)
	m := ta.as("manager@sunrise.example")
	m.get("/messages/new").mustStatus(t, http.StatusOK)
	tok := m.csrf
	q := "?_csrf=" + url.QueryEscape(tok)
	for _, path := range []string{"/messages", "/session/keep-alive", "/logout/everywhere"} {
		req := httptest.NewRequest(http.MethodPost, path+q, strings.NewReader("subject=x&body=y"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		m.do(req).mustStatus(t, http.StatusForbidden).mustContain(t, "Your form expired")
	}
	if ta.sessionStage(m.session()) != models.StageFull {
		t.Fatal("a refused request ended the session")
	}
	// Visitors too: a sign-in with the token in the URL is refused.
	v := ta.anon()
	v.get("/login")
	req := httptest.NewRequest(http.MethodPost, "/login?_csrf="+url.QueryEscape(v.csrf),
		strings.NewReader(url.Values{"email": {"manager@sunrise.example"}, "password": {demoPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	v.do(req).mustStatus(t, http.StatusForbidden)
	// The same token in the body works.
	m.post("/session/keep-alive", url.Values{"_csrf": {tok}}).mustStatus(t, http.StatusSeeOther)
}

// Finding 9a: each response carries the token under a fresh mask; every mask works, and
// the stored token itself never reaches a page.
func TestCSRFTokenMaskedPerResponse(t *testing.T) {
	ta := newTestApp(t)
	m := ta.as("manager@sunrise.example")
	var stored string
	if err := ta.db.R.QueryRow("SELECT csrf FROM sessions WHERE token_hash = ?", models.HashToken(m.session())).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	r1 := m.get("/dashboard").mustStatus(t, http.StatusOK)
	t1 := m.csrf
	r2 := m.get("/dashboard").mustStatus(t, http.StatusOK)
	t2 := m.csrf
	if t1 == "" || t1 == t2 {
		t.Fatalf("the token did not change between responses: %q %q", t1, t2)
	}
	for _, r := range []*response{r1, r2} {
		r.mustNotContain(t, stored)
	}
	for _, tok := range []string{t1, t2} {
		req := httptest.NewRequest(http.MethodPost, "/session/keep-alive", nil)
		req.Header.Set("X-CSRF-Token", tok)
		req.Header.Set("HX-Request", "true")
		m.do(req).mustStatus(t, http.StatusNoContent)
		m.post("/session/keep-alive", url.Values{"_csrf": {tok}}).mustStatus(t, http.StatusSeeOther)
	}
	// A token of another session does not work, masked or not.
	o := ta.as("manager@sunrise.example")
	o.get("/dashboard")
	m.post("/session/keep-alive", url.Values{"_csrf": {o.csrf}}).mustStatus(t, http.StatusForbidden)
	// Visitors' tokens are masked too.
	v := ta.anon()
	v.get("/login")
	a1 := v.csrf
	v.get("/login")
	if a1 == v.csrf {
		t.Fatal("a visitor's token did not change between responses")
	}
	v.post("/login", url.Values{"_csrf": {a1}, "email": {"nobody@x.example"}, "password": {"wrong wrong"}}).mustStatus(t, http.StatusUnprocessableEntity)
}

// Finding 10: a training class shares the demo accounts; successful sign-ins never use
// up the limits, failures still do.
func TestElevenSuccessfulSignInsInARowAllSucceed(t *testing.T) {
	ta := newTestApp(t)
	move := ta.pinClock(time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC))
	for i := 0; i < 11; i++ {
		c := signInFlow(t, ta, "staff@sunrise.example")
		c.get("/dashboard").mustStatus(t, http.StatusOK)
		c.post("/logout", nil).mustStatus(t, http.StatusSeeOther)
		move(31 * time.Second) // each TOTP code works once: wait for the next one
	}
	// Failures still count: the eleventh wrong password in a row is refused with 429.
	c := ta.anon()
	c.get("/login")
	var last *response
	for i := 0; i < limitPerAccount+1; i++ {
		last = c.post("/login", url.Values{"email": {"nobody@sunrise.example"}, "password": {"not the password"}})
	}
	last.mustStatus(t, http.StatusTooManyRequests).mustContain(t, "failed sign-in attempts")
}

// Finding 8: the roster CSV never cuts a name inside a UTF-8 character.
func TestRosterCSVValidUTF8ForLongAccentedNames(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("manager@sunrise.example")
	c.get("/eligibility")
	long := "X" + strings.Repeat("é", 78) + "ñ" // 80 characters, 159 bytes: byte 80 falls inside a character
	csv := "member_id,last_name,first_name,dob\r\n" +
		"," + long + ",Zoë,1985-03-14\r\n" +
		",A" + strings.Repeat("Ø", 90) + ",Ana,1985-03-14\r\n"
	r := c.rosterResults(t, c.uploadRoster("/eligibility/roster", "roster.csv", []byte(csv)))
	i := strings.Index(r.Body, rosterLink)
	if i < 0 {
		t.Fatal("no download link")
	}
	link := r.Body[i+len(`href="`):]
	link = link[:strings.Index(link, `"`)]
	d := c.get(link).mustStatus(t, http.StatusOK)
	if !utf8.ValidString(d.Body) || !utf8.ValidString(r.Body) {
		t.Fatalf("roster results are not valid UTF-8:\n%q", d.Body)
	}
	if !strings.Contains(d.Body, strings.Repeat("é", 60)) || !strings.Contains(d.Body, strings.Repeat("Ø", 78)+"…") {
		t.Errorf("names not kept up to the limit:\n%s", d.Body)
	}
}

// Finding 5: TIN checks count only once the TIN request is known to be the caller's,
// so another office cannot use up your limit.
func TestAnotherOfficeCannotTripYourTINLimit(t *testing.T) {
	ta := newTestApp(t)
	m := ta.as("manager@sunrise.example")
	m.get("/account")
	m.post("/account/tins", url.Values{"tin": {"95-1111111"}, "tin_name": {"Sunrise Urgent Care"}}).mustStatus(t, http.StatusSeeOther)
	reqID := regexpAll(`/account/tins/(\d+)/verify`, m.get("/account").Body)[0]
	v := ta.as("manager@valley.example")
	v.get("/account")
	for i := 0; i < 30; i++ {
		v.post("/account/tins/"+reqID+"/verify", url.Values{"check_no": {"1"}, "amount": {"1.00"}}).mustStatus(t, http.StatusNotFound)
	}
	// The owner's check is still looked at (a wrong check number is a 422, not a 429).
	m.post("/account/tins/"+reqID+"/verify", url.Values{"check_no": {"123"}, "amount": {"10.00"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "We found no payment")
	// The owner's own limit speaks of the TIN check, not of signing in.
	var last *response
	for i := 0; i < 10; i++ {
		last = m.post("/account/tins/"+reqID+"/verify", url.Values{"check_no": {"123"}, "amount": {"10.00"}})
	}
	last.mustStatus(t, http.StatusTooManyRequests).mustContain(t, "check numbers were tried for this TIN").mustNotContain(t, "Trouble logging in")
}

// Finding 9e: sign-out tells the browser to drop its cache, cookies and storage.
func TestLogoutSendsClearSiteData(t *testing.T) {
	ta := newTestApp(t)
	for _, path := range []string{"/logout", "/logout/everywhere"} {
		c := ta.as("staff@sunrise.example")
		c.get("/dashboard")
		r := c.post(path, nil).mustStatus(t, http.StatusSeeOther)
		if got := r.Header.Get("Clear-Site-Data"); got != `"cache", "cookies", "storage"` {
			t.Errorf("%s: Clear-Site-Data %q", path, got)
		}
		c.get(r.Header.Get("Location")).mustStatus(t, http.StatusOK).mustContain(t, "You are signed out")
		if c.get("/dashboard").Status != http.StatusSeeOther {
			t.Errorf("%s: still signed in", path)
		}
	}
}

// Finding 8: the 403 page names who can help: a plan admin for plan staff, never "your
// account manager".
func TestForbiddenPageSpeaksToPlanStaff(t *testing.T) {
	ta := newTestApp(t)
	ta.as("rep@plan.example").get("/admin").mustStatus(t, http.StatusForbidden).
		mustContain(t, "plan admin").mustNotContain(t, "account manager")
	ta.as("staff@sunrise.example").get("/account").mustStatus(t, http.StatusForbidden).mustContain(t, "account manager")
	ta.as("manager@sunrise.example").get("/admin").mustStatus(t, http.StatusForbidden).mustNotContain(t, "Your account manager can grant")
}

// Finding 9b: one user's eligibility look-ups have a ceiling; reaching it is refused
// with a clear message and flagged to plan admins on /admin, once.
func TestLookupCeilingReachedAndFlagged(t *testing.T) {
	for _, c := range models.DefaultLookupCeilings {
		if c.Max < rosterMaxRows+500 {
			t.Errorf("ceiling %d %s leaves no room for a full roster and a day's checks", c.Max, c.Label)
		}
	}
	ta := newTestApp(t, func(o *Options) {
		o.LookupCeilings = []models.LookupCeiling{{Window: time.Hour, Max: 5, Label: "in one hour"}}
	})
	m := ta.as("manager@sunrise.example")
	m.get("/eligibility")
	check := func() url.Values { return url.Values{"q": {"A100000001"}, "dob": {"1985-03-14"}} }
	for i := 0; i < 5; i++ {
		m.post("/eligibility/quick", check()).mustStatus(t, http.StatusOK).mustContain(t, "Maria Lopez")
	}
	m.post("/eligibility/quick", check()).mustStatus(t, http.StatusTooManyRequests).
		mustContain(t, "at most 5 eligibility look-ups in one hour", "a plan admin has been told").mustNotContain(t, "Maria")
	m.post("/eligibility", check()).mustStatus(t, http.StatusTooManyRequests)
	m.uploadRoster("/eligibility/roster", "r.csv", []byte("A100000001,,,1985-03-14\n")).mustStatus(t, http.StatusTooManyRequests)
	if n := ta.auditCount("eligibility.check", "A100000001"); n != 5 {
		t.Errorf("%d look-ups ran, want 5", n)
	}
	if n := ta.auditCount("security.flag", ""); n != 1 {
		t.Errorf("%d flags raised, want 1", n)
	}
	ta.as("admin@plan.example").get("/admin").mustStatus(t, http.StatusOK).
		mustContain(t, "Security flags", "manager@sunrise.example", "reached the ceiling of 5 eligibility look-ups in one hour")
	// Another user of the same office is not affected.
	s := ta.as("staff@sunrise.example")
	s.get("/eligibility")
	s.post("/eligibility/quick", check()).mustStatus(t, http.StatusOK)
	// An hour later the count has room again.
	move := ta.pinClock(ta.db.Now())
	move(61 * time.Minute)
	m = ta.as("manager@sunrise.example") // the old session went idle meanwhile
	m.get("/eligibility")
	m.post("/eligibility/quick", check()).mustStatus(t, http.StatusOK).mustContain(t, "Maria Lopez")
}

// Finding 8: each 429 says what was refused and what to do; only the sign-in pages
// speak of sign-in attempts.
func TestRateLimitPagesSayWhatHappened(t *testing.T) {
	ta := newTestApp(t)
	c := ta.anon()
	c.get("/login/reset")
	var last *response
	for i := 0; i <= limitPerIP; i++ {
		last = c.post("/login/reset", url.Values{"email": {"user" + itoa(i) + "@x.example"}})
	}
	last.mustStatus(t, http.StatusTooManyRequests).mustContain(t, "password resets").mustNotContain(t, "sign-in attempts", "account manager")
	r := c.get("/register")
	for i := 0; i <= 10; i++ {
		r = c.post("/register", url.Values{"email": {"x" + itoa(i) + "@x.example"}})
	}
	r.mustStatus(t, http.StatusTooManyRequests).mustContain(t, "registrations").mustNotContain(t, "sign-in attempts")
}

// A demo reset replaces the audit log on purpose: the seal follows it, so the reset
// log is not reported as cut, while a cut made afterwards still is.
func TestDemoResetRenewsTheAuditSeal(t *testing.T) {
	var sealer *models.AuditSealer
	ta := newTestApp(t, func(o *Options) {
		s, err := models.NewAuditSealer(o.DB, o.Keyring)
		if err != nil {
			t.Fatal(err)
		}
		sealer, o.AuditSealer = s, s
	})
	ctx := context.Background()
	for i := 0; i < 30; i++ {
		ta.as("manager@sunrise.example").get("/members/A100000001")
	}
	if err := sealer.Seal(ctx, false); err != nil {
		t.Fatal(err)
	}
	before, _ := sealer.Read()
	admin := ta.as("admin@plan.example")
	admin.get("/admin/demo")
	admin.post("/admin/demo/reset", url.Values{"confirm": {"reset"}}).mustStatus(t, http.StatusSeeOther)
	after, err := sealer.Read()
	if err != nil || after.ID >= before.ID {
		t.Fatalf("seal before %+v after %+v (%v)", before, after, err)
	}
	if err := sealer.Seal(ctx, false); err != nil {
		t.Fatalf("the reset log does not match its seal: %v", err)
	}
}
