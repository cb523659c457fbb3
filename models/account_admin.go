package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"portico/db"
)

// Account is a provider account's details (Account Details).
type Account struct {
	ID          int64
	Name        string
	Type        string
	Capitated   bool
	Phone       string
	Address     string
	Status      string
	ContactName string
	NPI         string
	CreatedAt   string
}

// TypeLabel names the account's provider type.
func (a Account) TypeLabel() string { return ProviderTypeLabel(a.Type) }

// ByID loads one provider account.
func (s Accounts) ByID(ctx context.Context, id int64) (*Account, error) {
	var a Account
	err := s.DB.R.QueryRowContext(ctx, `SELECT id, name, type, capitated, phone, address, status, contact_name, npi, created_at
		FROM provider_accounts WHERE id = ?`, id).Scan(&a.ID, &a.Name, &a.Type, &a.Capitated, &a.Phone, &a.Address, &a.Status, &a.ContactName, &a.NPI, &a.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("account by id: %w", err)
	}
	return &a, nil
}

// UpdateInfo changes the account's contact details (the name and type stay as the plan
// registered them).
func (s Accounts) UpdateInfo(ctx context.Context, by Actor, accountID int64, contact, phone, address string) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE provider_accounts SET contact_name = ?, phone = ?, address = ? WHERE id = ?", contact, phone, address, accountID); err != nil {
			return fmt.Errorf("update account: %w", err)
		}
		e := by.entry("account_updated", nil, "contact details")
		e.AccountID, e.ObjectType, e.ObjectID = accountID, "account", fmt.Sprint(accountID)
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
	})
}

// TINRequest is a TIN an account asked for, pending verification.
type TINRequest struct {
	ID           int64
	AccountID    int64
	AccountName  string
	TINID        int64
	TIN          string
	Name         string
	Status       string
	FailedChecks int
	VerifiedBy   string
	CreatedAt    string
	// OnRecord is true when the plan has payments to the TIN, so the office can prove it.
	OnRecord bool
}

// Display shows the TIN as NN-NNNNNNN.
func (r TINRequest) Display() string { return FormatTIN(r.TIN) }

// MaxTINChecks is how many wrong check number and amount pairs an account may enter for
// one TIN; after that only a plan admin can verify it.
const MaxTINChecks = 5

// TINCheckWindow is how recent a payment must be to prove a TIN (the portal guide's
// payment history covers 18 months; proof asks for the last 6).
const TINCheckWindow = "-183 days"

const tinRequestColumns = `r.id, r.account_id, a.name, r.tin_id, r.tin, r.name, r.status, r.failed_checks, r.verified_by, r.created_at,
	EXISTS (SELECT 1 FROM payments p WHERE p.tin_id = r.tin_id)`

