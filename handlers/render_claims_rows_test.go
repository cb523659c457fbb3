package handlers

import (
	"fmt"
	"strings"
	"testing"

	"portico/models"
	"portico/views"
)

// claimListRowsTemplate is the range of pages/claims/index that claimListRows replaced
// (the tests trim its indentation, which stays in the page around the call).
const claimListRowsTemplate = `    {{range .Claims}}
      <tr>
        <td><a href="/claims/{{.ClaimNo}}">{{.ClaimNo}}</a></td>
        <td><span class="status {{.StatusClass}}">{{.StatusLabel}}</span></td>
        <td>{{date .ReceivedDate}}</td><td>{{date .ServiceFrom}}</td>
        <td>{{.MemberName}}<br><span class="muted">{{.MemberID}}</span></td><td class="claims-nowrap">{{tin .TIN}}</td>
        <td class="num">{{money .Billed}}</td><td class="num">{{money .Allowed}}</td><td class="num">{{money .Paid}}</td><td class="num">{{money .MemberResp}}</td>
      </tr>
    {{end}}
`

// paymentRowsTemplate is the range of pages/claims/payments that paymentRows replaced.
const paymentRowsTemplate = `    {{range .Payments}}
      <tr>
        <td><a href="/claims/payments/{{.No}}">{{date .Date}}</a></td>
        <td><a href="/claims/payments/{{.No}}">{{.No}}</a></td>
        <td>{{.MethodLabel}}</td>
        <td class="num">{{money .Amount}}</td>
        <td class="claims-nowrap">{{tin .TIN}}<br><span class="muted">{{.PayeeName}}</span></td>
        <td>{{.PaidTo}}</td>
        <td class="num">{{if .IsCapitation}}Capitation {{.CapitationMonth}}{{else}}{{.ClaimCount}}{{end}}</td>
      </tr>
    {{end}}
`

// claimStatusSelectTemplate is the range of pages/claims/index that claimStatusSelect
// replaced.
const claimStatusSelectTemplate = `{{range .Statuses}}<option value="{{.Value}}"{{if eq .Value $.F.Status}} selected{{end}}>{{.Label}}</option>{{end}}`

// claimFilterHiddenTemplate is the part of partials/claims/filter_hidden that
// claimFilterHidden replaced.
const claimFilterHiddenTemplate = `<input type="hidden" name="status" value="{{.F.Status}}">
<input type="hidden" name="from" value="{{.F.From}}">
<input type="hidden" name="to" value="{{.F.To}}">
<input type="hidden" name="claim_no" value="{{.F.ClaimNo}}">
<input type="hidden" name="member_id" value="{{.F.MemberID}}">`

// tinSelectTemplate is partials/claims/tin_select, which paymentTINSelect replaced.
const tinSelectTemplate = `{{/* partials/claims/tin_select: the payment history's TIN filter; call with (dict "F" filter "TINs" tins "ID" id). */}}
<div class="field{{with index .F.Errors "pay-tin"}} has-error{{end}}">
  <label for="{{.ID}}">TIN</label>
  {{if eq .ID "pay-tin"}}{{template "partials/field_error" (dict "E" .F.Errors "F" "pay-tin")}}{{end}}
  <select id="{{.ID}}" name="tin">
    <option value="">All my TINs</option>
    {{range .TINs}}{{if eq .Status "verified"}}<option value="{{.ID}}"{{if eq .ID $.F.TINID}} selected{{end}}>{{.Display}}</option>{{end}}{{end}}
  </select>
</div>
`

// TestClaimListRowsMatchTemplate: the claims list's rows, written in Go, are what the
// template wrote: every status (its label and colour class), hostile text in every
// string cell (the status and a TIN that is not nine digits included), dates stored as
// dates, as instants and as nonsense, and amounts negative, zero and in the millions.
func TestClaimListRowsMatchTemplate(t *testing.T) {
	ta := newTestApp(t)
	claims := []models.ClaimSummary{
		{ClaimNo: hostileCell, MemberID: hostileCell, MemberName: hostileCell, TIN: hostileCell, Status: hostileCell,
			ReceivedDate: hostileCell, ServiceFrom: hostileCell, Billed: -1, Allowed: 0, Paid: 123456789, MemberResp: -250075},
		{ClaimNo: "C2611270001", MemberID: "A100000001", MemberName: hostile, TIN: "95<12>4567", Status: "paid",
			ReceivedDate: "2026-11-27T08:15:00Z", ServiceFrom: "2026-02-30", Billed: 7300, Allowed: 7300, Paid: 7300},
	}
	for i, s := range append(models.ClaimStatuses, "") {
		claims = append(claims, models.ClaimSummary{ClaimNo: fmt.Sprintf("C261127%04d", 10+i), MemberID: "A100000002",
			MemberName: "Ana María Núñez Jr", TIN: "951234567", Status: s, ReceivedDate: fmt.Sprintf("2026-11-%02d", 1+i),
			ServiceFrom: "2026-10-31", Billed: 12000, Allowed: 9000, Paid: 7000, MemberResp: 2000})
	}
	tmpl := `{{with .}}` + strings.TrimSpace(claimListRowsTemplate) + `{{end}}`
	got := ta.h.claimListRows(claims)
	sameAsTemplate(t, ta.h, tmpl, map[string]any{"Claims": claims}, got)
	if !strings.Contains(string(got), `<a href="/claims/C2611270001">C2611270001</a>`) || !strings.Contains(string(got), "More information needed") {
		t.Errorf("the rows lack a claim's link or a status label:\n%s", got)
	}
	sameAsTemplate(t, ta.h, tmpl, map[string]any{"Claims": []models.ClaimSummary(nil)}, ta.h.claimListRows(nil))
}

