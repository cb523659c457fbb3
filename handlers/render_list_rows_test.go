package handlers

import (
	"html/template"
	"strings"
	"testing"

	"portico/models"
	"portico/views"
)

// hostileCell is text any string cell of a list row could hold: markup, quotes, the '+'
// html/template escapes and template.HTMLEscapeString does not, a NUL, percent signs
// valid and not, and letters beyond ASCII.
const hostileCell = hostile + " a+b\x00 50%zz %41 Ñúñez"

// written is what write writes into a fresh builder, as markup.
func written(write func(b *strings.Builder)) template.HTML {
	var b strings.Builder
	write(&b)
	return template.HTML(b.String())
}

// eopClaimsTemplate is the range of pages/claims/eop that eopClaims replaced (the tests
// trim its indentation, which stays in the page around the call).
const eopClaimsTemplate = `      {{range .Claims}}{{/* $c: the embedded summary bound once; a field looked up through the embedding costs html/template a reflective search each time */}}{{$c := .ClaimSummary}}
      <tbody>
        <tr class="eop-claim">
          <th scope="rowgroup" colspan="10"><a href="/claims/{{$c.ClaimNo}}">{{$c.ClaimNo}}</a> · {{$c.MemberName}} ({{$c.MemberID}}) · received {{date $c.ReceivedDate}} · <span class="status {{$c.StatusClass}}">{{$c.StatusLabel}}</span></th>
        </tr>
        {{range .Lines}}
        <tr>
          <td>Line {{.LineNo}}</td><td>{{date .ServiceDate}}</td><td>{{.Code}}{{range .Modifiers}}-{{.}}{{end}}{{if gt .Units 1}} × {{.Units}}{{end}}<br><span class="muted">{{.Description}}</span></td>
          <td class="num">{{money .Billed}}</td><td class="num">{{money .Allowed}}</td>
          <td class="num">{{money .Deductible}}</td><td class="num">{{money .Copay}}</td><td class="num">{{money .Coinsurance}}</td>
          <td class="num">{{money .Paid}}</td>
          <td>{{template "partials/claims/adjustments" .}}</td>
        </tr>
        {{end}}
        <tr class="eop-subtotal">
          <th scope="row" colspan="3">Claim {{$c.ClaimNo}} total</th>
          <td class="num">{{money $c.Billed}}</td><td class="num">{{money $c.Allowed}}</td>
          <td class="num" colspan="3">Member responsibility {{money $c.MemberResp}}</td>
          <td class="num">{{money $c.Paid}}</td><td></td>
        </tr>
      </tbody>
      {{end}}
`

// rosterRowsTemplate is the range of pages/reports/members that rosterRows replaced.
const rosterRowsTemplate = `      {{range .Rows}}
      <tr><td>{{.Name}}<br><span class="muted">{{.MemberID}}</span></td><td>{{date .DOB}}</td><td>{{with .AidCode}}{{.}} · {{end}}{{.ProductLabel}}</td><td>{{.RateCell}}</td>{{if ne $.Kind "terms"}}<td class="num">{{money .PMPM}}</td>{{end}}<td>{{date .EffectiveDate}}</td><td>{{if .EndDate}}{{date .EndDate}}{{else}}—{{end}}</td>{{if eq $.Kind "roster"}}<td>{{if eq .Change "add"}}<span class="status status-ok">Add</span>{{end}}</td>{{end}}</tr>
      {{end}}
`

// patientRowsTemplate is the range of pages/patients/index that patientRows replaced.
const patientRowsTemplate = `    {{range .Page.Patients}}
      <tr>
        <td><a href="/members/{{.MemberID}}">{{.LastName}}{{if .Suffix}} {{.Suffix}}{{end}}, {{.FirstName}}</a></td>
        <td>{{.MemberID}}</td><td>{{date .DOB}}</td><td>{{date .EffectiveDate}}</td>
        <td><span class="status {{if eq .Status "active"}}status-ok{{else if eq .Status "future"}}status-info{{else}}status-bad{{end}}">{{title .Status}}</span></td>
        <td>{{.PlanName}}</td>
        <td>{{if .PCPName}}{{.PCPName}}{{else}}None assigned{{end}}</td>
      </tr>
    {{end}}
`

