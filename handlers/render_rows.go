package handlers

import (
	"html/template"
	"strings"

	"portico/models"
)

// htmlText escapes s for a text node or a quoted attribute exactly as html/template does
// (its table, which unlike template.HTMLEscapeString also escapes '+', and turns NUL into
// U+FFFD), so that a row written in Go is byte for byte the row the template wrote.
func htmlText(s string) string {
	i := 0
	for i < len(s) && !htmlSpecial(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		switch c := s[i]; c {
		case 0:
			b.WriteString("\uFFFD")
		case '"':
			b.WriteString("&#34;")
		case '&':
			b.WriteString("&amp;")
		case '\'':
			b.WriteString("&#39;")
		case '+':
			b.WriteString("&#43;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// htmlSpecial tells whether html/template escapes the byte c in text and attributes.
func htmlSpecial(c byte) bool {
	switch c {
	case 0, '"', '&', '\'', '+', '<', '>':
		return true
	}
	return false
}

// urlPart escapes s where html/template puts it in a quoted href after a fixed path
// ("/claims/{{.}}"): its URL normaliser (every byte but letters, digits, "-._~", the
// reserved characters and a valid %XX becomes %xx), then its attribute escaper.
func urlPart(s string) string { return htmlText(percentEncode(s, normalizedAt)) }

// normalizedAt tells whether html/template's URL normaliser keeps the byte at i of s:
// letters, digits, "-._~", the reserved characters and the % of a valid %XX.
func normalizedAt(s string, i int) bool {
	c := s[i]
	switch {
	case unreservedAt(s, i), strings.IndexByte("!#$&*+,/:;=?@[]", c) >= 0:
		return true
	case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
		return true
	}
	return false
}

// percentEncode writes every byte of s that keep refuses as %xx, in the lower-case hex
// html/template writes.
func percentEncode(s string, keep func(s string, i int) bool) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		if keep(s, i) {
			continue
		}
		c := s[i]
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte("0123456789abcdef"[c>>4])
		b.WriteByte("0123456789abcdef"[c&15])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

// textOr is s escaped for HTML, or none (plain text needing no escaping) when s is
// empty: a cell's "None".
func textOr(s, none string) string {
	if s == "" {
		return none
	}
	return htmlText(s)
}

// dateOr is the date iso as shown (MM/DD/YYYY) and escaped, or none when there is none.
func (h *Handler) dateOr(iso, none string) string {
	if iso == "" {
		return none
	}
	return htmlText(h.formatDate(iso))
}

// isHexDigit tells whether c is a hexadecimal digit.
func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// Row writers for the dashboard's two tables. html/template spends a reflective call on
// every field, method and escaper of every cell (about twenty per row here, each costing
// more than writing the cell); these write the same rows, escaped the same way, with
// plain string appends. They are template funcs (claimRows, activityRows) so that the
// page's data and the rest of its template stay as they are.

// claimRows writes the Recent Claims rows of the dashboard.
func (h *Handler) claimRows(claims []models.ClaimSummary) template.HTML {
	esc := htmlText
	var b strings.Builder
	b.Grow(260 * len(claims))
	for _, c := range claims {
		b.WriteString("\n            <tr>\n              <td><span class=\"status ")
		b.WriteString(esc(c.StatusClass()))
		b.WriteString(`">`)
		b.WriteString(esc(c.StatusLabel()))
		b.WriteString("</span></td>\n              <td>")
		b.WriteString(esc(h.formatDate(c.ReceivedDate)))
		b.WriteString("</td>\n              <td>")
		b.WriteString(esc(c.MemberName))
		b.WriteString("</td>\n              <td><a href=\"/claims/")
		b.WriteString(urlPart(c.ClaimNo))
		b.WriteString(`">`)
		b.WriteString(esc(c.ClaimNo))
		b.WriteString("</a></td>\n            </tr>\n          ")
	}
	return template.HTML(b.String())
}

// activityRows writes the Recent Activity rows of the dashboard.
func (h *Handler) activityRows(acts []Activity) template.HTML {
	esc := htmlText
	var b strings.Builder
	b.Grow(160 * len(acts))
	for _, a := range acts {
		b.WriteString("<tr><td>")
		b.WriteString(esc(h.formatDateTime(a.At)))
		b.WriteString("</td><td>")
		b.WriteString(esc(a.Text))
		b.WriteString("</td><td>")
		b.WriteString(esc(a.Actor))
		b.WriteString("</td></tr>")
	}
	return template.HTML(b.String())
}

// eligResult writes one eligibility result card (partials/members/elig_result), the
// answer of every check: about seventy reflective template calls otherwise.
func (h *Handler) eligResult(e *models.Eligibility) template.HTML {
	if e == nil {
		return ""
	}
	esc := htmlText
	m := &e.Member
	id := urlPart(m.MemberID)
	var b strings.Builder
	b.Grow(1400)
	w := b.WriteString
	w("\n<article class=\"elig-result\" aria-label=\"Eligibility result\" data-swap-focus>\n  <div class=\"row\">\n    <h3 class=\"mb-0\"><a href=\"/members/")
	w(id)
	w(`">`)
	w(esc(m.FirstName))
	w(" ")
	w(esc(m.LastName))
	if m.Suffix != "" {
		w(" ")
		w(esc(m.Suffix))
	}
	w("</a></h3>\n    <span class=\"status ")
	w(esc(e.StatusClass()))
	w(`">`)
	w(esc(e.StatusLabel()))
	w("</span>\n  </div>\n  <dl class=\"summary-list\">\n    <dt>Member ID</dt><dd>")
	w(esc(m.MemberID))
	w("</dd>\n    <dt>Date of birth</dt><dd>")
	w(esc(h.formatDate(m.DOB)))
	w("</dd>\n    <dt>Plan</dt><dd>")
	w(esc(m.PlanName))
	w(" · ")
	w(esc(models.PlanTypeLabel(m.PlanType)))
	w("</dd>\n    <dt>Effective</dt><dd>")
	w(esc(h.formatDate(m.EffectiveDate)))
	w("</dd>\n    <dt>End date</dt><dd>")
	w(h.dateOr(m.EndDate, "None"))
	w("</dd>\n    <dt>PCP</dt><dd>")
	if m.PCPName != "" {
		w(esc(m.PCPName))
		if e.PCPGroup != "" {
			w(" (")
			w(esc(e.PCPGroup))
			w(")")
		}
	} else {
		w("None assigned")
	}
	w("</dd>\n    <dt>PPG</dt><dd>")
	w(textOr(e.PPGName, "None"))
	w("</dd>\n    <dt>Copays</dt><dd>")
	w(esc(e.CopayLine()))
	w("</dd>\n  </dl>\n  <p class=\"row no-print mb-0\">\n    <a href=\"/members/")
	w(id)
	w("\">Member record</a>\n    <a href=\"/members/")
	w(id)
	w("/cost-sharing\">Cost sharing</a>\n    <a href=\"/members/")
	w(id)
	w("/card\">ID card</a>\n    <a href=\"/members/")
	w(id)
	w("/print\">Print view</a>\n  </p>\n</article>\n")
	return template.HTML(b.String())
}

// quickCheckCard writes the dashboard's Quick Eligibility Check card (partials/members/
// quick_check) when its form has no messages: the fresh card, and the card after a check
// with its result or not-found message, which is what every check answers. A form with
// messages (the shared error summary and field partials) stays with the template.
func (h *Handler) quickCheckCard(v *dashboardView) template.HTML {
	f := v.Quick
	var b strings.Builder
	b.Grow(2600)
	w := b.WriteString
	w("<section class=\"card\" id=\"quick-check\" aria-labelledby=\"quick-h\">\n  <h2 id=\"quick-h\">Quick Eligibility Check for ")
	w(htmlText(v.PlanLabel))
	w("</h2>\n  \n  \n  \n  <form method=\"post\" action=\"/eligibility/quick\" data-hx-post=\"/eligibility/quick\" data-hx-target=\"#quick-check\" data-hx-swap=\"outerHTML\" novalidate>\n    <input type=\"hidden\" name=\"_csrf\" value=\"")
	if v.P != nil {
		w(htmlText(v.P.CSRF))
	}
	w("\">\n    \n    <div class=\"inline-fields\">\n      <div class=\"field\">\n        <label for=\"quick-q\">Member ID or last name <span class=\"hint\" id=\"quick-q-hint\">e.g. A100000001 or Smith</span></label>\n        \n        <input id=\"quick-q\" name=\"q\" type=\"text\" value=\"")
	w(htmlText(f.Q))
	w("\" autocomplete=\"off\" spellcheck=\"false\" required aria-describedby=\"quick-q-hint\">\n      </div>\n      ")
	if f.ShowFirst {
		w("\n      <div class=\"field\">\n        <label for=\"quick-first\">First name</label>\n        \n        <input id=\"quick-first\" name=\"first_name\" type=\"text\" value=\"")
		w(htmlText(f.First))
		w("\" autocomplete=\"off\">\n      </div>\n      ")
	}
	w("\n      <div class=\"field\">\n        <label for=\"quick-dob\">Date of birth <span class=\"hint\" id=\"quick-dob-hint\">mm/dd/yyyy</span></label>\n        \n        <input id=\"quick-dob\" name=\"dob\" type=\"date\" value=\"")
	w(htmlText(f.DOB))
	w("\" required aria-describedby=\"quick-dob-hint\">\n      </div>\n      <div class=\"field\"><button type=\"submit\">Check eligibility</button> <span class=\"htmx-indicator\">Checking…</span></div>\n    </div>\n  </form>\n  <p class=\"hint\">Choose the member's plan type in the bar above first: a member is found only under their own plan type.</p>\n  <div id=\"quick-result\" aria-live=\"polite\">\n    ")
	if r := f.Result; r != nil {
		w("\n")
		if r.Member != nil {
			w(string(h.eligResult(r.Member)))
		} else if f.Message != "" {
			w("\n<div class=\"alert alert-warning\" role=\"status\" data-swap-focus><p>")
			w(htmlText(f.Message))
			w("</p></div>\n")
		}
		w("\n")
	}
	w("\n  </div>\n  \n</section>")
	return template.HTML(b.String())
}
