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

// authCacheLimit bounds the sessions kept (and the users' unread counts and the
// accounts' TINs); when full, that map starts again empty.
const authCacheLimit = 4096

// authCache is the sign-in cache of one database, with the two other things every page
// shows that are kept the same way (migration 0054): each account's TINs, under the
// sign-in epoch, which any change to a TIN replaces; and each user's number of threads
// with unread messages, under both epochs (a user's department or account decides which
// threads are theirs), the messages epoch being replaced by any change to a thread or to
// a user's read state of one. Neither is health information.
type authCache struct {
	mu       sync.Mutex
	sessions map[string]sessionEntry // by token hash
	tins     map[int64]tinsEntry     // by account
	unread   map[int64]unreadEntry   // by user
}

type sessionEntry struct {
	epoch int64
	sess  Session // its times parsed
	user  User
}

type tinsEntry struct {
	epoch int64
	tins  []TIN
}

type unreadEntry struct {
	at Epochs
	n  int
}

// authCacheFor is the database's sign-in cache.
func authCacheFor(d *db.DB) *authCache {
	return d.Attached("models.authCache", func() (any, func()) {
		return &authCache{sessions: map[string]sessionEntry{}, tins: map[int64]tinsEntry{}, unread: map[int64]unreadEntry{}}, nil
	}).(*authCache)
}

// Epochs are the database's sign-in and messages epochs as one request read them.
type Epochs struct{ SignIn, Messages int64 }

const qAuthEpoch = "SELECT n, messages FROM auth_epoch WHERE id = 1"

// authEpoch reads the database's epochs.
func authEpoch(ctx context.Context, d *db.DB) (Epochs, error) {
	st, err := d.Prepared(ctx, d.R, qAuthEpoch)
	if err != nil {
		return Epochs{}, err
	}
	var e Epochs
	err = st.QueryRowContext(ctx).Scan(&e.SignIn, &e.Messages)
	return e, err
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
	keep(c.sessions, sess.TokenHash, e)
	c.mu.Unlock()
}

// keep puts v in m under k, starting m again empty when it is full.
func keep[K comparable, V any](m map[K]V, k K, v V) {
	if len(m) >= authCacheLimit {
		clear(m)
	}
	m[k] = v
}

// accountTINs returns a copy of the account's kept TINs if they were read under epoch.
func (c *authCache) accountTINs(account, epoch int64) ([]TIN, bool) {
	c.mu.Lock()
	e, ok := c.tins[account]
	c.mu.Unlock()
	if !ok || e.epoch != epoch {
		return nil, false
	}
	return slices.Clone(e.tins), true
}

func (c *authCache) keepTINs(account, epoch int64, tins []TIN) {
	c.mu.Lock()
	keep(c.tins, account, tinsEntry{epoch, slices.Clone(tins)})
	c.mu.Unlock()
}

// unreadCount returns the user's kept count if it was read under at.
func (c *authCache) unreadCount(user int64, at Epochs) (int, bool) {
	c.mu.Lock()
	e, ok := c.unread[user]
	c.mu.Unlock()
	return e.n, ok && e.at == at
}

func (c *authCache) keepUnread(user int64, at Epochs, n int) {
	c.mu.Lock()
	keep(c.unread, user, unreadEntry{at, n})
	c.mu.Unlock()
}
