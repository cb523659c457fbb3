package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"portico/db"
)

// Session stages: a user who gave the password and owes the second factor, a user
// enrolling TOTP, and a fully signed-in user. StageAnon (a visitor with only a CSRF
// token) is no longer created — visitors' tokens live in a signed cookie and cost no
// database write — but rows made by older versions still load until they expire.
const (
	StageAnon  = "anon"
	StageMFA   = "mfa"
	StageEnrol = "enrol"
	StageFull  = "full"
)

// Session limits (SPEC §2). IdleTimeout is a setting; these are the defaults.
var (
	DefaultIdleTimeout = 15 * time.Minute
	AbsoluteLimit      = 12 * time.Hour
	anonLifetime       = 2 * time.Hour
	touchEvery         = 30 * time.Second
)

// Session is a server-side session. Its key is the SHA-256 of the cookie token, so a
// copy of the database does not hand out live cookies.
type Session struct {
	TokenHash  string
	UserID     int64
	CSRF       string
	Stage      string
	TINID      int64
	PlanType   string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Sessions stores sessions in SQLite.
type Sessions struct {
	DB   *db.DB
	Idle time.Duration
}

// RandomToken returns n random bytes, base64url-encoded.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is the stored form of a cookie or link token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s Sessions) idle() time.Duration {
	if s.Idle > 0 {
		return s.Idle
	}
	return DefaultIdleTimeout
}

// Create starts a session and returns the cookie token. userID 0 makes an anonymous one.
func (s Sessions) Create(ctx context.Context, userID int64, stage string) (string, *Session, error) {
	token := RandomToken(32)
	now := s.DB.Now()
	life := AbsoluteLimit
	if stage == StageAnon {
		life = anonLifetime
	}
	sess := &Session{TokenHash: HashToken(token), UserID: userID, CSRF: RandomToken(32), Stage: stage,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(life)}
	_, err := s.DB.W.ExecContext(ctx, `INSERT INTO sessions(token_hash, user_id, csrf, stage, created_at, last_seen_at, expires_at)
		VALUES (?, NULLIF(?,0), ?, ?, ?, ?, ?)`, sess.TokenHash, userID, sess.CSRF, stage,
		now.Format(TimeFormat), now.Format(TimeFormat), sess.ExpiresAt.Format(TimeFormat))
	if err != nil {
		return "", nil, fmt.Errorf("session create: %w", err)
	}
	return token, sess, nil
}

// qSessionGet runs on every signed-in request: prepared once, with the key bound as
// (SELECT ?) so that SQLite does not re-plan it at each call.
const qSessionGet = `SELECT token_hash, COALESCE(user_id,0), csrf, stage, COALESCE(tin_id,0), plan_type,
	created_at, last_seen_at, expires_at FROM sessions WHERE token_hash = (SELECT ?)`

// Get returns the live session for token. Expired or idle sessions are deleted and
// reported as ErrNotFound; a live one has its last-seen time refreshed now and then.
func (s Sessions) Get(ctx context.Context, token string) (*Session, error) {
	if token == "" {
		return nil, ErrNotFound
	}
	st, err := s.DB.Prepared(ctx, s.DB.R, qSessionGet)
	if err != nil {
		return nil, fmt.Errorf("session get: %w", err)
	}
	var sess Session
	var times [3]string
	err = st.QueryRowContext(ctx, HashToken(token)).Scan(sess.fields(&times)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("session get: %w", err)
	}
	return s.live(ctx, token, &sess, times)
}

// fields are the scan targets of sessionColumns; the three times land in times.
func (sess *Session) fields(times *[3]string) []any {
	return []any{&sess.TokenHash, &sess.UserID, &sess.CSRF, &sess.Stage, &sess.TINID, &sess.PlanType, &times[0], &times[1], &times[2]}
}

// live parses the session's times and returns it if it is still live; an expired or
// idle one is deleted and reported as ErrNotFound.
func (s Sessions) live(ctx context.Context, token string, sess *Session, times [3]string) (*Session, error) {
	sess.CreatedAt, _ = time.Parse(TimeFormat, times[0])
	sess.LastSeenAt, _ = time.Parse(TimeFormat, times[1])
	sess.ExpiresAt, _ = time.Parse(TimeFormat, times[2])
	return s.check(ctx, token, sess)
}

// check returns sess if it is still live; an expired or idle one is deleted and
// reported as ErrNotFound.
func (s Sessions) check(ctx context.Context, token string, sess *Session) (*Session, error) {
	now := s.DB.Now()
	if now.After(sess.ExpiresAt) || (sess.Stage != StageAnon && now.Sub(sess.LastSeenAt) > s.idle()) {
		_ = s.Delete(ctx, token)
		return nil, ErrNotFound
	}
	return sess, nil
}