// queueRowsTemplate is the range of pages/authorizations/queue that queueRows replaced.
const queueRowsTemplate = `    {{range .Rows}}
    <tr{{if .Overdue}} class="overdue-row"{{end}}>
      <td>{{if eq .Status "more_info"}}Paused{{else}}{{.DueLocal}}{{end}}{{if .Overdue}}<br><span class="status status-bad">Overdue</span>{{end}}</td>
      <td><a href="/authorizations/review/{{.TrackingNo}}">{{.TrackingNo}}</a></td>
      <td>{{.UrgencyLabel}}</td><td>{{planType .PlanType}}</td><td>{{.ServiceLabel}}</td><td>{{.FirstCode}}</td><td>{{.AccountName}}</td>
      <td><span class="status {{.StatusClass}}">{{.StatusLabel}}</span></td><td>{{with .AssigneeName}}{{.}}{{else}}Unassigned{{end}}</td>
    </tr>
    {{end}}
`

// TestEOPClaimsMatchTemplate: an explanation of payment's claims, written in Go, are what
// the template wrote (with its adjustments partial), for hostile text in every string
// cell, lines with and without adjustments, modifiers and units.
func TestEOPClaimsMatchTemplate(t *testing.T) {
	ta := newTestApp(t)
	adj, err := views.FS.ReadFile("partials/claims/adjustments.html")
	if err != nil {
		t.Fatal(err)
	}
	e := &models.EOP{Claims: []models.EOPClaim{
		{ClaimSummary: models.ClaimSummary{ClaimNo: hostileCell, MemberID: hostileCell, MemberName: hostileCell, Status: hostileCell,
			ReceivedDate: hostileCell, Billed: 123456, Allowed: 100000, Paid: 80000, MemberResp: -2500},
			Lines: []models.ClaimLine{
				{LineNo: 1, ServiceDate: hostileCell, Code: hostileCell, Modifier: hostileCell + " 25", Description: hostileCell, Units: 3,
					Billed: 50000, Allowed: 40000, Paid: 30000, Deductible: 5000, Copay: 2500, Coinsurance: 2500,
					AdjGroup: hostileCell, AdjCARC: hostileCell, AdjRARC: hostileCell, Adj: 10000, AdjustmentReason: hostileCell},
				{LineNo: 2, ServiceDate: "2026-11-02", Code: "99213", Units: 1, Billed: 7300, Allowed: 7300, Paid: 7300},
				{LineNo: 3, ServiceDate: "2026-11-03", Code: "97110", Modifier: "GP", Units: 2, Billed: 9000, Allowed: 6000, Paid: 5000,
					Coinsurance: 1000, AdjGroup: "CO", AdjCARC: "45", AdjRARC: "N54", Adj: 3000},
			}},
		{ClaimSummary: models.ClaimSummary{ClaimNo: "C2611270002", MemberID: "A100000002", MemberName: "Ana Lopez", Status: "paid",
			ReceivedDate: "2026-11-01", Billed: 7300, Allowed: 7300, Paid: 7300}},
	}}
	tmpl := `{{define "partials/claims/adjustments"}}` + string(adj) + `{{end}}` + strings.TrimSpace(eopClaimsTemplate)
	sameAsTemplate(t, ta.h, tmpl, e, written(func(b *strings.Builder) { ta.h.writeEOPClaims(b, e.Claims) }))
	sameAsTemplate(t, ta.h, tmpl, &models.EOP{}, written(func(b *strings.Builder) { ta.h.writeEOPClaims(b, nil) }))
}

