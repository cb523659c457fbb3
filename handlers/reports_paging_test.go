package handlers

import (
	"context"
	"slices"
	"testing"

	"portico/models"
)

// TestMemberReportPagesMatchWholeReport: read page after page, each member-level report
// (roster, adds, terms) of every month of a capitated TIN holds exactly the rows of the
// whole report (the download's query), in the same member-ID order, with the same
// columns, and the page past the end holds none.
func TestMemberReportPagesMatchWholeReport(t *testing.T) {
	ta := newTestApp(t)
	ctx := context.Background()
	rs := models.Reports{DB: ta.db}
	rows, err := ta.db.R.Query(`SELECT c.tin_id, c.month FROM capitation_months c JOIN tins t ON t.id = c.tin_id WHERE t.tin = '945550001' ORDER BY c.month`)
	if err != nil {
		t.Fatal(err)
	}
	type tinMonth struct {
		tin   int64
		month string
	}
	var months []tinMonth
	for rows.Next() {
		var x tinMonth
		if err := rows.Scan(&x.tin, &x.month); err != nil {
			t.Fatal(err)
		}
		months = append(months, x)
	}
	rows.Close()
	paged := map[string]bool{} // the kinds seen spanning several pages
	for _, x := range months {
		m, err := rs.MonthTotals(ctx, x.tin, x.month)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{models.ReportRoster, models.ReportAdds, models.ReportTerms} {
			var whole []models.RosterRow
			if _, err := rs.StreamMemberReport(ctx, m, kind, func(r models.RosterRow) error { whole = append(whole, r); return nil }); err != nil {
				t.Fatal(err)
			}
			var pages []models.RosterRow
			for page := 1; ; page++ {
				p, err := rs.MemberReport(ctx, m, kind, page)
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Rows) == 0 {
					break
				}
				if page > 1 {
					paged[kind] = true
				}
				pages = append(pages, p.Rows...)
			}
			if !slices.Equal(pages, whole) {
				t.Fatalf("%s %s: the pages hold %d rows, the whole report %d, or not the same ones in the same order", x.month, kind, len(pages), len(whole))
			}
		}
	}
	if !paged[models.ReportRoster] {
		t.Fatal("no roster spans two pages: the test proves too little")
	}
}
