package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Payment history rules (SPEC §6): a span of at most PaymentSpanDays days, none of it
// older than PaymentHistoryMonths months before today.
const (
	PaymentSpanDays      = 30
	PaymentHistoryMonths = 18
	// PaymentsPerPage is the page size of the payment history.
	PaymentsPerPage = 50
)

// PaymentSpan is a validated payment-history span (ISO dates, inclusive).
type PaymentSpan struct{ From, To string }

// PaymentSpanLimits are the first and last dates a span may cover, given today.
func PaymentSpanLimits(today time.Time) (earliest, latest string) {
	d := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, -PaymentHistoryMonths, 0).Format(DateFormat), d.Format(DateFormat)
}

// DefaultPaymentSpan is the last 30 days, today included.
func DefaultPaymentSpan(today time.Time) PaymentSpan {
	d := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return PaymentSpan{From: d.AddDate(0, 0, 1-PaymentSpanDays).Format(DateFormat), To: d.Format(DateFormat)}
}

// MonthPaymentSpan is the span a month picker chooses: the month's first 30 days (every
// month but February reaches its 30th; a 31st is in the next span), cut at today.
func MonthPaymentSpan(month time.Time, today time.Time) PaymentSpan {
	first := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 0, PaymentSpanDays-1)
	if end := first.AddDate(0, 1, -1); last.After(end) {
		last = end
	}
	sp := PaymentSpan{From: first.Format(DateFormat), To: last.Format(DateFormat)}
	if _, latest := PaymentSpanLimits(today); sp.To > latest {
		sp.To = latest
	}
	return sp
}

// CheckPaymentSpan applies the rules to a span; the message names the allowed range.
func CheckPaymentSpan(today time.Time, sp PaymentSpan) string {
	earliest, latest := PaymentSpanLimits(today)
	allowed := fmt.Sprintf("Choose a span of up to %d days between %s and %s.", PaymentSpanDays, usDate(earliest), usDate(latest))
	from, err1 := time.Parse(DateFormat, sp.From)
	to, err2 := time.Parse(DateFormat, sp.To)
	switch {
	case err1 != nil || err2 != nil:
		return "Enter both dates as MM/DD/YYYY. " + allowed
	case sp.To < sp.From:
		return "The “to” date must be on or after the “from” date. " + allowed
	case sp.From < earliest:
		return fmt.Sprintf("Payment history goes back %d months, to %s. %s", PaymentHistoryMonths, usDate(earliest), allowed)
	case sp.To > latest:
		return "The span cannot end after today. " + allowed
	case to.Sub(from) >= PaymentSpanDays*24*time.Hour:
		return fmt.Sprintf("That span is %d days; the most is %d. %s", int(to.Sub(from).Hours()/24)+1, PaymentSpanDays, allowed)
	}
	return ""
}

// Shift moves a span by its own length (days), for "Earlier" and "Later" links.
func (sp PaymentSpan) Shift(days int) PaymentSpan {
	from, err1 := time.Parse(DateFormat, sp.From)
	to, err2 := time.Parse(DateFormat, sp.To)
	if err1 != nil || err2 != nil {
		return sp
	}
	return PaymentSpan{From: from.AddDate(0, 0, days).Format(DateFormat), To: to.AddDate(0, 0, days).Format(DateFormat)}
}

// Days is the number of days in the span.
func (sp PaymentSpan) Days() int {
	from, err1 := time.Parse(DateFormat, sp.From)
	to, err2 := time.Parse(DateFormat, sp.To)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(to.Sub(from).Hours()/24) + 1
}

func usDate(iso string) string {
	if t, err := time.Parse(DateFormat, iso); err == nil {
		return t.Format("01/02/2006")
	}
	return iso
}

// Payment is a check or an EFT to one of an account's TINs.
type Payment struct {
	ID          int64
	TINID       int64
	TIN         string
	PayeeName   string
	AccountID   int64
	TINVerified bool
	No          string
	Date        string
	Amount      int64
	Address     string
	Method      string
	Last4       string
	ClaimCount  int
	// Totals are the remittance totals stored when the payment was issued.
	Totals EOPTotals
	// CapitationMonth is the month (YYYY-MM) a capitation check pays; "" for claims.
	CapitationMonth string
}

// IsCapitation tells whether the payment is a capitated group's monthly capitation,
// explained by the capitation payment summary rather than by claims.
func (p Payment) IsCapitation() bool { return p.CapitationMonth != "" }

