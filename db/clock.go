package db

import (
	"sync/atomic"
	"time"
)

// TimeFormat is how instants are stored: UTC, to the second, ISO 8601.
const TimeFormat = "2006-01-02T15:04:05Z"

// Clock is Portico's one source of "now". Every rule, query and page reads the time
// from the clock its database carries, never from time.Now or SQLite's 'now', so that
// tests can fix the date and demo mode can move it forward for training.
type Clock struct {
	wall   func() time.Time
	offset atomic.Int64
	zone   atomic.Pointer[time.Location]
}

// NewClock is a clock that follows wall (time.Now when nil).
func NewClock(wall func() time.Time) *Clock {
	if wall == nil {
		wall = time.Now
	}
	return &Clock{wall: wall}
}

// FixedClock is a clock stopped at t, for tests; SetOffset still moves it.
func FixedClock(t time.Time) *Clock {
	t = t.UTC()
	return NewClock(func() time.Time { return t })
}

// Now is the current instant in UTC, with the demo offset applied.
func (c *Clock) Now() time.Time {
	return c.wall().UTC().Add(time.Duration(c.offset.Load()))
}

// Wall is the clock's time without the demo offset. TOTP codes follow it, since the
// authenticator apps on people's phones do not know about the demo clock.
func (c *Clock) Wall() time.Time { return c.wall().UTC() }

// SetOffset moves Now ahead of the wall time (demo mode only).
func (c *Clock) SetOffset(d time.Duration) { c.offset.Store(int64(d)) }

// Offset is how far Now runs ahead of the wall time.
func (c *Clock) Offset() time.Duration { return time.Duration(c.offset.Load()) }

// SetZone sets the plan's time zone, in which "today" is reckoned (SPEC §11 --time-zone).
func (c *Clock) SetZone(loc *time.Location) { c.zone.Store(loc) }

// Zone is the plan's time zone (UTC until SetZone).
func (c *Clock) Zone() *time.Location {
	if z := c.zone.Load(); z != nil {
		return z
	}
	return time.UTC
}

// Today is the plan's calendar date now, as stored (YYYY-MM-DD): a claim received at
// 5 PM in California on 31 December belongs to that year, not to the next.
func (c *Clock) Today() string { return c.Now().In(c.Zone()).Format("2006-01-02") }

// Now is the database's clock reading (see Clock.Now).
func (d *DB) Now() time.Time { return d.Clock.Now() }

// NowText is Now formatted for storage.
func (d *DB) NowText() string { return d.Clock.Now().Format(TimeFormat) }

// ClockFrom is a clock that reads anchor at the moment it is made and then runs at the
// speed of real time: tests and demos get a fixed date and still see time pass (TOTP
// steps, idle time-outs).
func ClockFrom(anchor time.Time) *Clock {
	start := time.Now()
	anchor = anchor.UTC()
	return NewClock(func() time.Time { return anchor.Add(time.Since(start)) })
}

// Today is the plan's calendar date on the database's clock (see Clock.Today).
func (d *DB) Today() string { return d.Clock.Today() }
