package models

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// ClaimSummary is a claim as lists show it.
type ClaimSummary struct {
	ID           int64
	ClaimNo      string
	MemberID     string
	MemberName   string
	TIN          string
	Status       string
	ReceivedDate string
	ServiceFrom  string
	Billed       int64
	Allowed      int64
	Paid         int64
	MemberResp   int64
}

// StatusLabel is the claim's status in words.
func (c ClaimSummary) StatusLabel() string { return ClaimStatusLabel(c.Status) }

// StatusClass is the claim's status colour class.
func (c ClaimSummary) StatusClass() string { return ClaimStatusClass(c.Status) }

// ClaimStatusLabel is the word shown for a claim status.
func ClaimStatusLabel(s string) string {
	switch s {
	case "received":
		return "Received"
	case "in_process":
		return "In process"
	case "pending_info":
		return "More information needed"
	case "paid":
		return "Paid"
	case "denied":
		return "Denied"
	case "adjusted":
		return "Adjusted"
	}
	return s
}

// ClaimStatusClass is the CSS status colour for a claim status (always with the word).
func ClaimStatusClass(s string) string {
	switch s {
	case "paid":
		return "status-ok"
	case "denied":
		return "status-bad"
	case "pending_info":
		return "status-warn"
	}
	return "status-info"
}

// AccountTINIDs lists the verified TIN row IDs of an account: the only TINs whose
// claims and attributed members the account may see (SPEC §1).
func (s Members) AccountTINIDs(ctx context.Context, accountID int64) ([]int64, error) {
	rows, err := s.query(ctx, qAccountTINs, accountID)
	if err != nil {
		return nil, fmt.Errorf("account tins: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("account tins: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// VerifiedTINIDs is AccountTINIDs for a caller that has loaded the account's TINs
// already (Accounts.TINs): the verified ones' row IDs, in ID order. The payment history
// needs both, and this spares it a second query of the same rows.
func VerifiedTINIDs(tins []TIN) []int64 {
	var ids []int64
	for _, t := range tins {
		if t.Status == "verified" {
			ids = append(ids, t.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

const claimSummaryColumns = `c.id, c.claim_no, m.member_id, m.first_name || ' ' || m.last_name || CASE WHEN m.suffix <> '' THEN ' ' || m.suffix ELSE '' END,
	t.tin, c.status, c.received_date, c.service_from, c.billed_cents, c.allowed_cents, c.paid_cents, c.member_resp_cents`

// The claim queries of the dashboard and the member record, named for the EXPLAIN test;
// (SELECT ?) keeps a prepared statement from being re-planned at each bind (see
// qEligibilityByName).
const (
	qRecentClaimIDs = `SELECT id, received_date FROM claims WHERE tin_id = (SELECT ?) AND plan_type = (SELECT ?) ORDER BY received_date DESC, id DESC LIMIT ?`
	qClaimSummaryIn = "SELECT " + claimSummaryColumns + ` FROM claims c
		JOIN members m ON m.id = c.member_pk JOIN tins t ON t.id = c.tin_id WHERE c.id IN `
	qPendingInfo  = "SELECT COUNT(*) FROM claims WHERE tin_id = (SELECT ?) AND plan_type = (SELECT ?) AND status = 'pending_info'"
	qMemberClaims = "SELECT " + claimSummaryColumns + ` FROM claims c
		JOIN members m ON m.id = c.member_pk JOIN tins t ON t.id = c.tin_id
		WHERE c.member_pk = (SELECT ?) AND t.account_id = (SELECT ?) AND t.status = 'verified'
		ORDER BY c.service_from DESC, c.id DESC LIMIT 200`
	qAccountTINs = "SELECT id FROM tins WHERE account_id = (SELECT ?) AND status = 'verified' ORDER BY id"
)

func scanClaimSummary(row interface{ Scan(...any) error }) (ClaimSummary, error) {
	var c ClaimSummary
	err := row.Scan(&c.ID, &c.ClaimNo, &c.MemberID, &c.MemberName, &c.TIN, &c.Status, &c.ReceivedDate, &c.ServiceFrom,
		&c.Billed, &c.Allowed, &c.Paid, &c.MemberResp)
	return c, err
}

// RecentClaims lists the account's newest claims by received date (the dashboard's
// Recent Claims). Each TIN's newest claim IDs come from its index alone (no table
// reads); the few IDs are merged here and only the final rows are read with their
// member, so the page never sorts or reads a TIN's whole history.
func (s Members) RecentClaims(ctx context.Context, tinIDs []int64, planType string, limit int) ([]ClaimSummary, error) {
	type key struct {
		received string
		id       int64
	}
	var keys []key
	for _, tin := range tinIDs {
		rows, err := s.query(ctx, qRecentClaimIDs, tin, planType, limit)
		if err != nil {
			return nil, fmt.Errorf("recent claims: %w", err)
		}
		for rows.Next() {
			var k key
			if err := rows.Scan(&k.id, &k.received); err != nil {
				rows.Close()
				return nil, fmt.Errorf("recent claims: %w", err)
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("recent claims: %w", err)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].received != keys[j].received {
			return keys[i].received > keys[j].received
		}
		return keys[i].id > keys[j].id
	})
	if len(keys) > limit {
		keys = keys[:limit]
	}
	if len(keys) == 0 {
		return nil, nil
	}
	// Padded to a fixed number of IDs (0 matches no claim) so that one prepared
	// statement serves every dashboard.
	n := max(len(keys), recentClaimSlots)
	ids := make([]any, n)
	for i := range ids {
		ids[i] = int64(0)
	}
	for i, k := range keys {
		ids[i] = k.id
	}
	rows, err := s.query(ctx, qClaimSummaryIn+"("+strings.TrimSuffix(strings.Repeat("?,", n), ",")+")", ids...)
	if err != nil {
		return nil, fmt.Errorf("recent claims: %w", err)
	}
	defer rows.Close()
	byID := map[int64]ClaimSummary{}
	for rows.Next() {
		c, err := scanClaimSummary(rows)
		if err != nil {
			return nil, fmt.Errorf("recent claims: %w", err)
		}
		byID[c.ID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recent claims: %w", err)
	}
	out := make([]ClaimSummary, 0, len(keys))
	for _, k := range keys {
		if c, ok := byID[k.id]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// recentClaimSlots is the number of IDs the Recent Claims statement takes.
const recentClaimSlots = 8

// PendingInfoCount counts the account's claims waiting for more information.
func (s Members) PendingInfoCount(ctx context.Context, tinIDs []int64, planType string) (int, error) {
	total := 0
	for _, tin := range tinIDs {
		var n int
		if err := s.queryRow(ctx, qPendingInfo, tin, planType).Scan(&n); err != nil {
			return 0, fmt.Errorf("pending info count: %w", err)
		}
		total += n
	}
	return total, nil
}

// MemberClaims lists a member's claims billed by the account's TINs, newest service first.
func (s Members) MemberClaims(ctx context.Context, accountID, memberPK int64) ([]ClaimSummary, error) {
	rows, err := s.query(ctx, qMemberClaims, memberPK, accountID)
	if err != nil {
		return nil, fmt.Errorf("member claims: %w", err)
	}
	return collectRows(rows, scanClaimSummary, "member claims")
}
