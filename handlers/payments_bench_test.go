package handlers

import (
	"net/http"
	"testing"
)

// BenchmarkPaymentsList is the CPU cost of the signed-in payment history (the last 30
// days of both Sunrise TINs), audit entry included.
func BenchmarkPaymentsList(b *testing.B) {
	ta := newTestApp(b)
	c := ta.as("manager@sunrise.example")
	for b.Loop() {
		benchRequest(b, ta, c, http.MethodGet, "/claims/payments", nil)
	}
}

// BenchmarkEOP is the CPU cost of the explanation of payment of the demo's largest check.
func BenchmarkEOP(b *testing.B) {
	ta := newTestApp(b)
	var no string
	var claims int
	ta.db.R.QueryRow(`SELECT p.check_no, p.claim_count FROM payments p JOIN tins t ON t.id = p.tin_id
		WHERE t.account_id = (SELECT account_id FROM users WHERE email = 'manager@sunrise.example') ORDER BY p.claim_count DESC LIMIT 1`).Scan(&no, &claims)
	b.Logf("check %s with %d claims", no, claims)
	c := ta.as("manager@sunrise.example")
	for b.Loop() {
		benchRequest(b, ta, c, http.MethodGet, "/claims/payments/"+no, nil)
	}
}
