package handlers

import (
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"portico/models"
)

// TestAnyDate runs the main scenarios with the demo data filled and the clock set at
// dates that have broken date code before: the second of January (a plan year with no
// claims yet), the last day of a year, a leap day, and both daylight-saving changes of
// the plan's time zone. Every expectation is read from the database at that date, so
// the suite passes whatever the calendar says.
func TestAnyDate(t *testing.T) {
	if testing.Short() {
		t.Skip("fills five demo data sets")
	}
	la, _ := time.LoadLocation(DefaultTimeZone)
	dates := map[string]time.Time{
		"2 January":        time.Date(2027, 1, 2, 16, 0, 0, 0, la),
		"31 December late": time.Date(2026, 12, 31, 23, 30, 0, 0, la), // already 1 January in UTC
		"29 February 2028": time.Date(2028, 2, 29, 10, 0, 0, 0, la),
		"DST starts":       time.Date(2027, 3, 14, 9, 0, 0, 0, la),
		"DST ends":         time.Date(2026, 11, 1, 9, 0, 0, 0, la),
	}
	for name, at := range dates {
		t.Run(name, func(t *testing.T) {
			fixture := filepath.Join(t.TempDir(), "fixture.db")
			if err := fillFixture(fixture, at, 300); err != nil {
				t.Fatal(err)
			}
			ta := newTestAppFrom(t, fixture, at)
			today := at.In(la).Format(models.DateFormat)
			if got := ta.db.Today(); got != today {
				t.Fatalf("the plan's today is %s, want %s", got, today)
			}
			const who = "manager@sunrise.example"
			c := ta.as(who)

			// Dashboard: the "claims need more information" count is the account's.
			pending := ta.claimCount(t, who, " AND c.status = 'pending_info'")
			dash := c.get("/dashboard").mustStatus(t, http.StatusOK)
			if pending > 0 {
				dash.mustContain(t, fmt.Sprintf("<strong>%d</strong> claims need more information", pending))
			} else {
				dash.mustNotContain(t, "claims need more information")
			}

			// Claims filters give the database's count.
			paid := ta.claimCount(t, who, " AND c.status = 'paid'")
			r := c.get("/claims?status=paid").mustStatus(t, http.StatusOK)
			if paid > 0 {
				r.mustContain(t, fmt.Sprintf("%d total", paid))
			}

			// Cost sharing counts the plan year of the plan's today.
			var met int64
			year := today[:4]
			if err := ta.db.R.QueryRow(`SELECT COALESCE(SUM(c.deductible_cents),0) FROM claims c JOIN members m ON m.id = c.member_pk
				WHERE m.member_id = 'A100000001' AND c.status <> 'denied' AND c.service_from BETWEEN ? AND ?`, year+"-01-01", year+"-12-31").Scan(&met); err != nil {
				t.Fatal(err)
			}
			cs := c.get("/members/A100000001/cost-sharing").mustStatus(t, http.StatusOK)
			cs.mustContain(t, "Met "+formatMoney(met)+" of", "Plan year "+year)
			if regexp.MustCompile(`\bUTC\b`).MatchString(cs.Body) {
				t.Error("a page shows UTC")
			}

			// Sessions: idle past the timeout signs out; the clock moves across the date.
			move := ta.pinClock(at)
			idle := ta.as(who)
			idle.get("/dashboard").mustStatus(t, http.StatusOK)
			move(16 * time.Minute)
			idle.get("/dashboard").mustStatus(t, http.StatusSeeOther)

			// Lockout after 90 days without a sign-in.
			move(91 * 24 * time.Hour)
			_, lr := passwordStep(t, ta, "staff@sunrise.example", demoPassword)
			lr.mustStatus(t, http.StatusForbidden).mustContain(t, "90 days")

			// Message retention: nothing within the retention period is removed, and
			// everything is once the clock passes it.
			var threads int
			ta.db.R.QueryRow("SELECT COUNT(*) FROM message_threads").Scan(&threads)
			ms := models.Messages{DB: ta.db}
			if n, err := ms.PurgeExpired(t.Context(), 10*365*24*time.Hour); err != nil || n != 0 {
				t.Fatalf("purged %d threads within retention (%v)", n, err)
			}
			move(11 * 365 * 24 * time.Hour)
			n, err := ms.PurgeExpired(t.Context(), 10*365*24*time.Hour)
			if err != nil || n != threads || threads == 0 {
				t.Fatalf("purged %d of %d threads past retention (%v)", n, threads, err)
			}
		})
	}
}
