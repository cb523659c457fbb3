package models

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpOpts are the RFC 6238 parameters every authenticator app understands.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 0, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TOTPCode returns the code of secret at t (the demo sign-in page shows it).
func TOTPCode(secret string, t time.Time) string {
	code, err := totp.GenerateCodeCustom(secret, t, totpOpts)
	if err != nil {
		return ""
	}
	return code
}

// matchTOTP returns the time step (one step of clock drift allowed either way) whose
// code is code, or 0.
func matchTOTP(secret, code string, now time.Time) int64 {
	if len(code) != 6 || secret == "" {
		return 0
	}
	step := now.Unix() / 30
	for _, s := range []int64{step, step - 1, step + 1} {
		if ok, _ := totp.ValidateCustom(code, secret, time.Unix(s*30, 0), totpOpts); ok {
			return s
		}
	}
	return 0
}

// normaliseCode drops spaces and dashes that people type into codes.
func normaliseCode(code string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(code)))
}

// VerifySecondFactor accepts a TOTP code at most once (a step at or before the stored
// last step is refused: no replay) or an unused recovery code, which it uses up. It
// reports which kind matched ("totp", "recovery") or "" when neither did.
func (s Users) VerifySecondFactor(ctx context.Context, u *User, code string) (string, error) {
	code = normaliseCode(code)
	if step := matchTOTP(u.TOTPSecret, code, s.DB.Clock.Wall()); step != 0 {
		res, err := s.DB.W.ExecContext(ctx, "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?", step, u.ID, step)
		if err != nil {
			return "", fmt.Errorf("verify totp: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			u.TOTPLastStep = step
			return "totp", nil
		}
		return "", nil
	}
	if len(code) < 10 {
		return "", nil
	}
	res, err := s.DB.W.ExecContext(ctx, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
		s.DB.NowText(), u.ID, HashToken(code))
	if err != nil {
		return "", fmt.Errorf("verify recovery code: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return "recovery", nil
	}
	return "", nil
}

// Enrolment is what the TOTP enrolment page shows: the secret as text and as a QR code.
type Enrolment struct {
	Secret string
	URL    string
	// QR is a data: URL of a PNG image of the otpauth:// URL.
	QR string
}

// PrepareEnrolment gives a user without a second factor a pending TOTP secret, unless
// one is already pending (so that a second sign-in does not change the code the person
// may have scanned). It runs on the POST that leads to enrolment: a GET changes nothing.
func (s Users) PrepareEnrolment(ctx context.Context, u *User, issuer string) error {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: u.Email, Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return fmt.Errorf("prepare enrolment: %w", err)
	}
	if _, err := s.DB.W.ExecContext(ctx, "UPDATE users SET totp_pending = ? WHERE id = ? AND totp_pending = ''", key.URL(), u.ID); err != nil {
		return fmt.Errorf("prepare enrolment: %w", err)
	}
	return nil
}

// Enrolment returns the user's pending TOTP secret with its QR code; ErrNotFound when
// none is pending.
func (s Users) Enrolment(ctx context.Context, u *User) (*Enrolment, error) {
	var pending string
	if err := s.DB.R.QueryRowContext(ctx, "SELECT totp_pending FROM users WHERE id = ?", u.ID).Scan(&pending); err != nil {
		return nil, fmt.Errorf("enrolment: %w", err)
	}
	if pending == "" {
		return nil, ErrNotFound
	}
	key, err := otp.NewKeyFromURL(pending)
	if err != nil {
		return nil, fmt.Errorf("enrolment: %w", err)
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return nil, fmt.Errorf("enrolment: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("enrolment: %w", err)
	}
	return &Enrolment{Secret: key.Secret(), URL: key.URL(), QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// RecoveryCodeCount is how many recovery codes enrolment issues.
const RecoveryCodeCount = 10

// recoveryAlphabet avoids look-alike characters (0/o, 1/l/i).
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

func newRecoveryCode() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	out := make([]byte, 0, 11)
	for i, c := range b {
		if i == 5 {
			out = append(out, '-')
		}
		out = append(out, recoveryAlphabet[int(c)%len(recoveryAlphabet)])
	}
	return string(out)
}

// ConfirmEnrolment checks a first code against the pending secret. When it matches the
// secret becomes the user's second factor, the step is stored (so the same code cannot
// sign in again) and fresh recovery codes replace any old ones; they are returned once,
// in plain text, and kept only as hashes. ok is false when the code did not match.
func (s Users) ConfirmEnrolment(ctx context.Context, u *User, code string) (codes []string, ok bool, err error) {
	var pending string
	if err := s.DB.R.QueryRowContext(ctx, "SELECT totp_pending FROM users WHERE id = ?", u.ID).Scan(&pending); err != nil {
		return nil, false, fmt.Errorf("confirm enrolment: %w", err)
	}
	if pending == "" {
		return nil, false, nil
	}
	key, err := otp.NewKeyFromURL(pending)
	if err != nil {
		return nil, false, fmt.Errorf("confirm enrolment: %w", err)
	}
	step := matchTOTP(key.Secret(), normaliseCode(code), s.DB.Clock.Wall())
	if step == 0 {
		return nil, false, nil
	}
	for range RecoveryCodeCount {
		codes = append(codes, newRecoveryCode())
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET totp_secret = ?, totp_pending = '', totp_last_step = ? WHERE id = ?", key.Secret(), step, u.ID); err != nil {
			return err
		}
		if err := replaceRecoveryCodesTx(ctx, tx, s.DB.NowText(), u.ID, codes); err != nil {
			return err
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, ActorFor(u, "").Stamp(AuditEntry{Action: "mfa_enrolled", ObjectType: "user", ObjectID: fmt.Sprint(u.ID)}))
	})
	if err != nil {
		return nil, false, fmt.Errorf("confirm enrolment: %w", err)
	}
	u.TOTPSecret, u.TOTPLastStep = key.Secret(), step
	return codes, true, nil
}

func replaceRecoveryCodesTx(ctx context.Context, tx *sql.Tx, now string, userID int64, codes []string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM recovery_codes WHERE user_id = ?", userID); err != nil {
		return err
	}
	for _, c := range codes {
		if _, err := tx.ExecContext(ctx, "INSERT INTO recovery_codes(user_id, code_hash, created_at) VALUES (?,?,?)", userID, HashToken(normaliseCode(c)), now); err != nil {
			return err
		}
	}
	return nil
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s Users) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL", userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("recovery codes left: %w", err)
	}
	return n, nil
}

// NewRecoveryCodes replaces a user's recovery codes with fresh ones, returned once.
func (s Users) NewRecoveryCodes(ctx context.Context, by Actor, u *User) ([]string, error) {
	var codes []string
	for range RecoveryCodeCount {
		codes = append(codes, newRecoveryCode())
	}
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := replaceRecoveryCodesTx(ctx, tx, s.DB.NowText(), u.ID, codes); err != nil {
			return err
		}
		return (Audit{DB: s.DB}).RecordTx(ctx, tx, by.entry("recovery_codes_replaced", u, ""))
	})
	if err != nil {
		return nil, fmt.Errorf("new recovery codes: %w", err)
	}
	return codes, nil
}
