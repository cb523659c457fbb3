package handlers

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"portico/db"
	"portico/db/demo"
	"portico/models"
)

// testAnchor is "today" for the handler tests: the fixture is filled at it and every test
// app's clock starts at it, so that no test depends on the calendar.
var testAnchor = time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)

// templateDB is a migrated database with a small demo data set, filled once per test
// binary; each test works on its own copy.
var templateDB string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "portico-handlers")
	if err != nil {
		panic(err)
	}
	templateDB = filepath.Join(dir, "template.db")
	if err := fillFixture(templateDB, testAnchor, 800); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fillFixture makes a migrated database at path with the demo data set filled at anchor
// (its key file beside it).
func fillFixture(path string, anchor time.Time, members int) error {
	ctx := context.Background()
	d, err := db.Open(path)
	if err != nil {
		return err
	}
	defer d.Close()
	d.Clock = db.ClockFrom(anchor)
	if err := d.Migrate(ctx); err != nil {
		return err
	}
	keys, err := models.OpenKeyring(ctx, filepath.Join(filepath.Dir(path), "portico.key"), d)
	if err != nil {
		return err
	}
	_, err = demo.Run(ctx, d, demo.Options{Members: members, Keyring: keys, Anchor: anchor})
	return err
}

// testApp is a running app on a private copy of the demo database.
type testApp struct {
	t       testing.TB
	app     *fiber.App
	h       *Handler
	db      *db.DB
	dir     string
	keyPath string
}

// newTestApp opens a fresh copy of the demo database and builds the app in demo mode.
// opt, if given, adjusts the options before the app is built.
func newTestApp(t testing.TB, opt ...func(*Options)) *testApp {
	t.Helper()
	return newTestAppFrom(t, templateDB, testAnchor, opt...)
}

