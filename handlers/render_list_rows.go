package handlers

import (
	"html/template"
	"strconv"
	"strings"

	"portico/models"
)

// Row writers for the list pages whose profiles showed html/template's reflective
// execution as the larger half of the page: the claims of an explanation of payment and
// the members of a capitation report. Each writes what the template's range wrote, byte
// for byte, escaped as html/template escapes (render_list_rows_test.go proves it).

// writeEOPClaims writes the claims of an explanation of payment into b, for the whole
// page's writer (eopBody): one tbody per claim, with its service lines, their
// adjustments and the claim's subtotal.
func (h *Handler) writeEOPClaims(b *strings.Builder, claims []models.EOPClaim) {
	n := 0
	for i := range claims {
		n += 700 + 900*len(claims[i].Lines)
	}
	b.Grow(n)
	w := b.WriteString
	for i := range claims {
		c := &claims[i].ClaimSummary
		no := htmlText(c.ClaimNo)
		w("\n      <tbody>\n        <tr class=\"eop-claim\">\n          <th scope=\"rowgroup\" colspan=\"10\"><a href=\"/claims/")
		w(urlPart(c.ClaimNo))
		w(`">`)
		w(no)
		w("</a> · ")
		w(htmlText(c.MemberName))
		w(" (")
		w(htmlText(c.MemberID))
		w(") · received ")
		w(htmlText(h.formatDate(c.ReceivedDate)))
		w(" · <span class=\"status ")
		w(htmlText(c.StatusClass()))
		w(`">`)
		w(htmlText(c.StatusLabel()))
		w("</span></th>\n        </tr>\n        ")
		for j := range claims[i].Lines {
			h.eopLine(b, &claims[i].Lines[j])
		}
		w("\n        <tr class=\"eop-subtotal\">\n          <th scope=\"row\" colspan=\"3\">Claim ")
		w(no)
		w(" total</th>\n          <td class=\"num\">")
		w(formatMoney(c.Billed))
		w("</td><td class=\"num\">")
		w(formatMoney(c.Allowed))
		w("</td>\n          <td class=\"num\" colspan=\"3\">Member responsibility ")
		w(formatMoney(c.MemberResp))
		w("</td>\n          <td class=\"num\">")
		w(formatMoney(c.Paid))
		w("</td><td></td>\n        </tr>\n      </tbody>\n      ")
	}
}

// eopLine writes one service line of an explanation of payment, with its adjustments as
// partials/claims/adjustments words them.
func (h *Handler) eopLine(b *strings.Builder, l *models.ClaimLine) {
	w := b.WriteString
	w("\n        <tr>\n          <td>Line ")
	w(strconv.Itoa(l.LineNo))
	w("</td><td>")
	w(htmlText(h.formatDate(l.ServiceDate)))
	w("</td><td>")
	w(htmlText(l.Code))
	for _, m := range l.Modifiers() {
		w("-")
		w(htmlText(m))
	}
	if l.Units > 1 {
		w(" × ")
		w(strconv.Itoa(l.Units))
	}
	w("<br><span class=\"muted\">")
	w(htmlText(l.Description))
	w("</span></td>\n          <td class=\"num\">")
	w(formatMoney(l.Billed))
	w("</td><td class=\"num\">")
	w(formatMoney(l.Allowed))
	w("</td>\n          <td class=\"num\">")
	w(formatMoney(l.Deductible))
	w("</td><td class=\"num\">")
	w(formatMoney(l.Copay))
	w("</td><td class=\"num\">")
	w(formatMoney(l.Coinsurance))
	w("</td>\n          <td class=\"num\">")
	w(formatMoney(l.Paid))
	w("</td>\n          <td>\n")
	if adj := l.Adjustments(); len(adj) > 0 {
		w("<ul class=\"adjustments\">")
		for _, a := range adj {
			w("<li>")
			if code := a.Code(); code != "" {
				w("<strong>")
				w(htmlText(code))
				w("</strong> ")
			}
			w(formatMoney(a.Amount))
			w(": ")
			w(htmlText(a.Text()))
			w("</li>")
		}
		w("</ul>")
	} else {
		w("None")
	}
	w("\n</td>\n        </tr>\n        ")
}

