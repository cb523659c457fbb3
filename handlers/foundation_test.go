package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"regexp"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"portico/static"
	"portico/views"
)

// TestTemplatesParse parses every template file on its own, so a broken one is named.
func TestTemplatesParse(t *testing.T) {
	ta := newTestApp(t)
	funcs := ta.h.templateFuncs()
	n := 0
	err := fs.WalkDir(views.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := views.FS.ReadFile(p)
		if err != nil {
			return err
		}
		if _, err := template.New(p).Funcs(funcs).Parse(string(b)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Fatalf("only %d templates found", n)
	}
}

func TestHomePage(t *testing.T) {
	ta := newTestApp(t)
	r := ta.anon().get("/").mustStatus(t, http.StatusOK)
	r.mustContain(t, "DEMO — not for real patient data", "Sign in", "Register for a new account", "Provider library", "Plan notices",
		"Secure messaging moves to the Messaging center")
	if got := r.Header.Get("Content-Security-Policy"); !strings.Contains(got, "script-src 'self'") || strings.Contains(got, "unsafe-inline") ||
		!strings.Contains(got, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", got)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") == "" {
		t.Errorf("headers %v", r.Header)
	}
	if r.Header.Get("Set-Cookie") != "" {
		t.Errorf("the public home page started a session: %s", r.Header.Get("Set-Cookie"))
	}
	// No inline script or style anywhere on the page: the CSP would block it.
	for _, bad := range []string{"<script>", " style=", "<style", "onclick=", "onload="} {
		if strings.Contains(r.Body, bad) {
			t.Errorf("page has inline %q", bad)
		}
	}
}

func TestHomeNotDemo(t *testing.T) {
	ta := newTestApp(t, func(o *Options) { o.Demo = false })
	ta.anon().get("/").mustStatus(t, http.StatusOK).mustNotContain(t, "DEMO")
}

func TestHealthz(t *testing.T) {
	ta := newTestApp(t)
	ta.anon().get("/healthz").mustStatus(t, http.StatusOK).mustContain(t, "ok")
	ta.db.R.Close()
	ta.anon().get("/healthz").mustStatus(t, http.StatusServiceUnavailable)
}

func TestStaticAssetsHashedAndCached(t *testing.T) {
	ta := newTestApp(t)
	home := ta.anon().get("/").Body
	url := ta.h.assets.url("css/portico.css")
	if !strings.Contains(home, url) {
		t.Fatalf("home page does not link %s", url)
	}
	r := ta.anon().get(url).mustStatus(t, http.StatusOK)
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("Cache-Control %q", cc)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type %q", ct)
	}
	stale := ta.anon().get("/static/000000000000/css/portico.css").mustStatus(t, http.StatusOK)
	if strings.Contains(stale.Header.Get("Cache-Control"), "max-age=31536000") {
		t.Error("a stale hash got the long cache lifetime")
	}
	ta.anon().get("/static/"+ta.h.assets.hash["css/portico.css"]+"/../main.go").mustStatus(t, http.StatusNotFound)
	ta.anon().get(ta.h.assets.url("js/htmx-2.0.11.min.js")).mustStatus(t, http.StatusOK).mustContain(t, "htmx")
}

func TestErrorPages(t *testing.T) {
	ta := newTestApp(t)
	r := ta.anon().get("/no/such/page").mustStatus(t, http.StatusNotFound)
	r.mustContain(t, "Page not found", "Error 404").mustNotContain(t, "Cannot GET")
	// A state-changing request without a CSRF token is refused before any handler runs.
	ta.anon().post("/logout", nil).mustStatus(t, http.StatusForbidden).mustContain(t, "Your form expired")
	// Signed-in pages are never cached.
	ta.as("manager@sunrise.example").get("/no/such/page").mustStatus(t, http.StatusNotFound)
}

