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
// in the last window. Use it where every attempt counts (reset requests); where only
// failures count (sign-in), ask Blocked first and record failures with Hit.
func (r *RateLimiter) Allow(key string, limit int, window time.Duration) bool {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.countLocked(key, window, now) >= limit {
		return false
	}
	r.hits[key] = append(r.hits[key], now)
	return true
}

// Blocked reports whether key already has limit attempts in the last window. It
// records nothing.
func (r *RateLimiter) Blocked(key string, limit int, window time.Duration) bool {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.countLocked(key, window, now) >= limit
}

// Hit records one attempt under key.
func (r *RateLimiter) Hit(key string) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hits[key] = append(r.hits[key], now)
	if len(r.hits[key]) > 4096 {
		r.hits[key] = r.hits[key][len(r.hits[key])-4096:]
	}
}

// countLocked drops key's attempts older than window and counts the rest; r.mu is held.
func (r *RateLimiter) countLocked(key string, window time.Duration, now time.Time) int {
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
	r.hits[key] = kept
	return len(kept)
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
