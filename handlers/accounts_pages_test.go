package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico/models"
)

// newRenderLog is an empty log of template runs.
func newRenderLog() *renderLog {
	return &renderLog{ran: map[string]int{}}
}

// mustHaveRun fails the test unless each page ran, and every run was without error.
func (l *renderLog) mustHaveRun(t *testing.T, pages ...string) {
	t.Helper()
	for _, e := range l.errs {
		t.Errorf("template run failed: %s", e)
	}
	for _, p := range pages {
		if l.ran[p] == 0 {
			t.Errorf("%s never ran", p)
		}
	}
}

// TestAccountPagesInTheirStates renders the sign-in, reset, registration and set-up
// pages that only a state reaches which no link makes (a half-signed-in session, a
// user without an authenticator, an e-mailed link, an empty database), each as it
// first shows and as it comes back with a refused field. TestEveryPageRenders lists
// them in notCrawled with this test's name (the set-up page: TestFirstPlanAdminSetup).
func TestAccountPagesInTheirStates(t *testing.T) {
	log := newRenderLog()
	ta := newTestApp(t, func(o *Options) { o.OnRender = log.hook })

	// The second factor, with where to go afterwards kept in the form's address.
	c, r := passwordStep(t, ta, "manager@sunrise.example", demoPassword)
	r.mustStatus(t, http.StatusSeeOther)
	c.get("/login/mfa?next=/claims").mustStatus(t, http.StatusOK).mustContain(t, `action="/login/mfa?next=%2fclaims"`)
	c.post("/login/mfa?next=/claims", url.Values{"code": {"  "}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Enter the 6-digit code from your authenticator app, or a recovery code.", `action="/login/mfa?next=%2fclaims"`)
	r = c.post("/login/mfa?next=/claims", url.Values{"code": {" " + models.TOTPCode(demoSecret, ta.db.Clock.Wall()) + " "}}).
		mustStatus(t, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/claims" {
		t.Errorf("after the second factor: Location %q, want /claims", loc)
	}

	// Enrolment of a user without an authenticator, then the recovery codes.
	email := "staff@sunrise.example"
	if _, err := ta.db.W.Exec("UPDATE users SET totp_secret = '' WHERE email = ?", email); err != nil {
		t.Fatal(err)
	}
	e, _ := passwordStep(t, ta, email, demoPassword)
	e.get("/login/enrol").mustStatus(t, http.StatusOK).mustContain(t, `id="secret"`)
	e.post("/login/enrol", url.Values{"code": {""}}).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "That code did not match")
	pending, _ := url.Parse(ta.userField(email, "totp_pending"))
	e.post("/login/enrol", url.Values{"code": {models.TOTPCode(pending.Query().Get("secret"), ta.db.Clock.Wall())}}).
		mustStatus(t, http.StatusOK).mustContain(t, "Your recovery codes")

	// A reset link: a new password keeps its surrounding spaces.
	a := ta.anon()
	a.get("/login/reset")
	a.post("/login/reset", url.Values{"email": {"manager@valley.example"}}).mustStatus(t, http.StatusOK)
	link := linkIn(t, ta.lastMail("manager@valley.example"), "/login/reset/")
	a.get(link).mustStatus(t, http.StatusOK).mustContain(t, "Choose a new password")
	a.post(link, url.Values{"password": {"quartz meadow 11 ferns"}, "password_confirm": {"quartz meadow 11 fern"}}).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "The two passwords are not the same")
	spaced := "  quartz meadow 11 ferns  "
	a.post(link, url.Values{"password": {spaced}, "password_confirm": {spaced}}).mustStatus(t, http.StatusSeeOther)
	if hash := ta.userField("manager@valley.example", "password_hash"); !models.CheckPassword(hash, spaced) || models.CheckPassword(hash, strings.TrimSpace(spaced)) {
		t.Error("the new password lost its surrounding spaces")
	}

	// A registration's verification link.
	g := ta.anon()
	g.get("/register")
	g.post("/register", registration("rosa@brightoak.example", "96-1234500")).mustStatus(t, http.StatusOK)
	g.get(linkIn(t, ta.lastMail("rosa@brightoak.example"), "/register/verify/")).mustStatus(t, http.StatusOK).
		mustContain(t, "Bright Oak Pediatrics")

	// An invitation: the name is asked for and kept with the password refused.
	m := ta.as("manager@sunrise.example")
	m.get("/account/users")
	m.post("/account/users", url.Values{"email": {"nina@sunrise.example"}, "name": {"Nina Park"}, "perm": {"claims"}}).
		mustStatus(t, http.StatusSeeOther)
	i := ta.anon()
	invite := linkIn(t, ta.lastMail("nina@sunrise.example"), "/invite/")
	i.get(invite).mustStatus(t, http.StatusOK).mustContain(t, `value="Nina Park"`)
	i.post(invite, url.Values{"name": {""}, "password": {"short"}, "password_confirm": {"short"}}).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "Enter your name as colleagues know it.", "Use at least 12 characters")
	i.post(invite, url.Values{"name": {"Nina P. Park"}, "password": {"Nina P. Park 2026 ok"}, "password_confirm": {"Nina P. Park 2026 ok"}}).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, `value="Nina P. Park"`, "must not contain")

	log.mustHaveRun(t, "pages/auth/mfa", "pages/auth/enrol", "pages/auth/recovery", "pages/auth/reset_form",
		"pages/register/verify", "pages/register/invite")
}

