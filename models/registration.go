package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"portico/db"
)

// ProviderTypes are the kinds of provider account, in the order the form lists them.
var ProviderTypes = []struct{ Value, Label string }{
	{"clinic", "Clinic or physician office"},
	{"ppg", "Participating physician group (PPG)"},
	{"hospital", "Hospital"},
	{"ancillary", "Ancillary provider (lab, imaging, home health, DME …)"},
}

// ProviderTypeLabel names a provider type for people.
func ProviderTypeLabel(v string) string {
	for _, t := range ProviderTypes {
		if t.Value == v {
			return t.Label
		}
	}
	return v
}

// ValidNPI checks a National Provider Identifier: ten digits whose last is the Luhn
// check digit computed over the prefix 80840 followed by the first nine.
func ValidNPI(npi string) bool {
	if len(npi) != 10 {
		return false
	}
	for _, r := range npi {
		if r < '0' || r > '9' {
			return false
		}
	}
	s := "80840" + npi
	sum, double := 0, false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// NormalizeTIN accepts a TIN typed as NN-NNNNNNN or nine digits (spaces allowed) and
// returns the nine digits.
func NormalizeTIN(s string) (string, bool) {
	d := strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(s))
	if len(d) != 9 {
		return d, false
	}
	for _, r := range d {
		if r < '0' || r > '9' {
			return d, false
		}
	}
	return d, true
}

// ValidEmail accepts a plain address (name@domain.tld), no display name.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".") && len(s) <= 254
}

// Registration is what the /register form collects. The passwords keep their spaces.
type Registration struct {
	ProviderName string `form:"provider_name"`
	ProviderType string `form:"provider_type"`
	NPI          string `form:"npi"`
	TIN          string `form:"tin"`
	ContactName  string `form:"contact_name"`
	Phone        string `form:"phone"`
	Email        string `form:"email"`
	Password     string `form:"password" trim:"no"`
	Confirm      string `form:"password_confirm" trim:"no"`
}

// RegistrationLinkLife is how long the e-mail verification link of a registration works.
const RegistrationLinkLife = 24 * time.Hour

// Validate checks the form and normalises the TIN, NPI and e-mail in place.
func (r *Registration) Validate() FieldErrors {
	errs := FieldErrors{}
	r.ProviderName, r.ContactName, r.Phone = strings.TrimSpace(r.ProviderName), strings.TrimSpace(r.ContactName), strings.TrimSpace(r.Phone)
	r.Email, r.NPI = strings.TrimSpace(r.Email), strings.TrimSpace(r.NPI)
	if r.ProviderName == "" || utf8.RuneCountInString(r.ProviderName) > 200 {
		errs["provider_name"] = "Enter the provider's name as the plan knows it (up to 200 characters)."
	}
	if ProviderTypeLabel(r.ProviderType) == r.ProviderType {
		errs["provider_type"] = "Choose the kind of provider."
	}
	if !ValidNPI(r.NPI) {
		errs["npi"] = "Enter the 10-digit NPI. This one is not a valid NPI: check the digits."
	}
	if tin, ok := NormalizeTIN(r.TIN); ok {
		r.TIN = tin
	} else {
		errs["tin"] = "Enter the 9-digit tax ID (TIN), like 95-1234567."
	}
	if r.ContactName == "" || utf8.RuneCountInString(r.ContactName) > 200 {
		errs["contact_name"] = "Enter the account manager's name."
	}
	if digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, r.Phone); len(digits) < 10 || len(digits) > 15 {
		errs["phone"] = "Enter a phone number with area code, like (916) 555-0123."
	}
	if !ValidEmail(r.Email) {
		errs["email"] = "Enter an e-mail address like name@example.com."
	}
	if msg := PasswordProblem(r.Password, r.Email, r.ContactName, r.ProviderName); msg != "" {
		errs["password"] = msg
	} else if r.Password != r.Confirm {
		errs["password_confirm"] = "The two passwords are not the same. Type the password again."
	}
	return errs
}

// Registrations keeps registrations until their e-mail is verified.
type Registrations struct{ DB *db.DB }

// tinOwner tells who holds a TIN: 0 when the plan has no record of it; otherwise the
// TIN row and whether its account already has portal users.
func tinOwner(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, tin string) (tinID, accountID int64, hasUsers bool, err error) {
	err = q.QueryRowContext(ctx, `SELECT t.id, t.account_id, EXISTS (SELECT 1 FROM users u WHERE u.account_id = t.account_id)
		FROM tins t WHERE t.tin = ?`, tin).Scan(&tinID, &accountID, &hasUsers)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	}
	return tinID, accountID, hasUsers, err
}

// ErrTINTaken: the TIN belongs to a provider account that already uses the portal.
var ErrTINTaken = errors.New("TIN already registered")

