package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// PatientQuery asks for one page of an account's attributed panel.
type PatientQuery struct {
	AccountID int64
	PlanType  string
	Search    string // last-name prefix, within the panel only
	Sort      string // name | dob | member_id | effective
	Desc      bool
	Page      int // 1-based
	PerPage   int
}

// PatientFilter is the Patients page's sorting, paging and search as sent. Sort and page
// travel in links; the last-name search is member data, so it comes in a POSTed form
// only and never from a URL (query:"-").
type PatientFilter struct {
	Sort   string `form:"sort" query:"sort"`
	Dir    string `form:"dir" query:"dir"`
	Page   string `form:"page" query:"page"`
	Search string `form:"q" query:"-"`
}

// patientSearchMax is the longest last-name prefix searched; a longer one is cut, as no
// last name is longer.
const patientSearchMax = 60

// Query is the filter as a page of the account's panel under planType, perPage rows to a
// page. Nothing in it is refused: an unknown sort is by name, a page that is not a
// number is the first, and a search is cut to its first 60 characters.
func (f *PatientFilter) Query(accountID int64, planType string, perPage int) PatientQuery {
	q := PatientQuery{AccountID: accountID, PlanType: planType, Sort: f.Sort, Desc: f.Dir == "desc", PerPage: perPage,
		Search: CutRunes(f.Search, patientSearchMax)}
	if !PatientSortValid(q.Sort) {
		q.Sort = "name"
	}
	q.Page, _ = strconv.Atoi(f.Page)
	return q
}

// PatientPage is one page of the panel with its total.
type PatientPage struct {
	Patients []Eligibility
	Total    int
	Page     int
	PerPage  int
	Pages    int
}

var patientSorts = map[string]string{
	"name":      "m.last_name_key, m.first_name, m.id",
	"dob":       "m.dob, m.id",
	"member_id": "m.member_id",
	"effective": "m.effective_date, m.id",
}

// PatientSortValid tells whether s is a known sort key.
func PatientSortValid(s string) bool { _, ok := patientSorts[s]; return ok }

// Patients lists the members attributed (PCP or PPG) to the account's verified TINs
// under one plan type, paged and sorted. Search narrows by last-name prefix within that
// panel only, never across all members.
func (s Members) Patients(ctx context.Context, q PatientQuery) (*PatientPage, error) {
	if !ValidPlanType(q.PlanType) {
		return nil, ErrInvalid
	}
	tins, err := s.AccountTINIDs(ctx, q.AccountID)
	if err != nil {
		return nil, err
	}
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = 25
	}
	if q.Page < 1 {
		q.Page = 1
	}
	out := &PatientPage{Page: q.Page, PerPage: q.PerPage}
	if len(tins) == 0 {
		return out, nil
	}
	countSQL, listSQL, args := patientsSQL(q, tins)
	countArgs := args
	if LastNameKey(q.Search) == "" {
		countSQL, countArgs = panelTallySQL(q, tins)
	}
	if err := readRow(ctx, s.DB, countSQL, countArgs...).Scan(&out.Total); err != nil {
		return nil, fmt.Errorf("patients count: %w", err)
	}
	out.Pages = (out.Total + q.PerPage - 1) / q.PerPage
	// The page's member IDs first (sorting narrow rows), then only those members. In name
	// order without a search (the page's default), only the panel's first Page×PerPage
	// names are sorted, not the whole panel (see panelNameBound).
	pageArgs := append(args, q.PerPage, (q.Page-1)*q.PerPage)
	if bound, ok, err := s.panelNameBound(ctx, q, tins); err != nil {
		return nil, err
	} else if ok {
		listSQL, pageArgs = boundedPatientsSQL(listSQL, args, bound, q)
	}
	rows, err := readRows(ctx, s.DB, listSQL, pageArgs...)
	if err != nil {
		return nil, fmt.Errorf("patients: %w", err)
	}
	var pks []int64
	for rows.Next() {
		var pk int64
		if err := rows.Scan(&pk); err != nil {
			rows.Close()
			return nil, fmt.Errorf("patients: %w", err)
		}
		pks = append(pks, pk)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("patients: %w", err)
	}
	byPK, err := s.eligibilityByPKs(ctx, pks)
	if err != nil {
		return nil, err
	}
	for _, pk := range pks {
		if e := byPK[pk]; e != nil {
			out.Patients = append(out.Patients, *e)
		}
	}
	return out, nil
}

