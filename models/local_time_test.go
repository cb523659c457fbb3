package models

import (
	"math/rand"
	"testing"
	"time"
)

// TestLocalTimeMatchesParseAndFormat: the digit-by-digit LocalTime shows every stored
// instant as time.Parse and Format did, in the plan's zone across daylight-saving
// changes, in zones with other offsets or no abbreviation, and refuses (or judges the
// same way) text that is not an instant as stored.
func TestLocalTimeMatchesParseAndFormat(t *testing.T) {
	reference := func(stored string, loc *time.Location) string {
		at, err := time.Parse(TimeFormat, stored)
		if err != nil {
			return ""
		}
		if loc == nil {
			loc = time.UTC
		}
		return at.In(loc).Format(localTimeLayout)
	}
	var zones []*time.Location
	for _, name := range []string{"America/Los_Angeles", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	zones = append(zones, nil, time.FixedZone("", -9*3600), time.FixedZone("XYZ", 5*3600+1800))
	stored := []string{
		"2026-11-27T14:05:09Z", "2026-03-08T09:59:59Z", "2026-03-08T10:00:00Z", "2026-11-01T08:30:00Z", "2026-11-01T09:30:00Z",
		"2024-02-29T23:59:59Z", "2000-01-01T00:00:00Z", "1999-12-31T12:00:00Z", "0999-06-01T12:00:00Z", "9999-12-31T23:59:59Z",
		// not an instant as stored: refused, or read the way time.Parse reads it
		"", "2026-11-27", "2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-27T24:00:00Z",
		"2026-11-27T10:60:00Z", "2026-11-27T10:00:60Z", "2026-11-27 10:00:00Z", "2026-11-27T10:00:00+01:00", "2026-11-27T10:00:00.5Z",
		"2026-11-27T10:00:0xZ", "-026-11-27T10:00:00Z", "2026-11-27T10:00:00z", "２026-11-27T10:00:00Z",
	}
	r := rand.New(rand.NewSource(17))
	for i := 0; i < 3000; i++ {
		at := time.Unix(r.Int63n(4102444800), 0).UTC() // 1970 to 2100
		stored = append(stored, at.Format(TimeFormat))
	}
	for _, s := range stored {
		for _, loc := range zones {
			if got, want := LocalTime(s, loc), reference(s, loc); got != want {
				t.Errorf("LocalTime(%q, %v) = %q, time.Format gives %q", s, loc, got, want)
			}
		}
	}
	la, _ := time.LoadLocation("America/Los_Angeles")
	if got := LocalTime("2026-11-27T17:05:00Z", la); got != "11/27/2026 9:05 AM PST" {
		t.Errorf("a Pacific morning reads %q", got)
	}
}
