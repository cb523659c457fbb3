package handlers

import (
	"strings"
	"testing"

	"portico/models"
)

// authzRowsTemplate is the range of pages/authorizations/index that authzRows replaced.
const authzRowsTemplate = `    {{range .Rows}}
      <tr>
        <td><a href="/authorizations/{{.TrackingNo}}">{{.TrackingNo}}</a></td>
        <td><span class="status {{.StatusClass}}">{{.StatusLabel}}</span>{{if .Overdue}} <span class="status status-bad">Overdue</span>{{end}}</td>
        <td>{{.MemberName}}<br><span class="muted">{{.MemberID}}</span></td>
        <td>{{.ServiceLabel}}</td><td>{{.UrgencyLabel}}</td><td>{{.FirstCode}}</td>
        <td>{{.CreatedLocal}}</td><td>{{if or (eq .Status "submitted") (eq .Status "in_review")}}{{.DueLocal}}{{else if eq .Status "more_info"}}Paused until you answer{{else}}—{{end}}</td>
      </tr>
    {{end}}
`

// TestAuthzRowsMatchTemplate: the office's authorization list, written in Go, is what
// the template wrote for every status (due time shown, paused, or a dash), overdue or
// not, each urgency and a known service type, and hostile text in every string cell,
// the status, urgency and service type included.
func TestAuthzRowsMatchTemplate(t *testing.T) {
	ta := newTestApp(t)
	row := func(status string) models.AuthzRow {
		return models.AuthzRow{ID: 7, TrackingNo: "PA260000001", MemberID: "A100000001", MemberName: "Ana Lopez", Status: status,
			Urgency: models.UrgencyStandard, ServiceType: "imaging", FirstCode: "72148",
			CreatedLocal: "11/20/2026 9:05 AM PST", DueLocal: "11/27/2026 9:05 AM PST"}
	}
	rows := []models.AuthzRow{
		{TrackingNo: hostileCell, MemberID: hostileCell, MemberName: hostileCell, Status: hostileCell, Urgency: hostileCell,
			ServiceType: hostileCell, FirstCode: hostileCell, CreatedLocal: hostileCell, DueLocal: hostileCell, Overdue: true},
		{TrackingNo: hostileCell, MemberName: hostileCell, Status: models.AuthzSubmitted, DueLocal: hostileCell, Overdue: true},
		{Status: models.AuthzInReview, Urgency: models.UrgencyUrgent, DueLocal: hostileCell},
		{Status: models.AuthzMoreInfo, DueLocal: hostileCell},
	}
	for _, s := range models.AuthzStatuses {
		rows = append(rows, row(s))
	}
	overdue := row(models.AuthzInReview)
	overdue.Overdue, overdue.Urgency = true, models.UrgencyUrgent
	rows = append(rows, overdue, row(models.AuthzDraft), row(""))
	tmpl := `{{with .}}` + strings.TrimSpace(authzRowsTemplate) + `{{end}}`
	sameAsTemplate(t, ta.h, tmpl, map[string]any{"Rows": rows}, authzRows(rows))
	if got := authzRows(nil); got != "" {
		t.Errorf("no rows wrote %q", got)
	}
}

// optionsTemplate is the range over a filter's choices that optionList.HTML replaced on
// the office list (status, service type) and the reviewer queue (plan type, service).
const optionsTemplate = `{{range .L}}<option value="{{.Value}}"{{if eq .Value $.S}} selected{{end}}>{{.Label}}</option>{{end}}`

// TestOptionListMatchesTemplate: a filter's options, written in Go, are what the
// template wrote with nothing, a real value or hostile text selected, and hostile text
// in a value and a label.
func TestOptionListMatchesTemplate(t *testing.T) {
	ta := newTestApp(t)
	lists := []optionList{authzStatusOptions(), serviceOptions(hostileCell), planTypeOptions,
		{{hostileCell, hostileCell}, {"", ""}, {"a+b", "Ñúñez"}}, nil}
	for _, l := range lists {
		for _, sel := range []string{"", models.AuthzMoreInfo, "imaging", models.PlanMedicare, hostileCell, "a+b"} {
			sameAsTemplate(t, ta.h, optionsTemplate, map[string]any{"L": l, "S": sel}, l.HTML(sel))
		}
	}
	if got := string(authzStatusOptions().HTML(models.AuthzMoreInfo)); !strings.Contains(got, `<option value="more_info" selected>`) ||
		strings.Count(got, " selected") != 1 {
		t.Errorf("the chosen status is not the one selected: %s", got)
	}
}

// filterHiddenPartial is partials/authorizations/filter_hidden, which FilterHidden replaced.
const filterHiddenPartial = `{{/* partials/authorizations/filter_hidden: the list filter as hidden fields, for paging and CSV. */}}
<input type="hidden" name="_csrf" value="{{.P.CSRF}}">
<input type="hidden" name="status" value="{{.F.Status}}">
<input type="hidden" name="service_type" value="{{.F.Service}}">
<input type="hidden" name="member_id" value="{{.F.MemberID}}">
<input type="hidden" name="from" value="{{.F.From}}">
<input type="hidden" name="to" value="{{.F.To}}">
<input type="hidden" name="tracking_no" value="{{.F.TrackingNo}}">
`

// TestFilterHiddenMatchesPartial: the office list's filter carried by the pager and the
// CSV form, written in Go, is what the partial wrote, for an empty filter and for
// hostile text in every field (all of them typed by the user) and the token.
func TestFilterHiddenMatchesPartial(t *testing.T) {
	ta := newTestApp(t)
	for _, f := range []models.AuthzFilter{
		{},
		{Status: models.AuthzApproved, Service: "imaging", MemberID: "A100000001", From: "2026-01-01", To: "2026-11-27", TrackingNo: "PA260000001", Page: "3"},
		{Status: hostileCell, Service: hostileCell, MemberID: hostileCell, From: hostileCell, To: hostileCell, TrackingNo: hostileCell, Page: hostileCell},
	} {
		v := newAuthzListView(&authzFilter{AuthzFilter: f})
		v.P = &Page{CSRF: hostileCell}
		sameAsTemplate(t, ta.h, filterHiddenPartial, v, v.FilterHidden())
	}
}
