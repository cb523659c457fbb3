package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"portico/models"
)

// TestPaymentListMatchesSQL: every page of the payment history holds the payments a
// plain query orders newest first, with the span's count, sum and number of pages,
// whether the first page is full or not (its totals are then taken from its rows), for
// an empty span, a span of a few payments, one of exactly a page and one of more, one
// TIN or both, and the CSV's whole span; each payment listed as PaymentByNo reads it.
func TestPaymentListMatchesSQL(t *testing.T) {
	ctx := context.Background()
	d, ms, tins := twoTINAccount(t)
	// 2025-03: exactly a page for the first TIN; 2025-05: more than a page, two on one day.
	for i := range models.PaymentsPerPage {
		if _, err := d.W.ExecContext(ctx, "INSERT INTO payments (tin_id, check_no, check_date, amount_cents) VALUES (?, ?, ?, ?)",
			tins[0], fmt.Sprintf("MAR%04d", i), fmt.Sprintf("2025-03-%02d", 1+i%28), 1000+i); err != nil {
			t.Fatal(err)
		}
	}
	for i := range models.PaymentsPerPage + 7 {
		if _, err := d.W.ExecContext(ctx, "INSERT INTO payments (tin_id, check_no, check_date, amount_cents) VALUES (?, ?, ?, ?)",
			tins[i%2], fmt.Sprintf("MAY%04d", i), fmt.Sprintf("2025-05-%02d", 1+i/2%28), 5000+i); err != nil {
			t.Fatal(err)
		}
	}
	type want struct {
		total  int
		amount int64
		nos    []string
	}
	plain := func(q models.PaymentQuery, limit, offset int) want {
		in, args := "?", []any{q.TINIDs[0]}
		if len(q.TINIDs) > 1 {
			in, args = "?, ?", append(args, q.TINIDs[1])
		}
		args = append(args, q.Span.From, q.Span.To)
		var w want
		if err := d.R.QueryRowContext(ctx, "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM payments WHERE tin_id IN ("+in+") AND check_date BETWEEN ? AND ?",
			args...).Scan(&w.total, &w.amount); err != nil {
			t.Fatal(err)
		}
		rows, err := d.R.QueryContext(ctx, "SELECT check_no FROM payments WHERE tin_id IN ("+in+") AND check_date BETWEEN ? AND ? ORDER BY check_date DESC, id DESC LIMIT ? OFFSET ?",
			append(args, limit, offset)...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var no string
			rows.Scan(&no)
			w.nos = append(w.nos, no)
		}
		return w
	}
	var recent models.PaymentSpan
	if err := d.R.QueryRowContext(ctx, "SELECT MIN(check_date), MAX(check_date) FROM payments WHERE tin_id IN (?, ?) AND check_date >= '2025-06-01'",
		tins[0], tins[1]).Scan(&recent.From, &recent.To); err != nil {
		t.Fatal(err)
	}
	shapes := map[string]bool{}
	for _, ids := range [][]int64{tins[:1], tins[:2]} {
		for _, span := range []models.PaymentSpan{{From: "2025-01-01", To: "2025-01-30"}, {From: "2025-03-01", To: "2025-03-30"},
			{From: "2025-05-01", To: "2025-05-30"}, recent} {
			for _, perPage := range []int{0, 3, -1} {
				for page := 1; ; page++ {
					q := models.PaymentQuery{TINIDs: ids, Span: span, Page: page, PerPage: perPage}
					got, err := ms.PaymentList(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					limit := perPage
					if perPage == 0 {
						limit = models.PaymentsPerPage
					}
					w := plain(q, limit, (page-1)*limit)
					pages := 1
					if perPage >= 0 {
						pages = (w.total + limit - 1) / limit
					}
					var nos []string
					for _, p := range got.Payments {
						nos = append(nos, p.No)
						// The list reads fewer columns than PaymentByNo: the ones it reads are the payment's.
						full, err := ms.PaymentByNo(ctx, p.No)
						if err != nil {
							t.Fatal(err)
						}
						if shown := (models.Payment{ID: full.ID, TINID: full.TINID, TIN: full.TIN, PayeeName: full.PayeeName, No: full.No, Date: full.Date,
							Amount: full.Amount, Address: full.Address, Method: full.Method, Last4: full.Last4, ClaimCount: full.ClaimCount,
							CapitationMonth: full.CapitationMonth}); p != shown {
							t.Errorf("payment %s in the list: %+v, want %+v", p.No, p, shown)
						}
					}
					if got.Total != w.total || got.Amount != w.amount || got.Pages != pages || !slices.Equal(nos, w.nos) {
						t.Errorf("%v %+v page %d of %d: got %d payments, %d cents, %d pages, %v; want %d, %d, %d, %v",
							ids, span, page, perPage, got.Total, got.Amount, got.Pages, nos, w.total, w.amount, pages, w.nos)
					}
					shapes[fmt.Sprintf("full first page %v", page == 1 && limit > 0 && len(nos) == limit)] = true
					shapes[fmt.Sprintf("empty %v", w.total == 0)] = true
					if perPage < 0 || len(nos) == 0 {
						break
					}
				}
			}
		}
	}
	if len(shapes) != 4 {
		t.Errorf("the spans do not cover full and short first pages, empty and not: %v", shapes)
	}
}
