package handlers

import (
	"testing"

	"portico/models"
)

// BenchmarkAuthzPages measures the authorization pages in process (the demo fixture of the
// handler tests): the reviewer queue, an office's list, a request page and the public metrics.
func BenchmarkAuthzPages(b *testing.B) {
	ta := newTestApp(b)
	no := ta.demoTracking(b, "A100000001", models.AuthzApproved)
	for _, bc := range []struct{ name, as, url string }{
		{"reviewer queue", azNurse, "/authorizations/review"},
		{"office list", azManager, "/authorizations"},
		{"request page", azManager, "/authorizations/" + no},
		{"public metrics", "", "/authorizations/metrics"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := ta.anon()
			if bc.as != "" {
				c = ta.as(bc.as)
			}
			c.get(bc.url).mustStatus(b, 200)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				c.get(bc.url)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}
