package handlers

import (
	"html/template"
	"strings"

	"portico/models"
)

// authzRows writes the rows of the office's authorization list (pages/authorizations/
// index) as the template's range wrote them, byte for byte (render_authz_rows_test.go
// proves it): under load html/template's reflective execution of that range was over
// half of the page's CPU (issue 17). Each row links the tracking number, shows the
// status (and Overdue), the member, the service, the first procedure, when it was
// created and when the decision is due: paused while the office owes an answer, a dash
// once there is nothing to wait for.
func authzRows(rows []models.AuthzRow) template.HTML {
	var b strings.Builder
	b.Grow(640 * len(rows))
	w := b.WriteString
	for i := range rows {
		r := &rows[i]
		w("\n      <tr>\n        <td><a href=\"/authorizations/")
		w(urlPart(r.TrackingNo))
		w(`">`)
		w(htmlText(r.TrackingNo))
		w("</a></td>\n        <td><span class=\"status ")
		w(htmlText(r.StatusClass()))
		w(`">`)
		w(htmlText(r.StatusLabel()))
		w("</span>")
		if r.Overdue {
			w(" <span class=\"status status-bad\">Overdue</span>")
		}
		w("</td>\n        <td>")
		w(htmlText(r.MemberName))
		w("<br><span class=\"muted\">")
		w(htmlText(r.MemberID))
		w("</span></td>\n        <td>")
		w(htmlText(r.ServiceLabel()))
		w("</td><td>")
		w(htmlText(r.UrgencyLabel()))
		w("</td><td>")
		w(htmlText(r.FirstCode))
		w("</td>\n        <td>")
		w(htmlText(r.CreatedLocal))
		w("</td><td>")
		switch r.Status {
		case models.AuthzSubmitted, models.AuthzInReview:
			w(htmlText(r.DueLocal))
		case models.AuthzMoreInfo:
			w("Paused until you answer")
		default:
			w("—")
		}
		w("</td>\n      </tr>\n    ")
	}
	return template.HTML(b.String())
}
