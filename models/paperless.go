package models

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"portico/db"
)

// PaperlessEnrolment is an account's Go Paperless choice (SPEC §3): electronic funds
// transfer, electronic remittance advice and paperless correspondence. The bank details
// are never read back to a page; only the last four digits of the account are shown.
type PaperlessEnrolment struct {
	EFT, ERA, Correspondence bool
	HasBank                  bool
	AccountLast4             string
	AccountType              string
	UpdatedAt                string
}

// MaskedAccount shows the bank account as ••••1234.
func (p *PaperlessEnrolment) MaskedAccount() string {
	if p == nil || p.AccountLast4 == "" {
		return ""
	}
	return "••••" + p.AccountLast4
}

// PaperlessForm is what the office submits. Routing and Account may be left blank to
// keep the bank details already on file.
type PaperlessForm struct {
	EFT, ERA, Correspondence bool
	Routing, Account         string
	AccountType              string
}

// Paperless reads and writes Go Paperless enrolments; Key encrypts bank details.
type Paperless struct {
	DB  *db.DB
	Key []byte // 32 bytes, from PaperlessKey
}

// paperlessKeyInfo binds the derived key to this one purpose.
const paperlessKeyInfo = "portico paperless bank details v1"

// PaperlessKey returns the AES-256 key for bank details: HKDF-SHA256 over a 32-byte
// secret kept in the file at path (created with mode 0600 on first use, next to the
// database and its master key, and backed up with them). The database alone therefore
// never holds what is needed to read the bank details.
func PaperlessKey(path string) ([]byte, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if err := createKeyFile(path); err != nil {
			return nil, fmt.Errorf("paperless key: %w", err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("paperless key: %w", err)
	}
	secret, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(secret) != 32 {
		return nil, fmt.Errorf("paperless key %s: not 32 hex-encoded bytes", path)
	}
	key, err := hkdf.Key(sha256.New, secret, []byte("portico"), paperlessKeyInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("paperless key: %w", err)
	}
	return key, nil
}

// createKeyFile writes a new random 32-byte secret, hex-encoded, readable by the owner
// only; a file created meanwhile by another process is kept.
func createKeyFile(path string) error {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = f.WriteString(hex.EncodeToString(secret) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ValidRoutingNumber checks an ABA routing number: nine digits whose weighted sum
// (3, 7, 1 repeating) is a multiple of ten.
func ValidRoutingNumber(s string) bool {
	if len(s) != 9 {
		return false
	}
	w := [3]int{3, 7, 1}
	sum := 0
	for i, r := range s {
		if r < '0' || r > '9' {
			return false
		}
		sum += int(r-'0') * w[i%3]
	}
	return sum%10 == 0 && s != "000000000"
}

func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

func (p Paperless) aead() (cipher.AEAD, error) {
	if len(p.Key) != 32 {
		return nil, errors.New("paperless: no key")
	}
	block, err := aes.NewCipher(p.Key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (p Paperless) seal(accountID int64, field, plain string) ([]byte, error) {
	g, err := p.aead()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	ad := []byte("paperless:" + strconv.FormatInt(accountID, 10) + ":" + field)
	return g.Seal(nonce, nonce, []byte(plain), ad), nil
}

func (p Paperless) open(accountID int64, field string, sealed []byte) (string, error) {
	g, err := p.aead()
	if err != nil {
		return "", err
	}
	if len(sealed) < g.NonceSize() {
		return "", errors.New("paperless: short ciphertext")
	}
	ad := []byte("paperless:" + strconv.FormatInt(accountID, 10) + ":" + field)
	plain, err := g.Open(nil, sealed[:g.NonceSize()], sealed[g.NonceSize():], ad)
	if err != nil {
		return "", fmt.Errorf("paperless: %w", err)
	}
	return string(plain), nil
}

// Get returns the account's enrolment (a zero one when the account has not enrolled).
func (p Paperless) Get(ctx context.Context, accountID int64) (*PaperlessEnrolment, error) {
	var e PaperlessEnrolment
	err := Members{DB: p.DB}.queryRow(ctx, `SELECT eft, era, correspondence, bank_account_enc IS NOT NULL, bank_account_last4, account_type, updated_at
		FROM paperless_enrolments WHERE account_id = ?`, accountID).
		Scan(&e.EFT, &e.ERA, &e.Correspondence, &e.HasBank, &e.AccountLast4, &e.AccountType, &e.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return &e, nil
	}
	if err != nil {
		return nil, fmt.Errorf("paperless get: %w", err)
	}
	return &e, nil
}

// Save validates f and stores the enrolment with its audit entry in one transaction.
// EFT needs bank details: a valid routing number and a 4–17 digit account number,
// unless details are already on file and both fields are left blank.
// Its messages are keyed by the ids of the Go Paperless card's inputs (pl-routing,
// pl-account, pl-type).
func (p Paperless) Save(ctx context.Context, accountID, userID int64, f PaperlessForm, audit AuditEntry) error {
	cur, err := p.Get(ctx, accountID)
	if err != nil {
		return err
	}
	routing, account := digitsOnly(f.Routing), digitsOnly(f.Account)
	fe := FieldErrors{}
	newBank := routing != "" || account != ""
	if newBank {
		if !ValidRoutingNumber(routing) {
			fe["pl-routing"] = "Enter the bank's nine-digit ABA routing number, as printed at the bottom left of a check."
		}
		if len(account) < 4 || len(account) > 17 || strings.Trim(account, "0123456789") != "" {
			fe["pl-account"] = "Enter the account number: 4 to 17 digits."
		}
		if f.AccountType != "checking" && f.AccountType != "savings" {
			fe["pl-type"] = "Choose checking or savings."
		}
	} else if f.EFT && !cur.HasBank {
		fe["pl-routing"] = "Electronic funds transfer needs the bank's routing number."
		fe["pl-account"] = "Electronic funds transfer needs the account number."
	}
	if len(fe) > 0 {
		return fe
	}
	audit.Action, audit.ObjectType, audit.ObjectID = "paperless.update", "account", strconv.FormatInt(accountID, 10)
	audit.Detail = fmt.Sprintf("eft=%v era=%v correspondence=%v bank_details_changed=%v", f.EFT, f.ERA, f.Correspondence, newBank)
	return p.DB.Tx(ctx, func(tx *sql.Tx) error {
		now := p.DB.NowText()
		if _, err := tx.ExecContext(ctx, `INSERT INTO paperless_enrolments(account_id, eft, era, correspondence, updated_at, updated_by)
			VALUES (?,?,?,?,?,NULLIF(?,0)) ON CONFLICT(account_id) DO UPDATE SET eft = excluded.eft, era = excluded.era,
			correspondence = excluded.correspondence, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			accountID, f.EFT, f.ERA, f.Correspondence, now, userID); err != nil {
			return fmt.Errorf("paperless save: %w", err)
		}
		if newBank {
			r, err := p.seal(accountID, "routing", routing)
			if err != nil {
				return fmt.Errorf("paperless save: %w", err)
			}
			a, err := p.seal(accountID, "account", account)
			if err != nil {
				return fmt.Errorf("paperless save: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE paperless_enrolments SET bank_routing_enc = ?, bank_account_enc = ?,
				bank_account_last4 = ?, account_type = ? WHERE account_id = ?`, r, a, account[len(account)-4:], f.AccountType, accountID); err != nil {
				return fmt.Errorf("paperless save: %w", err)
			}
		}
		return (Audit{DB: p.DB}).RecordTx(ctx, tx, audit)
	})
}

// BankDetails decrypts the routing and account numbers on file (for the payment run;
// pages never show them).
func (p Paperless) BankDetails(ctx context.Context, accountID int64) (routing, account string, err error) {
	var r, a []byte
	err = p.DB.R.QueryRowContext(ctx, "SELECT bank_routing_enc, bank_account_enc FROM paperless_enrolments WHERE account_id = ?", accountID).Scan(&r, &a)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (r == nil || a == nil)) {
		return "", "", ErrNotFound
	}
	if err != nil {
		return "", "", fmt.Errorf("paperless bank details: %w", err)
	}
	if routing, err = p.open(accountID, "routing", r); err != nil {
		return "", "", err
	}
	if account, err = p.open(accountID, "account", a); err != nil {
		return "", "", err
	}
	return routing, account, nil
}
