package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// lastMail returns the newest outbox body sent to addr, or "".
func (ta *testApp) lastMail(addr string) string {
	ta.t.Helper()
	var body string
	_ = ta.db.R.QueryRow("SELECT body FROM outbox WHERE to_addr = ? COLLATE NOCASE ORDER BY id DESC LIMIT 1", addr).Scan(&body)
	return body
}

func (ta *testApp) mailCount() int {
	ta.t.Helper()
	var n int
	if err := ta.db.R.QueryRow("SELECT COUNT(*) FROM outbox").Scan(&n); err != nil {
		ta.t.Fatal(err)
	}
	return n
}

// linkIn finds the path of the first link to the portal in an e-mail body.
func linkIn(t *testing.T, body, prefix string) string {
	t.Helper()
	i := strings.Index(body, "http://portico.test"+prefix)
	if i < 0 {
		t.Fatalf("no %s link in mail:\n%s", prefix, body)
	}
	rest := body[i+len("http://portico.test"):]
	if j := strings.IndexAny(rest, " \n"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func TestResetAnswersTheSameForKnownAndUnknownEmails(t *testing.T) {
	ta := newTestApp(t)
	before := ta.mailCount()
	known := ta.anon()
	known.get("/login/reset").mustStatus(t, http.StatusOK)
	rk := known.post("/login/reset", url.Values{"email": {"staff@sunrise.example"}}).mustStatus(t, http.StatusOK)
	unknown := ta.anon()
	unknown.get("/login/reset")
	ru := unknown.post("/login/reset", url.Values{"email": {"nobody@nowhere.example"}}).mustStatus(t, http.StatusOK)
	strip := func(s string) string { return csrfField.ReplaceAllString(hxHeaders.ReplaceAllString(s, ""), "") }
	if strip(rk.Body) != strip(ru.Body) {
		t.Fatal("the reset answer differs between a known and an unknown e-mail")
	}
	rk.mustContain(t, "If an account uses that e-mail address")
	if ta.mailCount() != before+1 || ta.lastMail("staff@sunrise.example") == "" {
		t.Fatalf("mail count %d → %d", before, ta.mailCount())
	}
	if ta.auditCount("password_reset_requested", "") != 2 {
		t.Error("reset requests not audited")
	}
}

func TestResetLinkUnlocksOnceAndStillNeedsTheSecondFactor(t *testing.T) {
	ta := newTestApp(t)
	email := "staff@sunrise.example"
	for i := 0; i < 5; i++ {
		passwordStep(t, ta, email, "not the password")
	}
	if ta.userField(email, "status") != "locked" {
		t.Fatal("not locked")
	}
	c := ta.anon()
	c.get("/login/reset")
	c.post("/login/reset", url.Values{"email": {email}}).mustStatus(t, http.StatusOK)
	link := linkIn(t, ta.lastMail(email), "/login/reset/")
	c.get(link).mustStatus(t, http.StatusOK).mustContain(t, "Choose a new password", `id="password"`)
	// The rules are told.
	c.post(link, url.Values{"password": {"short"}, "password_confirm": {"short"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "at least 12 characters")
	c.post(link, url.Values{"password": {"passwordpassword"}, "password_confirm": {"passwordpassword"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "common or breached passwords")
	c.post(link, url.Values{"password": {"staff-is-my-password"}, "password_confirm": {"staff-is-my-password"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "must not contain your e-mail")
	newPW := "lantern orbit 7 pebbles ☂"
	c.post(link, url.Values{"password": {newPW}, "password_confirm": {newPW + "x"}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "not the same")
	r := c.post(link, url.Values{"password": {newPW}, "password_confirm": {newPW}}).mustStatus(t, http.StatusSeeOther)
	if r.Header.Get("Location") != "/login" {
		t.Fatalf("after reset: %s", r.Header.Get("Location"))
	}
	if ta.userField(email, "status") != "active" || ta.userField(email, "failed_logins") != "0" {
		t.Fatal("reset did not unlock")
	}
	if ta.auditCount("password_reset", "") != 1 || ta.auditCount("unlock", "") != 1 {
		t.Error("reset and unlock not audited")
	}
	// Used once: the link is refused now.
	c.get(link).mustStatus(t, http.StatusGone).mustContain(t, "expired or was already used")
	c.get("/login/reset")
	c.post(link, url.Values{"password": {"another fine passphrase"}, "password_confirm": {"another fine passphrase"}}).mustStatus(t, http.StatusGone)
	// The old password no longer works; the new one leads to the second factor, not in.
	_, r = passwordStep(t, ta, email, demoPassword)
	r.mustStatus(t, http.StatusUnprocessableEntity)
	_, r = passwordStep(t, ta, email, newPW)
	if r.mustStatus(t, http.StatusSeeOther).Header.Get("Location") != "/login/mfa" {
		t.Fatalf("a reset password skipped the second factor: %s", r.Header.Get("Location"))
	}
}

func TestResetLinkExpiresAfter30Minutes(t *testing.T) {
	ta := newTestApp(t)
	move := ta.pinClock(testAnchor)
	c := ta.anon()
	c.get("/login/reset")
	c.post("/login/reset", url.Values{"email": {"manager@valley.example"}}).mustStatus(t, http.StatusOK)
	link := linkIn(t, ta.lastMail("manager@valley.example"), "/login/reset/")
	move(29 * time.Minute)
	c.get(link).mustStatus(t, http.StatusOK)
	move(2 * time.Minute)
	c.get(link).mustStatus(t, http.StatusGone)
	c.post(link, url.Values{"password": {"a perfectly good passphrase"}, "password_confirm": {"a perfectly good passphrase"}}).mustStatus(t, http.StatusGone)
	// A made-up token is refused the same way.
	c.get("/login/reset/not-a-real-token").mustStatus(t, http.StatusGone)
}

var hxHeaders = regexp.MustCompile(`data-hx-headers='[^']*'`)
