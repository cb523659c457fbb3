package models

import (
	"context"
	"fmt"

	"portico/db"
)

// TIN is one of a provider account's tax IDs.
type TIN struct {
	ID        int64
	AccountID int64
	TIN       string // nine digits
	Name      string
	Status    string // pending, verified, rejected
}

// Display shows the TIN as NN-NNNNNNN.
func (t TIN) Display() string { return FormatTIN(t.TIN) }

// FormatTIN shows a nine-digit TIN as NN-NNNNNNN.
func FormatTIN(tin string) string {
	if len(tin) != 9 {
		return tin
	}
	return tin[:2] + "-" + tin[2:]
}

// Accounts reads and writes provider accounts and their TINs.
type Accounts struct{ DB *db.DB }

// UserTINs lists the TINs of u's account in TIN order, as TINs does, kept in memory for
// a user loaded for a request (see authCache).
func (s Accounts) UserTINs(ctx context.Context, u *User) ([]TIN, error) {
	if u.epochs == nil {
		return s.TINs(ctx, u.AccountID)
	}
	cache := authCacheFor(s.DB)
	if tins, ok := cache.accountTINs(u.AccountID, u.epochs.SignIn); ok {
		return tins, nil
	}
	tins, err := s.TINs(ctx, u.AccountID)
	if err != nil {
		return nil, err
	}
	cache.keepTINs(u.AccountID, u.epochs.SignIn, tins)
	return tins, nil
}

// TINs lists an account's TINs in TIN order.
func (s Accounts) TINs(ctx context.Context, accountID int64) ([]TIN, error) {
	st, err := s.DB.Prepared(ctx, s.DB.R, "SELECT id, account_id, tin, name, status FROM tins WHERE account_id = (SELECT ?) ORDER BY tin")
	if err != nil {
		return nil, fmt.Errorf("account tins: %w", err)
	}
	rows, err := st.QueryContext(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("account tins: %w", err)
	}
	defer rows.Close()
	var out []TIN
	for rows.Next() {
		var t TIN
		if err := rows.Scan(&t.ID, &t.AccountID, &t.TIN, &t.Name, &t.Status); err != nil {
			return nil, fmt.Errorf("account tins: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// OwnedTIN is the rule of TIN ownership (SPEC §1: claims, payments and reports only of
// the account's own TINs): the TIN with row ID tinID when the account holds it, else
// ErrForbidden.
func (s Accounts) OwnedTIN(ctx context.Context, accountID, tinID int64) (*TIN, error) {
	tins, err := s.TINs(ctx, accountID)
	if err != nil {
		return nil, err
	}
	for i := range tins {
		if tins[i].ID == tinID {
			return &tins[i], nil
		}
	}
	return nil, ErrForbidden
}

// ContextTIN is the TIN an office user's pages are scoped to: tinID when the account
// holds it, otherwise the account's first TIN (0 when it has none yet).
func (s Accounts) ContextTIN(ctx context.Context, accountID, tinID int64) (int64, error) {
	tins, err := s.TINs(ctx, accountID)
	if err != nil {
		return 0, err
	}
	for _, t := range tins {
		if t.ID == tinID {
			return tinID, nil
		}
	}
	if len(tins) == 0 {
		return 0, nil
	}
	return tins[0].ID, nil
}

// Notice is a plan notice shown on the home page and dashboard.
type Notice struct {
	ID       int64
	Title    string
	Body     string
	PlanType string
	PostedOn string
}

// Notices reads plan notices.
type Notices struct{ DB *db.DB }

// Recent lists the newest notices for a plan type ("" for public, all plan types).
func (s Notices) Recent(ctx context.Context, planType string, limit int) ([]Notice, error) {
	rows, err := s.DB.R.QueryContext(ctx, `SELECT id, title, body, plan_type, posted_on FROM notices
		WHERE public = 1 AND (plan_type = '' OR ? = '' OR plan_type = ?) ORDER BY posted_on DESC, id DESC LIMIT ?`, planType, planType, limit)
	if err != nil {
		return nil, fmt.Errorf("notices recent: %w", err)
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		var n Notice
		if err := rows.Scan(&n.ID, &n.Title, &n.Body, &n.PlanType, &n.PostedOn); err != nil {
			return nil, fmt.Errorf("notices recent: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
