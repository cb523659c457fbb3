package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"portico/db"
)

// Sign-in rules (SPEC §2 and the portal guide: "Accounts on the portal are locked after
// five failed login attempts, after 90 days of inactivity or after the password expires").
const (
	MaxFailedLogins = 5
	InactivityLimit = 90 * 24 * time.Hour
)

// Reasons a user is locked, stored in users.locked_reason.
const (
	LockFailedLogins    = "failed_logins"
	LockInactive        = "inactive"
	LockPasswordExpired = "password_expired"
	LockAdmin           = "admin"
)

// SignInOutcome is what a password check came to.
type SignInOutcome int

// Outcomes of CheckSignIn.
const (
	// SignInBad: the e-mail or the password is wrong (the page never says which).
	SignInBad SignInOutcome = iota
	// SignInOK: the password is right; the second factor is still owed.
	SignInOK
	// SignInLocked: the password is right but the user is locked (LockedReason says why).
	SignInLocked
	// SignInDisabled: the password is right but the user is disabled.
	SignInDisabled
	// SignInJustLocked: this wrong password was the fifth in a row and locked the user.
	SignInJustLocked
)

// CheckSignIn checks an e-mail and password and applies the lockout rules. An unknown
// e-mail costs the same argon2id work as a known one. passwordExpiry 0 means passwords
// do not expire. Failures, lockouts and their reasons go to the audit log.
func (s Users) CheckSignIn(ctx context.Context, email, password string, passwordExpiry time.Duration, ip string) (*User, SignInOutcome, error) {
	u, err := s.ByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) {
		CheckPassword("", password)
		err := Audit{DB: s.DB}.Record(ctx, AuditEntry{Actor: "anonymous", Action: "login_failed", IP: ip, Detail: "unknown e-mail"})
		return nil, SignInBad, err
	}
	if err != nil {
		return nil, SignInBad, err
	}
	ok := CheckPassword(u.PasswordHash, password)
	entry := ActorFor(u, ip).Stamp(AuditEntry{ObjectType: "user", ObjectID: fmt.Sprint(u.ID)})
	switch u.Status {
	case "disabled", "invited", "locked":
		entry.Action, entry.Detail = "login_failed", "user "+u.Status
		if err := (Audit{DB: s.DB}).Record(ctx, entry); err != nil {
			return nil, SignInBad, err
		}
		switch {
		case !ok || u.Status == "invited":
			return nil, SignInBad, nil
		case u.Status == "disabled":
			return u, SignInDisabled, nil
		}
		return u, SignInLocked, nil
	}
	if !ok {
		locked, err := s.recordFailure(ctx, u, entry, "wrong password")
		if locked {
			return u, SignInJustLocked, err
		}
		return nil, SignInBad, err
	}
	now := s.DB.Now()
	if reason := lockDue(u, now, passwordExpiry); reason != "" {
		if err := s.lock(ctx, u, reason, entry); err != nil {
			return nil, SignInBad, err
		}
		return u, SignInLocked, nil
	}
	if u.FailedLogins > 0 {
		if _, err := s.DB.W.ExecContext(ctx, "UPDATE users SET failed_logins = 0 WHERE id = ?", u.ID); err != nil {
			return nil, SignInBad, fmt.Errorf("check sign-in: %w", err)
		}
		u.FailedLogins = 0
	}
	return u, SignInOK, nil
}

// lockDue tells whether a user who gave the right password must be locked first: 90 days
// since the last sign-in (or the last unlock, or creation), or an expired password.
func lockDue(u *User, now time.Time, passwordExpiry time.Duration) string {
	ref := latest(u.CreatedAt, u.LastLoginAt, u.UnlockedAt)
	if !ref.IsZero() && now.Sub(ref) > InactivityLimit {
		return LockInactive
	}
	if passwordExpiry > 0 {
		changed := latest(u.PasswordChangedAt, u.CreatedAt)
		if !changed.IsZero() && now.Sub(changed) > passwordExpiry {
			return LockPasswordExpired
		}
	}
	return ""
}

func latest(times ...string) time.Time {
	var out time.Time
	for _, s := range times {
		if t, err := time.Parse(TimeFormat, s); err == nil && t.After(out) {
			out = t
		}
	}
	return out
}

// recordFailure counts a failed password or second-factor code; the fifth in a row locks
// the user and ends all of their sessions.
func (s Users) recordFailure(ctx context.Context, u *User, entry AuditEntry, detail string) (locked bool, err error) {
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ? RETURNING failed_logins", u.ID).Scan(&n); err != nil {
			return err
		}
		u.FailedLogins = n
		entry.Action, entry.Detail = "login_failed", detail
		if err := (Audit{DB: s.DB}).RecordTx(ctx, tx, entry); err != nil {
			return err
		}
		if n >= MaxFailedLogins {
			locked = true
			return lockTx(ctx, tx, s.DB, u, LockFailedLogins, entry)
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("record failure: %w", err)
	}
	return locked, nil
}

