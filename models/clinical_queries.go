package models

// ClinicalPageQueries lists the queries of the clinical pages and queues with sample
// arguments, for the EXPLAIN QUERY PLAN test (no full scan of members or claims).
func ClinicalPageQueries() []PageQuery {
	due, dueArgs := dueSQL([]int64{1, 2})
	for i, a := range dueArgs {
		if a == nil {
			dueArgs[i] = PlanMediCal
		}
	}
	dueArgs = append(dueArgs, "2026-11-27", "2026-11-27", "2025-11-27T00:00:00Z")
	qs := []PageQuery{
		{"hra status", qHRAStatus, []any{1}},
		{"hra due count", "SELECT COUNT(*) FROM (" + due + ")", dueArgs},
		{"hra due page", due + " ORDER BY m.last_name_key, m.first_name, m.id LIMIT ? OFFSET ?", append(append([]any{}, dueArgs...), 50, 0)},
		{"reassessments due", qReassessmentsDue, []any{"2025-11-27T00:00:00Z", 25}},
		{"reassessments due count", "SELECT COUNT(*) FROM (" + qReassessmentsDueRows + ")", []any{"2025-11-27T00:00:00Z"}},
		{"assessments of a member", "SELECT " + assessmentColumns + " FROM assessments WHERE member_pk = ? AND status = 'submitted' ORDER BY submitted_at DESC LIMIT 100", []any{1}},
		{"referral queue count", qReferralQueueCount, nil},
		{"referral queue", "SELECT " + referralColumns + referralFrom + qReferralQueueTail, []any{25, 0}},
		{"referrals of a member for an office", "SELECT " + referralColumns + referralFrom + qReferralsOfficeTail, []any{1, 1}},
		{"referral counts", qReferralCounts, []any{1}},
	}
	for tab, q := range healthQueries {
		qs = append(qs, PageQuery{"health " + tab, "SELECT " + q.cols + " FROM " + q.table + " WHERE member_pk = ? ORDER BY " + q.order + " LIMIT ? OFFSET ?", []any{1, 25, 0}},
			PageQuery{"health " + tab + " count", "SELECT COUNT(*) FROM " + q.table + " WHERE member_pk = ?", []any{1}})
	}
	return qs
}
