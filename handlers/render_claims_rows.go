package handlers

import (
	"html/template"
	"strconv"
	"strings"

	"portico/models"
)

// Row writers for the claims list and the payment history. Under load html/template's
// reflective range over their rows was 64 % and 43 % of these pages' CPU (issue 17):
// about twenty field, method, func and escaper calls a row. These write the same rows,
// escaped as html/template escapes them (render_claims_rows_test.go proves it byte for
// byte); the handlers put the result in the page's data and the template prints it.

// claimListRows writes the rows of the claims list (pages/claims/index): claim number
// linked to the claim, status, dates, member, TIN and the four amounts.
func (h *Handler) claimListRows(claims []models.ClaimSummary) template.HTML {
	var b strings.Builder
	b.Grow(640 * len(claims))
	w := b.WriteString
	for i := range claims {
		c := &claims[i]
		w("\n      <tr>\n        <td><a href=\"/claims/")
		w(urlPart(c.ClaimNo))
		w(`">`)
		w(htmlText(c.ClaimNo))
		w("</a></td>\n        <td><span class=\"status ")
		w(htmlText(c.StatusClass()))
		w(`">`)
		w(htmlText(c.StatusLabel()))
		w("</span></td>\n        <td>")
		w(htmlText(h.formatDate(c.ReceivedDate)))
		w("</td><td>")
		w(htmlText(h.formatDate(c.ServiceFrom)))
		w("</td>\n        <td>")
		w(htmlText(c.MemberName))
		w("<br><span class=\"muted\">")
		w(htmlText(c.MemberID))
		w("</span></td><td class=\"claims-nowrap\">")
		w(htmlText(models.FormatTIN(c.TIN)))
		w("</td>\n        <td class=\"num\">")
		w(formatMoney(c.Billed))
		w("</td><td class=\"num\">")
		w(formatMoney(c.Allowed))
		w("</td><td class=\"num\">")
		w(formatMoney(c.Paid))
		w("</td><td class=\"num\">")
		w(formatMoney(c.MemberResp))
		w("</td>\n      </tr>\n    ")
	}
	return template.HTML(b.String())
}

// paymentRows writes the rows of the payment history (pages/claims/payments): date and
// number linked to the explanation of payment, method, amount, payee, where the money
// went and what it paid (a claim count, or the month of a capitation check).
func (h *Handler) paymentRows(payments []models.Payment) template.HTML {
	var b strings.Builder
	b.Grow(720 * len(payments))
	w := b.WriteString
	for i := range payments {
		p := &payments[i]
		href := urlPart(p.No)
		w("\n      <tr>\n        <td><a href=\"/claims/payments/")
		w(href)
		w(`">`)
		w(htmlText(h.formatDate(p.Date)))
		w("</a></td>\n        <td><a href=\"/claims/payments/")
		w(href)
		w(`">`)
		w(htmlText(p.No))
		w("</a></td>\n        <td>")
		w(p.MethodLabel())
		w("</td>\n        <td class=\"num\">")
		w(formatMoney(p.Amount))
		w("</td>\n        <td class=\"claims-nowrap\">")
		w(htmlText(models.FormatTIN(p.TIN)))
		w("<br><span class=\"muted\">")
		w(htmlText(p.PayeeName))
		w("</span></td>\n        <td>")
		w(htmlText(p.PaidTo()))
		w("</td>\n        <td class=\"num\">")
		if p.IsCapitation() {
			w("Capitation ")
			w(htmlText(p.CapitationMonth))
		} else {
			w(strconv.Itoa(p.ClaimCount))
		}
		w("</td>\n      </tr>\n    ")
	}
	return template.HTML(b.String())
}
