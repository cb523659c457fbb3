package handlers

import (
	"html/template"
	"strconv"
	"strings"

	"portico/models"
)

// reportPicker writes the TIN and month picker and the report tabs of the provider
// reports (pages/reports/summary and members): a form that submits to action, and the
// tab of the report current marked. Under load the picker's two option lists, run by
// html/template, cost more than a page of roster rows; written here they are what the
// partial wrote, byte for byte (TestReportPickerMatchesTemplate).
func reportPicker(r *reportCtx, action, current string) template.HTML {
	var b strings.Builder
	b.Grow(2048 + 100*len(r.A.TINs) + 60*len(r.Months))
	w := b.WriteString
	w("\n<form method=\"get\" action=\"")
	w(urlAttr(action))
	w("\" class=\"card no-print reports-picker\" aria-label=\"Choose the TIN and month\">\n  <div class=\"inline-fields\">\n    <div class=\"field\">\n" +
		"      <label for=\"rep-tin\">TIN</label>\n      <select id=\"rep-tin\" name=\"tin\">")
	for i := range r.A.TINs {
		t := &r.A.TINs[i]
		w("<option value=\"")
		w(strconv.FormatInt(t.ID, 10))
		w("\"")
		if t.ID == r.TIN.ID {
			w(" selected")
		}
		w(">")
		w(htmlText(t.Display()))
		w(" · ")
		w(htmlText(t.Name))
		w("</option>")
	}
	w("</select>\n    </div>\n    <div class=\"field\">\n      <label for=\"rep-month\">Month</label>\n      <select id=\"rep-month\" name=\"month\">")
	for _, m := range r.Months {
		w("<option value=\"")
		w(htmlText(m))
		w("\"")
		if m == r.Month {
			w(" selected")
		}
		w(">")
		w(htmlText(models.MonthLabel(m)))
		w("</option>")
	}
	w("</select>\n    </div>\n    <div class=\"field\"><button type=\"submit\">Show report</button></div>\n  </div>\n</form>\n" +
		"<nav class=\"reports-tabs no-print\" aria-label=\"Reports\">\n")
	query := urlPart(string(r.Query()))
	tab := func(path, kind, label string) {
		w("  <a href=\"")
		w(path)
		w("?")
		w(query)
		w("\"")
		if current == kind {
			w(" aria-current=\"page\"")
		}
		w(">")
		w(label)
		w("</a>\n")
	}
	tab("/reports", "summary", "Capitation payment summary")
	w("  ")
	if r.A.MemberLevel {
		w("\n")
		tab("/reports/roster", models.ReportRoster, "Capitation roster")
		tab("/reports/adds", models.ReportAdds, "Membership adds")
		tab("/reports/terms", models.ReportTerms, "Membership terms")
		w("  ")
	}
	w("\n</nav>\n")
	return template.HTML(b.String())
}

// urlAttr escapes a whole URL where html/template puts it in a quoted URL attribute
// (href="{{.}}", action="{{.}}"): a scheme other than http, https or mailto becomes
// "#ZgotmplZ", as its filter makes it; then its normaliser and attribute escaper
// (urlPart).
func urlAttr(s string) string {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		return "#ZgotmplZ"
	}
	return urlPart(s)
}