func scanTINRequests(rows *sql.Rows) ([]TINRequest, error) {
	defer rows.Close()
	var out []TINRequest
	for rows.Next() {
		var r TINRequest
		if err := rows.Scan(&r.ID, &r.AccountID, &r.AccountName, &r.TINID, &r.TIN, &r.Name, &r.Status, &r.FailedChecks, &r.VerifiedBy,
			&r.CreatedAt, &r.OnRecord); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TINRequests lists an account's pending TIN requests.
func (s Accounts) TINRequests(ctx context.Context, accountID int64) ([]TINRequest, error) {
	rows, err := s.DB.R.QueryContext(ctx, "SELECT "+tinRequestColumns+` FROM tin_requests r JOIN provider_accounts a ON a.id = r.account_id
		WHERE r.account_id = ? AND r.status = 'pending' ORDER BY r.tin`, accountID)
	if err != nil {
		return nil, fmt.Errorf("tin requests: %w", err)
	}
	return scanTINRequests(rows)
}

// OwnedTINRequest is the rule of who may act on a pending TIN request: the request with
// ID requestID when it is the account's own and pending, else ErrNotFound (another
// office learns nothing about it, and its attempts count nowhere).
func (s Accounts) OwnedTINRequest(ctx context.Context, accountID, requestID int64) (*TINRequest, error) {
	reqs, err := s.TINRequests(ctx, accountID)
	if err != nil {
		return nil, err
	}
	for i := range reqs {
		if reqs[i].ID == requestID {
			return &reqs[i], nil
		}
	}
	return nil, ErrNotFound
}

// PendingTINRequests lists every pending TIN request, oldest first (plan admin).
func (s Accounts) PendingTINRequests(ctx context.Context, limit int) ([]TINRequest, error) {
	rows, err := s.DB.R.QueryContext(ctx, "SELECT "+tinRequestColumns+` FROM tin_requests r JOIN provider_accounts a ON a.id = r.account_id
		WHERE r.status = 'pending' ORDER BY r.created_at, r.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending tin requests: %w", err)
	}
	return scanTINRequests(rows)
}

// RequestTIN asks for a TIN to be added to an account. A TIN the plan has no record of
// gets a pending row of the account's own; a TIN on record under an account that does
// not use the portal stays where it is until verified. A TIN already on this account is
// ErrConflict; one used by another portal account is ErrTINTaken.
func (s Accounts) RequestTIN(ctx context.Context, by Actor, accountID int64, tin, name string) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error { return requestTINTx(ctx, tx, s.DB, by, accountID, tin, name) })
}

func requestTINTx(ctx context.Context, tx *sql.Tx, d *db.DB, by Actor, accountID int64, tin, name string) error {
	tinID, owner, hasUsers, err := tinOwner(ctx, tx, tin)
	if err != nil {
		return fmt.Errorf("request tin: %w", err)
	}
	switch {
	case tinID != 0 && owner == accountID:
		return ErrConflict
	case hasUsers:
		return ErrTINTaken
	}
	var pending bool
	if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM tin_requests WHERE account_id = ? AND tin = ? AND status = 'pending')", accountID, tin).Scan(&pending); err != nil {
		return fmt.Errorf("request tin: %w", err)
	}
	if pending {
		return ErrConflict
	}
	now := d.NowText()
	if tinID == 0 {
		res, err := tx.ExecContext(ctx, "INSERT INTO tins(account_id, tin, name, status, created_at) VALUES (?,?,?,'pending',?)", accountID, tin, name, now)
		if err != nil {
			return fmt.Errorf("request tin: %w", err)
		}
		tinID, _ = res.LastInsertId()
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO tin_requests(account_id, tin_id, tin, name, created_at) VALUES (?,?,?,?,?)", accountID, tinID, tin, name, now); err != nil {
		return fmt.Errorf("request tin: %w", err)
	}
	e := by.entry("tin_requested", nil, "")
	e.AccountID, e.ObjectType, e.ObjectID = accountID, "tin", tin
	return (Audit{DB: d}).RecordTx(ctx, tx, e)
}

// approveTx gives the TIN row to the requesting account, verified; other pending
// requests for the same TIN are rejected.
func approveTx(ctx context.Context, tx *sql.Tx, d *db.DB, by Actor, r *TINRequest, how string) error {
	now := d.NowText()
	if _, err := tx.ExecContext(ctx, "UPDATE tins SET account_id = ?, status = 'verified' WHERE id = ?", r.AccountID, r.TINID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE tin_requests SET status = 'verified', verified_by = ?, decided_at = ? WHERE id = ?", how, now, r.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE tin_requests SET status = 'rejected', decided_at = ? WHERE tin_id = ? AND status = 'pending'", now, r.TINID); err != nil {
		return err
	}
	e := by.entry("tin_verified", nil, "by "+how)
	e.AccountID, e.ObjectType, e.ObjectID = r.AccountID, "tin", r.TIN
	return (Audit{DB: d}).RecordTx(ctx, tx, e)
}

func tinRequestTx(ctx context.Context, tx *sql.Tx, id int64) (*TINRequest, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+tinRequestColumns+" FROM tin_requests r JOIN provider_accounts a ON a.id = r.account_id WHERE r.id = ?", id)
	if err != nil {
		return nil, err
	}
	rs, err := scanTINRequests(rows)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, ErrNotFound
	}
	return &rs[0], nil
}

// VerifyTINByPayment lets an office prove a pending TIN with the check number and
// amount of a payment the plan made to it in the last 6 months. It reports whether the
// payment matched. A request of another account is ErrNotFound; after MaxTINChecks
// wrong tries it is ErrForbidden (a plan admin must approve).
func (s Accounts) VerifyTINByPayment(ctx context.Context, by Actor, accountID, requestID int64, checkNo string, amountCents int64) (bool, error) {
	matched := false
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := tinRequestTx(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if r.AccountID != accountID || r.Status != "pending" {
			return ErrNotFound
		}
		if r.FailedChecks >= MaxTINChecks {
			return ErrForbidden
		}
		err = tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM payments WHERE tin_id = ? AND check_no = ? AND amount_cents = ?
			AND check_date >= date(?, '`+TINCheckWindow+`'))`, r.TINID, strings.TrimSpace(checkNo), amountCents, s.DB.Today()).Scan(&matched)
		if err != nil {
			return err
		}
		if matched {
			return approveTx(ctx, tx, s.DB, by, r, "payment")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE tin_requests SET failed_checks = failed_checks + 1 WHERE id = ?", r.ID); err != nil {
			return err
		}
		e := by.entry("tin_check_failed", nil, "")
		e.AccountID, e.ObjectType, e.ObjectID = accountID, "tin", r.TIN
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
	})
	if err != nil {
		return false, fmt.Errorf("verify tin by payment: %w", err)
	}
	return matched, nil
}

