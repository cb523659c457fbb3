package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"portico/models"
)

func (ta *testApp) userID(email string) string {
	ta.t.Helper()
	return ta.userField(email, "id")
}

// TestAccountAndAdminAccess proves every account-management and plan-admin route for
// visitors, users without the role, and users of another account.
func TestAccountAndAdminAccess(t *testing.T) {
	ta := newTestApp(t)
	staffID := ta.userID("staff@sunrise.example")
	valleyID := ta.userID("manager@valley.example")
	post := http.MethodPost
	cases := []scenario{
		// Signed out: sent to sign in (GET) or refused (POST).
		{name: "anon account", url: "/account", wantStatus: http.StatusSeeOther},
		{name: "anon users", url: "/account/users", wantStatus: http.StatusSeeOther},
		{name: "anon admin", url: "/admin", wantStatus: http.StatusSeeOther},
		{name: "anon admin user", url: "/admin/users/" + staffID, wantStatus: http.StatusSeeOther},
		{name: "anon admin post", method: post, url: "/admin/users/" + staffID + "/disable", wantStatus: http.StatusForbidden},
		// An office user who is not the account manager: no link, 403 by URL.
		{name: "staff dashboard nav", as: "staff@sunrise.example", url: "/no/such/page", wantStatus: http.StatusNotFound, wantNotContains: []string{`href="/account"`, `href="/admin"`}},
		{name: "staff account", as: "staff@sunrise.example", url: "/account", wantStatus: http.StatusForbidden},
		{name: "staff users", as: "staff@sunrise.example", url: "/account/users", wantStatus: http.StatusForbidden},
		{name: "staff user", as: "staff@sunrise.example", url: "/account/users/" + staffID, wantStatus: http.StatusForbidden},
		{name: "staff invite", as: "staff@sunrise.example", method: post, url: "/account/users", form: url.Values{"email": {"x@y.example"}, "name": {"X"}}, wantStatus: http.StatusForbidden},
		{name: "staff perms", as: "staff@sunrise.example", method: post, url: "/account/users/" + staffID + "/permissions", form: url.Values{"perm": {"reports"}}, wantStatus: http.StatusForbidden},
		{name: "staff add tin", as: "staff@sunrise.example", method: post, url: "/account/tins", form: url.Values{"tin": {"951111111"}, "tin_name": {"X"}}, wantStatus: http.StatusForbidden},
		{name: "staff update", as: "staff@sunrise.example", method: post, url: "/account", form: url.Values{"contact_name": {"X"}, "phone": {"9165550100"}}, wantStatus: http.StatusForbidden},
		{name: "staff admin", as: "staff@sunrise.example", url: "/admin", wantStatus: http.StatusForbidden},
		// The account manager: own account yes, another account's users not found, admin no.
		{name: "manager account", as: "manager@sunrise.example", url: "/account", wantStatus: http.StatusOK, wantContains: []string{"Account details", "95-1234567", "95-7654321"}},
		{name: "manager users", as: "manager@sunrise.example", url: "/account/users", wantStatus: http.StatusOK, wantContains: []string{"Carlos Rivera", "Invite a user"}, wantNotContains: []string{"Priya Shah"}},
		{name: "manager own user", as: "manager@sunrise.example", url: "/account/users/" + staffID, wantStatus: http.StatusOK, wantContains: []string{"Carlos Rivera", "Save permissions"}},
		{name: "tenant user page", as: "manager@sunrise.example", url: "/account/users/" + valleyID, wantStatus: http.StatusNotFound, wantNotContains: []string{"Priya Shah"}},
		{name: "tenant disable", as: "manager@sunrise.example", method: post, url: "/account/users/" + valleyID + "/disable", wantStatus: http.StatusNotFound},
		{name: "tenant perms", as: "manager@sunrise.example", method: post, url: "/account/users/" + valleyID + "/permissions", form: url.Values{"perm": {"claims"}}, wantStatus: http.StatusNotFound},
		{name: "tenant reset-mfa", as: "manager@sunrise.example", method: post, url: "/account/users/" + valleyID + "/reset-mfa", wantStatus: http.StatusNotFound},
		{name: "staff reset-mfa", as: "staff@sunrise.example", method: post, url: "/account/users/" + staffID + "/reset-mfa", wantStatus: http.StatusForbidden},
		{name: "tenant handover", as: "manager@sunrise.example", method: post, url: "/account/users/" + valleyID + "/handover", form: url.Values{"confirm": {"yes"}}, wantStatus: http.StatusNotFound},
		{name: "staff id of plan", as: "manager@sunrise.example", url: "/account/users/" + ta.userID("admin@plan.example"), wantStatus: http.StatusNotFound},
		{name: "bad id", as: "manager@sunrise.example", url: "/account/users/abc", wantStatus: http.StatusNotFound},
		{name: "manager admin", as: "manager@sunrise.example", url: "/admin", wantStatus: http.StatusForbidden},
		{name: "manager admin post", as: "manager@sunrise.example", method: post, url: "/admin/users/" + staffID + "/disable", wantStatus: http.StatusForbidden},
		{name: "manager admin tins", as: "manager@sunrise.example", method: post, url: "/admin/tins/1/approve", wantStatus: http.StatusForbidden},
		// Plan staff without the admin role.
		{name: "rep admin", as: "rep@plan.example", url: "/admin", wantStatus: http.StatusForbidden},
		{name: "rep staff", as: "rep@plan.example", url: "/admin/staff", wantStatus: http.StatusForbidden},
		{name: "rep search", as: "rep@plan.example", method: post, url: "/admin/search", form: url.Values{"q": {"Sunrise"}}, wantStatus: http.StatusForbidden},
		{name: "rep account", as: "rep@plan.example", url: "/account", wantStatus: http.StatusForbidden},
		{name: "privacy admin user", as: "privacy@plan.example", url: "/admin/users/" + staffID, wantStatus: http.StatusForbidden},
		// The plan admin.
		{name: "admin home", as: "admin@plan.example", url: "/admin", wantStatus: http.StatusOK, wantContains: []string{"Find accounts and users", "TINs waiting for approval"}},
		{name: "admin user", as: "admin@plan.example", url: "/admin/users/" + staffID, wantStatus: http.StatusOK, wantContains: []string{"Carlos Rivera", "Reset second factor"}},
		{name: "admin staff", as: "admin@plan.example", url: "/admin/staff", wantStatus: http.StatusOK, wantContains: []string{"Grace Kim", "Add plan staff"}},
		{name: "admin account page", as: "admin@plan.example", url: "/account", wantStatus: http.StatusForbidden},
		{name: "admin unknown user", as: "admin@plan.example", url: "/admin/users/999999", wantStatus: http.StatusNotFound},
		{name: "admin unknown action", as: "admin@plan.example", method: post, url: "/admin/users/" + staffID + "/explode", wantStatus: http.StatusNotFound},
	}
	runScenarios(t, ta, cases)
	if ta.userField("manager@valley.example", "status") != "active" || ta.userField("staff@sunrise.example", "status") != "active" ||
		ta.userField("manager@valley.example", "totp_secret") == "" || ta.userField("manager@valley.example", "is_manager") != "1" {
		t.Fatal("a refused request changed a user")
	}
}

