package handlers

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestStaffDashboardsAreWorkQueues visits each plan staff role's dashboard: every count
// is the database's, and every count opens a page the user may see.
func TestStaffDashboardsAreWorkQueues(t *testing.T) {
	ta := newTestApp(t)
	now := ta.db.NowText()
	count := func(q string, args ...any) int {
		var n int
		if err := ta.db.R.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	link := regexp.MustCompile(`<li[^>]*><a href="([^"]+)"><strong>(\d+)</strong> ([^<]+)</a>`)
	cases := []struct {
		who  string
		want map[string]int // text of a count -> the database's number
	}{
		{"rep@plan.example", map[string]int{
			"open threads assigned to you": count(`SELECT COUNT(*) FROM message_threads WHERE status = 'open' AND assignee_id = (SELECT id FROM users WHERE email = 'rep@plan.example')`),
		}},
		{"nurse@plan.example", map[string]int{
			"requests overdue":               count(`SELECT COUNT(*) FROM authz_requests WHERE status IN ('submitted','in_review') AND due_at < ?`, now),
			"requests no reviewer has taken": count(`SELECT COUNT(*) FROM authz_requests WHERE status IN ('submitted','in_review') AND assignee_id IS NULL`),
		}},
		{"editor@plan.example", map[string]int{
			"library drafts not published": count(`SELECT COUNT(*) FROM library_entries WHERE status = 'draft'`),
		}},
		{"admin@plan.example", map[string]int{
			"TINs waiting for approval": count(`SELECT COUNT(*) FROM tin_requests WHERE status = 'pending'`),
			"locked users":              count(`SELECT COUNT(*) FROM users WHERE status = 'locked'`),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.who, func(t *testing.T) {
			c := ta.as(tc.who)
			body := c.get("/dashboard").mustStatus(t, http.StatusOK).Body
			got := map[string]int{}
			ms := link.FindAllStringSubmatch(body, -1)
			if len(ms) == 0 {
				t.Fatal("no work queue on the dashboard")
			}
			for _, m := range ms {
				var n int
				fmt.Sscan(m[2], &n)
				got[strings.TrimSpace(m[3])] = n
				href := strings.ReplaceAll(m[1], "&amp;", "&")
				if r := c.get(href); r.Status != http.StatusOK {
					t.Errorf("%q opens %s with status %d", m[3], href, r.Status)
				}
			}
			for text, want := range tc.want {
				if g, ok := got[text]; !ok || g != want {
					t.Errorf("%q shows %d (found %v), the database has %d", text, g, ok, want)
				}
			}
		})
	}
	// The reviewer's overdue count is pressing: marked in words, not by colour alone.
	if count(`SELECT COUNT(*) FROM authz_requests WHERE status IN ('submitted','in_review') AND due_at < ?`, now) > 0 {
		ta.as("nurse@plan.example").get("/dashboard").mustContain(t, "Needs attention")
	}
}
