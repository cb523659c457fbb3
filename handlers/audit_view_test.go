package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuditViewAccess(t *testing.T) {
	ta := newTestApp(t)
	runScenarios(t, ta, []scenario{
		{name: "signed out", url: "/audit", wantStatus: http.StatusSeeOther},
		{name: "office manager", as: "manager@sunrise.example", url: "/audit", wantStatus: http.StatusForbidden},
		{name: "plan admin without privacy role", as: "admin@plan.example", url: "/audit", wantStatus: http.StatusForbidden},
		{name: "associate cannot export", as: "rep@plan.example", method: "POST", url: "/audit/export", wantStatus: http.StatusForbidden},
		{name: "privacy officer", as: "privacy@plan.example", url: "/audit", wantStatus: http.StatusOK, wantContains: []string{"Audit log", "Newest entries"}},
	})
}

// TestAccountingOfAccess: a member-record view by an office shows up when the privacy
// officer looks the member up, and the CSV export carries it.
func TestAccountingOfAccess(t *testing.T) {
	ta := newTestApp(t)
	ta.as("manager@sunrise.example").get("/members/A100000001").mustStatus(t, http.StatusOK)
	privacy := ta.as("privacy@plan.example")
	r := privacy.post("/audit", url.Values{"member_id": {"a10-000-0001"}, "action": {"member.view"}}).mustStatus(t, http.StatusOK)
	r.mustContain(t, "Accounting of access for a10-000-0001", "manager@sunrise.example", "member.view")
	r = privacy.post("/audit", url.Values{"member_id": {"D300000001"}, "action": {"member.view"}}).mustStatus(t, http.StatusOK)
	r.mustNotContain(t, "manager@sunrise.example").mustContain(t, "No entries match")
	// Bad input: messages next to the fields, what was typed kept, never a 500.
	r = privacy.post("/audit", url.Values{"email": {"nobody@nowhere.example"}, "from": {"yesterday"}, "member_id": {strings.Repeat("9", 5000)}}).
		mustStatus(t, http.StatusUnprocessableEntity)
	r.mustContain(t, "No user has this e-mail address.", "Enter the date as YYYY-MM-DD.", "Enter a member ID", `value="nobody@nowhere.example"`)
	// CSV export of the same filter.
	r = privacy.post("/audit/export", url.Values{"member_id": {"A100000001"}, "action": {"member.view"}}).mustStatus(t, http.StatusOK)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("headers %v", r.Header)
	}
	r.mustContain(t, "id,time_utc,user", "manager@sunrise.example,", ",member.view,")
	if ta.auditCount("audit.export", "A100000001") != 1 {
		t.Error("the export was not audited")
	}
}
