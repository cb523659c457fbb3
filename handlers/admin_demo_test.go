package handlers

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestDemoControlsAccess(t *testing.T) {
	ta := newTestApp(t)
	runScenarios(t, ta, []scenario{
		{name: "signed out", url: "/admin/demo", wantStatus: http.StatusSeeOther},
		{name: "office manager", as: "manager@sunrise.example", url: "/admin/demo", wantStatus: http.StatusForbidden},
		{name: "associate", as: "rep@plan.example", url: "/admin/demo", wantStatus: http.StatusForbidden},
		{name: "associate cannot reset", as: "rep@plan.example", method: "POST", url: "/admin/demo/reset", form: url.Values{"confirm": {"reset"}}, wantStatus: http.StatusForbidden},
		{name: "admin", as: "admin@plan.example", url: "/admin/demo", wantStatus: http.StatusOK, wantContains: []string{"Demo clock", "Reset the demo data"}},
	})
	// Outside demo mode the controls do not exist.
	live := newTestApp(t, func(o *Options) { o.Demo = false })
	live.as("admin@plan.example").get("/admin/demo").mustStatus(t, http.StatusNotFound)
}

func TestDemoClockAndReset(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.as("admin@plan.example")
	admin.post("/admin/demo/clock", url.Values{"days": {"abc"}}).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "whole number of days", `value="abc"`)
	admin.post("/admin/demo/clock", url.Values{"days": {"10"}, "action": {"forward"}}).mustStatus(t, http.StatusSeeOther)
	if off := ta.db.Clock.Offset(); off != 240*time.Hour {
		t.Fatalf("offset %s, want 240h", off)
	}
	if ahead := ta.db.Now().Sub(ta.db.Clock.Wall()); ahead < 239*time.Hour {
		t.Errorf("Now() is only %s ahead", ahead)
	}
	// Something changes in the demo, then the reset brings back the first state.
	if _, err := ta.db.W.Exec("UPDATE members SET first_name = 'Changed' WHERE member_id = 'A100000001'"); err != nil {
		t.Fatal(err)
	}
	admin.post("/admin/demo/reset", nil).mustStatus(t, http.StatusUnprocessableEntity).mustContain(t, "Tick the box")
	admin.post("/admin/demo/reset", url.Values{"confirm": {"reset"}}).mustStatus(t, http.StatusSeeOther)
	var first string
	ta.db.R.QueryRow("SELECT first_name FROM members WHERE member_id = 'A100000001'").Scan(&first)
	if first != "Maria" {
		t.Errorf("after reset the member is %q", first)
	}
	if ta.db.Clock.Offset() != 0 {
		t.Error("the reset left the clock moved")
	}
	// Every session ended with the reset.
	admin.get("/admin/demo").mustStatus(t, http.StatusSeeOther)
	if ta.auditCount("demo.reset", "") != 1 {
		t.Error("the reset is not in the audit log")
	}
}

// TestDemoClockSurvivesRestart proves the moved clock is kept in the database and read
// again when the server starts.
func TestDemoClockSurvivesRestart(t *testing.T) {
	ta := newTestApp(t)
	ta.as("admin@plan.example").post("/admin/demo/clock", url.Values{"days": {"3"}, "action": {"forward"}}).mustStatus(t, http.StatusSeeOther)
	ta.db.Clock.SetOffset(0)
	if _, _, err := New(Options{DB: ta.db, Demo: true}); err != nil {
		t.Fatal(err)
	}
	if ta.db.Clock.Offset() != 72*time.Hour {
		t.Errorf("after restart the offset is %s", ta.db.Clock.Offset())
	}
}