// DecideTINRequest approves or rejects a pending TIN request (plan admin).
func (s Accounts) DecideTINRequest(ctx context.Context, by Actor, requestID int64, approve bool) (*TINRequest, error) {
	var out *TINRequest
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		r, err := tinRequestTx(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if r.Status != "pending" {
			return ErrConflict
		}
		out = r
		if approve {
			return approveTx(ctx, tx, s.DB, by, r, "plan admin "+by.Email)
		}
		now := s.DB.NowText()
		if _, err := tx.ExecContext(ctx, "UPDATE tin_requests SET status = 'rejected', decided_at = ? WHERE id = ?", now, r.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE tins SET status = 'rejected' WHERE id = ? AND account_id = ? AND status = 'pending'", r.TINID, r.AccountID); err != nil {
			return err
		}
		e := by.entry("tin_rejected", nil, "")
		e.AccountID, e.ObjectType, e.ObjectID = r.AccountID, "tin", r.TIN
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
	})
	if err != nil {
		return nil, fmt.Errorf("decide tin request: %w", err)
	}
	return out, nil
}

// Invitation is what an account manager or plan admin fills in to add a user.
type Invitation struct {
	Email       string
	Name        string
	AccountID   int64    // 0 for plan staff
	Permissions []string // office users
	Roles       []string // plan staff
	Department  string
}