// TestRosterRowsMatchTemplate: a capitation report's member rows, written in Go, are what
// the template wrote on each of the three reports (their columns differ), for hostile
// text in every string cell and for rows without aid code or end date.
func TestRosterRowsMatchTemplate(t *testing.T) {
	ta := newTestApp(t)
	rows := []models.RosterRow{
		{MemberID: hostileCell, FirstName: hostileCell, LastName: hostileCell, Suffix: hostileCell, DOB: hostileCell, AidCode: hostileCell,
			Product: hostileCell, PlanName: hostileCell, RateCell: hostileCell, PMPM: 4567, EffectiveDate: hostileCell, EndDate: hostileCell, Change: "add"},
		{MemberID: "A100000001", FirstName: "Ana", LastName: "Lopez", DOB: "1985-03-14", Product: "medi-cal", RateCell: "TANF 19-44",
			PMPM: 123456, EffectiveDate: "2026-01-01", Change: hostileCell},
		{MemberID: "A100000002", FirstName: "Bo", LastName: "Chen", DOB: "1950-07-04", Product: "dsnp", RateCell: "SPD",
			PMPM: -500, EffectiveDate: "2025-06-01", EndDate: "2026-10-31"},
	}
	for _, kind := range []string{"roster", "adds", "terms", hostileCell} {
		data := map[string]any{"Rows": rows, "Kind": kind}
		sameAsTemplate(t, ta.h, `{{with .}}`+strings.TrimSpace(rosterRowsTemplate)+`{{end}}`, data, ta.h.rosterRows(rows, kind))
	}
}

// TestPatientRowsMatchTemplate: the Patients page's rows, written in Go, are what the
// template wrote, for each coverage status, hostile text in every string cell (the
// status included) and a member without suffix or PCP.
func TestPatientRowsMatchTemplate(t *testing.T) {
	ta := newTestApp(t)
	member := func(status string) models.PanelMember {
		return models.PanelMember{MemberID: "A100000001", FirstName: "Ana", LastName: "Lopez", DOB: "1985-03-14",
			EffectiveDate: "2026-01-01", PlanName: "Commercial PPO", Status: status}
	}
	hostileRow := models.PanelMember{MemberID: hostileCell, FirstName: hostileCell, LastName: hostileCell, Suffix: hostileCell,
		DOB: hostileCell, EffectiveDate: hostileCell, PlanName: hostileCell, PCPName: hostileCell, Status: hostileCell + "_x"}
	patients := []models.PanelMember{hostileRow, member(models.StatusActive), member(models.StatusFuture), member("terminated"), member("")}
	sameAsTemplate(t, ta.h, `{{with .}}`+strings.TrimSpace(patientRowsTemplate)+`{{end}}`, map[string]any{"Page": map[string]any{"Patients": patients}},
		written(func(b *strings.Builder) { ta.h.writePatientRows(b, patients) }))
}

// TestQueueRowsMatchTemplate: the reviewer queue's rows, written in Go, are what the
// template wrote: overdue or not, paused (waiting for the office), assigned or not, with
// hostile text in every string cell.
func TestQueueRowsMatchTemplate(t *testing.T) {
	ta := newTestApp(t)
	rows := []models.AuthzRow{
		{TrackingNo: hostileCell, PlanType: hostileCell, Status: hostileCell, Urgency: hostileCell, ServiceType: hostileCell,
			AccountName: hostileCell, AssigneeName: hostileCell, FirstCode: hostileCell, DueLocal: hostileCell, Overdue: true},
		{TrackingNo: "PA260000001", PlanType: models.PlanMedicare, Status: "in_review", Urgency: "urgent", ServiceType: "inpatient",
			AccountName: "Sunrise Family Medicine", AssigneeName: "Nina Nurse", FirstCode: "27447", DueLocal: "11/27/2026 9:05 AM PST"},
		{TrackingNo: "PA260000002", PlanType: models.PlanCommercial, Status: "more_info", Urgency: "standard", ServiceType: "outpatient",
			AccountName: "Valley IPA", FirstCode: "J1745", DueLocal: "11/30/2026 5:00 PM PST", Overdue: true},
		{TrackingNo: "PA260000003", PlanType: "", Status: "submitted", DueLocal: ""},
	}
	sameAsTemplate(t, ta.h, `{{with .}}`+strings.TrimSpace(queueRowsTemplate)+`{{end}}`, map[string]any{"Rows": rows}, ta.h.queueRows(rows))
}
