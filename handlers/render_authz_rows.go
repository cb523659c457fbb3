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

// optionList is the choices of a select element of the authorization pages' filters.
type optionList []option

// HTML writes the list's option elements, the one whose value is selected marked so, as
// the pages' range over the list wrote them (render_authz_rows_test.go proves it): a
// reflective look-up and comparison per option made the two selects of the office list
// a third of its template's time.
func (l optionList) HTML(selected string) template.HTML {
	var b strings.Builder
	b.Grow(64 * len(l))
	w := b.WriteString
	for _, o := range l {
		w(`<option value="`)
		w(htmlText(o.Value))
		w(`"`)
		if o.Value == selected {
			w(" selected")
		}
		w(">")
		w(htmlText(o.Label))
		w("</option>")
	}
	return template.HTML(b.String())
}

// planTypeOptions are the plan types as choices (the queue's filter).
var planTypeOptions = func() optionList {
	out := make(optionList, 0, len(models.PlanTypes))
	for _, p := range models.PlanTypes {
		out = append(out, option{p.Value, p.Label})
	}
	return out
}()

// FilterHidden writes the office list's filter as hidden fields, with the form's CSRF
// token, for the pager's and the CSV download's forms (what partials/authorizations/
// filter_hidden wrote; render_authz_rows_test.go proves it).
func (v *authzListView) FilterHidden() template.HTML {
	f := &v.F.AuthzFilter
	var b strings.Builder
	b.Grow(420)
	w := b.WriteString
	for _, field := range [...]struct{ name, value string }{
		{"_csrf", v.P.CSRF}, {"status", f.Status}, {"service_type", f.Service}, {"member_id", f.MemberID},
		{"from", f.From}, {"to", f.To}, {"tracking_no", f.TrackingNo},
	} {
		w("\n<input type=\"hidden\" name=\"")
		w(field.name)
		w("\" value=\"")
		w(htmlText(field.value))
		w("\">")
	}
	w("\n")
	return template.HTML(b.String())
}
