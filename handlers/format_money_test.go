package handlers

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// moneyBySprintf is the plain definition of the $1,234.56 format, for comparison.
func moneyBySprintf(cents int64) string {
	neg := cents < 0
	u := uint64(cents)
	if neg {
		u = -u
	}
	whole := fmt.Sprint(u / 100)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	s := fmt.Sprintf("$%s.%02d", b.String(), u%100)
	if neg {
		s = "-" + s
	}
	return s
}

// TestFormatMoney checks the amounts users read: separators, cents, negatives, zero and
// the extremes, against the plain definition.
func TestFormatMoney(t *testing.T) {
	for want, cents := range map[string]int64{"$0.00": 0, "$0.05": 5, "$1.00": 100, "$999.99": 99999, "$1,000.00": 100000,
		"$1,234,567.89": 123456789, "-$0.01": -1, "-$12,345.60": -1234560} {
		if got := formatMoney(cents); got != want {
			t.Errorf("formatMoney(%d) = %q, want %q", cents, got, want)
		}
	}
	for _, c := range []int64{math.MaxInt64, math.MinInt64, 7, -99, 100001, 99999999999} {
		if got, want := formatMoney(c), moneyBySprintf(c); got != want {
			t.Errorf("formatMoney(%d) = %q, want %q", c, got, want)
		}
	}
	for c := int64(-250000); c <= 250000; c += 37 {
		if got, want := formatMoney(c), moneyBySprintf(c); got != want {
			t.Fatalf("formatMoney(%d) = %q, want %q", c, got, want)
		}
	}
}

// BenchmarkFormatMoney measures one amount cell's formatting.
func BenchmarkFormatMoney(b *testing.B) {
	for i := 0; i < b.N; i++ {
		formatMoney(int64(i) * 1234567)
	}
}

// BenchmarkFormatMoneyBySprintf is the former fmt-based formatting, for comparison.
func BenchmarkFormatMoneyBySprintf(b *testing.B) {
	for i := 0; i < b.N; i++ {
		moneyBySprintf(int64(i) * 1234567)
	}
}
