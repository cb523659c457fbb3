package models

import (
	"sync"
	"time"
)

// RateLimiter is an in-memory sliding-window limiter for sign-in, second-factor and
// reset attempts, keyed by whatever the caller chooses ("login-ip:1.2.3.4",
// "login-user:a@b.example"). One process serves the database, so memory is enough;
// a restart forgets the windows, which the lockout counter in the database does not.
type RateLimiter struct {
	now   func() time.Time // the database clock's Now
	mu    sync.Mutex
	hits  map[string][]time.Time
	calls int
}

// NewRateLimiter makes an empty limiter.
func NewRateLimiter(now func() time.Time) *RateLimiter {
	return &RateLimiter{now: now, hits: map[string][]time.Time{}}
}

// Allow records an attempt under key and reports whether it is within limit attempts
// in the last window.
func (r *RateLimiter) Allow(key string, limit int, window time.Duration) bool {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls++
	if r.calls%1024 == 0 {
		r.sweep(now)
	}
	cut := now.Add(-window)
	kept := r.hits[key][:0]
	for _, t := range r.hits[key] {
		if t.After(cut) {
			kept = append(kept, t)
		}
	}
	if len(kept) >= limit {
		r.hits[key] = kept
		return false
	}
	r.hits[key] = append(kept, now)
	return true
}

// sweep drops keys with no attempt in the last hour, so memory stays bounded.
func (r *RateLimiter) sweep(now time.Time) {
	cut := now.Add(-time.Hour)
	for k, ts := range r.hits {
		if len(ts) == 0 || ts[len(ts)-1].Before(cut) {
			delete(r.hits, k)
		}
	}
}
