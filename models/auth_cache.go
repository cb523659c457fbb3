package models

import (
	"context"
	"slices"
	"sync"

	"portico/db"
)

// The sign-in cache. Every signed-in request reads its session and user (a join of three
// tables and some thirty columns); under load that was about an eighth of an eligibility
// check. The server now keeps what it read in
// memory and reuses it only while the database's sign-in epoch (migration 0052: a random
// value that triggers replace on any change to sessions, users or provider accounts)
// is the value it read before reading the rows. Reading the epoch is one row of a one-row
// table. What is kept is no health information: sessions, users' names, roles and
// permissions.
//
// Why it is never stale: the epoch is read before the rows, so rows read after a change
// are at worst newer than their epoch and are merely read again next time; a change
// committed before a request's epoch read has already replaced the epoch, so nothing
// kept from before it matches. The times of a session (idle and absolute limits) are
// checked on every request as before.

// authCacheLimit bounds the sessions kept; when full, the cache starts again empty.
const authCacheLimit = 4096

// authCache is the sign-in cache of one database.
type authCache struct {
	mu       sync.Mutex
	sessions map[string]sessionEntry // by token hash
}

type sessionEntry struct {
	epoch int64
	sess  Session // its times parsed
	user  User
}

// authCacheFor is the database's sign-in cache.
func authCacheFor(d *db.DB) *authCache {
	return d.Attached("models.authCache", func() (any, func()) {
		return &authCache{sessions: map[string]sessionEntry{}}, nil
	}).(*authCache)
}

const qAuthEpoch = "SELECT n FROM auth_epoch WHERE id = 1"

// authEpoch reads the database's sign-in epoch.
func authEpoch(ctx context.Context, d *db.DB) (int64, error) {
	st, err := d.Prepared(ctx, d.R, qAuthEpoch)
	if err != nil {
		return 0, err
	}
	var n int64
	err = st.QueryRowContext(ctx).Scan(&n)
	return n, err
}

// session returns the kept session and a copy of its user if they were read under epoch.
func (c *authCache) session(hash string, epoch int64) (Session, *User, bool) {
	c.mu.Lock()
	e, ok := c.sessions[hash]
	c.mu.Unlock()
	if !ok || e.epoch != epoch {
		return Session{}, nil, false
	}
	u := e.user
	u.Permissions, u.Roles = slices.Clone(u.Permissions), slices.Clone(u.Roles)
	return e.sess, &u, true
}

// keepSession keeps a session and its user, read under epoch.
func (c *authCache) keepSession(epoch int64, sess Session, u *User) {
	e := sessionEntry{epoch: epoch, sess: sess, user: *u}
	e.user.Permissions, e.user.Roles = slices.Clone(u.Permissions), slices.Clone(u.Roles)
	c.mu.Lock()
	if len(c.sessions) >= authCacheLimit {
		clear(c.sessions)
	}
	c.sessions[sess.TokenHash] = e
	c.mu.Unlock()
}
