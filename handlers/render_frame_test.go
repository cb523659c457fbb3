package handlers

import (
	"html/template"
	"strings"
	"testing"

	"portico/models"
)

// headTemplate, footTemplate and idleTemplate are partials/head, partials/foot and
// partials/idle (deleted since) as they were before pageHead and pageFoot wrote them in Go,
// with the asset links as the head wrote them before they were built once.
const headTemplate = `{{/* partials/head: the document head, banner, header, navigation, context bar and flash. Closed by partials/foot. */}}{{$p := .P}}{{/* the frame once: .P of a page struct is found through its embedded View, a slow reflective search, at every use */}}
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},{"code":"[45]..","swap":false,"error":true}]}'>
<title>{{if $p.Title}}{{$p.Title}} · {{end}}Portico · {{$p.PlanName}}</title>
<link rel="icon" href="{{asset "img/logo.svg"}}" type="image/svg+xml">
<link rel="stylesheet" href="{{asset "css/portico.css"}}">
<script src="{{asset "js/htmx-2.0.11.min.js"}}" defer></script>
<script src="{{asset "js/app.js"}}" defer></script>
</head>
<body{{if $p.CSRF}} data-hx-headers='{"X-CSRF-Token":"{{$p.CSRF}}"}'{{end}}>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="site-header">
  {{if $p.Demo}}<p class="demo-banner">DEMO — not for real patient data</p>{{end}}
  <div class="wrap bar">
    <a class="brand" href="{{if $p.User}}/dashboard{{else}}/{{end}}"><img src="{{asset "img/logo.svg"}}" alt="" width="28" height="28"> Portico <small>· {{$p.PlanName}}</small></a>
    {{if $p.User}}
    <div class="who">
      {{if $p.User.AccountName}}<span>{{$p.User.AccountName}}</span>{{else}}<span>{{$p.PlanName}} staff</span>{{end}}
      <a href="/security" title="Password, recovery codes and sign-in security">{{$p.User.Name}}</a>
      <form method="post" action="/logout"><input type="hidden" name="_csrf" value="{{$p.CSRF}}"><button class="link-button" type="submit">Sign out</button></form>
    </div>
    {{else if or (eq $p.Path "/login/mfa") (eq $p.Path "/login/enrol")}}
    <div class="who"><span>Signing in</span><a href="/login">Start again</a></div>
    {{else}}
    <div class="who"><a href="/login">Sign in</a><a href="/register">Register</a></div>
    {{end}}
  </div>
  {{if $p.Nav}}
  <nav class="topnav" aria-label="Main">
    <ul class="wrap nav-wide">
    {{/* The items are written in Go (handlers.navHTML): one value here instead of a reflective call per field. */}}{{$p.NavHTML.Wide}}
    </ul>
    {{/* On a phone the same links sit behind a menu button: a <details>, so it opens without JavaScript. */}}
    <details class="nav-menu wrap">
      <summary>Menu{{$p.NavHTML.MenuCurrent}}</summary>
      <ul>
      {{$p.NavHTML.Menu}}
      </ul>
    </details>
  </nav>
  {{end}}
{{with $p.Context}}
<div class="context-bar">
  <form class="wrap" method="post" action="/dashboard/context">
    <input type="hidden" name="_csrf" value="{{$p.CSRF}}">
    <input type="hidden" name="back" value="{{$p.Back}}">
    <span>Viewing{{if eq $p.Path "/dashboard"}} dashboard{{end}} for:</span>
    <label for="ctx-tin">TIN</label>
    <select id="ctx-tin" name="tin_id">
      {{.TINOptions}}
    </select>
    <label for="ctx-plan">Plan type</label>
    <select id="ctx-plan" name="plan_type">
      {{.PlanOptions}}
    </select>
    <button type="submit" class="button-secondary">Go</button>
  </form>
</div>
{{end}}
</header>
<main id="main" tabindex="-1">
<div class="wrap">
{{with .Emergency}}<div class="alert alert-error emergency-banner" role="alert"><p><strong>Emergency access.</strong> You opened this member's record outside your normal scope, until {{datetime .ExpiresAt}}. Every page you open is recorded and reviewed by the privacy officer.</p></div>{{end}}
<div id="flash" aria-live="polite">{{with $p.Flash}}<div class="alert alert-{{.Kind}}" role="status"><p>{{.Text}}</p></div>{{end}}</div>
`

const footTemplate = `{{/* partials/foot: closes what partials/head opened. */}}{{$p := .P}}{{/* .P once, as in partials/head */}}
</div>
</main>
<footer class="site-footer">
  <div class="wrap">
    <ul>
      <li><a href="/help#provider-services">Provider Services by line of business</a></li>
      <li><a href="/library">Provider library</a></li>
      <li><a href="/help#privacy">Privacy</a></li>
      <li><a href="/help">Instruction manual</a></li>
    </ul>
    <p>Portico provider portal for {{$p.PlanName}}. Protected health information is shared only through the secure portal.</p>
  </div>
</footer>
{{if $p.User}}{{template "partials/idle" .}}{{end}}
</body>
</html>
`

