package handlers

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// formCase is one form of the portal: who posts it, where, and its free-text fields.
type formCase struct {
	as        string // "" for a visitor (the page's token comes from a GET of tokenPage)
	tokenPage string
	route     string // the route pattern, as registered
	path      string // a concrete path for it
	fields    []string
	multipart bool
}

// allForms lists every POST route with its free-text fields. A route without free
// text is listed with no fields (its inputs are IDs in the path, choices or buttons).
var allForms = []formCase{
	{"", "/login", "/login", "/login", []string{"email", "password"}, false},
	{"", "/login", "/login/reset", "/login/reset", []string{"email"}, false},
	{"", "/login", "/login/reset/:token", "/login/reset/tok", []string{"password", "password_confirm"}, false},
	{"", "/login", "/login/mfa", "/login/mfa", []string{"code"}, false},
	{"", "/login", "/login/enrol", "/login/enrol", []string{"code"}, false},
	{"", "/login", "/register", "/register", []string{"provider_name", "npi", "tin", "contact_name", "phone", "email", "password", "password_confirm"}, false},
	{"", "/login", "/register/verify/:token", "/register/verify/tok", []string{"password", "password_confirm"}, false},
	{"", "/login", "/invite/:token", "/invite/tok", []string{"name", "password", "password_confirm"}, false},
	{"", "/login", "/setup/:token", "/setup/tok", []string{"name", "email", "password", "password_confirm"}, false},
	{"", "/login", "/envelope/:token/password", "/envelope/tok/password", []string{"password", "confirm"}, false},
	{"", "/login", "/envelope/:token/login", "/envelope/tok/login", []string{"username", "password"}, false},
	{"", "/login", "/envelope/:token/forgot", "/envelope/tok/forgot", []string{"username"}, false},
	{"", "/login", "/envelope/:token/reply", "/envelope/tok/reply", []string{"body"}, true},
	{"", "/login", "/envelope/:token/logout", "/envelope/tok/logout", nil, false},
	{"", "/login", "/logout", "/logout", nil, false},
	{"manager@sunrise.example", "/dashboard", "/logout/everywhere", "/logout/everywhere", nil, false},
	{"manager@sunrise.example", "/dashboard", "/session/keep-alive", "/session/keep-alive", nil, false},
	{"manager@sunrise.example", "/dashboard", "/security/password", "/security/password", []string{"current_password", "password", "password_confirm"}, false},
	{"manager@sunrise.example", "/dashboard", "/security/recovery-codes", "/security/recovery-codes", []string{"code"}, false},
	{"manager@sunrise.example", "/dashboard", "/dashboard/context", "/dashboard/context", []string{"tin", "plan_type", "back"}, false},
	{"manager@sunrise.example", "/dashboard", "/dashboard/paperless", "/dashboard/paperless", []string{"routing", "account"}, false},
	{"manager@sunrise.example", "/dashboard", "/eligibility/quick", "/eligibility/quick", []string{"q", "first_name", "dob"}, false},
	{"manager@sunrise.example", "/dashboard", "/eligibility", "/eligibility", []string{"q", "first_name", "dob"}, false},
	{"manager@sunrise.example", "/dashboard", "/eligibility/clear", "/eligibility/clear", nil, false},
	{"manager@sunrise.example", "/dashboard", "/eligibility/roster", "/eligibility/roster", nil, true},
	{"manager@sunrise.example", "/dashboard", "/patients", "/patients", []string{"q"}, false},
	{"manager@sunrise.example", "/dashboard", "/claims", "/claims", []string{"status", "from", "to", "claim_no", "member_id"}, false},
	{"manager@sunrise.example", "/dashboard", "/claims/csv", "/claims/csv", []string{"status", "from", "to", "claim_no", "member_id"}, false},
	{"manager@sunrise.example", "/dashboard", "/messages/", "/messages", []string{"to_email", "to", "member_id", "subject", "body"}, true},
	{"manager@sunrise.example", "/dashboard", "/messages/:id<int>/reply", "/messages/1/reply", []string{"body"}, true},
	{"manager@sunrise.example", "/dashboard", "/messages/:id<int>/archive", "/messages/1/archive", nil, false},
	{"rep@plan.example", "/dashboard", "/messages/envelopes", "/messages/envelopes", []string{"email", "subject", "body"}, true},
	{"rep@plan.example", "/dashboard", "/messages/:id<int>/assign", "/messages/1/assign", []string{"assignee"}, false},
	{"rep@plan.example", "/dashboard", "/messages/:id<int>/resolve", "/messages/1/resolve", nil, false},
	{"rep@plan.example", "/dashboard", "/messages/:id<int>/envelope/unlock", "/messages/1/envelope/unlock", nil, false},
	{"rep@plan.example", "/dashboard", "/messages/:id<int>/envelope/reissue", "/messages/1/envelope/reissue", nil, false},
	{"manager@sunrise.example", "/dashboard", "/account/", "/account", []string{"contact_name", "phone", "address"}, false},
	{"manager@sunrise.example", "/dashboard", "/account/tins", "/account/tins", []string{"tin", "tin_name"}, false},
	{"manager@sunrise.example", "/dashboard", "/account/tins/:id/verify", "/account/tins/1/verify", []string{"check_no", "amount"}, false},
	{"manager@sunrise.example", "/dashboard", "/account/users", "/account/users", []string{"name", "email"}, false},
	{"manager@sunrise.example", "/dashboard", "/account/users/:id/permissions", "/account/users/1/permissions", nil, false},
	{"manager@sunrise.example", "/dashboard", "/account/users/:id/handover", "/account/users/1/handover", nil, false},
	{"manager@sunrise.example", "/dashboard", "/account/users/:id/:action", "/account/users/1/disable", nil, false},
	{"admin@plan.example", "/dashboard", "/admin/search", "/admin/search", []string{"q"}, false},
	{"admin@plan.example", "/dashboard", "/admin/users/:id/roles", "/admin/users/1/roles", nil, false},
	{"admin@plan.example", "/dashboard", "/admin/users/:id/:action", "/admin/users/1/unlock", nil, false},
	{"admin@plan.example", "/dashboard", "/admin/tins/:id/:action", "/admin/tins/1/approve", nil, false},
	{"admin@plan.example", "/dashboard", "/admin/staff", "/admin/staff", []string{"name", "email"}, false},
	{"admin@plan.example", "/dashboard", "/admin/demo/clock", "/admin/demo/clock", []string{"days"}, false},
	{"admin@plan.example", "/dashboard", "/admin/demo/reset", "/admin/demo/reset", []string{"confirm"}, false},
	{"privacy@plan.example", "/dashboard", "/audit/", "/audit", []string{"email", "member_id", "action", "from", "to"}, false},
	{"privacy@plan.example", "/dashboard", "/audit/export", "/audit/export", []string{"email", "member_id", "action", "from", "to"}, false},
	{"editor@plan.example", "/dashboard", "/library/edit/new", "/library/edit/new", []string{"section", "title", "summary", "body", "lob", "code", "published_on"}, false},
	{"editor@plan.example", "/dashboard", "/library/edit/preview", "/library/edit/preview", []string{"title", "summary", "body"}, false},
	{"editor@plan.example", "/dashboard", "/library/edit/:id<int>", "/library/edit/1", []string{"section", "title", "summary", "body", "lob", "code", "published_on"}, false},
	{"editor@plan.example", "/dashboard", "/library/edit/:id<int>/publish", "/library/edit/1/publish", nil, false},
	{"editor@plan.example", "/dashboard", "/library/edit/:id<int>/unpublish", "/library/edit/1/unpublish", nil, false},
	{"editor@plan.example", "/dashboard", "/library/edit/:id<int>/documents", "/library/edit/1/documents", []string{"text"}, true},
	{"editor@plan.example", "/dashboard", "/library/edit/:id<int>/documents/:doc<int>/delete", "/library/edit/1/documents/1/delete", nil, false},
	{"editor@plan.example", "/dashboard", "/library/edit/:id<int>/revisions/:rev<int>/restore", "/library/edit/1/revisions/1/restore", nil, false},
}

