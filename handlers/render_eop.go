package handlers

import (
	"html/template"
	"strconv"
	"strings"

	"portico/models"
)

// eopBody writes the body of an explanation of payment (pages/claims/eop, between the
// claims sub-navigation and the foot): the heading, the payment card and the claims card
// with its rows, totals, pager and balance line, or the capitation card. The page
// profile under load showed html/template's reflective execution of these fields (each
// one found through the embedded Payment) as a sixth of the page once the rows were
// written in Go. It writes what the template wrote, byte for byte
// (TestEOPBodyMatchesTemplate). planName is the plan's name for the printed header.
func (h *Handler) eopBody(e *models.EOP, planName string) template.HTML {
	if e == nil {
		return ""
	}
	var b strings.Builder
	b.Grow(4096 + 1600*len(e.Claims))
	w := b.WriteString
	no, noURL, method := htmlText(e.No), urlPart(e.No), htmlText(e.MethodLabel())
	w("\n<p class=\"no-print\"><a href=\"/claims/payments\">Payment history</a></p>\n<div class=\"row claims-head\">\n  <h1 class=\"mb-0\">Explanation of payment: ")
	w(method)
	w(" ")
	w(no)
	w("</h1>\n  <span class=\"row no-print\">\n    <button type=\"button\" class=\"button-secondary\" data-print>Print</button>\n    ")
	if !e.IsCapitation() {
		w("<a class=\"button button-secondary\" href=\"/claims/payments/")
		w(noURL)
		w("/csv\">Download CSV</a>")
	}
	w("\n  </span>\n</div>\n<p class=\"print-only\">")
	w(htmlText(planName))
	w(" · explanation of payment ")
	w(no)
	w(" · ")
	w(htmlText(h.formatDate(e.Date)))
	if !e.All {
		w(" · claims ")
		w(eopRange(e))
	}
	w("</p>\n<section class=\"card\" aria-labelledby=\"eop-pay-h\">\n  <h2 id=\"eop-pay-h\">Payment</h2>\n  <dl class=\"summary-list\">\n    <dt>")
	w(method)
	w(" date</dt><dd>")
	w(htmlText(h.formatDate(e.Date)))
	w("</dd>\n    <dt>")
	w(pick(e.IsEFT(), "EFT trace number", "Check number"))
	w("</dt><dd>")
	w(no)
	w("</dd>\n    <dt>Amount</dt><dd>")
	w(formatMoney(e.Amount))
	w("</dd>\n    <dt>Payee</dt><dd>")
	w(htmlText(e.PayeeName))
	w(", TIN ")
	w(htmlText(models.FormatTIN(e.TIN)))
	w("</dd>\n    <dt>")
	w(pick(e.IsEFT(), "Paid into", "Mailed to"))
	w("</dt><dd>")
	w(htmlText(e.PaidTo()))
	w("</dd>\n    <dt>Paid for</dt><dd>")
	w(htmlText(e.Kind()))
	w("</dd>\n    ")
	if !e.IsCapitation() {
		w("<dt>Claims paid</dt><dd>")
		w(counted(e.ClaimCount, " claim"))
		w(", ")
		w(counted(e.Totals.Lines, " service line"))
		w("</dd>")
	}
	w("\n  </dl>\n</section>\n")
	if e.IsCapitation() {
		w("\n<section class=\"card\" aria-labelledby=\"eop-cap-h\">\n  <h2 id=\"eop-cap-h\">Capitation payment</h2>\n  <p>This check is the monthly capitation for ")
		w(htmlText(e.CapitationMonth))
		w(" to TIN ")
		w(htmlText(models.FormatTIN(e.TIN)))
		w(": it pays per member per month, not claim by claim. Its member months, rate cells and retroactive adjustments are in the <a href=\"/reports?tin=")
		w(strconv.FormatInt(e.TINID, 10))
		w("&amp;month=")
		w(urlQueryPart(e.CapitationMonth))
		w("\">capitation payment summary</a> (Provider reports).</p>\n</section>\n")
	} else {
		h.eopClaimsCard(&b, e, no, noURL, method)
	}
	w("\n")
	return template.HTML(b.String())
}