// patientsSQL builds the panel's count and page queries for the account's TINs. Its
// values are plain parameters, not (SELECT ?): inside the OR of two IN lists SQLite
// would then use only the TIN column of members_pcp and members_ppg.
func patientsSQL(q PatientQuery, tins []int64) (countSQL, listSQL string, args []any) {
	ph := strings.TrimSuffix(strings.Repeat("?,", len(tins)), ",")
	where := "(m.pcp_tin_id IN (" + ph + ") OR m.ppg_tin_id IN (" + ph + ")) AND m.plan_type = ?"
	args = make([]any, 0, 2*len(tins)+3)
	for _, t := range tins {
		args = append(args, t)
	}
	for _, t := range tins {
		args = append(args, t)
	}
	args = append(args, q.PlanType)
	if key := LastNameKey(q.Search); key != "" {
		where += " AND m.last_name_key >= ? AND m.last_name_key < ?"
		args = append(args, key, key+"\U0010FFFF")
	}
	order, ok := patientSorts[q.Sort]
	if !ok {
		order = patientSorts["name"]
	}
	if q.Desc {
		order = strings.ReplaceAll(order, ",", " DESC,") + " DESC"
	}
	return "SELECT COUNT(*) FROM members m WHERE " + where,
		"SELECT m.id FROM members m WHERE " + where + " ORDER BY " + order + " LIMIT ? OFFSET ?", args
}

// panelTallySQL is the size of the whole panel (no search) from panel_tallies
// (migration 0030): the sum over the PCP TIN, PPG TIN and plan type combinations where
// either TIN is one of the account's, so a member whose PCP and PPG both are counts once.
// The table has a few hundred rows, so values bound through (SELECT ?) cost nothing.
func panelTallySQL(q PatientQuery, tins []int64) (string, []any) {
	ph := strings.TrimSuffix(strings.Repeat("(SELECT ?),", len(tins)), ",")
	args := make([]any, 0, 2*len(tins)+1)
	for range 2 {
		for _, t := range tins {
			args = append(args, t)
		}
	}
	return "SELECT COALESCE(SUM(n), 0) FROM panel_tallies WHERE (pcp_tin_id IN (" + ph + ") OR ppg_tin_id IN (" + ph + ")) AND plan_type = (SELECT ?)",
		append(args, q.PlanType)
}

// panelNameBound finds, for the default name order without a search, the last name key
// of the panel's Page×PerPage-th member: every member of the pages up to this one has a
// key at or before it. Each TIN's PCP and PPG index (both end in last_name_key) is walked
// in name order for at most that many entries and the walks are merged, so a page of a
// panel of tens of thousands costs a few thousand index steps instead of fetching and
// sorting the whole panel. ok is false when the fast path does not apply (another order,
// a search, or a page past the panel's end).
func (s Members) panelNameBound(ctx context.Context, q PatientQuery, tins []int64) (key string, ok bool, err error) {
	if q.Sort != "name" || q.Desc || LastNameKey(q.Search) != "" {
		return "", false, nil
	}
	n := q.Page * q.PerPage
	var parts []string
	var args []any
	for _, col := range []string{"pcp_tin_id", "ppg_tin_id"} {
		for _, t := range tins {
			parts = append(parts, "SELECT * FROM (SELECT id, last_name_key FROM members WHERE "+col+" = (SELECT ?) AND plan_type = (SELECT ?) ORDER BY last_name_key LIMIT ?)")
			args = append(args, t, q.PlanType, n)
		}
	}
	// UNION (not UNION ALL): a member whose PCP and PPG are both the account's counts once.
	sqlText := "SELECT last_name_key FROM (" + strings.Join(parts, " UNION ") + ") ORDER BY last_name_key LIMIT 1 OFFSET ?"
	err = readRow(ctx, s.DB, sqlText, append(args, n-1)...).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("patients bound: %w", err)
	}
	return key, true, nil
}

// boundedPatientsSQL narrows the page query to last name keys at or before bound; the
// ORDER BY, LIMIT and OFFSET stay as they are, so the page is the same.
func boundedPatientsSQL(listSQL string, args []any, bound string, q PatientQuery) (string, []any) {
	i := strings.Index(listSQL, " ORDER BY ")
	out := append(append([]any{}, args...), bound, q.PerPage, (q.Page-1)*q.PerPage)
	return listSQL[:i] + " AND m.last_name_key <= ?" + listSQL[i:], out
}
