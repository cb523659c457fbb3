package handlers

import (
	"fmt"
	"net/url"
	"testing"
)

// TestReviewQueueCounts: the reviewer queue's heading (open and overdue requests) and
// its total (all open requests unfiltered, the filtered ones otherwise) are what the
// requests table holds, now that one pass counts the open and overdue ones and the
// unfiltered queue reuses the open count, and they follow the reviewer's decisions.
func TestReviewQueueCounts(t *testing.T) {
	ta := newTestApp(t)
	count := func(where string, args ...any) int {
		t.Helper()
		var n int
		if err := ta.db.R.QueryRow("SELECT COUNT(*) FROM authz_requests WHERE "+where, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const open = "status IN ('submitted','in_review') AND due_at IS NOT NULL"
	nOpen, nOverdue := count(open), count(open+" AND due_at < ?", ta.db.NowText())
	nMedicare, nWaiting := count(open+" AND plan_type = 'medicare'"), count("status = 'more_info' AND paused_at IS NOT NULL")
	if nOpen == 0 || nOverdue == 0 || nMedicare == 0 || nMedicare == nOpen || nWaiting == 0 {
		t.Fatalf("the fixture no longer tells the counts apart: open %d, overdue %d, Medicare %d, waiting %d", nOpen, nOverdue, nMedicare, nWaiting)
	}
	heading := fmt.Sprintf(`%d open, <span class="status status-bad">%d overdue</span>.`, nOpen, nOverdue)
	nurse := ta.as(azNurse)
	for _, c := range []struct {
		path  string
		total int
	}{
		{"/authorizations/review", nOpen},
		{"/authorizations/review?plan_type=medicare", nMedicare},
		{"/authorizations/review?waiting=1", nWaiting},
	} {
		nurse.get(c.path).mustStatus(t, 200).mustContain(t, heading, fmt.Sprintf("<span>%d total</span>", c.total))
	}
	// The open count is a tally kept by triggers (migration 0049): decisions made through
	// the pages take requests off the queue, and the heading follows the table.
	var nos []string
	rows, err := ta.db.R.Query("SELECT tracking_no FROM authz_requests WHERE " + open + " ORDER BY due_at LIMIT 2")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			t.Fatal(err)
		}
		nos = append(nos, no)
	}
	rows.Close()
	if len(nos) != 2 {
		t.Fatalf("the fixture has %d open requests to decide", len(nos))
	}
	for i, d := range []url.Values{
		{"action": {"approve"}, "reason": {ta.reasonID(t, "approve")}},
		{"action": {"more_info"}, "reason": {ta.reasonID(t, "more_info")}, "note": {"Please send the imaging report."}},
	} {
		location(t, nurse.post("/authorizations/review/"+nos[i]+"/assign", nil))
		location(t, nurse.post("/authorizations/review/"+nos[i]+"/decide", d))
	}
	if n := count(open); n != nOpen-2 {
		t.Fatalf("two decisions left %d open requests of %d", n, nOpen)
	}
	heading = fmt.Sprintf("%d open.", nOpen-2)
	if n := count(open+" AND due_at < ?", ta.db.NowText()); n > 0 {
		heading = fmt.Sprintf(`%d open, <span class="status status-bad">%d overdue</span>.`, nOpen-2, n)
	}
	total := "Nothing in the queue with these filters."
	if nOpen > 2 {
		total = fmt.Sprintf("<span>%d total</span>", nOpen-2)
	}
	nurse.get("/authorizations/review").mustStatus(t, 200).mustContain(t, heading, total)
}