// TestAccountFormsRefuseFieldByField posts each form of the account area with bad
// fields: the answer is 422, the message is next to each bad field, and what was typed
// is still in the form.
func TestAccountFormsRefuseFieldByField(t *testing.T) {
	ta := newTestApp(t)
	longAction := strings.Repeat("a", 65)
	cases := []struct {
		as, page, url string
		form          url.Values
		want          []string
	}{
		{"", "/login", "/login", url.Values{"email": {""}, "password": {""}},
			[]string{"Enter your e-mail address.", "Enter your password."}},
		{"", "/login", "/login", url.Values{"email": {"ann@clinic.example"}, "password": {""}},
			[]string{"Enter your password.", `value="ann@clinic.example"`}},
		{"", "/login/reset", "/login/reset", url.Values{"email": {"ann at clinic"}},
			[]string{"Enter the e-mail address you sign in with, like name@example.com.", `value="ann at clinic"`}},
		{"manager@sunrise.example", "/account", "/account", url.Values{"contact_name": {""}, "phone": {"555"}, "address": {"12 Oak St"}},
			[]string{"Enter the contact&#39;s name.", "Enter a phone number with area code", `value="555"`, `value="12 Oak St"`}},
		{"manager@sunrise.example", "/account", "/account/tins", url.Values{"tin": {"12-34"}, "tin_name": {""}},
			[]string{"Enter the 9-digit tax ID (TIN), like 95-1234567.", "Enter the name the TIN is registered to.", `value="12-34"`}},
		{"manager@sunrise.example", "/account/users", "/account/users", url.Values{"email": {"nina at sunrise"}, "name": {""}, "perm": {"claims"}},
			[]string{"Enter an e-mail address like name@example.com.", "Enter the person&#39;s name.", `value="nina at sunrise"`,
				`value="claims" checked`}},
		{"manager@sunrise.example", "/security", "/security/password", url.Values{"current_password": {demoPassword}, "password": {demoPassword}, "password_confirm": {demoPassword}},
			[]string{"Choose a password different from the current one."}},
		{"admin@plan.example", "/admin", "/admin/search", url.Values{"q": {"x"}},
			[]string{"Enter at least 2 characters of a name, e-mail or TIN.", `value="x"`}},
		{"admin@plan.example", "/admin/staff", "/admin/staff", url.Values{"email": {"ann@gmail.com"}, "name": {""}, "department": {"claims"}},
			[]string{"Enter an e-mail address on the plan&#39;s domain, like name@plan.example.", "Enter the person&#39;s name.",
				"Choose at least one role.", `value="ann@gmail.com"`, `value="claims" selected`}},
		{"admin@plan.example", "/admin/demo", "/admin/demo/clock", url.Values{"days": {"400"}, "action": {"forward"}},
			[]string{"Enter a whole number of days from 1 to 365.", `href="#days"`, `value="400"`}},
		{"admin@plan.example", "/admin/demo", "/admin/demo/reset", url.Values{},
			[]string{"Tick the box to confirm that all demo changes will be lost.", `href="#confirm"`, `id="confirm"`}},
		{"privacy@plan.example", "/audit", "/audit", url.Values{"member_id": {"x"}, "action": {longAction}, "from": {"2026-03-14"}, "to": {"2026-03-01"}},
			[]string{"Enter a member ID such as A100000001.", "Enter an action such as member.view.", "The end date is before the start date.", `href="#audit-member_id"`,
				`value="x"`, `value="2026-03-14"`}},
	}
	for _, tc := range cases {
		c := ta.anon()
		if tc.as != "" {
			c = ta.as(tc.as)
		}
		c.get(tc.page).mustStatus(t, http.StatusOK)
		r := c.post(tc.url, tc.form)
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("POST %s as %q: status %d, want 422", tc.url, tc.as, r.Status)
			continue
		}
		r.mustContain(t, tc.want...)
	}
	// The demo mail page refuses an address outside the training domains, and keeps it.
	ta.anon().get("/login/demo-mail?to=ann@gmail.com").mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "ending in .example only", `href="#demo-mail-to"`, `value="ann@gmail.com"`)
	// A TIN check needs a check number and an amount in dollars and cents.
	m := ta.as("manager@sunrise.example")
	m.get("/account")
	m.post("/account/tins", url.Values{"tin": {"96-5550001"}, "tin_name": {"Sunrise North"}}).mustStatus(t, http.StatusSeeOther)
	var id int64
	if err := ta.db.R.QueryRow("SELECT MAX(id) FROM tin_requests").Scan(&id); err != nil {
		t.Fatal(err)
	}
	m.get("/account")
	m.post("/account/tins/"+itoa64(id)+"/verify", url.Values{"check_no": {"10042"}, "amount": {"12.345"}}).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "Enter the check (or EFT trace) number, at most 40 characters, and the amount")
}
