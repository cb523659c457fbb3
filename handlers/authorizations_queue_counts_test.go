package handlers

import (
	"fmt"
	"testing"
)

// TestReviewQueueCounts: the reviewer queue's heading (open and overdue requests) and
// its total (all open requests unfiltered, the filtered ones otherwise) are what the
// requests table holds, now that one pass counts the open and overdue ones and the
// unfiltered queue reuses the open count.
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
}
