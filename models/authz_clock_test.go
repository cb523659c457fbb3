package models

import (
	"testing"
	"time"
)

func la(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestDueAt72HoursAcrossDST(t *testing.T) {
	loc := la(t)
	// Friday 10/30/2026 9:00 AM PDT; clocks fall back on Sunday 11/01/2026.
	start := time.Date(2026, 10, 30, 9, 0, 0, 0, loc)
	due := DueAt(start, ClockRule{Amount: 72, Unit: UnitHours}, loc, nil)
	if got := due.Sub(start); got != 72*time.Hour {
		t.Fatalf("elapsed %v, want exactly 72h", got)
	}
	// 72 elapsed hours end at 8:00 AM PST on Monday: the wall clock moved back an hour.
	if l := due.In(loc); l.Format("2006-01-02 15:04 MST") != "2026-11-02 08:00 PST" {
		t.Fatalf("due %s, want 2026-11-02 08:00 PST", l.Format("2006-01-02 15:04 MST"))
	}
	// Spring forward: Friday 03/06/2026 9:00 AM PST → Monday 10:00 AM PDT.
	start = time.Date(2026, 3, 6, 9, 0, 0, 0, loc)
	due = DueAt(start, ClockRule{Amount: 72, Unit: UnitHours}, loc, nil)
	if due.Sub(start) != 72*time.Hour || due.In(loc).Format("2006-01-02 15:04 MST") != "2026-03-09 10:00 PDT" {
		t.Fatalf("spring: due %s", due.In(loc).Format("2006-01-02 15:04 MST"))
	}
}

func TestDueAtSevenCalendarDays(t *testing.T) {
	loc := la(t)
	start := time.Date(2026, 11, 20, 14, 30, 0, 0, loc) // a Friday
	due := DueAt(start, ClockRule{Amount: 7, Unit: UnitCalendarDays}, loc, Holidays{"2026-11-26": true})
	// Weekends and holidays count: the same clock time a week later.
	if got := due.In(loc).Format("2006-01-02 15:04"); got != "2026-11-27 14:30" {
		t.Fatalf("due %s, want 2026-11-27 14:30", got)
	}
	// Across the fall-back change the local clock time stays; the day is 169 hours long.
	start = time.Date(2026, 10, 28, 10, 0, 0, 0, loc)
	due = DueAt(start, ClockRule{Amount: 7, Unit: UnitCalendarDays}, loc, nil)
	if due.In(loc).Format("2006-01-02 15:04") != "2026-11-04 10:00" || due.Sub(start) != 7*24*time.Hour+time.Hour {
		t.Fatalf("due %s after %v", due.In(loc), due.Sub(start))
	}
}

func TestDueAtFiveBusinessDays(t *testing.T) {
	loc := la(t)
	hol := Holidays{"2026-11-26": true, "2026-11-27": true}
	rule := ClockRule{Amount: 5, Unit: UnitBusinessDays}
	cases := []struct {
		name, start, want string
	}{
		// Monday → the next Monday: Tue Wed Thu Fri Mon.
		{"plain week", "2026-11-02 10:00", "2026-11-09 10:00"},
		// Friday → the weekend is skipped: Mon Tue Wed Thu Fri.
		{"across a weekend", "2026-11-13 16:00", "2026-11-20 16:00"},
		// Tuesday before Thanksgiving: Wed, (Thu, Fri holidays), (weekend), Mon, Tue, Wed, Thu.
		{"across a weekend and holidays", "2026-11-24 09:15", "2026-12-03 09:15"},
		// Received on a Saturday: Mon..Fri.
		{"received on a weekend", "2026-11-07 11:00", "2026-11-13 11:00"},
	}
	for _, c := range cases {
		start, err := time.ParseInLocation("2006-01-02 15:04", c.start, loc)
		if err != nil {
			t.Fatal(err)
		}
		got := DueAt(start, rule, loc, hol).In(loc).Format("2006-01-02 15:04")
		if got != c.want {
			t.Errorf("%s: due %s, want %s", c.name, got, c.want)
		}
	}
}

func TestResumeDuePausesTheClock(t *testing.T) {
	sub := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	due := sub.Add(72 * time.Hour)
	paused := sub.Add(10 * time.Hour)         // 62 hours left
	resumed := paused.Add(3*24*time.Hour + 5) // the office took three days
	nd := ResumeDue(due, paused, resumed)
	if left := nd.Sub(resumed); left != 62*time.Hour {
		t.Fatalf("time left after the pause = %v, want 62h", left)
	}
	if !ResumeDue(due, paused, paused.Add(-time.Hour)).Equal(due) {
		t.Fatal("a resume before the pause moved the due time")
	}
}

func TestTrackingNumbers(t *testing.T) {
	if got := TrackingNumber(2026, 123); got != "PA260000123" {
		t.Fatalf("TrackingNumber = %s", got)
	}
	for _, ok := range []string{"PA260000123"} {
		if !ValidTrackingNo(ok) {
			t.Errorf("%s refused", ok)
		}
	}
	for _, bad := range []string{"", "PA26000012", "PA26000012X", "XA260000123", "pa260000123", "PA260000123 "} {
		if ValidTrackingNo(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}