// TestPaymentRowsMatchTemplate: the payment history's rows, written in Go, are what the
// template wrote for a check (its mailing address), an EFT (the masked account), a
// capitation check (its month instead of a claim count) and a row of hostile text in
// every string cell.
func TestPaymentRowsMatchTemplate(t *testing.T) {
	ta := newTestApp(t)
	payments := []models.Payment{
		{No: hostileCell, Date: hostileCell, Amount: -99, TIN: hostileCell, PayeeName: hostileCell, Method: hostileCell,
			Address: hostileCell, Last4: hostileCell, ClaimCount: -3, CapitationMonth: hostileCell},
		{No: hostileCell, Date: "2026-11-27T08:15:00Z", Amount: 0, TIN: hostileCell, PayeeName: hostileCell, Method: "eft",
			Address: hostileCell, Last4: hostileCell},
		{No: "100234567", Date: "2026-11-20", Amount: 123456789, TIN: "951234567", PayeeName: "Sunrise Family Medicine",
			Method: "check", Address: "100 Main St, Fresno, CA 93721", ClaimCount: 42},
		{No: "EFT2611200001", Date: "2026-11-20", Amount: 880000, TIN: "951234567", PayeeName: "Sunrise Family Medicine",
			Method: "eft", Last4: "6789", ClaimCount: 0},
		{No: "100234568", Date: "2026-11-01", Amount: 4512300, TIN: "957654321", PayeeName: "Valley IPA", Method: "check",
			Address: "1 Ñandú Way", ClaimCount: 0, CapitationMonth: "2026-11"},
	}
	tmpl := `{{with .}}` + strings.TrimSpace(paymentRowsTemplate) + `{{end}}`
	got := ta.h.paymentRows(payments)
	sameAsTemplate(t, ta.h, tmpl, map[string]any{"Payments": payments}, got)
	for _, want := range []string{"Bank account ••••6789", "Capitation 2026-11", `<a href="/claims/payments/EFT2611200001">`, "<td class=\"num\">42</td>"} {
		if !strings.Contains(string(got), want) {
			t.Errorf("the rows lack %q:\n%s", want, got)
		}
	}
	sameAsTemplate(t, ta.h, tmpl, map[string]any{"Payments": []models.Payment(nil)}, ta.h.paymentRows(nil))
}

// TestClaimFilterMarkupMatchesTemplate: the claims list's status options and hidden
// filter inputs, written in Go, are what the template wrote, for every status chosen
// (none, each one, and a hostile value that matches none) and hostile text typed in
// every filter field.
func TestClaimFilterMarkupMatchesTemplate(t *testing.T) {
	ta := newTestApp(t)
	for _, chosen := range append([]string{"", hostileCell}, models.ClaimStatuses...) {
		f := &claimFilter{ClaimFilter: models.ClaimFilter{Status: chosen}}
		got := claimStatusSelect(chosen)
		sameAsTemplate(t, ta.h, claimStatusSelectTemplate, map[string]any{"Statuses": claimStatusOptions(), "F": f}, got)
		if want := `value="` + chosen + `" selected>`; models.ValidClaimStatus(chosen) && !strings.Contains(string(got), want) {
			t.Errorf("status %q is not selected: %s", chosen, got)
		}
	}
	for _, f := range []models.ClaimFilter{{}, {Status: "paid", From: "2026-01-01", To: "01/31/2026", ClaimNo: "C2600000001", MemberID: "A100000001"},
		{Status: hostileCell, From: hostileCell, To: hostileCell, ClaimNo: hostileCell, MemberID: hostileCell}} {
		sameAsTemplate(t, ta.h, claimFilterHiddenTemplate, map[string]any{"F": &claimFilter{ClaimFilter: f}}, claimFilterHidden(&f))
	}
}

// TestPaymentTINSelectMatchesTemplate: the payment history's two TIN filters, written in
// Go, are what partials/claims/tin_select wrote (with the real partials/field_error):
// all TINs or one chosen, unverified TINs left out, the TIN's message under the first
// select only and hostile text in the TINs, the message and the id.
func TestPaymentTINSelectMatchesTemplate(t *testing.T) {
	ta := newTestApp(t)
	fieldError, err := views.FS.ReadFile("partials/field_error.html")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := `{{define "partials/field_error"}}` + string(fieldError) + `{{end}}` + tinSelectTemplate
	tins := []models.TIN{{ID: 7, TIN: "951234567", Status: "verified"}, {ID: 9, TIN: hostileCell, Status: "verified"},
		{ID: 12, TIN: "957654321", Status: "pending"}, {ID: 3, TIN: "940000001", Status: hostileCell}}
	for _, f := range []*paymentFilter{
		{},
		{TINID: 9, Errors: models.FieldErrors{"pay-from": "Enter the date."}},
		{TINID: 7, Errors: models.FieldErrors{"pay-tin": hostileCell}},
		{TINID: 12, Errors: models.FieldErrors{}},
	} {
		for _, id := range []string{"pay-tin", "pay-month-tin", hostileCell} {
			got := paymentTINSelect(f, tins, id)
			sameAsTemplate(t, ta.h, tmpl, map[string]any{"F": f, "TINs": tins, "ID": id}, got)
			if strings.Contains(string(got), `value="12"`) || strings.Contains(string(got), `value="3"`) {
				t.Errorf("an unverified TIN is offered: %s", got)
			}
		}
	}
	sameAsTemplate(t, ta.h, tmpl, map[string]any{"F": &paymentFilter{}, "TINs": []models.TIN(nil), "ID": "pay-tin"}, paymentTINSelect(&paymentFilter{}, nil, "pay-tin"))
}