// eopClaimsCard writes the claims card of an explanation of payment: the paging note,
// the table with the claims' rows (writeEOPClaims) and the totals, the pager and whether the
// lines add up to the payment. no, noURL and method are the payment's number escaped for
// text and for a link's path, and its method in words.
func (h *Handler) eopClaimsCard(b *strings.Builder, e *models.EOP, no, noURL, method string) {
	w := b.WriteString
	w("\n<section class=\"card\" aria-labelledby=\"eop-lines-h\">\n  <h2 id=\"eop-lines-h\">Claims and service lines</h2>\n  ")
	if e.Pages > 1 {
		w("<p class=\"no-print\">")
		if e.All {
			w("All ")
			w(strconv.Itoa(e.ClaimCount))
			w(" claims.")
		} else {
			w("Claims ")
			w(eopRange(e))
			w(" (page ")
			w(strconv.Itoa(e.Page))
			w(" of ")
			w(strconv.Itoa(e.Pages))
			w(").")
		}
		w(" <a href=\"/claims/payments/")
		w(noURL)
		w("?all=1\">Show all claims")
		if !e.All {
			w(" (to print)")
		}
		w("</a></p>")
	}
	w("\n  <p class=\"hint\">Member responsibility is what the member may be billed (deductible, copay, coinsurance). Contractual adjustments (CO) are written off and may not be billed to the member.</p>\n" +
		"  <div class=\"table-wrap\">\n    <table class=\"eop sticky-head\">\n      <thead><tr>\n" +
		"        <th scope=\"col\">Claim / line</th><th scope=\"col\">Service date</th><th scope=\"col\">Code</th>\n" +
		"        <th scope=\"col\" class=\"num\">Billed</th><th scope=\"col\" class=\"num\">Allowed</th>\n" +
		"        <th scope=\"col\" class=\"num\">Deductible</th><th scope=\"col\" class=\"num\">Copay</th><th scope=\"col\" class=\"num\">Coinsurance</th>\n" +
		"        <th scope=\"col\" class=\"num\">Paid</th><th scope=\"col\">Adjustments</th>\n      </tr></thead>\n      ")
	h.writeEOPClaims(b, e.Claims)
	t := &e.Totals
	w("\n      <tfoot><tr>\n        <th scope=\"row\" colspan=\"3\">")
	w(method)
	w(" total (")
	w(counted(e.ClaimCount, " claim"))
	w(", ")
	w(counted(t.Lines, " line"))
	w(")</th>\n        <td class=\"num\">")
	w(formatMoney(t.Billed))
	w("</td><td class=\"num\">")
	w(formatMoney(t.Allowed))
	w("</td>\n        <td class=\"num\">")
	w(formatMoney(t.Deductible))
	w("</td><td class=\"num\">")
	w(formatMoney(t.Copay))
	w("</td><td class=\"num\">")
	w(formatMoney(t.Coinsurance))
	w("</td>\n        <td class=\"num\" id=\"eop-total-paid\">")
	w(formatMoney(t.Paid))
	w("</td><td>Adjusted ")
	w(formatMoney(t.Adjusted))
	w("</td>\n      </tr></tfoot>\n    </table>\n  </div>\n  ")
	if e.Pages > 1 && !e.All {
		w("\n  <nav class=\"pager no-print\" aria-label=\"Pages of claims\">\n    <span>")
		w(strconv.Itoa(e.ClaimCount))
		w(" claims</span>\n    <span class=\"row\">\n      ")
		pagerLinks(b, "/claims/payments/"+noURL+"?page=", e.Page, e.Page < e.Pages, "Previous claims", "Next claims", "\n      ")
		w("\n    </span>\n  </nav>\n  ")
	}
	w("\n  <p>")
	if e.Balanced() {
		w("The lines above add up to the ")
		w(pick(e.IsEFT(), "EFT", "check"))
		w(" amount of ")
		w(formatMoney(e.Amount))
		w(".")
	} else {
		w("<strong class=\"status status-bad\">The lines above do not add up to the payment of ")
		w(formatMoney(e.Amount))
		w("; please send a secure message to the Claims department.</strong>")
	}
	w("</p>\n</section>\n")
}

// pick is yes when cond holds, no otherwise: the template's {{if}}…{{else}}… between two
// fixed words.
func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// pagerLinks writes a pager's links to the previous and the next page as the templates
// wrote them: href is the link up to the page number ("/x?a=1&amp;page="), already
// escaped; the first page has no previous link, the last no next one; sep stands between
// the two places.
func pagerLinks(b *strings.Builder, href string, page int, hasNext bool, prev, next, sep string) {
	if page > 1 {
		b.WriteString(`<a href="` + href + urlQueryPart(strconv.Itoa(page-1)) + `">` + prev + `</a>`)
	}
	b.WriteString(sep)
	if hasNext {
		b.WriteString(`<a href="` + href + urlQueryPart(strconv.Itoa(page+1)) + `">` + next + `</a>`)
	}
}

// pageOf is " · page 3 of 8" after a count, or nothing when there are no pages.
func pageOf(page, pages int) string {
	if pages == 0 {
		return ""
	}
	return " · page " + strconv.Itoa(page) + " of " + strconv.Itoa(pages)
}

// counted is n and its noun, with an "s" unless n is 1 ("3 claims", "1 claim").
func counted(n int, noun string) string {
	s := strconv.Itoa(n) + noun
	if n != 1 {
		s += "s"
	}
	return s
}

// eopRange is the claims a page of an EOP shows, "51–100 of 120".
func eopRange(e *models.EOP) string {
	return strconv.Itoa(e.First) + "–" + strconv.Itoa(e.Last()) + " of " + strconv.Itoa(e.ClaimCount)
}

// urlQueryPart escapes s where html/template puts it in a link's query ("?month={{.}}"):
// every byte but letters, digits and "-._~" becomes %xx (its URL escaper, which leaves
// nothing for the attribute escaper to do).
func urlQueryPart(s string) string { return percentEncode(s, unreservedAt) }

// unreservedAt tells whether the byte at i of s is a letter, a digit or one of "-._~",
// which a URL never escapes.
func unreservedAt(s string, i int) bool {
	c := s[i]
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0
}