// newTestAppFrom is newTestApp on a copy of another fixture, with the clock at anchor.
func newTestAppFrom(t testing.TB, fixture string, anchor time.Time, opt ...func(*Options)) *testApp {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "portico.db")
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	keySrc := filepath.Join(filepath.Dir(fixture), "portico.key")
	keyPath := filepath.Join(dir, "portico.key")
	if kb, err := os.ReadFile(keySrc); err == nil {
		if err := os.WriteFile(keyPath, kb, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	d, err := db.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	d.Clock = db.ClockFrom(anchor)
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	keys, err := models.OpenKeyring(context.Background(), keyPath, d)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{DB: d, Keyring: keys, Demo: true, BaseURL: "http://portico.test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, f := range opt {
		f(&o)
	}
	app, h, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return &testApp{t: t, app: app, h: h, db: d, dir: dir, keyPath: keyPath}
}

// client is a browser: it keeps cookies and the page's CSRF token.
type client struct {
	ta      *testApp
	cookies map[string]*http.Cookie
	csrf    string
	htmx    bool
}

// anon is a visitor who is not signed in.
func (ta *testApp) anon() *client { return &client{ta: ta, cookies: map[string]*http.Cookie{}} }

// as returns a client signed in as email, with a full session made directly in the
// store (the sign-in flow itself has its own tests).
func (ta *testApp) as(email string) *client {
	ta.t.Helper()
	ctx := context.Background()
	u, err := models.Users{DB: ta.db}.ByEmail(ctx, email)
	if err != nil {
		ta.t.Fatalf("as %s: %v", email, err)
	}
	token, sess, err := ta.h.sessions().Create(ctx, u.ID, models.StageFull)
	if err != nil {
		ta.t.Fatal(err)
	}
	c := ta.anon()
	c.cookies[ta.h.cookieName()] = &http.Cookie{Name: ta.h.cookieName(), Value: token}
	c.csrf = sess.CSRF
	// Office users start with their first TIN and the Commercial plan type, as after Go.
	if !u.IsPlanStaff() {
		tins, err := models.Accounts{DB: ta.db}.TINs(ctx, u.AccountID)
		if err == nil && len(tins) > 0 {
			_ = ta.h.sessions().SetContext(ctx, sess, tins[0].ID, models.PlanCommercial)
		}
	}
	return c
}

// response is what came back.
type response struct {
	Status int
	Body   string
	Header http.Header
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) *response {
	c.ta.t.Helper()
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	if c.htmx {
		req.Header.Set("HX-Request", "true")
	}
	res, err := c.ta.app.Test(req, -1)
	if err != nil {
		c.ta.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	r := &response{Status: res.StatusCode, Body: string(body), Header: res.Header}
	if m := csrfField.FindStringSubmatch(r.Body); m != nil {
		c.csrf = m[1]
	}
	return r
}

// get fetches path.
func (c *client) get(path string) *response {
	c.ta.t.Helper()
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post submits a form, adding the CSRF token the client holds unless the form has one.
func (c *client) post(path string, form url.Values) *response {
	c.ta.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok && c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// postUnreadable posts a body that is not a form (with the CSRF token in its header), as
// a broken client or an attacker might: the form pipeline must refuse it on the page.
func (c *client) postUnreadable(path, body string) *response {
	c.ta.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("X-CSRF-Token", c.csrf)
	return c.do(req)
}

// mustStatus fails the test unless r has status want.
func (r *response) mustStatus(t testing.TB, want int) *response {
	t.Helper()
	if r.Status != want {
		body := r.Body
		if len(body) > 2000 {
			body = body[:2000]
		}
		t.Fatalf("status %d, want %d; body:\n%s", r.Status, want, body)
	}
	return r
}

// mustContain fails the test unless the body holds every string.
func (r *response) mustContain(t testing.TB, want ...string) *response {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.Body, w) {
			t.Errorf("body lacks %q", w)
		}
	}
	return r
}

// mustNotContain fails the test if the body holds any of the strings.
func (r *response) mustNotContain(t testing.TB, bad ...string) *response {
	t.Helper()
	for _, b := range bad {
		if strings.Contains(r.Body, b) {
			t.Errorf("body holds %q", b)
		}
	}
	return r
}

// auditCount counts audit entries with action (and member ID, if given).
func (ta *testApp) auditCount(action, memberID string) int {
	ta.t.Helper()
	var n int
	q := "SELECT COUNT(*) FROM audit_log WHERE action = ?"
	args := []any{action}
	if memberID != "" {
		q += " AND member_id = ?"
		args = append(args, memberID)
	}
	if err := ta.db.R.QueryRow(q, args...).Scan(&n); err != nil {
		ta.t.Fatal(err)
	}
	return n
}

// scenario is one row of a table-driven handler test.
type scenario struct {
	name            string
	as              string // e-mail; "" for a visitor
	method          string // GET by default
	url             string
	form            url.Values
	hx              bool
	wantStatus      int
	wantContains    []string
	wantNotContains []string
}

// runScenarios runs each scenario on one app.
func runScenarios(t *testing.T, ta *testApp, cases []scenario) {
	t.Helper()
	clients := map[string]*client{}
	for _, sc := range cases {
		t.Run(sc.name, func(t *testing.T) {
			c, ok := clients[sc.as]
			if !ok {
				if sc.as == "" {
					c = ta.anon()
				} else {
					c = ta.as(sc.as)
				}
				clients[sc.as] = c
			}
			c.htmx = sc.hx
			var r *response
			if sc.method == "" || sc.method == http.MethodGet {
				r = c.get(sc.url)
			} else {
				r = c.post(sc.url, sc.form)
			}
			c.htmx = false
			if r.Status != sc.wantStatus {
				t.Fatalf("%s %s as %q: status %d, want %d", sc.method, sc.url, sc.as, r.Status, sc.wantStatus)
			}
			r.mustContain(t, sc.wantContains...)
			r.mustNotContain(t, sc.wantNotContains...)
		})
	}
}

var _ = fmt.Sprint
