package handlers

import "testing"

// BenchmarkMessagesPages measures the message center in process: the inbox of an office
// user and of an associate, a thread, and the badge poll.
func BenchmarkMessagesPages(b *testing.B) {
	ta := newTestApp(b)
	for _, bc := range []struct{ name, as, url string }{
		{"office inbox", "manager@sunrise.example", "/messages"},
		{"associate inbox", "rep@plan.example", "/messages"},
		{"thread", "rep@plan.example", "/messages/1"},
		{"badge poll", "rep@plan.example", "/messages/unread"},
		{"baseline: help page", "rep@plan.example", "/help"},
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