func TestManagerInvitesUserWhoSetsPasswordAndEnrols(t *testing.T) {
	ta := newTestApp(t)
	m := ta.as("manager@sunrise.example")
	m.get("/account/users")
	r := m.post("/account/users", url.Values{"email": {"bad"}, "name": {""}}).mustStatus(t, http.StatusUnprocessableEntity)
	r.mustContain(t, "There is a problem", "Enter an e-mail address")
	m.post("/account/users", url.Values{"email": {"staff@sunrise.example"}, "name": {"Dup"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "already has a portal account")
	m.post("/account/users", url.Values{"email": {"nina@sunrise.example"}, "name": {"Nina Patel"}, "perm": {"claims", "reports", "bogus"}}).
		mustStatus(t, http.StatusSeeOther)
	if ta.userField("nina@sunrise.example", "status") != "invited" || ta.userField("nina@sunrise.example", "permissions") != "eligibility claims reports" {
		t.Fatalf("invited user: %s %s", ta.userField("nina@sunrise.example", "status"), ta.userField("nina@sunrise.example", "permissions"))
	}
	if ta.auditCount("user_invited", "") != 1 {
		t.Error("invitation not audited")
	}
	// An invited user cannot sign in before accepting.
	_, r = passwordStep(t, ta, "nina@sunrise.example", "")
	r.mustStatus(t, http.StatusUnprocessableEntity)
	link := linkIn(t, ta.lastMail("nina@sunrise.example"), "/invite/")
	c := ta.anon()
	c.get(link).mustStatus(t, http.StatusOK).mustContain(t, "Sunrise Family Medicine", "nina@sunrise.example")
	c.post(link, url.Values{"name": {"Nina Patel"}, "password": {"sunrise family medicine"}, "password_confirm": {"sunrise family medicine"}}).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "must not contain")
	pw := "violet harbor 42 kites"
	r = c.post(link, url.Values{"name": {"Nina Patel"}, "password": {pw}, "password_confirm": {pw}}).mustStatus(t, http.StatusSeeOther)
	if r.Header.Get("Location") != "/login/enrol" {
		t.Fatalf("after accepting: %s", r.Header.Get("Location"))
	}
	c.get("/login/enrol").mustStatus(t, http.StatusOK).mustContain(t, "data:image/png;base64,")
	if ta.userField("nina@sunrise.example", "status") != "active" || ta.auditCount("invitation_accepted", "") != 1 {
		t.Fatal("invitation not accepted")
	}
	ta.anon().get(link).mustStatus(t, http.StatusGone)
}

func TestManagerSetsPermissionsDisablesUnlocksAndHandsOver(t *testing.T) {
	ta := newTestApp(t)
	m := ta.as("manager@sunrise.example")
	staff := ta.as("staff@sunrise.example")
	id := ta.userID("staff@sunrise.example")
	m.get("/account/users/" + id)
	m.post("/account/users/"+id+"/permissions", url.Values{"perm": {"messaging", "medical_management"}}).mustStatus(t, http.StatusSeeOther)
	if p := ta.userField("staff@sunrise.example", "permissions"); p != "eligibility medical_management messaging" {
		t.Fatalf("permissions %q", p)
	}
	if ta.auditCount("permissions_changed", "") != 1 {
		t.Error("permission change not audited")
	}
	m.post("/account/users/"+id+"/disable", nil).mustStatus(t, http.StatusSeeOther)
	if ta.sessionStage(staff.session()) != "" || ta.userField("staff@sunrise.example", "status") != "disabled" {
		t.Fatal("disable left the user's session")
	}
	m.post("/account/users/"+id+"/enable", nil).mustStatus(t, http.StatusSeeOther)
	m.post("/account/users/"+id+"/unlock", nil).mustStatus(t, http.StatusConflict)
	for i := 0; i < 5; i++ {
		passwordStep(t, ta, "staff@sunrise.example", "wrong wrong wrong")
	}
	m.get("/account/users/"+id).mustContain(t, "Unlock")
	m.post("/account/users/"+id+"/unlock", nil).mustStatus(t, http.StatusSeeOther)
	if ta.userField("staff@sunrise.example", "status") != "active" || ta.auditCount("unlock", "") != 1 {
		t.Fatal("not unlocked")
	}
	// A lost phone: the manager clears the second factor; the user enrols again.
	m.post("/account/users/"+id+"/reset-mfa", nil).mustStatus(t, http.StatusSeeOther)
	if ta.userField("staff@sunrise.example", "totp_secret") != "" || ta.auditCount("mfa_reset", "") != 1 {
		t.Fatal("manager could not reset the second factor")
	}
	// The manager cannot disable themselves.
	m.post("/account/users/"+ta.userID("manager@sunrise.example")+"/disable", nil).mustStatus(t, http.StatusConflict)
	// Hand-over needs the confirmation, then the roles swap.
	m.post("/account/users/"+id+"/handover", nil).mustStatus(t, http.StatusUnprocessableEntity)
	m.post("/account/users/"+id+"/handover", url.Values{"confirm": {"yes"}}).mustStatus(t, http.StatusSeeOther)
	if ta.userField("staff@sunrise.example", "is_manager") != "1" || ta.userField("manager@sunrise.example", "is_manager") != "0" {
		t.Fatal("hand-over did not swap the manager")
	}
	m.get("/account").mustStatus(t, http.StatusForbidden)
	ta.as("staff@sunrise.example").get("/account/users").mustStatus(t, http.StatusOK)
}

func TestAccountDetailsUpdateAndAddTIN(t *testing.T) {
	ta := newTestApp(t)
	m := ta.as("manager@sunrise.example")
	m.get("/account")
	m.post("/account", url.Values{"contact_name": {""}, "phone": {"1"}}).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "Enter the contact")
	m.post("/account", url.Values{"contact_name": {"Jane Doe"}, "phone": {"(916) 555-0100"}, "address": {"1 Main St"}}).mustStatus(t, http.StatusSeeOther)
	m.get("/account").mustContain(t, "(916) 555-0100")
	// A TIN already on the account, one of another portal account, a bad one.
	m.post("/account/tins", url.Values{"tin": {"95-1234567"}, "tin_name": {"X"}}).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "already on your account")
	m.post("/account/tins", url.Values{"tin": {"94-5550001"}, "tin_name": {"X"}}).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "another provider account")
	m.post("/account/tins", url.Values{"tin": {"12345"}, "tin_name": {"X"}}).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "9-digit")
	// A brand-new TIN: pending, cannot be proven by payment, approved by the admin.
	m.post("/account/tins", url.Values{"tin": {"95-1111111"}, "tin_name": {"Sunrise Urgent Care"}}).mustStatus(t, http.StatusSeeOther)
	page := m.get("/account").mustContain(t, "95-1111111", "Pending", "a plan admin will verify it")
	reqID := regexpAll(`/account/tins/(\d+)/verify`, page.Body)
	if len(reqID) != 1 {
		t.Fatalf("verify forms: %v", reqID)
	}
	m.post("/account/tins/"+reqID[0]+"/verify", url.Values{"check_no": {"123"}, "amount": {"10.00"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "We found no payment")
	// Another account cannot see or use this request.
	v := ta.as("manager@valley.example")
	v.get("/account")
	v.post("/account/tins/"+reqID[0]+"/verify", url.Values{"check_no": {"123"}, "amount": {"10.00"}}).mustStatus(t, http.StatusNotFound)
	a := ta.as("admin@plan.example")
	a.get("/admin").mustContain(t, "95-1111111", "No payments on record")
	a.post("/admin/tins/"+reqID[0]+"/approve", nil).mustStatus(t, http.StatusSeeOther)
	a.post("/admin/tins/"+reqID[0]+"/approve", nil).mustStatus(t, http.StatusConflict)
	var status string
	ta.db.R.QueryRow("SELECT status FROM tins WHERE tin = '951111111'").Scan(&status)
	if status != "verified" || ta.auditCount("tin_verified", "") != 1 {
		t.Fatalf("after approval: %s", status)
	}
}

func TestTINVerifiedByRecentPayment(t *testing.T) {
	ta := newTestApp(t)
	ctx := context.Background()
	// A TIN on the plan's records whose provider does not use the portal yet.
	tin := "952000000"
	var tinID, owner int64
	if err := ta.db.R.QueryRow("SELECT id, account_id FROM tins WHERE tin = ?", tin).Scan(&tinID, &owner); err != nil {
		t.Fatal(err)
	}
	today := ta.db.Now().Format(models.DateFormat)
	if _, err := ta.db.W.ExecContext(ctx, "INSERT INTO payments(tin_id, check_no, check_date, amount_cents) VALUES (?, 'T-778899', ?, 123456)", tinID, today); err != nil {
		t.Fatal(err)
	}
	m := ta.as("manager@sunrise.example")
	m.get("/account")
	m.post("/account/tins", url.Values{"tin": {"95-2000000"}, "tin_name": {"Harbor Family Practice"}}).mustStatus(t, http.StatusSeeOther)
	var stillOwner int64
	ta.db.R.QueryRow("SELECT account_id FROM tins WHERE id = ?", tinID).Scan(&stillOwner)
	if stillOwner != owner {
		t.Fatal("a pending TIN moved to the requesting account before verification")
	}
	page := m.get("/account")
	reqID := regexpAll(`/account/tins/(\d+)/verify`, page.Body)[0]
	m.post("/account/tins/"+reqID+"/verify", url.Values{"check_no": {"T-778899"}, "amount": {"1,234.00"}}).mustStatus(t, http.StatusUnprocessableEntity)
	m.post("/account/tins/"+reqID+"/verify", url.Values{"check_no": {"T-778899"}, "amount": {"$1,234.56"}}).mustStatus(t, http.StatusSeeOther)
	var acc int64
	var status string
	ta.db.R.QueryRow("SELECT account_id, status FROM tins WHERE id = ?", tinID).Scan(&acc, &status)
	if status != "verified" || acc == owner {
		t.Fatalf("after proof: account %d status %s", acc, status)
	}
	if ta.auditCount("tin_check_failed", "") != 1 || ta.auditCount("tin_verified", "") != 1 {
		t.Error("TIN checks not audited")
	}
}

func TestAdminSearchUnlockResetSecondFactorAndStaff(t *testing.T) {
	ta := newTestApp(t)
	a := ta.as("admin@plan.example")
	a.get("/admin")
	a.post("/admin/search", url.Values{"q": {"S"}}).mustStatus(t, http.StatusUnprocessableEntity)
	a.post("/admin/search", url.Values{"q": {"Sunrise"}}).mustStatus(t, http.StatusOK).mustContain(t, "Sunrise Family Medicine")
	a.post("/admin/search", url.Values{"q": {"95-7654321"}}).mustStatus(t, http.StatusOK).mustContain(t, "Sunrise Family Medicine")
	a.post("/admin/search", url.Values{"q": {"staff@sun"}}).mustStatus(t, http.StatusOK).mustContain(t, "Carlos Rivera")
	a.post("/admin/search", url.Values{"q": {`%_\`}}).mustStatus(t, http.StatusOK).mustContain(t, "No provider account matches")

	id := ta.userID("staff@sunrise.example")
	for i := 0; i < 5; i++ {
		passwordStep(t, ta, "staff@sunrise.example", "wrong wrong wrong")
	}
	a.get("/admin").mustContain(t, "Carlos Rivera")
	a.post("/admin/users/"+id+"/unlock", nil).mustStatus(t, http.StatusSeeOther)
	if ta.userField("staff@sunrise.example", "status") != "active" {
		t.Fatal("admin unlock failed")
	}
	staff := ta.as("staff@sunrise.example")
	a.post("/admin/users/"+id+"/reset-mfa", nil).mustStatus(t, http.StatusSeeOther)
	if ta.userField("staff@sunrise.example", "totp_secret") != "" || ta.sessionStage(staff.session()) != "" {
		t.Fatal("second factor not reset or session survived")
	}
	if ta.auditCount("mfa_reset", "") != 1 {
		t.Error("second-factor reset not audited")
	}
	_, r := passwordStep(t, ta, "staff@sunrise.example", demoPassword)
	if r.Header.Get("Location") != "/login/enrol" {
		t.Fatalf("after a second-factor reset sign-in goes to %s", r.Header.Get("Location"))
	}
	a.post("/admin/users/"+id+"/disable", nil).mustStatus(t, http.StatusSeeOther)
	a.post("/admin/users/"+id+"/enable", nil).mustStatus(t, http.StatusSeeOther)
	a.post("/admin/users/"+ta.userID("admin@plan.example")+"/disable", nil).mustStatus(t, http.StatusConflict)

	// Plan staff: on the plan's domain, with roles and a department.
	a.get("/admin/staff")
	a.post("/admin/staff", url.Values{"email": {"x@gmail.example"}, "name": {"X"}, "role": {"associate"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "plan's domain")
	a.post("/admin/staff", url.Values{"email": {"dana@plan.example"}, "name": {"Dana Lee"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "at least one role")
	a.post("/admin/staff", url.Values{"email": {"dana@plan.example"}, "name": {"Dana Lee"}, "role": {"associate", "reviewer"}, "department": {"claims"}}).
		mustStatus(t, http.StatusSeeOther)
	if ta.userField("dana@plan.example", "roles") != "associate reviewer" || ta.userField("dana@plan.example", "department") != "claims" {
		t.Fatal("staff roles not stored")
	}
	if !strings.Contains(ta.lastMail("dana@plan.example"), "/invite/") {
		t.Fatal("no invitation mailed")
	}
	dana := ta.userID("dana@plan.example")
	a.post("/admin/users/"+dana+"/roles", url.Values{"role": {"case_manager"}, "department": {"medical_management"}}).mustStatus(t, http.StatusSeeOther)
	if ta.userField("dana@plan.example", "roles") != "case_manager" || ta.auditCount("roles_changed", "") != 1 {
		t.Fatal("roles not changed")
	}
	a.post("/admin/users/"+ta.userID("admin@plan.example")+"/roles", url.Values{"role": {"associate"}}).mustStatus(t, http.StatusConflict)
}

func TestSecurityPageChangePasswordAndRecoveryCodes(t *testing.T) {
	ta := newTestApp(t)
	c := ta.as("staff@sunrise.example")
	other := ta.as("staff@sunrise.example")
	c.get("/security").mustStatus(t, http.StatusOK).mustContain(t, "Change your password", "Sign out everywhere", "0</strong> unused recovery codes")
	ta.anon().get("/security").mustStatus(t, http.StatusSeeOther)
	pw := "harbor violet 19 meadows"
	c.post("/security/password", url.Values{"current_password": {"wrong"}, "password": {pw}, "password_confirm": {pw}}).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "current password is not right")
	c.post("/security/password", url.Values{"current_password": {demoPassword}, "password": {"qwertyuiop123"}, "password_confirm": {"qwertyuiop123"}}).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "common or breached")
	c.post("/security/password", url.Values{"current_password": {demoPassword}, "password": {pw}, "password_confirm": {pw}}).mustStatus(t, http.StatusSeeOther)
	if ta.sessionStage(c.session()) != models.StageFull || ta.sessionStage(other.session()) != "" {
		t.Fatal("password change: this session should stay and the others end")
	}
	if ta.auditCount("password_changed", "") != 1 {
		t.Error("password change not audited")
	}
	c.get("/security")
	c.post("/security/recovery-codes", url.Values{"code": {"000000"}}).mustStatus(t, http.StatusUnprocessableEntity)
	r := c.post("/security/recovery-codes", url.Values{"code": {models.TOTPCode(demoSecret, ta.db.Clock.Wall())}}).mustStatus(t, http.StatusOK)
	if n := len(regexpAll(`<li><code>([a-z0-9-]+)</code></li>`, r.Body)); n != 10 {
		t.Fatalf("%d codes", n)
	}
	c.get("/security").mustContain(t, "10</strong> unused")
}

func TestResendInvitationReplacesTheLink(t *testing.T) {
	ta := newTestApp(t)
	m := ta.as("manager@sunrise.example")
	m.get("/account/users")
	m.post("/account/users", url.Values{"email": {"omar@sunrise.example"}, "name": {"Omar Haddad"}}).mustStatus(t, http.StatusSeeOther)
	first := linkIn(t, ta.lastMail("omar@sunrise.example"), "/invite/")
	id := ta.userID("omar@sunrise.example")
	m.get("/account/users/"+id).mustContain(t, "Send the invitation again")
	m.post("/account/users/"+id+"/resend", nil).mustStatus(t, http.StatusSeeOther)
	second := linkIn(t, ta.lastMail("omar@sunrise.example"), "/invite/")
	if first == second {
		t.Fatal("no new link")
	}
	ta.anon().get(first).mustStatus(t, http.StatusGone)
	ta.anon().get(second).mustStatus(t, http.StatusOK)
	m.post("/account/users/"+ta.userID("staff@sunrise.example")+"/resend", nil).mustStatus(t, http.StatusConflict)
	// Admin search finds people by any part of the name.
	a := ta.as("admin@plan.example")
	a.get("/admin")
	a.post("/admin/search", url.Values{"q": {"Haddad"}}).mustContain(t, "omar@sunrise.example")
	a.post("/admin/search", url.Values{"q": {"Family"}}).mustContain(t, "Sunrise Family Medicine")
}