// Invite creates an invited user and e-mails a single-use link (valid 7 days) with
// which they choose a password and then enrol the second factor. An e-mail that already
// has an account is ErrConflict.
func (s Users) Invite(ctx context.Context, by Actor, inv Invitation, baseURL, planName string) (*User, error) {
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var taken bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?)", inv.Email).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return ErrConflict
		}
		perms := cleanPermissions(inv.Permissions)
		var account any
		if inv.AccountID != 0 {
			account = inv.AccountID
		}
		now := s.DB.NowText()
		res, err := tx.ExecContext(ctx, `INSERT INTO users(account_id, email, name, permissions, roles, department, status, created_at)
			VALUES (?,?,?,?,?,?,'invited',?)`, account, inv.Email, inv.Name, strings.Join(perms, " "), strings.Join(cleanRoles(inv.Roles), " "), inv.Department, now)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		token, err := (Tokens{DB: s.DB}).CreateTokenTx(ctx, tx, TokenInvite, id, InviteLinkLife)
		if err != nil {
			return err
		}
		who := "the plan"
		if inv.AccountID != 0 {
			var name string
			if err := tx.QueryRowContext(ctx, "SELECT name FROM provider_accounts WHERE id = ?", inv.AccountID).Scan(&name); err != nil {
				return err
			}
			who = name
		}
		body := fmt.Sprintf("Hello %s,\n\n%s invited you to the %s provider portal (Portico) on behalf of %s.\n\n"+
			"To accept, open this link within 7 days. It works once:\n\n%s/invite/%s\n\n"+
			"You will choose a password and set up an authenticator app on your phone.\n", inv.Name, by.Email, planName, who, baseURL, token)
		if err := (Outbox{DB: s.DB}).EnqueueTx(ctx, tx, inv.Email, "You are invited to the provider portal", body); err != nil {
			return err
		}
		e := by.entry("user_invited", &User{ID: id, AccountID: inv.AccountID}, "permissions: "+strings.Join(perms, " ")+"; roles: "+strings.Join(inv.Roles, " "))
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, e)
	})
	if err != nil {
		return nil, fmt.Errorf("invite: %w", err)
	}
	return s.ByID(ctx, id)
}

// ResendInvitation e-mails an invited user a new link; earlier links stop working.
func (s Users) ResendInvitation(ctx context.Context, by Actor, u *User, baseURL, planName string) error {
	if u.Status != "invited" {
		return ErrConflict
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE auth_tokens SET used_at = ? WHERE user_id = ? AND kind = 'invite' AND used_at IS NULL", s.DB.NowText(), u.ID); err != nil {
			return err
		}
		token, err := (Tokens{DB: s.DB}).CreateTokenTx(ctx, tx, TokenInvite, u.ID, InviteLinkLife)
		if err != nil {
			return err
		}
		body := fmt.Sprintf("Hello %s,\n\nHere is a new link to join the %s provider portal (Portico). Earlier links no longer work.\n\n"+
			"Open it within 7 days. It works once:\n\n%s/invite/%s\n", u.Name, planName, baseURL, token)
		if err := (Outbox{DB: s.DB}).EnqueueTx(ctx, tx, u.Email, "Your invitation to the provider portal", body); err != nil {
			return err
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, by.entry("user_invited", u, "invitation sent again"))
	})
}

// AcceptInvitation uses an invitation link: the user's name and password are set and
// the user becomes active (the second factor is enrolled next).
func (s Users) AcceptInvitation(ctx context.Context, token, name, passwordHash, ip string) (*User, error) {
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = (Tokens{DB: s.DB}).UseTokenTx(ctx, tx, TokenInvite, token)
		if err != nil {
			return err
		}
		now := s.DB.NowText()
		res, err := tx.ExecContext(ctx, `UPDATE users SET name = ?, password_hash = ?, status = 'active', email_verified_at = ?, password_changed_at = ?
			WHERE id = ? AND status = 'invited'`, name, passwordHash, now, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrLinkUsed
		}
		u, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+userFrom+"WHERE u.id = ?", id))
		if err != nil {
			return err
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, ActorFor(u, ip).Stamp(AuditEntry{Action: "invitation_accepted", ObjectType: "user", ObjectID: fmt.Sprint(u.ID)}))
	})
	if err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
	}
	return s.ByID(ctx, id)
}

func cleanPermissions(perms []string) []string {
	out := []string{PermEligibility}
	for _, p := range AllPermissions {
		if p != PermEligibility && slices.Contains(perms, p) {
			out = append(out, p)
		}
	}
	return out
}

func cleanRoles(roles []string) []string {
	var out []string
	for _, r := range AllRoles {
		if slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	return out
}

// SetPermissions sets an office user's permissions (eligibility is always included).
func (s Users) SetPermissions(ctx context.Context, by Actor, u *User, perms []string) error {
	clean := cleanPermissions(perms)
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET permissions = ? WHERE id = ?", strings.Join(clean, " "), u.ID); err != nil {
			return fmt.Errorf("set permissions: %w", err)
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, by.entry("permissions_changed", u, strings.Join(u.Permissions, " ")+" -> "+strings.Join(clean, " ")))
	})
}

