package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// RequestPasswordReset e-mails a single-use link, valid 30 minutes, to the user with
// this e-mail, if there is one who may sign in (active or locked). The caller answers
// the same whatever happened, so nobody learns whether an e-mail has an account.
func (s Users) RequestPasswordReset(ctx context.Context, email, baseURL, planName, ip string) error {
	u, err := s.ByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) {
		return Audit{DB: s.DB}.Record(ctx, AuditEntry{Actor: "anonymous", Action: "password_reset_requested", IP: ip, Detail: "unknown e-mail"})
	}
	if err != nil {
		return err
	}
	entry := ActorFor(u, ip).Stamp(AuditEntry{Action: "password_reset_requested", ObjectType: "user", ObjectID: fmt.Sprint(u.ID)})
	if u.Status != "active" && u.Status != "locked" {
		entry.Detail = "no link sent: user " + u.Status
		return Audit{DB: s.DB}.Record(ctx, entry)
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		token, err := (Tokens{DB: s.DB}).CreateTokenTx(ctx, tx, TokenReset, u.ID, ResetLinkLife)
		if err != nil {
			return err
		}
		body := fmt.Sprintf("Hello %s,\n\nSomeone (we hope you) asked to reset the password of your Portico account at %s.\n\n"+
			"To choose a new password, open this link within 30 minutes. It works once:\n\n%s/login/reset/%s\n\n"+
			"Setting a new password also unlocks your account. You will still need your authenticator app (or a recovery code) to sign in.\n\n"+
			"If you did not ask for this, ignore this e-mail: your password stays as it is.\n", u.Name, planName, baseURL, token)
		// The link must not arrive after it stopped working: mail still queued at its
		// expiry is replaced by one that says to ask again (DeliverDue).
		if err := (Outbox{DB: s.DB}).QueueTx(ctx, tx, QueuedMail{To: u.Email, Subject: "Reset your Portico password", Body: body,
			Kind: MailReset, ExpiresAt: s.DB.Now().Add(ResetLinkLife)}); err != nil {
			return err
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, entry)
	})
}

// CompleteReset uses up a reset token and sets the new password hash: the user is
// unlocked (not re-enabled, if disabled), other reset links stop working and every
// session ends. The second factor is untouched and still required at sign-in.
func (s Users) CompleteReset(ctx context.Context, token, passwordHash, ip string) (*User, error) {
	var u *User
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		id, err := (Tokens{DB: s.DB}).UseTokenTx(ctx, tx, TokenReset, token)
		if err != nil {
			return err
		}
		u, err = scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+userFrom+"WHERE u.id = ?", id))
		if err != nil {
			return err
		}
		now := s.DB.NowText()
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, failed_logins = 0, unlocked_at = ?,
			status = CASE WHEN status = 'locked' THEN 'active' ELSE status END,
			locked_reason = CASE WHEN status = 'locked' THEN '' ELSE locked_reason END WHERE id = ?`, passwordHash, now, now, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE auth_tokens SET used_at = ? WHERE user_id = ? AND kind = 'reset' AND used_at IS NULL", now, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", id); err != nil {
			return err
		}
		if err := (Outbox{DB: s.DB}).SecurityNoticeTx(ctx, tx, u, NoticePasswordChanged); err != nil {
			return err
		}
		entry := ActorFor(u, ip).Stamp(AuditEntry{ObjectType: "user", ObjectID: fmt.Sprint(u.ID), Action: "password_reset"})
		if err := (Audit{DB: s.DB}).RecordTx(ctx, tx, entry); err != nil {
			return err
		}
		if u.Status == "locked" {
			entry.Action, entry.Detail = "unlock", "by password reset"
			if err := (Audit{DB: s.DB}).RecordTx(ctx, tx, entry); err != nil {
				return err
			}
			u.Status = "active"
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("complete reset: %w", err)
	}
	return u, nil
}
