package handlers

import (
	"html/template"
	"strings"
	"testing"

	"portico/models"
)

// eopBodyTemplate is the part of pages/claims/eop that eopBody replaced, as it was (the
// claims' rows were already written in Go by eopClaims).
const eopBodyTemplate = `{{with .E}}
<p class="no-print"><a href="/claims/payments">Payment history</a></p>
<div class="row claims-head">
  <h1 class="mb-0">Explanation of payment: {{.MethodLabel}} {{.No}}</h1>
  <span class="row no-print">
    <button type="button" class="button-secondary" data-print>Print</button>
    {{if not .IsCapitation}}<a class="button button-secondary" href="/claims/payments/{{.No}}/csv">Download CSV</a>{{end}}
  </span>
</div>
<p class="print-only">{{$.P.PlanName}} · explanation of payment {{.No}} · {{date .Date}}{{if not .All}} · claims {{.First}}–{{.Last}} of {{.ClaimCount}}{{end}}</p>
<section class="card" aria-labelledby="eop-pay-h">
  <h2 id="eop-pay-h">Payment</h2>
  <dl class="summary-list">
    <dt>{{.MethodLabel}} date</dt><dd>{{date .Date}}</dd>
    <dt>{{if .IsEFT}}EFT trace number{{else}}Check number{{end}}</dt><dd>{{.No}}</dd>
    <dt>Amount</dt><dd>{{money .Amount}}</dd>
    <dt>Payee</dt><dd>{{.PayeeName}}, TIN {{tin .TIN}}</dd>
    <dt>{{if .IsEFT}}Paid into{{else}}Mailed to{{end}}</dt><dd>{{.PaidTo}}</dd>
    <dt>Paid for</dt><dd>{{.Kind}}</dd>
    {{if not .IsCapitation}}<dt>Claims paid</dt><dd>{{.ClaimCount}} claim{{if ne .ClaimCount 1}}s{{end}}, {{.Totals.Lines}} service line{{if ne .Totals.Lines 1}}s{{end}}</dd>{{end}}
  </dl>
</section>
{{if .IsCapitation}}
<section class="card" aria-labelledby="eop-cap-h">
  <h2 id="eop-cap-h">Capitation payment</h2>
  <p>This check is the monthly capitation for {{.CapitationMonth}} to TIN {{tin .TIN}}: it pays per member per month, not claim by claim. Its member months, rate cells and retroactive adjustments are in the <a href="/reports?tin={{.TINID}}&amp;month={{.CapitationMonth}}">capitation payment summary</a> (Provider reports).</p>
</section>
{{else}}
<section class="card" aria-labelledby="eop-lines-h">
  <h2 id="eop-lines-h">Claims and service lines</h2>
  {{if gt .Pages 1}}<p class="no-print">{{if .All}}All {{.ClaimCount}} claims.{{else}}Claims {{.First}}–{{.Last}} of {{.ClaimCount}} (page {{.Page}} of {{.Pages}}).{{end}} <a href="/claims/payments/{{.No}}?all=1">Show all claims{{if not .All}} (to print){{end}}</a></p>{{end}}
  <p class="hint">Member responsibility is what the member may be billed (deductible, copay, coinsurance). Contractual adjustments (CO) are written off and may not be billed to the member.</p>
  <div class="table-wrap">
    <table class="eop sticky-head">
      <thead><tr>
        <th scope="col">Claim / line</th><th scope="col">Service date</th><th scope="col">Code</th>
        <th scope="col" class="num">Billed</th><th scope="col" class="num">Allowed</th>
        <th scope="col" class="num">Deductible</th><th scope="col" class="num">Copay</th><th scope="col" class="num">Coinsurance</th>
        <th scope="col" class="num">Paid</th><th scope="col">Adjustments</th>
      </tr></thead>
      {{/* One tbody per claim, with its lines: written in Go (handlers.eopClaims). */}}{{eopClaims .Claims}}
      <tfoot><tr>
        <th scope="row" colspan="3">{{.MethodLabel}} total ({{.ClaimCount}} claim{{if ne .ClaimCount 1}}s{{end}}, {{.Totals.Lines}} line{{if ne .Totals.Lines 1}}s{{end}})</th>
        <td class="num">{{money .Totals.Billed}}</td><td class="num">{{money .Totals.Allowed}}</td>
        <td class="num">{{money .Totals.Deductible}}</td><td class="num">{{money .Totals.Copay}}</td><td class="num">{{money .Totals.Coinsurance}}</td>
        <td class="num" id="eop-total-paid">{{money .Totals.Paid}}</td><td>Adjusted {{money .Totals.Adjusted}}</td>
      </tr></tfoot>
    </table>
  </div>
  {{if and (gt .Pages 1) (not .All)}}
  <nav class="pager no-print" aria-label="Pages of claims">
    <span>{{.ClaimCount}} claims</span>
    <span class="row">
      {{if gt .Page 1}}<a href="/claims/payments/{{.No}}?page={{sub .Page 1}}">Previous claims</a>{{end}}
      {{if lt .Page .Pages}}<a href="/claims/payments/{{.No}}?page={{add .Page 1}}">Next claims</a>{{end}}
    </span>
  </nav>
  {{end}}
  <p>{{if .Balanced}}The lines above add up to the {{if .IsEFT}}EFT{{else}}check{{end}} amount of {{money .Amount}}.{{else}}<strong class="status status-bad">The lines above do not add up to the payment of {{money .Amount}}; please send a secure message to the Claims department.</strong>{{end}}</p>
</section>
{{end}}
{{end}}`

