package handlers

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"portico/db"
	"portico/models"
)

func registration(email, tin string) url.Values {
	return url.Values{"provider_name": {"Bright Oak Pediatrics"}, "provider_type": {"clinic"}, "npi": {"1234567893"}, "tin": {tin},
		"contact_name": {"Rosa Alvarez"}, "phone": {"(559) 555-0142"}, "email": {email},
		"password": {"meadow lantern 93 copper"}, "password_confirm": {"meadow lantern 93 copper"}}
}

func TestValidNPI(t *testing.T) {
	for npi, want := range map[string]bool{"1234567893": true, "1234567890": false, "123456789": false, "12345678a3": false, "": false} {
		if got := models.ValidNPI(npi); got != want {
			t.Errorf("ValidNPI(%q) = %v", npi, got)
		}
	}
}

func TestRegistrationVerifiedByEmailLink(t *testing.T) {
	ta := newTestApp(t)
	c := ta.anon()
	c.get("/register").mustStatus(t, http.StatusOK).mustContain(t, `id="provider_name"`, "Participating physician group (PPG)")
	bad := registration("rosa@brightoak.example", "12-34")
	bad.Set("npi", "1234567890")
	bad.Set("password", "password1234")
	bad.Set("password_confirm", "password1234")
	r := c.post("/register", bad).mustStatus(t, http.StatusUnprocessableEntity)
	r.mustContain(t, "There is a problem", "not a valid NPI", "9-digit tax ID", "common or breached", `value="Bright Oak Pediatrics"`)
	r.mustNotContain(t, "password1234")
	// A TIN of an account already on the portal is refused.
	c.post("/register", registration("rosa@brightoak.example", "95-1234567")).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "already belongs to a provider account")
	r = c.post("/register", registration("rosa@brightoak.example", "96-1234500")).mustStatus(t, http.StatusOK)
	r.mustContain(t, "We have sent a link")
	// The same answer for an e-mail that already has an account; that address is told.
	c2 := ta.anon()
	c2.get("/register")
	r2 := c2.post("/register", registration("manager@valley.example", "96-1234501")).mustStatus(t, http.StatusOK)
	if !strings.Contains(r2.Body, "We have sent a link") || !strings.Contains(ta.lastMail("manager@valley.example"), "already has an account") {
		t.Fatal("registration with a known e-mail answered differently or did not tell the owner")
	}
	link := linkIn(t, ta.lastMail("rosa@brightoak.example"), "/register/verify/")
	// Following the link shows what will be opened; only the POST changes anything.
	c.get(link).mustStatus(t, http.StatusOK).mustContain(t, "Bright Oak Pediatrics", "96-1234500")
	if _, err := (models.Users{DB: ta.db}).ByEmail(context.Background(), "rosa@brightoak.example"); err == nil {
		t.Fatal("the account exists before the e-mail was verified")
	}
	r = c.post(link, nil).mustStatus(t, http.StatusSeeOther)
	if r.Header.Get("Location") != "/login" {
		t.Fatalf("after verification: %s", r.Header.Get("Location"))
	}
	if ta.userField("rosa@brightoak.example", "is_manager") != "1" || ta.userField("rosa@brightoak.example", "email_verified_at") == "" {
		t.Fatal("account manager not created")
	}
	var status string
	ta.db.R.QueryRow("SELECT status FROM tins WHERE tin = '961234500'").Scan(&status)
	if status != "pending" {
		t.Fatalf("new TIN status %q", status)
	}
	c.post(link, nil).mustStatus(t, http.StatusGone)
	if ta.auditCount("account_registered", "") != 1 || ta.auditCount("tin_requested", "") != 1 {
		t.Error("registration not audited")
	}
	// The new manager signs in and is asked to enrol the second factor.
	_, r = passwordStep(t, ta, "rosa@brightoak.example", "meadow lantern 93 copper")
	if r.Header.Get("Location") != "/login/enrol" {
		t.Fatalf("first sign-in goes to %s", r.Header.Get("Location"))
	}
	// The admin sees the pending TIN; until approved the account is not verified.
	accounts := models.Accounts{DB: ta.db}
	rosa, _ := models.Users{DB: ta.db}.ByEmail(context.Background(), "rosa@brightoak.example")
	if ok, _ := accounts.HasVerifiedTIN(context.Background(), rosa.AccountID); ok {
		t.Fatal("a new account counts as verified")
	}
	a := ta.as("admin@plan.example")
	page := a.get("/admin").mustContain(t, "96-1234500", "Bright Oak Pediatrics")
	ids := regexpAll(`/admin/tins/(\d+)/approve`, page.Body)
	for _, id := range ids {
		a.post("/admin/tins/"+id+"/approve", nil)
	}
	if ok, _ := accounts.HasVerifiedTIN(context.Background(), rosa.AccountID); !ok {
		t.Fatal("approval did not verify the account")
	}
}

// TestFirstPlanAdminSetup sets up the first plan admin of an empty database. It is also
// where the set-up page is rendered for TestEveryPageRenders (no crawl reaches it).
func TestFirstPlanAdminSetup(t *testing.T) {
	log := newRenderLog()
	dir := t.TempDir()
	d, err := db.Open(filepath.Join(dir, "empty.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	app, h, err := New(Options{DB: d, BaseURL: "http://portico.test", OnRender: log.hook, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ta := &testApp{t: t, app: app, h: h, db: d, dir: dir}
	link, err := h.FirstAdminLink(context.Background())
	if err != nil || !strings.HasPrefix(link, "http://portico.test/setup/") {
		t.Fatalf("link %q %v", link, err)
	}
	path := strings.TrimPrefix(link, "http://portico.test")
	c := ta.anon()
	c.get(path).mustStatus(t, http.StatusOK).mustContain(t, "Set up the first plan admin")
	c.post(path, url.Values{"name": {"Ada"}, "email": {"ada@plan.example"}, "password": {"short"}, "password_confirm": {"short"}}).
		mustStatus(t, http.StatusUnprocessableEntity)
	pw := "quartz meadow 11 ferns"
	c.post(path, url.Values{"name": {" "}, "email": {"ada at plan"}, "password": {pw}, "password_confirm": {pw}}).
		mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Enter your name.", "Enter an e-mail address like name@plan.example.", `value="ada at plan"`)
	log.mustHaveRun(t, "pages/setup/admin")
	r := c.post(path, url.Values{"name": {"Ada King"}, "email": {"ada@plan.example"}, "password": {pw}, "password_confirm": {pw}}).mustStatus(t, http.StatusSeeOther)
	if r.Header.Get("Location") != "/login/enrol" {
		t.Fatalf("after set-up: %s", r.Header.Get("Location"))
	}
	if ta.userField("ada@plan.example", "roles") != "admin" {
		t.Fatal("first admin not created")
	}
	ta.anon().get(path).mustStatus(t, http.StatusGone)
	if link, _ := h.FirstAdminLink(context.Background()); link != "" {
		t.Fatalf("a set-up link was made although users exist: %s", link)
	}
	if ta.auditCount("first_admin_created", "") != 1 {
		t.Error("set-up not audited")
	}
}
