package handlers

import (
	"fmt"
	"net/http"
	"sort"
	"testing"
	"time"
)

// BenchmarkReportsRosterPage renders pages of a capitation roster month of 20,000
// members (first, middle and last pages, audit entry included) and reports p50 and
// p99; BenchmarkReportsSummary does the same for the month's payment summary.
func BenchmarkReportsRosterPage(b *testing.B) {
	ta := newTestApp(b)
	v := ta.valleyLatest(b)
	var pk int64
	if err := ta.db.R.QueryRow("SELECT MIN(id) FROM members").Scan(&pk); err != nil {
		b.Fatal(err)
	}
	extra := 20000 - int(v.members)
	if _, err := ta.db.W.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO capitation_spans(tin_id, member_id, member_pk, rate_cell_id, aid_code, first_month, last_month)
		SELECT ?, printf('Z%09d', i), ?, 8, '', ?, '9999-12' FROM n`, extra, v.tinID, pk, v.month); err != nil {
		b.Fatal(err)
	}
	if _, err := ta.db.W.Exec(`UPDATE capitation_months SET member_months = member_months + ? WHERE id = ?`, extra, v.monthID); err != nil {
		b.Fatal(err)
	}
	c := ta.as("manager@valley.example")
	pages := []int{1, 2, 50, 200, 399, 400}
	benchPages(b, ta, c, func(i int) string {
		return fmt.Sprintf("/reports/roster?tin=%d&month=%s&page=%d", v.tinID, v.month, pages[i%len(pages)])
	})
}

// BenchmarkReportsSummary renders the month's capitation payment summary.
func BenchmarkReportsSummary(b *testing.B) {
	ta := newTestApp(b)
	v := ta.valleyLatest(b)
	c := ta.as("manager@valley.example")
	benchPages(b, ta, c, func(int) string { return fmt.Sprintf("/reports?tin=%d&month=%s", v.tinID, v.month) })
}

// BenchmarkPharmacySearchPage renders drug search pages (exact names, misspellings,
// filters) through the whole app.
func BenchmarkPharmacySearchPage(b *testing.B) {
	ta := newTestApp(b)
	qs := []string{"q=atorvastatin", "q=atorvastatn", "q=Ozempic&list=medicare", "tier=4", "flag=pa&page=2", "q=metfromin", "list=medi-cal-cdl&q=insulin"}
	benchPages(b, ta, ta.anon(), func(i int) string { return "/pharmacy?" + qs[i%len(qs)] })
}

func benchPages(b *testing.B, ta *testApp, c *client, path func(int) string) {
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		benchRequest(b, ta, c, http.MethodGet, path(i), nil)
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	pct := func(p float64) float64 {
		return float64(durations[int(float64(len(durations)-1)*p)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}
