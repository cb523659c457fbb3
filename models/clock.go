package models

import (
	"sync/atomic"
	"time"
)

// clockOffset is how far the demo clock runs ahead of real time, in nanoseconds.
var clockOffset atomic.Int64

// SetClockOffset moves the clock every rule reads (Now) ahead of real time. Only demo
// mode uses it, so trainers can show a request going overdue or a password expiring.
func SetClockOffset(d time.Duration) { clockOffset.Store(int64(d)) }

// ClockOffset is the current demo clock offset.
func ClockOffset() time.Duration { return time.Duration(clockOffset.Load()) }
