package handlers

import "sync"

// caches are the Handler's in-memory caches, built with it in New: nothing in the
// package keeps mutable state of its own, so two servers (or two tests) in one process
// never see each other's data. None holds health information shared across accounts.
type caches struct {
	// metrics are the public authorization metrics of a year, for a minute.
	metrics struct {
		sync.Mutex
		m map[int]cachedMetrics
	}
	// hraDue are the dashboard's "due for an assessment" counts, per account, plan type
	// and day, for a few minutes (forgotten when an assessment is submitted).
	hraDue struct {
		sync.Mutex
		m map[hraDueKey]pendingCount
	}
	// pending are each TIN's counts of claims needing more information, for seconds.
	pending struct {
		sync.Mutex
		m map[pendingKey]pendingCount
	}
	// notices are the plan notices of each plan type, for seconds.
	notices struct {
		sync.Mutex
		m map[string]cachedNotices
	}
	// rosters are checked eligibility rosters, bound to the session that made them,
	// for a short while (the download URL carries only a random token).
	rosters struct {
		sync.Mutex
		m map[string]*rosterResult
	}
	// paperlessKey is the bank-details key, loaded at its first use.
	paperlessKey struct {
		sync.Mutex
		k []byte
	}
}

func newCaches() *caches {
	c := &caches{}
	c.metrics.m = map[int]cachedMetrics{}
	c.hraDue.m = map[hraDueKey]pendingCount{}
	c.pending.m = map[pendingKey]pendingCount{}
	c.notices.m = map[string]cachedNotices{}
	c.rosters.m = map[string]*rosterResult{}
	return c
}
