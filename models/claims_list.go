package models

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// ClaimStatuses lists the claim statuses in the order the filter offers them.
var ClaimStatuses = []string{"received", "in_process", "pending_info", "paid", "denied", "adjusted"}

// ValidClaimStatus tells whether s is a known claim status.
func ValidClaimStatus(s string) bool {
	for _, v := range ClaimStatuses {
		if v == s {
			return true
		}
	}
	return false
}

// ClaimQuery asks for one page of an account's claims. Empty filters match everything.
type ClaimQuery struct {
	TINIDs []int64
	// PlanType, when set, keeps the claims of that plan type only (the context bar's).
	PlanType string
	Status   string
	From, To string // received date range, ISO, inclusive
	ClaimNo  string // exact
	MemberID string // exact, normalised
	Page     int    // 1-based
	PerPage  int
}

// ClaimFilter is the claims list's filter as an office user typed it. Status and page
// may come in a link; the member-identifying fields (dates, claim number, member ID)
// only in a POSTed form, so they never reach a URL (query:"-").
type ClaimFilter struct {
	Status   string `form:"status" query:"status" id:"cl-status" label:"the status" validate:"omitempty,maxrunes=40"`
	From     string `form:"from" query:"-" id:"cl-from" label:"the “received from” date" validate:"omitempty,maxrunes=40"`
	To       string `form:"to" query:"-" id:"cl-to" label:"the “received to” date" validate:"omitempty,maxrunes=40"`
	ClaimNo  string `form:"claim_no" query:"-" id:"cl-no" label:"the claim number" validate:"omitempty,maxrunes=40"`
	MemberID string `form:"member_id" query:"-" id:"cl-member" label:"the member ID" validate:"omitempty,maxrunes=40"`
	Page     string `form:"page" query:"page"`
}

// Posted tells whether the filter holds fields that may only travel in a POST body:
// then paging and CSV buttons carry them as forms.
func (f *ClaimFilter) Posted() bool {
	return f.From != "" || f.To != "" || f.ClaimNo != "" || f.MemberID != ""
}

// StatusLabel is the chosen status in words ("" for any status).
func (f *ClaimFilter) StatusLabel() string {
	if !ValidClaimStatus(f.Status) {
		return ""
	}
	return ClaimStatusLabel(f.Status)
}

// Validate applies the filter's rules: a status from the list, real dates in order, a
// claim number of letters and digits, a member ID as on the card.
func (f *ClaimFilter) Validate() FieldErrors {
	_, errs := f.Query(nil)
	return errs
}

// Query is the filter as a query over tins, with the problems of what was typed.
func (f *ClaimFilter) Query(tins []int64) (ClaimQuery, FieldErrors) {
	errs := FieldErrors{}
	q := ClaimQuery{TINIDs: tins, Page: PageNumber(f.Page, 1_000_000), PerPage: ClaimsPerPage}
	if f.Status != "" {
		if ValidClaimStatus(f.Status) {
			q.Status = f.Status
		} else {
			errs["cl-status"] = "Choose a status from the list."
		}
	}
	q.From, q.To = DateRange(f.From, f.To, "cl-from", "cl-to", "the “received from” date", "the “received to” date", errs)
	if f.ClaimNo != "" {
		q.ClaimNo = strings.ToUpper(f.ClaimNo)
		if !ValidClaimNo(q.ClaimNo) {
			errs["cl-no"] = "Enter a claim number of letters and digits, such as C2600000123."
		}
	}
	if f.MemberID != "" {
		if q.MemberID = NormalizeMemberID(f.MemberID); q.MemberID == "" {
			errs["cl-member"] = "Enter the member ID as printed on the ID card, such as A100000001."
		}
	}
	if len(errs) == 0 {
		return q, nil
	}
	return q, errs
}

// ParseUSDate reads a date typed as YYYY-MM-DD (what date inputs send) or MM/DD/YYYY
// and returns it as stored (YYYY-MM-DD).
func ParseUSDate(s string) (string, bool) {
	for _, layout := range []string{DateFormat, "01/02/2006", "1/2/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(DateFormat), true
		}
	}
	return "", false
}

