package models

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"portico/db"
)

// FlagLookupCeiling is the kind of flag raised when a user reaches the ceiling of
// eligibility look-ups.
const FlagLookupCeiling = "eligibility_ceiling"

// SecurityFlag is something plan admins should look at (SPEC §2; shown on /admin).
type SecurityFlag struct {
	ID          int64
	Kind        string
	UserID      int64
	UserName    string
	UserEmail   string
	AccountID   int64
	AccountName string
	Detail      string
	CreatedAt   string
}

// SecurityFlags stores the flags.
type SecurityFlags struct{ DB *db.DB }

// Raise records a flag for u with its audit entry, unless the same kind was already
// raised for u since since (one flag per episode, not one per refused request). It
// reports whether it raised one.
func (s SecurityFlags) Raise(ctx context.Context, kind string, u *User, ip, detail string, since time.Time) (bool, error) {
	raised := false
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM security_flags WHERE user_id = ? AND kind = ? AND created_at >= ?",
			u.ID, kind, since.UTC().Format(TimeFormat)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		now := s.DB.NowText()
		if _, err := tx.ExecContext(ctx, "INSERT INTO security_flags(kind, user_id, account_id, detail, created_at) VALUES (?, ?, NULLIF(?,0), ?, ?)",
			kind, u.ID, u.AccountID, detail, now); err != nil {
			return err
		}
		raised = true
		return Audit{DB: s.DB}.RecordTx(ctx, tx, ActorFor(u, ip).Stamp(AuditEntry{At: now, Action: "security.flag", ObjectType: "user", ObjectID: fmt.Sprint(u.ID), Detail: kind + ": " + detail}))
	})
	if err != nil {
		return false, fmt.Errorf("security flag: %w", err)
	}
	return raised, nil
}

// Recent lists the newest flags, newest first.
func (s SecurityFlags) Recent(ctx context.Context, limit int) ([]SecurityFlag, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT f.id, f.kind, f.user_id, u.name, u.email, COALESCE(f.account_id,0), COALESCE(a.name,''), f.detail, f.created_at
		FROM security_flags f JOIN users u ON u.id = f.user_id LEFT JOIN provider_accounts a ON a.id = f.account_id
		ORDER BY f.created_at DESC, f.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("security flags: %w", err)
	}
	defer rows.Close()
	var out []SecurityFlag
	for rows.Next() {
		var f SecurityFlag
		if err := rows.Scan(&f.ID, &f.Kind, &f.UserID, &f.UserName, &f.UserEmail, &f.AccountID, &f.AccountName, &f.Detail, &f.CreatedAt); err != nil {
			return nil, fmt.Errorf("security flags: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// LookupCeiling is the most eligibility look-ups one user may make in a window.
type LookupCeiling struct {
	Window time.Duration
	Max    int
	Label  string // "in one hour"
}

// DefaultLookupCeilings are far above what an office needs (a busy front desk checks a
// few hundred members a day; a roster holds at most 1,000 rows) and far below what
// harvesting the member table takes.
var DefaultLookupCeilings = []LookupCeiling{
	{Window: time.Hour, Max: 1500, Label: "in one hour"},
	{Window: 24 * time.Hour, Max: 3000, Label: "in 24 hours"},
}

// LookupMeter counts each user's eligibility look-ups in memory (one process serves
// the database). A restart forgets the counts; the flags it raised stay.
type LookupMeter struct {
	mu    sync.Mutex
	hits  map[int64][]time.Time
	calls int
}

// NewLookupMeter makes an empty meter.
func NewLookupMeter() *LookupMeter { return &LookupMeter{hits: map[int64][]time.Time{}} }

// Take records n look-ups by user at now if no ceiling would be passed, and returns
// nil. Otherwise it records nothing and returns the ceiling in the way.
func (m *LookupMeter) Take(user int64, n int, now time.Time, ceilings []LookupCeiling) *LookupCeiling {
	if len(ceilings) == 0 {
		return nil // no ceiling: nothing to count
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var longest time.Duration
	for _, c := range ceilings {
		longest = max(longest, c.Window)
	}
	m.calls++
	if m.calls%4096 == 0 {
		for k, ts := range m.hits {
			if len(ts) == 0 || now.Sub(ts[len(ts)-1]) > longest {
				delete(m.hits, k)
			}
		}
	}
	ts := m.hits[user]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= longest {
		i++
	}
	ts = ts[i:]
	for k := range ceilings {
		c := &ceilings[k]
		used := 0
		for j := len(ts) - 1; j >= 0 && now.Sub(ts[j]) < c.Window; j-- {
			used++
		}
		if used+n > c.Max {
			m.hits[user] = ts
			return c
		}
	}
	for ; n > 0; n-- {
		ts = append(ts, now)
	}
	m.hits[user] = ts
	return nil
}