// qSessionLoad is qSessionGet and the session's user (Users.ByID) in one statement:
// every signed-in request needs both, and one statement costs about half of two.
const qSessionLoad = `SELECT s.token_hash, COALESCE(s.user_id,0), s.csrf, s.stage, COALESCE(s.tin_id,0), s.plan_type,
	s.created_at, s.last_seen_at, s.expires_at, ` + userColumns + `
	FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN provider_accounts a ON a.id = u.account_id
	WHERE s.token_hash = (SELECT ?)`

// Load returns the live session for token and its user, as Get and Users.ByID would:
// the user is nil for a session without one (or whose user is gone).
func (s Sessions) Load(ctx context.Context, token string) (*Session, *User, error) {
	if token == "" {
		return nil, nil, ErrNotFound
	}
	hash := HashToken(token)
	cache := authCacheFor(s.DB)
	epoch, err := authEpoch(ctx, s.DB)
	if err != nil {
		return nil, nil, fmt.Errorf("session load: %w", err)
	}
	if sess, u, ok := cache.session(hash, epoch.SignIn); ok {
		live, err := s.check(ctx, token, &sess)
		if err != nil {
			return nil, nil, err
		}
		u.epochs = &epoch
		return live, u, nil
	}
	st, err := s.DB.Prepared(ctx, s.DB.R, qSessionLoad)
	if err != nil {
		return nil, nil, fmt.Errorf("session load: %w", err)
	}
	var sess Session
	var times [3]string
	u, err := scanUser(prefixScan{st.QueryRowContext(ctx, hash), sess.fields(&times)})
	if errors.Is(err, ErrNotFound) {
		// No session, or one without a user: Get tells which.
		sess, err := s.Get(ctx, token)
		return sess, nil, err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("session load: %w", err)
	}
	live, err := s.live(ctx, token, &sess, times)
	if err != nil {
		return nil, nil, err
	}
	cache.keepSession(epoch.SignIn, *live, u)
	u.epochs = &epoch
	return live, u, nil
}

// prefixScan scans a row whose first columns are prefix and the rest what the caller
// asks for, so that scanUser reads the user's part of a joined row.
type prefixScan struct {
	row    *sql.Row
	prefix []any
}

// Scan fills prefix, then dest.
func (p prefixScan) Scan(dest ...any) error { return p.row.Scan(append(p.prefix, dest...)...) }

// Touch records activity so that the idle clock restarts; it writes at most every
// 30 seconds per session to keep busy pages off the writer.
func (s Sessions) Touch(ctx context.Context, sess *Session) error {
	now := s.DB.Now()
	if now.Sub(sess.LastSeenAt) < touchEvery {
		return nil
	}
	sess.LastSeenAt = now
	_, err := s.DB.W.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", now.Format(TimeFormat), sess.TokenHash)
	if err != nil {
		return fmt.Errorf("session touch: %w", err)
	}
	return nil
}

// IdleRemaining tells how long until the session is signed out for inactivity.
func (s Sessions) IdleRemaining(sess *Session) time.Duration {
	return sess.LastSeenAt.Add(s.idle()).Sub(s.DB.Now())
}

// SetContext keeps the dashboard's TIN and plan-type choice for the session.
func (s Sessions) SetContext(ctx context.Context, sess *Session, tinID int64, planType string) error {
	_, err := s.DB.W.ExecContext(ctx, "UPDATE sessions SET tin_id = NULLIF(?,0), plan_type = ? WHERE token_hash = ?", tinID, planType, sess.TokenHash)
	if err != nil {
		return fmt.Errorf("session set context: %w", err)
	}
	sess.TINID, sess.PlanType = tinID, planType
	return nil
}

// Delete ends the session for token.
func (s Sessions) Delete(ctx context.Context, token string) error {
	_, err := s.DB.W.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", HashToken(token))
	if err != nil {
		return fmt.Errorf("session delete: %w", err)
	}
	return nil
}

// DeleteForUser ends every session of a user (sign out everywhere, disable, lock).
func (s Sessions) DeleteForUser(ctx context.Context, userID int64) error {
	_, err := s.DB.W.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
	if err != nil {
		return fmt.Errorf("session delete for user: %w", err)
	}
	return nil
}

// DeleteExpired removes sessions past their absolute expiry.
func (s Sessions) DeleteExpired(ctx context.Context) error {
	_, err := s.DB.W.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < ?", s.DB.NowText())
	if err != nil {
		return fmt.Errorf("session delete expired: %w", err)
	}
	return nil
}

// KeepAlive restarts the idle clock now ("Stay signed in"), whatever the last touch.
func (s Sessions) KeepAlive(ctx context.Context, sess *Session) error {
	now := s.DB.Now()
	_, err := s.DB.W.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", now.Format(TimeFormat), sess.TokenHash)
	if err != nil {
		return fmt.Errorf("session keep alive: %w", err)
	}
	sess.LastSeenAt = now
	return nil
}

// CountForUser counts a user's live sessions (for "sign out everywhere").
func (s Sessions) CountForUser(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM sessions WHERE user_id = ? AND expires_at > ?", userID, s.DB.NowText()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("session count: %w", err)
	}
	return n, nil
}
