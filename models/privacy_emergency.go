package models

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"portico/db"
)

// EmergencyMinutesSetting is the setting holding how long an emergency access lasts
// (minutes, default 60).
const EmergencyMinutesSetting = "privacy.emergency_minutes"

// EmergencyAccess is one "break the glass" access of a plan staff user to a member's
// record outside their normal scope.
type EmergencyAccess struct {
	ID                           int64
	UserID                       int64
	Actor                        string
	MemberPK                     int64
	MemberID                     string
	Reason, StartedAt, ExpiresAt string
}

// Expires is the end of the access as an instant.
func (e *EmergencyAccess) Expires() time.Time {
	t, _ := time.Parse(db.TimeFormat, e.ExpiresAt)
	return t
}

// EmergencyMinutes is the length of an emergency access (the setting; 60 by default).
func (s Privacy) EmergencyMinutes(ctx context.Context) int {
	var v string
	if err := s.DB.R.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, EmergencyMinutesSetting).Scan(&v); err == nil {
		if n, err := strconv.Atoi(v); err == nil && n >= 5 && n <= 24*60 {
			return n
		}
	}
	return 60
}

// InCareScope is a case manager's normal scope: members in care management — with a
// referral (any status), a care plan or a care coordination document on file. Anyone
// else needs an emergency access.
func (s Privacy) InCareScope(ctx context.Context, memberPK int64) (bool, error) {
	var ok bool
	err := s.DB.R.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM referrals WHERE member_pk = ?)
		OR EXISTS(SELECT 1 FROM care_plans WHERE member_pk = ?)
		OR EXISTS(SELECT 1 FROM care_coordination_documents WHERE member_pk = ?)`, memberPK, memberPK, memberPK).Scan(&ok)
	return ok, err
}

// MaxEmergencyReason is the longest reason accepted.
const MaxEmergencyReason = 500

// StartEmergency grants u time-limited access to the member, with the reason stated;
// audited and flagged in the privacy officer's review queue.
func (s Privacy) StartEmergency(ctx context.Context, a Actor, memberPK int64, memberID, reason string) (*EmergencyAccess, FieldErrors, error) {
	if reason == "" {
		return nil, FieldErrors{"ea-reason": "State why you need this record now."}, nil
	}
	if len([]rune(reason)) > MaxEmergencyReason {
		return nil, FieldErrors{"ea-reason": "Use at most 500 characters."}, nil
	}
	now := s.DB.Now()
	ea := &EmergencyAccess{UserID: a.UserID, Actor: a.Email, MemberPK: memberPK, MemberID: memberID, Reason: reason,
		StartedAt: now.Format(db.TimeFormat), ExpiresAt: now.Add(time.Duration(s.EmergencyMinutes(ctx)) * time.Minute).Format(db.TimeFormat)}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO emergency_access(user_id, member_pk, reason, started_at, expires_at) VALUES (?,?,?,?,?)`,
			a.UserID, memberPK, reason, ea.StartedAt, ea.ExpiresAt)
		if err != nil {
			return err
		}
		ea.ID, _ = res.LastInsertId()
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, a.Stamp(AuditEntry{Action: "privacy.emergency.start", ObjectType: "emergency_access",
			ObjectID: strconv.FormatInt(ea.ID, 10), MemberID: memberID}))
	})
	return ea, nil, err
}

// ActiveEmergency is u's emergency access to the member in force now, or nil.
func (s Privacy) ActiveEmergency(ctx context.Context, userID, memberPK int64) (*EmergencyAccess, error) {
	ea := &EmergencyAccess{UserID: userID, MemberPK: memberPK}
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, reason, started_at, expires_at FROM emergency_access
		WHERE user_id = ? AND member_pk = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1`, userID, memberPK, s.DB.NowText()).
		Scan(&ea.ID, &ea.Reason, &ea.StartedAt, &ea.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return ea, err
}

// OpenEmergencies lists the emergency accesses not yet reviewed, oldest first (at most
// 200), with the full count.
func (s Privacy) OpenEmergencies(ctx context.Context) ([]*EmergencyAccess, int, error) {
	var total int
	if err := s.DB.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM emergency_access WHERE reviewed_at IS NULL`).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.R.QueryContext(ctx, `SELECT e.id, e.user_id, u.email, e.member_pk, m.member_id, e.reason, e.started_at, e.expires_at
		FROM emergency_access e JOIN users u ON u.id = e.user_id JOIN members m ON m.id = e.member_pk
		WHERE e.reviewed_at IS NULL ORDER BY e.id LIMIT 200`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*EmergencyAccess
	for rows.Next() {
		var e EmergencyAccess
		if err := rows.Scan(&e.ID, &e.UserID, &e.Actor, &e.MemberPK, &e.MemberID, &e.Reason, &e.StartedAt, &e.ExpiresAt); err != nil {
			return nil, 0, err
		}
		out = append(out, &e)
	}
	return out, total, rows.Err()
}

// ReviewEmergency marks an emergency access reviewed; audited. ErrConflict when already
// reviewed or unknown.
func (s Privacy) ReviewEmergency(ctx context.Context, a Actor, id int64) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE emergency_access SET reviewed_at = ?, reviewed_by = ? WHERE id = ? AND reviewed_at IS NULL`, s.DB.NowText(), nullID(a.UserID), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, a.Stamp(AuditEntry{Action: "privacy.emergency.review", ObjectType: "emergency_access", ObjectID: strconv.FormatInt(id, 10)}))
	})
}

// SetEmergencyMinutes changes the length of emergency accesses (5 to 1,440 minutes);
// audited with the change.
func (s Privacy) SetEmergencyMinutes(ctx context.Context, a Actor, minutes int) error {
	if minutes < 5 || minutes > 24*60 {
		return ErrInvalid
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)`, EmergencyMinutesSetting, strconv.Itoa(minutes)); err != nil {
			return err
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, a.Stamp(AuditEntry{Action: "settings.update", ObjectType: "setting", ObjectID: EmergencyMinutesSetting, Detail: "minutes=" + strconv.Itoa(minutes)}))
	})
}
