package handlers

import (
	"bytes"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"portico/views"
)

// templateForm is a POST form found in the templates: its action as a pattern, its
// free-text fields, and whether it posts multipart.
type templateForm struct {
	action    *regexp.Regexp
	fields    []string
	multipart bool
}

var (
	formRe   = regexp.MustCompile(`(?s)<form\b([^>]*)>(.*?)</form>`)
	actionRe = regexp.MustCompile(`action="([^"]*)"`)
	inputRe  = regexp.MustCompile(`<(input|textarea)\b([^>]*)>`)
	typeRe   = regexp.MustCompile(`type="([^"]*)"`)
	nameRe   = regexp.MustCompile(`name="([^"{}]+)"`)
	exprRe   = regexp.MustCompile(`\{\{[^}]*\}\}`)
)

// templateForms reads every POST form of the embedded templates.
func templateForms(t *testing.T) []templateForm {
	t.Helper()
	var out []templateForm
	err := fs.WalkDir(views.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(views.FS, path)
		if err != nil {
			return err
		}
		for _, m := range formRe.FindAllStringSubmatch(string(b), -1) {
			attrs, body := m[1], m[2]
			act := actionRe.FindStringSubmatch(attrs)
			if !strings.Contains(strings.ToLower(attrs), `method="post"`) || act == nil {
				continue
			}
			// A {{...}} in the action stands for a path segment; a query string is dropped.
			f := templateForm{multipart: strings.Contains(attrs, "multipart")}
			pieces := exprRe.Split(strings.SplitN(act[1], "?", 2)[0], -1)
			for i := range pieces {
				pieces[i] = regexp.QuoteMeta(pieces[i])
			}
			f.action = regexp.MustCompile("^" + strings.Join(pieces, `[^/]+`) + "/?$")
			for _, in := range inputRe.FindAllStringSubmatch(body, -1) {
				typ := "text"
				if in[1] == "textarea" {
					typ = "textarea"
				} else if tm := typeRe.FindStringSubmatch(in[2]); tm != nil {
					typ = tm[1]
				}
				name := nameRe.FindStringSubmatch(in[2])
				switch typ {
				case "hidden", "checkbox", "radio", "submit", "file", "button":
					continue
				}
				if name != nil && name[1] != "_csrf" {
					f.fields = append(f.fields, name[1])
				}
			}
			out = append(out, f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// concretePath fills a route pattern's parameters: numbers for :x<int>, a word otherwise.
func concretePath(route string) string {
	parts := strings.Split(route, "/")
	for i, p := range parts {
		switch {
		case strings.HasPrefix(p, ":") && strings.Contains(p, "<int>"):
			parts[i] = "1"
		case strings.HasPrefix(p, ":"):
			parts[i] = "A100000001"
		}
	}
	return strings.Join(parts, "/")
}

// postField posts one field (and the session's token) to path.
func (c *client) postField(path string, multi bool, field, value string) *response {
	c.ta.t.Helper()
	if !multi {
		return c.post(path, url.Values{field: {value}})
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.csrf)
	_ = w.WriteField(field, value)
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// Finding 4: 100 KB (or one more than the field's ceiling, where that is higher) in
// every free-text field of every form gives 422 with a message naming the field, never
// a 500. The table is every POST route of the app, with the free-text fields of the
// forms in the templates that post to it, plus probe fields for routes that htmx or a
// partial posts to; it grows with the app by itself.
func TestEveryFreeTextFieldHasALengthLimit(t *testing.T) {
	ta := newTestApp(t)
	forms := templateForms(t)
	c := ta.as("admin@plan.example") // the ceiling applies before any permission check
	c.get("/dashboard")
	routes, pairs := 0, 0
	seen := map[string]bool{}
	for _, r := range ta.app.GetRoutes(true) {
		if r.Method != http.MethodPost || seen[r.Path] {
			continue
		}
		seen[r.Path] = true
		routes++
		path := concretePath(r.Path)
		fields := map[string]bool{"q": true, "name": true, "note": true}
		multi := false
		for _, f := range forms {
			if f.action.MatchString(path) {
				multi = multi || f.multipart
				for _, name := range f.fields {
					fields[name] = true
					pairs++
				}
			}
		}
		for field := range fields {
			n := 100 << 10
			if l := fieldLimit(path, field); l >= n {
				n = l + 1
			}
			res := c.postField(path, multi, field, strings.Repeat("é", n))
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "is too long") {
				t.Errorf("POST %s with %d characters in %q: status %d", path, n, field, res.Status)
			}
		}
	}
	t.Logf("%d POST routes, %d fields from %d template forms", routes, pairs, len(forms))
	if routes < 60 || pairs < 80 {
		t.Fatalf("only %d POST routes and %d form fields found", routes, pairs)
	}
}

// The fields' own limits answer next to the field and keep what was typed.
func TestFieldLimitsShowNextToTheField(t *testing.T) {
	ta := newTestApp(t)
	a := ta.as("admin@plan.example")
	a.get("/admin")
	q := strings.Repeat("ñ", 201)
	a.post("/admin/search", url.Values{"q": {q}}).mustStatus(t, http.StatusUnprocessableEntity).
		mustContain(t, "Use at most 200 characters", q)
	m := ta.as("manager@sunrise.example")
	m.get("/account")
	m.post("/account", url.Values{"contact_name": {"Jane Doe"}, "phone": {"(916) 555-0100"}, "address": {strings.Repeat("a", 301)}}).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "at most 300 characters")
	m.get("/messages/new")
	m.post("/messages", url.Values{"to": {"dept:claims"}, "subject": {"Question"}, "body": {strings.Repeat("b", 20001)}}).
		mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "Keep the message to 20000 characters")
}
