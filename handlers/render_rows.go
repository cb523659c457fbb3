package handlers

import (
	"html/template"
	"net/url"
	"strings"

	"portico/models"
)

// Row writers for the dashboard's two tables. html/template spends a reflective call on
// every field, method and escaper of every cell (about twenty per row here, each costing
// more than writing the cell); these write the same rows, escaped the same way, with
// plain string appends. They are template funcs (claimRows, activityRows) so that the
// page's data and the rest of its template stay as they are.

// claimRows writes the Recent Claims rows of the dashboard.
func (h *Handler) claimRows(claims []models.ClaimSummary) template.HTML {
	esc := template.HTMLEscapeString
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
		b.WriteString(esc(url.PathEscape(c.ClaimNo)))
		b.WriteString(`">`)
		b.WriteString(esc(c.ClaimNo))
		b.WriteString("</a></td>\n            </tr>\n          ")
	}
	return template.HTML(b.String())
}

// activityRows writes the Recent Activity rows of the dashboard.
func (h *Handler) activityRows(acts []Activity) template.HTML {
	esc := template.HTMLEscapeString
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
	esc := template.HTMLEscapeString
	m := &e.Member
	id := esc(url.PathEscape(m.MemberID))
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
	if m.EndDate != "" {
		w(esc(h.formatDate(m.EndDate)))
	} else {
		w("None")
	}
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
	if e.PPGName != "" {
		w(esc(e.PPGName))
	} else {
		w("None")
	}
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
