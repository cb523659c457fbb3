package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"portico/db"
)

// Permissions an account manager grants to office users (SPEC §1).
const (
	PermEligibility       = "eligibility"
	PermMedicalManagement = "medical_management"
	PermClaims            = "claims"
	PermReports           = "reports"
	PermMessaging         = "messaging"
)

// AllPermissions lists office permissions in the order screens show them.
var AllPermissions = []string{PermEligibility, PermMedicalManagement, PermClaims, PermReports, PermMessaging}

// Plan staff roles (SPEC §1).
const (
	RoleAssociate   = "associate"
	RoleReviewer    = "reviewer"
	RoleCaseManager = "case_manager"
	RoleEditor      = "editor"
	RolePrivacy     = "privacy"
	RoleAdmin       = "admin"
)

// AllRoles lists plan staff roles in the order screens show them.
var AllRoles = []string{RoleAssociate, RoleReviewer, RoleCaseManager, RoleEditor, RolePrivacy, RoleAdmin}

// User is a person who signs in: an office user (AccountID set) or plan staff.
type User struct {
	ID                int64
	AccountID         int64 // 0 for plan staff
	AccountName       string
	Email             string
	Name              string
	PasswordHash      string
	TOTPSecret        string
	TOTPLastStep      int64
	IsManager         bool
	Permissions       []string
	Roles             []string
	Department        string
	Status            string
	LockedReason      string
	FailedLogins      int
	LastLoginAt       string
	PasswordChangedAt string
	CreatedAt         string
	UnlockedAt        string
	Phone             string
	// epochs are the database's epochs as read before this user was loaded for a
	// request (Sessions.Load), nil for a user read any other way: what is kept under
	// them (the account's TINs, the unread count) is only used for a loaded user.
	epochs *Epochs
}

// ForgetKept makes the rest of the request read u's account's TINs and unread count
// from the database instead of from memory: for a request that changes them and then
// shows them (a thread opened is marked read before its page shows the badge).
func (u *User) ForgetKept() { u.epochs = nil }

// IsPlanStaff reports whether the user works for the plan rather than a provider office.
func (u *User) IsPlanStaff() bool { return u != nil && u.AccountID == 0 }

// HasRole reports whether plan staff u holds role.
func (u *User) HasRole(role string) bool { return u != nil && slices.Contains(u.Roles, role) }

// Can is the one permission check: may u use the area guarded by perm?
// Office users need the permission (the account manager holds them all); plan staff
// reach messaging always and the other office areas not at all, except eligibility
// look-ups which every signed-in user may do.
func (u *User) Can(perm string) bool {
	if u == nil {
		return false
	}
	if u.IsPlanStaff() {
		return perm == PermMessaging || perm == PermEligibility
	}
	if u.IsManager {
		return true
	}
	return perm == PermEligibility || slices.Contains(u.Permissions, perm)
}

const userColumns = `u.id, COALESCE(u.account_id,0), COALESCE(a.name,''), u.email, u.name, u.password_hash, u.totp_secret,
	u.totp_last_step, u.is_manager, u.permissions, u.roles, u.department, u.status, u.locked_reason, u.failed_logins,
	COALESCE(u.last_login_at,''), COALESCE(u.password_changed_at,''), u.created_at, COALESCE(u.unlocked_at,''), u.phone`

const userFrom = ` FROM users u LEFT JOIN provider_accounts a ON a.id = u.account_id `

func scanUser(row interface{ Scan(...any) error }) (*User, error) {
	var u User
	var perms, roles string
	err := row.Scan(&u.ID, &u.AccountID, &u.AccountName, &u.Email, &u.Name, &u.PasswordHash, &u.TOTPSecret,
		&u.TOTPLastStep, &u.IsManager, &perms, &roles, &u.Department, &u.Status, &u.LockedReason, &u.FailedLogins,
		&u.LastLoginAt, &u.PasswordChangedAt, &u.CreatedAt, &u.UnlockedAt, &u.Phone)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	u.Permissions = strings.Fields(perms)
	u.Roles = strings.Fields(roles)
	return &u, nil
}

// Users reads and writes users.
type Users struct{ DB *db.DB }

// qUserByID runs on every signed-in request (the session's user), so it is prepared once.
const qUserByID = "SELECT " + userColumns + userFrom + "WHERE u.id = (SELECT ?)"

// ByID loads one user.
func (s Users) ByID(ctx context.Context, id int64) (*User, error) {
	st, err := s.DB.Prepared(ctx, s.DB.R, qUserByID)
	if err != nil {
		return nil, fmt.Errorf("user by id: %w", err)
	}
	u, err := scanUser(st.QueryRowContext(ctx, id))
	if err != nil {
		return nil, fmt.Errorf("user by id: %w", err)
	}
	return u, nil
}

// ByEmail loads one user by e-mail, ignoring case.
func (s Users) ByEmail(ctx context.Context, email string) (*User, error) {
	u, err := scanUser(s.DB.R.QueryRowContext(ctx, "SELECT "+userColumns+userFrom+"WHERE u.email = ?", strings.TrimSpace(email)))
	if err != nil {
		return nil, fmt.Errorf("user by email: %w", err)
	}
	return u, nil
}

// ByAccount lists an account's users by name.
func (s Users) ByAccount(ctx context.Context, accountID int64) ([]*User, error) {
	return s.list(ctx, "users by account", "WHERE u.account_id = ? ORDER BY u.name", accountID)
}

// list runs a users query with the given WHERE/ORDER tail; op names it in errors.
func (s Users) list(ctx context.Context, op, tail string, args ...any) ([]*User, error) {
	rows, err := s.DB.R.QueryContext(ctx, "SELECT "+userColumns+userFrom+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