// postField posts one oversized field (and the token) to a form.
func (c *client) postField(fc formCase, field, value string) *response {
	c.ta.t.Helper()
	if !fc.multipart {
		return c.post(fc.path, url.Values{field: {value}})
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.csrf)
	_ = w.WriteField(field, value)
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, fc.path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// Finding 4: 100 KB (or one more than the field's ceiling, where that is higher) in
// every free-text field of every form gives 422 with a message naming the field, never
// a 500; and every POST route of the app is in the table.
func TestEveryFreeTextFieldHasALengthLimit(t *testing.T) {
	ta := newTestApp(t)
	listed := map[string]bool{}
	for _, fc := range allForms {
		listed[fc.route] = true
	}
	posts := 0
	for _, r := range ta.app.GetRoutes(true) {
		if r.Method != http.MethodPost {
			continue
		}
		posts++
		if !listed[r.Path] {
			t.Errorf("POST %s is not in allForms: add it with its free-text fields", r.Path)
		}
	}
	if posts < 50 {
		t.Fatalf("only %d POST routes found", posts)
	}
	for _, fc := range allForms {
		for _, field := range fc.fields {
			n := 100 << 10
			if l := fieldLimit(field); l >= n {
				n = l + 1
			}
			c := ta.anon()
			if fc.as != "" {
				c = ta.as(fc.as)
			}
			c.get(fc.tokenPage)
			r := c.postField(fc, field, strings.Repeat("é", n))
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "is too long") {
				t.Errorf("POST %s with %d characters in %q: status %d", fc.path, n, field, r.Status)
			}
		}
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
