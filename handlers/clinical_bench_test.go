package handlers

import "testing"

// BenchmarkClinicalPages measures the clinical pages in process (each view is audited,
// so every page is also a write): the office's sections of a member with data, the due
// list, and the case managers' queue and member view.
func BenchmarkClinicalPages(b *testing.B) {
	ta := newTestApp(b)
	for _, bc := range []struct{ name, as, url string }{
		{"assessments", jane, "/members/A100000001/assessments"},
		{"care plans", jane, "/members/A100000001/care-plan"},
		{"health records labs", jane, "/members/A100000001/health-records/labs"},
		{"referrals", jane, "/members/A100000001/referrals"},
		{"assessments due list", jane, "/assessments/due"},
		{"case managers' queue", nurse, "/care"},
		{"case manager's member view", nurse, "/care/members/D300000001"},
		{"baseline: help page", jane, "/help"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := ta.as(bc.as)
			c.get(bc.url).mustStatus(b, 200)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c.get(bc.url)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
