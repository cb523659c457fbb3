package handlers

import (
	"testing"
	"time"

	"portico/models"
)

// TestFormatDateMatchesTime: formatDate gives what time.Parse and Format give for every
// day from 1899 to 2101, for the date part of longer texts, and for texts that are not
// dates (kept as they are), including days past the end of their month.
func TestFormatDateMatchesTime(t *testing.T) {
	want := func(iso string) string {
		if len(iso) < 10 {
			return iso
		}
		d, err := time.Parse(models.DateFormat, iso[:10])
		if err != nil {
			return iso
		}
		return d.Format("01/02/2006")
	}
	var texts []string
	for d := time.Date(1899, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2102; d = d.AddDate(0, 0, 1) {
		texts = append(texts, d.Format(models.DateFormat))
	}
	for _, y := range []string{"1900", "2000", "2023", "2024", "2026"} {
		for _, md := range []string{"02-29", "02-30", "04-31", "06-31", "13-01", "00-10", "12-00", "12-32", "1-1-1"} {
			texts = append(texts, y+"-"+md)
		}
	}
	texts = append(texts, "", "2026", "2026-11-2", "2026-11-27T09:05:00Z", "2026-11-27 and more", "2026/11/27", "２０２６-11-27",
		"2026-1a-27", "+026-11-27", "-2026-11-27", "2026-11-27x", "abcdefghij", "2026--11-27", " 2026-11-27")
	for _, s := range texts {
		if got, w := formatDate(s), want(s); got != w {
			t.Errorf("formatDate(%q) = %q, want %q", s, got, w)
		}
	}
}
