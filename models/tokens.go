package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"portico/db"
)

// Kinds of single-use e-mailed link and how long each stays valid.
const (
	TokenReset  = "reset"
	TokenInvite = "invite"
	TokenSetup  = "setup"

	ResetLinkLife  = 30 * time.Minute
	InviteLinkLife = 7 * 24 * time.Hour
	SetupLinkLife  = 24 * time.Hour
)

// Tokens makes and uses the single-use link tokens of e-mailed links (resets, invites,
// verification), with the database's clock.
type Tokens struct{ DB *db.DB }

// ErrLinkUsed is returned for a link that was used, has expired, or never existed; the
// page tells the person to ask for a new one.
var ErrLinkUsed = errors.New("link used or expired")

// CreateTokenTx makes a single-use link token of kind for userID (0 for none) valid for
// life; only its hash is stored. The plain token goes into the e-mailed URL.
func (t Tokens) CreateTokenTx(ctx context.Context, tx *sql.Tx, kind string, userID int64, life time.Duration) (string, error) {
	token := RandomToken(32)
	now := t.DB.Now()
	_, err := tx.ExecContext(ctx, "INSERT INTO auth_tokens(token_hash, kind, user_id, created_at, expires_at) VALUES (?,?,NULLIF(?,0),?,?)",
		HashToken(token), kind, userID, now.Format(TimeFormat), now.Add(life).Format(TimeFormat))
	if err != nil {
		return "", fmt.Errorf("create token: %w", err)
	}
	return token, nil
}

// PeekToken returns the user of a live token of kind without using it (to show the form
// that the link leads to). A used, expired or unknown token is ErrLinkUsed.
func (t Tokens) PeekToken(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, kind, token string) (int64, error) {
	var userID int64
	err := q.QueryRowContext(ctx, "SELECT COALESCE(user_id,0) FROM auth_tokens WHERE token_hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?",
		HashToken(token), kind, t.DB.NowText()).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrLinkUsed
	}
	if err != nil {
		return 0, fmt.Errorf("peek token: %w", err)
	}
	return userID, nil
}

// UseTokenTx uses up a live token of kind inside tx and returns its user. A second use,
// an expired or an unknown token is ErrLinkUsed.
func (t Tokens) UseTokenTx(ctx context.Context, tx *sql.Tx, kind, token string) (int64, error) {
	var userID int64
	err := tx.QueryRowContext(ctx, `UPDATE auth_tokens SET used_at = ? WHERE token_hash = ? AND kind = ? AND used_at IS NULL AND expires_at > ?
		RETURNING COALESCE(user_id,0)`, t.DB.NowText(), HashToken(token), kind, t.DB.NowText()).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrLinkUsed
	}
	if err != nil {
		return 0, fmt.Errorf("use token: %w", err)
	}
	return userID, nil
}