// TestEOPBodyMatchesTemplate: an explanation of payment written in Go is what the
// template wrote, byte for byte: an EFT and a check, one page of several or all claims,
// a single page, lines that add up or not, a capitation check, and hostile text in every
// string the page shows.
func TestEOPBodyMatchesTemplate(t *testing.T) {
	ta := newTestApp(t)
	tmpl := template.Must(template.New("x").Funcs(ta.h.templateFuncs()).Funcs(template.FuncMap{"eopClaims": func(c []models.EOPClaim) template.HTML {
		return written(func(b *strings.Builder) { ta.h.writeEOPClaims(b, c) })
	}}).
		Parse(`{{with .}}` + eopBodyTemplate + `{{end}}`))
	line := models.ClaimLine{LineNo: 1, ServiceDate: "2026-11-02", Code: "99213", Description: hostileCell, Units: 1,
		Billed: 9000, Allowed: 6000, Paid: 5000, Coinsurance: 1000, AdjGroup: "CO", AdjCARC: "45", Adj: 3000}
	claim := models.EOPClaim{ClaimSummary: models.ClaimSummary{ClaimNo: hostileCell, MemberID: "A100000001", MemberName: hostileCell,
		Status: "paid", ReceivedDate: "2026-11-01", Billed: 9000, Allowed: 6000, Paid: 5000, MemberResp: 1000},
		Lines: []models.ClaimLine{line}}
	totals := models.EOPTotals{Billed: 9000, Allowed: 6000, Coinsurance: 1000, Adjusted: 3000, Paid: 5000, Lines: 1}
	eft := models.Payment{No: "EFT010002701", Date: "2026-11-20", Amount: 5000, Method: "eft", Last4: "1234", PayeeName: "Sunrise Family Medicine",
		TIN: "951234567", TINID: 1, ClaimCount: 1, Totals: totals}
	hostilePay := models.Payment{No: hostileCell, Date: hostileCell, Amount: -123456, Method: hostileCell, Address: hostileCell,
		PayeeName: hostileCell, TIN: hostileCell, TINID: 7, ClaimCount: 120, Totals: models.EOPTotals{Billed: 1, Lines: 1, Paid: -5}}
	check := eft
	check.No, check.Method, check.Address, check.Last4 = "10000001", "check", hostileCell, ""
	capitation := check
	capitation.CapitationMonth, capitation.TIN = hostileCell+" 2026-10?&x=1#y", "12345"
	eops := map[string]*models.EOP{
		"EFT, one page, balanced":          {Payment: eft, Claims: []models.EOPClaim{claim}, Loaded: totals, All: true, Page: 1, Pages: 1, First: 1},
		"EFT, one page of one, not all":    {Payment: eft, Claims: []models.EOPClaim{claim}, Page: 1, Pages: 1, First: 1},
		"check, all claims of three pages": {Payment: check, Claims: []models.EOPClaim{claim, claim}, All: true, Page: 1, Pages: 3, First: 1},
		"hostile, first page":              {Payment: hostilePay, Claims: []models.EOPClaim{claim}, Page: 1, Pages: 3, First: 1},
		"hostile, middle page":             {Payment: hostilePay, Claims: []models.EOPClaim{claim, claim}, Page: 2, Pages: 3, First: 51},
		"hostile, last page":               {Payment: hostilePay, Page: 3, Pages: 3, First: 101},
		"capitation":                       {Payment: capitation, All: true, Page: 1, Pages: 1, First: 1},
	}
	for name, e := range eops {
		for _, planName := range []string{"Valley Health Plan", hostileCell} {
			var want strings.Builder
			if err := tmpl.Execute(&want, map[string]any{"E": e, "P": map[string]any{"PlanName": planName}}); err != nil {
				t.Fatal(err)
			}
			got := ta.h.eopBody(e, planName)
			if string(got) != want.String() {
				t.Errorf("%s: written in Go:\n%s\nthe template wrote:\n%s", name, got, want.String())
			}
			if strings.Contains(string(got), "<script>") {
				t.Errorf("%s: unescaped markup in %s", name, got)
			}
		}
	}
	if ta.h.eopBody(nil, "x") != "" {
		t.Error("no explanation of payment wrote something")
	}
}