// Kind is what the payment paid, in words.
func (p Payment) Kind() string {
	if p.IsCapitation() {
		return "Capitation " + p.CapitationMonth
	}
	return "Claims"
}

// IsEFT tells whether the payment was an electronic funds transfer.
func (p Payment) IsEFT() bool { return p.Method == "eft" }

// MethodLabel is "Check" or "EFT".
func (p Payment) MethodLabel() string {
	if p.IsEFT() {
		return "EFT"
	}
	return "Check"
}

// PaidTo is where the money went: the mailing address of a check, or the masked bank
// account of an EFT (only the last four digits are ever kept).
func (p Payment) PaidTo() string {
	if p.IsEFT() {
		return "Bank account ••••" + p.Last4
	}
	return p.Address
}

const paymentColumns = `p.id, p.tin_id, t.tin, t.name, t.account_id, t.status = 'verified', p.check_no, p.check_date, p.amount_cents,
	p.address, p.method, p.account_last4, p.claim_count, p.line_count, p.billed_cents, p.allowed_cents, p.deductible_cents,
	p.copay_cents, p.coinsurance_cents, p.adjusted_cents, COALESCE((SELECT cm.month FROM capitation_months cm WHERE cm.payment_id = p.id), '')`

func scanPayment(row interface{ Scan(...any) error }) (Payment, error) {
	var p Payment
	err := row.Scan(&p.ID, &p.TINID, &p.TIN, &p.PayeeName, &p.AccountID, &p.TINVerified, &p.No, &p.Date, &p.Amount,
		&p.Address, &p.Method, &p.Last4, &p.ClaimCount, &p.Totals.Lines, &p.Totals.Billed, &p.Totals.Allowed, &p.Totals.Deductible,
		&p.Totals.Copay, &p.Totals.Coinsurance, &p.Totals.Adjusted, &p.CapitationMonth)
	p.Totals.Paid = p.Amount
	return p, err
}

// paymentListColumns are what the payment history and its CSV show of a payment, read by
// scanPaymentListRow: half of paymentColumns, whose remittance totals, account and TIN
// status only the explanation of payment needs. Each column read costs the list's rows
// CPU (issue 17).
const paymentListColumns = `p.id, p.tin_id, t.tin, t.name, p.check_no, p.check_date, p.amount_cents, p.address, p.method,
	p.account_last4, p.claim_count, COALESCE((SELECT cm.month FROM capitation_months cm WHERE cm.payment_id = p.id), '')`

func scanPaymentListRow(row rowScanner) (Payment, error) {
	var p Payment
	err := row.Scan(&p.ID, &p.TINID, &p.TIN, &p.PayeeName, &p.No, &p.Date, &p.Amount, &p.Address, &p.Method, &p.Last4,
		&p.ClaimCount, &p.CapitationMonth)
	return p, err
}

// PaymentQuery asks for a page of an account's payments in a span.
type PaymentQuery struct {
	TINIDs  []int64
	Span    PaymentSpan
	Page    int
	PerPage int
}

// PaymentPage is one page of payments with the total that matched and the span's sum.
type PaymentPage struct {
	// Payments hold what the list shows (paymentListColumns): no remittance totals,
	// account or TIN status, which PaymentByNo reads for one payment.
	Payments []Payment
	Total    int
	Amount   int64
	Page     int
	Pages    int
}

// paymentListSQL is the payment history's WHERE clause; values bound through (SELECT ?)
// keep its prepared statement from being re-planned at each bind (see qEligibilityByName).
func paymentListSQL(q PaymentQuery) (where string, args []any) {
	where = "p.tin_id IN (" + strings.TrimSuffix(strings.Repeat("(SELECT ?),", len(q.TINIDs)), ",") + ") AND p.check_date BETWEEN (SELECT ?) AND (SELECT ?)"
	for _, t := range q.TINIDs {
		args = append(args, t)
	}
	return where, append(args, q.Span.From, q.Span.To)
}

const paymentOrder = " ORDER BY p.check_date DESC, p.id DESC"

func paymentListQueries(q PaymentQuery) (count, page string, args []any) {
	where, args := paymentListSQL(q)
	return "SELECT COUNT(*), COALESCE(SUM(p.amount_cents),0) FROM payments p WHERE " + where,
		"SELECT " + paymentListColumns + " FROM payments p JOIN tins t ON t.id = p.tin_id WHERE " + where + paymentOrder + " LIMIT ? OFFSET ?", args
}

