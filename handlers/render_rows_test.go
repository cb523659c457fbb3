package handlers

import (
	"html/template"
	"strings"
	"testing"

	"portico/models"
)

// hostile is text a member's name, a TIN's status or an audit actor could hold: every
// writer in Go must escape it exactly as html/template did.
const hostile = `O'Brien <script>alert("x")</script> & co`

// sameAsTemplate executes tmpl (the markup the Go writer replaced) on data and fails
// unless got is byte for byte what the template wrote.
func sameAsTemplate(t *testing.T, h *Handler, tmpl string, data any, got template.HTML) {
	t.Helper()
	tt := template.Must(template.New("x").Funcs(h.templateFuncs()).Parse(tmpl))
	var want strings.Builder
	if err := tt.Execute(&want, data); err != nil {
		t.Fatal(err)
	}
	if string(got) != want.String() {
		t.Errorf("written in Go:\n%s\nthe template wrote:\n%s", got, want.String())
	}
	if strings.Contains(string(got), "<script>") {
		t.Errorf("unescaped markup in %s", got)
	}
}

// TestGoWrittenMarkupMatchesTemplates: the navigation, the context bar's options and the
// dashboard's rows, written in Go for speed, are what the templates they replaced wrote,
// hostile text included.
func TestGoWrittenMarkupMatchesTemplates(t *testing.T) {
	ta := newTestApp(t)
	h := ta.h

	nav := []NavItem{{Label: "Dashboard", Href: "/dashboard", Current: true},
		{Label: "Messaging", Href: "/messages", Badge: 3, BadgeURL: "/messages/unread"},
		{Label: hostile, Href: "/x?a=1&b=" + hostile}}
	got := navHTML(nav)
	sameAsTemplate(t, h, `{{range .}}<li><a href="{{.Href}}"{{if .Current}} aria-current="page"{{end}}>{{.Label}}{{if .BadgeURL}}<span class="badge" id="unread-badge" data-hx-get="{{.BadgeURL}}" data-hx-trigger="every 30s" data-hx-swap="outerHTML" data-hx-headers='{"X-Portico-Poll":"1"}'>{{if .Badge}}{{.Badge}}<span class="visually-hidden"> unread</span>{{end}}</span>{{end}}</a></li>{{end}}`, nav[:2], navHTML(nav[:2]).Wide)
	sameAsTemplate(t, h, `{{range .}}{{if .Current}}<span class="nav-menu-current"> · {{.Label}}</span>{{end}}{{end}}`, nav, got.MenuCurrent)
	sameAsTemplate(t, h, `{{range .}}<li><a href="{{.Href}}"{{if .Current}} aria-current="page"{{end}}>{{.Label}}{{if .Badge}} <span class="badge">{{.Badge}}<span class="visually-hidden"> unread</span></span>{{end}}</a></li>{{end}}`, nav[:2], navHTML(nav[:2]).Menu)
	if strings.Contains(string(got.Wide), "<script>") || strings.Contains(string(got.Menu), "<script>") {
		t.Errorf("unescaped markup in the navigation: %s", got.Wide)
	}

	bar := newContextBar([]models.TIN{{ID: 7, TIN: "951234567", Status: "verified"}, {ID: 9, TIN: "957654321", Status: hostile}}, 9, models.PlanMedicare)
	sameAsTemplate(t, h, `{{range .TINs}}<option value="{{.ID}}"{{if eq .ID $.TINID}} selected{{end}}>{{.Display}}{{if ne .Status "verified"}} ({{.Status}}){{end}}</option>{{end}}`, bar, bar.TINOptions)
	sameAsTemplate(t, h, `{{range .PlanTypes}}<option value="{{.Value}}"{{if eq .Value $.PlanType}} selected{{end}}>{{.Label}}</option>{{end}}`, bar, bar.PlanOptions)

	claims := []models.ClaimSummary{{ClaimNo: "C2611270001", MemberName: hostile, Status: "paid", ReceivedDate: "2026-11-02"},
		{ClaimNo: "C2611270002", MemberName: "Ana Lopez", Status: "pending_info", ReceivedDate: "2026-10-30"}}
	sameAsTemplate(t, h, `{{range .}}
            <tr>
              <td><span class="status {{.StatusClass}}">{{.StatusLabel}}</span></td>
              <td>{{date .ReceivedDate}}</td>
              <td>{{.MemberName}}</td>
              <td><a href="/claims/{{.ClaimNo}}">{{.ClaimNo}}</a></td>
            </tr>
          {{end}}`, claims, h.claimRows(claims))

	acts := []Activity{{At: "2026-11-27T17:05:00Z", Text: "Checked eligibility", Actor: hostile}, {At: "2026-11-26T08:00:00Z", Text: hostile, Actor: "manager@sunrise.example"}}
	sameAsTemplate(t, h, `{{range .}}<tr><td>{{datetime .At}}</td><td>{{.Text}}</td><td>{{.Actor}}</td></tr>{{end}}`, acts, h.activityRows(acts))
}