// Start records a registration and e-mails the verification link. When the e-mail
// already has an account, that address is told instead, so the page answers the same.
func (s Registrations) Start(ctx context.Context, r *Registration, passwordHash, baseURL, planName, ip string) error {
	if _, _, hasUsers, err := tinOwner(ctx, s.DB.R, r.TIN); err != nil {
		return fmt.Errorf("registration start: %w", err)
	} else if hasUsers {
		return ErrTINTaken
	}
	_, err := Users{DB: s.DB}.ByEmail(ctx, r.Email)
	exists := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		entry := AuditEntry{Actor: "anonymous", Action: "registration_started", IP: ip, ObjectType: "tin", ObjectID: r.TIN}
		if exists {
			entry.Detail = "e-mail already has an account"
			body := fmt.Sprintf("Hello,\n\nSomeone tried to register a new provider account on the %s provider portal with this e-mail address, "+
				"which already has an account.\n\nIf it was you, sign in at %s/login (or use “Trouble logging in?” there). "+
				"If it was not, you can ignore this e-mail.\n", planName, baseURL)
			if err := (Outbox{DB: s.DB}).EnqueueTx(ctx, tx, r.Email, "You already have a Portico account", body); err != nil {
				return err
			}
			return (Audit{DB: s.DB}).RecordTx(ctx, tx, entry)
		}
		token := RandomToken(32)
		now := s.DB.Now()
		_, err := tx.ExecContext(ctx, `INSERT INTO pending_registrations(token_hash, provider_name, provider_type, npi, tin, contact_name, phone,
			email, password_hash, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)`, HashToken(token), r.ProviderName, r.ProviderType,
			r.NPI, r.TIN, r.ContactName, r.Phone, r.Email, passwordHash, now.Format(TimeFormat), now.Add(RegistrationLinkLife).Format(TimeFormat))
		if err != nil {
			return fmt.Errorf("registration start: %w", err)
		}
		body := fmt.Sprintf("Hello %s,\n\nThank you for registering %s on the %s provider portal.\n\n"+
			"To verify your e-mail address and open the account, follow this link within 24 hours. It works once:\n\n%s/register/verify/%s\n\n"+
			"Your TIN %s stays pending until it is verified: after you sign in, enter the check number and amount of a recent payment "+
			"to that TIN under Account, or wait for a plan admin to approve it.\n\nIf you did not register, ignore this e-mail.\n",
			r.ContactName, r.ProviderName, planName, baseURL, token, FormatTIN(r.TIN))
		if err := (Outbox{DB: s.DB}).EnqueueTx(ctx, tx, r.Email, "Verify your e-mail for the provider portal", body); err != nil {
			return err
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, entry)
	})
}

// PendingRegistration is a registration waiting for its e-mail link.
type PendingRegistration struct {
	ProviderName, ProviderType, TIN, Email, ContactName string
}

// Peek shows a live registration of a verification link without using it.
func (s Registrations) Peek(ctx context.Context, token string) (*PendingRegistration, error) {
	var p PendingRegistration
	err := s.DB.R.QueryRowContext(ctx, `SELECT provider_name, provider_type, tin, email, contact_name FROM pending_registrations
		WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?`, HashToken(token), s.DB.NowText()).
		Scan(&p.ProviderName, &p.ProviderType, &p.TIN, &p.Email, &p.ContactName)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrLinkUsed
	}
	if err != nil {
		return nil, fmt.Errorf("registration peek: %w", err)
	}
	return &p, nil
}

// Complete verifies the e-mail: it creates the provider account, its account manager
// (who enrols the second factor at the first sign-in) and the pending TIN request.
func (s Registrations) Complete(ctx context.Context, token, ip string) (*User, error) {
	var userID int64
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := s.DB.NowText()
		var r Registration
		var hash string
		err := tx.QueryRowContext(ctx, `UPDATE pending_registrations SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
			RETURNING provider_name, provider_type, npi, tin, contact_name, phone, email, password_hash`, now, HashToken(token), now).
			Scan(&r.ProviderName, &r.ProviderType, &r.NPI, &r.TIN, &r.ContactName, &r.Phone, &r.Email, &hash)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrLinkUsed
		}
		if err != nil {
			return err
		}
		var taken bool
		if err := tx.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?)", r.Email).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return ErrConflict
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO provider_accounts(name, type, phone, status, contact_name, npi, created_at) VALUES (?,?,?,'active',?,?,?)`,
			r.ProviderName, r.ProviderType, r.Phone, r.ContactName, r.NPI, now)
		if err != nil {
			return err
		}
		accountID, _ := res.LastInsertId()
		res, err = tx.ExecContext(ctx, `INSERT INTO users(account_id, email, name, password_hash, is_manager, permissions, status, email_verified_at,
			password_changed_at, created_at, phone) VALUES (?,?,?,?,1,?,'active',?,?,?,?)`, accountID, r.Email, r.ContactName, hash,
			strings.Join(AllPermissions, " "), now, now, now, r.Phone)
		if err != nil {
			return err
		}
		userID, _ = res.LastInsertId()
		by := Actor{UserID: userID, Email: r.Email, AccountID: accountID, IP: ip}
		if err := (Audit{DB: s.DB}).RecordTx(ctx, tx, AuditEntry{UserID: userID, Actor: r.Email, AccountID: accountID, IP: ip, Action: "account_registered",
			ObjectType: "account", ObjectID: fmt.Sprint(accountID)}); err != nil {
			return err
		}
		if err := requestTINTx(ctx, tx, s.DB, by, accountID, r.TIN, r.ProviderName); err != nil && !errors.Is(err, ErrTINTaken) {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("registration complete: %w", err)
	}
	return Users{DB: s.DB}.ByID(ctx, userID)
}
