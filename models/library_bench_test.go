package models_test

import (
	"context"
	"sort"
	"testing"
	"time"

	"portico/db/demo"
	"portico/models"
)

// BenchmarkLibrarySearch measures library search over the demo library (SPEC §13 budget:
// p99 under 10 ms) with a mix of queries, filters and pages, and reports p50 and p99.
func BenchmarkLibrarySearch(b *testing.B) {
	ctx := context.Background()
	d := openDB(b)
	if _, err := demo.Run(ctx, d, demo.Options{Members: 10}); err != nil {
		b.Fatal(err)
	}
	lib := models.Library{DB: d}
	queries := []models.LibrarySearch{
		{Query: "prior authorization"}, {Query: "transplant"}, {Query: "members", Page: 2}, {Query: "dialysis", LOB: "medical"},
		{Query: "claims", ProviderType: "hospital"}, {Query: `"smart sheet"`}, {Query: "immun*"}, {Query: "oseltamivir"},
		{Query: "interpreter services language"}, {Query: "zzzz nothing"}, {Query: `a AND (b OR "c`}, {Query: "care management referral", LOB: "commercial", ProviderType: "physician"},
	}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := lib.Search(ctx, queries[i%len(queries)]); err != nil {
			b.Fatal(err)
		}
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
