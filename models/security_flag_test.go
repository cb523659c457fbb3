package models

import (
	"testing"
	"time"
)

func TestLookupMeterWindowsAndRosters(t *testing.T) {
	m := NewLookupMeter()
	ceilings := []LookupCeiling{{Window: time.Hour, Max: 10, Label: "in one hour"}, {Window: 24 * time.Hour, Max: 15, Label: "in 24 hours"}}
	t0 := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	if c := m.Take(1, 8, t0, ceilings); c != nil {
		t.Fatalf("a roster of 8 refused by %+v", c)
	}
	if c := m.Take(1, 3, t0, ceilings); c == nil || c.Max != 10 {
		t.Fatalf("8+3 in an hour: %+v", c)
	}
	if c := m.Take(1, 2, t0.Add(time.Minute), ceilings); c != nil {
		t.Fatal("a refused roster was counted")
	}
	if c := m.Take(2, 10, t0, ceilings); c != nil {
		t.Fatal("another user shares the count")
	}
	// An hour later the hourly window has room, the daily one does not (10 of 15 used).
	if c := m.Take(1, 6, t0.Add(61*time.Minute), ceilings); c == nil || c.Max != 15 {
		t.Fatalf("daily ceiling: %+v", c)
	}
	if c := m.Take(1, 5, t0.Add(61*time.Minute), ceilings); c != nil {
		t.Fatalf("5 more within the day: %+v", c)
	}
	if c := m.Take(1, 10, t0.Add(25*time.Hour), ceilings); c != nil {
		t.Fatalf("a day later: %+v", c)
	}
	if c := m.Take(1, 1_000_000, t0, nil); c != nil {
		t.Fatal("no ceilings refused")
	}
}