// ValidClaimNo tells whether s looks like a claim number (letters and digits only).
func ValidClaimNo(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z') && !(r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// ClaimPage is one page of claims with the total that matched.
type ClaimPage struct {
	Claims []ClaimSummary
	Total  int
	Page   int
	Pages  int
}

// claimListSQL builds the WHERE clause of the claims list over the account's TINs.
// Every filter narrows an index range: claims_tin_received, claims_tin_status, the
// claim_no unique index, or claims_member_service through the member ID's index. Values
// are bound through (SELECT ?), so that the prepared statement is not re-planned at each
// bind (see qEligibilityByName).
func claimListSQL(q ClaimQuery) (where string, args []any) {
	where, args = claimKeySQL(q, "c.")
	if q.From != "" {
		where += " AND c.received_date >= (SELECT ?)"
		args = append(args, q.From)
	}
	if q.To != "" {
		where += " AND c.received_date <= (SELECT ?)"
		args = append(args, q.To)
	}
	if q.ClaimNo != "" {
		where += " AND c.claim_no = (SELECT ?)"
		args = append(args, q.ClaimNo)
	}
	if q.MemberID != "" {
		where += " AND c.member_pk = (SELECT id FROM members WHERE member_id = (SELECT ?))"
		args = append(args, q.MemberID)
	}
	return where, args
}

const claimOrder = " ORDER BY c.received_date DESC, c.id DESC"

// claimListQueries are the count, page and export statements for q.
func claimListQueries(q ClaimQuery) (count, page, export string, args []any) {
	where, args := claimListSQL(q)
	return "SELECT COUNT(*) FROM claims c WHERE " + where,
		"SELECT c.id FROM claims c WHERE " + where + claimOrder + " LIMIT ? OFFSET ?",
		"SELECT " + claimSummaryColumns + ` FROM claims c JOIN members m ON m.id = c.member_pk JOIN tins t ON t.id = c.tin_id
		WHERE ` + where + claimOrder + " LIMIT ?", args
}

// claimTallySQL is the total of q from claim_tallies (migration 0030) when q filters by
// TIN, plan type and status only; ok is false when another filter (dates, claim number,
// member) needs the claims themselves counted.
func claimTallySQL(q ClaimQuery) (query string, args []any, ok bool) {
	if q.From != "" || q.To != "" || q.ClaimNo != "" || q.MemberID != "" {
		return "", nil, false
	}
	where, args := claimKeySQL(q, "")
	return "SELECT COALESCE(SUM(n), 0) FROM claim_tallies WHERE " + where, args, true
}

// claimKeySQL is the part of q's WHERE clause on the tally's key (TINs, plan type,
// status), with the columns prefixed by prefix; the claims and their tally share it.
func claimKeySQL(q ClaimQuery, prefix string) (where string, args []any) {
	where = prefix + "tin_id IN (" + strings.TrimSuffix(strings.Repeat("(SELECT ?),", len(q.TINIDs)), ",") + ")"
	for _, t := range q.TINIDs {
		args = append(args, t)
	}
	if q.PlanType != "" {
		where += " AND " + prefix + "plan_type = (SELECT ?)"
		args = append(args, q.PlanType)
	}
	if q.Status != "" {
		where += " AND " + prefix + "status = (SELECT ?)"
		args = append(args, q.Status)
	}
	return where, args
}

// ClaimsPerPage is the page size of the claims list.
const ClaimsPerPage = 30

// ClaimExportLimit is the most rows a claims CSV holds.
const ClaimExportLimit = 10000

// ClaimList lists one page of the claims billed by q.TINIDs, newest received first,
// with the total. The page's IDs come from the index first; only those rows are then
// read with their member (for one TIN in the same statement, claimTINPage).
func (s Members) ClaimList(ctx context.Context, q ClaimQuery) (*ClaimPage, error) {
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = ClaimsPerPage
	}
	if q.Page < 1 {
		q.Page = 1
	}
	out := &ClaimPage{Page: q.Page}
	if len(q.TINIDs) == 0 {
		return out, nil
	}
	countSQL, pageSQL, _, args := claimListQueries(q)
	countArgs := args
	if tally, targs, ok := claimTallySQL(q); ok {
		countSQL, countArgs = tally, targs
	}
	if err := readRow(ctx, s.DB, countSQL, countArgs...).Scan(&out.Total); err != nil {
		return nil, fmt.Errorf("claims count: %w", err)
	}
	out.Pages = (out.Total + q.PerPage - 1) / q.PerPage
	if out.Total == 0 || q.Page > out.Pages {
		return out, nil
	}
	var ids []any
	var err error
	if len(q.TINIDs) == 1 && q.ClaimNo == "" && q.MemberID == "" {
		if out.Claims, err = s.claimTINPage(ctx, q); err != nil {
			return nil, err
		}
		return out, nil
	}
	if q.ClaimNo == "" && q.MemberID == "" {
		ids, err = s.claimPageByTIN(ctx, q)
	} else {
		ids, err = s.claimIDs(ctx, pageSQL, append(args, q.PerPage, (q.Page-1)*q.PerPage)...)
	}
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := readRows(ctx, s.DB, qClaimSummaryIn+"("+strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")+")", ids...)
	if err != nil {
		return nil, fmt.Errorf("claims page: %w", err)
	}
	defer rows.Close()
	byID := map[int64]ClaimSummary{}
	for rows.Next() {
		c, err := scanClaimSummary(rows)
		if err != nil {
			return nil, fmt.Errorf("claims page: %w", err)
		}
		byID[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claims page: %w", err)
	}
	for _, id := range ids {
		if c, ok := byID[id.(int64)]; ok {
			out.Claims = append(out.Claims, c)
		}
	}
	return out, nil
}

// claimIDs runs a query of claim IDs.
func (s Members) claimIDs(ctx context.Context, query string, args ...any) ([]any, error) {
	rows, err := readRows(ctx, s.DB, query, args...)
	if err != nil {
		return nil, fmt.Errorf("claims page: %w", err)
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("claims page: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claims page: %w", err)
	}
	return ids, nil
}

// claimTINWhere is the WHERE clause of one TIN's claims under q's plan type, status and
// dates, with the arguments of those filters (the TIN's own comes first, bound by the
// caller). The status test is kept off claims_tin_status with +, so that the claims
// are read straight down claims_tin_plan_received in order and no TIN's whole history
// is sorted.
func claimTINWhere(q ClaimQuery) (string, []any) {
	where := "c.tin_id = (SELECT ?)"
	var args []any
	if q.PlanType != "" {
		where += " AND c.plan_type = (SELECT ?)"
		args = append(args, q.PlanType)
	}
	if q.Status != "" {
		where += " AND +c.status = ?"
		args = append(args, q.Status)
	}
	if q.From != "" {
		where += " AND c.received_date >= (SELECT ?)"
		args = append(args, q.From)
	}
	if q.To != "" {
		where += " AND c.received_date <= (SELECT ?)"
		args = append(args, q.To)
	}
	return where, args
}

// claimTINPageSQL reads one TIN's newest claim IDs down the index, stopping at the limit.
func claimTINPageSQL(q ClaimQuery) (string, []any) {
	where, args := claimTINWhere(q)
	return "SELECT c.id, c.received_date FROM claims c WHERE " + where + claimOrder + " LIMIT ?", args
}

// claimTINRowsSQL reads one page of one TIN's claims in one statement: the inner query
// takes the page's IDs down the index (earlier pages are skipped in the index alone),
// and only those rows are read with their member and TIN.
func claimTINRowsSQL(q ClaimQuery) (string, []any) {
	where, args := claimTINWhere(q)
	return "SELECT " + claimSummaryColumns + " FROM (SELECT c.id FROM claims c WHERE " + where + claimOrder + ` LIMIT ? OFFSET ?) p
		CROSS JOIN claims c ON c.id = p.id JOIN members m ON m.id = c.member_pk JOIN tins t ON t.id = c.tin_id`, args
}

// claimTINPage reads a page of one TIN's claims, the claims list's usual case (its
// context bar names one TIN): one statement costs about a quarter less CPU than finding
// the page's IDs and then reading them (issue 17). SQLite returns the rows in the inner
// query's order; they are sorted here all the same, so that the order shown does not
// hang on how a plan happens to run.
func (s Members) claimTINPage(ctx context.Context, q ClaimQuery) ([]ClaimSummary, error) {
	query, fargs := claimTINRowsSQL(q)
	args := append(append([]any{q.TINIDs[0]}, fargs...), q.PerPage, (q.Page-1)*q.PerPage)
	rows, err := readRows(ctx, s.DB, query, args...)
	if err != nil {
		return nil, fmt.Errorf("claims page: %w", err)
	}
	claims, err := collectRows(rows, scanClaimSummary, "claims page")
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(claims, func(a, b ClaimSummary) int {
		if c := strings.Compare(b.ReceivedDate, a.ReceivedDate); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return claims, nil
}

// claimPageByTIN finds a page's claim IDs when the filters leave whole TINs' histories
// (status and dates only): each TIN gives its newest Page*PerPage claims in index
// order, and the lists are merged here.
func (s Members) claimPageByTIN(ctx context.Context, q ClaimQuery) ([]any, error) {
	query, fargs := claimTINPageSQL(q)
	type key struct {
		received string
		id       int64
	}
	limit := q.Page * q.PerPage
	var keys []key
	for _, tin := range q.TINIDs {
		rows, err := readRows(ctx, s.DB, query, append(append([]any{tin}, fargs...), limit)...)
		if err != nil {
			return nil, fmt.Errorf("claims page: %w", err)
		}
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.id, &k.received); err != nil {
				rows.Close()
				return nil, fmt.Errorf("claims page: %w", err)
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("claims page: %w", err)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].received != keys[j].received {
			return keys[i].received > keys[j].received
		}
		return keys[i].id > keys[j].id
	})
	var ids []any
	for i := (q.Page - 1) * q.PerPage; i < len(keys) && i < limit; i++ {
		ids = append(ids, keys[i].id)
	}
	return ids, nil
}

// ClaimExport lists every claim matching q (at most ClaimExportLimit), newest received
// first, for a CSV download.
func (s Members) ClaimExport(ctx context.Context, q ClaimQuery) ([]ClaimSummary, error) {
	if len(q.TINIDs) == 0 {
		return nil, nil
	}
	_, _, exportSQL, args := claimListQueries(q)
	rows, err := s.DB.R.QueryContext(ctx, exportSQL, append(args, ClaimExportLimit)...)
	if err != nil {
		return nil, fmt.Errorf("claims export: %w", err)
	}
	return collectRows(rows, scanClaimSummary, "claims export")
}

// ClaimDetail is one claim with its member, TIN, payment and service lines.
type ClaimDetail struct {
	ClaimSummary
	AccountID      int64
	TINVerified    bool
	NPI            string
	PlanType       string
	ServiceTo      string
	Diagnosis      string
	Deductible     int64
	CheckNo        string
	CheckDate      string
	StatusDate     string
	InfoNeeded     string
	Source         string
	PlaceOfService string
	RenderingNPI   string
	Lines          []ClaimLine
}

// ClaimLine is one service line of a claim.
type ClaimLine struct {
	LineNo           int
	ServiceDate      string
	Code, Modifier   string
	Description      string
	Units            int
	Billed, Allowed  int64
	Paid, MemberResp int64
	AdjustmentReason string
	// The member's share split (group PR) and the line's other adjustment.
	Deductible, Copay, Coinsurance int64
	AdjGroup, AdjCARC, AdjRARC     string
	Adj                            int64
	ServiceTo, DxPointers          string
	PriorAuth                      string
}

// Adjustments lists what took the line's charge down to what was paid: the line's
// contractual (or other) adjustment, then the member's deductible, coinsurance and
// copay (group PR, CARC 1, 2 and 3). A line imported without codes gives its stored
// reason text.
func (l ClaimLine) Adjustments() []Adjustment {
	var out []Adjustment
	if l.AdjCARC != "" && l.Adj != 0 {
		out = append(out, Adjustment{Group: l.AdjGroup, CARC: l.AdjCARC, RARC: l.AdjRARC, Amount: l.Adj})
	}
	if l.Deductible != 0 {
		out = append(out, Adjustment{Group: "PR", CARC: "1", Amount: l.Deductible})
	}
	if l.Coinsurance != 0 {
		out = append(out, Adjustment{Group: "PR", CARC: "2", Amount: l.Coinsurance})
	}
	if l.Copay != 0 {
		out = append(out, Adjustment{Group: "PR", CARC: "3", Amount: l.Copay})
	}
	if len(out) == 0 && l.AdjustmentReason != "" && l.AdjCARC == "" {
		out = append(out, Adjustment{Note: l.AdjustmentReason, Amount: l.Billed - l.Paid})
	}
	return out
}

// Modifiers lists the line's modifiers (stored space-separated).
func (l ClaimLine) Modifiers() []string { return strings.Fields(l.Modifier) }

const (
	qClaimByNo = "SELECT " + claimSummaryColumns + `, t.account_id, t.status = 'verified', c.npi, c.plan_type, c.service_to, c.diagnosis,
		c.deductible_cents, COALESCE(p.check_no, ''), COALESCE(p.check_date, ''), c.status_date, c.info_needed, c.source,
		c.place_of_service, c.rendering_npi
		FROM claims c JOIN members m ON m.id = c.member_pk JOIN tins t ON t.id = c.tin_id
		LEFT JOIN payments p ON p.id = c.payment_id WHERE c.claim_no = ?`
	qClaimLines = "SELECT " + claimLineColumns + " FROM claim_lines WHERE claim_id = ? ORDER BY line_no"
)

// ClaimByNo loads a claim with its lines; ErrNotFound if there is no such claim. The
// caller decides whether the account may see it (AccountID, TINVerified).
func (s Members) ClaimByNo(ctx context.Context, claimNo string) (*ClaimDetail, error) {
	var d ClaimDetail
	c := &d.ClaimSummary
	err := s.queryRow(ctx, qClaimByNo, claimNo).Scan(&c.ID, &c.ClaimNo, &c.MemberID, &c.MemberName, &c.TIN, &c.Status, &c.ReceivedDate,
		&c.ServiceFrom, &c.Billed, &c.Allowed, &c.Paid, &c.MemberResp,
		&d.AccountID, &d.TINVerified, &d.NPI, &d.PlanType, &d.ServiceTo, &d.Diagnosis, &d.Deductible, &d.CheckNo, &d.CheckDate,
		&d.StatusDate, &d.InfoNeeded, &d.Source, &d.PlaceOfService, &d.RenderingNPI)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("claim: %w", err)
	}
	rows, err := s.query(ctx, qClaimLines, d.ID)
	if err != nil {
		return nil, fmt.Errorf("claim lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		l, err := scanClaimLine(rows)
		if err != nil {
			return nil, fmt.Errorf("claim lines: %w", err)
		}
		d.Lines = append(d.Lines, l)
	}
	return &d, rows.Err()
}

// ClaimListQueries lists the claims area's statements with example arguments for the
// EXPLAIN QUERY PLAN test: every filter alone and all together.
func ClaimListQueries() []PageQuery {
	var out []PageQuery
	tins := []int64{1, 2}
	for _, q := range []ClaimQuery{
		{TINIDs: tins},
		{TINIDs: tins, Status: "pending_info"},
		{TINIDs: tins, PlanType: PlanCommercial},
		{TINIDs: tins, PlanType: PlanCommercial, Status: "pending_info"},
		{TINIDs: tins, From: "2026-01-01", To: "2026-03-31"},
		{TINIDs: tins, ClaimNo: "C2600000001"},
		{TINIDs: tins, MemberID: "A100000001"},
		{TINIDs: tins, Status: "paid", From: "2026-01-01", To: "2026-03-31", ClaimNo: "C2600000001", MemberID: "A100000001"},
	} {
		count, page, export, args := claimListQueries(q)
		name := fmt.Sprintf("claims %+v", q)
		out = append(out, PageQuery{name + " count", count, args},
			PageQuery{name + " page", page, append(append([]any{}, args...), 30, 0)},
			PageQuery{name + " export", export, append(append([]any{}, args...), 10)})
		if q.ClaimNo == "" && q.MemberID == "" {
			tq, targs := claimTINPageSQL(q)
			rq, rargs := claimTINRowsSQL(q)
			out = append(out, PageQuery{name + " TIN page", tq, append(append([]any{1}, targs...), 30)},
				PageQuery{name + " rows of a TIN page", rq, append(append([]any{1}, rargs...), 30, 60)})
		}
	}
	return append(out, PageQuery{"claim by number", qClaimByNo, []any{"C2600000001"}}, PageQuery{"claim lines", qClaimLines, []any{1}})
}

// claimLineColumns are the columns scanClaimLine reads, in order.
const claimLineColumns = `line_no, service_date, code, modifier, description, units, billed_cents, allowed_cents, paid_cents,
	member_resp_cents, adjustment_reason, deductible_cents, copay_cents, coinsurance_cents, adj_group, adj_carc, adj_rarc, adj_cents,
	service_to, dx_pointers, prior_auth`

func scanClaimLine(row interface{ Scan(...any) error }, extra ...any) (ClaimLine, error) {
	var l ClaimLine
	dest := append([]any{&l.LineNo, &l.ServiceDate, &l.Code, &l.Modifier, &l.Description, &l.Units, &l.Billed, &l.Allowed,
		&l.Paid, &l.MemberResp, &l.AdjustmentReason, &l.Deductible, &l.Copay, &l.Coinsurance, &l.AdjGroup, &l.AdjCARC, &l.AdjRARC, &l.Adj,
		&l.ServiceTo, &l.DxPointers, &l.PriorAuth}, extra...)
	err := row.Scan(dest...)
	return l, err
}