// TestPageWeight keeps a full page with its CSS and JavaScript under 60 KB compressed
// (SPEC §13), as a browser would fetch it with gzip.
func TestPageWeight(t *testing.T) {
	ta := newTestApp(t)
	fetch := func(path string) int {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := ta.app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		return len(b)
	}
	total := fetch("/")
	for _, a := range []string{"css/portico.css", "js/htmx-2.0.11.min.js", "js/app.js", "img/logo.svg"} {
		total += fetch(ta.h.assets.url(a))
	}
	t.Logf("home page with CSS and JS: %d bytes compressed", total)
	if total > 60*1024 {
		t.Errorf("home page weighs %d bytes compressed, over the 60 KB budget", total)
	}
}

// TestInternalErrorsNeverShown proves a failing handler or a panic gives the plain
// apology page with a reference, and none of the error's own text.
func TestInternalErrorsNeverShown(t *testing.T) {
	ta := newTestApp(t)
	app := fiber.New(fiber.Config{Views: ta.app.Config().Views, ErrorHandler: ta.h.errorHandler})
	app.Use(recover.New())
	app.Get("/fails", func(c *fiber.Ctx) error {
		return fmt.Errorf("query members for Maria Lopez 1985-03-14: %w", errors.New("disk I/O error at /var/lib/portico.db"))
	})
	app.Get("/panics", func(c *fiber.Ctx) error { panic("secret detail: key=abc123") })
	for _, path := range []string{"/fails", "/panics"} {
		res, err := app.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusInternalServerError {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
		page := string(body)
		for _, leak := range []string{"Maria", "1985", "disk I/O", "/var/lib", "secret detail", "abc123", "goroutine"} {
			if strings.Contains(page, leak) {
				t.Errorf("%s: the error page shows %q", path, leak)
			}
		}
		if !strings.Contains(page, "Something went wrong on our side") || !strings.Contains(page, "Reference") {
			t.Errorf("%s: not the apology page", path)
		}
	}
}

// TestLogsTellTheTruth proves the request log records the status the client got: a 403
// or 404 is logged as such (at debug level, not as an error), and a real 500 is logged
// with the reference its error page shows.
func TestLogsTellTheTruth(t *testing.T) {
	var buf bytes.Buffer
	ta := newTestApp(t, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	staff := ta.as("staff@sunrise.example")
	staff.get("/account/users").mustStatus(t, http.StatusForbidden)
	staff.get("/no/such/page").mustStatus(t, http.StatusNotFound)
	// A member record without a care relationship is a model's ErrForbidden or ErrNotFound.
	staff.get("/members/D300000001/benefits")
	log := buf.String()
	if strings.Contains(log, "status=500") || strings.Contains(log, "level=ERROR") || strings.Contains(log, "level=WARN") {
		t.Fatalf("a refused request was logged as a failure:\n%s", log)
	}
	if !strings.Contains(log, "status=403") || !strings.Contains(log, "status=404") {
		t.Fatalf("the statuses the client got are not in the log:\n%s", log)
	}
	if strings.Contains(log, "D300000001") {
		t.Fatal("a member ID reached the log")
	}
	// A real failure: the database is closed under the app.
	buf.Reset()
	ta.db.R.Close()
	ta.db.W.Close()
	r := staff.get("/claims")
	if r.Status != http.StatusInternalServerError {
		t.Fatalf("status %d with the database closed", r.Status)
	}
	ref := regexp.MustCompile(`[Rr]eference[^A-Za-z0-9]*(?:<[^>]+>)*\s*([A-Za-z0-9_-]{6,})`).FindStringSubmatch(r.Body)
	log = buf.String()
	if ref == nil || !strings.Contains(log, "ref="+ref[1]) || !strings.Contains(log, "status=500") {
		t.Fatalf("the 500 is not logged with its reference %v:\n%s", ref, log)
	}
}

// TestStylesheetBracesBalance guards the one stylesheet that every area appends to: an
// unclosed block would silently move every later rule into it (say, into @media print).
func TestStylesheetBracesBalance(t *testing.T) {
	b, err := fs.ReadFile(static.FS, "css/portico.css")
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for i, line := range strings.Split(string(b), "\n") {
		depth += strings.Count(line, "{") - strings.Count(line, "}")
		if depth < 0 {
			t.Fatalf("line %d closes a block that was never opened", i+1)
		}
	}
	if depth != 0 {
		t.Fatalf("%d block(s) left open at the end of portico.css", depth)
	}
}
