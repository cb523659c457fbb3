package handlers

import (
	"html/template"
	"strconv"
	"strings"
)

// The page frame written in Go: partials/head and partials/foot open and close every
// page, and under load their forty-odd reflective template actions were about a tenth of
// each list page's CPU. pageHead and pageFoot write what the two partials wrote, byte for
// byte, escaped as html/template escapes (render_frame_test.go keeps the templates they
// replaced and compares them on every state of the frame, hostile text included).

// frameAssets is what every page's head links, built once from the content-hashed asset
// URLs: the icon, style sheet and scripts, and the logo's URL, escaped.
type frameAssets struct{ links, logo string }

func newFrameAssets(a *assets) frameAssets {
	esc := htmlText
	return frameAssets{
		links: `<link rel="icon" href="` + esc(a.url("img/logo.svg")) + `" type="image/svg+xml">
<link rel="stylesheet" href="` + esc(a.url("css/portico.css")) + `">
<script src="` + esc(a.url("js/htmx-2.0.11.min.js")) + `" defer></script>
<script src="` + esc(a.url("js/app.js")) + `" defer></script>`,
		logo: esc(a.url("img/logo.svg")),
	}
}

// pageHead writes partials/head: the document head, banner, header, navigation, context
// bar, emergency banner and flash, up to the opening of the page's content.
func (h *Handler) pageHead(d viewData) template.HTML {
	v := d.view()
	p := v.P
	var b strings.Builder
	b.Grow(4096)
	w := b.WriteString
	w("\n<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"htmx-config\" content='{\"includeIndicatorStyles\":false,\"allowEval\":false,\"allowScriptTags\":false,\"responseHandling\":[{\"code\":\"204\",\"swap\":false},{\"code\":\"[23]..\",\"swap\":true},{\"code\":\"422\",\"swap\":true},{\"code\":\"[45]..\",\"swap\":false,\"error\":true}]}'>\n<title>")
	if p.Title != "" {
		w(htmlText(p.Title))
		w(" · ")
	}
	w("Portico · ")
	plan := htmlText(p.PlanName)
	w(plan)
	w("</title>\n")
	w(h.frame.links)
	w("\n</head>\n<body")
	csrf := htmlText(p.CSRF)
	if p.CSRF != "" {
		w(" data-hx-headers='{\"X-CSRF-Token\":\"")
		w(csrf)
		w("\"}'")
	}
	w(">\n<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n<header class=\"site-header\">\n  ")
	if p.Demo {
		w("<p class=\"demo-banner\">DEMO — not for real patient data</p>")
	}
	w("\n  <div class=\"wrap bar\">\n    <a class=\"brand\" href=\"")
	if p.User != nil {
		w("/dashboard")
	} else {
		w("/")
	}
	w("\"><img src=\"")
	w(h.frame.logo)
	w("\" alt=\"\" width=\"28\" height=\"28\"> Portico <small>· ")
	w(plan)
	w("</small></a>\n    ")
	switch {
	case p.User != nil:
		w("\n    <div class=\"who\">\n      ")
		if p.User.AccountName != "" {
			w("<span>")
			w(htmlText(p.User.AccountName))
			w("</span>")
		} else {
			w("<span>")
			w(plan)
			w(" staff</span>")
		}
		w("\n      <a href=\"/security\" title=\"Password, recovery codes and sign-in security\">")
		w(htmlText(p.User.Name))
		w("</a>\n      <form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"_csrf\" value=\"")
		w(csrf)
		w("\"><button class=\"link-button\" type=\"submit\">Sign out</button></form>\n    </div>\n    ")
	case p.Path == "/login/mfa" || p.Path == "/login/enrol":
		w("\n    <div class=\"who\"><span>Signing in</span><a href=\"/login\">Start again</a></div>\n    ")
	default:
		w("\n    <div class=\"who\"><a href=\"/login\">Sign in</a><a href=\"/register\">Register</a></div>\n    ")
	}
	w("\n  </div>\n  ")
	if len(p.Nav) > 0 {
		w("\n  <nav class=\"topnav\" aria-label=\"Main\">\n    <ul class=\"wrap nav-wide\">\n    ")
		w(string(p.NavHTML.Wide))
		w("\n    </ul>\n    \n    <details class=\"nav-menu wrap\">\n      <summary>Menu")
		w(string(p.NavHTML.MenuCurrent))
		w("</summary>\n      <ul>\n      ")
		w(string(p.NavHTML.Menu))
		w("\n      </ul>\n    </details>\n  </nav>\n  ")
	}
	w("\n")
	if cb := p.Context; cb != nil {
		w("\n<div class=\"context-bar\">\n  <form class=\"wrap\" method=\"post\" action=\"/dashboard/context\">\n    <input type=\"hidden\" name=\"_csrf\" value=\"")
		w(csrf)
		w("\">\n    <input type=\"hidden\" name=\"back\" value=\"")
		w(htmlText(p.Back))
		w("\">\n    <span>Viewing")
		if p.Path == "/dashboard" {
			w(" dashboard")
		}
		w(" for:</span>\n    <label for=\"ctx-tin\">TIN</label>\n    <select id=\"ctx-tin\" name=\"tin_id\">\n      ")
		w(string(cb.TINOptions))
		w("\n    </select>\n    <label for=\"ctx-plan\">Plan type</label>\n    <select id=\"ctx-plan\" name=\"plan_type\">\n      ")
		w(string(cb.PlanOptions))
		w("\n    </select>\n    <button type=\"submit\" class=\"button-secondary\">Go</button>\n  </form>\n</div>\n")
	}
	w("\n</header>\n<main id=\"main\" tabindex=\"-1\">\n<div class=\"wrap\">\n")
	if ea := v.Emergency; ea != nil {
		w("<div class=\"alert alert-error emergency-banner\" role=\"alert\"><p><strong>Emergency access.</strong> You opened this member's record outside your normal scope, until ")
		w(htmlText(h.formatDateTime(ea.ExpiresAt)))
		w(". Every page you open is recorded and reviewed by the privacy officer.</p></div>")
	}
	w("\n<div id=\"flash\" aria-live=\"polite\">")
	if f := p.Flash; f != nil {
		w("<div class=\"alert alert-")
		w(htmlText(f.Kind))
		w("\" role=\"status\"><p>")
		w(htmlText(f.Text))
		w("</p></div>")
	}
	w("</div>\n")
	return template.HTML(b.String())
}