// PaymentList returns a page of the payments to q.TINIDs in the span, newest first. With
// PerPage < 0 it returns every payment of the span (the CSV). A first page that is not
// full holds every payment of the span, so its count and sum are taken from its rows,
// without a second statement (most spans: a 30-day span of a practice's checks).
func (s Members) PaymentList(ctx context.Context, q PaymentQuery) (*PaymentPage, error) {
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage == 0 || q.PerPage > 500 {
		q.PerPage = PaymentsPerPage
	}
	out := &PaymentPage{Page: q.Page}
	if len(q.TINIDs) == 0 {
		return out, nil
	}
	countSQL, pageSQL, args := paymentListQueries(q)
	count := func() error {
		if err := readRow(ctx, s.DB, countSQL, args...).Scan(&out.Total, &out.Amount); err != nil {
			return fmt.Errorf("payments count: %w", err)
		}
		return nil
	}
	limit, offset := q.PerPage, (q.Page-1)*q.PerPage
	if q.PerPage < 0 {
		limit, offset = -1, 0
	}
	if offset > 0 {
		if err := count(); err != nil {
			return nil, err
		}
		if offset >= out.Total {
			out.Pages = paymentPages(out.Total, q.PerPage)
			return out, nil
		}
	}
	rows, err := readRows(ctx, s.DB, pageSQL, append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("payments page: %w", err)
	}
	if out.Payments, err = collectRows(rows, scanPaymentListRow, "payments page"); err != nil {
		return nil, err
	}
	if offset == 0 {
		if limit < 0 || len(out.Payments) < limit {
			out.Total, out.Amount = len(out.Payments), 0
			for _, p := range out.Payments {
				out.Amount += p.Amount
			}
		} else if err := count(); err != nil {
			return nil, err
		}
	}
	out.Pages = paymentPages(out.Total, q.PerPage)
	return out, nil
}

// paymentPages is the number of pages of total payments, perPage to a page (one page
// when perPage < 0: everything).
func paymentPages(total, perPage int) int {
	if perPage < 0 {
		return 1
	}
	return (total + perPage - 1) / perPage
}

const qPaymentByNo = "SELECT " + paymentColumns + " FROM payments p JOIN tins t ON t.id = p.tin_id WHERE p.check_no = (SELECT ?)"

// PaymentByNo loads a payment by its check number or EFT trace number; ErrNotFound if
// there is none. The caller decides whether the account may see it.
func (s Members) PaymentByNo(ctx context.Context, no string) (*Payment, error) {
	p, err := scanPayment(readRow(ctx, s.DB, qPaymentByNo, no))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("payment: %w", err)
	}
	return &p, nil
}

// EOPClaim is one claim paid by a check, with its lines.
type EOPClaim struct {
	ClaimSummary
	Deductible int64
	Lines      []ClaimLine
}

// EOPTotals are the sums of an explanation of payment.
type EOPTotals struct {
	Billed, Allowed, Deductible, Copay, Coinsurance, Adjusted, Paid int64
	Lines                                                           int
}

// MemberResp is the member's share of the totals.
func (t EOPTotals) MemberResp() int64 { return t.Deductible + t.Copay + t.Coinsurance }

// EOP is the explanation of a payment: the claims and service lines it paid (one page
// of them, or all), the payment's stored totals, and the sums of the lines loaded.
type EOP struct {
	Payment
	Claims []EOPClaim
	// Loaded sums the lines loaded (all of them when All).
	Loaded EOPTotals
	All    bool
	Page   int
	Pages  int
	First  int // number of the first claim shown, from 1
}

// EOPClaimsPerPage is how many claims a page of an EOP shows: with their service lines
// and subtotals, about the 50 rows of any other list page.
const EOPClaimsPerPage = 20

// Last is the number of the last claim shown.
func (e *EOP) Last() int { return e.First + len(e.Claims) - 1 }

// Balanced tells whether the lines add up: every line's charge less its adjustments
// is what it paid, every claim's lines sum to the claim, and — for a whole EOP — the
// lines sum to the payment and to its stored totals.
func (e *EOP) Balanced() bool {
	for _, c := range e.Claims {
		var paid int64
		for _, l := range c.Lines {
			var adj int64
			for _, a := range l.Adjustments() {
				adj += a.Amount
			}
			if l.Billed-adj != l.Paid || l.Allowed != l.Paid+l.Deductible+l.Copay+l.Coinsurance {
				return false
			}
			paid += l.Paid
		}
		if paid != c.Paid {
			return false
		}
	}
	if !e.All || e.IsCapitation() {
		return true
	}
	return e.Loaded == e.Totals && e.Loaded.Paid == e.Amount && len(e.Claims) == e.ClaimCount
}

