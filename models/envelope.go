package models

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// EnvelopeMaxFailures is how many wrong passwords lock a registered-envelope
// credential until the associate unlocks or reissues it.
const EnvelopeMaxFailures = 3

// EnvelopeMinPassword is the shortest password a partner may choose.
const EnvelopeMinPassword = 15

// EnvelopeCredential is an outside partner's per-thread user name and password.
type EnvelopeCredential struct {
	ID             int64
	ThreadID       int64
	Username       string
	Email          string
	PasswordHash   string
	FailedAttempts int
	LockedAt       string
	ExpiresAt      string
	CreatedAt      string
}

// Locked tells whether 3 failed attempts locked the credential.
func (c *EnvelopeCredential) Locked() bool { return c.LockedAt != "" }

// Expired tells whether the envelope is past its expiry.
func (c *EnvelopeCredential) Expired(now string) bool { return c.ExpiresAt <= now }

// NeedsPassword tells whether the partner has yet to choose a password (first visit,
// or after a new link was sent).
func (c *EnvelopeCredential) NeedsPassword() bool { return c.PasswordHash == "" }

const credColumns = "id, thread_id, username, email, password_hash, failed_attempts, COALESCE(locked_at,''), expires_at, created_at"

func scanCred(row interface{ Scan(...any) error }) (*EnvelopeCredential, error) {
	var c EnvelopeCredential
	err := row.Scan(&c.ID, &c.ThreadID, &c.Username, &c.Email, &c.PasswordHash, &c.FailedAttempts, &c.LockedAt, &c.ExpiresAt, &c.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return &c, err
}

// createCredential makes the credential of a new envelope thread: its own user name
// and a link token (derived from a salt; only its hash is stored).
func (s Messages) createCredential(ctx context.Context, tx *sql.Tx, threadID int64, email, now string) (string, error) {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	username := fmt.Sprintf("envelope-%d-%s", threadID, hex.EncodeToString(b))
	salt := RandomToken(16)
	keyID := s.Keys.CurrentID()
	token, err := s.Keys.linkToken(keyID, salt)
	if err != nil {
		return "", err
	}
	expires := s.DB.Now().Add(s.ttl()).Format(TimeFormat)
	_, err = tx.ExecContext(ctx, `INSERT INTO envelope_credentials(thread_id, username, email, link_hash, link_salt, link_key_id, expires_at, created_at)
		VALUES (?,?,?,?,?,?,?,?)`, threadID, username, strings.ToLower(strings.TrimSpace(email)), HashToken(token), salt, keyID, expires, now)
	if err != nil {
		return "", fmt.Errorf("envelope credential: %w", err)
	}
	return username, nil
}

// linkTokenTx rebuilds the current link token of a thread's credential.
func (s Messages) linkTokenTx(ctx context.Context, tx *sql.Tx, threadID int64) (string, error) {
	var salt string
	var keyID int64
	if err := tx.QueryRowContext(ctx, "SELECT link_salt, link_key_id FROM envelope_credentials WHERE thread_id = ?", threadID).Scan(&salt, &keyID); err != nil {
		return "", fmt.Errorf("envelope link: %w", err)
	}
	return s.Keys.linkToken(uint32(keyID), salt)
}

// CredentialByToken finds the credential whose current link carries token.
func (s Messages) CredentialByToken(ctx context.Context, token string) (*EnvelopeCredential, error) {
	if token == "" || len(token) > 100 {
		return nil, ErrNotFound
	}
	c, err := scanCred(s.DB.R.QueryRowContext(ctx, "SELECT "+credColumns+" FROM envelope_credentials WHERE link_hash = ?", HashToken(token)))
	if err != nil {
		return nil, fmt.Errorf("envelope credential: %w", err)
	}
	return c, nil
}

// CredentialForThread is the credential of an envelope thread.
func (s Messages) CredentialForThread(ctx context.Context, threadID int64) (*EnvelopeCredential, error) {
	c, err := scanCred(s.DB.R.QueryRowContext(ctx, "SELECT "+credColumns+" FROM envelope_credentials WHERE thread_id = ?", threadID))
	if err != nil {
		return nil, fmt.Errorf("envelope credential: %w", err)
	}
	return c, nil
}

// EnvelopePartnerThread loads the thread of a credential for its partner.
func (s Messages) EnvelopePartnerThread(ctx context.Context, c *EnvelopeCredential) (*Thread, error) {
	return s.threadByID(ctx, s.DB.R, c.ThreadID)
}

// EnvelopePassword is the password a partner chooses at the first visit, typed twice.
// Its spaces are part of it, so the form pipeline leaves them (trim:"no").
type EnvelopePassword struct {
	Password string `form:"password" label:"a password" trim:"no"`
	Confirm  string `form:"confirm" label:"the password again" trim:"no"`
}

// Validate asks for a long password, not a common one, typed the same twice.
func (p EnvelopePassword) Validate() FieldErrors {
	switch {
	case utf8.RuneCountInString(p.Password) < EnvelopeMinPassword:
		return FieldErrors{"password": fmt.Sprintf("Choose a password of at least %d characters; a short sentence is easy to remember.", EnvelopeMinPassword)}
	case IsCommonEnvelopePassword(p.Password):
		return FieldErrors{"password": "That password is too common. Choose another."}
	case p.Password != p.Confirm:
		return FieldErrors{"confirm": "The two passwords do not match."}
	}
	return nil
}

// PartnerAddress checks the e-mail address of a registered envelope's partner: a plain
// address (no display name) outside the plan's own domain. It gives the address in
// lower case, or the message to show next to the field.
func PartnerAddress(email, planDomain string) (addr, problem string) {
	a, err := mail.ParseAddress(email)
	switch {
	case email == "" || err != nil || a.Name != "" || !strings.Contains(a.Address, "."):
		return "", "Enter the partner's e-mail address, like name@example.com."
	case strings.HasSuffix(strings.ToLower(a.Address), "@"+strings.ToLower(planDomain)):
		return "", "This address is on the plan's own domain. Registered envelopes are for outside partners."
	}
	return strings.ToLower(a.Address), ""
}

// SetEnvelopePassword sets the partner's password on first visit (or after a new link).
func (s Messages) SetEnvelopePassword(ctx context.Context, c *EnvelopeCredential, p EnvelopePassword) error {
	if fe := p.Validate(); fe != nil {
		return fe
	}
	hash, err := HashPassword(p.Password)
	if err != nil {
		return err
	}
	r, err := s.DB.W.ExecContext(ctx, "UPDATE envelope_credentials SET password_hash = ?, failed_attempts = 0 WHERE id = ? AND password_hash = '' AND locked_at IS NULL", hash, c.ID)
	if err != nil {
		return fmt.Errorf("envelope password: %w", err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return ErrConflict
	}
	return nil
}

// IsCommonEnvelopePassword refuses passwords on the shipped common-password list
// (the one sign-in uses) and a few long ones everyone tries first.
func IsCommonEnvelopePassword(p string) bool {
	if IsCommonPassword(p) {
		return true
	}
	l := strings.ToLower(p)
	for _, bad := range []string{"123456789012345", "passwordpassword", "password1234567", "qwertyuiopasdfg", "aaaaaaaaaaaaaaa"} {
		if strings.Contains(l, bad) {
			return true
		}
	}
	return false
}

// CheckEnvelopeLogin checks user name and password. A wrong pair counts a failure;
// the third locks the credential. It returns whether the pair was right.
func (s Messages) CheckEnvelopeLogin(ctx context.Context, c *EnvelopeCredential, username, password string) (bool, error) {
	if c.Locked() {
		return false, nil
	}
	ok := CheckPassword(c.PasswordHash, password) && strings.EqualFold(strings.TrimSpace(username), c.Username)
	var err error
	if ok {
		_, err = s.DB.W.ExecContext(ctx, "UPDATE envelope_credentials SET failed_attempts = 0 WHERE id = ?", c.ID)
	} else {
		_, err = s.DB.W.ExecContext(ctx, `UPDATE envelope_credentials SET failed_attempts = failed_attempts + 1,
			locked_at = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_at END WHERE id = ?`, EnvelopeMaxFailures, s.DB.NowText(), c.ID)
		c.FailedAttempts++
		if c.FailedAttempts >= EnvelopeMaxFailures {
			c.LockedAt = s.DB.NowText()
		}
	}
	if err != nil {
		return false, fmt.Errorf("envelope login: %w", err)
	}
	return ok, nil
}

// UnlockEnvelope clears the lock and the failure count (the associate's action).
func (s Messages) UnlockEnvelope(ctx context.Context, threadID int64) error {
	_, err := s.DB.W.ExecContext(ctx, "UPDATE envelope_credentials SET locked_at = NULL, failed_attempts = 0 WHERE thread_id = ?", threadID)
	if err != nil {
		return fmt.Errorf("envelope unlock: %w", err)
	}
	return nil
}

// ReissueEnvelope replaces the link (the old one stops working), clears the password,
// the lock and the failures, extends the expiry and mails the new link to the partner.
// Used by the associate (reissue) and by "forgot password" (which never unlocks: a
// locked credential waits for the associate).
func (s Messages) ReissueEnvelope(ctx context.Context, threadID int64, unlock bool) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var email string
		var locked sql.NullString
		if err := tx.QueryRowContext(ctx, "SELECT email, locked_at FROM envelope_credentials WHERE thread_id = ?", threadID).Scan(&email, &locked); err != nil {
			return fmt.Errorf("envelope reissue: %w", err)
		}
		if locked.Valid && !unlock {
			return nil
		}
		salt := RandomToken(16)
		keyID := s.Keys.CurrentID()
		token, err := s.Keys.linkToken(keyID, salt)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE envelope_credentials SET link_hash = ?, link_salt = ?, link_key_id = ?, password_hash = '',
			failed_attempts = 0, locked_at = NULL, expires_at = max(expires_at, ?) WHERE thread_id = ?`,
			HashToken(token), salt, keyID, s.DB.Now().Add(s.ttl()).Format(TimeFormat), threadID)
		if err != nil {
			return fmt.Errorf("envelope reissue: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM envelope_sessions WHERE credential_id = (SELECT id FROM envelope_credentials WHERE thread_id = ?)", threadID); err != nil {
			return err
		}
		return (Outbox{DB: s.DB}).QueueTx(ctx, tx, QueuedMail{To: email, Subject: "A new link to your secure messages", Kind: MailReset,
			Body: "Here is a new link to your secure messages. At your next visit you choose a new password.\n\nOpen it here:\n" +
				s.BaseURL + "/envelope/" + token + "\n\nEarlier links no longer work. If you did not ask for this, contact the plan associate who wrote to you.\n"})
	})
}

// EnvelopeSessionLife is how long a partner stays signed in to an envelope.
const EnvelopeSessionLife = 30 * time.Minute

// StartEnvelopeSession signs a partner in to one credential; the cookie token it
// returns is stored only as a hash.
func (s Messages) StartEnvelopeSession(ctx context.Context, c *EnvelopeCredential) (string, error) {
	token := RandomToken(32)
	_, err := s.DB.W.ExecContext(ctx, "INSERT INTO envelope_sessions(token_hash, credential_id, expires_at) VALUES (?,?,?)",
		HashToken(token), c.ID, s.DB.Now().Add(EnvelopeSessionLife).Format(TimeFormat))
	if err != nil {
		return "", fmt.Errorf("envelope session: %w", err)
	}
	return token, nil
}

// EnvelopeSessionValid tells whether token is a live session of credential c (a
// session of another thread's credential is not).
func (s Messages) EnvelopeSessionValid(ctx context.Context, c *EnvelopeCredential, token string) (bool, error) {
	if token == "" {
		return false, nil
	}
	var n int
	err := s.DB.R.QueryRowContext(ctx, "SELECT COUNT(*) FROM envelope_sessions WHERE token_hash = ? AND credential_id = ? AND expires_at > ?",
		HashToken(token), c.ID, s.DB.NowText()).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("envelope session: %w", err)
	}
	return n > 0 && !c.Locked() && !c.Expired(s.DB.NowText()) && !c.NeedsPassword(), nil
}

// EndEnvelopeSession signs a partner out.
func (s Messages) EndEnvelopeSession(ctx context.Context, token string) error {
	_, err := s.DB.W.ExecContext(ctx, "DELETE FROM envelope_sessions WHERE token_hash = ?", HashToken(token))
	return err
}

// MarkPartnerRead records the partner's read receipts for messages they did not write.
func (s Messages) MarkPartnerRead(ctx context.Context, c *EnvelopeCredential) error {
	_, err := s.DB.W.ExecContext(ctx, `INSERT INTO message_reads(message_id, reader, user_id, read_at)
		SELECT id, ?, NULL, ? FROM messages WHERE thread_id = ? AND sender_id IS NOT NULL ON CONFLICT DO NOTHING`, c.Username, s.DB.NowText(), c.ThreadID)
	if err != nil {
		return fmt.Errorf("partner read: %w", err)
	}
	return nil
}

// EnvelopeTTLOrDefault is how long new envelopes stay open.
func (s Messages) EnvelopeTTLOrDefault() time.Duration { return s.ttl() }