// RecordSecondFactorFailure counts a wrong second-factor code towards the lockout.
func (s Users) RecordSecondFactorFailure(ctx context.Context, u *User, ip string) (locked bool, err error) {
	return s.recordFailure(ctx, u, ActorFor(u, ip).Stamp(AuditEntry{ObjectType: "user", ObjectID: fmt.Sprint(u.ID)}), "wrong second-factor code")
}

func (s Users) lock(ctx context.Context, u *User, reason string, entry AuditEntry) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error { return lockTx(ctx, tx, s.DB, u, reason, entry) })
}

func lockTx(ctx context.Context, tx *sql.Tx, d *db.DB, u *User, reason string, entry AuditEntry) error {
	if _, err := tx.ExecContext(ctx, "UPDATE users SET status = 'locked', locked_reason = ? WHERE id = ?", reason, u.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
		return err
	}
	u.Status, u.LockedReason = "locked", reason
	entry.Action, entry.Detail = "lockout", reason
	return (Audit{DB: d}).RecordTx(ctx, tx, entry)
}

// RecordSignIn notes a completed sign-in (password and second factor): the failure count
// restarts and the 90-day inactivity clock restarts.
func (s Users) RecordSignIn(ctx context.Context, u *User, method, ip string) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET failed_logins = 0, last_login_at = ? WHERE id = ?", s.DB.NowText(), u.ID); err != nil {
			return fmt.Errorf("record sign-in: %w", err)
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, ActorFor(u, ip).Stamp(AuditEntry{Action: "login", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), Detail: "second factor: " + method}))
	})
}

// Actor identifies who changes a user, for the audit log.
type Actor struct {
	UserID    int64
	Email     string
	AccountID int64
	IP        string
}

// ActorFor is user u acting from address ip.
func ActorFor(u *User, ip string) Actor {
	return Actor{UserID: u.ID, Email: u.Email, AccountID: u.AccountID, IP: ip}
}

// Stamp fills the who of an audit entry (user, e-mail, account, address) from the actor:
// the one place an entry's actor fields are set.
func (a Actor) Stamp(e AuditEntry) AuditEntry {
	e.UserID, e.Actor, e.AccountID, e.IP = a.UserID, a.Email, a.AccountID, a.IP
	return e
}

func (a Actor) entry(action string, target *User, detail string) AuditEntry {
	e := a.Stamp(AuditEntry{Action: action, Detail: detail})
	if target != nil {
		e.ObjectType, e.ObjectID = "user", fmt.Sprint(target.ID)
		if e.AccountID == 0 {
			e.AccountID = target.AccountID
		}
	}
	if e.Actor == "" {
		e.Actor = "system"
	}
	return e
}

// Unlock makes a locked user active again; the inactivity clock restarts from now.
func (s Users) Unlock(ctx context.Context, by Actor, u *User) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE users SET status = 'active', locked_reason = '', failed_logins = 0, unlocked_at = ? WHERE id = ? AND status = 'locked'", s.DB.NowText(), u.ID)
		if err != nil {
			return fmt.Errorf("unlock: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, by.entry("unlock", u, ""))
	})
}

// SetDisabled disables (ending every session) or re-enables a user.
func (s Users) SetDisabled(ctx context.Context, by Actor, u *User, disabled bool) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if disabled {
			if _, err := tx.ExecContext(ctx, "UPDATE users SET status = 'disabled' WHERE id = ?", u.ID); err != nil {
				return fmt.Errorf("disable user: %w", err)
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
				return fmt.Errorf("disable user: %w", err)
			}
			return (Audit{DB: s.DB}).RecordTx(ctx, tx, by.entry("user_disabled", u, ""))
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET status = 'active', failed_logins = 0, locked_reason = '', unlocked_at = ? WHERE id = ? AND status = 'disabled'", s.DB.NowText(), u.ID); err != nil {
			return fmt.Errorf("enable user: %w", err)
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, by.entry("user_enabled", u, ""))
	})
}

// ResetSecondFactor clears a user's TOTP secret and recovery codes: they enrol again at
// their next sign-in. Their sessions end.
func (s Users) ResetSecondFactor(ctx context.Context, by Actor, u *User) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET totp_secret = '', totp_pending = '', totp_last_step = 0 WHERE id = ?", u.ID); err != nil {
			return fmt.Errorf("reset second factor: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", u.ID); err != nil {
			return fmt.Errorf("reset second factor: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
			return fmt.Errorf("reset second factor: %w", err)
		}
		if err := (Outbox{DB: s.DB}).SecurityNoticeTx(ctx, tx, u, NoticeSecondFactorReset); err != nil {
			return err
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, by.entry("mfa_reset", u, ""))
	})
}

// ChangePassword sets a new password chosen by the signed-in user; every session but
// keepSession (the token hash of the one in use) ends.
func (s Users) ChangePassword(ctx context.Context, by Actor, u *User, passwordHash, keepSession string) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?", passwordHash, s.DB.NowText(), u.ID); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", u.ID, keepSession); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if err := (Outbox{DB: s.DB}).SecurityNoticeTx(ctx, tx, u, NoticePasswordChanged); err != nil {
			return err
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, by.entry("password_changed", u, ""))
	})
}