const (
	qEOPClaims = "SELECT " + claimSummaryColumns + `, c.deductible_cents FROM claims c
		JOIN members m ON m.id = c.member_pk JOIN tins t ON t.id = c.tin_id
		WHERE c.payment_id = (SELECT ?) ORDER BY c.id LIMIT ? OFFSET ?`
	// qEOPLines reads the lines of the claims shown, by claim ID (a JSON array): the
	// claims' query has found them already, so the payment's claims are not walked again.
	// It reads only what an EOP shows, adds up and exports (not a line's dates to, its
	// diagnosis pointers, prior authorization or member responsibility).
	qEOPLines = `SELECT claim_id, line_no, service_date, code, modifier, description, units, billed_cents, allowed_cents, paid_cents,
		adjustment_reason, deductible_cents, copay_cents, coinsurance_cents, adj_group, adj_carc, adj_rarc, adj_cents FROM claim_lines
		WHERE claim_id IN (SELECT value FROM json_each(?)) ORDER BY claim_id, line_no`
)

// EOP loads the explanation of payment p: page (from 1) of its claims in claim order
// with their lines, or every claim when page is 0 (print, CSV).
func (s Members) EOP(ctx context.Context, p *Payment, page int) (*EOP, error) {
	e := &EOP{Payment: *p, All: page <= 0, Page: max(page, 1), Pages: max(1, (p.ClaimCount+EOPClaimsPerPage-1)/EOPClaimsPerPage)}
	limit, offset := -1, 0
	if !e.All {
		limit, offset = EOPClaimsPerPage, (e.Page-1)*EOPClaimsPerPage
	}
	e.First = offset + 1
	rows, err := readRows(ctx, s.DB, qEOPClaims, p.ID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("eop claims: %w", err)
	}
	index := map[int64]int{}
	var ids []int64
	for rows.Next() {
		var c EOPClaim
		err := rows.Scan(&c.ID, &c.ClaimNo, &c.MemberID, &c.MemberName, &c.TIN, &c.Status, &c.ReceivedDate, &c.ServiceFrom,
			&c.Billed, &c.Allowed, &c.Paid, &c.MemberResp, &c.Deductible)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("eop claims: %w", err)
		}
		index[c.ID] = len(e.Claims)
		e.Claims = append(e.Claims, c)
		ids = append(ids, c.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("eop claims: %w", err)
	}
	if len(e.Claims) == 0 {
		return e, nil
	}
	lines, err := readRows(ctx, s.DB, qEOPLines, idsJSON(ids))
	if err != nil {
		return nil, fmt.Errorf("eop lines: %w", err)
	}
	defer lines.Close()
	for lines.Next() {
		var claimID int64
		var l ClaimLine
		err := lines.Scan(&claimID, &l.LineNo, &l.ServiceDate, &l.Code, &l.Modifier, &l.Description, &l.Units, &l.Billed, &l.Allowed,
			&l.Paid, &l.AdjustmentReason, &l.Deductible, &l.Copay, &l.Coinsurance, &l.AdjGroup, &l.AdjCARC, &l.AdjRARC, &l.Adj)
		if err != nil {
			return nil, fmt.Errorf("eop lines: %w", err)
		}
		i, ok := index[claimID]
		if !ok {
			continue
		}
		e.Claims[i].Lines = append(e.Claims[i].Lines, l)
		t := &e.Loaded
		t.Billed += l.Billed
		t.Allowed += l.Allowed
		t.Deductible += l.Deductible
		t.Copay += l.Copay
		t.Coinsurance += l.Coinsurance
		t.Paid += l.Paid
		t.Lines++
		for _, a := range l.Adjustments() {
			if a.Group != "PR" {
				t.Adjusted += a.Amount
			}
		}
	}
	return e, lines.Err()
}

// PaymentQueries lists the payment area's statements with example arguments for the
// EXPLAIN QUERY PLAN test.
func PaymentQueries() []PageQuery {
	q := PaymentQuery{TINIDs: []int64{1, 2}, Span: PaymentSpan{"2026-01-01", "2026-01-30"}}
	count, page, args := paymentListQueries(q)
	return []PageQuery{
		{"payments count", count, args},
		{"payments page", page, append(append([]any{}, args...), 50, 0)},
		{"payment by number", qPaymentByNo, []any{"10000001"}},
		{"eop claims", qEOPClaims, []any{1, 50, 0}},
		{"eop lines", qEOPLines, []any{"[1,2,3]"}},
	}
}
