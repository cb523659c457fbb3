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