// SetRoles sets a plan staff member's roles and department (plan admin).
func (s Users) SetRoles(ctx context.Context, by Actor, u *User, roles []string, department string) error {
	clean := cleanRoles(roles)
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET roles = ?, department = ? WHERE id = ?", strings.Join(clean, " "), department, u.ID); err != nil {
			return fmt.Errorf("set roles: %w", err)
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, by.entry("roles_changed", u, strings.Join(u.Roles, " ")+" -> "+strings.Join(clean, " ")+"; department "+department))
	})
}

// HandOverManager makes u the account manager of their account in place of from, who
// keeps their permissions as an ordinary user.
func (s Users) HandOverManager(ctx context.Context, by Actor, from, to *User) error {
	if from.AccountID != to.AccountID || from.AccountID == 0 || to.Status != "active" {
		return ErrConflict
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET is_manager = 0, permissions = ? WHERE id = ?", strings.Join(AllPermissions, " "), from.ID); err != nil {
			return fmt.Errorf("hand over: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE users SET is_manager = 1, permissions = ? WHERE id = ?", strings.Join(AllPermissions, " "), to.ID); err != nil {
			return fmt.Errorf("hand over: %w", err)
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, by.entry("manager_handed_over", to, "from user "+fmt.Sprint(from.ID)))
	})
}

// MaxAdminSearchLen is the longest plan admin search (a name, an e-mail or a TIN).
const MaxAdminSearchLen = 200

// SearchResult is what the plan admin's search finds.
type SearchResult struct {
	Accounts []Account
	Users    []*User
}

// Search finds provider accounts by name (any part) or TIN and users by name (any part)
// or the start of their e-mail (plan admin), at most 50 of each.
func (s Accounts) Search(ctx context.Context, q string) (*SearchResult, error) {
	q = strings.TrimSpace(q)
	out := &SearchResult{}
	if q == "" {
		return out, nil
	}
	if utf8.RuneCountInString(q) > MaxAdminSearchLen {
		return nil, fmt.Errorf("%w: a search of at most %d characters", ErrInvalid, MaxAdminSearchLen)
	}
	esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(q)
	like, within := esc+"%", "%"+esc+"%"
	tin, _ := NormalizeTIN(q)
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, name, type, capitated, phone, address, status, contact_name, npi, created_at FROM provider_accounts
		WHERE name LIKE ? ESCAPE '\' OR id IN (SELECT account_id FROM tins WHERE tin = ? OR name LIKE ? ESCAPE '\')
		OR id IN (SELECT account_id FROM tin_requests WHERE tin = ?) ORDER BY name LIMIT 50`, within, tin, within, tin)
	if err != nil {
		return nil, fmt.Errorf("search accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Account
		if err := rows.Scan(&a.ID, &a.Name, &a.Type, &a.Capitated, &a.Phone, &a.Address, &a.Status, &a.ContactName, &a.NPI, &a.CreatedAt); err != nil {
			return nil, fmt.Errorf("search accounts: %w", err)
		}
		out.Accounts = append(out.Accounts, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	urows, err := s.DB.R.QueryContext(ctx, "SELECT "+userColumns+userFrom+`WHERE u.email LIKE ? ESCAPE '\' OR u.name LIKE ? ESCAPE '\' ORDER BY u.name LIMIT 50`, like, within)
	if err != nil {
		return nil, fmt.Errorf("search users: %w", err)
	}
	defer urows.Close()
	for urows.Next() {
		u, err := scanUser(urows)
		if err != nil {
			return nil, fmt.Errorf("search users: %w", err)
		}
		out.Users = append(out.Users, u)
	}
	return out, urows.Err()
}

// Staff lists plan staff by name.
func (s Users) Staff(ctx context.Context) ([]*User, error) {
	return s.list(ctx, "staff", "WHERE u.account_id IS NULL ORDER BY u.name")
}

