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

// reportMembersBody writes a page of a member-level report (pages/reports/members)
// between the frame's head and foot: the title, the picker (reportPicker), the report's
// heading and download link, the count, the table with its rows (rosterRows) and the
// pager. What html/template spent on the rest of the page, once the rows and the picker
// were written in Go, was still as much as the rows; this writes what it wrote, byte for
// byte (TestReportMembersBodyMatchesTemplate).
func (h *Handler) reportMembersBody(v *reportMembersView) template.HTML {
	r := v.R
	var b strings.Builder
	b.Grow(8192 + 400*len(pageRows(v.Page)))
	w := b.WriteString
	title, kindURL, query := htmlText(v.Title), urlPart(v.Kind), urlPart(string(r.Query()))
	tin, month := htmlText(r.TIN.Display()), htmlText(r.MonthLabel())
	w("<h1>")
	w(title)
	w("</h1>\n")
	w(string(reportPicker(r, "/reports/"+v.Kind, v.Kind)))
	w("\n<section class=\"card\" aria-labelledby=\"mem-h\">\n  <div class=\"row rx-results-head\">\n    <h2 id=\"mem-h\" class=\"mb-0\">")
	w(title)
	w(" · ")
	w(month)
	w(" · TIN ")
	w(tin)
	w("</h2>\n    ")
	if r.M != nil {
		w("<p class=\"row mb-0 no-print\"><button type=\"button\" class=\"button-secondary\" data-print>Print</button> <a class=\"button button-secondary\" id=\"rep-csv\" href=\"/reports/")
		w(kindURL)
		w(".csv?")
		w(query)
		w("\">Download CSV</a></p>")
	}
	w("\n  </div>\n  ")
	switch v.Kind {
	case models.ReportRoster:
		w("<p>Every member assigned to the TIN for the month, with the rate cell and PMPM paid. New members are marked “Add”.</p>\n  ")
	case models.ReportAdds:
		w("<p>Members new to the TIN's roster this month (not on last month's).</p>\n  ")
	default:
		w("<p>Members on last month's roster who are not on this month's.</p>")
	}
	w("\n  ")
	p := v.Page
	if p == nil {
		w("\n  <p>No capitation was issued to TIN ")
		w(tin)
		w(" for ")
		w(month)
		w(". Choose another month.</p>\n  ")
		w("\n</section>")
		return template.HTML(b.String())
	}
	w("\n  <p id=\"rep-count\">")
	w(counted(p.Total, " member"))
	w(pageOf(p.Page, p.Pages))
	w("</p>\n  ")
	first := "/reports/" + kindURL + "?" + query
	if len(p.Rows) == 0 {
		w("<p>")
		if p.Total != 0 {
			w("No members on this page. <a href=\"")
			w(first)
			w("\">Go to the first page</a>.")
		} else {
			w("No members in this report for the month.")
		}
		w("</p>\n  ")
		w("\n</section>")
		return template.HTML(b.String())
	}
	w("\n  <div class=\"table-wrap\">\n    <table>\n      <thead><tr><th scope=\"col\">Member</th><th scope=\"col\">Date of birth</th><th scope=\"col\">Aid code / product</th><th scope=\"col\">Rate cell</th>")
	if v.Kind != models.ReportTerms {
		w("<th scope=\"col\" class=\"num\">PMPM</th>")
	}
	w("<th scope=\"col\">Effective</th><th scope=\"col\">End</th>")
	if v.Kind == models.ReportRoster {
		w("<th scope=\"col\">Change</th>")
	}
	w("</tr></thead>\n      <tbody>\n      ")
	w(string(h.rosterRows(p.Rows, v.Kind)))
	w("\n      </tbody>\n    </table>\n  </div>\n  <nav class=\"pager no-print\" aria-label=\"Pages\">\n    <span>")
	w(strconv.Itoa(p.Total))
	w(" total</span>\n    <span class=\"row\">\n      ")
	pagerLinks(&b, first+"&amp;page=", p.Page, p.Page < p.Pages, "Previous page", "Next page", "\n      ")
	w("\n    </span>\n  </nav>\n  ")
	w("\n  ")
	w("\n</section>")
	return template.HTML(b.String())
}

// pageRows is the rows of a report page, none when there is no page.
func pageRows(p *models.RosterPage) []models.RosterRow {
	if p == nil {
		return nil
	}
	return p.Rows
}
