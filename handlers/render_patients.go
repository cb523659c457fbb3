package handlers

import (
	"html/template"
	"strconv"
	"strings"
)

// patientsBody writes the Patients page (pages/patients/index) between the frame's head
// and foot: the search form, the count, the table with its sorting links (or, during a
// search, buttons that keep the search out of the URL), the rows (writePatientRows) and the
// pager. Once the rows were written in Go, html/template's execution of the rest (the
// sortable headings above all) was still a tenth of the page under load. It writes what
// the template wrote, byte for byte (TestPatientsBodyMatchesTemplate).
func (h *Handler) patientsBody(v *patientsView) template.HTML {
	var b strings.Builder
	b.Grow(6000 + 520*len(v.Page.Patients))
	w := b.WriteString
	csrf, search, sort := htmlText(v.P.CSRF), htmlText(v.Search), htmlText(v.Q.Sort)
	dir := pick(v.Q.Desc, "desc", "asc")
	w("<h1>Patients</h1>\n<p>Members assigned to your TINs (as PCP or PPG) under <strong>")
	w(htmlText(v.PlanLabel))
	w("</strong>.</p>\n<form method=\"post\" action=\"/patients\" class=\"no-print\" role=\"search\">\n  <input type=\"hidden\" name=\"_csrf\" value=\"")
	w(csrf)
	w("\">\n  <input type=\"hidden\" name=\"sort\" value=\"")
	w(sort)
	w("\">\n  <input type=\"hidden\" name=\"dir\" value=\"")
	w(dir)
	w("\">\n  <div class=\"inline-fields\">\n    <div class=\"field\">\n" +
		"      <label for=\"pt-q\">Last name starts with <span class=\"hint\">Searches your own patient panel only</span></label>\n" +
		"      <input id=\"pt-q\" name=\"q\" type=\"search\" value=\"")
	w(search)
	w("\" autocomplete=\"off\">\n    </div>\n    <div class=\"field\"><button type=\"submit\">Search patients</button>")
	if v.Search != "" {
		w(" <a href=\"/patients\">Show all</a>")
	}
	w("</div>\n  </div>\n</form>\n<p>")
	p := v.Page
	w(counted(p.Total, " patient"))
	if v.Search != "" {
		w(" with a last name starting “")
		w(search)
		w("”")
	}
	w(pageOf(p.Page, p.Pages))
	w("</p>\n")
	if len(p.Patients) == 0 {
		w("\n<p>")
		switch {
		case p.Total != 0:
			w("No patients on this page. <a href=\"/patients\">Go to the first page</a>.")
		case v.Search != "":
			w("No patients in your panel with a last name starting “")
			w(search)
			w("”.")
		default:
			w("No members are assigned to your TINs under ")
			w(htmlText(v.PlanLabel))
			w(". Choose another plan type in the bar above, or check eligibility for a member.")
		}
		w("</p>\n")
		return template.HTML(b.String())
	}
	w("\n<div class=\"table-wrap\">\n  <table>\n    <thead><tr>\n      ")
	for _, col := range v.Cols {
		current := v.Q.Sort == col.Key
		w("\n      <th scope=\"col\"")
		if current {
			w(" aria-sort=\"")
			w(pick(v.Q.Desc, "descending", "ascending"))
			w("\"")
		}
		w(">\n        ")
		next := pick(current && !v.Q.Desc, "desc", "asc")
		if v.Search != "" {
			w("\n        <form method=\"post\" action=\"/patients\" class=\"inline-form\">")
			w(searchFields(csrf, search, htmlText(col.Key), next))
			w("<button type=\"submit\" class=\"link-button\">")
			w(htmlText(col.Label))
			w("</button></form>\n        ")
		} else {
			w("\n        <a href=\"/patients?sort=")
			w(urlQueryPart(col.Key))
			w("&amp;dir=")
			w(next)
			w("\">")
			w(htmlText(col.Label))
			w("</a>\n        ")
		}
		w("\n      </th>\n      ")
	}
	w("\n      <th scope=\"col\">Status</th><th scope=\"col\">Plan</th><th scope=\"col\">PCP</th>\n    </tr></thead>\n    <tbody>\n    ")
	h.writePatientRows(&b, p.Patients)
	w("\n    </tbody>\n  </table>\n</div>\n<nav class=\"pager\" aria-label=\"Pages\">\n  <span>")
	w(strconv.Itoa(p.Total))
	w(" total</span>\n  <span class=\"row\">\n  ")
	if v.Search != "" {
		w("\n    <form method=\"post\" action=\"/patients\" class=\"row\">")
		w(searchFields(csrf, search, sort, dir))
		w("\n      ")
		if p.Page > 1 {
			w("<button type=\"submit\" name=\"page\" value=\"")
			w(strconv.Itoa(v.Prev))
			w("\" class=\"button-secondary\">Previous page</button>")
		}
		w("\n      ")
		if v.HasNext {
			w("<button type=\"submit\" name=\"page\" value=\"")
			w(strconv.Itoa(v.Next))
			w("\" class=\"button-secondary\">Next page</button>")
		}
		w("\n    </form>\n  ")
	} else {
		w("\n    ")
		pagerLinks(&b, "/patients?sort="+urlQueryPart(v.Q.Sort)+"&amp;dir="+dir+"&amp;page=", p.Page, v.HasNext, "Previous page", "Next page", "\n    ")
		w("\n  ")
	}
	w("\n  </span>\n</nav>\n")
	return template.HTML(b.String())
}

// searchFields are the hidden fields that carry a Patients search (POSTed, never in the
// URL) with a sort and direction: the CSRF token, the search, the sort and the direction,
// each already escaped.
func searchFields(csrf, search, sort, dir string) string {
	return `<input type="hidden" name="_csrf" value="` + csrf + `"><input type="hidden" name="q" value="` + search +
		`"><input type="hidden" name="sort" value="` + sort + `"><input type="hidden" name="dir" value="` + dir + `">`
}
