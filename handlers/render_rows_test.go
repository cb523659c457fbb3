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

	claims := []models.ClaimSummary{{ClaimNo: hostileCell, MemberName: hostileCell, Status: hostileCell, ReceivedDate: hostileCell},
		{ClaimNo: "C2611270001", MemberName: hostile, Status: "paid", ReceivedDate: "2026-11-02"},
		{ClaimNo: "C2611270002", MemberName: "Ana Lopez", Status: "pending_info", ReceivedDate: "2026-10-30"}}
	sameAsTemplate(t, h, `{{range .}}
            <tr>
              <td><span class="status {{.StatusClass}}">{{.StatusLabel}}</span></td>
              <td>{{date .ReceivedDate}}</td>
              <td>{{.MemberName}}</td>
              <td><a href="/claims/{{.ClaimNo}}">{{.ClaimNo}}</a></td>
            </tr>
          {{end}}`, claims, h.claimRows(claims))

	acts := []Activity{{At: "2026-11-27T17:05:00Z", Text: "Checked eligibility", Actor: hostile}, {At: "2026-11-26T08:00:00Z", Text: hostile, Actor: "manager@sunrise.example"},
		{At: hostileCell, Text: hostileCell, Actor: hostileCell}}
	sameAsTemplate(t, h, `{{range .}}<tr><td>{{datetime .At}}</td><td>{{.Text}}</td><td>{{.Actor}}</td></tr>{{end}}`, acts, h.activityRows(acts))
}

// eligResultTemplate is the markup of partials/members/elig_result that eligResult replaced.
const eligResultTemplate = `{{$m := .M.Member}}
<article class="elig-result" aria-label="Eligibility result" data-swap-focus>
  <div class="row">
    <h3 class="mb-0"><a href="/members/{{$m.MemberID}}">{{$m.FirstName}} {{$m.LastName}}{{if $m.Suffix}} {{$m.Suffix}}{{end}}</a></h3>
    <span class="status {{.M.StatusClass}}">{{.M.StatusLabel}}</span>
  </div>
  <dl class="summary-list">
    <dt>Member ID</dt><dd>{{$m.MemberID}}</dd>
    <dt>Date of birth</dt><dd>{{date $m.DOB}}</dd>
    <dt>Plan</dt><dd>{{$m.PlanName}} · {{planType $m.PlanType}}</dd>
    <dt>Effective</dt><dd>{{date $m.EffectiveDate}}</dd>
    <dt>End date</dt><dd>{{if $m.EndDate}}{{date $m.EndDate}}{{else}}None{{end}}</dd>
    <dt>PCP</dt><dd>{{if $m.PCPName}}{{$m.PCPName}}{{with .M.PCPGroup}} ({{.}}){{end}}{{else}}None assigned{{end}}</dd>
    <dt>PPG</dt><dd>{{if .M.PPGName}}{{.M.PPGName}}{{else}}None{{end}}</dd>
    <dt>Copays</dt><dd>{{.M.CopayLine}}</dd>
  </dl>
  <p class="row no-print mb-0">
    <a href="/members/{{$m.MemberID}}">Member record</a>
    <a href="/members/{{$m.MemberID}}/cost-sharing">Cost sharing</a>
    <a href="/members/{{$m.MemberID}}/card">ID card</a>
    <a href="/members/{{$m.MemberID}}/print">Print view</a>
  </p>
</article>
`

// TestEligResultMatchesTemplate: the result card of a check, written in Go, is what the
// partial wrote, for a member with every field set (hostile text included) and for one
// without end date, PCP or PPG.
func TestEligResultMatchesTemplate(t *testing.T) {
	ta := newTestApp(t)
	full := &models.Eligibility{Member: models.Member{MemberID: hostileCell, FirstName: hostileCell, LastName: hostileCell, Suffix: hostileCell,
		DOB: hostileCell, PlanName: hostileCell, PlanType: models.PlanCommercial, EffectiveDate: hostileCell, EndDate: hostileCell, PCPName: hostileCell},
		PCPGroup: hostileCell, PPGName: hostileCell, Status: models.StatusActive, CopayPCP: 2500, CopayER: 15000}
	bare := &models.Eligibility{Member: models.Member{MemberID: "B200000002", FirstName: "Ana", LastName: "Ruiz", DOB: "1990-02-28",
		PlanName: "Medicare Advantage", PlanType: models.PlanMedicare, EffectiveDate: "2027-01-01"}, Status: models.StatusFuture}
	for _, e := range []*models.Eligibility{full, bare} {
		sameAsTemplate(t, ta.h, eligResultTemplate, map[string]any{"M": e}, ta.h.eligResult(e))
	}
}
