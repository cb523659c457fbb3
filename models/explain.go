package models

// PageQuery is one SQL statement a page of the eligibility area runs, with example
// arguments, so that tests and the load generator can EXPLAIN QUERY PLAN it.
type PageQuery struct {
	Name string
	SQL  string
	Args []any
}

// PageQueries lists the queries of the dashboard, eligibility, member record and
// patients pages. Every one must use an index on members and claims.
func PageQueries() []PageQuery {
	pq := PatientQuery{PlanType: PlanCommercial, Sort: "name", PerPage: 25}
	tins := []int64{1, 2}
	pc, pl, pa := patientsSQL(pq, tins)
	pq.Search, pq.Sort, pq.Desc = "lop", "dob", true
	sc, sl, sa := patientsSQL(pq, tins)
	return []PageQuery{
		{"eligibility by ID", qEligibilityByID, []any{"A100000001", "1985-03-14", PlanCommercial}},
		{"eligibility by name", qEligibilityByName, []any{"lopez", "1985-03-14", PlanCommercial}},
		{"eligibility by pk", qEligibilityByPK, []any{1}},
		{"eligibility by member ID", qEligibilityByMemberID, []any{"A100000001"}},
		{"running list", qRunningList, []any{"x", 50}},
		{"checked in session", qCheckedInSession, []any{"x", 1}},
		{"recent claim IDs", qRecentClaimIDs, []any{1, 8}},
		{"claim summaries by ID", qClaimSummaryIn + "(?,?,?)", []any{1, 2, 3}},
		{"eligibility by pks", "SELECT " + eligibilityColumns + eligibilityFrom + "WHERE m.id IN (?,?)", []any{1, 2}},
		{"pending info", qPendingInfo, []any{1}},
		{"member claims", qMemberClaims, []any{1, 1}},
		{"account tins", qAccountTINs, []any{1}},
		{"cost share", qCostShare, []any{1, 1, "2026-01-01", "2026-12-31"}},
		{"patients count", pc, pa},
		{"patients page", pl, append(pa, 25, 0)},
		{"patients search count", sc, sa},
		{"patients search page", sl, append(sa, 25, 25)},
		{"recent activity", qRecentActivity, []any{1, 8}},
		{"care relationship", qCareRelationship, []any{1, 1, 2, 1, "2025-05-22"}},
	}
}
