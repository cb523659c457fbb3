package handlers

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkLibrarySearchPage measures a whole library search page (routing, middleware,
// search, rendering) in process, without the network.
func BenchmarkLibrarySearchPage(b *testing.B) {
	ta := newTestApp(b)
	qs := []string{"prior+authorization", "transplant", "members&page=2", "dialysis&lob=medical", "interpreter+services+language", "claims&type=hospital"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := ta.app.Test(httptest.NewRequest("GET", "/library/search?q="+qs[i%len(qs)], nil), -1)
		if err != nil || res.StatusCode != 200 {
			b.Fatal(err, res.StatusCode)
		}
		res.Body.Close()
	}
}
