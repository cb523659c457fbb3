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
