package models

import (
	"context"
	"portico/db/dbtest"
	"strings"
	"testing"
)

// TestAuthzQueriesUseIndexes: the office list, the reviewer queue, their counts, a
// member's requests and the metrics read authz_requests through an index, never by a
// scan of the whole table (500,000 rows at the 1,000,000-member scale).
func TestAuthzQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Migrated(t)
	office := AuthzQuery{AccountID: 7}
	ow, oa := office.where()
	withStatus := AuthzQuery{AccountID: 7, Status: AuthzApproved}
	sw, sa := withStatus.where()
	member := AuthzQuery{AccountID: 7, MemberPK: 9}
	mw, ma := member.where()
	cases := []struct {
		name, sql string
		args      []any
		index     string
	}{
		{"office list", authzListSelect + ow + ` ORDER BY r.created_at DESC, r.id DESC LIMIT 25`, oa, "authz_requests_account"},
		{"office count", `SELECT COUNT(*) FROM authz_requests r` + ow, oa, "authz_requests_account"},
		{"office by status", authzListSelect + sw + ` ORDER BY r.created_at DESC, r.id DESC LIMIT 25`, sa, "authz_requests_account_status"},
		{"office by member", authzListSelect + mw + ` ORDER BY r.created_at DESC LIMIT 25`, ma, "authz_requests_"},
		{"export", authzRowSelect + ow + ` ORDER BY r.created_at DESC, r.id DESC LIMIT 25`, oa, "authz_requests_account"},
		{"queue", authzQueueSelect + ` WHERE r.status IN ('submitted','in_review') AND r.due_at IS NOT NULL ORDER BY r.due_at, r.id LIMIT 25`, nil, "authz_requests_queue"},
		{"queue count", `SELECT COUNT(*) FROM authz_requests r WHERE r.status IN ('submitted','in_review') AND r.due_at IS NOT NULL AND r.plan_type = ?`, []any{"medicare"}, "authz_requests_queue"},
		{"queue counts", qQueueCounts, []any{"2026-11-27T00:00:00Z"}, "authz_requests_queue"},
		{"waiting", authzQueueSelect + ` WHERE r.status = 'more_info' AND r.paused_at IS NOT NULL ORDER BY r.paused_at, r.id LIMIT 25`, nil, "authz_requests_waiting"},
		{"member section", authzRowSelect + ` WHERE r.member_pk = ? AND r.account_id = ? ORDER BY r.created_at DESC LIMIT 200`, []any{1, 2}, "authz_requests_member"},
		{"tracking", `SELECT id FROM authz_requests WHERE tracking_no = ?`, []any{"PA260000001"}, "sqlite_autoindex_authz_requests"},
		{"metrics", `SELECT plan_type, urgency, status, extended, appeal_status, COUNT(*), SUM(decision_minutes) FROM authz_requests INDEXED BY authz_requests_metrics
			WHERE decided_year = ? GROUP BY plan_type, urgency, status, extended, appeal_status`, []any{2026}, "authz_requests_metrics"},
	}
	for _, c := range cases {
		rows, err := d.R.QueryContext(ctx, "EXPLAIN QUERY PLAN "+c.sql, c.args...)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, " | ")
		for _, p := range plan {
			if (strings.HasPrefix(p, "SCAN r") || strings.HasPrefix(p, "SCAN authz_requests")) && !strings.Contains(p, "INDEX") {
				t.Errorf("%s scans authz_requests: %s", c.name, all)
			}
		}
		if !strings.Contains(all, c.index) {
			t.Errorf("%s does not use %s: %s", c.name, c.index, all)
		}
	}
}