// pageFoot writes partials/foot: it closes what partials/head opened, with the footer
// and, for a signed-in user, the idle sign-out warning (once partials/idle):
// static/js/app.js opens it a minute before the session's idle limit
// (data-idle-seconds); without JavaScript it never shows and the server still signs the
// session out.
func (h *Handler) pageFoot(d viewData) template.HTML {
	p := d.view().P
	var b strings.Builder
	b.Grow(1800)
	w := b.WriteString
	w("\n</div>\n</main>\n<footer class=\"site-footer\">\n  <div class=\"wrap\">\n    <ul>\n      <li><a href=\"/help#provider-services\">Provider Services by line of business</a></li>\n      <li><a href=\"/library\">Provider library</a></li>\n      <li><a href=\"/help#privacy\">Privacy</a></li>\n      <li><a href=\"/help\">Instruction manual</a></li>\n    </ul>\n    <p>Portico provider portal for ")
	w(htmlText(p.PlanName))
	w(". Protected health information is shared only through the secure portal.</p>\n  </div>\n</footer>\n")
	if p.User != nil {
		csrf := htmlText(p.CSRF)
		w("\n<dialog id=\"idle-dialog\" class=\"idle-dialog\" data-idle-seconds=\"")
		w(strconv.Itoa(p.IdleSeconds))
		w("\" data-warn-seconds=\"60\" aria-labelledby=\"idle-title\" aria-describedby=\"idle-text\">\n  <h2 id=\"idle-title\">Are you still there?</h2>\n  <p id=\"idle-text\">You will be signed out in <strong data-idle-countdown>60</strong> seconds, to protect member information on this screen.</p>\n  <div class=\"row\">\n    <form method=\"post\" action=\"/session/keep-alive\" data-keep-alive>\n      <input type=\"hidden\" name=\"_csrf\" value=\"")
		w(csrf)
		w("\">\n      <button type=\"submit\" class=\"button\">Stay signed in</button>\n    </form>\n    <form method=\"post\" action=\"/logout\" data-idle-signout>\n      <input type=\"hidden\" name=\"_csrf\" value=\"")
		w(csrf)
		w("\">\n      <button type=\"submit\" class=\"button-secondary\">Sign out now</button>\n    </form>\n  </div>\n</dialog>\n")
	}
	w("\n</body>\n</html>\n")
	return template.HTML(b.String())
}
