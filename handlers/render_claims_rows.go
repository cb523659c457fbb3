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

// claimStatusSelect writes the options of the claims list's status filter, the chosen
// status selected: as a template range it cost the page more than the rest of its form.
func claimStatusSelect(chosen string) template.HTML {
	var b strings.Builder
	b.Grow(480)
	w := b.WriteString
	for _, o := range claimStatusOptions() {
		w(`<option value="`)
		w(htmlText(o.Value))
		w(`"`)
		if o.Value == chosen {
			w(" selected")
		}
		w(">")
		w(htmlText(o.Label))
		w("</option>")
	}
	return template.HTML(b.String())
}

// claimFilterHidden writes the claims list's filters as hidden inputs, for the paging
// and CSV forms that carry them (partials/claims/filter_hidden, which adds the CSRF
// token of the page).
func claimFilterHidden(f *models.ClaimFilter) template.HTML {
	var b strings.Builder
	b.Grow(300)
	w := b.WriteString
	for _, x := range [...]struct{ name, value string }{
		{"status", f.Status}, {"from", f.From}, {"to", f.To}, {"claim_no", f.ClaimNo}, {"member_id", f.MemberID},
	} {
		if x.name != "status" {
			w("\n")
		}
		w(`<input type="hidden" name="`)
		w(x.name)
		w(`" value="`)
		w(htmlText(x.value))
		w(`">`)
	}
	return template.HTML(b.String())
}

// paymentTINSelect writes the payment history's TIN filter (one of the account's
// verified TINs, or all) for the form whose select has the id given: "pay-tin" (the
// dates form, which shows the TIN's message) or "pay-month-tin" (the month form).
func paymentTINSelect(f *paymentFilter, tins []models.TIN, id string) template.HTML {
	var b strings.Builder
	b.Grow(400 + 80*len(tins))
	w := b.WriteString
	msg := f.Errors["pay-tin"]
	first := id == "pay-tin"
	id = htmlText(id)
	w("\n<div class=\"field")
	if msg != "" {
		w(" has-error")
	}
	w("\">\n  <label for=\"")
	w(id)
	w("\">TIN</label>\n  ")
	if first {
		w("\n")
		if msg != "" {
			w(`<span class="field-error" id="pay-tin-error">`)
			w(htmlText(msg))
			w("</span>")
		}
		w("\n")
	}
	w("\n  <select id=\"")
	w(id)
	w("\" name=\"tin\">\n    <option value=\"\">All my TINs</option>\n    ")
	for i := range tins {
		t := &tins[i]
		if t.Status != "verified" {
			continue
		}
		w(`<option value="`)
		w(strconv.FormatInt(t.ID, 10))
		w(`"`)
		if t.ID == f.TINID {
			w(" selected")
		}
		w(">")
		w(htmlText(t.Display()))
		w("</option>")
	}
	w("\n  </select>\n</div>\n")
	return template.HTML(b.String())
}
