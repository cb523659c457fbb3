package models

import (
	"context"
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
	// TINIDs are the account's verified TINs when the caller has loaded them already
	// (VerifiedTINIDs of the page's TINs); nil, and Patients reads them.
	TINIDs []int64
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
	Patients []PanelMember
	Total    int
	Page     int
	PerPage  int
	Pages    int
}

// PanelMember is one row of the Patients page: what the panel table shows of a member
// (name, member ID, dates, coverage status, plan and PCP), and no more, so that a page of
// the panel reads ten columns of two tables instead of the eligibility facts' thirty-two
// of four.
type PanelMember struct {
	PK            int64
	MemberID      string
	FirstName     string
	LastName      string
	Suffix        string
	DOB           string
	EffectiveDate string
	EndDate       string
	PlanName      string
	PCPName       string
	Status        string // StatusActive, StatusFuture or StatusTerminated on the plan's today
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
	tins := q.TINIDs
	if tins == nil {
		var err error
		if tins, err = s.AccountTINIDs(ctx, q.AccountID); err != nil {
			return nil, err
		}
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
	key := LastNameKey(q.Search)
	args := panelArgs(q, idsJSON(tins), key)
	countSQL, countArgs := qPanelTally, args[:panelArgFrom]
	if key != "" {
		countSQL, countArgs = patientsSQL(q, true, true), args[:panelArgLimit]
	}
	if err := readRow(ctx, s.DB, countSQL, countArgs...).Scan(&out.Total); err != nil {
		return nil, fmt.Errorf("patients count: %w", err)
	}
	out.Pages = (out.Total + q.PerPage - 1) / q.PerPage
	if q.Page > out.Pages {
		return out, nil // past the panel's end (and no product of a huge page number)
	}
	sqlText, pageArgs := patientsSQL(q, key != "", false), args
	if q.Sort == "name" && !q.Desc && key == "" {
		// The page's default: see namePagesSQL.
		sqlText, pageArgs = namePagesSQL(len(tins)), namePagesArgs(q, tins)
	}
	rows, err := readRows(ctx, s.DB, sqlText, pageArgs...)
	if err != nil {
		return nil, fmt.Errorf("patients: %w", err)
	}
	today := s.DB.Today()
	out.Patients, err = collectRows(rows, func(r rowScanner) (PanelMember, error) {
		var p PanelMember
		err := r.Scan(&p.PK, &p.MemberID, &p.FirstName, &p.LastName, &p.Suffix, &p.DOB, &p.EffectiveDate, &p.EndDate, &p.PlanName, &p.PCPName)
		p.Status = CoverageStatus(p.EffectiveDate, p.EndDate, today)
		return p, err
	}, "patients")
	return out, err
}

// The arguments of the panel's statements, by number (?1 … ?6), in panelArgs.
const (
	panelArgTINs   = iota // the account's TIN IDs as a JSON array
	panelArgPlan          // the plan type
	panelArgFrom          // the search's least last name key
	panelArgTo            // the first last name key past the search's prefix
	panelArgLimit         // rows per page
	panelArgOffset        // rows before the page
	panelArgCount
)

// panelArgs are the arguments of the panel's statements.
func panelArgs(q PatientQuery, tins, key string) []any {
	args := make([]any, panelArgCount)
	args[panelArgTINs], args[panelArgPlan] = tins, q.PlanType
	args[panelArgFrom], args[panelArgTo] = key, key+"\U0010FFFF"
	args[panelArgLimit], args[panelArgOffset] = q.PerPage, (q.Page-1)*q.PerPage
	return args
}

// qPanelTally is the size of the whole panel (no search) from panel_tallies (migration
// 0030): the combinations of PCP TIN, PPG TIN and plan type whose PCP TIN is one of the
// account's, plus those whose PPG TIN is and PCP TIN is not, so a member whose PCP and
// PPG both are the account's counts once. The account's TINs come as a JSON array of
// distinct IDs (?1), each looked up on the table's key or its PPG index; an OR of the two
// IN lists made SQLite skip-scan the key instead, at four times the cost.
const qPanelTally = `SELECT
	(SELECT COALESCE(SUM(p.n), 0) FROM json_each(?1) t CROSS JOIN panel_tallies p ON p.pcp_tin_id = t.value AND p.plan_type = (SELECT ?2)) +
	(SELECT COALESCE(SUM(p.n), 0) FROM json_each(?1) t CROSS JOIN panel_tallies p ON p.ppg_tin_id = t.value AND p.plan_type = (SELECT ?2)
		WHERE p.pcp_tin_id NOT IN (SELECT value FROM json_each(?1)))`

// patientsSQL is the panel's page query (or, with count, the number of members it
// pages through) for one sort, search and bound. Every statement has one fixed text for
// any account, whatever its number of TINs (a JSON array, ?1), and binds every value an
// index is searched by through (SELECT ?): a list of N placeholders was parsed again
// for each account size, and with the STAT4 histograms SQLite planned a statement
// again at every bind of a value it had looked at (see qEligibilityByName). The
// panel is the union of two searches, by PCP TIN (members_pcp) and by PPG TIN
// (members_ppg), both on the plan type and the last name key; an IN over the union
// counts a member attributed both ways once. The page is sorted on narrow rows (the
// sort keys), then joined with what the table shows, in the same statement: a second
// one read the page's members again, after the cache of the reader had been emptied by
// the writes in between.
func patientsSQL(q PatientQuery, search, count bool) string {
	branch := " IN (SELECT value FROM json_each(?1)) AND plan_type = (SELECT ?2)"
	if search {
		branch += " AND last_name_key >= (SELECT ?3) AND last_name_key < (SELECT ?4)"
	}
	if count {
		return "SELECT COUNT(*) FROM members m WHERE m.id IN (SELECT id FROM members WHERE pcp_tin_id" + branch +
			" UNION ALL SELECT id FROM members WHERE ppg_tin_id" + branch + ")"
	}
	order, ok := patientSorts[q.Sort]
	if !ok {
		order = patientSorts["name"]
	}
	// The inner query reads only the member's ID and the sort's columns, so that in name
	// order the PCP and PPG indexes (which end in last_name_key, first_name: migration
	// 0053) answer it without reading a member's row. The panel shares a few hundred
	// last names at 1,000,000 members, so the rows up to a page's last name are hundreds.
	keys := "id"
	for _, col := range strings.Split(order, ", ") {
		if col != "m.id" {
			keys += ", " + strings.TrimPrefix(col, "m.")
		}
	}
	if q.Desc {
		order = strings.ReplaceAll(order, ",", " DESC,") + " DESC"
	}
	// The page's sort keys come straight from the two searches, a UNION (a member
	// attributed both ways gives the same row twice, kept once): in name order both are
	// covering index walks, and no member's row is read before the page is cut. The
	// indexes are named: to order the union for its merge, SQLite's planner would
	// otherwise walk the name index or the table on a small database.
	// CROSS JOIN keeps the sorted page the outer loop, so its order holds without a
	// second sort.
	return `SELECT m.id, m.member_id, m.first_name, m.last_name, m.suffix, m.dob, m.effective_date, m.end_date, p.name, m.pcp_name
	FROM (SELECT ` + keys + ` FROM members INDEXED BY members_pcp WHERE pcp_tin_id` + branch +
		` UNION SELECT ` + keys + ` FROM members INDEXED BY members_ppg WHERE ppg_tin_id` + branch +
		" ORDER BY " + strings.ReplaceAll(order, "m.", "") + ` LIMIT ?5 OFFSET ?6) pg
	CROSS JOIN members m ON m.id = pg.id JOIN plans p ON p.id = m.plan_id ORDER BY ` + strings.ReplaceAll(order, "m.", "pg.")
}

// namePagesSQL is the page query of the panel's default order (by name, no search)
// for an account of ntins TINs. The member on a page in that order is among the first
// Page×PerPage of its own TIN's PCP or PPG index walked in name order (both end in
// last_name_key, first_name and, implicitly, the row ID), so each index is walked for
// at most that many entries, the walks are merged (a UNION: a member attributed both
// ways counts once) and the page is cut from the merge. A page of a panel of tens of
// thousands, with a few hundred members of each last name, so costs a few hundred index
// steps and no member's row but the page's. Its arguments come from namePagesArgs.
func namePagesSQL(ntins int) string {
	var parts []string
	for _, by := range [][2]string{{"members_pcp", "pcp_tin_id"}, {"members_ppg", "ppg_tin_id"}} {
		ix, col := by[0], by[1]
		for range ntins {
			parts = append(parts, "SELECT * FROM (SELECT id, last_name_key, first_name FROM members INDEXED BY "+ix+" WHERE "+col+
				" = (SELECT ?) AND plan_type = (SELECT ?) ORDER BY last_name_key, first_name, id LIMIT ?)")
		}
	}
	return `SELECT m.id, m.member_id, m.first_name, m.last_name, m.suffix, m.dob, m.effective_date, m.end_date, p.name, m.pcp_name
	FROM (SELECT id, last_name_key, first_name FROM (` + strings.Join(parts, " UNION ") + `)
		ORDER BY last_name_key, first_name, id LIMIT ? OFFSET ?) pg
	CROSS JOIN members m ON m.id = pg.id JOIN plans p ON p.id = m.plan_id ORDER BY pg.last_name_key, pg.first_name, pg.id`
}

// namePagesArgs are namePagesSQL's arguments for q: each TIN, the plan type and the
// walk's length, for the PCP index and then the PPG index, then the page's size and
// offset.
func namePagesArgs(q PatientQuery, tins []int64) []any {
	n := q.Page * q.PerPage
	var args []any
	for range 2 {
		for _, t := range tins {
			args = append(args, t, q.PlanType, n)
		}
	}
	return append(args, q.PerPage, (q.Page-1)*q.PerPage)
}