// Locked lists locked users, for the plan admin's start page.
func (s Users) Locked(ctx context.Context, limit int) ([]*User, error) {
	return s.list(ctx, "locked users", "WHERE u.status = 'locked' ORDER BY u.name LIMIT ?", limit)
}

// Departments are the plan departments staff belong to.
var Departments = []struct{ Value, Label string }{
	{"provider_services", "Provider Services"},
	{"medical_management", "Medical Management"},
	{"claims", "Claims"},
}

// Count counts all users (an empty database has none: first admin set-up).
func (s Users) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// CreateFirstAdmin uses a set-up link to create the first plan admin of an empty
// database. Once anyone exists the link is refused (ErrConflict).
func (s Users) CreateFirstAdmin(ctx context.Context, token, email, name, passwordHash, ip string) (*User, error) {
	var id int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := (Tokens{DB: s.DB}).UseTokenTx(ctx, tx, TokenSetup, token); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrConflict
		}
		now := s.DB.NowText()
		res, err := tx.ExecContext(ctx, `INSERT INTO users(email, name, password_hash, permissions, roles, status, email_verified_at, password_changed_at, created_at)
			VALUES (?,?,?,'',?,'active',?,?,?)`, email, name, passwordHash, RoleAdmin, now, now, now)
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, AuditEntry{UserID: id, Actor: email, IP: ip, Action: "first_admin_created", ObjectType: "user", ObjectID: fmt.Sprint(id)})
	})
	if err != nil {
		return nil, fmt.Errorf("create first admin: %w", err)
	}
	return s.ByID(ctx, id)
}

// FirstAdminToken makes a set-up link token when the database has no users yet; it
// returns "" otherwise.
func (s Users) FirstAdminToken(ctx context.Context) (string, error) {
	var token string
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		var err error
		token, err = (Tokens{DB: s.DB}).CreateTokenTx(ctx, tx, TokenSetup, 0, SetupLinkLife)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("first admin token: %w", err)
	}
	return token, nil
}

// HasVerifiedTIN tells whether an account holds at least one verified TIN: a freshly
// registered office has only a pending one until the plan admin or a payment proves it
// (SPEC §1 "any verified account may check any member").
func (s Accounts) HasVerifiedTIN(ctx context.Context, accountID int64) (bool, error) {
	var ok bool
	err := s.DB.R.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM tins WHERE account_id = ? AND status = 'verified')", accountID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("has verified tin: %w", err)
	}
	return ok, nil
}

// AccountInfo is the account's contact details as typed on the account page.
type AccountInfo struct {
	ContactName string `form:"contact_name"`
	Phone       string `form:"phone"`
	Address     string `form:"address"`
}

// Validate asks for a contact, a phone number with area code and an address that fits.
func (in *AccountInfo) Validate() FieldErrors {
	errs := FieldErrors{}
	if in.ContactName == "" || len(in.ContactName) > 200 {
		errs["contact_name"] = "Enter the contact's name."
	}
	if len(in.Phone) < 10 || len(in.Phone) > 30 {
		errs["phone"] = "Enter a phone number with area code, like (916) 555-0123."
	}
	if len(in.Address) > 300 {
		errs["address"] = "Use at most 300 characters."
	}
	return errs
}

// NewTIN is a TIN an account asks to add, as typed: the number and the name it is
// registered to. TIN keeps what was typed; Normalized is its nine digits once valid.
type NewTIN struct {
	TIN        string `form:"tin"`
	Name       string `form:"tin_name"`
	Normalized string `form:"-"`
}

// Validate asks for nine digits and the registered name.
func (in *NewTIN) Validate() FieldErrors {
	errs := FieldErrors{}
	tin, ok := NormalizeTIN(in.TIN)
	if !ok {
		errs["tin"] = "Enter the 9-digit tax ID (TIN), like 95-1234567."
	}
	in.Normalized = tin
	if in.Name == "" || len(in.Name) > 200 {
		errs["tin_name"] = "Enter the name the TIN is registered to."
	}
	return errs
}