// rosterRows writes the member rows of a capitation report (pages/reports/members): the
// PMPM column on every report but the terms, the change column on the roster.
func (h *Handler) rosterRows(rows []models.RosterRow, kind string) template.HTML {
	pmpm, change := kind != "terms", kind == "roster"
	var b strings.Builder
	b.Grow(400 * len(rows))
	w := b.WriteString
	for i := range rows {
		r := &rows[i]
		w("\n      <tr><td>")
		w(htmlText(r.Name()))
		w("<br><span class=\"muted\">")
		w(htmlText(r.MemberID))
		w("</span></td><td>")
		w(htmlText(h.formatDate(r.DOB)))
		w("</td><td>")
		if r.AidCode != "" {
			w(htmlText(r.AidCode))
			w(" · ")
		}
		w(htmlText(r.ProductLabel()))
		w("</td><td>")
		w(htmlText(r.RateCell))
		w("</td>")
		if pmpm {
			w("<td class=\"num\">")
			w(formatMoney(r.PMPM))
			w("</td>")
		}
		w("<td>")
		w(htmlText(h.formatDate(r.EffectiveDate)))
		w("</td><td>")
		w(h.dateOr(r.EndDate, "—"))
		w("</td>")
		if change {
			w("<td>")
			if r.Change == "add" {
				w("<span class=\"status status-ok\">Add</span>")
			}
			w("</td>")
		}
		w("</tr>\n      ")
	}
	return template.HTML(b.String())
}

// writePatientRows writes the rows of the Patients page into b, for the whole page's
// writer (patientsBody): name linked to the member record, member ID, dates, coverage
// status, plan and PCP.
func (h *Handler) writePatientRows(b *strings.Builder, patients []models.PanelMember) {
	b.Grow(520 * len(patients))
	w := b.WriteString
	for i := range patients {
		p := &patients[i]
		w("\n      <tr>\n        <td><a href=\"/members/")
		w(urlPart(p.MemberID))
		w(`">`)
		w(htmlText(p.LastName))
		if p.Suffix != "" {
			w(" ")
			w(htmlText(p.Suffix))
		}
		w(", ")
		w(htmlText(p.FirstName))
		w("</a></td>\n        <td>")
		w(htmlText(p.MemberID))
		w("</td><td>")
		w(htmlText(h.formatDate(p.DOB)))
		w("</td><td>")
		w(htmlText(h.formatDate(p.EffectiveDate)))
		w("</td>\n        <td><span class=\"status ")
		switch p.Status {
		case models.StatusActive:
			w("status-ok")
		case models.StatusFuture:
			w("status-info")
		default:
			w("status-bad")
		}
		w(`">`)
		w(htmlText(titleWord(p.Status)))
		w("</span></td>\n        <td>")
		w(htmlText(p.PlanName))
		w("</td>\n        <td>")
		w(textOr(p.PCPName, "None assigned"))
		w("</td>\n      </tr>\n    ")
	}
}

// queueRows writes the rows of the reviewer queue (pages/authorizations/queue): due time
// (or paused), tracking number linked to the review, and the request's particulars.
func (h *Handler) queueRows(rows []models.AuthzRow) template.HTML {
	var b strings.Builder
	b.Grow(620 * len(rows))
	w := b.WriteString
	for i := range rows {
		r := &rows[i]
		w("\n    <tr")
		if r.Overdue {
			w(" class=\"overdue-row\"")
		}
		w(">\n      <td>")
		if r.Status == "more_info" {
			w("Paused")
		} else {
			w(htmlText(r.DueLocal))
		}
		if r.Overdue {
			w("<br><span class=\"status status-bad\">Overdue</span>")
		}
		w("</td>\n      <td><a href=\"/authorizations/review/")
		w(urlPart(r.TrackingNo))
		w(`">`)
		w(htmlText(r.TrackingNo))
		w("</a></td>\n      <td>")
		w(htmlText(r.UrgencyLabel()))
		w("</td><td>")
		w(htmlText(models.PlanTypeLabel(r.PlanType)))
		w("</td><td>")
		w(htmlText(r.ServiceLabel()))
		w("</td><td>")
		w(htmlText(r.FirstCode))
		w("</td><td>")
		w(htmlText(r.AccountName))
		w("</td>\n      <td><span class=\"status ")
		w(htmlText(r.StatusClass()))
		w(`">`)
		w(htmlText(r.StatusLabel()))
		w("</span></td><td>")
		w(textOr(r.AssigneeName, "Unassigned"))
		w("</td>\n    </tr>\n    ")
	}
	return template.HTML(b.String())
}