const idleTemplate = `{{/* partials/idle: the idle sign-out warning. static/js/app.js opens it a minute before the session's idle limit (data-idle-seconds); without JavaScript it never shows and the server still signs the session out. */}}{{$p := .P}}{{/* .P once, as in partials/head */}}
<dialog id="idle-dialog" class="idle-dialog" data-idle-seconds="{{$p.IdleSeconds}}" data-warn-seconds="60" aria-labelledby="idle-title" aria-describedby="idle-text">
  <h2 id="idle-title">Are you still there?</h2>
  <p id="idle-text">You will be signed out in <strong data-idle-countdown>60</strong> seconds, to protect member information on this screen.</p>
  <div class="row">
    <form method="post" action="/session/keep-alive" data-keep-alive>
      <input type="hidden" name="_csrf" value="{{$p.CSRF}}">
      <button type="submit" class="button">Stay signed in</button>
    </form>
    <form method="post" action="/logout" data-idle-signout>
      <input type="hidden" name="_csrf" value="{{$p.CSRF}}">
      <button type="submit" class="button-secondary">Sign out now</button>
    </form>
  </div>
</dialog>
`

// TestPageFrameMatchesTemplates: the frame written in Go is what the three partials
// wrote, byte for byte, for a visitor, a user half-way through signing in, office staff
// with the context bar and plan staff, with and without the demo banner, a flash, the
// emergency banner, and hostile text wherever a page, a user or a request puts text.
func TestPageFrameMatchesTemplates(t *testing.T) {
	ta := newTestApp(t)
	h := ta.h
	tt := template.Must(template.New("frame").Funcs(h.templateFuncs()).Parse(
		`{{define "partials/idle"}}` + idleTemplate + `{{end}}{{define "head"}}` + headTemplate + `{{end}}{{define "foot"}}` + footTemplate + `{{end}}`))
	run := func(name string, v *errorView) {
		t.Helper()
		for _, part := range []struct {
			tmpl string
			got  template.HTML
		}{{"head", h.pageHead(v)}, {"foot", h.pageFoot(v)}} {
			var want strings.Builder
			if err := tt.ExecuteTemplate(&want, part.tmpl, v); err != nil {
				t.Fatal(err)
			}
			if string(part.got) != want.String() {
				t.Errorf("%s, %s written in Go:\n%s\nthe template wrote:\n%s", name, part.tmpl, part.got, want.String())
			}
			if strings.Contains(string(part.got), "<script>alert") {
				t.Errorf("%s: unescaped markup in %s", name, part.got)
			}
		}
	}
	office := &models.User{ID: 1, AccountID: 7, AccountName: hostileCell, Name: hostileCell}
	staff := &models.User{ID: 2, Name: "Nina Nurse"}
	nav := []NavItem{{Label: "Dashboard", Href: "/dashboard", Current: true}, {Label: "Messaging", Href: "/messages", Badge: 2, BadgeURL: "/messages/unread"}}
	bar := newContextBar([]models.TIN{{ID: 3, TIN: "123456789", Name: hostileCell}}, 3, models.PlanCommercial)
	pages := map[string]*Page{
		"visitor":           {Title: "Sign in", PlanName: "Pacific Crest Health Plan", Path: "/login"},
		"visitor, no title": {PlanName: hostileCell, Path: "/", Demo: true, CSRF: hostileCell},
		"second factor":     {Title: "Two-step", PlanName: "Pacific Crest", Path: "/login/mfa", CSRF: "tok"},
		"enrolment":         {Title: hostileCell, PlanName: "Pacific Crest", Path: "/login/enrol", Flash: &Flash{Kind: "error", Text: hostileCell}},
		"office":            {Title: hostileCell, PlanName: hostileCell, Path: "/dashboard", Back: "/dashboard?x=" + hostileCell, CSRF: hostileCell, Demo: true, User: office, Nav: nav, NavHTML: navHTML(nav), Context: bar, IdleSeconds: 900, Flash: &Flash{Kind: hostileCell, Text: hostileCell}},
		"office elsewhere":  {Title: "Claims", PlanName: "Pacific Crest", Path: "/claims", Back: "/claims", CSRF: "tok", User: office, Nav: nav, NavHTML: navHTML(nav), Context: bar, IdleSeconds: 0},
		"plan staff":        {Title: "Review queue", PlanName: hostileCell, Path: "/authorizations/review", CSRF: "tok", User: staff, Nav: nav, NavHTML: navHTML(nav), IdleSeconds: 42},
	}
	for name, p := range pages {
		run(name, &errorView{View: View{P: p}})
	}
	run("emergency access", &errorView{View: View{P: pages["plan staff"], Emergency: &models.EmergencyAccess{ExpiresAt: "2026-11-27T18:30:00Z"}}})
	run("emergency access, bad time", &errorView{View: View{P: pages["office"], Emergency: &models.EmergencyAccess{ExpiresAt: hostileCell}}})
}
